"""The search index: a character-bigram inverted index with positions, cut into files
the browser fetches only when a query needs them (theme/static/search.js reads them).

Every pair of adjacent characters (a bigram; whitespace ends a run) of a document's
folded text is a key; its posting list names each document holding it, with a
signature of where (see signatures). For a query of two or more characters the
browser intersects the lists of the query's bigrams and keeps the documents whose
signatures allow the bigrams to stand side by side: every document containing the
query is found (any substring, also across word boundaries, with no word segmenter);
the few that hold the bigrams apart but pass the signature test are dropped when the
browser reads their text to show them.

Files under search-index/ (all numbers are unsigned LEB128 varints):
  meta.json               document count, shard count, the big bigrams, filter values
  s/<n>.bin               shard n: the small posting lists whose bigram hashes to n:
                          count, then per list (code point 1, code point 2, byte length),
                          then the lists one after another
  b/<hex1>-<hex2>.bin     a big posting list's document numbers, in a file of their own, and
  b/<hex1>-<hex2>.sig     its signatures: a query fetches them only where it needs positions
  d/<n>.json              document n: path, title, kind, place, fields, status, date, text
  f/<filter>/<value>.bin  the numbers of the documents a filter value selects (as gaps)
A posting list, and a filter file: the document numbers (encode_numbers), then for a
posting list the documents' signatures, two bytes each (of a big list, in its .sig file).
Within a shard the lists are in the order of their bigrams; a list is big when its
numbers and signatures take BIG_LIST bytes or more; the shard count is the least power
of two that keeps the small lists at SHARD_TARGET bytes a shard, on average. These
rules make the files a function of the documents alone, which is what lets a later
build patch them (search_update.py) and still write what this module would.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict

from .search_docs import KIND_NAMES, STATUS_NAMES, SearchDoc, fold

VERSION = 3  # 3: positions count from the start of the title or of the body
SHARD_TARGET = 12_000  # bytes of small lists per shard, on average
BIG_LIST = 8_000  # a posting list at least this long gets a file of its own
_ENCODE_DOC = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
_RUNS = re.compile(r"\S{2,}")
_BITS = [1 << (n % 7) | 256 << (n % 8) for n in range(56)]
_VARINT = [bytes([n]) if n < 128 else bytes([(n & 127) | 128, n >> 7]) for n in range(1 << 14)]


def varint(n: int) -> bytes:
    if n < 16384:
        return _VARINT[n]
    out = bytearray()
    while n >= 128:
        out.append((n & 127) | 128)
        n >>= 7
    out.append(n)
    return bytes(out)


def varints(numbers) -> bytes:
    return b"".join(_VARINT[n] if n < 16384 else varint(n) for n in numbers)


def gaps(numbers: list[int]) -> list[int]:
    return [b - a for a, b in zip([0] + numbers, numbers)]


def shard_of(first: int, second: int, shards: int) -> int:
    """The shard of a bigram, from its two code points (search.js computes the same)."""
    h = ((first * 0x9E3779B1) & 0xFFFFFFFF) ^ ((second * 0x85EBCA77) & 0xFFFFFFFF)
    h = ((h ^ (h >> 15)) * 0x2C1B3C6D) & 0xFFFFFFFF
    return (h ^ (h >> 13)) % shards


def doc_bigrams(doc: SearchDoc) -> dict[str, int]:
    """{bigram: its signature} for a document's folded text (see signatures)."""
    return signatures(doc.title, doc.body)


