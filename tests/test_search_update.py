"""The incremental search index: patching the previous index gives, byte for byte, the
index a full build gives for the edited documents (titles, texts, filters, records added
and removed, lists moving between shards and files of their own), and where it cannot,
it says why instead of patching; a build after an edit patches the output's index and
gives the same search-index/ as a build into an empty folder."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random

from hypothesis import HealthCheck, given, settings, strategies as st

import generator.search_index as search_index
from generator.search_docs import SearchDoc, search_docs
from generator.search_filters import facet_lines
from generator.search_index import build_index, doc_digest, index_digest
from generator.search_state import MAGIC, NO_INPUTS, IndexState, read_state, write_state
from generator.search_update import Patch, Previous, plan_update
from generator.site import load_site
from support import REPO

SLUGS = {"产业发展": "industry", "养老服务": "care"}
CODE = "code"
CONTEXT = "context"
SAMPLE, _problems = load_site(REPO)
DOCS = search_docs(SAMPLE)


def full(docs: list[SearchDoc], slugs: dict[str, str] = SLUGS) -> tuple[dict[str, bytes], int]:
    return build_index(docs, slugs, index_digest([doc_digest(d) for d in docs], slugs))


def update(old: list[SearchDoc], new: list[SearchDoc], context: str = CONTEXT,
           slugs: dict[str, str] = SLUGS) -> dict[str, bytes] | str:
    """The index of `new`, patched from a full build of `old` (with SLUGS, its state with
    CONTEXT) by a build with `context` and `slugs`; or why it could not be."""
    files, small = full(old)
    meta = json.loads(files["meta.json"])
    state = state_of(meta["digest"], CODE, small, old)
    digests = [doc_digest(d) for d in new]
    patch = plan_update(Previous(meta, files.get), state, CODE, context, new, digests, slugs,
                        index_digest(digests, slugs))
    if isinstance(patch, str):
        return patch
    assert isinstance(patch, Patch) and not set(patch.carried) & set(patch.files)
    assert full(new, slugs)[1] == patch.small
    return {**{name: files[name] for name in patch.carried}, **patch.files}


def state_of(index: str, code: str, small: int, docs: list[SearchDoc]) -> IndexState:
    """The state a build of `docs` keeps (with no inputs)."""
    return IndexState(index, code, CONTEXT, small, [doc_digest(d) for d in docs], [NO_INPUTS] * len(docs),
                      facet_lines(docs))


def assert_same_as_full(old: list[SearchDoc], new: list[SearchDoc], context: str = CONTEXT,
                        slugs: dict[str, str] = SLUGS) -> dict[str, bytes]:
    patched = update(old, new, context, slugs)
    assert not isinstance(patched, str), patched
    expected = full(new, slugs)[0]
    assert sorted(patched) == sorted(expected)
    assert [name for name in expected if patched[name] != expected[name]] == []
    return patched


def edited(docs: list[SearchDoc], number: int, **changes) -> list[SearchDoc]:
    out = list(docs)
    out[number] = dataclasses.replace(docs[number], **changes)
    return out


def of_kind(kind: str) -> list[int]:
    return [n for n, d in enumerate(DOCS) if d.kind == kind]


def test_editing_one_title_patches_the_index():
    n = of_kind("demand")[3]
    assert_same_as_full(DOCS, edited(DOCS, n, title=DOCS[n].title + "（第二期）"))


def test_editing_a_title_rewrites_only_the_files_of_its_bigrams(monkeypatch):
    """The body's signatures do not depend on the title: an edited title changes the lists
    of the old and the new title's bigrams only, so an edit build writes (and a copy to the
    portal moves) the few files holding those, not every file holding a bigram of the body."""
    monkeypatch.setattr(search_index, "BIG_LIST", 60)  # many lists in files of their own
    n = max(of_kind("demand"), key=lambda k: len(DOCS[k].body))
    title = DOCS[n].title + "（第二期）"
    before, after = full(DOCS)[0], assert_same_as_full(DOCS, edited(DOCS, n, title=title))
    title_bigrams = set(search_index.signatures(DOCS[n].title, "")) | set(search_index.signatures(title, ""))
    shards = json.loads(after["meta.json"])["shards"]
    homes = {f"s/{search_index.shard_of(ord(b[0]), ord(b[1]), shards)}.bin" for b in title_bigrams}
    homes |= {name for b in title_bigrams for name in search_index.big_names(b)}
    changed = {name for name in after if after[name] != before.get(name)}
    assert f"d/{n}.json" in changed and changed <= homes | {f"d/{n}.json", "meta.json"}
    assert len(changed) < 40 < len(search_index.signatures("", DOCS[n].body))


def test_editing_several_records_and_their_filters():
    demands, offers = of_kind("demand"), of_kind("supply")
    docs = edited(DOCS, demands[0], body=DOCS[demands[0]].body + "\n村级电商服务站和养老驿站")
    docs = edited(docs, demands[1], status="matched" if DOCS[demands[1]].status != "matched" else "open")
    docs = edited(docs, offers[0], regions=("371721",), fields=["产业发展"])
    docs = edited(docs, of_kind("org")[0], title="改名后的社会组织")
    assert_same_as_full(DOCS, docs)


def test_filter_files_are_made_anew_when_the_field_slugs_changed():
    """Another context (here: a field's slug renamed): every filter file from the kept facets."""
    demands = of_kind("demand")
    docs = edited(DOCS, demands[1], status="matched" if DOCS[demands[1]].status != "matched" else "open")
    patched = assert_same_as_full(DOCS, edited(docs, demands[2], fields=["产业发展"]), context="another context",
                                  slugs={**SLUGS, "产业发展": "agriculture"})
    assert "f/field/agriculture.bin" in patched and "f/field/industry.bin" not in patched


def test_adding_and_removing_the_newest_record():
    newest = dataclasses.replace(DOCS[of_kind("demand")[0]], key="d-new", path="demands/d-new/",
                                 date=max(d.date for d in DOCS if d.date) + dt.timedelta(days=1))
    added = assert_same_as_full(DOCS, DOCS + [newest])
    assert json.loads(added["meta.json"])["docs"] == len(DOCS) + 1
    assert_same_as_full(DOCS, DOCS[:-1])


def test_a_list_moves_between_its_shard_and_files_of_its_own(monkeypatch):
    lists = search_index.posting_lists(DOCS)
    bigram = max(lists, key=lambda b: len(lists[b][0]) + len(lists[b][1]))  # the longest list
    monkeypatch.setattr(search_index, "BIG_LIST", len(lists[bigram][0]) + len(lists[bigram][1]))
    holder = next(n for n, d in enumerate(DOCS) if bigram in search_index.doc_bigrams(d) and bigram not in d.title)
    without = edited(DOCS, holder, body=DOCS[holder].body.replace(bigram, "　"))
    assert bigram in json.loads(full(DOCS)[0]["meta.json"])["big"]
    patched = assert_same_as_full(DOCS, without)  # big to small
    assert bigram not in json.loads(patched["meta.json"])["big"]
    assert bigram in json.loads(assert_same_as_full(without, DOCS)["meta.json"])["big"]  # and back


def test_no_patch_when_the_shard_count_would_change(monkeypatch):
    _files, small = full(DOCS)
    monkeypatch.setattr(search_index, "SHARD_TARGET", small / 4)
    n = of_kind("policy")[0]
    assert update(DOCS, edited(DOCS, n, body=DOCS[n].body + "新增的一段说明文字" * 20)) == "the shard count changes"


def test_no_patch_from_a_state_that_is_not_the_indexs():
    files, small = full(DOCS)
    meta = json.loads(files["meta.json"])
    new = edited(DOCS, 0, title="新标题")
    new_digests = [doc_digest(d) for d in new]
    args = (new, new_digests, SLUGS, index_digest(new_digests, SLUGS))
    for state, code in ((state_of("another index", CODE, small, DOCS), CODE),
                        (state_of(meta["digest"], "older code", small, DOCS), CODE),
                        (state_of(meta["digest"], CODE, small, DOCS[:-1]), CODE)):
        assert isinstance(plan_update(Previous(meta, files.get), state, code, CONTEXT, *args), str)
    unsealed = {name: data for name, data in files.items() if name != "d/0.json"}
    state = state_of(meta["digest"], CODE, small, DOCS)
    assert "cannot be read" in plan_update(Previous(meta, unsealed.get), state, CODE, CONTEXT, *args)


def test_state_file_round_trip_and_refusals(tmp_path):
    path = tmp_path / "search.state"
    state = IndexState("digest", CODE, CONTEXT, 1234, [bytes([n]) * 16 for n in range(5)],
                       [bytes([n + 5]) * 16 for n in range(5)], [b'["demand","open",[],[]]'] * 5)
    write_state(path, state)
    assert read_state(path) == state
    data = path.read_bytes()
    at = data.index(b"\n", len(MAGIC)) + 1  # the first document's digest, damaged: the checksum tells
    flipped = data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]
    for broken in (data[:-1], flipped, b"pickle" + data, data.replace(b'"small":1234', b'"small":"x"'), b""):
        path.write_bytes(broken)
        assert read_state(path) is None
    assert read_state(tmp_path / "missing") is None


