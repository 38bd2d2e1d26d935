"""`zhuanlan import FILE.xlsx [--write]`: rows of a filled template become records.

  1. read the sheets (xlsx_rows): cell problems carry sheet, row and column;
  2. plan: a row whose id is known changes that record, any other row is a new
     record with the next free id, going to the file `zhuanlan new` would choose;
  3. edit the files as text (yamledit), so comments and layout stay;
  4. check the whole repository as it would be, in a linked copy, and point every
     problem inside an imported record back at its row and column;
  5. only with --write, and only when nothing is wrong, replace the files.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import report
from .newrecord import HEADERS, next_id, target_file, today
from .nodes import Mapping, Scalar, Sequence
from .problems import Problem, Problems
from .site import load_site
from .xlsx_rows import CellProblem, Row, cell_problem, read_workbook
from .yamledit import append_record, record_text, update_record
from .yamlread import parse

KIND_NAMES = {"demand": "需求项目", "supply": "供给项目", "org": "社会组织"}
SKIPPED = {".git", "output", ".venv", "node_modules", "__pycache__"}  # the parse cache is linked too: its keys hold the bytes


@dataclass
class Planned:
    row: Row
    id: str
    path: str
    new: bool
    values: list = field(default_factory=list)  # (key, value) in file order, for a new record
    changes: dict = field(default_factory=dict)  # key -> value, for a changed record

    @property
    def title(self) -> str:
        return str(self.row.values.get("title") or self.row.values.get("name") or "")


def record_values(row: Row, record_id: str) -> list[tuple[str, object]]:
    """The row as a record, fields in the order of the template's columns."""
    values = dict(row.values)
    out: list[tuple[str, object]] = [("id", record_id)]
    if row.kind != "org":
        out.append(("kind", row.kind))
    contact = {k: values.pop(f"contact_{k}") for k in ("unit", "phone") if f"contact_{k}" in values}
    out += [(key, value) for key, value in values.items() if key != "id" and value is not False]  # 否: left out
    if contact:
        out.append(("contact", contact))
    return out


def _plain(node):
    if isinstance(node, Scalar):
        return node.value.strip()
    if isinstance(node, Sequence):
        return [_plain(item) for item in node.items]
    if isinstance(node, Mapping):
        return {key: _plain(value) for key, (_k, value) in node.items.items()}
    return None


def _same(new, old) -> bool:
    if isinstance(new, list):
        return isinstance(old, list) and [str(item) for item in new] == old
    if isinstance(new, dict):
        return isinstance(old, dict) and all(str(v) == old.get(k) for k, v in new.items())
    value = new.isoformat() if hasattr(new, "isoformat") else str(new)
    return value.strip() == old


