"""`zhuanlan build`: check, then write the whole site — whole or nothing.

Read top to bottom, a build is:
  1. load and validate the content repository (check; stop on any error), while a
     forked process checks the spare (the output the previous build retired, trees.py;
     when there is none, it links one from the output) and reads the output's seal;
  2. take a staging tree: the spare, whose files still as sealed are kept, or an empty folder;
  3. index: figures and the reference date, from the content, never the clock;
     the match index (推荐对接), cached while what it reads is unchanged, computed in
     the parent while the forked process below makes open data (it is written, and kept
     in the cache, by another forked process while the record pages are rendered);
  4. render the Markdown sections with Pelican (in a folder of its own, walked for links
     before its files are moved in); then, at the same time, the record pages in the
     parent (they show the match index; rendered by worker processes) and, in one forked
     process, open data and feeds (a region's workbook or a feed is taken over while what
     it shows is unchanged, deferred.py), the search index (search_stage.py: taken over
     when its documents did not change, patched where a few did) and the listing, region,
     field, search and other place pages (none shows the match index); pages whose inputs
     did not change are kept, or taken over from the output, instead of rendered;
  5. the sitemap and the manifest; files the site no longer has are deleted;
  6. swap the staging tree in for the output (one atomic exchange) — only now does the
     output change; the old output becomes the next build's spare. A build that fails
     keeps its staging tree as the spare, trusted only as far as it was when taken.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
from itertools import chain
from pathlib import Path
from urllib.parse import urlparse

from . import report, urls
from .collector import paused
from .deferred import write_deferred
from .feeds import feed_files
from .forking import alongside
from .matchindex import cached_matches, index_files
from .fingerprint import MANIFEST as MARKER, content_fingerprint, global_digest, manifest_bytes, read_manifest
from .opendata import open_data_files
from .pelican_content import PelicanFailed, render_content
from .render import render_pages, sitemap
from .rowcache import RowCache
from .search_stage import search_page, write_search
from .search_state import NAME as SEARCH_STATE
from .site import load_site
from .trees import OutputState, Staging
from .views_places import place_pages
from .views_records import listing_pages, record_pages
from .writer import TreeWriter, changed_files


def reference_date(site) -> dt.date:
    """The build's 'today': SOURCE_DATE_EPOCH when set, else the newest date in the content."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone(dt.timedelta(hours=8))).date()
    dates = [p.published for p in site.projects.values() if p.published]
    dates += [p.published for pages in site.pages.values() for p in pages if p.published]
    return max(dates, default=dt.date(2000, 1, 1))


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


def check_output_folder(site_dir: Path, output: Path) -> str | None:
    site_dir, output = site_dir.resolve(), output.resolve()
    if output == site_dir or os.path.commonpath([str(output), str(site_dir)]) == str(output):
        return f"输出目录 {output} 包含内容仓库本身，不能用作输出目录。"
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        return f"输出目录 {output} 不是空目录，也不是 zhuanlan 生成的网站；为免误删，请换一个目录。"
    return None


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
        shutil.rmtree(folder)
    return files


