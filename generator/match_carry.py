"""What a computation of one kind of candidate's half still takes from an earlier one
after an edit to candidates of that kind (an open offer's title, say).

The candidates' BM25F collection is then another one: document frequencies and average
field lengths change, so every pair is scored again (match_state.py covers edits to
demands only). But most lists come out naming the same records with the same rounded
scores, and their reasons are then the earlier ones too when nothing a reason reads has
changed: the demand and the candidate (field, region, forms: their records) and the
words named, which are the pair's shared terms that weigh most in the candidate's
collection row. So a pair keeps its reasons when its demand and its candidate are the
very records of the earlier computation and the candidate's terms come in the same order
by weight as they did (ties too): then the few terms it shares with any demand come in
that order as well. Everything else the reasons read (regions, vocabulary, weights, the
date, the code) is part of the earlier state's context, which must be this one's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .fingerprint import record_digests
from .match_inputs import SideArrays, same_records
from .match_state import SideState


def stable_candidates(former: SideArrays, now: SideArrays) -> np.ndarray:
    """A mask of now's candidates: the same record as one of former's, its terms in the
    same order by weight."""
    pairs = [(new, old) for new, old in enumerate(same_records(former.ids, former.digests, now.ids, now.digests))
             if old is not None]
    stable = np.zeros(len(now.ids), dtype=bool)
    if not pairs:
        return stable
    new_rows = np.array([new for new, _old in pairs], dtype=np.int64)
    old_rows = np.array([old for _new, old in pairs], dtype=np.int64)
    vocabulary = now.collection.vocabulary
    to_now = np.array([vocabulary.get(term, -1) for term in former.collection.terms] + [-1], dtype=np.int64)
    new, old = now.collection.weights[new_rows], former.collection.weights[old_rows]
    if not np.array_equal(new.indptr, old.indptr):  # not the same terms: never, for the same record
        return stable
    owner = np.repeat(np.arange(len(new_rows)), np.diff(new.indptr))
    old_weights = _aligned(owner, to_now[old.indices], new.indices, old.data)
    if old_weights is None:
        return stable
    order = _by_weight(owner, new.data)
    new_weights, old_weights, owner = new.data[order], old_weights[order], owner[order]
    within = owner[1:] == owner[:-1]
    # along now's ranking (weight down, ties by column) the former weights go down too, with
    # the very same ties: then former's ranking, ties by term, was this one's
    differ = within & ((old_weights[1:] > old_weights[:-1])
                       | ((new_weights[1:] == new_weights[:-1]) != (old_weights[1:] == old_weights[:-1])))
    bad = np.zeros(len(new_rows), dtype=bool)
    bad[owner[1:][differ]] = True
    stable[new_rows[~bad]] = True
    return stable


def _aligned(owner: np.ndarray, columns: np.ndarray, now_columns: np.ndarray, weights: np.ndarray
             ) -> np.ndarray | None:
    """Former's weights of the rows' entries in the order of now's (by row, then column):
    `columns` are former's entries as now's columns, ascending as now's are unless the
    vocabulary's order changed. None when a row's terms are not now's."""
    if not np.array_equal(columns, now_columns):
        order = np.lexsort((columns, owner))
        if not np.array_equal(columns[order], now_columns):
            return None
        weights = weights[order]
    return weights


def _by_weight(owner: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The order of entries (grouped by row, columns ascending within it) by row, then
    weight down, then column: two stable sorts (the one by row a radix sort) take less
    than one lexsort."""
    by_weight = np.argsort(-weights, kind="stable")
    if len(owner) and owner[-1] < 1 << 16:
        return by_weight[np.argsort(owner[by_weight].astype(np.uint16), kind="stable")]
    return by_weight[np.argsort(owner[by_weight], kind="stable")]


def unchanged_demands(former_ids: list[str], former_digests: list[str], records: list) -> set[int]:
    """The rows of `records` (demands) that are the very records an earlier computation scored."""
    found = same_records(former_ids, former_digests, [demand.id for demand in records], record_digests(records))
    return {row for row, number in enumerate(found) if number is not None}


@dataclass
class Carry:
    """What one kind's computation takes from an earlier one: from `prior` (a state of the
    same candidates and context) the pairs of each unchanged demand (`kept`, by row: None
    where the demand changed; `found`, the rows kept), or, with `former` (a state of other
    candidates, the same context), nothing but lists that come out the same. Either way a
    pair's reasons are the earlier computation's when its demand is among the `unchanged`
    rows and its candidate among the `columns` (a mask; None: every candidate)."""
    prior: SideState | None = None
    former: bool = False
    kept: dict[int, tuple[np.ndarray, np.ndarray] | None] = field(default_factory=dict)
    found: set[int] = field(default_factory=set)
    unchanged: set[int] = field(default_factory=set)
    columns: np.ndarray | None = None
    _stable: list[bool] | None = field(default=None, repr=False)  # columns, as a list

    @classmethod
    def of_prior(cls, prior: SideState, demands) -> "Carry":
        kept = {row: prior.kept(demands.records[row]) for group in demands.groups.values() for row in group}
        found = {row for row, pairs in kept.items() if pairs is not None}
        return cls(prior, False, kept, found, found)

    @classmethod
    def of_former(cls, former: SideState, demands, now: SideArrays) -> "Carry":
        return cls(None, True, unchanged=unchanged_demands(former.ids, former.digests, demands.records),
                   columns=stable_candidates(former.arrays, now))

    @property
    def earlier(self) -> bool:
        """Whether there is an earlier computation to take lists from."""
        return self.prior is not None or self.former

    def stable_pairs(self, rows: list[int], columns: list[int]) -> bool:
        """Whether the reasons of all these pairs are the earlier computation's."""
        if not all(row in self.unchanged for row in rows):
            return False
        if self.columns is None:
            return True
        if self._stable is None:
            self._stable = self.columns.tolist()
        return all(self._stable[column] for column in columns)
