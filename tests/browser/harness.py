"""Shared helpers of the browser test suite: tool locations, a static file
server, an HTML scanner, the link checker, the crawler, the HTML validator and
the axe / reflow / XSS probes run in Chromium.

Everything here works over whatever HTML the build produces: no test knows the
list of pages in advance.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
THEME = REPO / "theme"
NODE_MODULES = HERE / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# The portal serves the column under this sub-path; the tests build with it.
PREFIX = "/col/xczx/"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Tags and attributes whose values are links to check.
LINK_ATTRS = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
              "source": ("src", "srcset")}
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


# --- tools: fail loudly, never skip -------------------------------------------------------------

def require_chromium() -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM}: "
                    "apt-get update && apt-get install -y chromium (.ci/run does this)", pytrace=False)


def require_java() -> None:
    if shutil.which("java") is None:
        pytest.fail("HTML validation needs Java (the Nu Html Checker is a jar): "
                    "apt-get update && apt-get install -y default-jre-headless (.ci/run does this)", pytrace=False)


def require_node_modules(*files: Path) -> None:
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        pytest.fail("browser tests need the pinned npm packages (vnu-jar, axe-core), missing: "
                    f"{', '.join(missing)}: run `npm ci --ignore-scripts` in tests/browser "
                    "(`make test` and .ci/run do this)", pytrace=False)


def require_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("browser tests need the Python package playwright: "
                    ".venv/bin/pip install -e '.[test]' (`make test` does this); "
                    "never run `playwright install`, the tests use Debian's chromium", pytrace=False)
    return sync_playwright


# --- a static server ----------------------------------------------------------------------------

class _Handler(SimpleHTTPRequestHandler):
    """Serves files only: a folder without index.html is a 404, never a listing."""

    def list_directory(self, path):
        self.send_error(404, "Not Found")
        return None

    def log_message(self, format, *args):  # keep the test output clean
        pass


class StaticServer:
    """A ThreadingHTTPServer on 127.0.0.1 (port chosen by the OS) serving one folder."""

    def __init__(self, root: Path):
        self.root = Path(root)
        handler = functools.partial(_Handler, directory=str(self.root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"http-{self.port}", daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@dataclass
class BuiltSite:
    srv: Path       # the server's document root
    output: Path    # srv/col/xczx: what `zhuanlan build` wrote
    site_dir: Path  # the content repository that was built
    siteurl: str    # http://127.0.0.1:<port>/col/xczx

    def html_files(self) -> list[Path]:
        return html_files(self.output)

    def url_of(self, file: Path) -> str:
        """The URL the server answers for a built file (index.html as its folder)."""
        rel = file.relative_to(self.output).as_posix()
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return self.siteurl + "/" + urllib.parse.quote(rel)


def html_files(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*.html") if p.is_file())


# --- an HTML scanner ----------------------------------------------------------------------------

@dataclass
class Link:
    tag: str
    attr: str
    value: str
    line: int


@dataclass
class Script:
    line: int
    attrs: dict
    text: str = ""


@dataclass
class Scan:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    template: str | None = None
    has_body: bool = False
    scripts: list[Script] = field(default_factory=list)
    # (line, "<tag attr=...>") for on* event-handler attributes and javascript: URLs
    active: list[tuple[int, str]] = field(default_factory=list)


URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}
_URL_NOISE = re.compile(r"[\x00-\x20]+")


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._script: Script | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        line = self.getpos()[0]
        if values.get("id"):
            self.scan.ids.add(values["id"])
        if tag == "body":
            self.scan.has_body = True
            self.scan.template = values.get("data-template")
        if tag == "script":
            self._script = Script(line, values)
            self.scan.scripts.append(self._script)
        for name, value in attrs:
            if name.startswith("on"):
                self.scan.active.append((line, f"<{tag} {name}={value!r}>"))
            elif name in URL_ATTRS and value and (_URL_NOISE.sub("", value).lower().startswith(
                    ("javascript:", "vbscript:", "data:text/html")) or name == "srcdoc"):
                self.scan.active.append((line, f"<{tag} {name}={value!r}>"))
        for attr in LINK_ATTRS.get(tag, ()):
            value = values.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.scan.links.append(Link(tag, attr, url, line))
            else:
                self.scan.links.append(Link(tag, attr, value.strip(), line))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.text += data


def scan_text(text: str) -> Scan:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.scan


@functools.lru_cache(maxsize=None)
def _scan_cached(path: str, mtime_ns: int, size: int) -> Scan:
    return scan_text(Path(path).read_text(encoding="utf-8"))


def scan_file(path: Path) -> Scan:
    stat = path.stat()
    return _scan_cached(str(path), stat.st_mtime_ns, stat.st_size)


# --- link checking (files on disk) --------------------------------------------------------------

@dataclass
class LinkProblem:
    page: str
    line: int
    url: str
    reason: str

    def __str__(self):
        return f"{self.page}:{self.line}: {self.url!r}: {self.reason}"


def _inside(root: str, path: str) -> bool:
    return os.path.commonpath([root, path]) == root


def check_links(output: Path, siteurl: str, prefix: str = PREFIX) -> list[LinkProblem]:
    """Every internal href/src of every built page points at a file of the output, inside it,
    and at an existing id when it has a #fragment; none leaves the sub-path."""
    root = os.path.realpath(output)
    own = urllib.parse.urlsplit(siteurl.rstrip("/") + "/")
    problems: list[LinkProblem] = []
    for page in html_files(output):
        page_rel = page.relative_to(output).as_posix()
        page_dir = os.path.dirname(os.path.join(root, page_rel))
        for link in scan_file(page).links:
            def report(reason, link=link):
                problems.append(LinkProblem(page_rel, link.line, link.value, f"<{link.tag} {link.attr}>: {reason}"))

            value = link.value
            parts = urllib.parse.urlsplit(value)
            scheme = parts.scheme.lower()
            if scheme in ("http", "https") and parts.netloc == own.netloc:
                if not parts.path.startswith(own.path):
                    report(f"absolute link to this host outside the site's sub-path {own.path}")
                    continue
                parts = parts._replace(scheme="", netloc="", path=prefix + parts.path[len(own.path):])
            elif scheme in EXTERNAL_SCHEMES or (not scheme and parts.netloc):
                continue  # external (a scheme-relative //host/... is external too)
            elif scheme:
                report(f"scheme {scheme}: is not allowed in a link")
                continue
            path = urllib.parse.unquote(parts.path)
            if path.startswith("/"):
                if not path.startswith(prefix):
                    report(f"root-relative link escapes the sub-path {prefix}")
                    continue
                target = os.path.normpath(os.path.join(root, path[len(prefix):]))
            elif path:
                target = os.path.normpath(os.path.join(page_dir, path))
            else:
                target = os.path.join(root, page_rel)  # "" or "#x" or "?q": this page
            if not _inside(root, target):
                report("resolves outside the output root")
                continue
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            elif path.endswith("/"):
                target = os.path.join(target, "index.html")
            if not os.path.isfile(target):
                report(f"target does not exist in the output: {os.path.relpath(target, root)}")
                continue
            fragment = urllib.parse.unquote(parts.fragment)
            if fragment and target.endswith(".html") and fragment not in scan_file(Path(target)).ids:
                report(f"no element with id={fragment!r} in {os.path.relpath(target, root)}")
    return problems


