"""The department's controlled vocabulary: fields of work, forms of help, categories.

Lists that are data (data/vocabulary.yaml) plus the fixed lists of the data
model (organization types, levels, statuses), as {accepted spelling: canonical}.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .fields import FieldReader, describe
from .identifiers import is_safe_id
from .nodes import Mapping, Node, Scalar, Sequence
from .problems import Problems

ORG_TYPES = {"社会团体": "社会团体", "社会服务机构": "社会服务机构", "基金会": "基金会"}
ORG_LEVELS = {"省管": "省管", "市级": "市级", "县级": "县级"}
RATINGS = {f"{n}A": f"{n}A" for n in range(1, 6)}
POLICY_LEVELS = {"国家": "国家", "省": "省", "市": "市", "县": "县"}
POLICY_STATUSES = {"现行有效": "现行有效", "已修订": "已修订", "已废止": "已废止"}
KINDS = {"demand": "demand", "supply": "supply", "需求": "demand", "供给": "supply"}
DEMAND_STATUSES = {"open": "征集中", "matched": "已对接", "in_progress": "实施中",
                   "completed": "已完成", "closed": "已关闭"}
SUPPLY_STATUSES = {"open": "征集中", "full": "已满额", "closed": "已关闭"}
MATCHED_STATUSES = ("matched", "in_progress", "completed")


def status_choices(statuses: dict[str, str]) -> dict[str, str]:
    """Accept a status by its code or its Chinese name; canonical is the code."""
    out = {code: code for code in statuses}
    out.update({name: code for code, name in statuses.items()})
    return out


@dataclass(frozen=True)
class Field:
    slug: str
    name: str


@dataclass
class Vocabulary:
    fields: list[Field] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    related: list[tuple[str, ...]] = field(default_factory=list)  # groups of related words (matching)

    @property
    def field_choices(self) -> dict[str, str]:
        """A field is named by its slug or its Chinese name; canonical is the name."""
        out = {f.slug: f.name for f in self.fields}
        out.update({f.name: f.name for f in self.fields})
        return out

    @property
    def form_choices(self) -> dict[str, str]:
        return {form: form for form in self.forms}

    @property
    def category_choices(self) -> dict[str, str]:
        return {category: category for category in self.categories}


_LABELS = {"fields": "领域", "forms": "帮扶方式", "categories": "社会组织类别", "related": "相关词"}
_RELATED_HINT = "每组写成一行 - [销售渠道, 电商, 直播带货]，至少两个词。"


def load_vocabulary(root: Node | None, rel: str, problems: Problems) -> Vocabulary:
    vocabulary = Vocabulary()
    if not isinstance(root, Mapping):
        if root is not None:
            problems.at("E114", rel, root, expected="映射（fields、forms、categories）", actual=describe(root),
                        shape_hint="参见示例站点的 data/vocabulary.yaml。")
        return vocabulary
    reader = FieldReader(root, rel, problems, _LABELS)
    fields_node = reader.node("fields")
    if not isinstance(fields_node, Sequence):
        if fields_node is None:
            reader.items("fields", required=True)
        else:
            problems.at("E114", rel, fields_node, expected="领域的列表", actual=describe(fields_node),
                        shape_hint="每个领域写成 - {slug: industry, name: 产业发展}。")
    else:
        seen: set[str] = set()
        for item in fields_node.items:
            if not isinstance(item, Mapping):
                problems.at("E114", rel, item, expected="领域 {slug, name}", actual=describe(item),
                            shape_hint="每个领域写成 - {slug: industry, name: 产业发展}。")
                continue
            one = FieldReader(item, rel, problems, {"slug": "英文短名", "name": "中文名称"})
            slug, name = one.scalar("slug", True), one.text("name", True)
            if slug and not is_safe_id(slug.value):
                problems.at("E206", rel, slug, value=slug.value, why="领域短名会用在网址里")
                continue
            if slug and name:
                for key, node in ((slug.value, slug), (name, one.node("name"))):
                    if key in seen:
                        problems.at("E219", rel, node, field="fields", value=key)
                    seen.add(key)
                vocabulary.fields.append(Field(slug.value, name))
    vocabulary.forms = [item.value for item in reader.items("forms", True)]
    vocabulary.categories = [item.value for item in reader.items("categories", True)]
    vocabulary.related = _related(reader, rel, problems)
    return vocabulary


def _related(reader: FieldReader, rel: str, problems: Problems) -> list[tuple[str, ...]]:
    """Optional groups of words the match index treats as related: a demand that says
    one of them shares a keyword with a candidate that says another."""
    node = reader.node("related")
    if node is None:
        return []
    if not isinstance(node, Sequence):
        problems.at("E203", rel, node, field="related", expected="相关词组的列表", actual=describe(node),
                    type_hint=_RELATED_HINT)
        return []
    groups = []
    for group in node.items:
        words = [w for w in (group.items if isinstance(group, Sequence) else [])
                 if isinstance(w, Scalar) and not w.is_null and len(w.value.strip()) >= 2]
        if not isinstance(group, Sequence) or len(words) != len(group.items) or len(words) < 2:
            problems.at("E203", rel, group, field="related", expected="一组至少两个词（每个词两个字以上）",
                        actual=describe(group), type_hint=_RELATED_HINT)
            continue
        groups.append(tuple(dict.fromkeys(w.value.strip() for w in words)))
    return groups