def signatures(title: str, body: str) -> dict[str, int]:
    """{bigram: its signature} for the folded text of a document with this title and body.
    A signature is 16 bits: bits 0-6 hold the bigram's positions modulo 7, bits 8-15 its
    positions modulo 8, and bit 7 says it occurs in the title. A query's bigrams stand side
    by side only where their signatures, shifted by their offsets in the query, share a
    bit in both parts. (search_postings.py computes the same for all documents at once.)
    A position counts from the start of the part holding it, the title or the body: a run
    of characters never spans the newline between them, and only the distance between two
    bigrams of a run matters, so the body's signatures do not depend on the title. Editing
    a title then changes the lists of the title's bigrams only, not those of every bigram
    of the body (an edit build rewrites a few index files rather than hundreds)."""
    text = fold(title + "\n" + body)
    title_length = len(title)
    found: dict[str, int] = {}
    get = found.get
    for run in _RUNS.finditer(text):
        start, word = run.start(), run.group()
        in_title = start < title_length
        origin = start if in_title else start - title_length - 1  # the position of the run's start in its part
        flag = 128 if in_title else 0
        for offset in range(len(word) - 1):
            bigram = word[offset:offset + 2]
            found[bigram] = get(bigram, 0) | _BITS[(origin + offset) % 56] | flag
    return found


