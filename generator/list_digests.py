"""A digest standing for each recommendation list of the match index in the keys of the
record pages (views_records.py).

A record page's key must change whenever its recommendations do. Written whole into every
key, the lists (dicts with nested reason dicts) were most of what fingerprinting 40,000
record pages cost on every build. A list's digest — sha256 of the list as marshal's version
0 writes it, as fingerprint.key_fingerprint writes a key — changes whenever the list does,
is the same whether made now or read back, and costs one marshal per list per computation:
it is kept with its half of the index in the cache (matchindex.Half). A half read back
brings its lists' digests; a half computed again takes the earlier half's digest of each
list the computation took over unchanged from it (the very same object,
match_state.earlier_list) and digests only the others.
"""
from __future__ import annotations

import hashlib
import marshal

DIGEST_BYTES = hashlib.sha256().digest_size


def list_digest(items: list) -> bytes:
    """The digest of one list of the match index."""
    return hashlib.sha256(marshal.dumps(items, 0)).digest()


def list_digests(lists: dict[str, list], earlier: dict[str, list], known: object) -> dict[str, bytes]:
    """The digest of each list of `lists` (by id): `known`'s digest for the id when it was
    made from the list `earlier` holds under that id and that is the very same object;
    else made now. `known` comes from the cache: anything but a mapping of ids to digests
    only costs the time of digesting."""
    known = known if isinstance(known, dict) else {}
    digests = {}
    for ident, items in lists.items():
        digest = known.get(ident)
        if type(digest) is not bytes or len(digest) != DIGEST_BYTES or earlier.get(ident) is not items:
            digest = list_digest(items)
        digests[ident] = digest
    return digests
