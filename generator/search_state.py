"""What the output's search index was made from, kept beside the output for the next build.

A build compares its documents' digests with these to tell which documents changed since
the output's index was written, and patches only what they touch (search_update.py). The
file lies in the build's state folder (`search.state`, trees.py) and holds plain bytes,
never a pickle: a header line, one JSON line (the index's digest, the code's digest, the
bytes of its small lists, the document count), then 16 bytes per document.

It is used only for the index it names: the output's meta.json, as its seal says, must
carry that digest, and the code that wrote it must be this code. A build that fails
after writing it leaves it naming an index the output does not have, so it is not used.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"zhuanlan-search-state 1\n"
NAME = "search.state"
DIGEST_BYTES = 16


@dataclass(frozen=True)
class IndexState:
    index: str  # the index's digest, as in its meta.json
    code: str  # the code that made it (sources.code_digest)
    small: int  # bytes of its small posting lists: what decides the shard count
    docs: list[bytes]  # each document's digest (search_index.doc_digest), by number


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
        index, code, small, count = head["index"], head["code"], head["small"], head["docs"]
    except (ValueError, TypeError, KeyError):
        return None
    body = data[line_end + 1:]
    if not (isinstance(index, str) and isinstance(code, str) and type(small) is int
                            and type(count) is int and len(body) == count * DIGEST_BYTES):
        return None
    return IndexState(index, code, small, [body[at:at + DIGEST_BYTES] for at in range(0, len(body), DIGEST_BYTES)])


def write_state(path: Path, state: IndexState) -> None:
    """Replace the state at path (an unwritable state folder only costs the next build time)."""
    head = json.dumps({"index": state.index, "code": state.code, "small": state.small, "docs": len(state.docs)},
                      sort_keys=True, separators=(",", ":")).encode()
    temporary = path.with_name(path.name + ".new")
    try:
        temporary.write_bytes(MAGIC + head + b"\n" + b"".join(state.docs))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