# --- crawling over HTTP -------------------------------------------------------------------------

CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)


@dataclass
class Crawl:
    pages: list[str] = field(default_factory=list)   # HTML pages fetched
    assets: list[str] = field(default_factory=list)  # everything else fetched
    problems: list[str] = field(default_factory=list)


def _fetch(url: str) -> tuple[int, str, bytes, str]:
    """(status, content type, body, final URL); redirects are followed."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read(), response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, "", b"", url


def crawl(start: str, prefix: str = PREFIX, max_pages: int = 300) -> Crawl:
    """Breadth-first over same-origin links from start: every URL must be under prefix and answer 200."""
    origin = urllib.parse.urlsplit(start)[:2]
    result = Crawl()
    queue = deque([(start, "(start)")])
    seen = {start}
    while queue:
        url, referrer = queue.popleft()
        path = urllib.parse.urlsplit(url).path
        if not path.startswith(prefix):
            result.problems.append(f"{url} (linked from {referrer}) is outside the sub-path {prefix}")
            continue
        if len(result.pages) >= max_pages:
            break
        status, ctype, body, final = _fetch(url)
        if status != 200:
            result.problems.append(f"{url} (linked from {referrer}) answered {status}")
            continue
        if not urllib.parse.urlsplit(final).path.startswith(prefix):
            result.problems.append(f"{url} (linked from {referrer}) redirected outside the sub-path: {final}")
            continue
        if ctype == "text/html":
            result.pages.append(url)
            found = [link.value for link in scan_text(body.decode("utf-8", "replace")).links]
        elif ctype == "text/css":
            result.assets.append(url)
            found = [m.group(2) or m.group(4) for m in CSS_URL.finditer(body.decode("utf-8", "replace"))]
        else:
            result.assets.append(url)
            found = []
        for value in found:
            if value.startswith("data:"):
                continue
            target, _fragment = urllib.parse.urldefrag(urllib.parse.urljoin(final, value))
            parts = urllib.parse.urlsplit(target)
            if parts[:2] != origin or target in seen:
                continue  # other origins (and mailto:, tel:) are not crawled
            seen.add(target)
            queue.append((target, url))
    return result


# --- the Nu Html Checker ------------------------------------------------------------------------

def vnu(files: list[Path]) -> dict[str, list[dict]]:
    """Run vnu once over files; {file path: [error messages]} (every file has a key)."""
    require_java()
    require_node_modules(VNU_JAR)
    completed = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always",
         *map(str, files)], capture_output=True, text=True, encoding="utf-8", timeout=600)
    raw = completed.stderr.strip() or completed.stdout.strip()
    try:
        report = json.loads(raw)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not answer with JSON (exit {completed.returncode}):\n{raw[:4000]}", pytrace=False)
    by_file: dict[str, list[dict]] = {str(f): [] for f in files}
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path) if url.startswith("file:") else url
        by_file.setdefault(os.path.realpath(name) if name else "(vnu)", []).append(message)
    return {os.path.realpath(k) if k.startswith("/") else k: v for k, v in by_file.items()}


def format_vnu(file: str, message: dict, root: Path | None = None) -> str:
    shown = os.path.relpath(file, root) if root and file.startswith("/") else file
    where = f"{shown}:{message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"
    extract = message.get("extract", "").replace("\n", "⏎")
    return f"{where}: {message.get('message', '')}" + (f"\n      {extract}" if extract else "")


# --- probes run in Chromium ---------------------------------------------------------------------

AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def axe_violations(page, url: str) -> list[dict]:
    require_node_modules(AXE_JS)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN, AXE_TAGS)


def format_axe(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:8]) + (" …" if len(v["targets"]) > 8 else "")
        lines.append(f"{url}: [{v['id']}] ({v['impact']}) {v['help']} — {targets} ({v['helpUrl']})")
    return "\n".join(lines)


OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [];
  if (doc.scrollWidth > window.innerWidth + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > window.innerWidth + 1 && wide.length < 5) {
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                  (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                  ' (right edge ' + Math.round(box.right) + 'px)');
      }
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide};
}"""

