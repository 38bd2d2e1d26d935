"""Editing YAML record files as text, so that everything an editor wrote around a
change (comments, blank lines, key order, quoting) stays byte for byte.

A new record is appended; a changed record has only the values of its changed
fields replaced, in place, at the spans the positioned reader recorded, and a
field it did not have is added after its last field. Values are emitted in a
form no cell text can break out of: Chinese text plain when safe, anything else
double-quoted, several lines as a literal block, lists and mappings in flow style.
"""
from __future__ import annotations

import datetime as dt
import re

from .nodes import Mapping, Node, Scalar, Sequence

_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")
_NUMBER_LIKE = re.compile(r"[0-9+\-.eE_:]+")
_RISKY = (": ", " #", "\t")
_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def scalar(value, flow: bool = False) -> str:
    """One value on one line; `flow` for an item of a [list] or {mapping}, where , [ ] { } end a plain value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else repr(value)
    text = str(value)
    plain = (_PLAIN.fullmatch(text) and text == text.strip() and not any(r in text for r in _RISKY)
             and not text.endswith(":") and not _NUMBER_LIKE.fullmatch(text) and text.lower() not in _WORDS
             and not (flow and any(ch in text for ch in ",[]{}:")))  # a colon may end a flow key
    return text if plain else quote(text)


def value_text(value, indent: int) -> str:
    """The text after `key: ` for a value; `indent` is the key's indentation."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(item, flow=True) for item in value) + "]"
    if isinstance(value, str) and "\n" in value.strip("\n"):
        lines = value.strip("\n").split("\n")
        pad = " " * (indent + 2)
        head = f"|{2}" if lines[0][:1] == " " else "|"
        return head + "".join("\n" + (pad + line if line else "") for line in lines)  # "  " stays content
    return scalar(value)


def record_text(values: list[tuple[str, object]], indent: int = 2) -> str:
    """A new record as a list item: '- key: value' then '  key: value' lines."""
    lines = []
    for number, (key, value) in enumerate(values):
        lead = "- " if number == 0 else " " * indent
        lines.append(f"{lead}{key}: {value_text(value, indent)}")
    return "\n".join(lines) + "\n"


def append_record(text: str, record: str) -> str:
    if not text:
        return record
    return text + ("" if text.endswith("\n") else "\n") + ("" if text.endswith("\n\n") else "\n") + record


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [match.end() for match in re.finditer("\n", text)]
    return starts


def _offset(starts: list[int], node: Node) -> int:
    return starts[node.line - 1] + node.col - 1


def span(text: str, starts: list[int], node: Node) -> tuple[int, int]:
    """Where a value is written: [start, end) offsets, trailing line breaks left out."""
    if isinstance(node, Scalar):
        end = node.end
        while end > node.start and text[end - 1] in "\n ":
            end -= 1
        return node.start, end
    start = _offset(starts, node)
    children = node.items if isinstance(node, Sequence) else [value for _key, value in node.items.values()]
    end = span(text, starts, children[-1])[1] if children else start
    if text[start:start + 1] in "[{":  # flow style: up to its closing bracket
        closing = "]" if text[start] == "[" else "}"
        end = text.index(closing, end if children else start) + 1
    return start, end


def update_record(text: str, record: Mapping, changes: dict) -> str:
    """Replace the values of changed fields of one record; add fields it lacks."""
    starts = _line_starts(text)
    edits: list[tuple[int, int, str]] = []
    first_key = next(iter(record.items.values()))[0]
    indent = first_key.col - 1
    last_end = max(span(text, starts, value)[1] for _key, value in record.items.values())
    line_end = text.find("\n", last_end)
    line_end = len(text) if line_end < 0 else line_end
    added = []
    for key, value in changes.items():
        pair = record.items.get(key)
        if pair is None:
            added.append(f"\n{' ' * indent}{key}: {value_text(value, indent)}")
            continue
        start, end = span(text, starts, pair[1])
        new = value_text(value, indent)
        after = text.find("\n", end)
        after = len(text) if after < 0 else after
        if new.startswith("|") and text[end:after].strip():  # a comment after the old value: keep it on the key's line
            head, _, body = new.partition("\n")
            new, end = head + text[end:after] + "\n" + body, after
        edits.append((start, end, new))
    if added:
        edits.append((line_end, line_end, "".join(added)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