TEXT = st.text(alphabet=st.sampled_from(list("乡村振兴社会组织服务养老电商培训帮扶项目 \nAａ1")), max_size=30)


@st.composite
def edits(draw) -> list[tuple]:
    return draw(st.lists(st.tuples(st.sampled_from(["title", "body", "status", "regions", "fields", "add",
                                                    "remove", "insert"]),
                                   st.integers(0, 10 ** 6), TEXT), min_size=1, max_size=6))


def apply(docs: list[SearchDoc], operations: list[tuple]) -> list[SearchDoc]:
    docs = list(docs)
    for action, pick, text in operations:
        n = pick % len(docs)
        doc = docs[n]
        if action == "title":
            docs[n] = dataclasses.replace(doc, title=(doc.title + text) if pick % 2 else doc.title[:-2] + text)
        elif action == "body":
            at = pick % (len(doc.body) + 1)
            docs[n] = dataclasses.replace(doc, body=doc.body[:at] + text + doc.body[at + len(text):])
        elif action == "status":
            docs[n] = dataclasses.replace(doc, status=random.Random(pick).choice(["", "open", "matched", "closed"]))
        elif action == "regions":
            code = random.Random(pick).choice(["371700", "371721", "370100"])
            docs[n] = dataclasses.replace(doc, regions=tuple(sorted(set(doc.regions) ^ {code})))
        elif action == "fields":
            docs[n] = dataclasses.replace(doc, fields=[] if doc.fields else ["养老服务"])
        elif action == "add":
            docs.append(dataclasses.replace(doc, key=f"new-{pick}", title=doc.title + text))
        elif action == "remove":
            del docs[-1 - pick % 3]
        else:
            docs.insert(n, dataclasses.replace(doc, key=f"in-{pick}", body=text))
    return docs


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=edits(), big=st.sampled_from([60, 200, 8000]))
def test_any_patch_equals_the_full_build(operations, big, monkeypatch):
    monkeypatch.setattr(search_index, "BIG_LIST", big)
    new = apply(DOCS, operations)
    patched = update(DOCS, new)
    if isinstance(patched, str):  # only for these reasons
        assert patched in ("the shard count changes", "the document count changes how small lists are encoded")
        return
    expected = full(new)[0]
    assert sorted(patched) == sorted(expected)
    assert [name for name in expected if patched[name] != expected[name]] == []


