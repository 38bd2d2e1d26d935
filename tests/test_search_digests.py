"""An edit build makes only the search documents whose inputs changed, yet what a document
shows beyond its own record (its organization's name on an offer, a region's name on every
document placed in it) still reaches the index: after each such edit the index is byte for
byte a fresh build's. A file of the output's index edited by hand is never taken over."""
from __future__ import annotations

import json
from collections import Counter

import pytest

import generator.search_stage as search_stage
from generator.search_docs import DocMaker
from support import SITEURL, build_sample, run_cli
from test_search_update import index_of

OFFER_ORG = ("name: 山东省示例社会工作服务中心", "name: 山东省示例社会工作发展中心")  # the organization of an offer
REGION = ("{code: \"371721\", name: 曹县,", "{code: \"371721\", name: 曹州县,")  # a county with demands and orgs


def build(site, out) -> None:
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(out), "--siteurl", SITEURL)
    assert code == 0, err


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def kinds(index: dict[str, bytes]) -> Counter:
    return Counter(json.loads(data)["k"] for name, data in index.items() if name.startswith("d/"))


def whole_index(*args):
    raise AssertionError("the whole index was built after an edit")


def test_an_edit_build_makes_only_the_edited_document(tmp_path, monkeypatch):
    out = build_sample(tmp_path)
    made, real = tmp_path / "made.txt", DocMaker.make

    def noting(self, source):  # in the forked process that writes the index: noted in a file
        with open(made, "a", encoding="utf-8") as note:
            note.write(source.kind + "\n")
        return real(self, source)

    replace(tmp_path / "site/data/projects/371721.yaml", "title: 曹县乡村文艺队伍培训", "title: 曹县乡村文艺队伍骨干培训")
    with monkeypatch.context() as patched:
        patched.setattr(DocMaker, "make", noting)
        patched.setattr(search_stage, "build_index", whole_index)
        build(tmp_path / "site", out)
    index = index_of(out)
    assert Counter(made.read_text(encoding="utf-8").split()) == {"demand": 1, "region": kinds(index)["地区"]}
    build(tmp_path / "site", tmp_path / "fresh")  # the regions' documents, without inputs, are made every build
    assert index == index_of(tmp_path / "fresh")


@pytest.mark.parametrize("file, edit", [("data/organizations.yaml", OFFER_ORG), ("data/regions.yaml", REGION)],
                         ids=["organization name", "region name"])
def test_what_a_document_reads_beside_its_record_reaches_the_index(tmp_path, file, edit):
    out = build_sample(tmp_path)
    before = index_of(out)
    replace(tmp_path / "site" / file, *edit)
    build(tmp_path / "site", out)
    build(tmp_path / "site", tmp_path / "fresh")
    index = index_of(out)
    assert index == index_of(tmp_path / "fresh")
    new_name = edit[1].split("name: ")[1].rstrip(",")
    shown = Counter(doc["k"] for doc in map(json.loads, (data for name, data in index.items() if name.startswith("d/")))
                    if new_name in doc["b"] or new_name in doc["p"])
    assert shown["供给" if file.endswith("organizations.yaml") else "需求"] > 0  # shown beyond its own record
    replace(tmp_path / "site" / file, edit[1], edit[0])  # and back, from the state the edit build kept
    build(tmp_path / "site", out)
    assert index_of(out) == before


def test_a_file_of_the_index_edited_by_hand_is_written_anew(tmp_path):
    out = build_sample(tmp_path)
    (out / "search-index/d/0.json").write_bytes(b'{"edited": "by hand"}')
    replace(tmp_path / "site/data/projects/371721.yaml", "title: 曹县乡村文艺队伍培训", "title: 曹县乡村文艺队伍骨干培训")
    build(tmp_path / "site", out)
    build(tmp_path / "site", tmp_path / "fresh")
    assert index_of(out) == index_of(tmp_path / "fresh")
