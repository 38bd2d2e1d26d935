"""The search index's posting lists, computed over the whole corpus at once with numpy:
{bigram: (the documents holding it, encode_numbers; their signatures, two bytes each, low
first)}, the same keys and bytes as gathering search_index.signatures() document by
document (tests/test_search_postings.py keeps that loop as its reference), the bigrams in
the order of their code points.

Why numpy: at provincial scale (40,653 documents, 13 million characters, 11.7 million
bigram occurrences, 8.5 million pairs of a bigram and a document holding it, 12,161
bigrams) the loop over every character, and the lists it appended to, took 7.5-9 s of a
build's CPU, the largest stage after rendering the pages; this takes about 1 s, at the
same peak memory. Every character is a number in an array (folded through a table of the
corpus's distinct characters), and the bigrams, their documents and the bit of each
occurrence's signature are computed for all of them together; a sort brings each bigram's
documents together in order, and a document's occurrences of a bigram are joined by OR-ing
their bits. Only the bigrams themselves are visited in Python.

An occurrence is packed into one 64-bit integer, (bigram, document, signature) from the
high bits to the low, so that sorting the integers sorts by bigram, then document. A bigram
is numbered from its two characters' ranks among the corpus's distinct characters; when that
number and the document's do not fit beside the signature, the bigrams are made in several
passes, each over a range of first characters (_first_span). Documents are read _CHUNK
characters at a time, and lists are encoded _BATCH pairs at a time, so that the arrays of
an item per occurrence stay small: all that is kept is one integer per (bigram, document).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from .search_docs import SearchDoc, fold
from .search_index import _BITS, varint

_CHUNK = 1 << 17  # characters of documents whose occurrences are packed and sorted together
_BATCH = 1 << 18  # (bigram, document) pairs, about, whose lists are encoded together
_SIGNATURE = 16  # bits of a signature, the lowest bits of a packed occurrence
_VALUE = 63  # bits a packed occurrence may use (numpy's int64 is signed)
_SPACE = re.compile(r"\s")  # what ends a run of search_index._RUNS (\S{2,})
_SIGNATURE_BITS = np.array(_BITS, dtype=np.uint16)


def posting_lists(docs: list[SearchDoc]) -> dict[str, tuple[bytes, bytes]]:
    """{bigram: (the documents holding it, their signatures: two bytes each, low first)},
    the bigrams in the order of their code points."""
    count = len(docs)
    chunks = _chunks(docs)
    table, chars = character_table(docs, chunks)
    doc_bits = max(count - 1, 0).bit_length()
    width = len(chars) + 1  # characters are numbered 1..len(chars)
    span = _first_span(width, doc_bits)
    out: dict[str, tuple[bytes, bytes]] = {}
    for low in range(1, width, span):
        parts = [_chunk_pairs(docs, start, end, table, low, low + span, width, doc_bits) for start, end in chunks]
        for pairs in _batches(parts, doc_bits + _SIGNATURE):
            _add_lists(out, pairs, count, doc_bits, width, low, chars)
    return out


def _chunks(docs: list[SearchDoc]) -> list[tuple[int, int]]:
    """Consecutive ranges of documents, (first, past last), each of about _CHUNK
    characters (or of one longer document)."""
    out, start, size = [], 0, 0
    for number, doc in enumerate(docs):
        size += len(doc.title) + len(doc.body) + 2
        if size >= _CHUNK:
            out.append((start, number + 1))
            start, size = number + 1, 0
    if start < len(docs):
        out.append((start, len(docs)))
    return out


def _codes(docs: list[SearchDoc]) -> np.ndarray:
    """The code points of the documents' texts, each the title, "\\n", the body, "\\n"."""
    text = "".join(f"{doc.title}\n{doc.body}\n" for doc in docs)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def character_table(docs: list[SearchDoc], chunks: list[tuple[int, int]]) -> tuple[np.ndarray, list[str]]:
    """A table numbering each code point of the documents: 0 when its fold (search_docs.fold)
    is whitespace, as the regex `\\s` has it, else 1 + the fold's rank among the folds of all
    their characters; and those folds, in the order of their code points."""
    present = np.zeros(0x110000, dtype=bool)
    for start, end in chunks:
        present[_codes(docs[start:end])] = True
    distinct = np.flatnonzero(present)
    folded = fold("".join(map(chr, distinct.tolist())))
    if len(folded) != len(distinct):
        raise ValueError("fold must give a character for a character")
    folds = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype="<u4").copy()
    spaces = [space.start() for space in _SPACE.finditer(folded)]
    folds[spaces] = 0x110000  # past every code point: ranked last, then dropped
    chars, rank = np.unique(folds, return_inverse=True)
    rank += 1
    rank[spaces] = 0
    chars = chars[chars < 0x110000]
    table = np.zeros(0x110000, dtype=np.uint16 if len(chars) < 1 << 16 else np.uint32)
    table[distinct] = rank
    return table, list(map(chr, chars.tolist()))


def _first_span(width: int, doc_bits: int) -> int:
    """How many first characters one pass takes: as many as keep a packed occurrence
    (bigram number below span * width, document, signature) within _VALUE bits."""
    span = (1 << (_VALUE - _SIGNATURE - doc_bits)) // width
    if span < 1:
        raise ValueError(f"{width} characters and {doc_bits}-bit document numbers do not fit in 64 bits")
    return span


