"""The JSON text of each list of the match index, kept in the cache beside the half it
belongs to, so that data/match-index.json after an edit serializes again only the lists
that changed: json.dumps of every list of a provincial index takes over a second, and an
edit leaves most lists as they were.

A half's texts are stored as one UTF-8 blob with each list's span, under the half's own
cache key (texts-KEY; the key names everything the half is computed from, code included).
A text stands for one list object: a list of the current index takes a stored text only
when it is the very object the text was made from. That is every list of a half read back
whole from the cache, and, of a half computed again from its state, each list matching.py
took over unchanged from the earlier half (match_state.earlier_list returns that object);
every other list is serialized. A missing, damaged or unsigned file only costs the time
of serializing (cachefile.load).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import cachefile


def list_text(items: list[dict]) -> bytes:
    """A list as it stands in the index's JSON."""
    return json.dumps(items, ensure_ascii=False).encode("utf-8")


@dataclass
class HalfTexts:
    """One half of the index as index_json reads it: its lists by attribute of MatchIndex
    (demand_offers, …) and id; `source`, a texts file made from the lists in `described`
    (the same dicts of lists, or an earlier half's); `target`, where this half's texts go,
    unless `stored` says they are there already."""
    lists: dict[str, dict[str, list]]
    target: Path
    source: Path | None = None
    described: dict[str, dict[str, list]] = field(default_factory=dict)
    stored: bool = False


class ListTexts:
    """The texts of the lists of an index made of halves (HalfTexts): stored ones where
    they stand for the same list object, else serialized; save() stores each half's."""

    def __init__(self, halves: list[HalfTexts]) -> None:
        self.halves = halves
        self.made: dict[str, dict[str, bytes | memoryview]] = {}  # attribute -> id -> text
        self.files: dict[Path, tuple[memoryview | bytes, dict]] = {}  # texts files read

    def texts(self, attribute: str) -> dict[str, bytes | memoryview]:
        """The JSON text of each list of index.<attribute>, by id."""
        made = self.made.get(attribute)
        if made is None:
            half = next(half for half in self.halves if attribute in half.lists)
            described = half.described.get(attribute, {})
            if described and half.source not in self.files:
                self.files[half.source] = _stored(half.source)
            blob, spans = self.files[half.source] if described else (b"", {})
            spans = spans.get(attribute, {})
            made = self.made[attribute] = {}
            for ident, items in half.lists[attribute].items():
                span = spans.get(ident) if described.get(ident) is items else None
                made[ident] = list_text(items) if span is None else blob[span[0]:span[1]]
        return made

    def save(self) -> None:
        """Store the texts of each half not stored yet whose lists have all been written
        out (index_json): a command that never writes the JSON stores none."""
        for half in self.halves:
            if half.stored or not all(attribute in self.made for attribute in half.lists):
                continue
            spans: dict[str, dict[str, tuple[int, int]]] = {}
            parts, at = [], 0
            for attribute in half.lists:
                into = spans[attribute] = {}
                for ident, text in self.made[attribute].items():
                    into[ident] = (at, at + len(text))
                    parts.append(text)
                    at += len(text)
            cachefile.dump(half.target, (b"".join(parts), spans))
            half.stored = True


def _stored(path: Path | None) -> tuple[memoryview | bytes, dict]:
    """A texts file's blob and spans (attribute -> id -> (start, stop)); nothing when it
    is missing, damaged or not ours."""
    loaded = cachefile.load(path) if path is not None else None
    if isinstance(loaded, tuple) and len(loaded) == 2 and isinstance(loaded[0], bytes) and isinstance(loaded[1], dict):
        return memoryview(loaded[0]), loaded[1]
    return b"", {}
