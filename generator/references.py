"""Checks across files: every reference resolves to a record of the right kind.

County, service regions, organization of an offer, matched organizations, and
the organizations and projects a case names.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .nodes import Mapping, Node, PrunedMapping, Scalar, Sequence
from .problems import Problems
from .regions import LEVEL_NAMES

if TYPE_CHECKING:
    from .site import Site

_ORG_HINT = "写已登记在 data/organizations 中的组织的统一社会信用代码；新组织请先添加组织记录。"


def _value_nodes(mapping: Mapping | PrunedMapping, field: str) -> list[Scalar]:
    node = mapping.get(field)
    if isinstance(node, Scalar):
        return [node]
    if isinstance(node, Sequence):
        return [item for item in node.items if isinstance(item, Scalar)]
    return []


def _referenced_nodes(mapping: PrunedMapping, field: str, known) -> list[Scalar]:
    """The field's scalar nodes whose value is not in known, in file order. The values are
    read first, so a record whose references all resolve never has its nodes made."""
    for value in mapping.scalar_values(field):
        if value not in known:
            return [node for node in _value_nodes(mapping, field) if node.value not in known]
    return []


def check_references(site: Site, problems: Problems) -> None:
    """Report E208 and E216 at each reference that does not resolve, in the order of the
    records. Positions are looked up only for a reference that fails."""
    checks = _RegionChecks(site, problems)
    for org in site.organizations.values():
        checks.based_in(org.path, org.node, "county", org.county)
        checks.served(org.path, org.node, org.service_regions)
    for project in site.projects.values():
        if project.kind == "demand":
            checks.demand_county(project.path, project.node, project.county)
            for node in _referenced_nodes(project.node, "matched_orgs", site.organizations):
                _org_exists(site, problems, project.path, node, "matched_orgs")
        else:
            checks.served(project.path, project.node, project.service_regions)
            for node in _referenced_nodes(project.node, "org", site.organizations):
                _org_exists(site, problems, project.path, node, "org")
    for page in site.pages.get("cases", []):
        for node in page.meta.get("orgs", []):
            _org_exists(site, problems, page.path, node, "orgs")
        for node in page.meta.get("projects", []):
            if node.value not in site.projects and "projects" not in site.incomplete:
                problems.at("E208", page.path, node, field="projects", what="项目", value=node.value,
                            ref_hint="写 data/projects 中已有项目的编号（id）。")


def _org_exists(site: Site, problems: Problems, path: str, node: Node, field: str) -> None:
    if "organizations" in site.incomplete:  # the unreadable file is reported; do not cascade
        return
    if isinstance(node, Scalar) and node.value not in site.organizations:
        problems.at("E208", path, node, field=field, what="社会组织", value=node.value, ref_hint=_ORG_HINT)


class _RegionChecks:
    def __init__(self, site: Site, problems: Problems) -> None:
        self.regions = site.regions
        self.problems = problems
        self.usable = bool(site.regions.by_code)  # without a region list every code would be reported

    def _unknown(self, path: str, node: Node, field: str, code: str) -> None:
        self.problems.at("E208", path, node, field=field, what="地区代码", value=code,
                         ref_hint="使用 data/regions.yaml 中列出的代码（省、市、县区或省外协作地区）。")

    def _node_for(self, mapping: Mapping | PrunedMapping, field: str, code: str) -> Node | None:
        for node in _value_nodes(mapping, field):
            if node.value.strip() == code:
                return node
        return mapping.get(field)

    def based_in(self, path: str, mapping: Mapping | PrunedMapping, field: str, code: str | None) -> None:
        if self.usable and code and self.regions.get(code) is None:
            self._unknown(path, self._node_for(mapping, field, code), field, code)

    def demand_county(self, path: str, mapping: Mapping | PrunedMapping, code: str | None) -> None:
        if not self.usable or not code:
            return
        region = self.regions.get(code)
        if region is None:
            self._unknown(path, self._node_for(mapping, "county", code), "county", code)
        elif region.level not in ("county", "partner"):
            node = self._node_for(mapping, "county", code)
            self.problems.at("E216", path, node, field="county", expected="县区", value=code, name=region.name,
                             actual=LEVEL_NAMES[region.level],
                             level_hint="需求要落到具体县区：写县区的 6 位代码，例如曹县 \"371721\"。")

    def served(self, path: str, mapping: Mapping | PrunedMapping, codes: list[str]) -> None:
        if not self.usable:
            return
        known = self.regions.by_code  # Regions.get, without a call per code (75,000 at provincial scale)
        for code in codes:
            if not code or code not in known:
                self._unknown(path, self._node_for(mapping, "service_regions", code), "service_regions", code)
