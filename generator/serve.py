"""`zhuanlan serve`: build, serve the site on localhost for preview, rebuild on change.

For editors previewing their change before a pull request: the site is served
from 127.0.0.1 only, and the content folder is polled once a second; after a
saved change the site is rebuilt (problems printed as `check` prints them) and
the browser shows the new pages on reload. A failed rebuild keeps the last good
site on screen. After a build that left no spare tree (trees.py), one is linked at once,
while the editor reads, whatever the site's size (`zhuanlan build` links one in the
background only for a large output).
"""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import build_site
from .trees import prepare_spare

WATCHED = ("site.yaml", "data", "content", "portal")


def snapshot(site_dir: Path) -> tuple:
    """Names, sizes and modification times of every watched file."""
    seen = []
    for name in WATCHED:
        top = site_dir / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            if path.is_file():
                stat = path.stat()
                seen.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(seen)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # one line per request would bury the check output
        pass


def serve(site_dir: Path, output: Path, port: int = 8000, stop: threading.Event | None = None,
          on_ready=None, poll: float = 1.0, on_build=None) -> int:
    """Serve until stop is set (or Ctrl+C). on_ready(port) is called once the server
    listens; on_build(exit code) after every rebuild."""
    stop = stop or threading.Event()
    seen = snapshot(site_dir)  # before the first build: a save during it or just after is not missed
    code = build_site(site_dir, output, None)
    if code == 2:
        return code
    output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"预览地址：http://127.0.0.1:{server.server_address[1]}/ （保存文件后自动重新生成；按 Ctrl+C 结束）",
          flush=True)
    if on_ready is not None:
        on_ready(server.server_address[1])
    try:
        if code == 0:
            prepare_spare(output)
        while not stop.wait(poll):
            now = snapshot(site_dir)
            if now != seen:
                seen = now
                print("检测到修改，重新生成……", flush=True)
                result = build_site(site_dir, output, None)
                if result == 0:
                    prepare_spare(output)
                if on_build is not None:
                    on_build(result)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0

