"""Sharing work among forked worker processes.

The function and everything it reads are inherited by the fork, never pickled;
only each task's number goes to a worker and only its result comes back.
Where fork is not available, or one worker is asked for, tasks run in-process.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

from .collector import paused

LATER = 10  # how much lower the priority of work done after a forked task's result is handed over
_CURRENT: Callable | None = None  # the function of the running forked_map, inherited by workers


def _call(number: int):
    return _CURRENT(number)


def forked_map(function: Callable[[int], object], count: int, workers: int = 2) -> list:
    """[function(0), ..., function(count - 1)]: the tasks in `workers` forked processes
    (the parent waits; alongside() is for work of its own meanwhile)."""
    global _CURRENT
    if workers <= 1 or count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(number) for number in range(count)]
    _CURRENT = function
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_call, number) for number in range(count)]
            return [future.result() for future in futures]
    finally:
        _CURRENT = None


class Ending:
    """The end of a piece of work (a build's writing, build_stages.write_site) that the
    `afterwards` of processes forked during it wait for (alongside), so that keeping caches
    for the next build takes no core from it: a pipe whose writing end each such process
    closes at once, and the work's own process at its end (`close`, or when it exits),
    which they read as an end of file. Processes forked by forked_map keep their copy, and
    end before the work does."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()

    def __enter__(self) -> "Ending":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """The work is done (in its own process)."""
        for fd in (self._write, self._read):
            if fd is not None:
                os.close(fd)
        self._write = self._read = None

    def _forked(self) -> None:
        """In a process forked during the work: its copy of the writing end goes."""
        os.close(self._write)

    def _wait(self) -> None:
        """In a process forked during the work: until the work is done."""
        while os.read(self._read, 1):
            pass


def alongside(task: Callable[[], object], meanwhile: Callable[[], object],
              afterwards: Callable[[], object] | None = None, ending: Ending | None = None) -> tuple[object, object]:
    """(task(), meanwhile()): task in a forked process while the parent runs meanwhile.
    The task's result (or its exception) comes back pickled through an unnamed temporary
    file, read once the process ended: results of tens of megabytes (a tree's seal) take
    a fraction of a second that way, where a process pool's pipe took seconds while the
    parent was busy. `afterwards` (storing a cache) runs in that process after a task that
    succeeded, once its result is handed over, at a lower priority: the parent goes on
    without waiting for it, and its work takes the cores first (the process, like every one
    forked during a build, holds the build's lock till it ends); with `ending`, once that
    work is done as well (Ending)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        result = task(), meanwhile()
        if afterwards is not None:
            afterwards()
        return result
    ready, handed = os.pipe() if afterwards is not None else (None, None)
    with tempfile.TemporaryFile() as channel:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run the task, leave its outcome in the file, end without cleanup
            code = 1
            try:
                if ending is not None:
                    ending._forked()
                try:
                    outcome = (True, task())
                except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                    outcome = (False, exc)
                try:
                    data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # noqa: BLE001 - an exception that cannot be pickled
                    data = pickle.dumps((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})")))
                channel.write(data)
                channel.flush()
                code = 0
                if afterwards is not None and outcome[0]:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os.write(handed, b"1")
                    if ending is not None:
                        ending._wait()
                    os.nice(LATER)
                    afterwards()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        if handed is not None:
            os.close(handed)  # so that the child's end, if it hands nothing over, is an end of file
        try:
            other = meanwhile()
        except BaseException:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
            if ready is not None:
                os.close(ready)
            raise
        if ready is not None and _handed_over(ready):
            status = 0  # the result is in the file; the process goes on with `afterwards`
            threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()  # reaped when it ends
        else:
            _pid, status = os.waitpid(pid, 0)
        channel.seek(0)
        data = channel.read()
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not data:
        raise RuntimeError(f"a forked process ended without a result (status {status})")
    with paused():  # a big result is many small objects
        succeeded, value = pickle.loads(data)
    if not succeeded:
        raise value
    return value, other


def _handed_over(ready: int) -> bool:
    """Whether the child signalled through the pipe `ready` that its result is written (an
    end of file: it ended without); the pipe is closed."""
    try:
        return os.read(ready, 1) == b"1"
    finally:
        os.close(ready)
