"""The match index: for every open demand the offers and organizations that fit it
best, and for every organization and offer the open demands it fits, each with
its reasons.

Rules (weights from site.yaml, see MatchWeights):

- Demands: status open and not past their deadline. Completed, closed, matched
  and expired demands get no recommendations (their pages show who took them).
- Candidates: offers with status open and not past their deadline; every
  organization (except those that already took the demand).
- Region is decisive: a candidate must serve the demand's county, its city or
  the whole province; a partner region outside the province only when named.
- A candidate must work in the demand's field (领域相同).
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

from .bm25 import Collection, build_collection
from .tokens import terms

FIELDS = ("title", "summary", "description")
BLOCK = 256  # demands scored at once: keeps the dense blocks small at provincial scale
KEYWORDS = 3  # shared terms named in a reason
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


def is_current(record, today: dt.date) -> bool:
    return record.status == "open" and (record.deadline is None or record.deadline >= today)


def offer_document(offer) -> dict[str, list[str]]:
    return {"title": terms(offer.title), "summary": terms(offer.summary), "description": terms(offer.description)}


def org_document(org) -> dict[str, list[str]]:
    return {"title": terms(org.name), "summary": terms(org.services or ""), "description": []}


class _Side:
    """One kind of candidate as arrays: region coverage, fields, forms, text."""

    def __init__(self, site, records: list, documents: list[dict], region_index: dict[str, int],
                 fields: dict[str, int], forms: dict[str, int]) -> None:
        self.records = records
        self.ids = [r.id for r in records]
        self.collection: Collection = build_collection(documents, FIELDS)
        count = len(records)
        self.covers = np.zeros((count, len(region_index) + 1), dtype=bool)  # last column: nothing
        self.fields = np.zeros((count, len(fields) + 1), dtype=bool)
        self.forms = np.zeros((count, len(forms)), dtype=np.float64)
        for number, record in enumerate(records):
            for code in record.service_regions:
                if code in region_index:
                    self.covers[number, region_index[code]] = True
            for name in record.fields:
                if name in fields:
                    self.fields[number, fields[name]] = True
            for name in record.forms:
                if name in forms:
                    self.forms[number, forms[name]] = 1.0


def compute_matches(site, today: dt.date, weights: MatchWeights) -> MatchIndex:
    """The whole index, both directions."""
    region_codes = sorted(site.regions.by_code)
    region_index = {code: number for number, code in enumerate(region_codes)}
    nothing = len(region_codes)
    field_index = {f.name: number for number, f in enumerate(site.vocabulary.fields)}
    form_index = {name: number for number, name in enumerate(site.vocabulary.forms)}
    demands = sorted((d for d in site.demands if is_current(d, today)), key=lambda d: d.id)
    offers = sorted((o for o in site.offers if is_current(o, today)), key=lambda o: o.id)
    orgs = sorted(site.organizations.values(), key=lambda o: o.id)
    sides = {"offers": _Side(site, offers, [offer_document(o) for o in offers], region_index, field_index, form_index),
             "orgs": _Side(site, orgs, [org_document(o) for o in orgs], region_index, field_index, form_index)}
    documents = [offer_document(d) for d in demands]
    queries = [doc["title"] + doc["summary"] + doc["description"] for doc in documents]
    # each demand's places: county itself, its city, the province (partner regions: only themselves)
    places = np.full((len(demands), 3), nothing, dtype=np.int64)
    demand_field = np.full(len(demands), len(field_index), dtype=np.int64)
    demand_forms = np.zeros((len(demands), len(form_index)), dtype=np.float64)
    for number, demand in enumerate(demands):
        region = site.regions.get(demand.county)
        if region is not None:
            places[number, 0] = region_index[region.code]
            if region.level == "county":
                city = site.regions.get(region.parent)
                places[number, 1] = region_index[city.code] if city else nothing
                province = site.regions.get(city.parent) if city else None
                places[number, 2] = region_index[province.code] if province else nothing
        if demand.fields and demand.fields[0] in field_index:
            demand_field[number] = field_index[demand.fields[0]]
        for name in demand.forms:
            if name in form_index:
                demand_forms[number, form_index[name]] = 1.0
    key = np.array([bool(site.regions.get(d.county) and site.regions.get(d.county).key) for d in demands])
    result = MatchIndex(weights)
    reasons = _Reasons(site, demands, queries, sides)
    for kind, side in sides.items():
        pairs_c, pairs_d, pairs_s = [], [], []
        forward = result.demand_offers if kind == "offers" else result.demand_orgs
        for start in range(0, len(demands), BLOCK):
            stop = min(start + BLOCK, len(demands))
            selves = np.array([side.collection.self_score(doc) for doc in documents[start:stop]])
            score, eligible = _block_scores(side, weights, queries[start:stop], selves, places[start:stop],
                                            demand_field[start:stop], demand_forms[start:stop])
            if kind == "orgs":
                for row in range(stop - start):
                    taken = demands[start + row].matched_orgs
                    for org_id in taken:
                        column = _position(side.ids, org_id)
                        if column is not None:
                            eligible[row, column] = False
            for row in range(stop - start):
                columns = np.flatnonzero(eligible[row])
                chosen = columns[np.lexsort((columns, -score[row, columns]))][:weights.count]
                forward[demands[start + row].id] = [
                    reasons.recommendation(kind, start + row, int(c), float(score[row, c])) for c in chosen]
            rows, columns = np.nonzero(eligible)
            pairs_c.append(columns)
            pairs_d.append(rows + start)
            pairs_s.append(score[rows, columns])
        backward = result.offer_demands if kind == "offers" else result.org_demands
        _reverse(backward, side, demands, key, weights.count, reasons, kind,
                 np.concatenate(pairs_c) if pairs_c else np.zeros(0, dtype=np.int64),
                 np.concatenate(pairs_d) if pairs_d else np.zeros(0, dtype=np.int64),
                 np.concatenate(pairs_s) if pairs_s else np.zeros(0))
    return result


def _position(ids: list[str], wanted: str) -> int | None:
    at = bisect_left(ids, wanted)
    return at if at < len(ids) and ids[at] == wanted else None


def _block_scores(side: _Side, weights: MatchWeights, queries: list[list[str]], selves: np.ndarray,
                  places: np.ndarray,
                  demand_field: np.ndarray, demand_forms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    text = side.collection.scores(side.collection.query_rows(queries))
    at_county = side.covers[:, places[:, 0]].T
    at_city = side.covers[:, places[:, 1]].T & ~at_county
    covers = at_county | at_city | side.covers[:, places[:, 2]].T
    same_field = side.fields[:, demand_field].T
    wanted = demand_forms.sum(axis=1, keepdims=True)
    shared = demand_forms @ side.forms.T
    share = np.divide(shared, wanted, out=np.zeros_like(shared), where=wanted > 0)
    full = (selves * SATURATION)[:, None]
    relevance = np.divide(text, full, out=np.zeros_like(text), where=full > 0)
    score = (weights.field * same_field + weights.forms * share + weights.text * np.minimum(relevance, 1.0)
             + weights.county * at_county + weights.city * at_city)
    score = np.round(score, 6)  # the same order whatever the summation order of the last bits
    eligible = covers & same_field & (score >= weights.min_score)
    return score, eligible


def _reverse(target: dict, side: _Side, demands: list, key: np.ndarray, count: int, reasons, kind: str,
             cands: np.ndarray, rows: np.ndarray, scores: np.ndarray) -> None:
    """Each candidate's demands: key counties first, then score, then demand id (= row order)."""
    order = np.lexsort((rows, -scores, ~key[rows], cands))
    cands, rows, scores = cands[order], rows[order], scores[order]
    starts = np.flatnonzero(np.r_[True, cands[1:] != cands[:-1]]) if len(cands) else np.zeros(0, dtype=np.int64)
    for number, start in enumerate(starts):
        stop = starts[number + 1] if number + 1 < len(starts) else len(cands)
        candidate = int(cands[start])
        target[side.ids[candidate]] = [
            reasons.recommendation(kind, int(row), candidate, float(score), backward=True)
            for row, score in zip(rows[start:min(stop, start + count)], scores[start:min(stop, start + count)])]
    for candidate_id in side.ids:
        target.setdefault(candidate_id, [])


