"""The search index builder: its files decode to what was put in, every document holding a
query is found (also across word boundaries), signatures drop most documents that hold the
bigrams apart, a rebuild with nothing changed links the old files, and a small part of the
index is pinned as golden JSON (`python tests/regen_golden.py` regenerates it)."""
from __future__ import annotations

import datetime as dt
import json
import os
import re

import pytest
from hypothesis import given, settings, strategies as st

from generator.search_docs import SearchDoc, fold, plain, search_docs
from generator.search_index import encode_numbers, index_files, shard_of, varint
from generator.site import load_site
from support import GOLDEN, REPO, build_sample


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 127) << shift
        shift += 7
        if not byte & 128:
            return n, at


def decode_numbers(data: bytes, at: int, docs: int) -> tuple[list[int], int]:
    form, (count, at) = data[at], read_varint(data, at + 1)
    if form == 0:
        out, last = [], 0
        for _ in range(count):
            gap, at = read_varint(data, at)
            last += gap
            out.append(last)
        return out, at
    size = (docs + 7) // 8
    out = [n for n in range(docs) if data[at + (n >> 3)] >> (n & 7) & 1]
    assert len(out) == count
    return out, at + size


def postings(files: dict[str, bytes], bigram: str) -> dict[int, int]:
    """{document: signature} for a bigram, read the way search.js reads it."""
    meta = json.loads(files["meta.json"])
    big = {meta["big"][i:i + 2] for i in range(0, len(meta["big"]), 2)}
    first, second = ord(bigram[0]), ord(bigram[1])
    if bigram in big:
        ids, _end = decode_numbers(files[f"b/{first:x}-{second:x}.bin"], 0, meta["docs"])
        sigs = files[f"b/{first:x}-{second:x}.sig"]
        assert len(sigs) == 2 * len(ids)
        return {n: sigs[2 * i] | sigs[2 * i + 1] << 8 for i, n in enumerate(ids)}
    else:
        data = files[f"s/{shard_of(first, second, meta['shards'])}.bin"]
        count, at = read_varint(data, 0)
        offset, start = 0, None
        for _ in range(count):
            a, at = read_varint(data, at)
            b, at = read_varint(data, at)
            length, at = read_varint(data, at)
            if (a, b) == (first, second):
                start = offset
            offset += length
        if start is None:
            return {}
        start += at
    ids, at = decode_numbers(data, start, meta["docs"])
    return {n: data[at + 2 * i] | data[at + 2 * i + 1] << 8 for i, n in enumerate(ids)}


def rot(mask: int, k: int, width: int) -> int:
    k %= width
    return ((mask >> k) | (mask << (width - k))) & ((1 << width) - 1) if k else mask


def find(files: dict[str, bytes], term: str) -> set[int]:
    """The documents the index gives for a term (before the browser reads their text)."""
    lists = [postings(files, term[i:i + 2]) for i in range(len(term) - 1)]
    out = set()
    for doc in set.intersection(*(set(found) for found in lists)):
        m7, m8 = 127, 255
        for k, found in enumerate(lists):
            m7 &= rot(found[doc] & 127, k, 7)
            m8 &= rot(found[doc] >> 8, k, 8)
        if m7 and m8:
            out.add(doc)
    return out


def doc(title: str, body: str, key: str, day: int = 1) -> SearchDoc:
    return SearchDoc("demand", key, f"demands/{key}/", title, body, dt.date(2025, 1, day))


@pytest.fixture(scope="module")
def sample():
    site, _problems = load_site(REPO)
    docs = search_docs(site)
    return site, docs, index_files(docs, {f.name: f.slug for f in site.vocabulary.fields})


def test_varint_and_number_lists_round_trip():
    assert [read_varint(varint(n), 0)[0] for n in (0, 127, 128, 16383, 16384, 10 ** 9)] == \
        [0, 127, 128, 16383, 16384, 10 ** 9]
    sparse, dense = [3, 70, 900], list(range(0, 1000, 2))
    assert encode_numbers(sparse, 1000)[0] == 0 and encode_numbers(dense, 1000)[0] == 1
    assert decode_numbers(encode_numbers(sparse, 1000), 0, 1000)[0] == sparse
    assert decode_numbers(encode_numbers(dense, 1000), 0, 1000)[0] == dense


def test_every_document_holding_a_query_is_found(sample):
    _site, docs, files = sample
    texts = [fold(d.text) for d in docs]
    checked = 0
    for number, text in enumerate(texts):
        for start in range(0, len(text) - 6, 29):
            term = text[start:start + 2 + number % 5]
            if any(ch.isspace() for ch in term):
                continue
            truth = {n for n, t in enumerate(texts) if term in t}
            assert truth <= find(files, term), term
            checked += 1
    assert checked > 300


