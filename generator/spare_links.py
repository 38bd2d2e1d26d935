"""Linking a sealed tree's files into an empty folder: how a spare is made from the output
(trees.py) when there is none, with hard links, never copies."""
from __future__ import annotations

import os
from pathlib import Path

from .forking import forked_map
from .seal import Seal, ancestors, file_stamp, parent, stamp_folders

LINKS_PER_WORKER = 5000  # below this many files, one process links them all


def link_tree(source: Path, seal: Seal, target: Path, workers: int = 2) -> Seal:
    """Hard-link source's files that are as sealed into the empty folder target; its seal.
    The files are shared among `workers` forked processes when there are many: the links and
    folders are kernel work (92,000 files and 48,000 folders took 7 s in one process while the
    build waited), and the files of one folder go to one process, in sorted order."""
    names = sorted(seal.files)
    count = workers if workers > 1 and len(names) >= LINKS_PER_WORKER * workers else 1
    share = -(-len(names) // count)
    parts = forked_map(lambda number: _link_files(source, seal, target, names[number * share:(number + 1) * share]),
                       count, count)
    made = Seal()
    for files, folders in parts:
        made.files.update(files)
        made.folders.update(folders)
    made.folders = stamp_folders(target, made.folders or [""])
    return made


def _link_files(source: Path, seal: Seal, target: Path, names: list[str]) -> tuple[dict, dict]:
    """Link these files of source that are as sealed into target: (their stamps, the folders made)."""
    files: dict = {}
    folders: dict = {}
    for relative in names:
        old = os.path.join(source, relative)
        try:
            if file_stamp(os.lstat(old)) != seal.files[relative]:
                continue
            if parent(relative) not in folders:
                os.makedirs(os.path.join(target, parent(relative)), exist_ok=True)  # another process may make it too
                folders.update(dict.fromkeys(ancestors(relative)))
            os.link(old, os.path.join(target, relative))
        except OSError:  # gone meanwhile, or links not allowed: the next build writes it
            continue
        files[relative] = seal.files[relative]
    return files, folders
