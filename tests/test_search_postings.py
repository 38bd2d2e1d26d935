"""The posting lists computed with numpy (search_postings.py) are exactly the lists made
document by document from signatures(), the loop search_index used before and the one the
incremental update still uses: the same bigrams, the same number and signature bytes, for
documents of Chinese, ASCII, digits, every kind of whitespace (\\s as Python's re has it),
astral characters, empty and one-character texts, with lists in both forms (bitmap and
gaps) and document numbers whose gaps take one, two and three bytes; read in small chunks,
encoded in small batches and in several passes as well."""
from __future__ import annotations

import datetime as dt
import re
import sys
from array import array
from collections import defaultdict
from contextlib import ExitStack
from unittest import mock

import numpy as np
from hypothesis import given, settings, strategies as st

import generator.search_postings as search_postings
from generator.search_docs import SearchDoc, fold
from generator.search_index import doc_bigrams, encode_numbers
from generator.search_postings import character_table, posting_lists, varints
from test_search_index import read_varint

SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000"
NOT_SPACES = "\x00\x1b\u180e\u200b\u2060\ufeff"  # control and zero-width characters \s does not match
CHARACTERS = ("乡村振兴养老服务" + "aAbZ" + "09" + "ＡａＺ１" + SPACES + NOT_SPACES
              + "\U00020000\U0001f600\U0010ffff" + "\ud800")  # astral, and a lone surrogate
DAY = dt.date(2025, 1, 1)


def reference_posting_lists(docs: list[SearchDoc]) -> dict[str, tuple[bytes, bytes]]:
    """{bigram: (numbers, signatures)} as search_index made them before numpy: each
    document's signatures() appended to its bigrams' lists, in the documents' order."""
    numbers: dict[str, list[int]] = defaultdict(list)
    signatures: dict[str, array] = defaultdict(lambda: array("H"))  # two bytes each, no int objects kept
    for number, doc in enumerate(docs):
        for bigram, signature in doc_bigrams(doc).items():
            numbers[bigram].append(number)
            signatures[bigram].append(signature)
    count = len(docs)
    return {bigram: (encode_numbers(numbers[bigram], count), little_endian(signatures[bigram])) for bigram in numbers}


def little_endian(data: array) -> bytes:
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def doc(number: int, title: str, body: str) -> SearchDoc:
    return SearchDoc("demand", f"d{number}", f"demands/d{number}/", title, body, DAY)


def assert_same_lists(docs: list[SearchDoc]) -> dict[str, tuple[bytes, bytes]]:
    lists = posting_lists(docs)
    assert lists == reference_posting_lists(docs)
    assert list(lists) == sorted(lists)  # in the order of the bigrams' code points
    return lists


def texts(size: int):
    return st.text(alphabet=st.sampled_from(CHARACTERS), max_size=size)


@st.composite
def corpora(draw) -> list[SearchDoc]:
    """Documents drawn from CHARACTERS, placed among filler documents that share one text
    (empty, or a bigram every `every`-th one holds) so that numbers reach 128 and 16384."""
    drawn = draw(st.lists(st.tuples(texts(8), texts(40)), max_size=12))
    count = max(len(drawn), draw(st.sampled_from([0, 3, 40, 300, 17_000])))
    places = draw(st.lists(st.integers(0, max(count - 1, 0)), unique=True, min_size=len(drawn), max_size=len(drawn)))
    filler, every = draw(st.sampled_from(["", "乡村", "a b", "振兴 服务"])), draw(st.sampled_from([1, 3, 50]))
    docs = [doc(n, "", filler if n % every == 0 else "") for n in range(count)]
    for place, (title, body) in zip(sorted(places), drawn):
        docs[place] = doc(place, title, body)
    return docs


@settings(max_examples=150, deadline=None)
@given(docs=corpora(), pieces=st.sampled_from([1, 3, 20]), batch=st.sampled_from([1, 7, 1 << 18]),
       span=st.sampled_from([None, 1, 2, 5]))
def test_numpy_lists_are_the_reference_lists(docs, pieces, batch, span):
    characters = sum(len(d.title) + len(d.body) + 2 for d in docs)
    with ExitStack() as stack:  # documents read in about `pieces` chunks
        stack.enter_context(mock.patch.object(search_postings, "_CHUNK", max(1, characters // pieces)))
        stack.enter_context(mock.patch.object(search_postings, "_BATCH", batch))
        if span is not None:  # several passes, each over a few first characters
            stack.enter_context(mock.patch.object(search_postings, "_first_span", lambda width, doc_bits: span))
        assert_same_lists(docs)


def decode_gaps(data: bytes) -> list[int]:
    assert data[0] == 0
    length, at = read_varint(data, 1)
    gaps = []
    for _ in range(length):
        gap, at = read_varint(data, at)
        gaps.append(gap)
    return gaps


def test_both_forms_and_long_gaps():
    count = 20_000
    docs = [doc(n, "乡村" if n % 2 else "", "") for n in range(count)]  # a bitmap
    for n in (0, 1, 128, 256, 16_640, 19_999):
        docs[n] = doc(n, "标题", f"振兴 {n}")
    lists = assert_same_lists(docs)
    assert lists["乡村"][0][0] == 1
    assert decode_gaps(lists["振兴"][0]) == [0, 1, 127, 128, 16_384, 3359]  # of one, two and three bytes
    assert len(lists["振兴"][0]) == 2 + 1 + 1 + 1 + 2 + 3 + 2
    assert lists["标题"][1] == bytes([129, 1]) * 6  # at 0, in the title


def test_every_whitespace_ends_a_run():
    bodies = ["x" + chr(code) + "y" for code in range(0x3100)]
    bodies += ["x" + ch + "y" for ch in "\ud800\udfff\ufeff\uff01\uff5e\U00010000\U0001f600\U000e0001\U0010ffff"]
    docs = [doc(n, bodies[n][:2], "\n".join(bodies[n::97])) for n in range(97)]
    lists = assert_same_lists(docs)
    assert not any(ch.isspace() for bigram in lists for ch in bigram)


def test_the_table_numbers_every_code_point_by_its_fold():
    everything = "".join(map(chr, range(0x110000)))
    table, chars = character_table([doc(0, "", everything)], [(0, 1)])
    folded = fold(everything)
    spaces = {match.start() for match in re.finditer(r"\s", folded)}
    assert spaces == {code for code in range(0x110000) if fold(chr(code)).isspace()}
    assert set(np.flatnonzero(table == 0).tolist()) == spaces
    assert chars == sorted(set(folded) - {folded[code] for code in spaces})
    folds = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    known = table != 0
    assert (np.array([ord(ch) for ch in chars])[table[known].astype(np.int64) - 1] == folds[known]).all()


def test_one_character_and_empty_texts_have_no_lists():
    assert posting_lists([]) == {}
    assert assert_same_lists([doc(0, "", ""), doc(1, "a", "b"), doc(2, "", "\u3000"), doc(3, "\U00020000", "")]) == {}


@settings(max_examples=200, deadline=None)
@given(numbers=st.lists(st.integers(0, 1 << 40), max_size=20))
def test_varints_are_leb128(numbers):
    encoded, sizes = varints(np.array(numbers, dtype=np.int64))
    expected = [search_postings.varint(n) for n in numbers]
    assert encoded == b"".join(expected) and sizes.tolist() == [len(e) for e in expected]


def test_a_packed_occurrence_fits_in_64_bits():
    for width in (2, 1000, 60_000, 0x110001):
        for doc_bits in (0, 16, 24):
            span = search_postings._first_span(width, doc_bits)
            assert (span * width) << (doc_bits + 16) <= 1 << 63
