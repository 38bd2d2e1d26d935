"""Scanning a file's raw text for invisible control characters and private data.

The raw text is scanned (not the parsed values), so every finding has its exact
line and column, in YAML values, comments and Markdown bodies alike. A mobile
number is allowed only as the `phone` of a mapping marked `office_line: true`.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .nodes import Mapping, Node, Scalar, iter_mappings
from .privacy import find_control_chars, find_private_data
from .problems import Problems

_CODES = {"resident_id": "E302", "mobile": "E303", "bank_card": "E304"}
# Markdown images with an empty alt text, and HTML <img> tags without a non-empty alt
_NO_ALT = re.compile(r"!\[\s*\]\(|<img\b(?![^>]*\balt\s*=\s*(?:\"[^\"\s]|'[^'\s]|[^\s\"'>]))[^>]*>", re.IGNORECASE)


def office_line_spans(root: Node | None) -> list[tuple[int, int]]:
    """Character spans of `phone` values whose mapping says `office_line: true`."""
    spans = []
    for mapping in iter_mappings(root):
        flag = mapping.get("office_line")
        phone = mapping.get("phone")
        if isinstance(flag, Scalar) and flag.value == "true" and isinstance(phone, Scalar):
            spans.append((phone.start, phone.end))
    return spans


def mask(text: str) -> str:
    """Show only the first 3 and last 2 characters, so reports do not leak the data."""
    digits = text.strip()
    return digits[:3] + "*" * max(len(digits) - 5, 0) + digits[-2:]


def scan_text(text: str, rel: str, problems: Problems, root: Mapping | Node | None = None,
              start: int = 0) -> None:
    """Report control characters and private data in text[start:]."""
    line_starts = None

    def position(index: int) -> tuple[int, int]:
        nonlocal line_starts
        if line_starts is None:
            line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        line = bisect_right(line_starts, index)
        return line, index - line_starts[line - 1] + 1

    body = text[start:] if start else text
    for index, name in find_control_chars(body):
        problems.add("E301", rel, *position(index + start), name=name)
    for match in _NO_ALT.finditer(body):
        problems.add("E305", rel, *position(match.start() + start))
    findings = find_private_data(body)
    if not findings:
        return
    allowed = office_line_spans(root)
    for finding in findings:
        at = finding.start + start
        if finding.kind == "mobile" and any(lo <= at < hi for lo, hi in allowed):
            continue
        problems.add(_CODES[finding.kind], rel, *position(at), masked=mask(finding.text))
