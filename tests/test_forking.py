"""Work beside the parent in a forked process: its result, or its failure, comes back whole."""
from __future__ import annotations

import os
import time

import pytest

from generator.forking import LATER, Ending, alongside, forked_map


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


def test_afterwards_runs_in_the_task_process_after_its_result_is_handed_over(tmp_path):
    """The parent has the task's result while `afterwards` (storing a cache) still runs in
    the task's process, with what the task made, at a lower priority; it is not run after a
    failed task."""
    go, done = tmp_path / "go", tmp_path / "done"
    made = []

    def task():
        made.append("made by the task")
        return os.getpid()

    def afterwards():
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:  # only once the parent has the result
            time.sleep(0.01)
        done.write_text(f"{os.getpid()} {made[0]} {os.nice(0)}", encoding="utf-8")

    child, _mine = alongside(task, lambda: None, afterwards=afterwards)
    assert not done.exists()
    go.write_text("go")
    deadline = time.monotonic() + 30
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    # at a lower priority: the build's own processes take the cores first
    assert done.read_text(encoding="utf-8") == f"{child} made by the task {min(os.nice(0) + LATER, 19)}"

    def failing():
        raise ValueError("坏的记录")

    with pytest.raises(ValueError, match="坏的记录"):
        alongside(failing, lambda: None, afterwards=lambda: (tmp_path / "after a failure").write_text("no"))
    time.sleep(0.2)
    assert not (tmp_path / "after a failure").exists()


def test_with_an_ending_afterwards_waits_until_the_work_is_done(tmp_path):
    """Keeping a build's caches (a forked task's `afterwards`) starts only once the build's
    writing is done, so that it takes no core from the pages; and then it does start."""
    kept = tmp_path / "kept"
    with Ending() as ending:
        result, mine = alongside(lambda: "made", lambda: "mine", afterwards=lambda: kept.write_text("kept"),
                                 ending=ending)
        assert (result, mine) == ("made", "mine")
        time.sleep(0.5)  # ample for a process that does not wait
        assert not kept.exists()
    deadline = time.monotonic() + 30
    while not kept.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert kept.read_text() == "kept"
