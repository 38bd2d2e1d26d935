"""The text scores of the demands scored in a build, one county at a time.

The demands are scored in groups of a county and a field (a group shares its
candidates: those serving the county and working in the field). A county's groups
differ only in the field, so the BM25F scores of all its demands to be scored are
worked out at once against every candidate serving the county, and each group takes
its rows and columns: one sparse product per county rather than one per group (the
sparse indexing around each product cost more than the product).

A score is the same either way, bit for bit: both products add a pair's term weights
in the order of the query's term columns (ascending), and a candidate that is not in a
group's columns adds nothing to the others.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for annotations; imported where used (a build without match work needs no scipy)
    from scipy import sparse


class CountyTexts:
    """Text scores of the rows (demands) to be scored, county by county; the block of the
    latest county asked is kept, so groups are to be asked for county after county."""

    def __init__(self, weights: sparse.csr_matrix, term_rows: sparse.csr_matrix, scored: list[tuple[str, int]]
                 ) -> None:
        """weights: the candidates' BM25F term weights (candidates x vocabulary); term_rows:
        the demands' 0/1 query rows; scored: each row to be scored, with its county."""
        self.weights, self.term_rows = weights, term_rows
        self.rows_of: dict[str, list[int]] = {}  # county -> its rows to be scored
        for county, row in scored:
            self.rows_of.setdefault(county, []).append(row)
        self.county: str | None = None
        self.rows = self.serving = np.zeros(0, dtype=np.int64)
        self.block = np.zeros((0, 0))

    def scores(self, county: str, serving: np.ndarray, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """(rows x candidates) text scores. serving: every candidate serving the county
        (ascending), of which `candidates` (ascending) are some; rows: ascending, among
        those of the county in `scored`."""
        if county != self.county or not np.array_equal(serving, self.serving):
            self.county, self.serving = county, serving
            self.rows = np.array(sorted(self.rows_of[county]), dtype=np.int64)
            self.block = (self.term_rows[self.rows] @ self.weights[serving].T).toarray()
        return self.block[np.ix_(np.searchsorted(self.rows, rows), np.searchsorted(serving, candidates))]
