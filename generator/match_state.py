"""What one kind of candidate's half of a computed match index keeps for the next
build, so that a build after editing demands scores again only the demands that changed.

A demand's scores against the candidates, and so its own list, depend on the demand
and on everything else but the other demands: the candidates of that kind (whose texts
make the BM25F collection), regions, vocabulary, weights, the reference date and the
code. Those together are the state's key (matchindex.side_digests, the name it is cached
under), and what the candidates are as arrays (their BM25F collection, regions, fields and
forms: match_inputs.SideArrays) is kept with it. While the key is unchanged,
a demand whose digest (every field, fingerprint.record_digest) is unchanged keeps the
pairs it is eligible for, and so its list: the one the previous computation made (read
from its cached half). A candidate none of whose pairs, before or after, belongs to a
demand scored again or gone keeps its list too (touched); the other candidates' lists are
ranked again from the pairs, and one that names the same records with the same scores, all
of unchanged demands, is again the previous list (earlier_list); reasons are worked out
only for the rest. Any change to a candidate of that kind, a region or a
setting changes the key, and the half is computed from nothing. Either way the index is
the one a computation from nothing gives (a test edits, adds and removes demands and
compares).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .fingerprint import record_digest
from .match_inputs import SideArrays


@dataclass
class SideState:
    """Every scored demand's eligible pairs, as flat arrays (a demand's pairs are
    columns[starts[i]:starts[i + 1]])."""
    ids: list[str] = field(default_factory=list)  # demand ids
    digests: list[str] = field(default_factory=list)  # their record digests
    starts: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # candidate numbers
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    half: str = ""  # the cache key of the half computed with this state (matchindex)
    context: str = ""  # the digest of all the half reads but candidates and demands (matchindex)
    code: str = ""  # the code's digest (sources.code_digest): the arrays' term counts are valid for it
    arrays: SideArrays | None = None  # the candidates' collection, regions, fields and forms

    def kept(self, demand) -> tuple[np.ndarray, np.ndarray] | None:
        """The demand's eligible (candidate numbers, scores), when it is unchanged."""
        at = self._at().get(demand.id)
        if at is None or self.digests[at] != record_digest(demand):
            return None
        start, stop = self.starts[at], self.starts[at + 1]
        return self.columns[start:stop].astype(np.int64), self.scores[start:stop]

    def _at(self) -> dict[str, int]:
        at = self.__dict__.get("_positions")
        if at is None:
            at = self.__dict__["_positions"] = {ident: number for number, ident in enumerate(self.ids)}
        return at

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_positions"}


class StateWriter:
    """Collects each scored demand's eligible pairs into the next SideState."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, np.ndarray, np.ndarray]] = {}

    def add(self, demand, columns: np.ndarray, scores: np.ndarray) -> None:
        self.rows[demand.id] = (record_digest(demand), columns, scores)

    def state(self, arrays: SideArrays | None = None) -> SideState:
        ids = sorted(self.rows)
        rows = [self.rows[ident] for ident in ids]
        lengths = np.array([len(columns) for _digest, columns, _scores in rows], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        columns = np.concatenate([c for _d, c, _s in rows]).astype(np.int32) if rows else np.zeros(0, np.int32)
        scores = np.concatenate([s for _d, _c, s in rows]) if rows else np.zeros(0)
        return SideState(ids, [digest for digest, _c, _s in rows], starts, columns, scores, arrays=arrays)


def touched(prior: SideState, count: int, unchanged: set[str], scored: list[np.ndarray]) -> np.ndarray:
    """Which of the `count` candidates may have another list than in prior's computation:
    those in a pair of a demand scored again (`scored`: their candidate numbers) or of a
    demand of prior's that is not among the `unchanged` ids (edited, closed or removed).
    Every other candidate has the very pairs it had, and so the same list."""
    mask = np.zeros(count, dtype=bool)
    gone = np.array([ident not in unchanged for ident in prior.ids], dtype=bool)
    mask[prior.columns[np.repeat(gone, np.diff(prior.starts))]] = True
    for columns in scored:
        mask[columns] = True
    return mask


def earlier_list(previous: list[dict] | None, picked: list[tuple[int, int, float]], named: list[str],
                 stable: bool) -> list[dict] | None:
    """The list the computation that left the state made for the same demand or candidate,
    when it names the same records (`named`, the ids of the picked pairs' other side) with
    the same scores and every pair in it is `stable` (its demand unchanged; after an edit to
    candidates, its candidate too, match_carry.py): its reasons are then the same too (they
    read the pair's demand and candidate, the candidates' collection, regions and
    vocabulary, and all but the demands are the state's key)."""
    if previous is None or len(previous) != len(picked) or not stable:
        return None
    if [item["id"] for item in previous] != named:
        return None
    if [item["score"] for item in previous] != [round(score, 2) for _row, _column, score in picked]:
        return None
    return previous


def reuse(lists: dict[int, list], before: dict[str, list[dict]], into: dict[str, list[dict]], names: list[str],
          other: list[str], by_row: bool, stable: Callable[[list[int], list[int]], bool]) -> dict[int, list]:
    """Each list (of a row's demand when by_row, else of a column's candidate, named
    names[number]; its items name other[column], or other[row]) that stays as the earlier
    computation made it (`before`, earlier_list) goes into `into`; returns the others,
    whose reasons are to be worked out. stable(rows, columns): whether all those pairs are."""
    rest = {}
    for number, picked in lists.items():
        found = before.get(names[number]) if before else None
        if found is not None:
            rows = [row for row, _column, _score in picked]
            columns = [column for _row, column, _score in picked]
            named = [other[column] for column in columns] if by_row else [other[row] for row in rows]
            found = earlier_list(found, picked, named, stable(rows, columns))
        if found is None:
            rest[number] = picked
        else:
            into[names[number]] = found
    return rest


def reverse(key: np.ndarray, count: int, pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
            wanted: np.ndarray) -> dict[int, list[tuple[int, int, float]]]:
    """The demands of each wanted candidate (a mask) from the (candidates, demand rows,
    scores) of the pairs: demands in key counties (`key`, by row) first, then score, then
    demand id (= row order)."""
    if not pairs:
        return {}
    cands, rows, scores = (np.concatenate([p[i] for p in pairs]) for i in range(3))
    if not wanted.all():
        keep = wanted[cands]
        cands, rows, scores = cands[keep], rows[keep], scores[keep]
    if not len(cands):  # groups were scored, but no pair reached min_score
        return {}
    order = np.lexsort((rows, -scores, ~key[rows], cands))
    cands, rows, scores = cands[order], rows[order], scores[order]
    starts = np.flatnonzero(np.r_[True, cands[1:] != cands[:-1]])
    stops = np.minimum(np.r_[starts[1:], len(cands)], starts + count)
    out = {}
    for start, stop in zip(starts.tolist(), stops.tolist()):
        column = int(cands[start])
        out[column] = [(row, column, score) for row, score in zip(rows[start:stop].tolist(),
                                                                   scores[start:stop].tolist())]
    return out


def chosen(row: int, columns: np.ndarray, scores: np.ndarray, count: int) -> list[tuple[int, int, float]]:
    """A demand's list from its eligible pairs: highest score first, ties by candidate number."""
    order = np.lexsort((columns, -scores))[:count]
    return [(row, int(columns[at]), float(scores[at])) for at in order]
