"""Work beside the parent in a forked process: its result, or its failure, comes back whole."""
from __future__ import annotations

import os

import pytest

from generator.forking import alongside, forked_map


def test_the_task_runs_in_another_process_while_the_parent_works():
    parent = os.getpid()
    (child, big), mine = alongside(lambda: (os.getpid(), ["行"] * 2_000_000), lambda: os.getpid())
    assert mine == parent != child
    assert len(big) == 2_000_000 and big[-1] == "行"  # a large result comes back whole


def test_a_failing_task_fails_the_caller_with_its_own_error():
    def task():
        raise ValueError("坏的记录")

    with pytest.raises(ValueError, match="坏的记录"):
        alongside(task, lambda: None)


def test_an_exception_that_cannot_be_pickled_still_fails_the_caller():
    class Local(Exception):  # a local class cannot be pickled
        pass

    def task():
        raise Local("无法序列化")

    with pytest.raises(RuntimeError, match="Local: 无法序列化"):
        alongside(task, lambda: None)


def test_a_failing_parent_side_stops_the_task():
    def meanwhile():
        raise KeyError("parent")

    with pytest.raises(KeyError):
        alongside(lambda: __import__("time").sleep(30), meanwhile)


def test_forked_map_keeps_the_order_of_the_tasks():
    assert forked_map(lambda n: n * n, 7, 2) == [n * n for n in range(7)]
