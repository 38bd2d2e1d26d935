"""The filter files (f/<filter>/<value>.bin) brought up to date for a few changed documents.

Which filter values a document answers to (its kind, its status, its fields by their
slugs, its regions) follows from its facets, which the state keeps for each document as
a line of JSON (search_state.py): a document with the same digest at the same number has
the same facets, so the lines of the documents that did not change stay true. A patch
takes each changed document out of the lists of the values its old facets gave and puts
it into those its new ones give; only those files are encoded again, the others are the
output's. When the document count changes how lists are encoded, or the field slugs are
not those the output's files were written with, every filter file is made anew from the
facets of all documents (the lines kept, and the changed documents).
"""
from __future__ import annotations

import json
import operator
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from .search_index import encode_numbers, filter_files
from .search_lists import decode_numbers


class Facets(NamedTuple):
    """What the filters select a document by (the attributes of a SearchDoc of these names)."""
    kind: str
    status: str
    fields: list[str]
    regions: tuple[str, ...]


def facet_lines(docs: Sequence) -> list[bytes]:
    """Each document's facets as a line of JSON (documents with the same facets share one)."""
    known: dict[tuple, bytes] = {}
    out = []
    for doc in docs:
        key = (doc.kind, doc.status, tuple(doc.fields), doc.regions)
        line = known.get(key)
        if line is None:
            line = known[key] = json.dumps([doc.kind, doc.status, doc.fields, doc.regions], ensure_ascii=False,
                                           separators=(",", ":")).encode("utf-8")
        out.append(line)
    return out


def current_lines(lines: list[bytes], digests: list[bytes], new_digests: list[bytes], docs: Sequence) -> list[bytes]:
    """The facet lines of `docs`, whose digests are `new_digests`: the line kept (`lines`,
    of documents with `digests`) where the document at a number has the same digest, else
    made from the document."""
    kept = min(len(lines), len(digests), len(new_digests))
    same = list(map(operator.eq, digests[:kept], new_digests[:kept]))
    made = [number for number, equal in enumerate(same) if not equal] + list(range(kept, len(new_digests)))
    out = lines[:kept] + [b""] * (len(new_digests) - kept)
    for number, line in zip(made, facet_lines([docs[number] for number in made])):
        out[number] = line
    return out


def read_facets(line: bytes) -> Facets:
    kind, status, fields, regions = json.loads(line)
    if not (isinstance(kind, str) and isinstance(status, str) and isinstance(fields, list)
            and isinstance(regions, list) and all(isinstance(item, str) for item in fields + regions)):
        raise ValueError("a facet line is not in its form")
    return Facets(kind, status, fields, tuple(regions))


def memberships(doc, field_slugs: dict[str, str]) -> set[tuple[str, str]]:
    """The (filter, value) pairs a document answers to: as search_index.filter_values has them."""
    out = {("kind", doc.kind)}
    if doc.status:
        out.add(("status", doc.status))
    out.update(("field", field_slugs[name]) for name in doc.fields if name in field_slugs)
    out.update(("region", code) for code in doc.regions)
    return out


def _name(pair: tuple[str, str]) -> str:
    return f"f/{pair[0]}/{pair[1]}.bin"


def patch_filters(previous, lines: list[bytes], docs: Sequence, changed: list[int], field_slugs: dict[str, str],
                  in_place: bool) -> tuple[dict[str, bytes], dict[str, list[str]], list[str]]:
    """The filter files that change ({path under search-index/: bytes}), the filters'
    values for meta.json, and the output's filter files that stay. `lines`: the facets of
    the output's documents, by number; `docs`: the new documents (only the changed ones
    are read). `in_place`: whether the untouched files stay as they are (every list is
    encoded alike at both document counts, and the slugs are the output's)."""
    old_count, new_count = len(lines), len(docs)
    changed_set = set(changed)
    if not in_place:
        facets = [docs[n] if n in changed_set else read_facets(lines[n]) for n in range(new_count)]
        files, values = filter_files(facets, field_slugs)
        return files, values, []
    adds: dict[tuple[str, str], set[int]] = defaultdict(set)
    drops: dict[tuple[str, str], set[int]] = defaultdict(set)
    for number in changed:
        before = memberships(read_facets(lines[number]), field_slugs) if number < old_count else set()
        after = memberships(docs[number], field_slugs) if number < new_count else set()
        for pair in after - before:
            adds[pair].add(number)
        for pair in before - after:
            drops[pair].add(number)
    filters = previous.meta.get("filters")
    if not (isinstance(filters, dict) and all(isinstance(held, list) and all(isinstance(value, str) for value in held)
                                              for held in filters.values())):
        raise ValueError("meta.json's filters are not in their form")
    values = {name: set(held) for name, held in filters.items()}
    files = {}
    for pair in adds.keys() | drops.keys():
        present = values.setdefault(pair[0], set())
        numbers: set[int] = set()
        if pair[1] in present:
            data = previous.file(_name(pair))
            listed, end = decode_numbers(data, 0, old_count)
            numbers = set(listed)
            if end != len(data) or len(numbers) != len(listed):
                raise ValueError(f"{_name(pair)} is not a filter file")
        if not (drops[pair] <= numbers and not adds[pair] & numbers):
            raise ValueError(f"{_name(pair)} does not hold what the facets kept say")
        numbers = (numbers - drops[pair]) | adds[pair]
        if numbers:
            files[_name(pair)] = encode_numbers(sorted(numbers), new_count)
            present.add(pair[1])
        else:
            present.discard(pair[1])
    kept = [_name((name, value)) for name, held in values.items() for value in held]
    return files, {name: sorted(held) for name, held in values.items()}, [name for name in kept if name not in files]
