"""Fingerprints of pages: a digest of everything a page is rendered from.

A page whose fingerprint equals the one recorded by the previous build, and whose
old file is still there, is taken over without rendering. The fingerprint covers
the code, the theme, the settings, regions, vocabulary and organization names
that every template may read (the global part), and the page's own template,
path and context, where each record stands for a digest of all its fields.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import marshal
from operator import attrgetter
from pathlib import Path

from .organizations import Organization
from .projects import Project
from .sources import code_digest
from .theme import THEME, portal_fragment
from .trees import MANIFEST



_PLAIN = frozenset({str, int, float, bool, type(None), dt.date})
_RECORDS = frozenset({Project, Organization})


_FIELDS: dict[type, tuple[str, ...]] = {}
DIGEST = "_digest"  # the attribute (not a dataclass field) holding a record's digest


def record_text(record) -> str:
    """Every field of a record (Project, Organization) but its file positions, as text."""
    kind = type(record)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.name != "node")
    return kind.__name__ + repr([getattr(record, name) for name in names]) + repr(names)


def record_digest(record) -> str:
    """The sha256 of record_text, kept on the record: records are set when loaded and
    never changed after, and site.py digests them as it loads them, so the digest is
    cached with each file's parse and an edit build digests only the edited file's records."""
    known = record.__dict__.get(DIGEST)
    if known is None:
        known = record.__dict__[DIGEST] = hashlib.sha256(record_text(record).encode()).hexdigest()
    return known


_KEPT_DIGEST = attrgetter(DIGEST)


def record_digests(records) -> list[str]:
    """record_digest of each record: read where it is kept (site.py digests every record as
    it loads it, and page keys list tens of thousands), made where one is missing."""
    try:
        return list(map(_KEPT_DIGEST, records))
    except AttributeError:
        return [record_digest(record) for record in records]


def _by_key(item: tuple) -> str:
    return str(item[0])


def _part(value, memo: dict) -> str:
    """A text standing for a context value in its page's fingerprint: plain values by
    their repr, mappings and lists spelled out, records by a digest of their fields (their
    file positions left out), other objects by a digest of their repr. Records, lists,
    mappings and other objects are spelled once per build (by identity: every spec is
    alive until the end, so no identity is reused); a long spelling is kept as its digest.
    Quoted reprs, brackets and digests cannot be confused, so the text is unambiguous."""
    kind = type(value)
    if kind in _PLAIN:
        return repr(value)
    key = id(value)
    known = memo.get(key)
    if known is not None:
        return known
    if kind in _RECORDS:
        known = "<" + record_digest(value) + ">"
    elif kind is dict:  # plain values spelled here: most values are, and a call each costs more than the repr
        try:
            items = sorted(value.items())  # keys are unique: only they are compared
        except TypeError:  # keys of several types
            items = sorted(value.items(), key=_by_key)
        known = "{" + ",".join([repr(k) + ":" + (repr(item) if type(item) in _PLAIN else _part(item, memo))
                                for k, item in items]) + "}"
    elif kind is list or kind is tuple:
        known = "[" + ",".join([repr(item) if type(item) in _PLAIN else _part(item, memo) for item in value]) + "]"
    else:
        known = "<" + hashlib.sha256(repr(value).encode()).hexdigest() + ">"
    if len(known) > 80:
        known = "#" + hashlib.sha256(known.encode()).hexdigest()
    memo[key] = known
    return known


def global_digest(site) -> bytes:
    """What every page may read besides its context."""
    digest = hashlib.sha256(code_digest().encode())
    for path in sorted(THEME.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(THEME).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(repr(sorted(site.settings.items())).encode())
    digest.update(repr(sorted(site.regions.by_code.items())).encode())
    digest.update(repr(site.vocabulary).encode())
    digest.update(repr(sorted((org.id, org.name) for org in site.organizations.values())).encode())
    for name in ("portal_header", "portal_footer"):  # the department's fragments, read from files
        digest.update(portal_fragment(site.root, site.settings.get(name, "")).encode() + b"\0")
    return digest.digest()


def page_fingerprint(base: bytes, template: str, path: str, context: dict, memo: dict) -> str:
    parts = ",".join([repr(k) + ":" + _part(context[k], memo) for k in sorted(context)])
    return hashlib.sha256(base + f"{template}\0{path}\0{parts}".encode()).hexdigest()


def key_fingerprint(base: bytes, template: str, path: str, key) -> str:
    """The fingerprint of a page whose context is deferred (deferred.Deferred): `key`, plain
    data standing for everything the context is made from, written by marshal's version 0
    (its later versions mark interned strings and shared objects, which vary from run to run)."""
    return hashlib.sha256(base + f"{template}\0{path}\0".encode() + marshal.dumps(key, 0)).hexdigest()


def content_fingerprint(site, siteurl: str, base: bytes) -> str:
    """Everything Pelican's pages are made from: the content files, the global part
    (`base`, from global_digest), the site's URL and the projects that cases name."""
    digest = hashlib.sha256(base + siteurl.encode() + b"\0")
    content = site.root / "content"
    for path in sorted(content.rglob("*")) if content.is_dir() else []:
        if path.is_file():
            digest.update(path.relative_to(content).as_posix().encode() + b"\0" + path.read_bytes())
    named = sorted({node.value for page in site.pages.get("cases", []) for node in page.meta.get("projects", [])})
    digest.update(repr([(key, site.projects[key].kind, site.projects[key].title) for key in named
                        if key in site.projects]).encode())
    return digest.hexdigest()


def read_manifest(output: Path) -> dict:
    """What the build that wrote output recorded: {"pages": {file: fingerprint},
    "content": fingerprint, "content_files": [files Pelican wrote], "files": {file:
    fingerprint} of the deferred data files (deferred.py)}."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("pages"), dict) else {}


def manifest_bytes(pages: dict[str, str], content: str, content_files: list[str],
                   files: dict[str, str] | None = None) -> bytes:
    record = {"generator": "zhuanlan", "pages": pages, "content": content, "content_files": content_files,
              "files": files or {}}
    return (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
