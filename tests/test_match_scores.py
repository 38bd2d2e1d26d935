"""The match index's text scores worked out in bulk are the very numbers of their
definitions: a demand's score against itself (what a strong text match is measured
by) and its scores against the candidates of its group. A last-bit difference could
move a pair across min_score or swap two ranks, and a demand scored again alone after
an edit must score as it did among all the others (the index after an edit is the one
computed from nothing)."""
from __future__ import annotations

from math import log

import numpy as np
import pytest

from generator.bm25 import B, K1, build_collection, rounded_length
from generator.build import reference_date
from generator.match_blocks import CountyTexts
from generator.match_inputs import FIELDS, Side, current_demands, offer_document, org_document, query_rows
from generator.matching import _candidates
from generator.site import load_site
from generator.tokens import GENERIC
from support import REPO


@pytest.fixture(scope="module")
def sample():
    site, problems = load_site(REPO, use_cache=False)
    assert not problems.errors
    today = reference_date(site)
    region_index = {code: number for number, code in enumerate(sorted(site.regions.by_code))}
    field_index = {f.name: number for number, f in enumerate(site.vocabulary.fields)}
    form_index = {name: number for number, name in enumerate(site.vocabulary.forms)}
    demands = current_demands(site, today, field_index, form_index, True)
    offers = sorted(site.offers, key=lambda o: o.id)
    orgs = sorted(site.organizations.values(), key=lambda o: o.id)
    sides = {"offers": Side(offers, offer_document, region_index, field_index, form_index),
             "orgs": Side(orgs, org_document, region_index, field_index, form_index)}
    return site, region_index, demands, sides


def defined_self_score(collection, document: dict[str, list[str]], ignored: frozenset[str]) -> float:
    """The self score as bm25.py defines it, one term at a time: field by field, each
    distinct term in the order it first occurs, added up left to right."""
    unseen = log(collection.count or 1) + 1.0
    total = 0.0
    for name, words in document.items():
        if name not in collection.idf or not words:
            continue
        fl = rounded_length(len(words))
        for term in dict.fromkeys(words):
            if term in ignored:
                continue
            tf = words.count(term)
            column = collection.vocabulary.get(term)
            idf = collection.idf[name][column] if column is not None else unseen
            total += idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / collection.average[name])))
    return total


def long_documents(sample_documents: list[dict]) -> list[dict]:
    """Documents of many distinct terms (the sample's own demands are short): every term
    the sample's demands use, some twice, in one field or spread over three."""
    words = list(dict.fromkeys(t for doc in sample_documents for name in FIELDS for t in doc[name]))
    return [{"title": words[:7], "summary": words[::3] + words[:40], "description": words},
            {"title": [], "summary": words[5:90] + words[5:20], "description": ["未见过的词"] * 3 + words[50:]}]


@pytest.mark.parametrize("kind", ["offers", "orgs"])
def test_self_scores_are_each_demands_term_weights_added_in_order(sample, kind):
    _site, _regions, demands, sides = sample
    collection = sides[kind].collection
    documents = demands.documents + long_documents(demands.documents)
    defined = [defined_self_score(collection, document, GENERIC) for document in documents]
    assert any(score > 0 for score in defined)
    assert collection.self_scores(documents, GENERIC).tolist() == defined
    some = [len(documents) - 1, 3, len(documents) - 2, 0]  # a few demands scored again after an edit
    assert collection.self_scores([documents[at] for at in some], GENERIC).tolist() == [defined[at] for at in some]
    assert collection.self_scores([], GENERIC).tolist() == []


def test_self_scores_of_no_collection_count_every_term_as_unseen():
    empty = build_collection([], FIELDS)
    document = {"title": ["养老", "养老", "服务"], "summary": [], "description": ["助餐"]}
    assert empty.self_scores([document], GENERIC).tolist() == [defined_self_score(empty, document, GENERIC)]


@pytest.mark.parametrize("kind", ["offers", "orgs"])
def test_each_group_gets_the_text_scores_of_its_own_product(sample, kind):
    """A county's block of text scores gives every (county, field) group what the group's
    own sparse product gives, bit for bit."""
    site, region_index, demands, sides = sample
    side = sides[kind]
    terms = query_rows(side, demands, None)
    scored = [(county, row) for (county, _field), group in demands.groups.items() for row in group]
    texts = CountyTexts(side.collection.weights, terms, scored)
    compared = 0
    for (county, field_number), group in sorted(demands.groups.items()):
        _at_county, _at_city, candidates, serving = _candidates(site, side, county, field_number, region_index)
        if not len(candidates):
            continue
        rows = np.array(group, dtype=np.int64)
        own = (terms[rows] @ side.collection.weights[candidates].T).toarray()
        block = texts.scores(county, serving, rows, candidates)
        assert block.shape == own.shape and (block.view(np.int64) == own.view(np.int64)).all(), (county, field_number)
        compared += int((own > 0).sum())
    assert compared > 20
