"""Open-data rows kept between builds, by the digest of the record each row is made from.

Open data serializes every record as a JSON line and a CSV row (opendata.py); after an
edit, all records but one serialize as before, and the files of the datasets the edit
did not touch are taken over unmade (deferred.py), so their rows are not even read. The
rows of demands, offers and organizations are therefore kept in a file beside the output
(in its state folder, trees.py), each under its record's digest (fingerprint.record_digest,
its fields without file positions) in a segment of its dataset. The file's header holds
the SHA-256 of the global digest (code, settings, regions, vocabulary, organization
names: fingerprint.global_digest), which every row also depends on: a file written under
another one is not used at all. An entry can thus never be stale, and a damaged file
only costs time (each segment has a CRC-32: a damaged one is not used, and the file is
written anew). The file holds plain bytes, never a pickle, so that what lies in that
folder cannot run code: the header, then segments, each with its dataset's number, the
number of its entries, the size of their rows and the CRC-32 of what follows: their
32-byte keys, their two lengths each (JSON line, CSV row) and then those bytes. A build
reads the segments of the datasets it makes only. One that added a few rows appends them
as a segment (the file is 90 MB at provincial scale: rewriting it cost 0.2 s of every
edit build); one that finds a quarter of a dataset's kept rows unused writes the file
anew: that dataset's current rows, the other datasets' segments copied unread.
"""
from __future__ import annotations

import hashlib
import os
import struct
import zlib
from itertools import accumulate
from pathlib import Path
from typing import Callable, Iterable

from .fingerprint import record_digest

MAGIC = b"zhuanlan-rows 3\n"
CACHED = ("demands", "offers", "organizations")  # the datasets whose rows are kept (dataset number: position)
_HEAD = struct.Struct("!BIII")  # dataset number, entries, size of their rows, CRC-32 of the rest of the segment
Row = tuple  # (JSON line, CSV row), each UTF-8 bytes (or a read-only view of them, as read from the file)


class RowCache:
    def __init__(self, path: Path, base: bytes) -> None:
        self.path = path
        self.check = hashlib.sha256(base).digest()
        self.segments: list[tuple[int, int, int]] | None = None  # (dataset number, start, end) in the file
        self.kept: dict[str, dict[bytes, Row]] = {}  # what the file holds of each dataset read
        self.current: dict[str, dict[bytes, Row]] = {}  # the rows of each dataset made by this build
        self.added = 0
        self.damaged = False  # a segment read could not be parsed: the file is written anew

    def rows(self, name: str, items: Iterable, make: Callable[[object], Row]) -> list[Row]:
        """The row of each item (records of the dataset `name`, in CACHED): kept ones read
        from the file, the others made by `make`."""
        kept = self._read(name)
        mine = self.current.setdefault(name, {})
        out = []
        for item in items:
            key = bytes.fromhex(record_digest(item))
            row = kept.get(key)
            if row is None:
                row = mine.get(key)
                if row is None:
                    row = make(item)
                    self.added += 1
            mine[key] = row
            out.append(row)
        return out

    def _read(self, name: str) -> dict[bytes, Row]:
        if name not in self.kept:
            number = CACHED.index(name)
            bodies = [self._body(start, end) for kind, start, end in self._segments() if kind == number]
            self.kept[name] = _parse(bodies)
            self.damaged |= bool(bodies) and not self.kept[name]
        return self.kept[name]

    def _segments(self) -> list[tuple[int, int, int]]:
        """Where each segment of the file lies; none when the file is missing, damaged or
        was written under another global digest."""
        if self.segments is None:
            self.segments = _scan(self.path, self.check)
        return self.segments

    def _body(self, start: int, end: int) -> bytes:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(start)
                return handle.read(end - start)
        except OSError:
            return b""

    def save(self) -> None:
        """Keep the rows this build made for the next one (unwritable: no cache): appended
        to the file while at most a quarter of each dataset's kept rows is unused, else
        the file is written anew."""
        if not self.current:
            return
        stale = self.damaged or any(4 * len(self.kept[name].keys() - rows.keys()) > len(self.kept[name])
                                    for name, rows in self.current.items())
        try:
            if self._segments() and not stale:
                added = b"".join(_segment(CACHED.index(name), {k: r for k, r in rows.items()
                                                                 if k not in self.kept[name]})
                                 for name, rows in self.current.items())
                if added:
                    with open(self.path, "ab") as handle:
                        handle.write(added)
                return
            others = [self._body(start, end) for kind, start, end in self._segments()
                      if CACHED[kind] not in self.current]
            temporary = self.path.with_name(self.path.name + ".new")
            try:
                temporary.write_bytes(b"".join([MAGIC, self.check, *others, *(
                    _segment(CACHED.index(name), rows) for name, rows in self.current.items())]))
                os.replace(temporary, self.path)
            finally:
                temporary.unlink(missing_ok=True)
        except OSError:
            pass


def _segment(number: int, rows: dict[bytes, Row]) -> bytes:
    """One segment of a dataset's rows (nothing for no rows), its head included."""
    if not rows:
        return b""
    lengths = [len(part) for row in rows.values() for part in row]
    body = b"".join([*rows, struct.pack(f"!{len(lengths)}I", *lengths),
                     *(part for row in rows.values() for part in row)])
    return _HEAD.pack(number, len(rows), sum(lengths), zlib.crc32(body)) + body


def _scan(path: Path, check: bytes) -> list[tuple[int, int, int]]:
    """(dataset number, start, end) of each segment in the file, its head included."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(MAGIC) + len(check)) != MAGIC + check:
                return []
            size = os.fstat(handle.fileno()).st_size
            at, found = len(MAGIC) + len(check), []
            while at < size:
                head = handle.read(_HEAD.size)
                if len(head) < _HEAD.size:
                    return []
                number, count, data, _check = _HEAD.unpack(head)
                end = at + _HEAD.size + 40 * count + data
                if number >= len(CACHED) or end > size:
                    return []
                found.append((number, at, end))
                handle.seek(end)
                at = end
            return found
    except OSError:
        return []


def _parse(bodies: list[bytes]) -> dict[bytes, Row]:
    """The rows of segments (each with its head); none when one is damaged (its CRC-32 differs).
    A row's parts are read-only views of the segment's bytes, not copies: a dataset's rows are
    35 MB, and copying them out took more than half of reading them; joined into a file or a
    segment (bytes.join takes views), they are copied once."""
    rows: dict[bytes, Row] = {}
    try:
        for body in bodies:
            _number, count, data, check = _HEAD.unpack_from(body)
            view = memoryview(body)
            if zlib.crc32(view[_HEAD.size:]) != check:
                return {}
            keys_at = _HEAD.size
            lengths_at = keys_at + 32 * count
            lengths = struct.unpack_from(f"!{2 * count}I", body, lengths_at)
            ends = list(accumulate(lengths, initial=lengths_at + 8 * count))
            if ends[-1] != len(body) or ends[-1] - ends[0] != data:
                return {}
            parts = [view[start:end] for start, end in zip(ends, ends[1:])]
            keys = [body[start:start + 32] for start in range(keys_at, lengths_at, 32)]
            rows.update(zip(keys, zip(parts[0::2], parts[1::2])))
    except struct.error:
        return {}
    return rows
