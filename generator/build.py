"""`zhuanlan build`: check, then write the whole site — whole or nothing.

Read top to bottom, a build is:
  1. load and validate the content repository (check; stop on any error), while a
     forked process checks the spare (the output the previous build retired, trees.py;
     when there is none, it links one from the output); then the output's seal is read;
  2. take a staging tree: the spare, whose files still as sealed are kept, or an empty folder;
  3. index: figures and the reference date, from the content, never the clock;
     the match index (推荐对接), cached while what it reads is unchanged, computed in
     the parent while the forked process below makes open data (it is written by another
     forked process while the record pages are rendered, which then keeps it in the cache,
     not waited for: it holds the lock until done);
  4. render, at the same time: in the parent, the Markdown sections with Pelican (in a
     folder of its own, walked for links before its files are moved in), then the record
     pages (they show the match index; rendered by worker processes); in one forked
     process, open data and feeds (a region's workbook or a feed is taken over while what
     it shows is unchanged, deferred.py), the search index (search_stage.py: taken over
     when its documents did not change, patched where a few did) and the listing, region,
     field, search and other place pages (none shows the match index); pages whose inputs
     did not change are kept, or taken over from the output, instead of rendered;
  5. the sitemap and the manifest; files the site no longer has are deleted;
  6. swap the staging tree in for the output (one atomic exchange) — only now does the
     output change; the old output becomes the next build's spare (unless this build
     changed most of the site, or there was none: then, for a large site, a detached
     process links a fresh spare from the output after the build returns, holding the
     lock until it is done). A build that fails keeps its staging tree as the spare,
     trusted only as far as it was when taken.

Steps 2 to 5 are in build_stages.py. This module imports only what steps 1 and 6 need, so
that the forked process checking the spare starts before the stages' modules (numpy,
Jinja2, Markdown, YAML: a quarter of a second) are imported, in the parent, beside it.
"""
from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
import sys
from pathlib import Path

from . import report
from .collector import paused
from .forking import alongside
from .trees import MANIFEST as MARKER, OutputState, worth_keeping
from .writer import changed_files


def reference_date(site) -> dt.date:
    """The build's 'today': SOURCE_DATE_EPOCH when set, else the newest date in the content."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone(dt.timedelta(hours=8))).date()
    dates = [p.published for p in site.projects.values() if p.published]
    dates += [p.published for pages in site.pages.values() for p in pages if p.published]
    return max(dates, default=dt.date(2000, 1, 1))


def check_output_folder(site_dir: Path, output: Path) -> str | None:
    site_dir, output = site_dir.resolve(), output.resolve()
    if output == site_dir or os.path.commonpath([str(output), str(site_dir)]) == str(output):
        return f"输出目录 {output} 包含内容仓库本身，不能用作输出目录。"
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        return f"输出目录 {output} 不是空目录，也不是 zhuanlan 生成的网站；为免误删，请换一个目录。"
    return None


def load(site_dir: Path):
    """Step 1 in the parent: (site, problems). The stages' modules are imported first,
    while the forked process beside it checks the spare."""
    importlib.import_module(".build_stages", __package__)
    from .site import load_site
    return load_site(site_dir)


_LEFT_TO_EXIT: list = []  # what a build run by `zhuanlan build` leaves for its process's end


def build_site(site_dir: Path, output: Path, siteurl: str | None, workers: int = 2,
               link_spare_after: bool = False, leave_to_exit: bool = False) -> int:
    """Build the site; with `link_spare_after` (`zhuanlan build`), a large output left
    without a spare gets one linked in the background after the build returns (step 6).
    With `leave_to_exit`, the process ends right after (cli.entry): what the build made is
    kept to the end instead of freed (0.2 s for the provincial site)."""
    try:
        return _build_site(site_dir, output, siteurl, workers, link_spare_after,
                           _LEFT_TO_EXIT if leave_to_exit else None)
    finally:
        gc.unfreeze()  # what the build froze is the collector's again (`zhuanlan serve` builds many times)


def _build_site(site_dir: Path, output: Path, siteurl: str | None, workers: int, link_spare_after: bool,
                left: list | None) -> int:
    refusal = check_output_folder(site_dir, output)
    if refusal:
        print(f"错误：{refusal}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    with OutputState(output) as state:  # one build at a time on an output
        with paused(freeze=True):  # kept to the end of the build
            spare, (site, problems) = alongside(state.spare_for_build, lambda: load(site_dir))
            previous_seal = state.output_seal()  # read here: handed over pickled, it took longer
        if left is not None:
            left.append((site, problems, spare, previous_seal))
        for problem in problems.sorted():
            print(report.as_text(problem), file=sys.stderr)
        if problems.errors:
            print(report.summary(len(problems.errors), len(problems.warnings)) + " 网站没有生成，原有输出保持不变。",
                  file=sys.stderr)
            return 1
        siteurl = (siteurl if siteurl is not None else site.settings.get("siteurl", "")).rstrip("/")
        from .build_stages import write_site  # both imported by load() already
        from .pelican_content import PelicanFailed
        staging = state.new_staging(spare)
        try:
            seal, counts = write_site(site, state, staging, siteurl, workers, previous_seal, left)
            if left is not None:
                left.append(seal)
            state.swap_in(staging.root, seal, carried=previous_seal is not None,
                          keep_retired=worth_keeping(counts.renewed, counts.fingerprinted))
            if link_spare_after:
                state.link_spare_later(len(seal.files))
        except PelicanFailed as exc:
            print(f"错误：Pelican 生成内容页面时报告了问题，网站没有生成，原有输出保持不变。\n{exc}", file=sys.stderr)
            return 1
        finally:
            if staging.root.exists():  # the build failed: the staging tree is the next spare
                state.keep_spare(staging)
    print(f"网站已生成：{output}（{counts.pages} 个页面，另有开放数据和订阅文件 {counts.extra} 个；"
          f"与上次相比有变化的文件 {changed_files(seal, previous_seal)} 个，共 {len(seal.files)} 个）")
    if not siteurl:
        print("提示：未设置 siteurl，订阅和网站地图中的链接为相对地址；发布前请用 --siteurl 指定网址。")
    return 0
