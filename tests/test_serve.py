"""`zhuanlan serve`: the preview answers on localhost and shows a saved change."""
from __future__ import annotations

import threading
import time
import urllib.request

from generator.serve import serve
from generator.trees import state_folder
from support import make_variant


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=10) as response:
        return response.read().decode("utf-8")


def test_preview_serves_the_site_and_rebuilds_after_a_saved_change(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "site")
    path = site / "data/projects/371722.yaml"
    stop, ready, ports, pages, builds = threading.Event(), threading.Event(), [], [], []

    def on_ready(port):  # the editor looks at the page and saves at once, before the watch's first poll
        ports.append(port)
        pages.append(fetch(port, "demands/d-371722-2025-001/"))
        path.write_text(path.read_text(encoding="utf-8-sig").replace("互助养老服务站运营支持", "互助养老站点建设"),
                        encoding="utf-8")
        ready.set()

    thread = threading.Thread(target=serve, args=(site, tmp_path / "out"),
                              kwargs={"port": 0, "stop": stop, "on_ready": on_ready, "poll": 0.1,
                                      "on_build": builds.append}, daemon=True)
    thread.start()
    try:
        assert ready.wait(60)
        assert "互助养老服务站运营支持" in pages[0]
        deadline = time.monotonic() + 60
        while not builds and time.monotonic() < deadline:
            time.sleep(0.1)
        assert builds == [0]
        assert "互助养老站点建设" in fetch(ports[0], "demands/d-371722-2025-001/")
    finally:
        stop.set()
        thread.join(10)


def test_preview_links_the_spare_while_the_editor_reads_so_the_first_change_is_rebuilt_as_fast_as_later_ones(
        tmp_path):
    """A plain build into a new output leaves no spare (test_trees.py); the preview links one
    as soon as the site is served, before any change is saved."""
    site = make_variant("bom-accepted", tmp_path / "site")
    out = tmp_path / "out"
    stop, ready, builds = threading.Event(), threading.Event(), []
    thread = threading.Thread(target=serve, args=(site, out),
                              kwargs={"port": 0, "stop": stop, "on_ready": lambda port: ready.set(), "poll": 0.1,
                                      "on_build": builds.append}, daemon=True)
    thread.start()
    try:
        assert ready.wait(60)
        spare, seal = state_folder(out) / "spare", state_folder(out) / "spare.seal"
        deadline = time.monotonic() + 60
        while not seal.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert seal.is_file() and builds == []  # linked by the preview itself, not by a rebuild
        page = "demands/d-371722-2025-001/index.html"
        assert (spare / page).stat().st_ino == (out / page).stat().st_ino  # linked, not copied
        assert sorted(p.relative_to(spare) for p in spare.rglob("*")) == sorted(p.relative_to(out) for p in out.rglob("*"))
    finally:
        stop.set()
        thread.join(10)
