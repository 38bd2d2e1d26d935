"""After an edit to a candidate (an open offer, an organization) its kind's half of the
match index is computed again from the earlier state of the other candidates
(match_carry.py): the BM25F collection from the earlier term counts, and the lists that
come out the same taken over, reasons and all. The index is always the one computed from
nothing, and the collection the one built from nothing, bit for bit."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from generator import bm25_terms, match_carry
from generator.bm25 import build_collection, collection_of
from generator.bm25_terms import carried, term_rows
from generator.build import reference_date
from generator.match_carry import stable_candidates
from generator.match_inputs import FIELDS, SideArrays, offer_document
from generator.match_reasons import Reasons
from generator.matchindex import cached_matches, index_json, match_site
from generator.site import load_site
from support import REPO, copy_sample_site


def edit_file(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def published(site_dir):
    """The index and its JSON as a build makes them, then the cache stored."""
    site, problems = load_site(site_dir)
    assert not problems.errors
    today = reference_date(site)
    index, store = cached_matches(site, today)
    text = index_json(index, today)
    if store is not None:
        store()
    return site, today, index, text


ENDING = "    优先承接重点帮扶县的互助养老需求。\n"


@pytest.mark.parametrize("path, old, new, kind", [
    # a pair whose text term is full keeps its score, but 服务站 now weighs more: other keywords
    ("data/projects/offers.yaml", ENDING, ENDING.replace("。", "。服务站服务站"), "offers"),
    ("data/projects/offers.yaml", "并组织志愿者探访独居老人。\n", "并组织志愿者探访独居老人和留守儿童。\n", "offers"),
    ("data/projects/offers.yaml", "  deadline: 2025-12-31\n  status: open\n\n- id: s-ecommerce-live-2025\n",
     "  deadline: 2025-12-31\n  status: full\n\n- id: s-ecommerce-live-2025\n", "offers"),  # no candidate any more
    ("data/organizations.yaml", "以及县级社会工作服务站的专业督导。", "以及县级社会工作服务站的专业督导和电商培训。", "orgs"),
])
def test_after_an_edit_to_a_candidate_its_half_takes_what_stays_from_the_earlier_state(
        tmp_path, monkeypatch, path, old, new, kind):
    site_dir = copy_sample_site(tmp_path / "site")
    published(site_dir)
    edit_file(site_dir / path, old, new)
    counted, explained, carried_from = [], [], []
    real_rows = bm25_terms.term_rows
    monkeypatch.setattr(bm25_terms, "term_rows", lambda documents, *a: counted.append(len(documents))
                        or real_rows(documents, *a))
    real_recommendation = Reasons.recommendation
    monkeypatch.setattr(Reasons, "recommendation",
                        lambda self, *a, **k: explained.append(1) or real_recommendation(self, *a, **k))
    real_stable = match_carry.stable_candidates
    monkeypatch.setattr(match_carry, "stable_candidates", lambda *a: carried_from.append(1) or real_stable(*a))
    site, today, index, text = published(site_dir)
    monkeypatch.undo()
    assert carried_from == [1]  # the half was computed from the earlier state of other candidates
    assert sum(counted) <= 1  # only the edited candidate's texts were counted again
    lists = (index.demand_offers, index.offer_demands) if kind == "offers" else (index.demand_orgs, index.org_demands)
    recommendations = sum(len(items) for half in lists for items in half.values())
    assert 0 < len(explained) < recommendations  # lists that stay are the earlier ones, reasons and all
    assert text == index_json(match_site(site, today, use_cache=False), today)
    _site, _today, _index, again = published(site_dir)  # and what was stored reads back the same
    assert again == text


def sides(documents: list[dict], ids: list[str], digests: list[str]) -> SideArrays:
    collection, rows = collection_of(term_rows(documents, FIELDS), FIELDS)
    empty = np.zeros((len(documents), 0))
    return SideArrays(collection, {}, empty, empty, ids, digests, rows)


def test_a_candidate_whose_terms_change_order_by_weight_keeps_no_earlier_reasons():
    """A candidate's reasons name its shared terms that weigh most: when another candidate's
    edit changes the order of its terms by weight (here 鲜花 grows common, 果蔬 rare), the
    pairs of that candidate are explained again; a candidate whose order stays keeps them."""
    def document(*title: str) -> dict:
        return {"title": list(title), "summary": [], "description": []}
    ids = ["a", "b", "c"]
    before = sides([document("鲜花", "果蔬"), document("果蔬", "电商"), document("直播", "带货", "带货")],
                   ids, ["a1", "b1", "c1"])
    after = sides([document("鲜花", "果蔬"), document("鲜花", "电商"), document("直播", "带货", "带货")],
                  ids, ["a1", "b2", "c1"])

    def first(side: SideArrays) -> str:
        row = side.collection.weights[0]
        return side.collection.terms[row.indices[np.argmax(row.data)]]
    assert (first(before), first(after)) == ("鲜花", "果蔬")  # candidate a's terms changed order
    assert stable_candidates(before, after).tolist() == [False, False, True]  # b is another record


def test_a_collection_carried_over_is_the_one_built_from_nothing():
    """The term counts of unchanged documents taken from an earlier collection give the
    collection of the new documents bit for bit: vocabulary order (first use), document
    frequencies, average lengths and every weight, after documents were edited (a term
    gained, another's first use gone), removed and added ahead of the others."""
    site, problems = load_site(REPO, use_cache=False)
    assert not problems.errors
    documents = [offer_document(offer) for offer in sorted(site.offers, key=lambda o: o.id)]
    assert len(documents) > 4
    _earlier, earlier_rows = collection_of(term_rows(documents, FIELDS), FIELDS)
    edited = dict(documents[1], title=documents[1]["title"][1:] + ["新词"])
    added = {"title": ["另一个新词", *documents[0]["title"]], "summary": ["补充"], "description": []}
    now = [added, documents[0], edited, *documents[3:]]
    sources = [None, 0, None, *range(3, len(documents))]
    fresh_ones = [document if source is None else None for document, source in zip(now, sources)]
    made, _rows = collection_of(carried(earlier_rows, sources, fresh_ones, FIELDS), FIELDS)
    built = build_collection(now, FIELDS)
    assert list(made.vocabulary) == list(built.vocabulary) and made.terms == built.terms
    assert made.count == built.count and made.average == built.average
    for name in FIELDS:
        assert made.idf[name].view(np.int64).tolist() == built.idf[name].view(np.int64).tolist()
    assert made.weights.indptr.tolist() == built.weights.indptr.tolist()
    assert made.weights.indices.tolist() == built.weights.indices.tolist()
    assert made.weights.data.view(np.int64).tolist() == built.weights.data.view(np.int64).tolist()


def test_in_another_context_the_candidates_texts_are_not_counted_again(tmp_path, monkeypatch):
    """A new reference date (or regions, vocabulary, weights) computes both halves from
    nothing, but the term counts of the candidates' texts are the same code's: taken over."""
    from generator import match_inputs
    site_dir = copy_sample_site(tmp_path / "site")
    site, today, _index, _text = published(site_dir)
    later = today + dt.timedelta(days=1)
    counted = []
    real_rows = bm25_terms.term_rows
    for module in (bm25_terms, match_inputs):
        monkeypatch.setattr(module, "term_rows", lambda documents, *a: counted.append(len(documents))
                            or real_rows(documents, *a))
    index, _store = cached_matches(site, later)
    monkeypatch.undo()
    assert counted == [0, 0]  # offers, organizations: no text counted again
    assert index_json(index, later) == index_json(match_site(site, later, use_cache=False), later)
