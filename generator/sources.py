"""Finding a content repository's files and parsing each one, with a cache.

Parsing a file (read, decode, YAML, text scan) depends on its bytes alone, so
results are cached by the SHA-256 of those bytes: an edit changes the hash and
the file is parsed again; nothing else can make an entry stale.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .nodes import Node
from .pages import SECTIONS, split_front_matter
from .problems import Problem, Problems
from .textscan import scan_text
from .yamlread import MAX_BYTES, decode, human_size, parse

CACHE_DIR = ".zhuanlan-cache"
CACHE_VERSION = 1  # bump when parsing or scanning changes what a file yields


@dataclass
class ParsedFile:
    rel: str
    root: Node | None
    problems: list[Problem] = field(default_factory=list)
    body: str | None = None  # Markdown body, for content pages
    body_line: int = 0
    ok: bool = True  # False when the file itself was refused


def discover(site: Path) -> dict[str, list[str]]:
    """Relative paths of every input file, by role, sorted."""
    def listing(folder: str, suffix: str) -> list[str]:
        base = site / folder
        if not base.is_dir():
            return []
        return sorted(f"{folder}/{p.name}" for p in base.iterdir() if p.name.endswith(suffix) and p.is_file())

    def single(name: str) -> list[str]:
        return [name] if (site / name).is_file() else []

    found = {
        "settings": single("site.yaml"),
        "regions": single("data/regions.yaml"),
        "vocabulary": single("data/vocabulary.yaml"),
        "organizations": single("data/organizations.yaml") + listing("data/organizations", ".yaml"),
        "projects": single("data/projects.yaml") + listing("data/projects", ".yaml"),
    }
    for section in SECTIONS:
        found[section] = listing(f"content/{section}", ".md")
    return found


def parse_bytes(data: bytes, rel: str, markdown: bool) -> ParsedFile:
    problems = Problems()
    parsed = ParsedFile(rel, None)
    if len(data) > MAX_BYTES:
        problems.add("E101", rel, 1, 1, size=human_size(len(data)))
        parsed.ok = False
    text = decode(data, rel, problems) if parsed.ok else None
    if text is None:
        parsed.ok = False
    elif markdown:
        split = split_front_matter(text)
        if split is None:
            problems.add("E109", rel, 1, 1)
            parsed.ok = False
        elif split[2] < 0:
            problems.add("E110", rel, 1, 1)
            parsed.ok = False
        else:
            front, parsed.body, parsed.body_line = split
            parsed.root = parse(front, rel, problems)
            scan_text(text, rel, problems, parsed.root)
            parsed.ok = parsed.root is not None or not problems.errors
    else:
        parsed.root = parse(text, rel, problems)
        scan_text(text, rel, problems, parsed.root)
        parsed.ok = parsed.root is not None or not problems.errors
    parsed.problems = problems.sorted()
    return parsed


class ParseCache:
    """A pickle of {relative path: (sha256, ParsedFile)} in the site's cache folder."""

    def __init__(self, site: Path, enabled: bool = True) -> None:
        self.path = site / CACHE_DIR / f"parsed-v{CACHE_VERSION}.pickle"
        self.enabled = enabled
        self.entries: dict[str, tuple[str, ParsedFile]] = {}
        self.used: dict[str, tuple[str, ParsedFile]] = {}
        if enabled and self.path.is_file():
            try:
                with open(self.path, "rb") as handle:
                    self.entries = pickle.load(handle)
            except Exception:  # a damaged cache is only a slower run: start afresh
                self.entries = {}

    def load(self, site: Path, rel: str, markdown: bool, problems: Problems) -> ParsedFile:
        full = site / rel
        try:
            if full.is_symlink():
                problems.add("E112", rel, 1, 1, reason="它是一个符号链接（出于安全原因不跟随链接）")
                return ParsedFile(rel, None, ok=False)
            size = full.stat().st_size
            if size > MAX_BYTES:
                problems.add("E101", rel, 1, 1, size=human_size(size))
                return ParsedFile(rel, None, ok=False)
            data = full.read_bytes()
        except OSError as exc:
            problems.add("E112", rel, 1, 1, reason=exc.strerror or type(exc).__name__)
            return ParsedFile(rel, None, ok=False)
        digest = hashlib.sha256(data).hexdigest()
        entry = self.entries.get(rel)
        parsed = entry[1] if entry and entry[0] == digest else parse_bytes(data, rel, markdown)
        self.used[rel] = (digest, parsed)
        problems.extend(parsed.problems)
        return parsed

    def save(self) -> None:
        """Write the entries used in this run, atomically; a cache that cannot be written is skipped."""
        if not self.enabled or self.used.keys() == self.entries.keys() and all(
                self.entries[k][0] == v[0] for k, v in self.used.items()):
            return
        try:
            self.path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass
