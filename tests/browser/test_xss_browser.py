"""Hostile Markdown never runs in a real browser.

Every payload of tests/xss/payloads.yaml (a list of {name, markdown, benign?}) is put into a
news page of its own and into the description of a demand record; the site is built and every
page that shows a payload is loaded in Chromium, recording dialogs (alert/confirm/prompt),
uncaught page errors and window.__xss. The built HTML must also carry no <script> the theme
does not ship, no on* handler attribute and no javascript: URL.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import harness
from support import copy_sample_site, run_cli

PAYLOADS = harness.REPO / "tests" / "xss" / "payloads.yaml"
PROJECTS_FILE = "data/projects/370114.yaml"  # the demand records are appended to a copy of this file
MARKER = "XSS "  # titles are "XSS <n>" (news) and "XSS 需求 <n>" (demands)
TABS = 4  # pages loaded at once


@dataclass
class Payload:
    number: int
    name: str
    markdown: str
    benign: bool

    @property
    def news_slug(self) -> str:
        return f"xss-{self.number}"

    @property
    def demand_id(self) -> str:
        return f"xss-demand-{self.number}"


def load_payloads() -> list[Payload]:
    if not PAYLOADS.is_file():
        pytest.fail(f"{PAYLOADS} is missing: the XSS suite needs its list of {{name, markdown, benign?}}",
                    pytrace=False)
    items = yaml.safe_load(PAYLOADS.read_text(encoding="utf-8"))
    assert isinstance(items, list) and items, f"{PAYLOADS}: expected a non-empty YAML list"
    payloads = []
    for number, item in enumerate(items, start=1):
        assert isinstance(item, dict) and isinstance(item.get("markdown"), str), \
            f"{PAYLOADS}: item {number} needs a `markdown` string: {item!r}"
        payloads.append(Payload(number, str(item.get("name", f"payload {number}")), item["markdown"],
                                bool(item.get("benign", False))))
    return payloads


def record_path(kind: str, key: str) -> str:
    """Output file of a record page, by the generator's own URL scheme when it has one."""
    try:
        from generator import urls
        return urls.output_file(urls.record(kind, key))
    except ImportError:  # pragma: no cover - before generator/urls.py exists
        return f"{kind}/{key}/index.html"


Place = tuple[int, str]  # (payload number, "news" or "demands")


def seed_payloads(site_dir: Path, payloads: list[Payload], skip: set[Place]) -> dict[Place, tuple[str, int, int]]:
    """Write a news page and append a demand record for each payload (except the places in skip);
    {place: (file, first line, last line)}, so that a build error can be traced to its payload."""
    places: dict[Place, tuple[str, int, int]] = {}
    for p in payloads:
        if (p.number, "news") in skip:
            continue
        rel = f"content/news/{p.news_slug}.md"
        (site_dir / rel).write_text(f"---\ntitle: XSS {p.number}\npublished: 2025-04-01\n---\n\n{p.markdown}\n",
                                    encoding="utf-8")
        places[(p.number, "news")] = (rel, 1, 10**9)

    projects = site_dir / PROJECTS_FILE
    records = yaml.safe_load(projects.read_text(encoding="utf-8"))
    template = next(r for r in records if r.get("kind") == "demand")
    text = projects.read_text(encoding="utf-8").rstrip("\n") + "\n"
    for p in payloads:
        if (p.number, "demands") in skip:
            continue
        record = copy.deepcopy(template)
        record.update(id=p.demand_id, title=f"XSS 需求 {p.number}", description=p.markdown, status="open")
        record.pop("matched_orgs", None)
        chunk = "\n" + yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=10**6)
        first = text.count("\n") + 2
        text += chunk
        places[(p.number, "demands")] = (PROJECTS_FILE, first, text.count("\n"))
    projects.write_text(text, encoding="utf-8")
    return places


ERROR_LINE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):\d+: ")
NEWS_FILE = re.compile(r"content/news/xss-(\d+)\.md\b")


@dataclass
class XssSite:
    site: harness.BuiltSite
    payloads: list[Payload]
    refused: dict[Place, list[str]]  # places `zhuanlan build` refused, with its messages
    server: harness.StaticServer


