"""The search index brought up to date by patching the output's, when few documents changed.

Documents keep their numbers when a record is edited (they are ordered by date, kind and
key), so after an edit most of the index is what the output already holds. The output's
index is described by its meta.json and by the state its build kept (search_state.py:
each document's digest). The update:

  1. finds the documents whose digest changed, and those added or removed at the end;
  2. for each, the signatures of its bigrams before (from the output's d/<n>.json) and
     after: the posting lists where they differ are the touched ones;
  3. reads the output's shards and big-list files that hold touched lists, decodes those
     lists only, patches and re-encodes them; a list that grows past BIG_LIST or shrinks
     below it moves between its shard and files of its own;
  4. recomputes the filter files, the changed documents' files and meta.json.

Every other file is the output's, taken over unread. What it writes is byte for byte
what search_index.build_index writes for the same documents, or it gives no patch, only
the reason why not (the caller then builds the whole index): a version, code or state
that is not the output's index's, an output file not as sealed or not in the index's
form, too many changed documents, a shard count that would change, or a document count
that changes where the count alters how untouched lists are encoded.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from . import search_index
from .search_docs import SearchDoc
from .search_filters import patch_filters
from .search_index import big_names, doc_bigrams, doc_file, meta_file, shard_count, shard_of, signatures
from .search_lists import (decode_numbers, encode, patch, positions, read_shard, read_varint, signature_array,
                           signature_bytes, split)
from .search_state import IndexState

MAX_CHANGED = 2000  # documents; beyond this, building the whole index is about as fast


@dataclass
class Patch:
    """The updated index: `files` to write ({path under search-index/: bytes}), `carried`
    the output's files that stay as they are, `small` the bytes of its small lists."""
    files: dict[str, bytes]
    carried: list[str]
    small: int


class Previous:
    """The output's index: meta.json's values, and its files read only while they are as
    their seal says (`read`, a function of the path under search-index/ giving bytes or None)."""

    def __init__(self, meta: dict, read) -> None:
        self.meta = meta
        self.read = read

    def file(self, name: str) -> bytes:
        data = self.read(name)
        if data is None:
            raise LookupError(f"the output's search-index/{name} is not as sealed")
        return data

    def doc_signatures(self, number: int) -> dict[str, int]:
        record = json.loads(self.file(f"d/{number}.json"))
        title, body = record["t"], record["b"]
        if not (isinstance(title, str) and isinstance(body, str)):
            raise ValueError(f"d/{number}.json is not a search document")
        return signatures(title, body)


def plan_update(previous: Previous, state: IndexState, code: str, context: str, docs: Sequence[SearchDoc],
                digests: list[bytes], field_slugs: dict[str, str], digest: str) -> Patch | str:
    """The patch that turns the output's index into the index of `docs`, or why there is none.
    Only the changed documents are read from `docs` (search_digests.Documents makes them
    then). `context`: the build's (search_digests.context_digest: the field slugs among
    what it covers), which the filter files of the output were made with when the state's is it."""
    meta = previous.meta
    old_count, new_count = meta.get("docs"), len(docs)
    if meta.get("version") != search_index.VERSION or state.code != code or meta.get("digest") != state.index:
        return "the state kept is not the output index's, or the code changed"
    if type(old_count) is not int or old_count != len(state.docs) or type(meta.get("shards")) is not int:
        return "the output's meta.json does not match the state kept"
    low = min(old_count, new_count)
    changed = [n for n in range(low) if state.docs[n] != digests[n]] + list(range(low, max(old_count, new_count)))
    if len(changed) > MAX_CHANGED:
        return f"{len(changed)} documents changed"
    if not _same_forms(old_count, new_count) and 3 * low < 8 * search_index.BIG_LIST:
        return "the document count changes how small lists are encoded"
    try:
        return _patch(previous, state, docs, changed, field_slugs, digest, state.context == context)
    except (LookupError, ValueError, TypeError, OverflowError) as error:  # KeyError, IndexError: LookupError
        return f"the output's index cannot be read: {error}"


def _same_forms(old: int, new: int) -> bool:
    """Whether every list is encoded alike among `old` and among `new` documents: the same
    choice of gaps or bitmap (8 * length > count) and the same bitmap size."""
    return old // 8 == new // 8 and (old + 7) // 8 == (new + 7) // 8