def test_text_across_word_boundaries_is_found():
    docs = [doc("农村养老服务", "为留守老人提供帮助", "a"), doc("乡村治理", "村规民约和养老保险", "b")]
    files = index_files(docs, {})
    assert find(files, "村养") == {0}  # 农村|养老, not 村规…养老
    assert find(files, "人提供") == {0}
    assert find(files, "ＡＢ") == find(files, "ab") == set()


def test_signatures_drop_documents_holding_the_bigrams_apart():
    docs = [doc("养老服务站", "", "a"), doc("老服", "站点养护，务必按时。", "b")]
    files = index_files(docs, {})
    assert find(files, "养老服务") == {0}
    assert set(postings(files, "养老")) == {0} and set(postings(files, "服务")) == {0}


def test_big_lists_keep_numbers_and_signatures_apart(monkeypatch):
    import generator.search_index as search_index
    monkeypatch.setattr(search_index, "BIG_LIST", 6)
    docs = [doc("乡村振兴", "乡村振兴服务", "a"), doc("振兴乡村", "", "b"), doc("乡村", "振兴", "c")]
    files = index_files(docs, {})
    meta = json.loads(files["meta.json"])
    assert "乡村" in {meta["big"][i:i + 2] for i in range(0, len(meta["big"]), 2)}
    assert files["b/4e61-6751.bin"] == encode_numbers([0, 1, 2], 3) and len(files["b/4e61-6751.sig"]) == 6
    assert find(files, "乡村振兴") == {0} and find(files, "振兴乡村") == {1}


def test_case_and_width_fold_alike():
    assert fold("ＡＢＣ Abc　x") == "abc abc x"
    docs = [doc("4A级社会组织", "", "a")]
    assert find(index_files(docs, {}), "4a级") == {0}


def test_markdown_marks_are_not_searched():
    assert plain("## 标题\n\n- **电商**直播\n[链接文字](https://example.org/x)") == "标题\n\n电商直播\n链接文字"


MARKDOWN_RULES = [  # what plain() removes, as one pattern after another (plain skips the ones that find nothing)
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"<[^>\n]*>"), " "),  # inline HTML tags
    (re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.M), ""),  # block markers
    (re.compile(r"(\*\*|__|\*|`+|~~)"), ""),  # emphasis and code marks
]


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("*_`~[]()!<>#-+ \t\n1.)a中")), max_size=40))
def test_markdown_marks_go_as_the_rules_say(text):
    expected = text
    for pattern, replacement in MARKDOWN_RULES:
        expected = pattern.sub(replacement, expected)
    assert plain(text) == expected


def test_documents_are_numbered_oldest_first(sample):
    _site, docs, files = sample
    dates = [d.date for d in docs if d.date]
    assert dates == sorted(dates)
    first = json.loads(files["d/0.json"])
    assert set(first) == {"u", "t", "k", "p", "f", "s", "d", "b"}


def test_filters_list_exactly_the_documents(sample):
    site, docs, files = sample
    meta = json.loads(files["meta.json"])
    heze = decode_numbers(files["f/region/371700.bin"], 0, meta["docs"])[0]
    caoxian = [n for n, d in enumerate(docs) if d.kind == "demand" and site.projects[d.key].county == "371721"]
    assert caoxian and set(caoxian) <= set(heze)  # a city includes its counties
    demands = decode_numbers(files["f/kind/demand.bin"], 0, meta["docs"])[0]
    assert demands == [n for n, d in enumerate(docs) if d.kind == "demand"]


def test_unchanged_rebuild_links_the_previous_index(tmp_path):
    out = build_sample(tmp_path)
    before = {p: p.stat().st_ino for p in (out / "search-index").rglob("*") if p.is_file()}
    from support import SITEURL, run_cli
    code, _out, err = run_cli("build", "--site", str(tmp_path / "site"), "--output", str(out), "--siteurl", SITEURL)
    assert code == 0, err
    after = {p: p.stat().st_ino for p in (out / "search-index").rglob("*") if p.is_file()}
    assert before.keys() == after.keys() and before == after


GOLDEN_SEARCH = ("meta.json", "d/0.json", "f/kind/policy.bin")


def golden_search_json(files: dict[str, bytes]) -> str:
    """meta.json, the first document and one filter decoded, as one JSON text."""
    meta = json.loads(files["meta.json"])
    meta.pop("digest")
    part = {"meta.json": meta, "d/0.json": json.loads(files["d/0.json"]),
            "f/kind/policy.bin": decode_numbers(files["f/kind/policy.bin"], 0, meta["docs"])[0],
            "养老": sorted(find(files, "养老"))}
    return json.dumps(part, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def test_index_matches_golden_json(sample):
    _site, _docs, files = sample
    assert golden_search_json(files) == (GOLDEN / "search-index.json").read_text(encoding="utf-8")


def test_no_file_is_outside_search_or_named_by_content(sample):
    _site, _docs, files = sample
    assert all(not os.path.isabs(name) and ".." not in name.split("/") for name in files)
