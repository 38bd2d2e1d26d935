"""`zhuanlan build`: check, then write the site — whole or nothing.

Stages: load -> validate -> render -> write. The site is rendered into a fresh
folder beside the output and swapped in only when everything succeeded, so a
failed build leaves the previous output exactly as it was.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import report
from .site import Site, load_site

THEME = Path(__file__).resolve().parent.parent / "theme"
MARKER = ".zhuanlan-output"


def safe_join(base: Path, relative: str) -> Path:
    """base/relative, refusing any path that would land outside base."""
    target = (base / relative).resolve()
    if os.path.commonpath([str(base.resolve()), str(target)]) != str(base.resolve()):
        raise ValueError(f"path escapes the output folder: {relative}")
    return target


def render_pages(site: Site, siteurl: str) -> dict[str, str]:
    """Relative output path -> page text."""
    env = Environment(loader=FileSystemLoader(str(THEME / "templates")), autoescape=select_autoescape(),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    cities = sorted(site.regions.of_level("city"), key=lambda region: region.code)
    demands_by_city: dict[str, int] = {}
    for demand in site.demands:
        region = site.regions.get(demand.county)
        if region and region.level == "county":
            demands_by_city[region.parent] = demands_by_city.get(region.parent, 0) + 1
    page = env.get_template("index.html").render(
        settings=site.settings, siteurl=siteurl.rstrip("/"), cities=cities, demands_by_city=demands_by_city,
        counts={"organizations": len(site.organizations), "demands": len(site.demands),
                "offers": len(site.offers), "policies": len(site.pages.get("policies", []))})
    return {"index.html": page}


def write_tree(files: dict[str, str], target: Path) -> None:
    for relative in sorted(files):
        path = safe_join(target, relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[relative], encoding="utf-8")
    (target / MARKER).write_text("zhuanlan\n", encoding="utf-8")


def swap_in(staging: Path, output: Path) -> None:
    """Replace output with staging; the old output is removed only after the swap."""
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=".old-", dir=output.parent))
        os.replace(output, retired / "site")
        os.replace(staging, output)
        shutil.rmtree(retired)
    else:
        os.replace(staging, output)


def check_output_folder(site_dir: Path, output: Path) -> str | None:
    site_dir, output = site_dir.resolve(), output.resolve()
    if output == site_dir or os.path.commonpath([str(output), str(site_dir)]) == str(output):
        return f"输出目录 {output} 包含内容仓库本身，不能用作输出目录。"
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        return f"输出目录 {output} 不是空目录，也不是 zhuanlan 生成的网站；为免误删，请换一个目录。"
    return None


def build_site(site_dir: Path, output: Path, siteurl: str | None) -> int:
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
    files = render_pages(site, siteurl if siteurl is not None else site.settings.get("siteurl", ""))
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=output.parent))
    try:
        write_tree(files, staging)
        swap_in(staging, output)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    print(f"网站已生成：{output}（{len(files)} 个页面）")
    return 0
