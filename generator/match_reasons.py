"""The reasons of recommended pairs, in plain Chinese, built in our code.

A recommendation names the shared field, how the candidate reaches the demand's
place, the shared forms of help, and the words that added most to the text score:
the demand's own words (共同关键词) and the words it gained from the vocabulary's
related groups (相关词), at most KEYWORDS of each, largest contribution first, ties
by term. The words of all chosen pairs are found at once with sparse matrices (the
demand's query row times the candidate's weight row), block by block, rather than
pair by pair in Python.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for annotations; imported where used (a build without match work needs no scipy)
    from scipy import sparse

KEYWORDS = 3  # shared terms named in a reason
BLOCK = 20000  # pairs at once: bounds the memory of the element-wise products


def shared_words(collection, query_rows: sparse.csr_matrix, gained_rows: sparse.csr_matrix,
                 rows: np.ndarray, columns: np.ndarray) -> list[tuple[list[str], list[str]]]:
    """For each pair (demand row, candidate column): (its own shared terms, the gained
    ones), each the KEYWORDS that add most to the candidate's text score."""
    terms = collection.terms
    spelled = np.array(terms, dtype=object)  # column -> term, for the words of every block
    rank = np.empty(len(terms), dtype=np.int64)
    rank[np.argsort(np.array(terms, dtype=object), kind="stable")] = np.arange(len(terms))
    out: list[tuple[list[str], list[str]]] = []
    for start in range(0, len(rows), BLOCK):
        r, c = rows[start:start + BLOCK], columns[start:start + BLOCK]
        products = query_rows[r].multiply(collection.weights[c]).tocsr()
        gained = products.multiply(gained_rows[r]).tocsr()
        own = (products - gained).tocsr()
        own.eliminate_zeros()
        gained.eliminate_zeros()
        own_words, gained_words = _top(own, rank, spelled), _top(gained, rank, spelled)
        out.extend(zip(own_words, gained_words))
    return out


def _top(matrix: sparse.csr_matrix, rank: np.ndarray, terms: np.ndarray) -> list[list[str]]:
    """Per row, the terms of its KEYWORDS largest entries, ties by term."""
    count = matrix.shape[0]
    lengths = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(count), lengths)
    order = np.lexsort((rank[matrix.indices], -matrix.data, row_of))
    position = np.arange(len(order)) - matrix.indptr[row_of[order]]
    kept = order[position < KEYWORDS]  # grouped by row, best first
    words = terms[matrix.indices[kept]].tolist()
    bounds = np.searchsorted(row_of[kept], np.arange(count + 1)).tolist()
    return [words[bounds[row]:bounds[row + 1]] for row in range(count)]


class Reasons:
    """Builds the recommendation dicts of one kind of candidate, once the words of the
    pairs are known (prepare)."""

    def __init__(self, site, demands, side, level_of) -> None:
        self.site, self.demands, self.side, self.level_of = site, demands, side, level_of
        self.words: dict[tuple[int, int], tuple[list[str], list[str]]] = {}
        self.memo: dict[tuple[int, int], tuple[str | None, list[dict]]] = {}
        self.reasons: dict[str, dict] = {}  # the shared field, region and forms reasons
        self.levels: dict[tuple[str, int], tuple] = {}  # (demand's county, candidate) -> level_of's answer

    def prepare(self, pairs: set[tuple[int, int]], query_rows, gained_rows) -> None:
        ordered = sorted(pairs)
        rows = np.array([p[0] for p in ordered], dtype=np.int64)
        columns = np.array([p[1] for p in ordered], dtype=np.int64)
        found = shared_words(self.side.collection, query_rows, gained_rows, rows, columns)
        self.words = dict(zip(ordered, found))

    def recommendation(self, row: int, column: int, score: float, backward: bool = False) -> dict:
        demand, candidate = self.demands.records[row], self.side.records[column]
        known = self.memo.get((row, column))
        if known is None:
            known = self.memo[(row, column)] = self._reasons(row, column)
        level, out = known
        county = self.site.regions.get(demand.county)
        if backward and county is not None and county.key:
            out = out + [{"type": "key_county", "text": f"重点帮扶县：{county.name}", "values": [county.code]}]
        return {"id": demand.id if backward else candidate.id, "score": round(score, 2), "level": level,
                "reasons": out}

    def _reasons(self, row: int, column: int) -> tuple[str | None, list[dict]]:
        demand, candidate = self.demands.records[row], self.side.records[column]
        level, region = self._level(demand.county, column)
        out = []
        if demand.fields and demand.fields[0] in candidate.fields:
            out.append(self._shared("field", f"领域相同：{demand.fields[0]}", (demand.fields[0],)))
        if region is not None:
            out.append(self._shared("region", f"服务范围覆盖{region.name}", (region.code,)))
        forms = tuple(name for name in demand.forms if name in candidate.forms)
        if forms:
            out.append(self._shared("forms", "帮扶方式：" + "、".join(forms), forms))
        words, related = self.words[(row, column)]
        if words:
            out.append({"type": "keywords", "text": "共同关键词：" + "、".join(words), "values": words})
        if related:
            gained = self.demands.related[row]
            by_word: dict[str, list[str]] = {}
            for term in related:
                by_word.setdefault(gained[term], []).append(term)
            text = "相关词：" + "；".join(f"{word}—{'、'.join(found)}" for word, found in by_word.items())
            out.append({"type": "related", "text": text, "values": related})
        return level, out

    def _level(self, county: str, column: int) -> tuple:
        """How the candidate reaches the county (level_of), worked out once for every demand
        of the county it is paired with."""
        known = self.levels.get((county, column))
        if known is None:
            known = self.levels[(county, column)] = self.level_of(self.site, county,
                                                                  self.side.records[column].service_regions)
        return known

    def _shared(self, kind: str, text: str, values: tuple[str, ...]) -> dict:
        """One dict per distinct reason (many pairs share 领域相同：产业发展): read, never changed."""
        known = self.reasons.get(text)
        if known is None:
            known = self.reasons[text] = {"type": kind, "text": text, "values": list(values)}
        return known
