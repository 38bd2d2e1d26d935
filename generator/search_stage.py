"""The build's search stage: the /search/ page's spec and the index files under search-index/.

The index is rebuilt only when what it is made from changed (its digest, kept in
search-index/meta.json); otherwise the previous build's files are linked in unread. When it
is rebuilt, files whose bytes did not change are still linked (TreeWriter), so a
copy to the portal moves only the shards and documents that really changed.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .search_docs import KIND_NAMES, STATUS_NAMES, search_docs
from .search_index import docs_digest, index_files
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


def _previous_digest(previous: Path | None) -> str | None:
    if previous is None:
        return None
    try:
        meta = json.loads((previous / FOLDER / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta.get("digest") if isinstance(meta, dict) else None


def _take_over_all(writer: TreeWriter) -> bool:
    """Link every file of the previous index into staging; False (and nothing left
    half-done) when one cannot be."""
    root = writer.previous / FOLDER
    names = sorted(os.path.relpath(os.path.join(folder, name), writer.previous).replace(os.sep, "/")
                   for folder, _dirs, files in os.walk(root) for name in files)
    if names and all(writer.take_over(name) for name in names):
        return True
    shutil.rmtree(writer.staging / FOLDER, ignore_errors=True)
    return False


def write_search(site, writer: TreeWriter) -> int:
    """Write the index into staging/search-index/; returns how many files it has."""
    docs = search_docs(site)
    slugs = {f.name: f.slug for f in site.vocabulary.fields}
    digest = docs_digest(docs, slugs)
    before = writer.written
    if digest == _previous_digest(writer.previous) and _take_over_all(writer):
        return writer.written - before
    writer.written = before
    files = index_files(docs, slugs, digest)
    for name in sorted(files):
        writer.write(f"{FOLDER}/{name}", files[name])
    return len(files)
