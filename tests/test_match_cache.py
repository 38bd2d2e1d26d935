"""What a build after an edit takes from the match index's cache: nothing is computed for
an edit the index does not read, and the JSON serializes again only the lists that changed;
either way the published index is the one computed from nothing."""
from __future__ import annotations

import pytest

from generator import cachefile, match_texts, matchindex
from generator.build import reference_date
from generator.matchindex import cached_matches, index_json, match_site
from generator.site import load_site
from support import copy_sample_site


def edit_file(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def published(site_dir):
    """The index and its JSON as a build makes them: computed or read back, the JSON
    written, then the cache stored (which keeps the lists' texts too)."""
    site, problems = load_site(site_dir)
    assert not problems.errors
    today = reference_date(site)
    index, store = cached_matches(site, today)
    text = index_json(index, today)
    if store is not None:
        store()
    return site, today, index, text


@pytest.mark.parametrize("path, old, new", [
    ("data/projects/offers.yaml", "  title: 鄄城县人居环境志愿服务队\n", "  title: 鄄城县人居环境志愿服务队（第二期）\n"),
    ("data/projects/370783.yaml", "  title: 寿光市设施蔬菜农药减量与废旧棚膜回收\n",
     "  title: 寿光市设施蔬菜农药减量与废旧棚膜回收（第二期）\n"),
])
def test_an_edit_to_a_record_the_index_does_not_read_computes_nothing(tmp_path, monkeypatch, path, old, new):
    """A closed offer is no candidate and a completed demand gets no recommendations:
    editing either leaves both halves of the index as they were."""
    site_dir = copy_sample_site(tmp_path / "site")
    _site, _today, _index, before = published(site_dir)
    edit_file(site_dir / path, old, new)
    calls = []
    real = matchindex.compute_with_states
    monkeypatch.setattr(matchindex, "compute_with_states", lambda *a, **k: calls.append(k["kinds"]) or real(*a, **k))
    site, today, _index, after = published(site_dir)
    monkeypatch.undo()
    assert calls == []
    assert after == before == index_json(match_site(site, today, use_cache=False), today)


def test_the_json_serializes_again_only_the_lists_an_edit_changed(tmp_path, monkeypatch):
    site_dir = copy_sample_site(tmp_path / "site")
    published(site_dir)
    edit_file(site_dir / "data/projects/371726.yaml", "并与爱心单位建立长期结对关系。", "并与爱心单位建立长期结对关系和养老服务。")
    serialized = []
    real = match_texts.list_text
    monkeypatch.setattr(match_texts, "list_text", lambda items: serialized.append(items) or real(items))
    site, today, index, text = published(site_dir)
    monkeypatch.undo()
    lists = sum(len(getattr(index, name)) for name in ("demand_offers", "demand_orgs", "offer_demands",
                                                        "org_demands"))
    assert 0 < len(serialized) < lists / 4
    assert text == index_json(match_site(site, today, use_cache=False), today)
    _site, _today, _index, again = published(site_dir)  # nothing changed: every text is read back
    assert again == text


def test_damaged_texts_in_the_cache_are_serialized_again(tmp_path):
    site_dir = copy_sample_site(tmp_path / "site")
    _site, _today, _index, before = published(site_dir)
    stored = sorted((site_dir / ".zhuanlan-cache" / "match").glob("texts-*"))
    assert len(stored) == 2
    for path in stored:
        path.write_bytes(path.read_bytes()[:-40] + b"x" * 40)
    _site, _today, _index, after = published(site_dir)
    assert after == before


LISTS = ("demand_offers", "demand_orgs", "offer_demands", "org_demands")  # the match index's lists


def every_list(index) -> dict[str, dict[str, list]]:
    return {name: {ident: getattr(index, name)[ident] for ident in getattr(index, name)} for name in LISTS}


def unpickled(monkeypatch) -> list[str]:
    """The names of the match index's cache files loaded from now on."""
    loaded = []
    real = matchindex.cachefile.load

    def load(path):
        if path.parent.name == matchindex.MATCH_CACHE:
            loaded.append(path.name)
        return real(path)
    monkeypatch.setattr(matchindex.cachefile, "load", load)
    return loaded


def test_a_build_that_changes_no_match_reads_back_only_the_halves_summaries(tmp_path, monkeypatch):
    """Unpickling both halves whole was most of what reading back the index cost the build;
    their summaries give the record pages' keys, and the lists read from the texts file are
    the very lists computed from nothing."""
    site_dir = copy_sample_site(tmp_path / "site")
    published(site_dir)
    published(site_dir)  # the first read-back stores nothing more
    loaded = unpickled(monkeypatch)
    site, today, index, text = published(site_dir)
    monkeypatch.undo()
    assert sorted(name.split("-")[0] for name in loaded) == ["summary", "summary"]
    fresh = match_site(site, today, use_cache=False)
    assert every_list(index) == every_list(fresh)
    assert text == index_json(fresh, today)


def change_a_score(folder) -> None:
    """Every texts file still decodes at every span, but its first list has another score
    than the half's."""
    for path in folder.glob("texts-*"):
        blob = path.read_bytes()
        at = blob.index(b'"score": ') + len(b'"score": ')
        path.write_bytes(blob[:at] + (b"2" if blob[at:at + 1] == b"1" else b"1") + blob[at + 1:])


def test_a_list_changed_in_the_texts_file_is_taken_from_the_half_instead(tmp_path):
    site_dir = copy_sample_site(tmp_path / "site")
    published(site_dir)
    change_a_score(site_dir / ".zhuanlan-cache" / "match")
    site, today, index, text = published(site_dir)
    fresh = match_site(site, today, use_cache=False)
    assert every_list(index) == every_list(fresh)
    assert text == index_json(fresh, today)


def test_with_the_texts_changed_and_the_halves_gone_the_index_is_computed_again(tmp_path):
    site_dir = copy_sample_site(tmp_path / "site")
    published(site_dir)
    folder = site_dir / ".zhuanlan-cache" / "match"
    change_a_score(folder)
    for path in folder.iterdir():
        if "-" not in path.name:  # a half's pickle
            path.unlink()
    site, today, index, text = published(site_dir)
    fresh = match_site(site, today, use_cache=False)
    assert every_list(index) == every_list(fresh)
    assert text == index_json(fresh, today)


def test_a_damaged_summary_is_made_again_from_the_half(tmp_path, monkeypatch):
    site_dir = copy_sample_site(tmp_path / "site")
    _site, _today, _index, before = published(site_dir)
    summaries = sorted((site_dir / ".zhuanlan-cache" / "match").glob("summary-*"))
    assert len(summaries) == 2
    summaries[0].write_bytes(summaries[0].read_bytes()[:-10] + b"x" * 10)
    site, today, index, after = published(site_dir)  # reads that half whole, and stores its summary again
    assert after == before == index_json(match_site(site, today, use_cache=False), today)
    loaded = unpickled(monkeypatch)
    _site, _today, _index, again = published(site_dir)
    monkeypatch.undo()
    assert again == before
    assert sorted(name.split("-")[0] for name in loaded) == ["summary", "summary"]


def test_a_summary_of_another_half_or_of_part_of_one_is_not_used(tmp_path):
    """Signed by the build all the same: a summary stored under another half's name, or
    describing only some of its lists, would give pages wrong or no recommendations."""
    site_dir = copy_sample_site(tmp_path / "site")
    _site, _today, _index, before = published(site_dir)
    folder = site_dir / ".zhuanlan-cache" / "match"
    first, second = sorted(folder.glob("summary-*"))
    first_bytes = first.read_bytes()
    first.write_bytes(second.read_bytes())
    second.write_bytes(first_bytes)
    site, today, index, after = published(site_dir)
    fresh = match_site(site, today, use_cache=False)
    assert every_list(index) == every_list(fresh)
    assert after == before == index_json(fresh, today)
    for path in folder.glob("summary-*"):  # stored again, each now without its candidates' lists
        summary = cachefile.load(path)
        del summary.lists[next(name for name in summary.lists if name in ("offer_demands", "org_demands"))]
        cachefile.dump(path, summary)
    site, today, index, again = published(site_dir)
    assert every_list(index) == every_list(fresh)
    assert again == before
