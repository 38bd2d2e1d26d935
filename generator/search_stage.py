"""The build's search stage: the /search/ page's spec and the index files under search-index/.

The index is made from the search documents (search_docs.py); each has a digest, and the
index's digest (kept in search-index/meta.json) is made from theirs. A document is made
only when its digest is not known from what it is made from (search_digests.py). The
stage does the least that gives the same files as building the whole index:
  - nothing changed (the output's meta.json has the same digest): the output's files
    are taken over unread;
  - few documents changed, and the state kept beside the output (search_state.py)
    describes the output's index and was written by this code: the output's index is
    patched (search_update.py), only the files that hold a changed document are written,
    the others taken over (so the first edit after an upgrade builds the whole index);
  - otherwise, or when the patch cannot be made: the whole index is built; files whose
    bytes did not change are still linked from the output (TreeWriter).
Either way, a copy to the portal moves only the files that really changed.
"""
from __future__ import annotations

import json
from pathlib import Path

from .collector import paused
from .search_digests import Documents, context_digest, document_digests
from .search_docs import KIND_NAMES, STATUS_NAMES, doc_sources
from .search_filters import current_lines, facet_lines
from .search_index import build_index, index_digest
from .search_state import NO_INPUTS, IndexState, read_state, write_state
from .search_update import Patch, Previous, plan_update
from .sources import code_digest
from .writer import TreeWriter

FOLDER = "search-index"


def search_page(site):
    """The /search/ page: the form (filters from the site's regions and vocabulary)."""
    regions = site.regions
    cities = sorted(regions.of_level("city"), key=lambda r: r.code)
    counties = sorted(regions.of_level("county"), key=lambda r: r.code)
    groups = [(city, [c for c in counties if c.parent == city.code]) for city in cities]
    yield "search/", "search.html", {
        "groups": groups, "partners": sorted(regions.of_level("partner"), key=lambda r: r.code),
        "kinds": list(KIND_NAMES.items()), "statuses": list(STATUS_NAMES.items()),
        "fields": site.vocabulary.fields, "crumbs": [{"path": None, "name": "搜索"}]}


def _read_sealed(writer: TreeWriter, name: str) -> bytes | None:
    """The output's search-index/<name>, only while it is as the output's seal says."""
    path = writer.sealed_previous(f"{FOLDER}/{name}")
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _previous(writer: TreeWriter) -> Previous | None:
    data = _read_sealed(writer, "meta.json")
    try:
        meta = json.loads(data) if data is not None else None
    except ValueError:
        return None
    return Previous(meta, lambda name: _read_sealed(writer, name)) if isinstance(meta, dict) else None


def _carry(writer: TreeWriter, names: list[str]) -> bool:
    """Take these files of the output's index over unread: all of them, or none."""
    return writer.carry_all(list(map(f"{FOLDER}/".__add__, names)))


def _reuse(writer: TreeWriter) -> int | None:
    """Take the output's index over unread: all of its files (the seal lists every file the
    output's build wrote). How many files, or None."""
    theirs = sorted(name for name in writer.previous_seal.files if name.startswith(FOLDER + "/"))
    return len(theirs) if writer.carry_all(theirs) else None


def _write(writer: TreeWriter, files: dict[str, bytes]) -> None:
    for name in sorted(files):
        writer.write(f"{FOLDER}/{name}", files[name])


def write_search(site, writer: TreeWriter, state_path: Path | None = None) -> int:
    """Write the index into the staging tree's search-index/, keeping what it is made from
    at `state_path` for the next build; returns how many files the index has."""
    with paused():  # a source, an inputs and a digest per document, and what the state holds: kept to the end
        return _write_search(site, writer, state_path)


def _write_search(site, writer: TreeWriter, state_path: Path | None) -> int:
    sources = doc_sources(site)
    docs = Documents(site, sources)
    slugs = {f.name: f.slug for f in site.vocabulary.fields}
    code = code_digest()
    context = context_digest(site, code, slugs)
    state = read_state(state_path) if state_path is not None else None
    digests = document_digests(docs, state.known(code, context) if state is not None else {})
    digest = index_digest(digests, slugs)
    inputs = [source.inputs or NO_INPUTS for source in sources]
    previous = _previous(writer)
    if previous is not None and previous.meta.get("digest") == digest:
        reused = _reuse(writer)
        if reused is not None:
            owned = state is not None and (state.index, state.code) == (digest, code)
            kept = IndexState(digest if owned else "", code, context, state.small if owned else 0, digests, inputs,
                              _facets(state, digests, docs))
            if kept != state:  # so that the next build finds these inputs (a state naming no index patches none)
                _keep(state_path, kept)
            return reused
    update = plan_update(previous, state, code, context, docs, digests, slugs, digest) if previous and state else None
    if isinstance(update, Patch) and _carry(writer, update.carried):
        files, small = update.files, update.small
        count = len(files) + len(update.carried)
    else:
        files, small = build_index(docs.all(), slugs, digest)
        count = len(files)
    _write(writer, files)
    _keep(state_path, IndexState(digest, code, context, small, digests, inputs, _facets(state, digests, docs)))
    return count


def _facets(state: IndexState | None, digests: list[bytes], docs: Documents) -> list[bytes]:
    """The facet lines of the documents: the state's for those it has, else made."""
    return current_lines(state.facets, state.docs, digests, docs) if state is not None else facet_lines(docs.all())


def _keep(state_path: Path | None, state: IndexState) -> None:
    if state_path is not None:
        write_state(state_path, state)
