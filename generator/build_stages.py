"""Steps 2 to 5 of a build (build.py): everything a build writes into its staging tree."""
from __future__ import annotations

import os
import tempfile
from itertools import chain
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

from . import urls
from .build import reference_date
from .collector import paused
from .deferred import write_deferred
from .feeds import feed_files
from .fingerprint import MANIFEST as MARKER, content_fingerprint, global_digest, manifest_bytes, read_manifest
from .forking import Ending, alongside
from .matchindex import cached_matches, index_files
from .opendata import open_data_files
from .pelican_content import render_content
from .render import render_pages, sitemap
from .rowcache import RowCache
from .search_stage import search_page, write_search
from .search_state import NAME as SEARCH_STATE
from .trees import OutputState, Staging
from .views_places import place_pages
from .views_records import listing_pages, record_pages
from .writer import TreeWriter


def write_files(writer: TreeWriter, files: dict[str, bytes]) -> None:
    for relative in sorted(files):
        writer.write(relative, files[relative])


def verify_tree(target: Path) -> list[str]:
    """The files under target, relative, sorted; refuses a tree holding a link. A tree
    walked without following links, in which nothing is a link, cannot reach outside its root."""
    root = os.path.realpath(target)
    files, folders = [], [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise ValueError(f"unsafe path in the built site: {entry.path}")
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    files.append(os.path.relpath(entry.path, root).replace(os.sep, "/"))
    return sorted(files)


def render_markdown_sections(site, state: OutputState, siteurl: str, writer: TreeWriter, content: str,
                             kept: dict, before: dict) -> list[str]:
    """Pelican's pages: the staging tree's (`kept`: its manifest) or the output's (`before`)
    when nothing they are made from changed, else rendered and moved in."""
    for manifest, method in ((kept, writer.keep), (before, writer.take_over)):
        files = manifest.get("content_files")
        if manifest.get("content") == content and isinstance(files, list) and all(method(name) for name in files):
            return files
    folder = Path(tempfile.mkdtemp(prefix="pelican-", dir=state.folder))
    try:
        render_content(site, folder, siteurl)
        files = verify_tree(folder)
        for name in files:
            writer.write(name, (folder / name).read_bytes())
    finally:
        state.discard_later(folder)
    return files


def write_site(site, state: OutputState, staging: Staging, siteurl: str, workers: int, previous_seal,
               left: list | None = None):
    """Steps 3 to 5 into the staging tree: returns its seal and what it counted (Counts).
    What it made is added to `left`, when given (kept to the process's end, build.py).
    The caches its forked processes keep for the next build are written once it is done."""
    with Ending() as ending:
        return _write_site(site, state, staging, siteurl, workers, previous_seal, left, ending)


def _write_site(site, state: OutputState, staging: Staging, siteurl: str, workers: int, previous_seal,
                left: list | None, ending: Ending):
    today = reference_date(site)
    writer = TreeWriter(staging, state.output, previous_seal)
    sealed = writer.sealed_previous(MARKER)  # the output's manifest, as its build wrote it
    before = read_manifest(state.output) if sealed else {}
    kept = read_manifest(staging.root) if MARKER in staging.present.files else {}
    base = global_digest(site)
    content = content_fingerprint(site, siteurl, base)

    def pages(made_specs, writer: TreeWriter, workers: int) -> tuple[list[str], dict[str, str]]:
        with paused(freeze=True):  # the specs are kept to the end of the build (collector.py)
            specs = list(made_specs)
        names = [urls.output_file(path) for path, _template, _context in specs]
        return names, render_pages(site, specs, writer, workers, kept=kept.get("pages", {}),
                                   before=before.get("pages", {}), base=base)

    later: list = []  # what the data process keeps for the next build, after handing its result over

    def data_and_places():  # in a forked process, while the parent does the matches and record pages
        rows = RowCache(state.folder / "rows.cache", base)
        files = {**open_data_files(site, rows), **feed_files(site, siteurl)}
        mine = TreeWriter(staging, state.output, previous_seal)
        file_prints = write_deferred(mine, files, base, kept.get("files", {}), before.get("files", {}))
        later.append(rows.save)  # the rows the open data files made (those taken over made none)
        indexed = write_search(site, mine, state.folder / SEARCH_STATE)
        specs = chain(place_pages(site, today, urlparse(siteurl).path.rstrip("/")), search_page(site),
                      listing_pages(site))
        return len(files) + indexed, pages(specs, mine, workers), file_prints, mine.stamps, mine.touched

    def matches_and_records():  # in the parent: the record pages show the recommendations
        with paused(freeze=True):  # kept to the end of the build
            matches, store = cached_matches(site, today)
        if left is not None:
            left.append(matches)

        def match_outputs():  # in a forked process, while the parent renders the record pages
            mine = TreeWriter(staging, state.output, previous_seal)
            files = index_files(matches, today)
            write_files(mine, files)
            return len(files), mine.stamps, mine.touched

        def sections_and_records():  # beside the data process: before it, Pelican ran alone on one core
            return (render_markdown_sections(site, state, siteurl, writer, content, kept, before),
                    pages(record_pages(site, matches), writer, workers))

        # the cache is stored after the JSON (it keeps the lists' texts too), by the same process,
        # not waited for (0.5-1.5 s at provincial scale after a demand's edit)
        (count, stamps, touched), (content_files, records) = alongside(match_outputs, sections_and_records,
                                                                       afterwards=store, ending=ending)
        writer.merge(stamps, touched)
        return count, content_files, records

    (extra, (place_names, place_prints), file_prints, stamps, touched), \
        (match_count, content_files, (record_names, fingerprints)) = alongside(
            data_and_places, matches_and_records, afterwards=lambda: [keep() for keep in later], ending=ending)
    extra += match_count
    writer.merge(stamps, touched)
    if set(place_names) & set(record_names):
        raise ValueError(f"two pages at one path: {sorted(set(place_names) & set(record_names))[:3]}")
    fingerprints.update(place_prints)
    names = record_names + place_names
    write_files(writer, {"sitemap.xml": sitemap(names + content_files, siteurl),
                         MARKER: manifest_bytes(fingerprints, content, content_files, file_prints)})
    writer.remove_others()
    renewed = _renewed(fingerprints, before.get("pages", {})) + _renewed(file_prints, before.get("files", {}))
    if left is not None:
        left.append((kept, before, fingerprints, file_prints, names, writer))
    return writer.seal(), Counts(len(names), extra, renewed, len(fingerprints) + len(file_prints))


class Counts(NamedTuple):
    pages: int
    extra: int  # open data, feeds, search index and match index files
    renewed: int  # of the fingerprinted pages and files, those whose fingerprint is not the output's
    fingerprinted: int


def _renewed(fingerprints: dict[str, str], before: dict[str, str]) -> int:
    return sum(1 for name, made in fingerprints.items() if before.get(name) != made)
