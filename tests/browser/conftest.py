"""Session fixtures of the browser suite: one build of the sample site under the
portal's sub-path, one HTTP server for it, one Chromium.

A missing tool (Debian's chromium, Java, the pinned npm packages, playwright)
fails the tests with the command that installs it: nothing is skipped quietly.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness  # noqa: E402
from support import copy_sample_site, run_cli  # noqa: E402


@pytest.fixture(scope="session")
def _site_http(tmp_path_factory):
    """The server for the built site, started before the build so the port is known to --siteurl."""
    srv = tmp_path_factory.mktemp("browser-site") / "srv"
    srv.mkdir()
    server = harness.StaticServer(srv)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built_site(_site_http, tmp_path_factory) -> harness.BuiltSite:
    """The bundled sample site built into <tmp>/srv/col/xczx for http://127.0.0.1:<port>/col/xczx."""
    site_dir = copy_sample_site(tmp_path_factory.mktemp("browser-content") / "site")
    output = _site_http.root / harness.PREFIX.strip("/")
    siteurl = _site_http.url(harness.PREFIX.rstrip("/"))
    code, out, err = run_cli("build", "--site", str(site_dir), "--output", str(output), "--siteurl", siteurl)
    assert code == 0, f"zhuanlan build failed (exit {code}):\n{out}\n{err}"
    site = harness.BuiltSite(srv=_site_http.root, output=output, site_dir=site_dir, siteurl=siteurl)
    assert site.html_files(), f"the build wrote no HTML into {output}"
    return site


@pytest.fixture(scope="session")
def server(_site_http, built_site) -> harness.StaticServer:
    """Serves <tmp>/srv: the site is at /col/xczx/, everything outside that prefix is a 404."""
    return _site_http


@pytest.fixture(scope="session")
def browser():
    harness.require_chromium()
    sync_playwright = harness.require_playwright()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(harness.CHROMIUM), args=harness.CHROMIUM_ARGS,
                                              headless=True)
    except Exception as exc:
        playwright.stop()
        pytest.fail(f"could not start {harness.CHROMIUM} through playwright: {exc}", pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test (no state leaks between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.route(harness.NOT_LOCAL, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def static_server():
    """Serve a temporary folder of synthetic pages: static_server(folder) -> StaticServer."""
    servers = []

    def start(root: Path) -> harness.StaticServer:
        server = harness.StaticServer(root)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
