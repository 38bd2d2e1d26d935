"""Running one command and measuring it: wall time, CPU time (user + system, of the
process and the children it waited for: its workers), the peak RSS of that process
tree's largest member (ru_maxrss from os.wait4), exit code and output lines."""
from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_measured(cmd: list[str], timeout: float, cwd: Path = REPO, env: dict | None = None) -> dict:
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=str(cwd), stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env)
        except OSError as e:
            return {"wall": 0.0, "cpu": 0.0, "peak_mib": 0.0, "exit": None, "lines": ["cannot start: %s" % e],
                    "timed_out": False}
        timed_out = threading.Event()

        def _kill():
            timed_out.set()
            try:
                proc.kill()
            except OSError:
                pass

        timer = threading.Timer(timeout, _kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code  # reaped by wait4; keep Popen from polling again
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024.0,  # ru_maxrss is KiB on Linux
            "exit": code, "lines": lines, "timed_out": timed_out.is_set()}