REFLOW_MODES = (
    # (label, viewport width, extra style): WCAG 1.4.10 reflow at 320 CSS px, and the
    # 适老化 case of 200 % text in a 640 px wide window (320 px worth of text at double size).
    ("320 px wide", 320, None),
    ("640 px wide, text at 200 %", 640, "html{font-size:200%}"),
)


def reflow_problems(page, url: str) -> list[str]:
    """Load url at each reflow mode; a document wider than the window is a problem."""
    problems = []
    for label, width, style in REFLOW_MODES:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
        if style:
            page.add_style_tag(content=style)
        measured = page.evaluate(OVERFLOW)
        if measured["scrollWidth"] > measured["innerWidth"] + 1:
            problems.append(f"{url} at {label}: document is {measured['scrollWidth']} px wide in a "
                            f"{measured['innerWidth']} px window (scrolls sideways); widest: "
                            f"{', '.join(measured['wide']) or '?'}")
    return problems


class XssProbe:
    """Records what pages' scripts did: dialogs (alert/confirm/prompt), uncaught errors and
    window.__xss. Pages are loaded in a few tabs at once: each load is waited for, then 200 ms
    more for timers, then window.__xss is read."""

    def __init__(self, context, tabs: int = 1):
        self.tabs = [context.new_page() for _ in range(tabs)]
        self.events: dict[int, list[str]] = {}
        for number, tab in enumerate(self.tabs):
            self.events[number] = []
            tab.on("dialog", functools.partial(self._dialog, number))
            tab.on("pageerror", functools.partial(self._error, number))

    def _dialog(self, number, dialog):
        self.events[number].append(f"{dialog.type}({dialog.message!r})")
        dialog.dismiss()

    def _error(self, number, error):
        self.events[number].append(f"pageerror: {error}")

    def visit(self, url: str) -> list[str]:
        return self.visit_all([url])[url]

    def visit_all(self, urls: list[str]) -> dict[str, list[str]]:
        """{url: [what ran]} for every URL (an empty list when nothing ran)."""
        found: dict[str, list[str]] = {}
        for start in range(0, len(urls), len(self.tabs)):
            batch = list(zip(range(len(self.tabs)), self.tabs, urls[start:start + len(self.tabs)]))
            for number, tab, url in batch:
                self.events[number] = []
                try:  # start every load of the batch, then wait for them together
                    response = tab.goto(url, wait_until="commit")
                    if response is None or response.status != 200:
                        self.events[number].append(f"answered {response and response.status}")
                except Exception as exc:
                    self.events[number].append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            for number, tab, url in batch:
                try:
                    tab.wait_for_load_state("load")
                except Exception as exc:
                    self.events[number].append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            batch[0][1].wait_for_timeout(200)
            for number, tab, url in batch:
                try:
                    flag = tab.evaluate("() => typeof window.__xss === 'undefined' ? null : String(window.__xss)")
                    if flag is not None:
                        self.events[number].append(f"window.__xss = {flag}")
                except Exception as exc:  # e.g. a meta refresh or a script navigated away
                    self.events[number].append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
                if tab.url.split("#")[0] != url:
                    self.events[number].append(f"navigated away to {tab.url}")
                found[url] = list(self.events[number])
        return found


