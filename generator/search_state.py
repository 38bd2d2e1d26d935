"""What the output's search index was made from, kept beside the output for the next build.

A build compares its documents' digests with these to tell which documents changed since
the output's index was written, and patches only what they touch (search_update.py); it
takes the old facets of a changed document from here to patch the filter files
(search_filters.py); and it takes the digest of each document whose inputs are among
these from here instead of making the document (search_digests.py). The file lies in the
build's state folder (`search.state`, trees.py) and holds plain bytes, never a pickle: a
header line, one JSON line (the index's digest, the code's and the context's digests, the
bytes of its small lists, the document count, the SHA-256 of the rest), then 16 bytes per
document (its digest), 16 bytes per document (its inputs; zeros for one without), and a
line of JSON per document (its facets).

The digests by number are used only for the index they name: the output's meta.json, as
its seal says, must carry that digest, and the code that wrote it must be this code. A
build that fails after writing it leaves it naming an index the output does not have, so
it is not used for patching; its digests by inputs stay true (a digest is a function of
the inputs, context and code it is kept with) and are used all the same.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"zhuanlan-search-state 2\n"
NAME = "search.state"
DIGEST_BYTES = 16
NO_INPUTS = bytes(DIGEST_BYTES)  # kept for a document made every build


@dataclass(frozen=True)
class IndexState:
    index: str  # the index's digest, as in its meta.json ("": none; such a state patches nothing)
    code: str  # the code that made it (sources.code_digest)
    context: str  # what documents and filters read besides records (search_digests.context_digest)
    small: int  # bytes of its small posting lists: what decides the shard count
    docs: list[bytes]  # each document's digest (search_index.doc_digest), by number
    inputs: list[bytes]  # each document's inputs (search_docs.DocSource), by number, or NO_INPUTS
    facets: list[bytes]  # each document's facets, a line of JSON (search_filters.facet_lines), by number

    def known(self, code: str, context: str) -> dict[bytes, bytes]:
        """{inputs: the digest of the document made from them}, for a build with this code
        and context; empty for another."""
        if code != self.code or context != self.context:
            return {}
        return {inputs: digest for inputs, digest in zip(self.inputs, self.docs) if inputs != NO_INPUTS}


def read_state(path: Path) -> IndexState | None:
    """The state at path, or None when it is missing or not in this form."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    line_end = data.find(b"\n", len(MAGIC))
    if line_end < 0:
        return None
    try:
        head = json.loads(data[len(MAGIC):line_end])
        index, code, context, small, count, check = (head[key] for key in ("index", "code", "context", "small",
                                                                           "docs", "sha256"))
    except (ValueError, TypeError, KeyError):
        return None
    body = memoryview(data)[line_end + 1:]
    split = 2 * count * DIGEST_BYTES if type(count) is int else -1
    if not (all(isinstance(text, str) for text in (index, code, context, check)) and type(small) is int
            and 0 <= split <= len(body) and hashlib.sha256(body).hexdigest() == check):
        return None
    digests = bytes(body[:split])
    pieces = [digests[at:at + DIGEST_BYTES] for at in range(0, split, DIGEST_BYTES)]
    facets = bytes(body[split:]).split(b"\n") if count else []
    if len(facets) != count:
        return None
    return IndexState(index, code, context, small, pieces[:count], pieces[count:], facets)


def write_state(path: Path, state: IndexState) -> None:
    """Replace the state at path (an unwritable state folder only costs the next build time)."""
    if not len(state.docs) == len(state.inputs) == len(state.facets):  # a line of JSON holds no newline
        raise ValueError("a state holds the inputs and facets of every document")
    body = b"".join(state.docs) + b"".join(state.inputs) + b"\n".join(state.facets)
    head = json.dumps({"index": state.index, "code": state.code, "context": state.context, "small": state.small,
                       "docs": len(state.docs), "sha256": hashlib.sha256(body).hexdigest()},
                      sort_keys=True, separators=(",", ":")).encode()
    temporary = path.with_name(path.name + ".new")
    try:
        temporary.write_bytes(MAGIC + head + b"\n" + body)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
