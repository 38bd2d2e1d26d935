"""Near-duplicate demands: the same need entered twice in one county (W223).

Two demands of the same county whose title and summary share most of their
character pairs (Jaccard similarity of character bigrams, punctuation and
spaces left out, at least THRESHOLD) are reported on the newer one (later
published, then the larger id), naming where the older one is. Closed and
completed demands are left out: a need entered again after the first was done
is a new need.

Character pairs rather than the match index's jieba terms: they need no word
list, are robust to small rewordings, and cost a few milliseconds even at
provincial scale, where demands are compared only within their county (the
bigrams a county's demands share are counted in one sparse product, and only
pairs that can reach the threshold are measured). That keeps `zhuanlan check`
fast (Whoosh would take seconds just to index).
"""
from __future__ import annotations

import hashlib
import unicodedata

import numpy as np

THRESHOLD = 0.5
LEFT_OUT = ("closed", "completed")


def bigrams(text: str) -> frozenset[str]:
    chars = [ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] in "LN"]
    return frozenset(a + b for a, b in zip(chars, chars[1:]))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _shared_counts(grams: list[frozenset[str]]) -> np.ndarray:
    """How many bigrams each pair of texts shares: one sparse product (texts x bigrams)."""
    from scipy import sparse  # here: a build without match work never imports scipy
    columns: dict[str, int] = {}
    rows, cols = [], []
    for row, found in enumerate(grams):
        for gram in found:
            rows.append(row)
            cols.append(columns.setdefault(gram, len(columns)))
    marks = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(grams), len(columns)))
    return (marks @ marks.T).toarray()


def check_duplicates(site, problems, known: dict[str, list] | None = None) -> dict[str, list]:
    """Report W223 for every near-duplicate demand. known: each county's pairs as an earlier
    run found them, by a digest of everything they are found from (which demands, their
    dates, ids, titles and summaries), so a county whose demands did not change is not
    measured again; returns this run's, for the next."""
    by_county: dict[str, list] = {}
    for demand in site.demands:
        if demand.county and demand.status not in LEFT_OUT and demand.published:
            by_county.setdefault(demand.county, []).append(demand)
    found: dict[str, list] = {}
    for county in sorted(by_county):
        group = sorted(by_county[county], key=lambda d: (d.published, d.id))
        key = hashlib.sha256(repr([(d.id, d.published, d.title, d.summary) for d in group]).encode()).hexdigest()
        pairs = (known or {}).get(key)
        found[key] = pairs = pairs if isinstance(pairs, list) else _pairs(group)
        for later, earlier, percent in pairs:
            new, old = group[later], group[earlier]
            node = old.node.get("id")
            problems.at("W223", new.path, new.node.get("id"), other=old.id,
                        where=f"{old.path}:{node.line}:{node.col}", percent=percent)
    return found


def _pairs(group: list) -> list[tuple[int, int, int]]:
    """(later, earlier, percent similar) of each demand of a county (sorted by date, then
    id) that nearly repeats an earlier one: the first such earlier one."""
    grams = [bigrams(d.title + d.summary) for d in group]
    shared = _shared_counts(grams)
    sizes = np.array([len(g) for g in grams], dtype=np.float64)
    # similarity >= THRESHOLD  <=>  shared * (1 + THRESHOLD) >= THRESHOLD * (size a + size b): only
    # pairs passing that (with a margin for rounding) are measured exactly, in the same order as before
    close = (shared > 0) & (shared * (1 + THRESHOLD) >= THRESHOLD * (sizes[:, None] + sizes[None, :]) - 1e-9)
    pairs = []
    for later in range(1, len(group)):
        for earlier in np.flatnonzero(close[later, :later]).tolist():
            value = similarity(grams[later], grams[earlier])
            if value >= THRESHOLD:
                pairs.append((later, earlier, int(value * 100)))
                break
    return pairs
