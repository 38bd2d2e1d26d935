"""Running one command and measuring it: wall time, CPU time (user + system, of the
process and the children it waited for: its workers), the peak RSS of that process
tree's largest member (ru_maxrss from os.wait4), exit code and output lines; and the CPU
time of the processes it left running when it ended (`zhuanlan build` keeps its caches
and links its spare in the background), which are waited for: this process is their
subreaper (Linux), so that they are not lost to init."""
from __future__ import annotations

import ctypes
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


SUBREAPER = _become_subreaper()


def _reap_left() -> float:
    """Wait for every process the measured one left running (reparented to this one), and
    the CPU time they used. Nothing else of this process's children runs meanwhile."""
    used = 0.0
    while SUBREAPER:
        try:
            _pid, _status, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        used += usage.ru_utime + usage.ru_stime
    return used


def run_measured(cmd: list[str], timeout: float, cwd: Path = REPO, env: dict | None = None,
                 at_exit: Callable[[], object] | None = None) -> dict:
    """`at_exit` is called when the command has ended, before what it left running is waited for."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=str(cwd), stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env)
        except OSError as e:
            return {"wall": 0.0, "cpu": 0.0, "cpu_left": 0.0, "peak_mib": 0.0, "exit": None, "lines": ["cannot start: %s" % e],
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
        if at_exit is not None:
            at_exit()
        left = _reap_left()
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "cpu_left": left,
            "peak_mib": usage.ru_maxrss / 1024.0,  # ru_maxrss is KiB on Linux
            "exit": code, "lines": lines, "timed_out": timed_out.is_set()}
