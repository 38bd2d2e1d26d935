"""Projects: demands (需求, what a village needs) and offers (供给, what an
organization offers), in data/projects.yaml or data/projects/*.yaml."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .fields import FieldReader
from .identifiers import is_safe_id
from .urls import RESERVED_IDS
from .nodes import Mapping, PrunedMapping, Scalar, pruned
from .problems import Problems
from .vocabulary import (DEMAND_STATUSES, KINDS, MATCHED_STATUSES, SUPPLY_STATUSES, Vocabulary,
                         status_choices)

COMMON = {
    "id": "编号", "kind": "类型（demand 需求 / supply 供给）", "title": "标题", "summary": "摘要",
    "description": "详细说明", "forms": "帮扶方式", "published": "发布日期", "deadline": "截止日期",
    "status": "状态", "beneficiaries": "受益对象", "budget": "金额（元）", "period": "实施周期",
}
DEMAND_LABELS = {**COMMON, "county": "需求所在县区代码", "field": "领域", "matched_orgs": "承接组织",
                 "many_to_one": "多对一（已对接后仍欢迎更多组织承接）", "contact": "联系方式"}
SUPPLY_LABELS = {**COMMON, "org": "提供方组织代码", "fields": "领域", "service_regions": "服务地区",
                 "capacity": "服务能力"}
CONTACT_LABELS = {"unit": "单位", "phone": "办公电话", "office_line": "是否公开办公电话"}


@dataclass
class Project:
    id: str
    kind: str  # demand | supply
    path: str
    node: PrunedMapping  # only the fields that references are checked against
    title: str = ""
    summary: str = ""
    description: str = ""
    county: str | None = None  # demand
    org: str | None = None  # supply
    fields: list[str] = field(default_factory=list)  # a demand has exactly one
    forms: list[str] = field(default_factory=list)
    service_regions: list[str] = field(default_factory=list)
    published: dt.date | None = None
    deadline: dt.date | None = None
    status: str | None = None
    matched_orgs: list[str] = field(default_factory=list)
    many_to_one: bool = False  # demand: once matched, still open to more organizations (多对一)
    beneficiaries: str | None = None
    budget: int | float | None = None
    period: str | None = None
    capacity: str | None = None
    contact_unit: str | None = None
    contact_phone: str | None = None


def check_id(node: Scalar, rel: str, problems: Problems) -> bool:
    value = node.value
    if is_safe_id(value) and value not in RESERVED_IDS:
        return True
    if value in RESERVED_IDS:
        why = f"「{value}」是网址中的保留字（列表分页和分类浏览用）"
    elif len(value) > 64:
        why = f"长度 {len(value)} 超过了 64 个字符"
    elif value != value.lower() and is_safe_id(value.lower()):
        why = "不能有大写字母"
    elif value[:1] == "-" or value[-1:] == "-":
        why = "不能以连字符开头或结尾"
    else:
        bad = next((ch for ch in value if not ("a" <= ch <= "z" or "0" <= ch <= "9" or ch == "-")), "")
        why = f"不能有字符「{bad}」" if bad.strip() else "不能有空格或不可见字符"
    problems.at("E206", rel, node, value=value, why=why)
    return False


def load_project(mapping: Mapping, rel: str, problems: Problems, vocabulary: Vocabulary) -> Project | None:
    kind_node = mapping.get("kind")
    kind = KINDS.get(kind_node.value.strip()) if isinstance(kind_node, Scalar) else None
    labels = DEMAND_LABELS if kind == "demand" else SUPPLY_LABELS if kind == "supply" else \
        {**DEMAND_LABELS, **SUPPLY_LABELS}
    reader = FieldReader(mapping, rel, problems, labels)
    if kind is None:
        reader.choice("kind", KINDS, "项目类型（demand 需求 / supply 供给）", True)
    id_node = reader.scalar("id", True)
    project = Project(id=id_node.value if id_node else "", kind=kind or "", path=rel,
                      node=pruned(mapping, ("id", "county", "org", "matched_orgs", "service_regions")))
    project.title = reader.text("title", True) or ""
    project.summary = reader.text("summary", True) or ""
    project.description = reader.text("description", True) or ""
    project.forms = reader.choices("forms", vocabulary.form_choices, "词表的帮扶方式（forms）", True)
    project.published = reader.date("published", True)
    project.deadline = reader.date("deadline")
    project.beneficiaries = reader.text("beneficiaries")
    project.budget = reader.amount("budget")
    project.period = reader.text("period")
    if kind == "demand":
        _demand(project, reader, vocabulary)
    elif kind == "supply":
        _supply(project, reader, vocabulary)
    if project.published and project.deadline and project.deadline < project.published:
        problems.at("E212", rel, reader.node("deadline"), later="deadline", later_value=project.deadline,
                    earlier="published", earlier_value=project.published)
    if id_node is not None:
        check_id(id_node, rel, problems)  # reported, but kept so references to it do not cascade
    return project if id_node is not None and kind is not None else None


def _demand(project: Project, reader: FieldReader, vocabulary: Vocabulary) -> None:
    county = reader.scalar("county", True)
    project.county = reader.region_code("county", county) if county else None
    one = reader.choice("field", vocabulary.field_choices, "词表的领域（fields）", True)
    project.fields = [one] if one else []
    project.status = reader.choice("status", status_choices(DEMAND_STATUSES), "需求状态", True)
    project.matched_orgs = [item.value for item in reader.items("matched_orgs")]
    project.many_to_one = bool(reader.flag("many_to_one"))
    if project.status in MATCHED_STATUSES and not project.matched_orgs:
        reader.problems.at("E211", reader.rel, reader.node("status"), status=DEMAND_STATUSES[project.status])
    elif project.status == "open" and project.matched_orgs:
        reader.problems.at("W222", reader.rel, reader.node("matched_orgs"), status=DEMAND_STATUSES["open"])
    contact = reader.node("contact")
    if contact is not None:
        if not isinstance(contact, Mapping):
            reader.problems.at("E203", reader.rel, contact, field="contact", expected="单位和电话",
                               actual="一段文字" if isinstance(contact, Scalar) else "列表",
                               type_hint="写成 contact: {unit: 某某县乡村振兴局, phone: 0530-0000000}。")
        else:
            sub = FieldReader(contact, reader.rel, reader.problems, CONTACT_LABELS)
            project.contact_unit = sub.text("unit", True)
            project.contact_phone = sub.text("phone")
            sub.flag("office_line")


def _supply(project: Project, reader: FieldReader, vocabulary: Vocabulary) -> None:
    org = reader.scalar("org", True)
    project.org = org.value if org else None
    project.fields = reader.choices("fields", vocabulary.field_choices, "词表的领域（fields）", True)
    regions = (reader.region_code("service_regions", item) for item in reader.items("service_regions", True))
    project.service_regions = [code for code in regions if code]
    project.status = reader.choice("status", status_choices(SUPPLY_STATUSES), "供给状态", True)
    project.capacity = reader.text("capacity")


def takes_candidates(demand: Project) -> bool:
    """A demand recommendations are for, its deadline aside: open, or matched already but
    open to more organizations (多对一)."""
    return demand.status == "open" or (demand.status == "matched" and demand.many_to_one)
