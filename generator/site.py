"""Loading a content repository into a Site: every file read, every record checked.

load_site() is the first two stages of every command: load and validate each
file (bytes -> positioned nodes -> records, cached per file), then check what
spans files (unique ids, references). It never raises on bad content: problems
are collected and returned with the site.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .collector import paused
from .fields import mapping_items
from .fingerprint import record_digest
from .organizations import Organization, load_organization
from .pages import SECTIONS, Page, load_page
from .problems import Problems
from .projects import Project, load_project
from .duplicates import check_duplicates
from .references import check_references
from .regions import Regions, load_regions
from .settings import check_fragments, fragment_positions, load_settings
from .sources import FileCache, FileResult, discover, parse_bytes
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


def _reader(rel: str, read_root, markdown: bool = False):
    """A compute function for FileCache: parse the bytes, then read the nodes into a payload."""
    def compute(data: bytes) -> FileResult:
        parsed = parse_bytes(data, rel, markdown)
        payload = read_root(parsed) if parsed.ok else None
        return FileResult(parsed.ok, parsed.problems.sorted(), payload)
    return compute


def load_site(root: Path, use_cache: bool = True, workers: int = 2) -> tuple[Site, Problems]:
    """Load and validate a content repository; files not in the cache are read by
    `workers` forked processes when there are many."""
    with paused():  # loading keeps every object it makes
        return _load_site(Path(root), use_cache, workers)


def _load_site(root: Path, use_cache: bool, workers: int) -> tuple[Site, Problems]:
    problems = Problems()
    site = Site(root)
    cache = FileCache(root, use_cache)
    files = discover(root)
    for role, name in REQUIRED.items():
        if not files[role]:
            problems.add("E111", name, 0, 0, name=name)

    def read_roles(roles: dict, context: str = "", workers: int = 1) -> dict[str, list]:
        """The payloads of each role's files ({role: read_root}), read together: shared out to
        the workers at once, so that none waits for the last file of one role. The files of
        a section (SECTIONS) are Markdown with front matter."""
        readers = {rel: read_root for role, read_root in roles.items() for rel in files[role]}
        markdown = {rel for role in roles if role in SECTIONS for rel in files[role]}

        def make_compute(rel: str):
            read_root = readers[rel]
            return _reader(rel, lambda parsed: read_root(parsed, rel, parsed.problems), rel in markdown)

        results = iter(cache.read_many([rel for role in roles for rel in files[role]], context, make_compute,
                                       problems, workers))
        payloads: dict[str, list] = {}
        for role in roles:
            payloads[role] = []
            for _rel, result in zip(files[role], results):  # zip stops at the role's last file
                if not result.ok:
                    site.incomplete.add(role)
                elif result.payload is not None:
                    payloads[role].append(result.payload)
        return payloads

    def read(role: str, read_root) -> list:
        return read_roles({role: read_root})[role]

    settings = next(iter(read("settings", lambda p, rel, pr: (load_settings(p.root, rel, pr),
                                                                fragment_positions(p.root)))), None)
    site.settings = settings[0] if settings else load_settings(None, "site.yaml", problems)
    if settings:
        check_fragments(root, site.settings, settings[1], "site.yaml", problems)
    site.regions = next(iter(read("regions", lambda p, rel, pr: load_regions(p.root, rel, pr))), Regions())
    site.vocabulary = next(iter(read("vocabulary", lambda p, rel, pr: load_vocabulary(p.root, rel, pr))),
                           Vocabulary())
    context = hashlib.sha256(repr(site.vocabulary).encode()).hexdigest()

    def records(kind: str, load_one):
        def read_root(parsed, rel, local):
            loaded = (load_one(m, rel, local, site.vocabulary) for m in mapping_items(parsed.root, rel, local, kind))
            kept = [record for record in loaded if record is not None]
            for record in kept:  # digested once, then cached with the file's parse
                record_digest(record)
            return kept
        return read_root

    def page(section: str):
        def read_root(parsed, rel, local):
            slug = rel.rsplit("/", 1)[-1][:-3]
            return load_page(section, slug, parsed.root, parsed.body or "", parsed.body_line, rel, local,
                             site.vocabulary)
        return read_root

    batches = read_roles({"organizations": records("社会组织", load_organization),
                          "projects": records("项目", load_project),
                          **{section: page(section) for section in SECTIONS}}, context=context, workers=workers)
    for batch in batches["organizations"]:
        for org in batch:
            _add_unique(org, site.organizations, problems)
    for batch in batches["projects"]:
        for project in batch:
            _add_unique(project, site.projects, problems)
    for section in SECTIONS:
        site.pages[section] = batches[section]
    check_references(site, problems)
    known = cache.load_named("duplicates")
    found = check_duplicates(site, problems, known if isinstance(known, dict) else None)
    if found != known:
        cache.store_named("duplicates", found)
    cache.save()
    return site, problems


def _add_unique(record, kept: dict, problems: Problems) -> None:
    """The first record with an id is kept; each later one is reported with the first's
    place (looked up only then: a record's nodes are made only when a problem points at them)."""
    first = kept.setdefault(record.id, record)
    if first is not record:
        node = first.node.get("id")
        problems.at("E207", record.path, record.node.get("id"), value=record.id,
                    other=f"{first.path}:{node.line}:{node.col}")
