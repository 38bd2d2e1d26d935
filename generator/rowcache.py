"""Open-data rows kept between builds, by a digest of everything each row is made from.

Open data serializes every record as a JSON line and a CSV row (opendata.py); after an
edit, all records but one serialize as before. The rows of demands, offers and
organizations are therefore kept in a file beside the output (in its state folder,
trees.py), each under the SHA-256 of the global digest (code, settings, regions,
vocabulary, organization names: fingerprint.global_digest), the dataset and the
record's fields (file positions left out). An entry can thus never be stale, and a
damaged file only costs time. The file holds plain bytes, never a pickle, so that what
lies in that folder cannot run code: a header line, then per entry the 32-byte key,
three lengths and the sort key, the JSON line and the CSV row (UTF-8).
"""
from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

from .fingerprint import record_digest
from .organizations import Organization
from .projects import Project

MAGIC = b"zhuanlan-rows 1\n"
_LENGTHS = struct.Struct("!III")
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
            self.rows = _parse(memoryview(data)[len(MAGIC):])

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
        """Write the entries this build used, when it added any (unwritable: no cache)."""
        if not self.added and len(self.used) == len(self.rows):
            return
        parts = [MAGIC]
        for key, (sort, line, row) in self.used.items():
            parts += [key, _LENGTHS.pack(len(sort), len(line), len(row)), sort, line, row]
        temporary = self.path.with_name(self.path.name + ".new")
        try:
            temporary.write_bytes(b"".join(parts))
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)


def _parse(data: memoryview) -> dict[bytes, Row]:
    rows, at, size = {}, 0, len(data)
    try:
        while at < size:
            key = bytes(data[at:at + 32])
            lengths = _LENGTHS.unpack_from(data, at + 32)
            at += 32 + _LENGTHS.size
            parts = []
            for length in lengths:
                parts.append(bytes(data[at:at + length]))
                at += length
            if at > size or len(key) != 32:
                return {}
            rows[key] = tuple(parts)
    except struct.error:
        return {}
    return rows
