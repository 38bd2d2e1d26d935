"""Editing record files as text: whatever an editor types in a cell comes back as
the same value, and the rest of the file keeps its bytes."""
from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings, strategies as st

from generator.nodes import Scalar, Sequence
from generator.problems import Problems
from generator.yamledit import append_record, record_text, update_record
from generator.yamlread import parse

# Text as people type it: Chinese, ASCII punctuation that means something to YAML, line breaks.
CELL = st.text(st.sampled_from(list("村养老电商示例a1 -:#[]{}'\"|>&*!%@`?,\\\n\t")), min_size=1, max_size=30)
CELL = CELL.map(lambda t: t.strip()).filter(bool)


def reread(text: str):
    problems = Problems()
    root = parse(text, "x.yaml", problems)
    assert not problems.errors, [p.message for p in problems]
    return root


def expected(value: str) -> str:
    """A multi-line value is a literal block: its lines come back with one final line break."""
    return value + "\n" if "\n" in value else value


@settings(max_examples=300, deadline=None)
@given(title=CELL, items=st.lists(CELL.filter(lambda t: "\n" not in t), min_size=1, max_size=3), body=CELL)
@example(title="1\n \n1", items=["1:?"], body="养老\n\t\n村")  # found here: a blank-looking line, a colon in a list
def test_any_cell_text_round_trips_through_a_new_record(title, items, body):
    text = append_record("# 注释\n- id: a\n  title: 旧\n", record_text([("id", "b"), ("title", title), ("forms", items),
                                                                       ("description", body), ("published", dt.date(2025, 1, 2))]))
    record = reread(text).items[1]
    assert record.get("title").value == expected(title)
    assert [item.value for item in record.get("forms").items] == items
    assert record.get("description").value == expected(body)
    assert record.get("published").value == "2025-01-02"


@settings(max_examples=200, deadline=None)
@given(title=CELL, body=CELL)
def test_changing_values_keeps_every_other_byte(title, body):
    original = ("# 文件头注释\n- id: a  # 编号\n  title: 旧标题   # 标题注释\n  description: |\n    第一行\n    第二行\n\n"
                "  forms: [志愿服务]\n  # 记录里的注释\n  status: open\n\n- id: b\n  title: 别的\n")
    root = reread(original)
    edited = update_record(original, root.items[0], {"title": title, "description": body, "budget": 5})
    again = reread(edited)
    first, second = again.items
    assert first.get("title").value == expected(title) and first.get("description").value == expected(body)
    assert first.get("budget").value == "5" and isinstance(first.get("forms"), Sequence)
    assert second.get("title").value == "别的"
    for kept in ("# 文件头注释\n", "  # 编号\n", "   # 标题注释\n", "  forms: [志愿服务]\n  # 记录里的注释\n  status: open\n  budget: 5\n",
                 "\n- id: b\n  title: 别的\n"):
        assert kept in edited


def test_a_flow_mapping_or_list_is_replaced_whole():
    original = "- id: a\n  contact: {unit: 旧单位, phone: 0530-1}\n  forms:\n    - 志愿服务\n    - 人才支持\n  status: open\n"
    edited = update_record(original, reread(original).items[0],
                           {"contact": {"unit": "新单位", "phone": "0530-2"}, "forms": ["教育培训"]})
    assert edited == ("- id: a\n  contact: {unit: 新单位, phone: \"0530-2\"}\n  forms:\n    [教育培训]\n  status: open\n")
    record = reread(edited).items[0]
    assert isinstance(record.get("status"), Scalar) and record.get("forms").items[0].value == "教育培训"
