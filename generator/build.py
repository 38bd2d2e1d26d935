"""`zhuanlan build`: check, then write the whole site — whole or nothing.

Read top to bottom, a build is:
  1. load and validate the content repository (check; stop on any error);
  2. index: figures and the reference date, from the content, never the clock;
  3. render the Markdown sections with Pelican, and every record, region,
     field, listing and statistics page with the theme, in worker processes;
  4. open data, feeds, the search index (search_stage) and the sitemap;
  5. verify that every written path lies inside the staging folder;
  6. swap the staging folder in for the output — only now does output change.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from . import report, urls
from .feeds import demand_feeds
from .fingerprint import MANIFEST as MARKER, content_fingerprint, global_digest, manifest_bytes, read_manifest
from .opendata import open_data
from .pelican_content import PelicanFailed, render_content
from .render import render_pages, sitemap
from .search_stage import search_page, write_search
from .site import load_site
from .views_places import place_pages
from .views_records import record_pages
from .writer import TreeWriter



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


def verify_tree(target: Path) -> None:
    """Every file under target really lies inside it. A tree walked without following
    links, in which nothing is a link, cannot reach outside its root."""
    folders = [os.path.realpath(target)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise ValueError(f"unsafe path in the built site: {entry.path}")
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)


def swap_in(staging: Path, output: Path) -> None:
    """Replace output with staging in two renames; the old output is deleted afterwards."""
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=".old-", dir=output.parent))
        os.replace(output, retired / "site")
        os.replace(staging, output)
        discard(retired)
    else:
        os.replace(staging, output)


def discard(folder: Path) -> None:
    """Delete a retired output in a detached process, so that the build ends as soon as
    the new site is in place (tens of thousands of files take seconds to unlink); a
    folder left behind by an interrupted deletion is removed by the next build."""
    if not hasattr(os, "fork"):
        shutil.rmtree(folder, ignore_errors=True)
        return
    pid = os.fork()
    if pid == 0:  # child: detach, and let a grandchild do the work
        try:
            os.setsid()
            if os.fork() == 0:
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def sweep_retired(output: Path) -> None:
    """Old outputs a previous build retired but did not finish deleting."""
    for leftover in output.parent.glob(".old-*"):
        if leftover.is_dir() and (leftover / "site" / MARKER).exists():
            shutil.rmtree(leftover, ignore_errors=True)


def check_output_folder(site_dir: Path, output: Path) -> str | None:
    site_dir, output = site_dir.resolve(), output.resolve()
    if output == site_dir or os.path.commonpath([str(output), str(site_dir)]) == str(output):
        return f"输出目录 {output} 包含内容仓库本身，不能用作输出目录。"
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        return f"输出目录 {output} 不是空目录，也不是 zhuanlan 生成的网站；为免误删，请换一个目录。"
    return None


def render_markdown_sections(site, staging: Path, siteurl: str, writer: TreeWriter, content: str,
                             manifest: dict) -> list[str]:
    """Pelican's pages, or the previous build's when nothing they are made from changed."""
    previous_files = manifest.get("content_files")
    if manifest.get("content") == content and isinstance(previous_files, list) and \
            all(writer.take_over(name) for name in previous_files):
        return previous_files
    for folder in list(staging.iterdir()):  # a partial take-over: start clean
        shutil.rmtree(folder) if folder.is_dir() else folder.unlink()
    writer.written = writer.changed = 0
    render_content(site, staging, siteurl)
    files = sorted(os.path.relpath(os.path.join(folder, name), staging).replace(os.sep, "/")
                   for folder, _dirs, names in os.walk(staging) for name in names)
    writer.adopt_unchanged()
    return files


def build_site(site_dir: Path, output: Path, siteurl: str | None, workers: int = 2) -> int:
    refusal = check_output_folder(site_dir, output)
    if refusal:
        print(f"错误：{refusal}", file=sys.stderr)
        return 2
    site, problems = load_site(site_dir)
    for problem in problems.sorted():
        print(report.as_text(problem), file=sys.stderr)
    if problems.errors:
        print(report.summary(len(problems.errors), len(problems.warnings)) + " 网站没有生成，原有输出保持不变。",
              file=sys.stderr)
        return 1
    gc.freeze()  # the loaded site lives until the end: keep the collector from re-scanning it
    siteurl = (siteurl if siteurl is not None else site.settings.get("siteurl", "")).rstrip("/")
    today = reference_date(site)
    output.parent.mkdir(parents=True, exist_ok=True)
    sweep_retired(output)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=output.parent))
    previous = output if (output / MARKER).is_file() else None
    writer = TreeWriter(staging, previous)
    manifest = read_manifest(previous) if previous else {}
    try:
        base = global_digest(site)
        content = content_fingerprint(site, siteurl, base)
        content_files = render_markdown_sections(site, staging, siteurl, writer, content, manifest)
        specs = list(record_pages(site)) + list(place_pages(site, today, urlparse(siteurl).path.rstrip("/")))
        specs += list(search_page(site))
        count, changed, fingerprints, extra = render_pages(
            site, specs, staging, workers, previous, before=manifest.get("pages", {}), base=base,
            meanwhile=lambda: {**open_data(site), **demand_feeds(site, siteurl)})
        write_files(writer, extra)
        write_search(site, writer)
        pages = [urls.output_file(path) for path, _template, _context in specs] + content_files
        write_files(writer, {"sitemap.xml": sitemap(pages, siteurl),
                             MARKER: manifest_bytes(fingerprints, content, content_files)})
        verify_tree(staging)
        swap_in(staging, output)
    except PelicanFailed as exc:
        print(f"错误：Pelican 生成内容页面时报告了问题，网站没有生成，原有输出保持不变。\n{exc}", file=sys.stderr)
        return 1
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    total, changed = writer.written + count, writer.changed + changed
    print(f"网站已生成：{output}（{count} 个页面，另有开放数据和订阅文件 {len(extra)} 个；"
          f"与上次相比有变化的文件 {changed} 个，共 {total} 个）")
    if not siteurl:
        print("提示：未设置 siteurl，订阅和网站地图中的链接为相对地址；发布前请用 --siteurl 指定网址。")
    return 0
