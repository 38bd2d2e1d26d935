"""Social organizations (社会组织): one record per organization, keyed by its
unified social credit code (统一社会信用代码)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .fields import FieldReader
from .identifiers import validate_uscc
from .nodes import Mapping, PrunedMapping, Scalar, pruned
from .problems import Problems
from .vocabulary import ORG_LEVELS, ORG_TYPES, RATINGS, Vocabulary

LABELS = {
    "id": "统一社会信用代码", "name": "名称", "type": "组织类型", "category": "类别", "level": "登记层级",
    "county": "所在地区代码", "fields": "领域", "forms": "帮扶方式", "service_regions": "服务地区",
    "services": "擅长的服务", "rating": "评估等级", "honors": "表彰", "phone": "办公电话",
    "office_line": "是否公开办公电话", "website": "网址",
}
TYPE_DIGITS = {"社会团体": "1", "社会服务机构": "2", "基金会": "3"}
_USCC_WHY = {
    "length": "应为 18 位，这里是 {n} 位",
    "charset": "第 {i} 位「{c}」不是有效字符（只用数字和大写字母，不含 I、O、S、V、Z）",
    "check_digit": "校验位不对：按前 17 位计算，最后一位应为「{e}」",
}


@dataclass(frozen=True)
class Honor:
    year: int
    title: str


@dataclass
class Organization:
    id: str
    name: str
    path: str
    node: PrunedMapping  # only the fields that references are checked against
    type: str | None = None
    category: str | None = None
    level: str | None = None
    county: str | None = None
    fields: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    service_regions: list[str] = field(default_factory=list)
    services: str | None = None
    rating: str | None = None
    honors: list[Honor] = field(default_factory=list)
    phone: str | None = None
    office_line: bool = False
    website: str | None = None


def check_uscc(node: Scalar, rel: str, problems: Problems) -> bool:
    code = node.value
    result = validate_uscc(code)
    if result.ok:
        if not code.startswith("5"):
            problems.at("E210", rel, node, value=code,
                        why="第 1 位应为 5（民政部门登记的社会组织），这里是「%s」" % code[0])
            return False
        return True
    why = _USCC_WHY[result.reason].format(n=len(code), i=(result.bad_index or 0) + 1, c=result.bad_char,
                                          e=result.expected)
    if result.reason == "charset" and result.bad_char and result.bad_char.upper() != result.bad_char:
        why += "；字母要大写"
    problems.at("E210", rel, node, value=code, why=why)
    return False


def load_organization(mapping: Mapping, rel: str, problems: Problems, vocabulary: Vocabulary) -> Organization | None:
    """The organization, or None without an id; an invalid id is reported but kept, so that
    references to it do not cascade into further problems."""
    reader = FieldReader(mapping, rel, problems, LABELS)
    id_node = reader.scalar("id", True)
    name = reader.text("name", True)
    org = Organization(id=id_node.value if id_node else "", name=name or "", path=rel,
                       node=pruned(mapping, ("id", "county", "service_regions")))
    org.type = reader.choice("type", ORG_TYPES, "组织类型", True)
    org.category = reader.choice("category", vocabulary.category_choices, "词表的社会组织类别（categories）", True)
    org.level = reader.choice("level", ORG_LEVELS, "登记层级", True)
    county = reader.scalar("county", True)
    org.county = reader.region_code("county", county) if county else None
    org.fields = reader.choices("fields", vocabulary.field_choices, "词表的领域（fields）", True)
    org.forms = reader.choices("forms", vocabulary.form_choices, "词表的帮扶方式（forms）", True)
    regions = (reader.region_code("service_regions", item) for item in reader.items("service_regions", True))
    org.service_regions = [code for code in regions if code]
    org.services = reader.text("services", True)
    org.rating = reader.choice("rating", RATINGS, "评估等级（1A 到 5A）")
    org.honors = _honors(reader)
    org.phone = reader.text("phone")
    org.office_line = bool(reader.flag("office_line"))
    org.website = reader.url("website")
    if id_node is None:
        return None
    expected = TYPE_DIGITS.get(org.type or "")
    if check_uscc(id_node, rel, problems) and expected and org.id[1] != expected:
        problems.at("W221", rel, id_node, value=org.id, digit=org.id[1], type=org.type, expected=expected)
    return org


def _honors(reader: FieldReader) -> list[Honor]:
    honors = []
    for one in reader.sub_records("honors", "表彰", "{year: 2024, title: 表彰名称}", {"year": "年份", "title": "表彰名称"}):
        year, title = one.integer("year", True, 1949, 2100), one.text("title", True)
        if year and title:
            honors.append(Honor(year, title))
    return honors
