"""Loading a content repository into a Site: every file parsed, every record read.

load_site() is the first two stages of every command: load (files -> nodes)
and validate (nodes -> records, then references across files). It never
raises on bad content: problems are collected and returned with the site.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .fields import mapping_items
from .organizations import Organization, load_organization
from .pages import SECTIONS, Page, load_page
from .problems import Problems
from .projects import Project, load_project
from .references import check_references
from .regions import Regions, load_regions
from .settings import load_settings
from .sources import ParseCache, discover
from .vocabulary import Vocabulary, load_vocabulary

REQUIRED = {"settings": "site.yaml", "regions": "data/regions.yaml", "vocabulary": "data/vocabulary.yaml"}


@dataclass
class Site:
    root: Path
    settings: dict = field(default_factory=dict)
    regions: Regions = field(default_factory=Regions)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    organizations: dict[str, Organization] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    pages: dict[str, list[Page]] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)  # roles with a file that could not be read

    @property
    def demands(self) -> list[Project]:
        return [p for p in self.projects.values() if p.kind == "demand"]

    @property
    def offers(self) -> list[Project]:
        return [p for p in self.projects.values() if p.kind == "supply"]


def load_site(root: Path, use_cache: bool = True) -> tuple[Site, Problems]:
    root = Path(root)
    problems = Problems()
    site = Site(root)
    cache = ParseCache(root, use_cache)
    files = discover(root)
    for role, name in REQUIRED.items():
        if not files[role]:
            problems.add("E111", name, 0, 0, name=name)

    def parsed(role: str, markdown: bool = False):
        loaded = [cache.load(root, rel, markdown, problems) for rel in files[role]]
        if not all(one.ok for one in loaded):
            site.incomplete.add(role)
        return loaded

    for one in parsed("settings"):
        site.settings = load_settings(one.root, one.rel, problems)
    if not site.settings:
        site.settings = load_settings(None, "site.yaml", problems)
    for one in parsed("regions"):
        site.regions = load_regions(one.root, one.rel, problems)
    for one in parsed("vocabulary"):
        site.vocabulary = load_vocabulary(one.root, one.rel, problems)

    owners: dict[str, str] = {}
    for one in parsed("organizations"):
        for mapping in mapping_items(one.root, one.rel, problems, "社会组织"):
            org = load_organization(mapping, one.rel, problems, site.vocabulary)
            if org and _unique(org.id, org, owners, problems):
                site.organizations[org.id] = org
    owners = {}
    for one in parsed("projects"):
        for mapping in mapping_items(one.root, one.rel, problems, "项目"):
            project = load_project(mapping, one.rel, problems, site.vocabulary)
            if project and _unique(project.id, project, owners, problems):
                site.projects[project.id] = project
    for section in SECTIONS:
        pages = site.pages[section] = []
        owners = {}
        for one in parsed(section, markdown=True):
            if one.ok:
                slug = one.rel.rsplit("/", 1)[-1][:-3]
                page = load_page(section, slug, one.root, one.body or "", one.body_line, one.rel, problems,
                                 site.vocabulary)
                if page:
                    pages.append(page)
    cache.save()
    check_references(site, problems)
    return site, problems


def _unique(key: str, record, owners: dict[str, str], problems: Problems) -> bool:
    """The first record with an id wins; each later one is reported with the first's place."""
    node = record.node.get("id")
    here = f"{record.path}:{node.line}:{node.col}"
    if key in owners:
        problems.at("E207", record.path, node, value=key, other=owners[key])
        return False
    owners[key] = here
    return True
