"""The JSON text of each list of the match index, kept in the cache beside the half it
belongs to, so that data/match-index.json after an edit serializes again only the lists
that changed: json.dumps of every list of a provincial index takes over a second, and an
edit leaves most lists as they were.

A half's texts are stored as one UTF-8 file with a signed summary of each list's span in
it, under the half's own cache key (stored_lists.py; the key names everything the half is
computed from, code included). A text stands for one list object: a list of the current
index takes a stored text only when it is the very object the text was made from. That is
every list of a half read back by its summary (stored_lists.StoredHalf: its lists are the
summary's), and, of a half computed again from its state, each list matching.py took over
unchanged from the earlier half (match_state.earlier_list returns that object); every
other list is serialized. A missing or damaged file, or one that is not the summary's,
only costs the time of serializing.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import stored_lists
from .stored_lists import Summary


_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode  # json.dumps's text, 18 % sooner


def list_text(items: list[dict]) -> bytes:
    """A list as it stands in the index's JSON."""
    return _ENCODE(items).encode("utf-8")


@dataclass
class HalfTexts:
    """One half of the index as index_json reads it: its lists by attribute of MatchIndex
    (demand_offers, …) and id, stored under `key` in `folder`; `source`, the summary of
    stored texts made from the lists in `described` (an earlier half's), or, when `stored`,
    of this very half's texts (then every list of `lists` is one the summary describes);
    `digests`, each list's (list_digests.py), for the summary a save() writes."""
    lists: dict[str, Mapping[str, list]]
    folder: Path
    key: str
    source: Summary | None = None
    described: dict[str, dict[str, list]] = field(default_factory=dict)
    stored: bool = False
    digests: dict[str, dict[str, bytes]] = field(default_factory=dict)


class ListTexts:
    """The texts of the lists of an index made of halves (HalfTexts): stored ones where
    they stand for the same list object, else serialized; save() stores each half's."""

    def __init__(self, halves: list[HalfTexts]) -> None:
        self.halves = halves
        self.made: dict[str, dict[str, bytes | memoryview]] = {}  # attribute -> id -> text
        self.files: dict[str, memoryview | None] = {}  # texts files read, by key, when they are the summary's

    def texts(self, attribute: str) -> dict[str, bytes | memoryview]:
        """The JSON text of each list of index.<attribute>, by id."""
        made = self.made.get(attribute)
        if made is None:
            half = next(half for half in self.halves if attribute in half.lists)
            blob = self._file(half.source, half.folder)
            entries = half.source.lists.get(attribute, {}) if blob is not None else {}
            lists = half.lists[attribute]
            if half.stored and blob is not None:  # every list is the summary's: no list is read
                made = {ident: blob[entries[ident][0]:entries[ident][1]] for ident in lists}
            else:
                described = half.described.get(attribute, {})
                made = {}
                for ident, items in lists.items():
                    entry = entries.get(ident) if described.get(ident) is items else None
                    made[ident] = list_text(items) if entry is None else blob[entry[0]:entry[1]]
            self.made[attribute] = made
        return made

    def _file(self, summary: Summary | None, folder: Path) -> memoryview | None:
        if summary is None:
            return None
        if summary.key not in self.files:
            blob = stored_lists.verified_texts(folder, summary)
            self.files[summary.key] = memoryview(blob) if blob is not None else None
        return self.files[summary.key]

    def save(self) -> None:
        """Store the texts of each half not stored yet whose lists have all been written
        out (index_json), with its summary: a command that never writes the JSON stores none."""
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
            stored_lists.store(half.folder, half.key, b"".join(parts), spans, half.lists, half.digests)
            half.stored = True
