"""Seals: what a built tree held when its build finished, to tell later whether it still does.

A seal records, for every file of a tree, its (inode, size, modification time) and, for
every folder (the root is ""), its (inode, modification time, change time). A folder's
times change whenever an entry is added, removed or renamed in it, a file's modification
time whenever it is written; so a folder whose stamp is the sealed one still holds exactly
the entries it held, and a file whose stamp is the sealed one still holds the bytes it
held. A folder's change time cannot be set back by hand (`touch` sets only the other two),
so a link planted in a folder is found even if its modification time was restored.
The root is renamed when trees swap places, which changes its change time: only its
inode is compared, and it is always listed. Checking a tree against its seal therefore
needs one `lstat` per entry and no walk; only folders whose stamp changed are listed, to
find what was added to them. Nothing is followed: a link where a folder or file was is
not the sealed entry.
"""
from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

Stamp = tuple  # (inode, size, mtime_ns) of a file; (inode, mtime_ns, ctime_ns) of a folder


def file_stamp(status: os.stat_result) -> Stamp:
    return status.st_ino, status.st_size, status.st_mtime_ns


def folder_stamp(status: os.stat_result) -> Stamp:
    return status.st_ino, status.st_mtime_ns, status.st_ctime_ns


def parent(relative: str) -> str:
    return relative.rpartition("/")[0]


def ancestors(relative: str) -> list[str]:
    """The folders holding relative, from its own folder up to the root ("")."""
    found = []
    while relative:
        relative = parent(relative)
        found.append(relative)
    return found


@dataclass
class Seal:
    files: dict[str, Stamp] = field(default_factory=dict)
    folders: dict[str, Stamp] = field(default_factory=dict)


def _stamps(names: list, numbers: list) -> dict[str, Stamp]:
    if len(numbers) != 3 * len(names):
        raise ValueError("a seal's names and stamps differ in number")
    numbers = iter(numbers)
    return dict(zip(names, zip(numbers, numbers, numbers)))


def read_seal(path: Path) -> Seal | None:
    """The seal written at path, or None when it is missing or not one. The stamps are
    kept as one flat list of numbers beside the sorted names: a list per entry made
    reading a seal of 140,000 entries take 0.23 s instead of 0.06 s."""
    try:
        data = json.loads(path.read_bytes())
        return Seal(_stamps(data["files"], data["file_stamps"]), _stamps(data["folders"], data["folder_stamps"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_seal(path: Path, seal: Seal) -> None:
    temporary = path.with_name(path.name + ".new")
    files, folders = sorted(seal.files), sorted(seal.folders)
    temporary.write_text(json.dumps({
        "files": files, "file_stamps": [number for name in files for number in seal.files[name]],
        "folders": folders, "folder_stamps": [number for name in folders for number in seal.folders[name]],
    }, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


def stamp_folders(root: Path, folders) -> dict[str, Stamp]:
    """The current stamps of the given folders of root (those that exist)."""
    stamps = {}
    for folder in folders:
        try:
            status = os.lstat(os.path.join(root, folder))
        except OSError:
            continue
        if stat.S_ISDIR(status.st_mode):
            stamps[folder] = folder_stamp(status)
    return stamps


@dataclass
class Inspection:
    """What of a sealed tree is as sealed (`seal`: those files and folders, with their
    stamps) and what is not (`untrusted`: entries to remove, relative paths)."""
    seal: Seal
    untrusted: list[str]


def _lstat_in(root: Path):
    """lstat of a path relative to root. Where the system allows, through a descriptor of
    root, which spares joining and resolving root's own path for each of 140,000 entries
    (a third of a check's time); the caller closes what it returns second."""
    if os.stat in os.supports_dir_fd and os.stat in os.supports_follow_symlinks:
        descriptor = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        return (lambda relative: os.stat(relative or ".", dir_fd=descriptor, follow_symlinks=False)), descriptor
    return (lambda relative: os.lstat(os.path.join(root, relative))), None


def inspect(root: Path, seal: Seal) -> Inspection | None:
    """Check root against its seal; None when the root itself is not the sealed folder."""
    if "" not in seal.folders:
        return None
    try:
        lstat, descriptor = _lstat_in(root)
    except OSError:
        return None
    try:
        return _inspect(root, seal, lstat)
    finally:
        if descriptor is not None:
            os.close(descriptor)


def _inspect(root: Path, seal: Seal, lstat) -> Inspection | None:
    present = Seal()
    untrusted: list[str] = []
    changed: list[str] = []
    for folder in sorted(seal.folders):  # a folder after the one holding it
        if folder and parent(folder) not in present.folders:
            continue  # inside a folder that goes: goes with it
        try:
            status = lstat(folder)
        except OSError:
            continue
        if not stat.S_ISDIR(status.st_mode) or status.st_ino != seal.folders[folder][0]:
            if not folder:
                return None
            untrusted.append(folder)
            continue
        present.folders[folder] = folder_stamp(status)
        if not folder or present.folders[folder] != seal.folders[folder]:
            changed.append(folder)
    folders = present.folders
    for name, sealed in seal.files.items():
        if name.rpartition("/")[0] not in folders:
            continue
        try:
            status = lstat(name)
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode) and file_stamp(status) == sealed:
            present.files[name] = sealed
        else:
            untrusted.append(name)
    for folder in changed:  # entries added since
        with os.scandir(os.path.join(root, folder)) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if name not in seal.files and name not in seal.folders:
                    untrusted.append(name)
    return Inspection(present, sorted(untrusted))
