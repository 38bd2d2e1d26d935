"""What a BM25F collection is made from, document by document: each field's distinct
terms with their counts, and each field's length.

This is the part of building a collection (bm25.collection_of) that walks every term of
every document in Python. It depends on nothing but the documents, so after an edit to
one candidate the rows of the others are taken over from the earlier collection's
(`carried`), and only the weights, which depend on the whole collection (document
frequencies, average lengths), are worked out again, as arrays.

A document's entries are its fields in order, each field's distinct terms in the order
they first occur: the order in which the collection's vocabulary meets them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np


@dataclass
class TermRows:
    """Documents as entries (field, term, count); document i's are starts[i]:starts[i + 1]."""
    terms: list[str]  # term number -> term
    starts: np.ndarray  # int64, documents + 1
    field: np.ndarray  # uint8: the field's position in the collection's fields
    term: np.ndarray  # int32 term numbers
    count: np.ndarray  # int32: how often the term occurs in the field
    lengths: np.ndarray  # int64 (documents x fields): each field's length in terms

    @property
    def documents(self) -> int:
        return len(self.starts) - 1


def term_rows(documents: list[dict[str, list[str]]], fields: tuple[str, ...],
              numbers: dict[str, int] | None = None, terms: list[str] | None = None) -> TermRows:
    """The entries of `documents`. numbers/terms: a numbering of terms to extend (term ->
    number, and number -> term), else a new one."""
    numbers = {} if numbers is None else numbers
    terms = [] if terms is None else terms
    starts, field_of, term_of, counts = [0], [], [], []
    lengths = np.zeros((len(documents), len(fields)), dtype=np.int64)
    for number, document in enumerate(documents):
        for position, name in enumerate(fields):
            words = document.get(name, ())
            if not words:
                continue
            lengths[number, position] = len(words)
            counted = Counter(words)  # in the order the terms first occur
            for term in counted:
                known = numbers.get(term)
                if known is None:
                    known = numbers[term] = len(terms)
                    terms.append(term)
                term_of.append(known)
            counts.extend(counted.values())
            field_of.extend([position] * len(counted))
        starts.append(len(term_of))
    return TermRows(terms, np.array(starts, dtype=np.int64), np.array(field_of, dtype=np.uint8),
                    np.array(term_of, dtype=np.int32), np.array(counts, dtype=np.int32), lengths)


def carried(earlier: TermRows, sources: list[int | None], documents: list[dict[str, list[str]] | None],
            fields: tuple[str, ...]) -> TermRows:
    """The entries of a new list of documents: document i is earlier's document sources[i]
    when that is not None, else documents[i] (made here, numbering new terms after
    earlier's)."""
    fresh_at = [at for at, source in enumerate(sources) if source is None]
    fresh = term_rows([documents[at] for at in fresh_at], fields, {t: n for n, t in enumerate(earlier.terms)},
                      list(earlier.terms))
    # fresh entries follow earlier's: one gather takes every document's entries in order
    offset = len(earlier.term)
    begin = np.empty(len(sources), dtype=np.int64)
    end = np.empty(len(sources), dtype=np.int64)
    kept = np.array([at for at, source in enumerate(sources) if source is not None], dtype=np.int64)
    old = np.array([source for source in sources if source is not None], dtype=np.int64)
    begin[kept], end[kept] = earlier.starts[old], earlier.starts[old + 1]
    made = np.array(fresh_at, dtype=np.int64)
    begin[made], end[made] = fresh.starts[:-1] + offset, fresh.starts[1:] + offset
    sizes = end - begin
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    at = np.arange(starts[-1], dtype=np.int64) - np.repeat(starts[:-1] - begin, sizes)
    lengths = np.empty((len(sources), len(fields)), dtype=np.int64)
    lengths[kept] = earlier.lengths[old]
    lengths[made] = fresh.lengths
    return TermRows(fresh.terms, starts, np.concatenate([earlier.field, fresh.field])[at],
                    np.concatenate([earlier.term, fresh.term])[at], np.concatenate([earlier.count, fresh.count])[at],
                    lengths)