class FileTexts:
    """The text of each record file, as read and as edited, and each record's node."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.before: dict[str, str] = {}
        self.after: dict[str, str] = {}
        self._parsed: dict[str, tuple[str, list[Mapping]]] = {}

    def text(self, rel: str) -> str:
        if rel not in self.after:
            path = self.site_dir / rel
            self.before[rel] = path.read_text(encoding="utf-8-sig") if path.exists() else ""
            self.after[rel] = self.before[rel]
        return self.after[rel]

    def records(self, rel: str) -> list[Mapping]:
        """The records of a file as it now reads, parsed once per text."""
        text = self.text(rel)
        known = self._parsed.get(rel)
        if known is None or known[0] is not text:
            root = parse(text, rel, Problems())
            known = self._parsed[rel] = (text, [m for m in (root.items if isinstance(root, Sequence) else [])
                                                if isinstance(m, Mapping)])
        return known[1]

    def record(self, rel: str, record_id: str) -> Mapping | None:
        return next((m for m in self.records(rel) if _plain(m.get("id")) == record_id), None)

    def changed(self) -> dict[str, str]:
        return {rel: text for rel, text in sorted(self.after.items()) if text != self.before[rel]}


def plan(site, site_dir: Path, rows: list[Row], files: FileTexts, problems: list) -> list[Planned]:
    taken = set(site.projects) | set(site.organizations)
    seen: dict[str, Row] = {}
    counters: dict[str, int] = {}  # the last number given for each id prefix
    planned = []
    for row in rows:
        given = str(row.values.get("id") or "")
        if given and given in seen:
            problems.append(cell_problem("E408", row.sheet, row.number, row.columns["id"][0], row.columns["id"][1],
                                         value=given, other=seen[given].number))
            continue
        existing = site.organizations.get(given) if row.kind == "org" else site.projects.get(given)
        other = site.projects.get(given) if row.kind == "org" else site.organizations.get(given)
        if given and (other is not None or (existing is not None and row.kind != "org" and existing.kind != row.kind)):
            owner = other or existing
            kind = "社会组织" if owner in site.organizations.values() else KIND_NAMES[owner.kind]
            problems.append(cell_problem("E409", row.sheet, row.number, row.columns["id"][0], row.columns["id"][1],
                                         value=given, existing=kind, where=owner.path, kind=KIND_NAMES[row.kind]))
            continue
        if existing is not None:
            old = files.record(existing.path, given)
            current = {key: _plain(value) for key, (_k, value) in old.items.items()} if old else {}
            changes = {}
            for key, value in record_values(row, given)[1:]:
                if key == "contact":
                    value = {**current.get("contact", {}), **value} if isinstance(current.get("contact"), dict) else value
                if not _same(value, current.get(key)):
                    changes[key] = value
            planned.append(Planned(row, given, existing.path, False, changes=changes))
        else:
            if row.missing:
                problems.extend(row.missing)
                continue
            if not given:
                year = (row.values.get("published") or today()).year
                prefix = f"d-{row.values.get('county')}-{year}-" if row.kind == "demand" else f"s-{year}-"
                if prefix not in counters:
                    counters[prefix] = int(next_id(taken, prefix)[len(prefix):]) - 1
                given = prefix
                while given == prefix or given in taken:
                    counters[prefix] += 1
                    given = f"{prefix}{counters[prefix]:03d}"
            where = {"county": row.values.get("county") or "", "id": given}
            rel = target_file(site_dir, row.kind, where).relative_to(site_dir).as_posix()
            planned.append(Planned(row, given, rel, True, values=record_values(row, given)))
        taken.add(given)
        seen[given] = row
    return planned


def edit(planned: list[Planned], files: FileTexts) -> None:
    for item in planned:
        text = files.text(item.path)
        if item.new:
            head = HEADERS[item.row.kind].format(county=item.row.values.get("county", "")) if not text else ""
            files.after[item.path] = append_record(head + text, record_text(item.values))
        elif item.changes:
            files.after[item.path] = update_record(text, files.record(item.path, item.id), item.changes)


def _linked_copy(site_dir: Path, into: Path) -> Path:
    def link(source, target):
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    copy = into / "site"
    shutil.copytree(site_dir, copy, copy_function=link, symlinks=True,
                    ignore=lambda _d, names: [n for n in names if n in SKIPPED or n.startswith((".build-", ".old-"))])
    return copy


def record_lines(files: FileTexts, rel: str, record_id: str) -> tuple[int, int, list[tuple[int, str]]] | None:
    """The lines a record spans (up to the next record) and the first line of each field."""
    items = files.records(rel)
    for number, mapping in enumerate(items):
        if _plain(mapping.get("id")) == record_id:
            last = items[number + 1].line - 1 if number + 1 < len(items) else files.after[rel].count("\n") + 1
            keys = sorted((key_node.line, key) for key, (key_node, _v) in mapping.items.items())
            return mapping.line, last, keys
    return None


def locate(problems: Problems, planned: list[Planned], files: FileTexts) -> tuple[list, list[Problem]]:
    """Problems inside imported records as CellProblems at their row and column; the rest as they are."""
    spans: dict[str, list] = {}
    for item in planned:
        if item.new or item.changes:
            lines = record_lines(files, item.path, item.id)
            if lines is not None:
                spans.setdefault(item.path, []).append((*lines, item))
    located, others = [], []
    for problem in problems.sorted():
        spot = next((entry for entry in spans.get(problem.path, []) if entry[0] <= problem.line <= entry[1]), None)
        if spot is None:
            others.append(problem)
            continue
        _first, _last, keys, item = spot
        key = max((entry for entry in keys if entry[0] <= problem.line), default=keys[0])[1]
        if key == "contact":
            key = "contact_phone" if "phone" in problem.message or "电话" in problem.message else "contact_unit"
        column, header = item.row.columns.get(key, (0, ""))
        located.append(CellProblem(item.row.sheet, item.row.number, column, header, problem.code,
                                   problem.level, problem.message, problem.hint))
    return located, others


def validate(site_dir: Path, files: FileTexts, planned: list[Planned]) -> tuple[list, list]:
    with tempfile.TemporaryDirectory(prefix="zhuanlan-import-") as temp:
        copy = _linked_copy(site_dir, Path(temp))
        for rel, text in files.changed().items():
            target = copy / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target.unlink()  # a hard link to the real file: never write through it
            target.write_text(text, encoding="utf-8")
        _site, problems = load_site(copy)
    return locate(problems, planned, files)


def write(site_dir: Path, changed: dict[str, str]) -> None:
    for rel, text in changed.items():
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.importing")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)


def summary_lines(planned: list[Planned]) -> list[str]:
    lines = []
    for rel in sorted({item.path for item in planned}):
        mine = [item for item in planned if item.path == rel and (item.new or item.changes)]
        if not mine:
            continue
        lines.append(rel)
        for item in mine:
            where = f"（{item.row.sheet} 第 {item.row.number} 行）"
            if item.new:
                lines.append(f"  新增 {item.id}「{item.title}」{where}")
            else:
                keys = ["contact_unit" if key == "contact" else key for key in item.changes]
                headers = "、".join(item.row.columns.get(key, (0, key))[1] or key for key in keys)
                lines.append(f"  修改 {item.id}「{item.title}」：{headers}{where}")
    return lines


def import_workbook(site_dir: Path, xlsx: Path, write_files: bool, out) -> int:
    """Print what the sheet would change (and write it with write_files); the exit code."""
    site, before = load_site(site_dir)
    if before.errors:
        print("错误：内容仓库本身有问题，请先运行 zhuanlan check 改正，再导入表格。", file=out)
        return 1
    rows, problems = read_workbook(xlsx, site)
    files = FileTexts(site_dir)
    planned = plan(site, site_dir, rows, files, problems)
    others: list[Problem] = []
    if planned and not any(p.code in ("E401", "E403", "E410") for p in problems):
        edit(planned, files)
        located, others = validate(site_dir, files, planned)
        bad_rows, bad_cells = {(p.sheet, p.row) for p in problems}, {(p.sheet, p.row, p.col) for p in problems}
        problems += [p for p in located if (p.sheet, p.row, p.col) not in bad_cells
                     and not (p.code == "E201" and (p.sheet, p.row) in bad_rows)]
        others = [p for p in others if p.level == "error"]
    errors = [p for p in problems if p.level == "error"] + others
    for problem in sorted(problems):
        print(problem.as_text(), file=out)
    for problem in others:
        print(report.as_text(problem), file=out)
    if errors:
        print(f"导入未完成：发现 {len(errors)} 个错误，没有写入任何文件。请按提示改正表格后重新导入。", file=out)
        return 1
    new = sum(item.new for item in planned)
    changed = sum(bool(not item.new and item.changes) for item in planned)
    print(f"{xlsx.name}：共 {len(rows)} 行，新增 {new} 条记录，修改 {changed} 条，"
          f"没有变化 {len(planned) - new - changed} 条。", file=out)
    for line in summary_lines(planned):
        print(line, file=out)
    if not write_files:
        print("这是预览，没有写入任何文件；确认无误后加 --write 写入。", file=out)
        return 0
    write(site_dir, files.changed())
    print(f"已写入 {len(files.changed())} 个文件。下一步：运行 zhuanlan check，然后提交修改。", file=out)
    return 0
