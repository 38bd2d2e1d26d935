"""The build's search stage: the /search/ page's spec and the index files under search-index/.

The index is rebuilt only when what it is made from changed (its digest, kept in
search-index/meta.json); otherwise the output's files are linked in unread. When it
is rebuilt, files whose bytes did not change are still linked (TreeWriter), so a
copy to the portal moves only the shards and documents that really changed.
"""
from __future__ import annotations

import json
from pathlib import Path

from .search_docs import KIND_NAMES, STATUS_NAMES, search_docs
from .search_index import doc_digest, index_digest, index_files
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


def _digest_in(path) -> str | None:
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    return meta.get("digest") if isinstance(meta, dict) else None


def _reuse(writer: TreeWriter, digest: str) -> int | None:
    """Link the output's index into the staging tree unread when it was made from the same
    documents: all of its files, each only while it is as the output's seal says (the
    seal lists every file the output's build wrote). How many files, or None."""
    meta = f"{FOLDER}/meta.json"
    theirs = sorted(name for name in writer.previous_seal.files if name.startswith(FOLDER + "/"))
    sealed_meta = writer.sealed_previous(meta)
    if sealed_meta is None or _digest_in(sealed_meta) != digest:
        return None
    taken = [name for name in theirs if writer.take_over(name)]
    if len(taken) == len(theirs):
        return len(theirs)
    for name in taken:  # a file changed or links refused: write the index anew instead
        writer.forget(name)
    return None


def write_search(site, writer: TreeWriter) -> int:
    """Write the index into the staging tree's search-index/; returns how many files it has."""
    docs = search_docs(site)
    slugs = {f.name: f.slug for f in site.vocabulary.fields}
    digest = index_digest([doc_digest(doc) for doc in docs], slugs)
    reused = _reuse(writer, digest)
    if reused is not None:
        return reused
    files = index_files(docs, slugs, digest)
    for name in sorted(files):
        writer.write(f"{FOLDER}/{name}", files[name])
    return len(files)