def _touched(previous: Previous, docs: Sequence[SearchDoc], changed: list[int],
             old_count: int) -> tuple[dict[str, dict[int, int | None]], set[str]]:
    """{bigram: {document: its new signature, or None}} where a changed document's differ,
    and the bigrams whose documents change (not only their signatures)."""
    delta: dict[str, dict[int, int | None]] = defaultdict(dict)
    moved: set[str] = set()
    for number in changed:
        before = previous.doc_signatures(number) if number < old_count else {}
        after = doc_bigrams(docs[number]) if number < len(docs) else {}
        for bigram in before.keys() | after.keys():
            old, new = before.get(bigram), after.get(bigram)
            if old != new:
                delta[bigram][number] = new
                if old is None or new is None:
                    moved.add(bigram)
    return delta, moved


def _new_signatures(previous: Previous, bigram: str, changes: dict[int, int], count: int) -> bytes:
    """A big list's signatures file with these documents' signatures changed (the same documents)."""
    numbers_file, sigs_file = big_names(bigram)
    sigs = signature_array(previous.file(sigs_file))
    for at, signature in zip(positions(previous.file(numbers_file), count, list(changes)), changes.values()):
        sigs[at] = signature
    return signature_bytes(sigs)


def _patch(previous: Previous, state: IndexState, docs: Sequence[SearchDoc], changed: list[int],
           field_slugs: dict[str, str], digest: str, same_slugs: bool) -> Patch | str:
    meta = previous.meta
    old_count, new_count, shards = meta["docs"], len(docs), meta["shards"]
    big = {meta["big"][at:at + 2] for at in range(0, len(meta["big"]), 2)}
    delta, moved = _touched(previous, docs, changed, old_count)
    if not _same_forms(old_count, new_count):  # every list so encoded is big (plan_update): re-encode those
        for bigram in big:
            data = previous.file(big_names(bigram)[0])
            if data[0] == 1 or 8 * read_varint(data, 1)[0] > min(old_count, new_count):
                delta.setdefault(bigram, {})
                moved.add(bigram)
    shard_lists: dict[int, dict[str, bytes]] = {}

    def shard(number: int) -> dict[str, bytes]:
        if number not in shard_lists:
            shard_lists[number] = read_shard(previous.file(f"s/{number}.bin"))
        return shard_lists[number]

    files: dict[str, bytes] = {}
    small = state.small
    for bigram, changes in delta.items():
        if bigram in big and bigram not in moved:  # the same documents: only signatures change
            files[big_names(bigram)[1]] = _new_signatures(previous, bigram, changes, old_count)
            continue
        home = shard(shard_of(ord(bigram[0]), ord(bigram[1]), shards)) if bigram not in big else None
        if home is not None:
            stored = home.pop(bigram, b"")
            small -= len(stored)
            numbers, sigs = split(stored, old_count) if stored else ([], signature_array(b""))
        else:
            numbers_file, sigs_file = big_names(bigram)
            stored = previous.file(numbers_file)
            numbers, end = decode_numbers(stored, 0, old_count)
            sigs = signature_array(previous.file(sigs_file))
            if end != len(stored) or len(sigs) != len(numbers):
                raise ValueError(f"{sigs_file} does not match {numbers_file}")
            big.discard(bigram)
        patch(numbers, sigs, changes)
        if not numbers:
            continue
        ids, sig_bytes = encode(numbers, sigs, new_count)
        if search_index.is_big(ids, sig_bytes):
            big.add(bigram)
            files[big_names(bigram)[0]], files[big_names(bigram)[1]] = ids, sig_bytes
        else:
            shard(shard_of(ord(bigram[0]), ord(bigram[1]), shards))[bigram] = ids + sig_bytes
            small += len(ids) + len(sig_bytes)
    if shard_count(small) != shards:
        return "the shard count changes"
    for number, lists in shard_lists.items():
        files[f"s/{number}.bin"] = search_index.shard_bytes(lists)
    filters, values, kept = patch_filters(previous, state.facets, docs, changed, field_slugs,
                                          same_slugs and _same_forms(old_count, new_count))
    files.update(filters)
    files.update({f"d/{n}.json": doc_file(docs[n]) for n in changed if n < new_count})
    files["meta.json"] = meta_file(new_count, shards, sorted(big), values, digest)
    names = [f"s/{n}.bin" for n in range(shards)] + [name for b in big for name in big_names(b)]
    names += [f"d/{n}.json" for n in range(new_count)] + kept
    return Patch(files, [name for name in names if name not in files], small)
