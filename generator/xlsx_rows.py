"""Reading a filled Excel sheet (the columns of xlsx_template) into record values.

Every cell is converted to what the YAML record holds (dates, amounts, lists,
region codes); a cell that cannot be converted becomes a CellProblem naming the
sheet, the row and the column, as an editor sees them in Excel. Nothing here
knows about files in the repository: that is importer's part.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from .messages import render
from .vocabulary import DEMAND_STATUSES, SUPPLY_STATUSES
from .xlsx_template import COLUMNS, SHEET_NAMES, Column

REQUIRED_MARK = "（必填）"
DATES = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
CODE = re.compile(r"\s*(\d{6})(?!\d)")
LISTS = ("forms", "fields", "service_regions", "matched_orgs")
REGION_KEYS = {"county": "县区", "service_regions": "地区"}


@dataclass(frozen=True, order=True)
class CellProblem:
    sheet: str
    row: int
    col: int  # 1-based; 0 for a problem of the whole sheet or file
    header: str
    code: str
    level: str
    message: str
    hint: str

    @property
    def where(self) -> str:
        if not self.row:
            return f"工作表「{self.sheet}」" if self.sheet else "表格文件"
        if not self.col:
            return f"{self.sheet} 第 {self.row} 行"
        return f"{self.sheet} 第 {self.row} 行 {get_column_letter(self.col)} 列「{self.header}」"

    def as_text(self) -> str:
        return f"{self.where}：{self.message} 改法：{self.hint} [{self.code}]"


def cell_problem(code: str, sheet: str = "", row: int = 0, col: int = 0, heading: str = "", **values) -> CellProblem:
    """A problem at a cell; `heading` is the column's header, `values` fill the message."""
    level, message, hint = render(code, **values)
    return CellProblem(sheet, row, col, heading, code, level, message, hint)


@dataclass
class Row:
    """One filled row: its number in the sheet and its values by record field,
    with the column each came from ({key: (column number, header)})."""
    kind: str
    sheet: str
    number: int
    values: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)  # E404 for each empty required cell


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:  # a date typed into a number cell
        return from_excel(value).date()
    match = DATES.fullmatch(_text(value))
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None


def _amount(value) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    text = _text(value).replace(",", "").replace("，", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return None


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[、,，;；\s]+", text) if part]


class SheetReader:
    """Converts the cells of one sheet; problems collect in `problems`."""

    def __init__(self, site, kind: str, sheet_name: str, problems: list[CellProblem]) -> None:
        self.site, self.kind, self.sheet, self.problems = site, kind, sheet_name, problems
        province = site.regions.of_level("province")
        self.province = province[0].name if province else "本省"

    def _problem(self, code: str, row: int, number: int, column: Column, **values) -> None:
        self.problems.append(cell_problem(code, self.sheet, row, number, column.header, **values))

    def columns(self, header_row: tuple) -> dict[int, Column]:
        """{column number: Column} from the header row; unknown and missing headers are problems."""
        known = {column.header: column for column in COLUMNS[self.kind]}
        found: dict[int, Column] = {}
        for number, cell in enumerate(header_row, start=1):
            text = _text(cell) if cell is not None else ""
            text = text[: -len(REQUIRED_MARK)] if text.endswith(REQUIRED_MARK) else text
            if not text:
                continue
            if text in known:
                found[number] = known[text]
                continue
            close = difflib.get_close_matches(text, list(known), n=1, cutoff=0.5)
            self.problems.append(cell_problem("E402", self.sheet, 1, number, text, header=text,
                                              suggestion=f"（是不是「{close[0]}」？）" if close else ""))
        present = {column.key for column in found.values()}
        for column in COLUMNS[self.kind]:
            if column.required and column.key not in present:
                self.problems.append(cell_problem("E403", self.sheet, header=column.header))
        return found

    def row(self, number: int, cells: tuple, columns: dict[int, Column]) -> Row | None:
        """The row's values, or None for an empty row."""
        filled = {n: cells[n - 1] for n in columns if n - 1 < len(cells) and cells[n - 1] is not None
                  and _text(cells[n - 1]) != ""}
        if not filled:
            return None
        row = Row(self.kind, self.sheet, number)
        for column_number, column in sorted(columns.items()):
            row.columns[column.key] = (column_number, column.header)
            if column_number not in filled:
                if column.required:  # a problem for a new record only: in a changed one it stays as it is
                    row.missing.append(cell_problem("E404", self.sheet, number, column_number, column.header,
                                                    name=column.header, hint=column.hint))
                continue
            value = self.convert(number, column_number, column, filled[column_number])
            if value is not None:
                row.values[column.key] = value
        return row

    def convert(self, row: int, number: int, column: Column, raw):
        key = column.key
        if column.date:
            value = _date(raw)
            if value is None:
                self._problem("E405", row, number, column, value=_text(raw))
            return value
        if key == "budget":
            value = _amount(raw)
            if value is None:
                self._problem("E406", row, number, column, value=_text(raw))
            return value
        text = _text(raw)
        if key in REGION_KEYS:
            return self.region_codes(row, number, column, text)
        if key in LISTS:
            return _split(text)
        if key == "many_to_one":
            if text not in ("是", "否"):
                self._problem("E411", row, number, column, value=text)
                return None
            return text == "是"
        if key == "status":
            statuses = DEMAND_STATUSES if self.kind == "demand" else SUPPLY_STATUSES
            return next((name for name, label in statuses.items() if label == text), text)
        return text

    def region_codes(self, row: int, number: int, column: Column, text: str):
        """'371721 曹县' or '371721' (several in service_regions) -> codes known to the site."""
        parts = _split(text) if column.key == "service_regions" else [text]
        codes = []
        for part in parts:
            match = CODE.match(part)
            code = match.group(1) if match else part
            if column.key == "service_regions" and not match and not part.isdigit():
                continue  # the name after a code, split off by the space
            region = self.site.regions.get(code)
            county_like = region is not None and (column.key != "county" or self.kind == "org"
                                                  or region.level in ("county", "partner"))
            if not county_like:
                self._problem("E407", row, number, column, value=code, province=self.province,
                              what=REGION_KEYS[column.key])
            codes.append(code)
        return codes if column.key == "service_regions" else (codes[0] if codes else None)


def read_workbook(path: Path, site) -> tuple[list[Row], list[CellProblem]]:
    """Every filled row of the known sheets, and the problems found in their cells."""
    problems: list[CellProblem] = []
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged, encrypted or non-xlsx file: openpyxl raises many kinds
        return [], [cell_problem("E410", reason=type(exc).__name__ if not str(exc) else str(exc)[:120])]
    kinds = {name: kind for kind, name in SHEET_NAMES.items()}
    rows: list[Row] = []
    try:
        sheets = [name for name in book.sheetnames if name in kinds]
        if not sheets:
            problems.append(cell_problem("E401", sheets="".join(f"「{n}」" for n in SHEET_NAMES.values())))
        for name in sheets:
            reader = SheetReader(site, kinds[name], name, problems)
            lines = book[name].iter_rows(values_only=True)
            columns = reader.columns(next(lines, ()))
            for number, cells in enumerate(lines, start=2):
                row = reader.row(number, cells, columns)
                if row is not None:
                    rows.append(row)
    finally:
        book.close()
    return rows, problems
