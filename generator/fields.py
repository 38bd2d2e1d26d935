"""Reading typed fields from a positioned mapping, reporting every bad value.

A FieldReader wraps one record (a Mapping) and hands out plain Python values:
text as written, whole numbers, amounts, real dates, flags, choices from a
vocabulary and lists of them. Each bad or missing value becomes a Problem at
its position and the reader returns None, so validation carries on.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re

from .identifiers import fullwidth_to_ascii, is_region_code
from .nodes import Mapping, Node, Scalar, Sequence
from .problems import Problems

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_AMOUNT = re.compile(r"(0|[1-9]\d*)(\.\d{1,2})?\Z")
_INTEGER = re.compile(r"-?(0|[1-9]\d*)\Z")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*\Z", re.IGNORECASE)
TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")


def describe(node: Node) -> str:
    """How a value looks to an editor, for 'expected X, found Y' messages."""
    if isinstance(node, Scalar):
        return f"「{node.value}」" if node.value else "空值"
    return node.kind_name


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"（是不是「{close[0]}」？）" if close else ""


class FieldReader:
    """Typed access to the fields of one record."""

    def __init__(self, mapping: Mapping, rel: str, problems: Problems, labels: dict[str, str]) -> None:
        self.mapping = mapping
        self.rel = rel
        self.problems = problems
        self.labels = labels
        for key, (key_node, _value) in mapping.items.items():
            if key not in labels:
                problems.at("E202", rel, key_node, field=key, suggestion=suggest(key, labels),
                            allowed="、".join(labels))

    # -- basics --------------------------------------------------------------
    def node(self, field: str) -> Node | None:
        value = self.mapping.get(field)
        if isinstance(value, Scalar) and value.is_null:
            return None
        return value

    def _missing(self, field: str, required: bool) -> None:
        if not required:
            return
        key = self.mapping.key_node(field)
        if key is not None:
            self.problems.at("E215", self.rel, key, field=field)
        else:
            self.problems.at("E201", self.rel, self.mapping, field=field, label=self.labels.get(field, field))

    def _wrong(self, field: str, node: Node, expected: str, hint: str) -> None:
        self.problems.at("E203", self.rel, node, field=field, expected=expected, actual=describe(node),
                         type_hint=hint)

    def scalar(self, field: str, required: bool = False, expected: str = "文字") -> Scalar | None:
        node = self.node(field)
        if node is None:
            self._missing(field, required)
            return None
        if not isinstance(node, Scalar):
            self._wrong(field, node, expected, f"{field} 后面直接写{expected}，不要写成列表或映射。")
            return None
        if node.value.strip() == "":
            self._missing(field, True)
            return None
        return node

    # -- typed values ----------------------------------------------------------
    def text(self, field: str, required: bool = False) -> str | None:
        node = self.scalar(field, required)
        return node.value if node else None

    def integer(self, field: str, required: bool = False, low: int | None = None,
                high: int | None = None) -> int | None:
        node = self.scalar(field, required, "整数")
        if node is None:
            return None
        value = int(node.value) if _INTEGER.match(node.value.strip()) else None
        if value is None or (low is not None and value < low) or (high is not None and value > high):
            bounds = f"（{low} 到 {high}）" if low is not None and high is not None else ""
            self._wrong(field, node, f"整数{bounds}", f"只写阿拉伯数字，例如 {field}: {low or 1}。")
            return None
        return value

    def amount(self, field: str, required: bool = False) -> int | float | None:
        node = self.scalar(field, required, "金额数字")
        if node is None:
            return None
        match = _AMOUNT.match(node.value.strip())
        if not match:
            self.problems.at("E214", self.rel, node, field=field, value=node.value)
            return None
        return float(node.value) if match.group(2) else int(node.value)

    def date(self, field: str, required: bool = False) -> dt.date | None:
        node = self.scalar(field, required, "日期")
        if node is None:
            return None
        text = node.value.strip()
        match = _DATE.match(text)
        why = "（格式应为 年-月-日）"
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                value = dt.date(year, month, day)
            except ValueError:
                why = f"：没有 {month} 月" if not 1 <= month <= 12 else f"：{year} 年 {month} 月没有 {day} 日"
            else:
                if _ISO_DATE.match(text):
                    return value
                why = f"（月和日要写两位数：{value.isoformat()}）"
        self.problems.at("E204", self.rel, node, field=field, value=node.value, why=why)
        return None

    def flag(self, field: str) -> bool | None:
        node = self.scalar(field, False, "true 或 false")
        if node is None:
            return None
        if node.value in TRUE_WORDS:
            return True
        if node.value in FALSE_WORDS:
            return False
        self._wrong(field, node, "true 或 false", f"写 {field}: true 或 {field}: false。")
        return None

    def url(self, field: str, required: bool = False) -> str | None:
        node = self.scalar(field, required, "网址")
        if node is None:
            return None
        if not _URL.match(node.value.strip()):
            self.problems.at("E213", self.rel, node, field=field, value=node.value)
            return None
        return node.value.strip()

    def choice(self, field: str, choices: dict[str, str], vocabulary: str, required: bool = False,
               node: Scalar | None = None) -> str | None:
        """A value from a closed list; choices maps every accepted spelling to its canonical value."""
        node = node or self.scalar(field, required)
        if node is None:
            return None
        if not choices:  # the vocabulary itself is missing: that is reported once, elsewhere
            return node.value.strip()
        value = choices.get(node.value.strip())
        if value is None:
            canonical = list(dict.fromkeys(choices.values()))
            self.problems.at("E205", self.rel, node, field=field, value=node.value, vocabulary=vocabulary,
                             suggestion=suggest(node.value, choices), choices="、".join(canonical))
        return value

    def items(self, field: str, required: bool = False) -> list[Scalar]:
        """A list of scalars (a single value counts as a list of one), duplicates reported."""
        node = self.node(field)
        if node is None:
            self._missing(field, required)
            return []
        if isinstance(node, Scalar):
            return [node] if node.value.strip() else (self._missing(field, required) or [])
        if isinstance(node, Mapping):
            self._wrong(field, node, "列表", f"写成 {field}: [第一项, 第二项]。")
            return []
        out, seen = [], set()
        for item in node.items:
            if not isinstance(item, Scalar) or item.is_null:
                self._wrong(field, item, "一项文字", f"{field} 的每一项只写一个值。")
                continue
            if item.value in seen:
                self.problems.at("E219", self.rel, item, field=field, value=item.value)
                continue
            seen.add(item.value)
            out.append(item)
        if not out and not node.items:
            self._missing(field, required)
        return out

    def choices(self, field: str, choices: dict[str, str], vocabulary: str, required: bool = False) -> list[str]:
        values = (self.choice(field, choices, vocabulary, node=item) for item in self.items(field, required))
        return [value for value in values if value is not None]

    def sub_records(self, field: str, what: str, example: str, labels: dict[str, str]) -> list["FieldReader"]:
        """Readers for a list of small mappings, e.g. honors or attachments."""
        node = self.node(field)
        if node is None:
            return []
        hint = f"每项写成 - {example}。"
        if not isinstance(node, Sequence):
            self._wrong(field, node, "列表", hint)
            return []
        readers = []
        for item in node.items:
            if isinstance(item, Mapping):
                readers.append(FieldReader(item, self.rel, self.problems, labels))
            else:
                self._wrong(field, item, f"一项{what} {example}", hint)
        return readers

    def region_code(self, field: str, node: Scalar) -> str | None:
        """A six-ASCII-digit region code, or a problem that says what is wrong with it."""
        code = node.value.strip()
        if is_region_code(code):
            return code
        ascii_code = fullwidth_to_ascii(code)
        extra = f"：用了全角数字，应写成半角的 \"{ascii_code}\"" if ascii_code else ""
        self.problems.at("E209", self.rel, node, value=node.value, extra=extra)
        return None


def mapping_items(node: Node | None, rel: str, problems: Problems, what: str) -> list[Mapping]:
    """The records of a list file: every item must be a mapping."""
    if node is None:
        return []
    if not isinstance(node, Sequence):
        problems.at("E114", rel, node, expected="记录的列表（每条以“- ”开头）", actual=node.kind_name,
                    shape_hint=f"每条{what}以“- ”开头，字段缩进两个空格，参见示例站点的同名文件。")
        return []
    records = []
    for item in node.items:
        if isinstance(item, Mapping):
            records.append(item)
        else:
            problems.at("E114", rel, item, expected=f"一条{what}（字段: 值）", actual=describe(item),
                        shape_hint=f"每条{what}由若干“字段: 值”组成，参见示例站点的同名文件。")
    return records
