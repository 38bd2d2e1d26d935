"""Finding a content repository's files and reading each one, with a cache.

What a file yields (its problems and its records) depends only on its bytes
and on the vocabulary it is read against, so results are cached under the
SHA-256 of both: an edit changes the hash and that file alone is read again;
nothing else can make an entry stale.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import cachefile
from .forking import forked_map
from .nodes import Node
from .pages import SECTIONS, split_front_matter
from .problems import Problem, Problems
from .textscan import scan_text
from .yamlread import MAX_BYTES, decode, human_size, parse

CACHE_DIR = ".zhuanlan-cache"


@functools.cache
def code_digest() -> str:
    """A digest of this package's source: any change to the code starts a fresh cache.
    Made once per process (a build asked for it up to eight times, reading every source
    file each time): the code that runs is the code imported when the process started."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class ParsedFile:
    rel: str
    root: Node | None
    problems: Problems = field(default_factory=Problems)
    body: str | None = None  # Markdown body, for content pages
    body_line: int = 0
    ok: bool = True  # False when the file itself was refused


@dataclass
class FileResult:
    """What one file yields: its problems and a payload (records, settings, ...)."""
    ok: bool
    problems: list[Problem]
    payload: Any = None


def discover(site: Path) -> dict[str, list[str]]:
    """Relative paths of every input file, by role, sorted."""
    def listing(folder: str, suffix: str) -> list[str]:
        base = site / folder
        if not base.is_dir():
            return []
        with os.scandir(base) as entries:  # is_file() from the listing: no stat per file on Linux
            return sorted(f"{folder}/{e.name}" for e in entries if e.name.endswith(suffix) and e.is_file())

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
    """Decode, split front matter, parse YAML and scan the text of one file."""
    parsed = ParsedFile(rel, None)
    problems = parsed.problems
    text = decode(data, rel, problems)
    if text is None:
        parsed.ok = False
        return parsed
    source = text
    if markdown:
        split = split_front_matter(text)
        if split is None or split[2] < 0:
            problems.add("E109" if split is None else "E110", rel, 1, 1)
            parsed.ok = False
            return parsed
        source, parsed.body, parsed.body_line = split
    parsed.root = parse(source, rel, problems)
    scan_text(text, rel, problems, parsed.root)
    parsed.ok = parsed.root is not None or not problems.errors
    return parsed


class FileCache:
    """One pickle per file result in the site's cache folder, named by its key.

    An edit writes one small entry; a run that computed anything removes the
    entries it did not use, so the folder holds one entry per input file.
    """

    def __init__(self, site: Path, enabled: bool = True) -> None:
        self.site = site
        self.folder = site / CACHE_DIR / code_digest()
        self.enabled = enabled
        self.used: set[str] = set()
        self.computed = 0

    def _data(self, rel: str) -> bytes | FileResult:
        """The file's bytes, or a refused result (a link, too large, unreadable)."""
        full = self.site / rel
        refused = Problems()
        try:
            status = os.lstat(full)  # one call for both checks: every file is read on every run
            if stat.S_ISLNK(status.st_mode):
                refused.add("E112", rel, 1, 1, reason="它是一个符号链接（出于安全原因不跟随链接）")
            elif status.st_size > MAX_BYTES:
                refused.add("E101", rel, 1, 1, size=human_size(status.st_size))
            else:
                with open(full, "rb") as handle:
                    return handle.read()
        except OSError as exc:
            refused.add("E112", rel, 1, 1, reason=exc.strerror or type(exc).__name__)
        return FileResult(False, list(refused))

    def read_many(self, rels: list[str], context: str, make_compute: Callable[[str], Callable[[bytes], FileResult]],
                  problems: Problems, workers: int = 1) -> list[FileResult]:
        """Each file's result, computed from its bytes unless cached for these bytes and context.
        Files to compute are shared among forked workers when there are many."""
        results: list[FileResult | None] = []
        misses: list[tuple[int, str, str, bytes]] = []
        for rel in rels:
            data = self._data(rel)
            if isinstance(data, FileResult):
                results.append(data)
                continue
            key = hashlib.sha256(rel.encode() + b"\0" + context.encode() + b"\0" + data).hexdigest()
            cached = self._load(key)
            results.append(cached)
            if cached is None:
                misses.append((len(results) - 1, rel, key, data))
        jobs = [(make_compute(rel), data, key) for _index, rel, key, data in misses]
        handed = workers > 1 and len(jobs) >= 8  # by forked workers, through a pipe

        def compute(number: int):
            """The file's result, pickled at most once: stored by the worker (the parent would
            pickle it again, alone) and handed to the parent as it is (a worker pickled it twice)."""
            make, data, key = jobs[number]
            result = make(data)
            if not (self.enabled or handed):
                return result
            pickled = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            if self.enabled:
                cachefile.dump_pickled(self.folder / key, pickled)
            return pickled if handed else result

        computed = forked_map(compute, len(jobs), workers if handed else 1)
        self.computed += len(jobs)
        for (index, _rel, _key, _data), result in zip(misses, computed):
            results[index] = pickle.loads(result) if handed else result
        for result in results:
            problems.extend(result.problems)
        return results

    def _load(self, key: str) -> FileResult | None:
        if not self.enabled:
            return None
        self.used.add(key)
        result = cachefile.load(self.folder / key)
        return result if isinstance(result, FileResult) else None

    def load_named(self, name: str):
        """An entry kept under a name rather than a file's key (duplicates.py's pairs)."""
        if not self.enabled:
            return None
        self.used.add(name)
        return cachefile.load(self.folder / name)

    def store_named(self, name: str, value) -> None:
        if self.enabled:
            self.used.add(name)
            cachefile.dump(self.folder / name, value)

    def save(self) -> None:
        """Remove entries this run did not use, and caches of other code versions
        (only after a run that computed something)."""
        if not self.enabled or not self.computed or not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            if entry.name not in self.used:
                _remove(entry)
        for other in self.folder.parent.iterdir():  # other stages' folders (match/, terms/) are theirs
            if other != self.folder and _is_code_digest(other.name):
                _remove(other)


def _is_code_digest(name: str) -> bool:
    """A folder named like code_digest(): this cache as another version of the code kept it."""
    return len(name) == 16 and all(ch in "0123456789abcdef" for ch in name)


def _remove(path: Path) -> None:
    try:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    except OSError:  # another run may be using it; it is only a cache
        pass