def write_site(site, state: OutputState, staging: Staging, siteurl: str, workers: int, previous_seal):
    """Steps 3 to 5 into the staging tree: returns its seal and (pages, other files)."""
    today = reference_date(site)
    writer = TreeWriter(staging, state.output, previous_seal)
    sealed = writer.sealed_previous(MARKER)  # the output's manifest, as its build wrote it
    before = read_manifest(state.output) if sealed else {}
    kept = read_manifest(staging.root) if MARKER in staging.present.files else {}
    base = global_digest(site)
    content = content_fingerprint(site, siteurl, base)
    content_files = render_markdown_sections(site, state, siteurl, writer, content, kept, before)

    def pages(made_specs, writer: TreeWriter, workers: int) -> tuple[list[str], dict[str, str]]:
        with paused(freeze=True):  # the specs are kept to the end of the build (collector.py)
            specs = list(made_specs)
        names = [urls.output_file(path) for path, _template, _context in specs]
        return names, render_pages(site, specs, writer, workers, kept=kept.get("pages", {}),
                                   before=before.get("pages", {}), base=base)

    def data_and_places():  # in a forked process, while the parent does the matches and record pages
        rows = RowCache(state.folder / "rows.cache", base)
        files = {**open_data_files(site, rows), **feed_files(site, siteurl)}
        mine = TreeWriter(staging, state.output, previous_seal)
        file_prints = write_deferred(mine, files, base, kept.get("files", {}), before.get("files", {}))
        rows.save()  # the rows the open data files made (those taken over made none)
        indexed = write_search(site, mine, state.folder / SEARCH_STATE)
        specs = chain(place_pages(site, today, urlparse(siteurl).path.rstrip("/")), search_page(site),
                      listing_pages(site))
        return len(files) + indexed, pages(specs, mine, workers), file_prints, mine.stamps, mine.touched

    def matches_and_records():  # in the parent: the record pages show the recommendations
        with paused(freeze=True):  # kept to the end of the build
            matches, store = cached_matches(site, today)

        def match_outputs():  # in a forked process, while the parent renders the record pages
            mine = TreeWriter(staging, state.output, previous_seal)
            files = index_files(matches, today)
            if store is not None:  # after the JSON: the cache keeps the texts of its lists too
                store()
            write_files(mine, files)
            return len(files), mine.stamps, mine.touched

        (count, stamps, touched), records = alongside(
            match_outputs, lambda: pages(record_pages(site, matches), writer, workers))
        writer.merge(stamps, touched)
        return count, records

    (extra, (place_names, place_prints), file_prints, stamps, touched), (match_count, (record_names, fingerprints)) = \
        alongside(data_and_places, matches_and_records)
    extra += match_count
    writer.merge(stamps, touched)
    if set(place_names) & set(record_names):
        raise ValueError(f"two pages at one path: {sorted(set(place_names) & set(record_names))[:3]}")
    fingerprints.update(place_prints)
    names = record_names + place_names
    write_files(writer, {"sitemap.xml": sitemap(names + content_files, siteurl),
                         MARKER: manifest_bytes(fingerprints, content, content_files, file_prints)})
    writer.remove_others()
    return writer.seal(), (len(names), extra)


def build_site(site_dir: Path, output: Path, siteurl: str | None, workers: int = 2) -> int:
    try:
        return _build_site(site_dir, output, siteurl, workers)
    finally:
        gc.unfreeze()  # what the build froze is the collector's again (`zhuanlan serve` builds many times)


def _build_site(site_dir: Path, output: Path, siteurl: str | None, workers: int) -> int:
    refusal = check_output_folder(site_dir, output)
    if refusal:
        print(f"错误：{refusal}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    with OutputState(output) as state:  # one build at a time on an output
        with paused(freeze=True):  # kept to the end of the build
            (spare, previous_seal), (site, problems) = alongside(
                lambda: (state.spare_for_build(), state.output_seal()), lambda: load_site(site_dir))
        for problem in problems.sorted():
            print(report.as_text(problem), file=sys.stderr)
        if problems.errors:
            print(report.summary(len(problems.errors), len(problems.warnings)) + " 网站没有生成，原有输出保持不变。",
                  file=sys.stderr)
            return 1
        siteurl = (siteurl if siteurl is not None else site.settings.get("siteurl", "")).rstrip("/")
        staging = state.new_staging(spare)
        try:
            seal, (pages, extra) = write_site(site, state, staging, siteurl, workers, previous_seal)
            state.swap_in(staging.root, seal, carried=previous_seal is not None)
        except PelicanFailed as exc:
            print(f"错误：Pelican 生成内容页面时报告了问题，网站没有生成，原有输出保持不变。\n{exc}", file=sys.stderr)
            return 1
        finally:
            if staging.root.exists():  # the build failed: the staging tree is the next spare
                state.keep_spare(staging)
    print(f"网站已生成：{output}（{pages} 个页面，另有开放数据和订阅文件 {extra} 个；"
          f"与上次相比有变化的文件 {changed_files(seal, previous_seal)} 个，共 {len(seal.files)} 个）")
    if not siteurl:
        print("提示：未设置 siteurl，订阅和网站地图中的链接为相对地址；发布前请用 --siteurl 指定网址。")
    return 0
