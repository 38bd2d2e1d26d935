"""The site works under the portal's sub-path: a crawl over HTTP from /col/xczx/ stays under it,
and every page, stylesheet and asset it meets answers 200."""
from __future__ import annotations

import urllib.error
import urllib.request

import harness

MAX_PAGES = 300


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_server_serves_only_the_sub_path(server):
    """The test server itself: outside /col/xczx/ everything is a 404 (so an escaping link shows)."""
    assert status_of(server.url(harness.PREFIX)) == 200
    for path in ("/", "/col/", "/index.html", "/theme/site.css"):
        assert status_of(server.url(path)) == 404, f"{path} should be a 404 outside the sub-path"


def test_crawl_stays_under_sub_path(server, built_site):
    result = harness.crawl(server.url(harness.PREFIX), harness.PREFIX, MAX_PAGES)
    assert result.pages, "the crawl fetched no page"
    harness.expect_none(result.problems, f"{len(result.problems)} problem(s) crawling {len(result.pages)} page(s) "
                                         f"and {len(result.assets)} asset(s):\n" + "\n".join(result.problems[:200]))
    stylesheets = [link.value for p in built_site.html_files() for link in harness.scan_file(p).links
                   if link.tag == "link" and link.value.endswith(".css")]
    if stylesheets:
        assert any(url.endswith(".css") for url in result.assets), "pages link a stylesheet the crawl never fetched"


def test_seeded_sub_path_defects_are_reported(static_server, tmp_path):
    srv = tmp_path / "srv"
    site = srv / "col" / "xczx"
    (site / "news").mkdir(parents=True)
    (srv / "elsewhere.html").write_text("<!DOCTYPE html><title>outside</title>", encoding="utf-8")
    (site / "site.css").write_text("body{background:url(missing-bg.png)}", encoding="utf-8")
    (site / "news" / "index.html").write_text("<!DOCTYPE html><title>news</title>", encoding="utf-8")
    (site / "index.html").write_text(
        '<!DOCTYPE html><html><head><title>seed</title><link rel="stylesheet" href="site.css"></head><body>'
        '<a href="news/">fine</a> <a href="/elsewhere.html">escapes</a> <a href="gone/">missing</a>'
        '<img src="missing.png" alt="x"> <a href="https://example.org/">external, not crawled</a>'
        '</body></html>', encoding="utf-8")
    server = static_server(srv)
    result = harness.crawl(server.url(harness.PREFIX), harness.PREFIX, MAX_PAGES)
    report = "\n".join(result.problems)
    assert any("/elsewhere.html" in p and "outside the sub-path" in p for p in result.problems), report
    assert any("/col/xczx/gone/" in p and "404" in p for p in result.problems), report
    assert any("/col/xczx/missing.png" in p and "404" in p for p in result.problems), report
    assert any("/col/xczx/missing-bg.png" in p and "404" in p for p in result.problems), report
    assert len(result.problems) == 4, report
    assert server.url("/col/xczx/news/") in result.pages
