"""Reading one YAML (or Markdown front-matter) file safely into positioned nodes.

Refuses, each with its own problem and position: text that is
not UTF-8, syntax errors, tab indentation, duplicate keys, anchors and aliases
(refused at the first one, so an alias bomb is never expanded), explicit tags
and multiple documents. Scalars are never resolved by YAML 1.1 rules.
"""
from __future__ import annotations

import unicodedata

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent)

from .nodes import Mapping, Node, Scalar, Sequence
from .problems import Problems

MAX_BYTES = 2 * 1024 * 1024
Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SYNTAX_DETAILS = [
    ("mapping values are not allowed", "这里不能出现“冒号加空格”；文字里含有冒号时，给整段文字加上引号"),
    ("could not find expected ':'", "找不到应有的冒号“:”，字段名后面要写冒号和空格"),
    ("did not find expected key", "缩进没有对齐，或者少了字段名"),
    ("did not find expected '-' indicator", "列表项的缩进不一致，或者少了“- ”"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有成对，或者两项之间少了逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有成对，或者两项之间少了逗号"),
    ("did not find expected node content", "这里缺少内容"),
    ("while scanning a quoted scalar", "引号没有成对：开头的引号后面找不到结尾的引号"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("block sequence entries are not allowed", "这里不能开始列表，“- ”的缩进不对"),
    ("found character that cannot start any token", "出现了不能用在开头的字符，需要给这段文字加上引号"),
    ("control characters are not allowed", "文件中有不允许的控制字符"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 后面跟了无效的字符；改用单引号或写成 \\\\"),
    ("while scanning a simple key", "一行文字里缺少冒号，或者多行文字没有缩进"),
    ("expected <block end>", "缩进没有对齐"),
    ("found undefined tag handle", "不支持以 ! 开头的标签"),
    ("while scanning a block scalar", "多行文字（| 或 >）的写法不对"),
]


class Refused(Exception):
    """Internal signal: the file was refused; the problem is already recorded."""


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB"


def decode(data: bytes, rel: str, problems: Problems) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add("E102", rel, 1, 1, guess="，看起来是 UTF-16 编码（Windows “Unicode”）")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        problems.add("E102", rel, line, col, guess=_guess_encoding(data))
        return None


def _guess_encoding(data: bytes) -> str:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "，看起来是 GBK / GB18030 编码（Windows 中文系统的默认编码）"


def parse(text: str, rel: str, problems: Problems) -> Node | None:
    """Parse YAML text into nodes; None (with problems recorded) when refused or empty."""
    loader = None
    try:
        loader = Parser(text)
        return _build(loader.get_event, rel, problems)
    except Refused:
        return None
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(exc, text, rel, problems)
        return None
    except yaml.YAMLError as exc:  # reader errors without a mark (e.g. odd characters)
        mark = getattr(exc, "position", None)
        line, col = _line_col(text, mark) if isinstance(mark, int) else (1, 1)
        problems.add("E103", rel, line, col, detail="文件中有不允许的字符")
        return None
    finally:
        if loader is not None:
            loader.dispose()


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str, problems: Problems) -> None:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    tab = _first_tab_indent(text, line)
    if tab:
        problems.add("E104", rel, tab[0], tab[1])
        return
    quote = _unbalanced_quote(text, line)
    if quote:
        problems.add("E103", rel, quote[0], quote[1], detail="引号没有成对：这个引号后面找不到结尾的引号")
        return
    original = f"{exc.context or ''} {exc.problem or ''}".strip()
    for needle, detail in _SYNTAX_DETAILS:
        if needle in original:
            break
    else:
        detail = f"无法解析（{exc.problem or original}）"
    problems.add("E103", rel, line, col, detail=detail)


def _first_tab_indent(text: str, upto_line: int) -> tuple[int, int] | None:
    """The first line (<= upto_line) whose leading white space contains a tab."""
    for number, row in enumerate(text.split("\n")[:upto_line], start=1):
        stripped = row.lstrip(" \t")
        lead = row[: len(row) - len(stripped)]
        if "\t" in lead:
            return number, lead.index("\t") + 1
    return None


def _unbalanced_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """The opening double quote of a value left open on the error line or the two before it."""
    rows = text.split("\n")
    for number in range(max(error_line - 2, 1), min(error_line, len(rows)) + 1):
        row = rows[number - 1]
        value_at = row.find(': "')
        start = value_at + 2 if value_at >= 0 else (row.index('"') if row.lstrip().startswith('- "') else -1)
        if start >= 0 and row[start + 1:].replace('\\"', "").count('"') == 0:
            return number, start + 1
    return None


def _nfc(value: str) -> str:
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def _build(next_event, rel: str, problems: Problems) -> Node | None:
    """The nodes of the events `next_event()` returns, until it returns None (the parser's
    own get_event: with a generator around it, yaml.parse, and the events' class names
    compared, loading the provincial site took 6 % more CPU)."""
    root: Node | None = None
    stack: list[list] = []  # [container, pending key scalar or None, is a sequence]
    documents = 0
    while (event := next_event()) is not None:
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent or kind is AliasEvent:
            mark = event.start_mark
            if kind is AliasEvent:
                problems.add("E106", rel, mark.line + 1, mark.column + 1, token=f"别名 *{event.anchor}")
                raise Refused
            if event.anchor is not None:
                problems.add("E106", rel, mark.line + 1, mark.column + 1, token=f"锚点 &{event.anchor}")
                raise Refused
            if event.tag is not None and event.tag != "!":
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                problems.add("E107", rel, mark.line + 1, mark.column + 1, tag=tag)
                raise Refused
            if kind is ScalarEvent:
                node: Node = Scalar(_nfc(event.value), mark.line + 1, mark.column + 1,
                                    not event.style, mark.index, event.end_mark.index)
            elif kind is MappingStartEvent:
                node = Mapping(mark.line + 1, mark.column + 1)
            else:
                node = Sequence(mark.line + 1, mark.column + 1)
            if not stack:
                root = node
            else:
                frame = stack[-1]
                if frame[2]:
                    frame[0].items.append(node)
                elif frame[1] is None and kind is ScalarEvent:  # a key
                    frame[1] = node
                else:
                    _attach(frame, node, rel, problems)
            if kind is not ScalarEvent:
                stack.append([node, None, kind is SequenceStartEvent])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                problems.add("E108", rel, mark.line + 1, mark.column + 1)
                raise Refused
    return root


def _attach(frame: list, node: Node, rel: str, problems: Problems) -> None:
    """node into the mapping of frame, as the value of its pending key; with no key
    pending, node is a list or a mapping where a key must be (_build sets a scalar key)."""
    key = frame[1]
    if key is None:
        problems.add("E103", rel, node.line, node.col, detail="字段名只能是文字，不能是列表或映射")
        raise Refused
    frame[1] = None
    container = frame[0]
    first = container.items.get(key.value)
    if first is not None:
        problems.add("E105", rel, key.line, key.col, key=key.value,
                     first_line=first[0].line, first_col=first[0].col)
        return
    container.items[key.value] = (key, node)
