"""The match index: for every open demand the offers and organizations that fit it
best, and for every organization and offer the open demands it fits, each with
its reasons.

Rules (weights from site.yaml, see MatchWeights):

- Demands: status open and not past their deadline, or matched but marked
  many_to_one (多对一: more organizations welcome; those who took it are left out).
  Completed, closed, other matched and expired demands get no recommendations
  (their pages show who took them).
- Candidates: offers with status open and not past their deadline; every
  organization (except those that already took the demand).
- Region is decisive: a candidate must serve the demand's county, its city or
  the whole province; a partner region outside the province only when named.
- A candidate must work in the demand's field (领域相同) and share at least one
  keyword with the demand beyond the words nearly every project uses
  (tokens.GENERIC: 培训, 服务, 组织 …); those words do not count in the text term.
  The department's groups of related words (vocabulary `related`) extend a demand's
  words: a demand that says 销售渠道 also looks for 电商 when they share a group.
- score = field + forms x (share of the demand's forms of help it offers)
          + text x min(1, BM25F / (SATURATION x the demand's score against itself))
          + county x [serves the county itself] + city x [serves its city, not named county]
  and a candidate is recommended when its score reaches min_score. The text term is
  absolute (against what the demand's own words would score), not relative to the
  other candidates, so that the best of several poor text matches stays poor.
- A demand's list: highest score first, ties by id. An organization's or offer's
  list: demands in key assistance counties (重点帮扶县) first, then score, then id.

One score per (demand, candidate) pair serves both directions, so a demand page
and an organization page never disagree about a pair.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np

from .collector import paused
from .match_blocks import CountyTexts
from .match_inputs import (Demands, Side, SideArrays, current_demands, gained_rows, is_current, offer_document,
                           org_document, query_rows)
from .match_reasons import Reasons
from .match_carry import Carry
from .match_state import SideState, StateWriter, chosen, reuse, reverse, touched
from .tokens import GENERIC, terms

KINDS = ("offers", "orgs")  # the kinds of candidate
SATURATION = 0.25  # a quarter of a demand's score against itself counts as full text relevance


@dataclass(frozen=True)
class MatchWeights:
    field: int = 40
    forms: int = 20
    text: int = 30
    county: int = 10
    city: int = 5
    min_score: int = 55
    count: int = 5

    @classmethod
    def from_settings(cls, settings: dict) -> "MatchWeights":
        return cls(**{name: int(settings.get(f"match_{name}" if name in ("min_score", "count")
                                             else f"match_weight_{name}", default))
                      for name, default in dataclasses.asdict(cls()).items()})


@dataclass
class MatchIndex:
    """Each list holds recommendation dicts: {id, score, level, reasons: [{type, text, values}]}."""
    weights: MatchWeights
    demand_offers: dict[str, list[dict]] = field(default_factory=dict)
    demand_orgs: dict[str, list[dict]] = field(default_factory=dict)
    offer_demands: dict[str, list[dict]] = field(default_factory=dict)
    org_demands: dict[str, list[dict]] = field(default_factory=dict)
    # where index_json finds the JSON text of lists serialized before (match_texts.ListTexts)
    texts: object | None = field(default=None, compare=False, repr=False)
    # a digest of each list by attribute and id, where the cache has it (list_digests.py)
    digests: dict[str, dict[str, bytes]] = field(default_factory=dict, compare=False, repr=False)


def compute_matches(site, today: dt.date, weights: MatchWeights, every_demand: bool = False,
                    tokenize=terms, kinds: tuple[str, ...] = KINDS) -> MatchIndex:
    """The whole index, both directions. every_demand (benchmarks): score every demand,
    whatever its status and deadline. tokenize: tokens.terms, or a TermCache's. kinds:
    the kinds of candidate to match (each is independent of the other: `offers` fills
    demand_offers and offer_demands, `orgs` demand_orgs and org_demands)."""
    return compute_with_states(site, today, weights, every_demand, tokenize, kinds)[0]


def compute_with_states(site, today: dt.date, weights: MatchWeights, every_demand: bool = False, tokenize=terms,
                        kinds: tuple[str, ...] = KINDS, previous: dict[str, SideState] | None = None,
                        earlier: dict[str, tuple[dict, dict]] | None = None,
                        former: dict[str, SideState] | None = None, counted: dict[str, SideArrays] | None = None
                        ) -> tuple[MatchIndex, dict[str, SideState]]:
    """compute_matches, and for each kind what the next build may keep (match_state.py).
    previous: per kind, the state of an earlier computation whose key is this content's;
    former: per kind without one, the state of an earlier computation of other candidates
    of that kind but the same regions, vocabulary, weights, date and code (match_carry.py);
    earlier: per kind, the lists the computation of either made (per demand, per candidate);
    counted: per kind, the candidates' arrays of an earlier computation by the same code in
    any context, whose term counts of unchanged candidates are taken over (bm25_terms.py).
    The collector is paused meanwhile (collector.py): the index is hundreds of thousands
    of small acyclic dicts and lists."""
    with paused():
        return _compute(site, today, weights, every_demand, tokenize, kinds, previous or {}, earlier or {},
                        former or {}, counted or {})


def _compute(site, today: dt.date, weights: MatchWeights, every_demand: bool, tokenize,
             kinds: tuple[str, ...], previous: dict[str, SideState], earlier: dict[str, tuple[dict, dict]],
             former: dict[str, SideState], counted: dict[str, SideArrays]) -> tuple[MatchIndex, dict[str, SideState]]:
    region_index = {code: number for number, code in enumerate(sorted(site.regions.by_code))}
    field_index = {f.name: number for number, f in enumerate(site.vocabulary.fields)}
    form_index = {name: number for number, name in enumerate(site.vocabulary.forms)}
    demands = current_demands(site, today, field_index, form_index, every_demand, tokenize)
    candidates = {"offers": (sorted((o for o in site.offers if is_current(o, today)), key=lambda o: o.id),
                             offer_document),
                  "orgs": (sorted(site.organizations.values(), key=lambda o: o.id), org_document)}
    kept = {kind: previous[kind].arrays for kind in kinds if kind in previous}
    former = {kind: state for kind, state in former.items() if kind not in previous and state.arrays is not None}
    counted = {**counted, **{kind: state.arrays for kind, state in former.items()}}
    sides = {kind: Side(records, lambda record, document=document: document(record, tokenize), region_index,
                        field_index, form_index, kept.get(kind), counted.get(kind))
             for kind, (records, document) in candidates.items() if kind in kinds}
    result = MatchIndex(weights)
    for demand in demands.records:
        if "offers" in kinds:
            result.demand_offers[demand.id] = []
        if "orgs" in kinds:
            result.demand_orgs[demand.id] = []
    states = {}
    for kind, side in sides.items():
        writer = StateWriter()
        prior = previous.get(kind)
        if prior is not None:
            carry = Carry.of_prior(prior, demands)
        elif kind in former:
            carry = Carry.of_former(former[kind], demands, side.arrays)
        else:
            carry = Carry()
        _match_side(site, kind, side, demands, weights, region_index, result, carry, writer,
                    earlier.get(kind) if carry.earlier else None)
        states[kind] = writer.state(side.arrays)
    return result, states


def _match_side(site, kind: str, side: Side, demands: Demands, weights: MatchWeights, region_index: dict,
                result: MatchIndex, carry: Carry, writer: StateWriter, earlier: tuple[dict, dict] | None) -> None:
    """One kind of candidate against every demand, both directions, into result; each
    demand's eligible pairs into writer. Demands unchanged since a prior state of the same
    candidates are not scored again (carry.kept), and lists that stay as they were are
    taken from `earlier` (the lists of the computation carry stems from): an unchanged
    demand's own list always, a candidate's when no demand changed among its pairs before
    or after (match_state.touched), else when it comes out the same (match_state.earlier_list;
    after an edit to candidates, match_carry.py)."""
    into_demands = result.demand_offers if kind == "offers" else result.demand_orgs
    into_candidates = result.offer_demands if kind == "offers" else result.org_demands
    before_demands, before_candidates = earlier if earlier is not None else ({}, {})
    kept = carry.kept
    term_rows = query_rows(side, demands, None if carry.prior is None else set(kept) - set(carry.found))
    selves = np.zeros(len(demands.records))  # each demand scored here: its score against itself
    scoring = sorted(row for group in demands.groups.values() for row in group if row not in carry.found)
    selves[scoring] = side.collection.self_scores([demands.documents[row] for row in scoring], GENERIC)
    forward: dict[int, list[tuple[int, int, float]]] = {}
    pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    scored: list[np.ndarray] = []  # the candidates of the pairs scored here
    texts = CountyTexts(side.collection.weights, term_rows, [(demands.records[row].county, row) for row in scoring])
    for (county, field_number), group in sorted(demands.groups.items()):
        rows = []
        for row in group:
            if row not in carry.found:
                rows.append(row)
                continue
            columns, scores = kept[row]
            writer.add(demands.records[row], columns, scores)
            pairs.append((columns, np.full(len(columns), row, dtype=np.int64), scores))
            found = before_demands.get(demands.records[row].id)
            if found is not None:  # the same pairs as the earlier computation's, so the same list
                into_demands[demands.records[row].id] = found
            else:
                forward[row] = chosen(row, columns, scores, weights.count)
        if not rows:
            continue
        at_county, at_city, candidates, serving = _candidates(site, side, county, field_number, region_index)
        if not len(candidates):
            continue
        rows_a = np.array(rows, dtype=np.int64)
        text = texts.scores(county, serving, rows_a, candidates)
        wanted = demands.forms[rows_a].sum(axis=1, keepdims=True)
        shared = demands.forms[rows_a] @ side.forms[candidates].T
        share = np.divide(shared, wanted, out=np.zeros_like(shared), where=wanted > 0)
        full = (selves[rows_a] * SATURATION)[:, None]
        relevance = np.divide(text, full, out=np.zeros_like(text), where=full > 0)
        score = (weights.field + weights.forms * share + weights.text * np.minimum(relevance, 1.0)
                 + weights.county * at_county + weights.city * at_city)
        score = np.round(score, 6)  # the same order whatever the summation order of the last bits
        eligible = (score >= weights.min_score) & (text > 0)
        if kind == "orgs":
            _exclude_takers(eligible, rows, demands.records, side, candidates)
        for at, row in enumerate(rows):
            columns = np.flatnonzero(eligible[at])
            writer.add(demands.records[row], candidates[columns], score[at, columns])
            forward[row] = chosen(row, candidates[columns], score[at, columns], weights.count)
        at_rows, at_columns = np.nonzero(eligible)
        pairs.append((candidates[at_columns], rows_a[at_rows], score[at_rows, at_columns]))
        scored.append(pairs[-1][0])
    if carry.prior is not None:
        changed = touched(carry.prior, len(side.ids), {demands.records[row].id for row in carry.found}, scored)
    else:
        changed = np.ones(len(side.ids), dtype=bool)
    changed |= np.array([ident not in before_candidates for ident in side.ids], dtype=bool)
    for column in np.flatnonzero(~changed).tolist():  # no pair of theirs changed: their earlier list
        into_candidates[side.ids[column]] = before_candidates[side.ids[column]]
    backward = reverse(demands.key, weights.count, pairs, changed)
    demand_ids = [demand.id for demand in demands.records]
    forward = reuse(forward, before_demands if carry.former else {}, into_demands, demand_ids, side.ids, True,
                    carry.stable_pairs)
    backward = reuse(backward, before_candidates if carry.unchanged else {}, into_candidates, side.ids, demand_ids,
                     False, carry.stable_pairs)
    picked = {(r, c) for chosen_ in list(forward.values()) + list(backward.values()) for r, c, _s in chosen_}
    if carry.prior is not None:
        term_rows = query_rows(side, demands, {r for r, _c in picked})
    reasons = Reasons(site, demands, side, _level)
    reasons.prepare(picked, term_rows, gained_rows(side, demands))
    for row, chosen_ in forward.items():
        into_demands[demands.records[row].id] = [reasons.recommendation(r, c, score) for r, c, score in chosen_]
    for column, candidate_id in enumerate(side.ids):
        if candidate_id not in into_candidates:
            into_candidates[candidate_id] = [reasons.recommendation(r, c, score, backward=True)
                                             for r, c, score in backward.get(column, [])]


def _candidates(site, side: Side, county: str, field_number: int, region_index: dict[str, int]):
    """Candidates serving a county (itself, its city, the province; a partner region only
    itself) and working in the field: (at_county, at_city) 0/1 rows, the candidates, and
    those serving the county whatever their fields."""
    region = site.regions.get(county)
    places = [region_index[region.code]]
    if region.level == "county":
        city = site.regions.get(region.parent)
        province = site.regions.get(city.parent) if city else None
        places += [region_index[city.code] if city else None, region_index[province.code] if province else None]
    masks = [side.naming_mask(place) for place in places]
    serving = masks[0] if len(masks) == 1 else masks[0] | masks[1] | masks[2]
    candidates = np.flatnonzero(serving & side.fields[:, field_number])  # ascending
    at_county = masks[0][candidates]
    at_city = ~at_county & masks[1][candidates] if len(masks) > 1 else np.zeros(len(candidates), bool)
    return at_county.astype(np.float64), at_city.astype(np.float64), candidates, np.flatnonzero(serving)


def _exclude_takers(eligible: np.ndarray, rows: list[int], records: list, side: Side,
                    candidates: np.ndarray) -> None:
    """An organization that already took a demand is not recommended to it."""
    for at, row in enumerate(rows):
        for org_id in records[row].matched_orgs:
            number = _position(side.ids, org_id)
            if number is not None:
                eligible[at, candidates == number] = False


def _position(ids: list[str], wanted: str) -> int | None:
    at = bisect_left(ids, wanted)
    return at if at < len(ids) and ids[at] == wanted else None


def _level(site, county_code: str | None, named: list[str]):
    """How a candidate reaches a demand's place: (county | city | province | partner, the region named)."""
    named_set = set(named)
    region = site.regions.get(county_code)
    while region is not None:
        if region.code in named_set:
            level = "partner" if region.level == "partner" else region.level
            return level, region
        if region.level == "partner":
            break
        region = site.regions.get(region.parent)
    return None, None
