"""Writing the site into its staging tree: every path checked to stay inside it, files
still right left alone, and files whose bytes did not change taken over from the output.

The staging tree may be the spare (generator/trees.py): files already in it that are
right are kept (`present`, trusted by their seal). An unchanged file that is not there
is hard-linked from the output instead of written, so it keeps its inode and
modification time: copying the site to the portal (rsync) transfers only the pages that
really changed. Files of the output and of the spare share inodes, so a file is never
written into: it is removed and created anew. Every file the tree will hold is stamped
(inode, size, modification time) for the next build's seal.
"""
from __future__ import annotations

import functools
import operator
import os
import stat
from itertools import chain, compress, repeat
from pathlib import Path

from .seal import Seal, ancestors, file_stamp, parent, stamp_folders
from .trees import Staging, remove


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_ABSENT = object()  # stands for a file the spare lacks: equal to no stamp, nor to None


@functools.lru_cache(maxsize=64)
def _real(base: str) -> str:
    return os.path.realpath(base)


def safe_join(base: Path, relative: str) -> str:
    """base/relative, refusing any path that would land outside base (a commonpath test:
    a prefix test would let /out-evil pass for /out). The check is lexical: the staging
    tree holds no links (trees.OutputState.new_staging removes any before a file is written).
    A string, not a Path: made for each of 92,000 files, a Path cost as much as the check."""
    root = _real(str(base))
    target = os.path.normpath(os.path.join(root, relative))
    if os.path.commonpath([root, target]) != root or target == root:
        raise ValueError(f"path escapes the output folder: {relative}")
    return target


