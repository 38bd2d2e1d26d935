"""Near-duplicate demands: the same need entered twice in one county (W223).

Two demands of the same county whose title and summary share most of their
character pairs (Jaccard similarity of character bigrams, punctuation and
spaces left out, at least THRESHOLD) are reported on the newer one (later
published, then the larger id), naming where the older one is. Closed and
completed demands are left out: a need entered again after the first was done
is a new need.

Character pairs rather than the match index's jieba terms: they need no word
list, are robust to small rewordings, and cost a few milliseconds even at
provincial scale, where demands are compared only within their county. That
keeps `zhuanlan check` fast (Whoosh would take seconds just to index).
"""
from __future__ import annotations

import unicodedata

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


def check_duplicates(site, problems) -> None:
    by_county: dict[str, list] = {}
    for demand in site.demands:
        if demand.county and demand.status not in LEFT_OUT and demand.published:
            by_county.setdefault(demand.county, []).append(demand)
    for county in sorted(by_county):
        group = sorted(by_county[county], key=lambda d: (d.published, d.id))
        grams = [bigrams(d.title + d.summary) for d in group]
        for later in range(1, len(group)):
            for earlier in range(later):
                value = similarity(grams[later], grams[earlier])
                if value >= THRESHOLD:
                    new, old = group[later], group[earlier]
                    node = old.node.get("id")
                    problems.at("W223", new.path, new.node.get("id"), other=old.id,
                                where=f"{old.path}:{node.line}:{node.col}", percent=int(value * 100))
                    break
