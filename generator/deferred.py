"""Deferred outputs: what a page or file is made from, made only when it must be.

A Deferred holds a `key`, plain data (str, bytes, int, float, bool, None, and lists,
tuples and dicts of them) that changes whenever what `make` returns would, and `make`
itself. A build fingerprints the key (fingerprint.key_fingerprint: marshal writes it,
sha256 digests it) and compares it with the fingerprint its previous build recorded
for the same file: the same, and the file is kept or taken over from the output, never
made. Record pages defer their contexts (views_records.py: 40,000 contexts of
recommendations, of which an edit changes a few hundred), and so do listing pages and
the front, region, field and statistics pages (views_places.py); open data defers the
JSON and CSV of each dataset and region (keyed by their records' digests) and each
region's workbook, and feeds.py each Atom feed (serializing, compressing and writing XML
are most of their cost).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .fingerprint import key_fingerprint


@dataclass(frozen=True)
class Deferred:
    key: object
    make: Callable[[], object]


def made(value):
    """The value, or what a Deferred makes."""
    return value.make() if type(value) is Deferred else value


def write_deferred(writer, files: dict, base: bytes, kept: dict[str, str], before: dict[str, str]) -> dict[str, str]:
    """Write files (site path -> bytes or Deferred) with writer; a Deferred whose fingerprint
    is `kept`'s (recorded for the staging tree's file) or `before`'s (the output's) is kept
    or taken over unmade (TreeWriter.reuse). Returns the Deferred files' fingerprints."""
    prints: dict[str, str] = {}
    for name in sorted(files):
        value = files[name]
        if type(value) is Deferred:
            prints[name] = print_ = key_fingerprint(base, "", name, value.key)
            if writer.reuse(name, print_, kept, before):
                continue
            value = value.make()
        writer.write(name, value)
    return prints