def _read(path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


class TreeWriter:
    """Writes files into staging.root. `previous` is the output and `previous_seal` its
    seal: an output file is linked, never written, and only while it is as sealed.
    `stamps` and `touched` record what the tree will hold and which folders changed,
    for its seal."""

    def __init__(self, staging: Staging, previous: Path | None = None, previous_seal: Seal | None = None) -> None:
        self.staging = staging
        self.root = staging.root
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.previous_seal = previous_seal or Seal()
        self.stamps: dict = {}  # every file the tree will hold
        self.touched: set[str] = set()  # folders whose entries changed
        self._fresh = not staging.present.files  # a new tree: a file's folder is made before it (_make_folder)
        self._folders: set[str] = set()  # made by this writer, or found there
        for relative in staging.removed:
            self._touch(relative)
            self.touched.add(relative)

    def _touch(self, relative: str) -> None:
        """Mark the folders holding relative as changed. A folder in `touched` always has
        its own folders there too, so a file's folder found there is all there is to do."""
        if parent(relative) not in self.touched:
            self.touched.update(ancestors(relative))

    def keep(self, relative: str) -> bool:
        """Leave the staging tree's file as it is (its inputs did not change)."""
        known = self.staging.present.files.get(relative)
        if known is None:
            return False
        self.stamps[relative] = known
        return True

    def _clear(self, target: str, relative: str) -> None:
        """Make way for a new file at target: whatever is there goes, its folder exists."""
        self._touch(relative)
        target = Path(target)
        if os.path.lexists(target):
            remove(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file where a folder must go now
            folder = target.parent
            while folder != self.root and not folder.is_dir():
                if os.path.lexists(folder):
                    os.unlink(folder)
                    break
                folder = folder.parent
            target.parent.mkdir(parents=True, exist_ok=True)

    def sealed_previous(self, relative: str, size: int | None = None) -> str | None:
        """The output's file at relative, if it is still the file its build wrote (and, when
        `size` is given, was sealed at that size: one of another size holds other bytes)."""
        sealed = self.previous_seal.files.get(relative)
        if self.previous is None or sealed is None or (size is not None and sealed[1] != size):
            return None
        old = os.path.join(self.previous, relative)
        try:
            status = os.lstat(old)
        except OSError:
            return None
        return old if stat.S_ISREG(status.st_mode) and file_stamp(status) == sealed else None

    def _link(self, old: str, target: str, relative: str) -> bool:
        self._clear(target, relative)
        try:
            os.link(old, target)
        except OSError:  # another file system, or links not allowed
            return False
        self.stamps[relative] = file_stamp(os.lstat(target))
        return True

    def write(self, relative: str, data: bytes) -> None:
        target = safe_join(self.root, relative)
        size = len(data)  # a file sealed at another size holds other bytes: not read (a dataset is 20 MB)
        present = self.staging.present.files.get(relative)
        if present is not None and present[1] == size and _read(target) == data:
            self.keep(relative)
            return
        old = self.sealed_previous(relative, size)
        if old is not None and _read(old) == data and self._link(old, target, relative):
            return
        self._create(target, relative, data)

    def _create(self, target: str, relative: str, data: bytes) -> None:
        """A new file at target holding data. Created exclusively, so never through an
        existing file or link: whatever is in the way is cleared first, and so is a missing
        folder made: first in a new tree (_make_folder), after the creation fails in a spare,
        whose folders are mostly there (tried, not tested for: a file takes four system calls,
        not ten, which is seconds of kernel time for 92,000 files)."""
        self._touch(relative)
        if self._fresh:
            self._make_folder(os.path.dirname(target))
        try:
            handle = os.open(target, _CREATE, 0o666)
        except FileNotFoundError:  # no folder yet (so nothing in the way in it): made
            try:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            except OSError:  # a file where one of its folders must go
                self._clear(target, relative)
            handle = os.open(target, _CREATE, 0o666)
        except OSError:  # something in the way
            self._clear(target, relative)
            handle = os.open(target, _CREATE, 0o666)
        try:
            written = os.write(handle, data)  # all of it, but for a signal or a full disk
            while written < len(data):
                written += os.write(handle, memoryview(data)[written:])
            self.stamps[relative] = file_stamp(os.fstat(handle))
        finally:
            os.close(handle)

    def _make_folder(self, folder: str) -> None:
        """In a new tree, a file's folder is made before the file, once per writer, rather
        than found missing by a failed creation (an exception, and a lookup and a test more
        per page, each of 48,000 in a folder of its own: 20,000 pages took 0.57-0.74 s to
        write this way, 0.68-0.84 s the other)."""
        if folder in self._folders:
            return
        try:
            os.mkdir(folder)
        except FileNotFoundError:  # its own folder is missing too
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError:  # a file in the way: the creation fails, and clears it
                return
        except OSError:  # made by another process, or a file in the way (as above)
            pass
        self._folders.add(folder)

    def take_over(self, relative: str) -> bool:
        """Link the output's file into staging unread (its inputs did not change), if it is
        still the file its build wrote."""
        old = self.sealed_previous(relative)
        return old is not None and self._link(old, safe_join(self.root, relative), relative)

    def reuse(self, relative: str, fingerprint: str, kept: dict[str, str], before: dict[str, str]) -> bool:
        """Keep the staging tree's file when `kept` (the fingerprints recorded for it) has this
        fingerprint, else take the output's over when `before` (the output's) has it; False
        when neither holds, and the file must be made."""
        return (kept.get(relative) == fingerprint and self.keep(relative)
                or before.get(relative) == fingerprint and self.take_over(relative))

    def carry_all(self, relatives: list[str]) -> bool:
        """Take the output's files over unread (their inputs did not change), all or none.
        A file of the staging tree is kept when it is that very file (same inode, size and
        time: the spare shares unchanged files with the output; compared and stamped in
        bulk, for a search index's tens of thousands), else the output's is linked in, if it
        is still the file its build wrote. When one cannot be, those carried go again
        (forget) and the answer is False."""
        present, sealed = self.staging.present.files, self.previous_seal.files
        kept = list(map(present.get, relatives, repeat(_ABSENT)))
        same = list(map(operator.eq, kept, map(sealed.get, relatives, repeat(None))))
        self.stamps.update(compress(zip(relatives, kept), same))
        taken = []
        for relative in compress(relatives, map(operator.not_, same)):
            if not self.take_over(relative):
                for done in chain(compress(relatives, same), taken):
                    self.forget(done)
                return False
            taken.append(relative)
        return True

    def forget(self, relative: str) -> None:
        """Undo a write or take-over: the file goes, and the tree will not hold it."""
        self.stamps.pop(relative, None)
        self._touch(relative)
        target = safe_join(self.root, relative)
        if os.path.lexists(target):
            remove(target)

    def merge(self, stamps: dict, touched: set[str]) -> None:
        """What a worker's writer did in the same tree."""
        self.stamps.update(stamps)
        self.touched |= touched

    def remove_others(self) -> int:
        """Delete the files of the staging tree that the site no longer has, and the
        folders this leaves empty; returns how many files were deleted."""
        gone = sorted(set(self.staging.present.files) - set(self.stamps))
        for relative in gone:
            self._touch(relative)
            path = safe_join(self.root, relative)
            try:  # gone already when a folder had to make way for a file, or the reverse
                if stat.S_ISREG(os.lstat(path).st_mode):
                    os.unlink(path)
            except OSError:
                pass
        for folder in sorted({parent(relative) for relative in gone + self.staging.removed}, key=len, reverse=True):
            while folder:
                try:
                    os.rmdir(safe_join(self.root, folder))
                except OSError:  # not empty, or already gone
                    break
                self._touch(folder)
                folder = parent(folder)
        return len(gone)

    def seal(self) -> Seal:
        """The seal of the tree as written."""
        folders = {name: value for name, value in self.staging.present.folders.items() if name not in self.touched}
        folders.update(stamp_folders(self.root, self.touched))
        return Seal(dict(self.stamps), folders)


def changed_files(seal: Seal, before: Seal | None) -> int:
    """How many files of the tree sealed by `seal` are not the output's files (`before`):
    new, or written anew."""
    old = before.files if before is not None else {}
    return sum(1 for name, stamp in seal.files.items() if old.get(name) != stamp)
