"""The browser half of bench_search.py: our /search/ page and a bare Pagefind page, driven in
headless Chromium over HTTP, one query at a time.

A query's figures: its latency as the page measures it (from the query to the first 20
results ready to show, their text loaded), every result's id, and the files it fetched
(their sizes on disk: the bench server sends files as they are, without compression).
"""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind bench</title></head><body>
<script type="module">
const pagefind = await import("../pagefind/pagefind.js");
await pagefind.init();
window.runQuery = async (q) => {
  const started = performance.now();
  const search = await pagefind.search(q);
  await Promise.all(search.results.slice(0, 20).map(r => r.data()));
  return {ms: performance.now() - started, ids: search.results.map(r => r.id)};
};
document.body.setAttribute("data-ready", "1");
</script></body></html>
"""
OURS_QUERY = """async (q) => {
  const form = document.querySelector('form[data-index]');
  const before = Number(document.body.getAttribute('data-search-done') || 0);
  const input = document.getElementById('q');
  input.value = q;
  form.requestSubmit();
  while (Number(document.body.getAttribute('data-search-done') || 0) <= before) {
    await new Promise(r => setTimeout(r, 2));
  }
  return {ms: form.lastResult.ms, ids: form.lastResult.ids};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class Server:
    """Serves a folder on 127.0.0.1 in a thread."""

    def __init__(self, root: Path):
        self.root = root
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Engine:
    """One search engine's page: how to open it, run a query, and which fetches are its own."""

    def __init__(self, name: str, path: str, ready: str, query: str, prefixes: tuple[str, ...]):
        self.name, self.path, self.ready, self.query, self.prefixes = name, path, ready, query, prefixes


def engines(prefix: str) -> list[Engine]:
    """Ours (the site's /search/ page) and Pagefind (a bare page importing pagefind.js)."""
    ours = Engine("ours", prefix + "search/", "() => document.body.hasAttribute('data-search-done')", OURS_QUERY,
                  (prefix + "search-index/", prefix + "theme/search.js"))
    theirs = Engine("pagefind", prefix + "pagefind-bench/", "() => document.body.hasAttribute('data-ready')",
                    "q => window.runQuery(q)", (prefix + "pagefind/",))
    return [ours, theirs]


class Session:
    """A browser context with one page open on an engine; counts the engine's fetches."""

    def __init__(self, browser, server: Server, engine: Engine):
        self.engine, self.server = engine, server
        self.context = browser.new_context()
        self.seen: set[str] = set()
        self.fresh: list[str] = []
        self.context.on("request", self._request)
        self.page = self.context.new_page()
        self.page.set_default_timeout(300_000)
        self.page.goto(server.origin + engine.path)
        self.page.wait_for_function(engine.ready)

    def _request(self, request) -> None:
        path = unquote(urlsplit(request.url).path)
        if path.startswith(self.engine.prefixes) and path not in self.seen:
            self.seen.add(path)
            self.fresh.append(path)

    def fetched(self) -> tuple[int, int]:
        """(files, bytes) fetched since the last call."""
        paths, self.fresh = self.fresh, []
        return len(paths), sum((self.server.root / p.lstrip("/")).stat().st_size for p in paths)

    def query(self, term: str) -> dict:
        result = self.page.evaluate(self.engine.query, term)
        result["files"], result["bytes"] = self.fetched()
        return result

    def close(self) -> None:
        self.context.close()


def run_engine(browser, server: Server, engine: Engine, terms: list[str], cold_terms: list[str]) -> dict:
    """First queries (each in a fresh context: page load included in the bytes) and then every
    term one after another in one page."""
    cold = []
    for term in cold_terms:
        session = Session(browser, server, engine)
        try:
            cold.append(session.query(term))
        finally:
            session.close()
    session = Session(browser, server, engine)
    try:
        session.fetched()  # what the page load fetched belongs to the first query, counted above
        warm = {term: session.query(term) for term in terms}
    finally:
        session.close()
    return {"cold": cold, "warm": warm}


def run_all(root: Path, prefix: str, terms: list[str], cold_terms: list[str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    (root / prefix.strip("/") / "pagefind-bench").mkdir(exist_ok=True)
    (root / prefix.strip("/") / "pagefind-bench" / "index.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    server = Server(root)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                return {engine.name: run_engine(browser, server, engine, terms, cold_terms)
                        for engine in engines(prefix)}
            finally:
                browser.close()
    finally:
        server.stop()
