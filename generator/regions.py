"""The region list: the province, its cities and counties, and partner regions.

Loaded from data/regions.yaml (GB/T 2260 codes). Checks that codes are six
ASCII digits, unique, and consistent with their parents.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .fields import FieldReader, describe
from .nodes import Mapping, Node, Sequence
from .problems import Problems

COUNTY_KINDS = {"区": "区", "县": "县", "县级市": "县级市"}
RELATIONS = {"东西部协作": "东西部协作", "对口支援": "对口支援"}
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县区", "partner": "省外协作地区"}


@dataclass
class Region:
    code: str
    name: str
    level: str  # province | city | county | partner
    kind: str = ""
    parent: str | None = None  # the city of a county, the province of a city
    key: bool = False  # a provincial key assistance county (重点帮扶县)
    province_name: str = ""  # for partner regions: the province they lie in
    relation: str = ""
    paired_with: str | None = None
    line: int = 0


@dataclass
class Regions:
    province: Region | None = None
    by_code: dict[str, Region] = field(default_factory=dict)
    note: str = ""

    def get(self, code: str | None) -> Region | None:
        return self.by_code.get(code) if code else None

    def of_level(self, level: str) -> list[Region]:
        return [region for region in self.by_code.values() if region.level == level]


_TOP = {"province": "省", "cities": "市列表", "partners": "省外协作地区", "as_of": "数据日期",
        "sources": "数据来源", "key_counties_note": "重点帮扶县名单说明"}
_CITY = {"code": "代码", "name": "名称", "counties": "县区列表", "kind": "类型"}
_COUNTY = {"code": "代码", "name": "名称", "kind": "类型", "key": "是否重点帮扶县"}
_PARTNER = {"code": "代码", "name": "名称", "province": "所在省", "kind": "类型", "relation": "协作关系",
            "paired_with": "结对的本省地区"}


class _Loader:
    def __init__(self, rel: str, problems: Problems) -> None:
        self.rel, self.problems = rel, problems
        self.regions = Regions()
        self.places: dict[str, str] = {}

    def region(self, item: Node, labels: dict, level: str, parent: Region | None) -> tuple[Region, FieldReader] | None:
        if not isinstance(item, Mapping):
            self.problems.at("E114", self.rel, item, expected=f"一个{LEVEL_NAMES[level]}（code、name 等字段）",
                             actual=describe(item), shape_hint="写成 {code: \"371721\", name: 曹县, kind: 县}。")
            return None
        reader = FieldReader(item, self.rel, self.problems, labels)
        code_node, name = reader.scalar("code", True), reader.text("name", True)
        code = reader.region_code("code", code_node) if code_node else None
        if not code or not name:
            return None
        if code in self.places:
            self.problems.at("E218", self.rel, code_node, value=code, other=self.places[code])
            return None
        self.places[code] = f"{self.rel}:{code_node.line}:{code_node.col}"
        if parent is not None and not self._consistent(code, level, parent, code_node):
            return None
        region = Region(code, name, level, parent=parent.code if parent else None, line=code_node.line)
        self.regions.by_code[code] = region
        return region, reader

    def _consistent(self, code: str, level: str, parent: Region, node: Node) -> bool:
        if level == "city":
            ok, why = code[:2] == parent.code[:2] and code.endswith("00") and code != parent.code, \
                "市的代码前 2 位与省相同，并以 00 结尾"
        else:
            ok, why = code[:4] == parent.code[:4] and not code.endswith("00"), "县区代码的前 4 位应与所属市相同"
        if not ok:
            self.problems.at("E217", self.rel, node, value=code, parent=LEVEL_NAMES[parent.level],
                             parent_code=parent.code, why=why)
        return ok

    def load(self, root: Node | None) -> Regions:
        if not isinstance(root, Mapping):
            if root is not None:
                self.problems.at("E114", self.rel, root, expected="映射（province、cities、partners）",
                                 actual=describe(root), shape_hint="参见示例站点的 data/regions.yaml。")
            return self.regions
        top = FieldReader(root, self.rel, self.problems, _TOP)
        self.regions.note = top.text("key_counties_note") or ""
        province_node = top.node("province")
        if province_node is None:
            top.scalar("province", True)
            return self.regions
        loaded = self.region(province_node, {"code": "代码", "name": "名称"}, "province", None)
        if not loaded:
            return self.regions
        province = self.regions.province = loaded[0]
        for city_node in self._list(top, "cities", True):
            city_loaded = self.region(city_node, _CITY, "city", province)
            if not city_loaded:
                continue
            city, reader = city_loaded
            city.kind = reader.text("kind") or "市"
            for county_node in self._list(reader, "counties", True):
                self._county(county_node, city)
        for partner_node in self._list(top, "partners", False):
            self._partner(partner_node, province)
        return self.regions

    def _list(self, reader: FieldReader, field: str, required: bool) -> list[Node]:
        node = reader.node(field)
        if node is None:
            reader.scalar(field, required)
            return []
        if not isinstance(node, Sequence):
            self.problems.at("E114", self.rel, node, expected="列表", actual=describe(node),
                             shape_hint=f"{field} 下每一项以“- ”开头。")
            return []
        return node.items

    def _county(self, node: Node, city: Region) -> None:
        loaded = self.region(node, _COUNTY, "county", city)
        if loaded:
            county, reader = loaded
            county.kind = reader.choice("kind", COUNTY_KINDS, "县区类型（区 / 县 / 县级市）", True) or ""
            county.key = bool(reader.flag("key"))

    def _partner(self, node: Node, province: Region) -> None:
        loaded = self.region(node, _PARTNER, "partner", None)
        if not loaded:
            return
        partner, reader = loaded
        if partner.code[:2] == province.code[:2]:
            self.problems.at("E216", self.rel, reader.node("code"), field="code", expected="省外地区",
                             value=partner.code, name=partner.name, actual="本省的代码",
                             level_hint="本省的市和县区写在 cities 下；partners 只写省外协作地区。")
        partner.province_name = reader.text("province", True) or ""
        partner.kind = reader.text("kind") or ""
        partner.relation = reader.choice("relation", RELATIONS, "协作关系（东西部协作 / 对口支援）", True) or ""
        paired = reader.scalar("paired_with")
        partner.paired_with = reader.region_code("paired_with", paired) if paired else None


def check_pairings(regions: Regions, rel: str, problems: Problems, root: Node | None) -> None:
    """Every partner's paired_with names a city or county of the province."""
    if not isinstance(root, Mapping):
        return
    partners = root.get("partners")
    for item in partners.items if isinstance(partners, Sequence) else []:
        paired = item.get("paired_with") if isinstance(item, Mapping) else None
        code_node = item.get("code") if isinstance(item, Mapping) else None
        partner = regions.get(getattr(code_node, "value", None))
        if partner and partner.paired_with:
            target = regions.get(partner.paired_with)
            if target is None or target.level not in ("city", "county"):
                problems.at("E208", rel, paired, field="paired_with", what="本省市或县区", value=partner.paired_with,
                            ref_hint="paired_with 写本省一个市或县区的 6 位代码，须在 cities 中列出。")


def load_regions(root: Node | None, rel: str, problems: Problems) -> Regions:
    regions = _Loader(rel, problems).load(root)
    check_pairings(regions, rel, problems, root)
    return regions
