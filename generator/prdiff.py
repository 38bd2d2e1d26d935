"""`zhuanlan diff [BASE]`: what a pull request changes, for the reviewer, in Markdown.

  1. find the base: a git revision, by default where this branch left main;
  2. take the base's content out of git into a temporary folder;
  3. load and build both sides (the working tree is the pull request's side);
  4. compare records (demands, offers, organizations, policies and other pages)
     by id, built pages by path, and warnings by what they say;
  5. print a Markdown summary a reviewer can approve without reading YAML.
"""
from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from .organizations import LABELS as ORG_LABELS
from .projects import DEMAND_LABELS, SUPPLY_LABELS
from .site import load_site

KINDS = {"demand": "需求", "supply": "供给", "org": "社会组织", "policies": "政策", "news": "新闻",
         "cases": "典型案例", "pages": "页面"}
SKIP_FIELDS = {"node", "path", "body_line"}


class GitProblem(Exception):
    """git could not answer: not a repository, or an unknown revision."""


def git(folder: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True)
    if result.returncode != 0:
        raise GitProblem(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return result.stdout


def default_base(folder: Path) -> str:
    """Where HEAD left main (or origin/main, master)."""
    for branch in ("main", "origin/main", "master", "origin/master"):
        try:
            return git(folder, "merge-base", "HEAD", branch).decode().strip()
        except GitProblem:
            continue
    raise GitProblem("找不到 main 分支")


def checkout(folder: Path, revision: str, into: Path) -> Path:
    """The content repository as it was at revision, extracted into `into`."""
    prefix = git(folder, "rev-parse", "--show-prefix").decode().strip()
    archive = git(folder, "archive", "--format=tar", revision, "--", prefix or ".")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        extract(tar, into)
    return into / prefix


def extract(tar: tarfile.TarFile, into: Path) -> None:
    """tar's content into `into`, nothing outside it. Through tarfile's "data" filter where
    Python has it (3.11.4 and later); Debian 12's python3 is 3.11.2, which has not: there only
    plain files and folders whose paths stay inside are taken, as their owner's to change and
    everyone's to read. Links are left out (the loader refuses a link anyway, E112)."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(into, filter="data")
        return
    root = os.path.realpath(into)
    members = []
    for member in tar.getmembers():
        target = os.path.realpath(os.path.join(root, member.name))
        if (member.isfile() or member.isdir()) and os.path.commonpath([root, target]) == root and target != root:
            member.mode = 0o755 if member.isdir() else 0o644
            members.append(member)
    tar.extractall(into, members=members)


def records(site) -> dict[tuple[str, str], tuple[str, str, dict]]:
    """(kind, id) -> (title, county or '', {field: value}) of every record and page."""
    out = {}
    for project in site.projects.values():
        county = project.county or (site.organizations[project.org].county if project.org in site.organizations else "")
        out[(project.kind, project.id)] = (project.title, county or "", _fields(project))
    for org in site.organizations.values():
        out[("org", org.id)] = (org.name, org.county or "", _fields(org))
    for section, pages in site.pages.items():
        for page in pages:
            out[(section, page.slug)] = (page.title, "", _fields(page))
    return out


def _fields(record) -> dict:
    return {f.name: repr(getattr(record, f.name)) for f in dataclasses.fields(record) if f.name not in SKIP_FIELDS}


def _label(kind: str, name: str) -> str:
    labels = DEMAND_LABELS if kind == "demand" else SUPPLY_LABELS if kind == "supply" else \
        ORG_LABELS if kind == "org" else {"body": "正文"}
    return labels.get(name, name).split("（")[0]


def compare_records(base: dict, head: dict) -> list[tuple[str, str, str, str, str, str]]:
    """(change, kind, county, id, title, fields changed) sorted by kind, county, id."""
    rows = []
    for key in sorted(set(base) | set(head)):
        kind, record_id = key
        if key not in base:
            title, county, _ = head[key]
            rows.append(("新增", kind, county, record_id, title, ""))
        elif key not in head:
            title, county, _ = base[key]
            rows.append(("删除", kind, county, record_id, title, ""))
        elif base[key][2] != head[key][2]:
            title, county, now = head[key]
            fields = [name for name in now if now[name] != base[key][2].get(name)]
            rows.append(("修改", kind, county, record_id, title, "、".join(_label(kind, f) for f in fields)))
    order = list(KINDS)
    return sorted(rows, key=lambda r: (order.index(r[1]) if r[1] in order else 99, r[2], r[3]))


def tree(folder: Path | None) -> dict[str, bytes]:
    files = {}
    if folder is None or not folder.is_dir():
        return files
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith(".zhuanlan"):
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def compare_pages(base: dict[str, bytes], head: dict[str, bytes]) -> dict[str, list[str]]:
    """Built pages (as URLs) added, changed and removed; other files only counted."""
    def url(name: str) -> str:
        return "/" + (name[: -len("index.html")] if name.endswith("index.html") else name)
    pages = {"added": [], "changed": [], "removed": [], "files": []}
    for name in sorted(set(base) | set(head)):
        if base.get(name) == head.get(name):
            continue
        if not name.endswith(".html"):
            pages["files"].append(name)
            continue
        change = "added" if name not in base else "removed" if name not in head else "changed"
        pages[change].append(url(name))
    return pages


def build(site: Path, output: Path) -> tuple[bool, str]:
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(output)],
                            capture_output=True, encoding="utf-8", errors="replace",
                            env={**os.environ, "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8"})
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def md(text: str) -> str:
    """Content text made inert in a Markdown table cell or list item."""
    text = " ".join(str(text).split())
    for ch in "\\`*_[]|#!":
        text = text.replace(ch, "\\" + ch)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """A code span (no escapes work inside one, so a backtick cannot be let in)."""
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"


def _place(site, code: str) -> str:
    region = site.regions.get(code) if code else None
    return f"{region.name}（{code}）" if region else (code or "—")


def summary(revision: str, site, changes: list, pages: dict, warnings: list, head_built: bool, log: str) -> str:
    count = {word: sum(r[0] == word for r in changes) for word in ("新增", "修改", "删除")}
    lines = ["## 专栏内容变化（zhuanlan diff）", "", f"对比基准：`{revision[:12]}`。", "",
             f"### 记录：新增 {count['新增']} 条，修改 {count['修改']} 条，删除 {count['删除']} 条", ""]
    if changes:
        lines += ["| 变化 | 类型 | 地区 | 编号 | 标题 | 修改的字段 |", "|---|---|---|---|---|---|"]
        lines += [f"| {change} | {KINDS.get(kind, kind)} | {md(_place(site, county))} | {code(key)} | {md(title)} | "
                  f"{md(fields)} |" for change, kind, county, key, title, fields in changes]
    else:
        lines.append("没有记录变化。")
    lines.append("")
    if not head_built:
        lines += ["### 网站无法生成", "", "这个版本的网站没有生成成功，合并前必须改正：", "", "```",
                  *log.replace("```", "'''").splitlines()[-60:], "```", ""]
    else:
        lines += [f"### 页面：新增 {len(pages['added'])} 个，修改 {len(pages['changed'])} 个，"
                  f"删除 {len(pages['removed'])} 个", ""]
        for key, word in (("added", "新增"), ("removed", "删除")):
            if pages[key]:
                lines += [f"{word}：", "", *(f"- {code(url)}" for url in pages[key]), ""]
        if pages["changed"]:
            lines += [f"<details><summary>修改的页面（{len(pages['changed'])} 个）</summary>", "",
                      *(f"- {code(url)}" for url in pages["changed"]), "", "</details>", ""]
        if pages["files"]:
            lines += [f"另有 {len(pages['files'])} 个开放数据、订阅和网站地图文件随之更新。", ""]
    lines += [f"### 新的警告：{len(warnings)} 条" if warnings else "### 没有新的警告", ""]
    lines += [f"- {code(f'{p.path}:{p.line}:{p.col}')} {md(p.message)} \\[{p.code}\\]" for p in warnings]
    return "\n".join(lines).rstrip() + "\n"


def run_diff(site_dir: Path, revision: str | None, out) -> int:
    site_dir = site_dir.resolve()
    try:
        revision = git(site_dir, "rev-parse", "--verify", (revision or default_base(site_dir)) + "^{commit}").decode().strip()
    except GitProblem as exc:
        print(f"错误：无法确定对比基准（{exc}）。请在 git 仓库里运行，并给出基准版本，例如 zhuanlan diff main。",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="zhuanlan-diff-") as temp:
        base_dir = checkout(site_dir, revision, Path(temp) / "base")
        base_site, base_problems = load_site(base_dir, use_cache=False)
        head_site, head_problems = load_site(site_dir)
        base_ok, _ = build(base_dir, Path(temp) / "base-out")
        head_ok, log = build(site_dir, Path(temp) / "head-out")
        pages = compare_pages(tree(Path(temp) / "base-out" if base_ok else None), tree(Path(temp) / "head-out"))
    known = {(p.path, p.code, p.message) for p in base_problems.warnings}
    warnings = [p for p in head_problems.sorted() if p.level == "warning" and (p.path, p.code, p.message) not in known]
    changes = compare_records(records(base_site), records(head_site))
    print(summary(revision, head_site, changes, pages, warnings, head_ok, log), file=out, end="")
    return 0 if head_ok else 1
