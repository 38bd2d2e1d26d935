"""Open-data rows kept between builds, by a digest of everything each row is made from.

Open data serializes every record as a JSON line and a CSV row (opendata.py); after an
edit, all records but one serialize as before. The rows of demands, offers and
organizations are therefore kept in a file beside the output (in its state folder,
trees.py), each under the SHA-256 of the global digest (code, settings, regions,
vocabulary, organization names: fingerprint.global_digest), the dataset and the
record's fields (file positions left out). An entry can thus never be stale, and a
damaged file only costs time. The file holds plain bytes, never a pickle, so that what
lies in that folder cannot run code: a header line, then segments, each the number of
its entries, their 32-byte keys, their three lengths each (sort key, JSON line, CSV
row) and then those bytes. A build that added a few rows appends them as a segment
(the file is 90 MB at provincial scale: rewriting it cost 0.2 s of every edit build);
one that finds a quarter of the file unused writes it anew with the rows it used.
"""
from __future__ import annotations

import hashlib
import os
import struct
from itertools import accumulate
from pathlib import Path

from .fingerprint import record_digest
from .organizations import Organization
from .projects import Project

MAGIC = b"zhuanlan-rows 2\n"
_COUNT = struct.Struct("!I")
Row = tuple  # (sort key, JSON line, CSV row), each UTF-8 bytes


class RowCache:
    def __init__(self, path: Path, base: bytes) -> None:
        self.path = path
        self.base = base
        self.rows: dict[bytes, Row] = {}
        self.used: dict[bytes, Row] = {}
        self.added = 0
        try:
            data = path.read_bytes()
        except OSError:
            return
        if data.startswith(MAGIC):
            self.rows = _parse(data, len(MAGIC))

    def key(self, name: str, item) -> bytes | None:
        """The entry key of a record; None for items that are not cached."""
        if type(item) not in (Project, Organization):
            return None
        return hashlib.sha256(self.base + name.encode() + b"\0" + record_digest(item).encode()).digest()

    def get(self, key: bytes) -> Row | None:
        row = self.rows.get(key)
        if row is not None:
            self.used[key] = row
        return row

    def put(self, key: bytes, row: Row) -> None:
        self.used[key] = row
        self.added += 1

    def save(self) -> None:
        """Keep the rows this build made for the next one (unwritable: no cache): appended
        to the file while at most a quarter of it is unused, else the file is written anew
        with the rows this build used."""
        unused = len(self.rows) - (len(self.used) - self.added)
        try:
            if self.rows and 4 * unused <= len(self.rows):
                if self.added:
                    with open(self.path, "ab") as handle:
                        handle.write(_segment({key: row for key, row in self.used.items() if key not in self.rows}))
                return
            temporary = self.path.with_name(self.path.name + ".new")
            try:
                temporary.write_bytes(MAGIC + _segment(self.used))
                os.replace(temporary, self.path)
            finally:
                temporary.unlink(missing_ok=True)
        except OSError:
            pass


def _segment(rows: dict[bytes, Row]) -> bytes:
    lengths = [len(part) for row in rows.values() for part in row]
    return b"".join([_COUNT.pack(len(rows)), *rows, struct.pack(f"!{len(lengths)}I", *lengths),
                     *(part for row in rows.values() for part in row)])


def _parse(data: bytes, at: int) -> dict[bytes, Row]:
    """The rows of every segment from `at`; none when the file is damaged anywhere."""
    rows, size = {}, len(data)
    try:
        while at < size:
            (count,) = _COUNT.unpack_from(data, at)
            keys_at = at + _COUNT.size
            lengths_at = keys_at + 32 * count
            lengths = struct.unpack_from(f"!{3 * count}I", data, lengths_at)
            ends = list(accumulate(lengths, initial=lengths_at + 12 * count))
            at = ends[-1]
            if at > size:
                return {}
            parts = [data[start:end] for start, end in zip(ends, ends[1:])]
            keys = [data[start:start + 32] for start in range(keys_at, lengths_at, 32)]
            rows.update(zip(keys, zip(parts[0::3], parts[1::3], parts[2::3])))
    except struct.error:
        return {}
    return rows