def index_of(out) -> dict[str, bytes]:
    root = out / "search-index"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_edit_build_patches_the_index_and_equals_a_fresh_build(tmp_path, monkeypatch):
    import generator.search_stage as search_stage
    from support import SITEURL, build_sample, run_cli
    out = build_sample(tmp_path)
    site = tmp_path / "site"
    projects, orgs = site / "data/projects/371721.yaml", site / "data/organizations.yaml"
    projects.write_text(projects.read_text(encoding="utf-8").replace(
        "title: 曹县农村互助养老服务站运营支持", "title: 曹县农村互助养老服务站运营支持（第二期）", 1).replace(
        "  status: open\n", "  status: closed\n", 1), encoding="utf-8")
    orgs.write_text(orgs.read_text(encoding="utf-8").replace('county: "370112"', 'county: "370102"', 1),
                    encoding="utf-8")

    def whole_index(*args):
        raise AssertionError("the whole index was built after an edit")

    for round_ in range(2):  # the second round: the state the first one kept
        with monkeypatch.context() as patched:
            patched.setattr(search_stage, "build_index", whole_index)
            code, _out, err = run_cli("build", "--site", str(site), "--output", str(out), "--siteurl", SITEURL)
        assert code == 0, err
        fresh = tmp_path / f"fresh{round_}"
        code, _out, err = run_cli("build", "--site", str(site), "--output", str(fresh), "--siteurl", SITEURL)
        assert code == 0, err
        assert index_of(out) == index_of(fresh)
        projects.write_text(projects.read_text(encoding="utf-8").replace("站运营支持（第二期）", "站运营支持", 1),
                            encoding="utf-8")


def test_without_the_state_kept_an_edit_build_builds_the_whole_index(tmp_path):
    from generator.trees import state_folder
    from support import SITEURL, build_sample, run_cli
    out = build_sample(tmp_path)
    (state_folder(out) / "search.state").unlink()
    projects = tmp_path / "site/data/projects/371721.yaml"
    projects.write_text(projects.read_text(encoding="utf-8").replace("曹县乡村文艺队伍培训", "曹县乡村文艺队伍骨干培训"),
                        encoding="utf-8")
    for target in (out, tmp_path / "fresh"):
        code, _out, err = run_cli("build", "--site", str(tmp_path / "site"), "--output", str(target), "--siteurl", SITEURL)
        assert code == 0, err
    assert index_of(out) == index_of(tmp_path / "fresh")
    assert (state_folder(out) / "search.state").is_file()
