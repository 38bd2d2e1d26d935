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


def _county_bigrams(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct character pairs of each text, NFKC-normalized, letters and numbers only
    (what is left out joins its neighbours): (rows, pairs), one entry per text and pair,
    a pair as its two code points in one number. All texts of a county at once, with numpy."""
    normal = [unicodedata.normalize("NFKC", text) for text in texts]
    points = np.frombuffer("\n".join(normal).encode("utf-32-le"), dtype=np.uint32)  # "\n": never kept
    rows = np.repeat(np.arange(len(normal), dtype=np.int64), [len(text) + 1 for text in normal])[:len(points)]
    distinct, where = np.unique(points, return_inverse=True)
    kept = np.array([unicodedata.category(chr(point))[0] in "LN" for point in distinct.tolist()], dtype=bool)
    chosen = kept[where.reshape(-1)]
    points, rows = points[chosen].astype(np.int64), rows[chosen]
    inside = rows[:-1] == rows[1:]  # the next kept character is of the same text
    keys = np.unique(rows[:-1][inside] << 42 | points[:-1][inside] << 21 | points[1:][inside])
    return keys >> 42, keys & ((1 << 42) - 1)  # code points are below 2**21


def _shared_counts(count: int, rows: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """How many pairs each two texts share: one sparse product (texts x pairs)."""
    from scipy import sparse  # here: a build without match work never imports scipy
    distinct, columns = np.unique(pairs, return_inverse=True)
    marks = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns.reshape(-1))),
                              shape=(count, len(distinct)))
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
    id) that nearly repeats an earlier one: the first such earlier one. Similar: the
    Jaccard similarity of their character pairs, shared / (size a + size b - shared)."""
    rows, grams = _county_bigrams([d.title + d.summary for d in group])
    shared = _shared_counts(len(group), rows, grams)
    sizes = np.bincount(rows, minlength=len(group))
    # similarity >= THRESHOLD  <=>  shared * (1 + THRESHOLD) >= THRESHOLD * (size a + size b): only
    # pairs passing that (with a margin for rounding) are measured exactly, in the same order as before
    close = (shared > 0) & (shared * (1 + THRESHOLD) >= THRESHOLD * (sizes[:, None] + sizes[None, :]) - 1e-9)
    pairs = []
    for later in range(1, len(group)):
        for earlier in np.flatnonzero(close[later, :later]).tolist():
            both = int(shared[later, earlier])
            value = both / (int(sizes[later]) + int(sizes[earlier]) - both)
            if value >= THRESHOLD:
                pairs.append((later, earlier, int(value * 100)))
                break
    return pairs
