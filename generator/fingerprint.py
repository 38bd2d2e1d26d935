"""Fingerprints of pages: a digest of everything a page is rendered from.

A page whose fingerprint equals the one recorded by the previous build, and whose
old file is still there, is taken over without rendering. The fingerprint covers
the code, the theme, the settings, regions, vocabulary and organization names
that every template may read (the global part), and the page's own template,
path and context, where each record stands for a digest of all its fields.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from .organizations import Organization
from .projects import Project
from .sources import code_digest
from .theme import THEME, portal_fragment

MANIFEST = ".zhuanlan-output"


def _feed(digest, value, records: dict) -> None:
    """Feed a context value into a running digest; records by their (cached) digest."""
    if isinstance(value, (Project, Organization)):
        key = id(value)
        if key not in records:
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.name != "node"}
            records[key] = hashlib.sha256(repr(fields).encode()).digest()
        digest.update(records[key])
    elif isinstance(value, dict):
        digest.update(b"{")
        for key in sorted(value, key=str):
            digest.update(repr(key).encode())
            _feed(digest, value[key], records)
        digest.update(b"}")
    elif isinstance(value, (list, tuple)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item, records)
        digest.update(b"]")
    else:
        digest.update(repr(value).encode() + b"\0")


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


def page_fingerprint(base: bytes, template: str, path: str, context: dict, records: dict) -> str:
    digest = hashlib.sha256(base + template.encode() + b"\0" + path.encode() + b"\0")
    _feed(digest, context, records)
    return digest.hexdigest()


def content_fingerprint(site, siteurl: str) -> str:
    """Everything Pelican's pages are made from: the content files, the global part,
    the site's URL and the projects that cases name."""
    digest = hashlib.sha256(global_digest(site) + siteurl.encode() + b"\0")
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
    "content": fingerprint, "content_files": [files Pelican wrote]}."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("pages"), dict) else {}


def manifest_bytes(pages: dict[str, str], content: str, content_files: list[str]) -> bytes:
    record = {"generator": "zhuanlan", "pages": pages, "content": content, "content_files": content_files}
    return (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