def encode_numbers(numbers: list[int], count: int, extra: bytes = b"") -> bytes:
    """Ascending document numbers: a form byte, how many there are, then either their gaps
    (form 0) or, when shorter, a bitmap of `count` bits (form 1); then `extra`."""
    if len(numbers) * 8 > count:
        bitmap = bytearray((count + 7) // 8)
        for n in numbers:
            bitmap[n >> 3] |= 1 << (n & 7)
        return b"\x01" + varint(len(numbers)) + bytes(bitmap) + extra
    return b"\x00" + varint(len(numbers)) + varints(gaps(numbers)) + extra


def posting_lists(docs: list[SearchDoc]) -> dict[str, tuple[bytes, bytes]]:
    """{bigram: (the documents holding it, their signatures: two bytes each, low first)}:
    for each bigram of signatures(), the documents holding it, ascending, as encode_numbers
    gives them, and its signature in each. Computed with numpy over all the documents at
    once (search_postings.py)."""
    from .search_postings import posting_lists as computed  # numpy: only a full build needs it
    return computed(docs)


def is_big(ids: bytes, sigs: bytes) -> bool:
    """Whether a posting list gets files of its own (b/) rather than a place in a shard."""
    return len(ids) + len(sigs) >= BIG_LIST


def big_names(bigram: str) -> tuple[str, str]:
    """The files of a big posting list: its numbers, its signatures."""
    stem = f"b/{ord(bigram[0]):x}-{ord(bigram[1]):x}"
    return stem + ".bin", stem + ".sig"


def shard_count(total: int) -> int:
    """How many shards hold small lists of `total` bytes: the least power of two that
    keeps a shard at SHARD_TARGET bytes or less, on average."""
    shards = 1
    while total / shards > SHARD_TARGET:
        shards *= 2
    return shards


def shard_bytes(lists: dict[str, bytes]) -> bytes:
    """A shard file holding these small lists ({bigram: numbers and signatures})."""
    keys = sorted(lists)
    head = varint(len(keys)) + b"".join(varint(ord(k[0])) + varint(ord(k[1])) + varint(len(lists[k])) for k in keys)
    return head + b"".join(lists[k] for k in keys)


def _shard_files(parts: dict[str, tuple[bytes, bytes]]) -> tuple[dict[str, bytes], list[str], int, int]:
    """The shard and big-list files; the big bigrams, the shard count and the bytes of small lists."""
    big = sorted(bigram for bigram, (ids, sigs) in parts.items() if is_big(ids, sigs))
    files = {}
    for b in big:
        files[big_names(b)[0]], files[big_names(b)[1]] = parts[b]
    lists = {bigram: ids + sigs for bigram, (ids, sigs) in parts.items() if not is_big(ids, sigs)}
    total = sum(len(data) for data in lists.values())
    shards = shard_count(total)
    members: dict[int, dict[str, bytes]] = defaultdict(dict)
    for bigram, data in lists.items():
        members[shard_of(ord(bigram[0]), ord(bigram[1]), shards)][bigram] = data
    for number in range(shards):
        files[f"s/{number}.bin"] = shard_bytes(members.get(number, {}))
    return files, big, shards, total


def filter_values(docs: list[SearchDoc], field_slugs: dict[str, str]) -> dict[str, dict[str, list[int]]]:
    """{filter: {value: ascending document numbers}} for region, field, kind and status."""
    out: dict[str, dict[str, list[int]]] = {"region": defaultdict(list), "field": defaultdict(list),
                                            "kind": defaultdict(list), "status": defaultdict(list)}
    for number, doc in enumerate(docs):
        out["kind"][doc.kind].append(number)
        if doc.status:
            out["status"][doc.status].append(number)
        for name in doc.fields:
            if name in field_slugs:
                out["field"][field_slugs[name]].append(number)
        for code in doc.regions:
            out["region"][code].append(number)
    return {name: dict(values) for name, values in out.items()}


def doc_file(doc: SearchDoc) -> bytes:
    record = {"u": doc.path, "t": doc.title, "k": KIND_NAMES[doc.kind], "p": doc.place, "f": doc.fields,
              "s": STATUS_NAMES.get(doc.status, ""), "d": doc.date.isoformat() if doc.date else "", "b": doc.body}
    return _ENCODE_DOC(record).encode("utf-8")


def filter_files(docs: list[SearchDoc], field_slugs: dict[str, str]) -> tuple[dict[str, bytes], dict[str, list[str]]]:
    """The filter files, and {filter: its values, sorted} for meta.json."""
    filters = filter_values(docs, field_slugs)
    files = {f"f/{name}/{value}.bin": encode_numbers(numbers, len(docs))
             for name, values in filters.items() for value, numbers in values.items()}
    return files, {name: sorted(values) for name, values in filters.items()}


def meta_file(docs: int, shards: int, big: list[str], filters: dict[str, list[str]], digest: str) -> bytes:
    """meta.json: the document count, the shard count, the big bigrams (sorted), the
    filters' values and the index's digest."""
    meta = {"version": VERSION, "docs": docs, "shards": shards, "big": "".join(big), "filters": filters,
            "digest": digest}
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def doc_digest(doc: SearchDoc) -> bytes:
    """16 bytes standing for everything of a document the index holds (its number aside).
    The parts are unambiguous: none of the first seven holds a NUL (fixed names, a safe
    id, its path, a date, region codes, a repr), and the place's and title's lengths are given."""
    text = "\0".join([doc.kind, doc.key, doc.path, str(doc.date), doc.status, ",".join(doc.regions), repr(doc.fields),
                      str(len(doc.place)), str(len(doc.title)), doc.place, doc.title, doc.body])
    return hashlib.sha256(text.encode()).digest()[:16]


def index_digest(doc_digests: list[bytes], field_slugs: dict[str, str]) -> str:
    """What the index is made from (its documents' digests, in order, and the field slugs):
    when it equals the previous build's, so is every file."""
    digest = hashlib.sha256(f"zhuanlan-search {VERSION} {SHARD_TARGET} {BIG_LIST}\n".encode())
    digest.update(repr(sorted(field_slugs.items())).encode() + b"\n")
    digest.update(b"".join(doc_digests))
    return digest.hexdigest()


def build_index(docs: list[SearchDoc], field_slugs: dict[str, str], digest: str = "") -> tuple[dict[str, bytes], int]:
    """Every file of the index, {path under search-index/: bytes}, and the bytes its small
    lists take (what decides the shard count)."""
    files, big, shards, total = _shard_files(posting_lists(docs))
    filters, values = filter_files(docs, field_slugs)
    files.update(filters)
    for number, doc in enumerate(docs):
        files[f"d/{number}.json"] = doc_file(doc)
    files["meta.json"] = meta_file(len(docs), shards, big, values, digest)
    return files, total


def index_files(docs: list[SearchDoc], field_slugs: dict[str, str], digest: str = "") -> dict[str, bytes]:
    """Every file of the index, {path under search-index/: bytes}."""
    return build_index(docs, field_slugs, digest)[0]
