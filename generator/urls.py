"""Where every page of the site lives, and links between pages.

Paths are relative to the site root and end with "/" for pages (written as
index.html) or with a file name. Links between pages are relative ("../../x/"),
so the same output works at a domain's root, under a portal's sub-path
(/col/xczx/) and from a local preview, and no link can leave the site.
"""
from __future__ import annotations

import posixpath

RESERVED_IDS = frozenset({"page", "by", "feed", "index"})  # listing paths beside record pages


def record(kind: str, key: str) -> str:
    """kind: demands | offers | orgs | regions | fields | policies | news | cases | pages."""
    return f"{kind}/{key}/"


def listing(kind: str, page: int = 1, facet: str | None = None, value: str | None = None) -> str:
    """A listing page; facet is "city" or "field" for the browse-by views."""
    base = f"{kind}/" if facet is None else f"{kind}/by/{facet}/{value}/"
    return base if page <= 1 else f"{base}page/{page}/"


def feed(scope: str = "demands", key: str | None = None) -> str:
    """feeds/demands.xml, feeds/regions/<code>.xml, feeds/fields/<slug>.xml."""
    return "feeds/demands.xml" if key is None else f"feeds/{scope}/{key}.xml"


def download(kind: str, fmt: str, key: str | None = None) -> str:
    """data/<kind>.<fmt>, or data/regions/<code>.<fmt> for one region's open demands."""
    return f"data/{kind}.{fmt}" if key is None else f"data/{kind}/{key}.{fmt}"


def output_file(path: str) -> str:
    """The file a path is written to: pages become <path>index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def relative(target: str, current: str) -> str:
    """A link from the page at `current` to `target` (both site paths)."""
    here = posixpath.dirname(output_file(current))
    if target.endswith("/") or target == "":
        link = posixpath.relpath(target or ".", here or ".")
        return "./" if link == "." else link + "/"
    fragment = ""
    if "#" in target:
        target, fragment = target.split("#", 1)
        fragment = "#" + fragment
    return posixpath.relpath(target, here or ".") + fragment