# Requests to anything but the test servers are aborted: the tests are hermetic and never
# wait for a network this machine does not have.
NOT_LOCAL = re.compile(r"^(?!(http://127\.0\.0\.1[:/]|data:|about:|blob:))")


def theme_script_files() -> set[str]:
    """Script files the theme ships (theme/static/**/*.js): the only scripts a page may load."""
    static = THEME / "static"
    return {p.relative_to(static).as_posix() for p in static.rglob("*.js")} if static.is_dir() else set()


def active_content(output: Path) -> list[str]:
    """Every on* event-handler attribute and javascript: URL in the built pages."""
    return [f"{page.relative_to(output).as_posix()}:{line}: {what}"
            for page in html_files(output) for line, what in scan_file(page).active]


def foreign_scripts(output: Path) -> list[str]:
    """Every <script> in the built pages that is not a file the theme ships."""
    shipped = theme_script_files()
    found = []
    for page in html_files(output):
        rel = page.relative_to(output).as_posix()
        for script in scan_file(page).scripts:
            src = script.attrs.get("src")
            if src:
                target = os.path.normpath(os.path.join(os.path.dirname(str(page)), urllib.parse.urlsplit(src).path))
                if any(target == os.path.normpath(str(output / "theme" / name)) for name in shipped):
                    continue  # the theme's static files are copied to <output>/theme/
            snippet = (script.text.strip()[:60] + "…") if script.text.strip() else ""
            found.append(f"{rel}:{script.line}: <script {' '.join(f'{k}={v!r}' for k, v in script.attrs.items())}>"
                         + snippet)
    return found


def expect_none(found, message: str) -> None:
    """Fail with message alone (no repr of the list after it) when anything was found."""
    if found:
        pytest.fail(message, pytrace=False)
