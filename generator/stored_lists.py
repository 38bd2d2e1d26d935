"""A half of the match index read back by a small summary instead of whole.

On a build after an edit, the parent needs of a half the cache holds only, per list, its
digest and the ids of the records it names (the record pages' keys, views_records.py);
the lists themselves only for the few hundred pages rendered, and their JSON texts only
in the process writing data/match-index.json. Unpickling a whole half (hundreds of
thousands of nested dicts) cost the parent far more than all of that. So beside each half
the cache keeps its lists' JSON texts as one plain UTF-8 file (texts-KEY) and a signed
summary (summary-KEY, cachefile.py): per list its span in that file, its digest
(list_digests.py) and the ids it names, and the sha256 of the whole file.

The texts file is not signed itself. A list is taken from it only when the JSON at its
span decodes to a list whose digest is the summary's, and a whole file's texts only when
its sha256 is the summary's; anything else (a file missing, changed, or planted) costs the
time of loading the half whole, or of computing it when that is gone too: never a wrong
list.
"""
from __future__ import annotations

import hashlib
import json
import mmap
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import cachefile
from .list_digests import list_digest

Entry = tuple  # (start, stop, digest, named ids): one list as the summary describes it


@dataclass
class Summary:
    """What a stored half's texts file holds, signed: `lists` by MatchIndex attribute and
    id; `blob`, the sha256 of the whole file; `key`, the half's cache key."""
    key: str
    blob: bytes
    lists: dict[str, dict[str, Entry]]


def texts_path(folder: Path, key: str) -> Path:
    return folder / f"texts-{key}"


def summary_path(folder: Path, key: str) -> Path:
    return folder / f"summary-{key}"


def load_summary(folder: Path, key: str) -> Summary | None:
    """The summary stored for the half under `key`; None when missing, damaged or not ours."""
    summary = cachefile.load(summary_path(folder, key))
    if isinstance(summary, Summary) and summary.key == key and isinstance(summary.lists, dict):
        return summary
    return None


def verified_texts(folder: Path, summary: Summary | None) -> bytes | None:
    """The whole texts file the summary describes, when it is that very file."""
    if summary is None:
        return None
    try:
        blob = texts_path(folder, summary.key).read_bytes()
    except OSError:
        return None
    return blob if hashlib.sha256(blob).digest() == summary.blob else None


def store(folder: Path, key: str, blob: bytes, spans: dict[str, dict[str, tuple[int, int]]],
          lists: dict[str, Mapping[str, list]], digests: dict[str, dict[str, bytes]]) -> None:
    """Keep a half's texts (`blob`, each list's `spans` in it) and its summary; the texts
    first, so that a summary never describes a file not written yet. An unwritable cache
    folder only costs time."""
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, texts_path(folder, key))
    except OSError:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        return
    entries = {attribute: {ident: (start, stop, digests.get(attribute, {}).get(ident) or list_digest(lists[attribute][ident]),
                                   tuple(item["id"] for item in lists[attribute][ident]))
                           for ident, (start, stop) in into.items()}
               for attribute, into in spans.items()}
    cachefile.dump(summary_path(folder, key), Summary(key, hashlib.sha256(blob).digest(), entries))


class StoredHalf:
    """A half read back by its summary. Its lists are read one by one from the texts file
    (mapped, not read whole) when asked for; `whole` gives every list of the half, by
    attribute and id, from the half's pickle or computed again, should the file fail."""

    def __init__(self, folder: Path, summary: Summary, whole: Callable[[], dict[str, Mapping[str, list]]]) -> None:
        self.folder = folder
        self.summary = summary
        self._whole = whole
        self._mapped: mmap.mmap | bytes | None = None
        self._fallback: dict[str, Mapping[str, list]] | None = None

    def lists(self, attribute: str) -> "StoredLists":
        return StoredLists(self, attribute)

    def read(self, attribute: str, ident: str, entry: Entry) -> list:
        """One list: from the texts file when it decodes to the summary's digest, else whole."""
        start, stop, digest = entry[0], entry[1], entry[2]
        text = self._texts()[start:stop]
        if len(text) == stop - start:
            try:
                items = json.loads(text)
            except ValueError:
                items = None
            if isinstance(items, list) and list_digest(items) == digest:
                return items
        if self._fallback is None:
            self._fallback = self._whole()
        return self._fallback[attribute][ident]

    def _texts(self) -> mmap.mmap | bytes:
        if self._mapped is None:
            try:
                with open(texts_path(self.folder, self.summary.key), "rb") as handle:
                    self._mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # missing, or empty
                self._mapped = b""
        return self._mapped


class StoredLists(Mapping):
    """One attribute's lists of a StoredHalf, by id: what a MatchIndex attribute holds.
    Which ids it has, their digests and the ids their lists name cost nothing more; a list
    is read (once) when looked up."""

    def __init__(self, half: StoredHalf, attribute: str) -> None:
        self.half = half
        self.attribute = attribute
        self.entries = half.summary.lists.get(attribute, {})
        self._read: dict[str, list] = {}

    def __getitem__(self, ident: str) -> list:
        items = self._read.get(ident)
        if items is None:
            items = self._read[ident] = self.half.read(self.attribute, ident, self.entries[ident])
        return items

    def __contains__(self, ident: object) -> bool:
        return ident in self.entries

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)
