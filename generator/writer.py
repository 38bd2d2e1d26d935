"""Writing the site into its staging folder: every path checked to stay inside it,
and files whose bytes did not change since the previous build taken over from it.

An unchanged file is hard-linked from the previous output instead of written, so
it keeps its inode and modification time: copying the site to the portal (rsync)
transfers only the pages that really changed.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path


@functools.lru_cache(maxsize=64)
def _real(base: str) -> str:
    return os.path.realpath(base)


def safe_join(base: Path, relative: str) -> Path:
    """base/relative, refusing any path that would land outside base (a commonpath test:
    a prefix test would let /out-evil pass for /out). The check is lexical: the staging
    tree is ours and holds no links (build.verify_tree proves it before the swap)."""
    root = _real(str(base))
    target = os.path.normpath(os.path.join(root, relative))
    if os.path.commonpath([root, target]) != root or target == root:
        raise ValueError(f"path escapes the output folder: {relative}")
    return Path(target)


class TreeWriter:
    def __init__(self, staging: Path, previous: Path | None = None) -> None:
        self.staging = staging
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.written = 0
        self.changed = 0

    def _same_as_before(self, relative: str, data: bytes) -> Path | None:
        if self.previous is None:
            return None
        old = os.path.join(self.previous, relative)
        try:
            if os.path.islink(old) or os.path.getsize(old) != len(data):
                return None
            with open(old, "rb") as handle:
                return Path(old) if handle.read() == data else None
        except OSError:
            return None

    def write(self, relative: str, data: bytes) -> None:
        target = safe_join(self.staging, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.written += 1
        old = self._same_as_before(relative, data)
        if old is not None:
            try:
                os.link(old, target)
                return
            except OSError:  # another file system, or links not allowed: write it
                pass
        target.write_bytes(data)
        self.changed += 1

    def take_over(self, relative: str) -> bool:
        """Link the previous build's file into staging unread (its inputs did not change)."""
        if self.previous is None:
            return False
        old = os.path.join(self.previous, relative)
        target = safe_join(self.staging, relative)
        try:
            if os.path.islink(old) or not os.path.isfile(old):
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, target)
        except OSError:
            return False
        self.written += 1
        return True

    def adopt_unchanged(self) -> None:
        """For files already in staging (written by Pelican): take over identical old ones."""
        for folder, _dirs, files in os.walk(self.staging):
            for name in files:
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, self.staging)
                with open(path, "rb") as handle:
                    data = handle.read()
                os.unlink(path)
                self.write(relative, data)
