"""The cyclic garbage collector while a build makes many objects it keeps.

Loading a site, computing the match index and unpickling a forked process's result each
make hundreds of thousands of small acyclic objects and free none: a running collector
would only scan them again and again (seconds). `paused()` holds it off meanwhile and
then restores it as it was. With `freeze=True`, what exists at the end is frozen (left out
of every later collection): merely resuming would make the collector's next run scan
all the new objects, and every run after that the survivors. A build unfreezes at its end.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused(freeze: bool = False):
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
