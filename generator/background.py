"""Work a build leaves running after it returns: deleting a retired tree, linking the
next build's spare (trees.py). It runs in a detached process, so that the build's
command ends at once, and holds none of the build's files open: not its standard
output and error either, so that whatever reads them (a pipe, `tee`, a CI step) sees
them end with the build."""
from __future__ import annotations

import os
from typing import Callable


def detached(work: Callable[[], object], keep: int | None = None) -> bool:
    """Run work() in a detached grandchild process, its standard streams on /dev/null
    and every other descriptor closed but `keep` (a lock it goes on holding); the caller
    does not wait for it. False where processes cannot be forked, or none could be now
    (work was not run: the caller does it itself, or leaves it)."""
    if not hasattr(os, "fork"):
        return False
    try:
        pid = os.fork()
    except OSError:  # too many processes, or no memory for one
        return False
    if pid == 0:  # child: a session of its own, and a grandchild to do the work
        try:
            os.setsid()
            if os.fork() == 0:
                try:
                    _let_go(keep)
                    work()
                finally:
                    os._exit(0)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return True


def _let_go(keep: int | None) -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(null, stream)
    limit = os.sysconf("SC_OPEN_MAX")
    if keep is None or keep < 3:
        os.closerange(3, limit)
    else:
        os.closerange(3, keep)
        os.closerange(keep + 1, limit)
