"""A quiet file system before each measured build: no mass deletion in the last minutes.

ext4 without a journal (this machine's file system) does not reuse an inode within 60 s
of its deletion, or within 360 s while the block of the inode table holding it is dirty,
which it is while a build creates files beside it (fs/ext4/ialloc.c, recently_deleted).
Each new file's allocation walks past every such inode of its group, one buffer lookup
each. Measured here (`perf record -a`, the provincial site, cold): a build started about
a minute after deleting two earlier outputs (some 300,000 inodes) spent a quarter of all
samples in `__ext4_new_inode → find_inode_bit → recently_deleted` and took 23.6 s
(15.5 s of system time); the same build seven minutes after the last deletion took 18.3 s
(7.9 s of system time), with 1 % of samples there.

A build on the department's machine follows no such deletion, and a benchmark that times
one right after deleting its previous run's outputs measures the kernel's bookkeeping,
more for whichever program runs first. So the benches delete through `delete_tree`, which
notes the time in a stamp file shared by every bench run, and `wait_quiet` waits, before
each measured run, until QUIET_S have passed since then. Deletions by other programs are
not seen: do not delete large trees in the minutes before a bench run.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

QUIET_S = 370.0  # the kernel's 360 s for a dirty inode-table block, and a margin
STAMP = Path(tempfile.gettempdir()) / "zhuanlan-bench.deleted"


def deleted() -> None:
    """Note that many files were deleted just now."""
    STAMP.touch()
    os.utime(STAMP)


def delete_tree(path: Path) -> None:
    """Delete a folder, noting the time (see the module's docstring)."""
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)
        deleted()


def set_aside(path: Path, trash: Path) -> None:
    """Move path into the folder trash (deleted with it at the end of the run) instead of
    deleting it now; deleted at once (and noted) where it cannot be moved."""
    if not path.exists():
        return
    trash.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(path, Path(tempfile.mkdtemp(dir=trash)) / path.name)
    except OSError:
        delete_tree(path)


def wait_quiet() -> float:
    """Sleep until QUIET_S have passed since the last deletion noted; the seconds slept."""
    try:
        since = time.time() - STAMP.stat().st_mtime
    except FileNotFoundError:
        return 0.0
    if since >= QUIET_S or since < 0:
        return 0.0
    time.sleep(QUIET_S - since)
    return QUIET_S - since