class _Reasons:
    """The reasons of a recommended pair, in plain Chinese, built in our code."""

    def __init__(self, site, demands: list, queries: list[list[str]], sides: dict[str, _Side]) -> None:
        self.site, self.demands, self.queries, self.sides = site, demands, queries, sides

    def recommendation(self, kind: str, row: int, column: int, score: float, backward: bool = False) -> dict:
        demand, candidate = self.demands[row], self.sides[kind].records[column]
        level, region = _level(self.site, demand.county, candidate.service_regions)
        out = []
        if demand.fields and demand.fields[0] in candidate.fields:
            out.append({"type": "field", "text": f"领域相同：{demand.fields[0]}", "values": [demand.fields[0]]})
        if region is not None:
            out.append({"type": "region", "text": f"服务范围覆盖{region.name}", "values": [region.code]})
        forms = [name for name in demand.forms if name in candidate.forms]
        if forms:
            out.append({"type": "forms", "text": "帮扶方式：" + "、".join(forms), "values": forms})
        words = [term for _weight, term in self.sides[kind].collection.contributions(column, self.queries[row])]
        if words:
            out.append({"type": "keywords", "text": "共同关键词：" + "、".join(words[:KEYWORDS]),
                        "values": words[:KEYWORDS]})
        county = self.site.regions.get(demand.county)
        if backward and county is not None and county.key:
            out.append({"type": "key_county", "text": f"重点帮扶县：{county.name}", "values": [county.code]})
        return {"id": demand.id if backward else candidate.id, "score": round(score, 2), "level": level,
                "reasons": out}


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