def _chunk_pairs(docs: list[SearchDoc], start: int, end: int, table: np.ndarray, low: int, high: int,
                 width: int, doc_bits: int) -> np.ndarray:
    """The packed (bigram, document, signature) of each bigram that documents start..end-1
    hold and whose first character's number is in low..high-1, the signature the OR of its
    occurrences' in that document; sorted."""
    ids = table[_codes(docs[start:end])]
    first, second = ids[:-1], ids[1:]
    valid = (first != 0) & (second != 0)
    if low > 1 or high < width:
        valid &= (first >= low) & (first < high)
    at = np.flatnonzero(valid)
    if not len(at):
        return np.zeros(0, dtype=np.int64)
    sizes = np.fromiter((len(doc.title) + len(doc.body) + 2 for doc in docs[start:end]), dtype=np.int32)
    titles = np.fromiter((len(doc.title) for doc in docs[start:end]), dtype=np.int32)
    place = np.arange(len(ids), dtype=np.int32) - np.repeat(np.cumsum(sizes, dtype=np.int32) - sizes, sizes)
    title_ends = np.repeat(titles, sizes)
    in_title = place < title_ends
    place -= np.where(in_title, 0, title_ends + 1)  # a body's positions count from its start (signatures())
    signature = np.tile(_SIGNATURE_BITS, -(-int(sizes.max()) // 56))[place]  # _BITS[place % 56]; -1: a newline
    signature |= in_title.astype(np.uint16) << 7
    below = np.repeat(np.arange(start, end, dtype=np.int64) << _SIGNATURE, sizes)  # (document, signature)
    below |= signature
    del place, signature
    packed = first[at].astype(np.int64)
    packed -= low
    packed *= width
    packed += second[at]
    packed <<= doc_bits + _SIGNATURE
    packed |= below[at]
    del below, at
    packed.sort()
    pair = packed >> _SIGNATURE
    heads = np.concatenate(([0], np.flatnonzero(pair[1:] != pair[:-1]) + 1))
    joined = np.bitwise_or.reduceat(packed.astype(np.uint16), heads)  # the low 16 bits: signatures
    pair = pair[heads]
    pair <<= _SIGNATURE
    pair |= joined
    return pair


def _batches(parts: list[np.ndarray], shift: int) -> Iterator[np.ndarray]:
    """The packed pairs of all parts (each sorted, no pair in two), sorted, a batch at a
    time: each batch holds every pair of consecutive bigrams (a bigram is a pair >> shift),
    about _BATCH pairs, or one bigram's."""
    bigrams, lengths = [], []
    for part in parts:
        numbers = part >> shift
        heads = np.flatnonzero(np.concatenate(([len(part) > 0], numbers[1:] != numbers[:-1])))
        bigrams.append(numbers[heads])
        lengths.append(np.diff(heads, append=len(part)))
    bigrams, where = np.unique(np.concatenate(bigrams), return_inverse=True)
    totals = np.bincount(where, weights=np.concatenate(lengths), minlength=len(bigrams)).astype(np.int64)
    batch = (np.cumsum(totals) - totals) // _BATCH  # by the pairs before each bigram
    firsts = np.flatnonzero(np.concatenate(([len(batch) > 0], batch[1:] != batch[:-1])))
    bounds = [int(bigrams[i]) << shift for i in firsts] + [None]
    for low, high in zip(bounds, bounds[1:]):
        yield np.sort(np.concatenate([part[np.searchsorted(part, low):None if high is None else
                                           np.searchsorted(part, high)] for part in parts]))


def _add_lists(out: dict[str, tuple[bytes, bytes]], pairs: np.ndarray, count: int, doc_bits: int,
               width: int, low: int, chars: list[str]) -> None:
    """Put into `out` the list of each bigram with packed (bigram, document, signature)
    pairs in `pairs` (sorted; changed in place). A list of more documents than count / 8 is
    a bitmap; the others are gaps, encoded all together."""
    signatures = pairs.astype("<u2").tobytes()  # the low 16 bits
    pairs >>= _SIGNATURE
    numbers = pairs & ((1 << doc_bits) - 1)
    pairs >>= doc_bits
    heads = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    lengths = np.diff(heads, append=len(pairs))
    gapped = lengths * 8 <= count  # lists kept as gaps (encode_numbers' form 0)
    gaps = np.diff(numbers, prepend=0)
    gaps[heads] = numbers[heads]
    encoded, sizes = varints(gaps[np.repeat(gapped, lengths)])
    list_sizes = np.add.reduceat(sizes, np.cumsum(lengths[gapped]) - lengths[gapped]) if len(sizes) else []
    edges = np.zeros(len(heads) + 1, dtype=np.int64)
    edges[1:][gapped] = list_sizes
    edges = np.cumsum(edges).tolist()  # a gap-form list's bytes: edges[i]:edges[i + 1]
    for i, (start, length, bigram) in enumerate(zip(heads.tolist(), lengths.tolist(), pairs[heads].tolist())):
        key = chars[bigram // width + low - 1] + chars[bigram % width - 1]
        if length * 8 > count:
            bitmap = np.zeros(count, dtype=bool)
            bitmap[numbers[start:start + length]] = True
            ids = b"\x01" + varint(length) + np.packbits(bitmap, bitorder="little").tobytes()
        else:
            ids = b"\x00" + varint(length) + encoded[edges[i]:edges[i + 1]]
        out[key] = (ids, signatures[2 * start:2 * (start + length)])


def varints(numbers: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The numbers (none negative) as LEB128 varints, one after another, and how many bytes
    each takes."""
    sizes = np.ones(len(numbers), dtype=np.int64)
    limit, top = 128, int(numbers.max()) if len(numbers) else 0
    while limit <= top:
        sizes += numbers >= limit
        limit <<= 7
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    rest, places, left = numbers, np.cumsum(sizes) - sizes, sizes  # what is left of each number to write, where
    while len(rest):
        more = left > 1
        out[places] = (rest & 127) | more << 7
        which = np.flatnonzero(more)
        rest, places, left = rest[which] >> 7, places[which] + 1, left[which] - 1
    return out.tobytes(), sizes