def blame(err: str, places: dict[Place, tuple[str, int, int]]) -> tuple[dict[Place, list[str]], list[str]]:
    """The build's error output sorted out: ({place: its messages}, lines no payload explains)."""
    blamed: dict[Place, list[str]] = {}
    unexplained = []
    for line in err.splitlines():
        match = ERROR_LINE.match(line)
        if match and "错误" in line:  # a `file:line:col: 错误:` from the checker
            hits = [place for place, (rel, lo, hi) in places.items()
                    if rel == match["file"] and lo <= int(match["line"]) <= hi]
            if not hits:
                unexplained.append(line)
        else:  # any other message naming a payload's own news file (e.g. a Pelican warning)
            hits = [(int(n), "news") for n in NEWS_FILE.findall(line)]
        for place in hits[:1]:
            blamed.setdefault(place, []).append(line.strip())
    return blamed, unexplained


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    payloads = load_payloads()
    srv = tmp_path_factory.mktemp("xss-site") / "srv"
    srv.mkdir()
    server = harness.StaticServer(srv)
    output = srv / harness.PREFIX.strip("/")
    siteurl = server.url(harness.PREFIX.rstrip("/"))
    refused: dict[Place, list[str]] = {}
    try:
        for _attempt in range(5):
            site_dir = copy_sample_site(tmp_path_factory.mktemp("xss-content") / "site")
            places = seed_payloads(site_dir, payloads, set(refused))
            code, out, err = run_cli("build", "--site", str(site_dir), "--output", str(output), "--siteurl", siteurl)
            if code == 0:
                break
            # A payload the build refuses never reaches a page: note where, and build the rest.
            # (Some messages, like Pelican's, are cut short after a few, hence several rounds.)
            blamed, unexplained = blame(err, places)
            assert code == 1 and blamed and not unexplained, \
                f"building the XSS variant failed (exit {code}) for reasons other than a payload:\n{out}\n{err}"
            refused.update(blamed)
        else:
            pytest.fail(f"building the XSS variant kept failing:\n{out}\n{err}", pytrace=False)
        yield XssSite(harness.BuiltSite(srv=srv, output=output, site_dir=site_dir, siteurl=siteurl),
                      payloads, refused, server)
    finally:
        server.stop()


def test_benign_payloads_are_published(xss_site):
    """A payload marked benign is ordinary content: `zhuanlan build` must not refuse it."""
    refused = [f"{p.number} {p.name} ({where}): " + " | ".join(messages)
               for (number, where), messages in sorted(xss_site.refused.items())
               for p in xss_site.payloads if p.number == number and p.benign]
    harness.expect_none(refused, "benign payloads refused by the build:\n" + "\n".join(refused))


def pages_to_visit(xss_site: XssSite) -> list[Path]:
    """Every built page showing a payload: its own news and demand pages and every listing naming them."""
    output = xss_site.site.output
    pages = [p for p in xss_site.site.html_files() if MARKER in p.read_text(encoding="utf-8")]
    missing = []
    for p in xss_site.payloads:
        for kind, key in (("news", p.news_slug), ("demands", p.demand_id)):
            if (p.number, kind) in xss_site.refused:
                continue
            if (output / kind).is_dir() and not (output / record_path(kind, key)).is_file():
                missing.append(f"payload {p.number} ({p.name}): no page {record_path(kind, key)}")
    harness.expect_none(missing, "the build wrote the section but not the payload's page:\n" + "\n".join(missing))
    index = output / "index.html"
    return sorted(set(pages) | {index})


def test_payloads_do_not_run_in_chromium(xss_site, page):
    probe = harness.XssProbe(page.context, tabs=TABS)
    visited = pages_to_visit(xss_site)
    urls = {xss_site.site.url_of(path): path for path in visited}
    fired = [f"{urls[url].relative_to(xss_site.site.output).as_posix()}: {event}"
             for url, events in probe.visit_all(list(urls)).items() for event in events]
    names = "\n".join(f"  xss-{p.number}: {p.name}" for p in xss_site.payloads)
    harness.expect_none(fired, f"script ran on {len(fired)} occasion(s) over {len(visited)} page(s):\n"
                               + "\n".join(fired) + f"\npayloads:\n{names}")


def test_xss_build_has_no_script_or_handlers(xss_site):
    found = harness.foreign_scripts(xss_site.site.output) + harness.active_content(xss_site.site.output)
    harness.expect_none(found, "active content in the built XSS variant:\n" + "\n".join(found))


def test_sample_build_has_no_script_or_handlers(built_site):
    found = harness.foreign_scripts(built_site.output) + harness.active_content(built_site.output)
    harness.expect_none(found, "pages need no JavaScript, yet the built site has:\n" + "\n".join(found))


SEEDED = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>seeded XSS</title></head>
<body><main><h1>seeded</h1>
<img src=x onerror="alert(1)">
<script>window.__xss=1</script>
</main></body></html>
"""


def test_seeded_xss_is_detected(static_server, page, tmp_path):
    site = tmp_path / "col" / "xczx"
    site.mkdir(parents=True)
    (site / "index.html").write_text(SEEDED, encoding="utf-8")
    server = static_server(tmp_path)
    events = harness.XssProbe(page.context).visit(server.url(harness.PREFIX))
    assert "alert('1')" in events, f"the probe missed the onerror alert: {events}"
    assert "window.__xss = 1" in events, f"the probe missed window.__xss: {events}"

    scripts = harness.foreign_scripts(tmp_path)
    handlers = harness.active_content(tmp_path)
    assert len(scripts) == 1 and "window.__xss" in scripts[0], scripts
    assert len(handlers) == 1 and "onerror" in handlers[0], handlers


def test_at_least_30_hostile_payloads_reach_a_page(xss_site):
    """Payloads the checker refuses (e.g. an image without alt) never reach a page; enough
    others must, so that the browser really is tested against a corpus of 30 or more."""
    published = {p.number for p in xss_site.payloads if not p.benign
                 and any((p.number, kind) not in xss_site.refused for kind in ("news", "demands"))}
    assert len(published) >= 30, f"only {len(published)} hostile payloads were published"
