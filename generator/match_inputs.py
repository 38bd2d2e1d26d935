"""The inputs of the match index as arrays: the current demands (grouped by county and
field: a group shares its candidates) and one kind of candidate (who names which
region, fields, forms, and its texts as a BM25F collection)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import numpy as np

from .bm25 import Collection, collection_of
from .bm25_terms import TermRows, carried, term_rows
from .fingerprint import record_digests
from .projects import takes_candidates
from .tokens import GENERIC, terms

if TYPE_CHECKING:  # for annotations; imported where used (a build without match work needs no scipy)
    from scipy import sparse

FIELDS = ("title", "summary", "description")


def is_current(record, today: dt.date) -> bool:
    return record.status == "open" and (record.deadline is None or record.deadline >= today)


def wants_candidates(demand, today: dt.date) -> bool:
    """A demand the index recommends candidates to: it takes them and is not past its deadline."""
    return takes_candidates(demand) and (demand.deadline is None or demand.deadline >= today)


def offer_document(offer, tokenize=terms) -> dict[str, list[str]]:
    return {"title": tokenize(offer.title), "summary": tokenize(offer.summary),
            "description": tokenize(offer.description)}


def org_document(org, tokenize=terms) -> dict[str, list[str]]:
    return {"title": tokenize(org.name), "summary": tokenize(org.services or ""), "description": []}


@dataclass
class SideArrays:
    """What a Side works out from its candidates (kept with match_state.SideState while
    they and the regions and vocabulary are unchanged): their texts as a BM25F collection,
    who names which region (region -> candidate numbers), fields and forms (0/1 rows);
    and, so that a computation after an edit to a few candidates tokenises and counts
    only theirs, the candidates' ids, record digests and texts' entries (bm25_terms.py)."""
    collection: Collection
    naming: dict[int, list[int]]
    fields: np.ndarray
    forms: np.ndarray
    ids: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    rows: TermRows | None = None


class Side:
    """One kind of candidate as arrays: who names which region, fields, forms, text."""

    def __init__(self, records: list, document: Callable[[object], dict], region_index: dict[str, int],
                 fields: dict[str, int], forms: dict[str, int], kept: SideArrays | None = None,
                 former: SideArrays | None = None) -> None:
        """document: a record's texts (offer_document, org_document), for their collection
        unless `kept` (an earlier computation's, of the same records) is given; `former`: an
        earlier computation's of other records, whose unchanged ones' texts are not read."""
        self.records = records
        self.ids = [r.id for r in records]
        self.arrays = kept if kept is not None else _arrays(records, document, region_index, fields, forms, former)
        self.collection, self.naming = self.arrays.collection, self.arrays.naming
        self.fields, self.forms = self.arrays.fields, self.arrays.forms
        self._masks: dict[int | None, np.ndarray] = {}  # region -> who names it, as a 0/1 mask

    def naming_mask(self, region: int | None) -> np.ndarray:
        """Which candidates name the region, as a boolean mask (made once per region: the
        demands of a county fall into several groups, one per field)."""
        mask = self._masks.get(region)
        if mask is None:
            mask = self._masks[region] = np.zeros(len(self.ids), dtype=bool)
            mask[self.naming.get(region, [])] = True
        return mask


def same_records(former_ids: list[str], former_digests: list[str], ids: list[str], digests: list[str]
                 ) -> list[int | None]:
    """For each record (ids, digests: record_digest), its number among an earlier
    computation's (former_ids, former_digests) when it is the very same record, else None."""
    at = {ident: number for number, ident in enumerate(former_ids)}
    found = [at.get(ident) for ident in ids]
    return [number if number is not None and former_digests[number] == digest else None
            for number, digest in zip(found, digests)]


def _arrays(records: list, document: Callable[[object], dict], region_index: dict[str, int],
            fields: dict[str, int], forms: dict[str, int], former: SideArrays | None) -> SideArrays:
    naming: dict[int, list[int]] = {}
    field_rows = np.zeros((len(records), len(fields) + 1), dtype=bool)
    form_rows = np.zeros((len(records), len(forms)), dtype=np.float64)
    for number, record in enumerate(records):
        for code in dict.fromkeys(record.service_regions):
            if code in region_index:
                naming.setdefault(region_index[code], []).append(number)
        for name in record.fields:
            if name in fields:
                field_rows[number, fields[name]] = True
        for name in record.forms:
            if name in forms:
                form_rows[number, forms[name]] = 1.0
    ids, digests = [r.id for r in records], record_digests(records)
    if former is not None and former.rows is not None:
        sources = same_records(former.ids, former.digests, ids, digests)
        rows = carried(former.rows, sources, [document(r) if source is None else None
                                              for r, source in zip(records, sources)], FIELDS)
    else:
        rows = term_rows([document(r) for r in records], FIELDS)
    collection, rows = collection_of(rows, FIELDS)
    return SideArrays(collection, naming, field_rows, form_rows, ids, digests, rows)


@dataclass
class Demands:
    """The current demands as arrays, grouped by (county, field): a group shares its candidates."""
    records: list
    documents: list[dict]
    queries: list[list[str]]  # the demand's own terms (no generic words), then related ones
    related: list[dict[str, str]]  # per demand: a related term it gained -> the demand's word that brought it
    forms: np.ndarray
    key: np.ndarray
    groups: dict[tuple[str, int], list[int]]


def current_demands(site, today: dt.date, fields: dict[str, int], forms: dict[str, int], every: bool,
             tokenize=terms) -> Demands:
    records = sorted((d for d in site.demands if every or wants_candidates(d, today)), key=lambda d: d.id)
    documents = [offer_document(d, tokenize) for d in records]
    wanted = np.zeros((len(records), len(forms)), dtype=np.float64)
    groups: dict[tuple[str, int], list[int]] = {}
    for number, demand in enumerate(records):
        for name in demand.forms:
            if name in forms:
                wanted[number, forms[name]] = 1.0
        if demand.fields and demand.fields[0] in fields and site.regions.get(demand.county) is not None:
            groups.setdefault((demand.county, fields[demand.fields[0]]), []).append(number)
    key = np.array([bool(site.regions.get(d.county) and site.regions.get(d.county).key) for d in records])
    queries, related = [], []
    groups_terms = [[(word, tokenize(word)) for word in group] for group in site.vocabulary.related]  # once
    for demand, document in zip(records, documents):
        own = [t for t in document["title"] + document["summary"] + document["description"] if t not in GENERIC]
        gained = _related_terms(groups_terms, demand, set(own))
        queries.append(own + list(gained))
        related.append(gained)
    return Demands(records, documents, queries, related, wanted, key, groups)


def _related_terms(groups: list[list[tuple[str, list[str]]]], demand, own: set[str]) -> dict[str, str]:
    """The terms of the words related (vocabulary.related; each group as (word, its terms))
    to words the demand's text says, each with the first word of the demand that brought it."""
    text = "\n".join((demand.title, demand.summary or "", demand.description or ""))
    gained: dict[str, str] = {}
    for group in groups:
        said = next((word for word, _terms in group if word in text), None)
        if said is None:
            continue
        for word, word_terms in group:
            if word not in text:
                for term in word_terms:
                    if term not in own and term not in GENERIC:
                        gained.setdefault(term, said)
    return gained


def query_rows(side: Side, demands: Demands, rows: set[int] | None) -> sparse.csr_matrix:
    """The 0/1 term rows of the demands' queries; only of `rows` (the others empty) unless
    None: after an edit, few are scored or explained again."""
    if rows is None:
        return side.collection.query_rows(demands.queries)
    return side.collection.query_rows([query if row in rows else [] for row, query in enumerate(demands.queries)])


def gained_rows(side: Side, demands: Demands):
    """0/1 rows (demands x the side's vocabulary) of the terms each demand gained from related groups."""
    from scipy import sparse  # here: a build without match work never imports scipy
    vocabulary = side.collection.vocabulary
    rows, columns = [], []
    for row, gained in enumerate(demands.related):
        for term in gained:
            if term in vocabulary:
                rows.append(row)
                columns.append(vocabulary[term])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(demands.records), len(vocabulary)))
