"""Sharing work among forked worker processes.

The function and everything it reads are inherited by the fork, never pickled;
only each task's number goes to a worker and only its result comes back.
Where fork is not available, or one worker is asked for, tasks run in-process.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

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


def alongside(task: Callable[[], object], meanwhile: Callable[[], object]) -> tuple[object, object]:
    """(task(), meanwhile()): task in a forked process while the parent runs meanwhile."""
    global _CURRENT
    if "fork" not in multiprocessing.get_all_start_methods():
        return task(), meanwhile()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        _CURRENT = lambda _number: task()  # noqa: E731
        try:
            future = pool.submit(_call, 0)  # the worker is forked here, with _CURRENT set
        finally:
            _CURRENT = None
        other = meanwhile()
        return future.result(), other
