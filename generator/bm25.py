"""BM25F text relevance for many queries at once, as sparse matrices.

It computes exactly what Whoosh's BM25F gives for an OR query of the terms in
several fields (B = 0.75, K1 = 1.2; a test holds the two together):

    score(query, doc) = sum over fields f, distinct query terms t in doc's f:
        idf_f(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * fl / avgfl_f))

    idf_f(t)  = ln(N / (df_f(t) + 1)) + 1, N documents in the collection
    fl        the document's field length (terms), rounded down the way Whoosh
              stores it in one byte (ROUNDED_LENGTHS)
    avgfl_f   the field's total length (unrounded) over N

Every factor but the query belongs to the document, so a collection is one
matrix W (documents x vocabulary) of summed per-field weights, and the scores of
a block of queries are Q @ W.T with Q the queries' 0/1 term rows.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from itertools import repeat
from dataclasses import dataclass
from math import log
from typing import TYPE_CHECKING

import numpy as np

from .bm25_terms import TermRows, term_rows

if TYPE_CHECKING:  # for annotations; imported where used (a build without match work needs no scipy)
    from scipy import sparse

B, K1 = 0.75, 1.2
# Whoosh keeps a field length in one byte: the smallest of these at least as large as the length
ROUNDED_LENGTHS = [int(round((pow(1.033, n) - 1) * 27)) for n in range(256)]


def rounded_length(length: int) -> int:
    if length >= ROUNDED_LENGTHS[-1]:
        return ROUNDED_LENGTHS[-1]
    return ROUNDED_LENGTHS[bisect_left(ROUNDED_LENGTHS, length)]


@dataclass
class Collection:
    """The documents one kind of candidate (offers, organizations) is scored as."""
    vocabulary: dict[str, int]  # term -> column
    weights: sparse.csr_matrix  # documents x vocabulary: the summed BM25F weight of each term
    count: int  # documents
    idf: dict[str, np.ndarray]  # per field: idf of each vocabulary term
    average: dict[str, float]  # per field: average length
    _terms: list[str] | None = None

    def self_scores(self, documents: list[dict[str, list[str]]], ignored: frozenset[str] = frozenset()
                    ) -> np.ndarray:
        """The score each document would get for its own terms as the query, were it in the
        collection (a term the collection lacks has document frequency 0): the most a
        query can expect, used to tell a strong text match from a weak one. Terms in
        `ignored` do not count (they still count in the document's length).

        A document's score is the sum, field by field and term by term in the order the
        terms first occur, of each distinct term's BM25F weight. The weights of all
        documents are worked out as arrays at once (a Python loop per term took most of a
        provincial build's scoring); each document's weights are then added up left to
        right by a running sum, in that same order, so a score does not depend on how
        many documents are scored together."""
        unseen = log(self.count or 1) + 1.0
        words: list[str] = []
        tfs: list[int] = []
        segments: list[tuple[int, str, int, int]] = []  # (document, field, rounded length, distinct terms)
        for number, document in enumerate(documents):
            for name, text in document.items():
                if name not in self.idf or not text:
                    continue
                counts = Counter(text)  # in the order the terms first occur
                kept = [term for term in counts if term not in ignored]
                words.extend(kept)
                tfs.extend(map(counts.__getitem__, kept))
                segments.append((number, name, rounded_length(len(text)), len(kept)))
        sizes = np.array([segment[3] for segment in segments], dtype=np.int64)
        owner = np.repeat(np.array([segment[0] for segment in segments], dtype=np.int64), sizes)
        fl = np.repeat(np.array([segment[2] for segment in segments], dtype=np.float64), sizes)
        average = np.repeat(np.array([self.average[segment[1]] for segment in segments], dtype=np.float64), sizes)
        # every field's idf of each term end to end, and last the idf of a term the collection lacks
        names = {name: number for number, name in enumerate(self.idf)}
        idfs = np.concatenate([*self.idf.values(), [unseen]])
        columns = np.fromiter(map(self.vocabulary.get, words, repeat(-1)), dtype=np.int64, count=len(words))
        field_of = np.repeat(np.array([names[segment[1]] for segment in segments], dtype=np.int64), sizes)
        idf = idfs[np.where(columns >= 0, field_of * len(self.vocabulary) + columns, len(idfs) - 1)]
        tf = np.array(tfs, dtype=np.float64)
        weight = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / average)))  # as in build_collection
        starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
        position = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
        table = np.zeros((len(documents), int(position.max()) + 2 if len(position) else 1))
        table[owner, position] = weight
        return np.cumsum(table, axis=1)[:, -1]  # a running sum: left to right, the trailing zeros add nothing

    def query_rows(self, queries: list[list[str]]) -> sparse.csr_matrix:
        """0/1 rows of each query's distinct terms that the collection knows."""
        from scipy import sparse  # here: a build without match work never imports scipy
        indptr, indices = [0], []
        for query in queries:
            columns = sorted({self.vocabulary[t] for t in query if t in self.vocabulary})
            indices.extend(columns)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        return sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
                                 shape=(len(queries), len(self.vocabulary)))

    def scores(self, query_rows: sparse.csr_matrix) -> np.ndarray:
        """Dense (queries x documents) BM25F scores of a block of query rows."""
        return (query_rows @ self.weights.T).toarray()

    @property
    def terms(self) -> list[str]:
        """Column -> term."""
        if self._terms is None:
            self._terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return self._terms


def build_collection(documents: list[dict[str, list[str]]], fields: tuple[str, ...]) -> Collection:
    """documents: for each document, its terms per field (in order, repeated)."""
    return collection_of(term_rows(documents, fields), fields)[0]


def collection_of(rows: TermRows, fields: tuple[str, ...]) -> tuple[Collection, TermRows]:
    """The collection of the documents `rows` holds (bm25_terms.py), and those rows with
    their terms numbered as the collection's vocabulary: in the order the documents, field
    by field, first use them. Every weight is worked out here, as arrays, whether the rows
    were made now or mostly carried over from an earlier collection: the same rows give
    the same collection, bit for bit."""
    from scipy import sparse  # here: a build without match work never imports scipy
    count = rows.documents
    used, first = np.unique(rows.term, return_index=True)
    in_order = used[np.argsort(first, kind="stable")]  # term numbers by first use
    column_of = np.zeros(len(rows.terms) + 1, dtype=np.int64)
    column_of[in_order] = np.arange(len(in_order), dtype=np.int64)
    columns = column_of[rows.term]
    spelled = [rows.terms[number] for number in in_order.tolist()]
    vocabulary = dict(zip(spelled, range(len(spelled))))
    owner = np.repeat(np.arange(count, dtype=np.int64), np.diff(rows.starts))
    rounded = np.array(ROUNDED_LENGTHS, dtype=np.int64)[
        np.minimum(np.searchsorted(ROUNDED_LENGTHS, rows.lengths, side="left"), len(ROUNDED_LENGTHS) - 1)]
    total = None
    idfs, averages = {}, {}
    for position, name in enumerate(fields):
        mine = rows.field == position
        rows_a, cols_a = owner[mine], columns[mine]
        tf = rows.count[mine].astype(np.float64)
        avgfl = (int(rows.lengths[:, position].sum()) / (count or 1)) or 1
        df = np.bincount(cols_a, minlength=len(vocabulary))
        idf = np.log(count / (df + 1.0)) + 1.0 if count else np.zeros(len(vocabulary))
        fl = rounded[:, position].astype(np.float64)[rows_a]
        idfs[name], averages[name] = idf, avgfl
        weight = idf[cols_a] * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        part = sparse.csr_matrix((weight, (rows_a, cols_a)), shape=(count, len(vocabulary)))
        total = part if total is None else total + part
    if total is None:
        total = sparse.csr_matrix((count, len(vocabulary)))
    total.sort_indices()
    renumbered = TermRows(spelled, rows.starts, rows.field, columns.astype(np.int32), rows.count, rows.lengths)
    return Collection(vocabulary, total.tocsr(), count, idfs, averages, spelled), renumbered
