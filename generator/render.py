"""Rendering page specs with the theme, in worker processes, and the sitemap.

A spec is (site path, template name, context). Specs are computed once in the
parent; forked workers inherit them (forking.forked_map) and each renders every
n-th one, writing straight into the staging folder, so the parent never holds
the page texts.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from . import urls
from .fingerprint import global_digest, page_fingerprint
from .forking import forked_map
from .theme import environment
from .writer import TreeWriter

def _render_stride(index: int, count: int, site, specs: list, staging: Path, previous: Path | None,
                   before: dict[str, str], base: bytes) -> tuple[int, int, dict[str, str]]:
    """Render every count-th spec from index; a page whose fingerprint is the one the
    previous build recorded is taken over from it without rendering."""
    env = environment(site)
    writer = TreeWriter(staging, previous)
    memo, fingerprints = {}, {}
    templates: dict = {}
    for number in range(index, len(specs), count):
        path, template, context = specs[number]
        name = urls.output_file(path)
        fingerprints[name] = print_ = page_fingerprint(base, template, path, context, memo)
        if before.get(name) == print_ and writer.take_over(name):
            continue
        if template not in templates:
            templates[template] = env.get_template(template)
        text = templates[template].render(output_file=name, root="../" * name.count("/"), **context)
        writer.write(name, text.encode("utf-8"))
    return writer.written, writer.changed, fingerprints


def render_pages(site, specs: list, staging: Path, workers: int = 2, previous: Path | None = None,
                 before: dict[str, str] | None = None, base: bytes | None = None,
                 meanwhile=None) -> tuple[int, int, dict[str, str], object]:
    """Render and write every spec; returns (pages, pages whose bytes changed, the pages'
    fingerprints, what `meanwhile()` returned — work the parent does while workers render).
    `before` holds the fingerprints the previous build recorded, `base` the global digest."""
    seen = set()
    for path, _template, _context in specs:
        if path in seen:
            raise ValueError(f"two pages at one path: {path}")
        seen.add(path)
    before, base = before or {}, base if base is not None else global_digest(site)
    strides = workers if len(specs) >= 400 else 1
    results, other = forked_map(
        lambda index: _render_stride(index, strides, site, specs, staging, previous, before, base),
        strides, strides, meanwhile)
    fingerprints = {name: value for result in results for name, value in result[2].items()}
    return sum(r[0] for r in results), sum(r[1] for r in results), fingerprints, other


def sitemap(files: list[str], siteurl: str) -> bytes:
    """sitemap.xml of every page (each written as <path>/index.html) among the site's
    files, sorted; URLs absolute when siteurl is set."""
    pages = [name[: -len("index.html")] for name in files if name == "index.html" or name.endswith("/index.html")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(siteurl + '/' + page)}</loc></url>" for page in sorted(pages)]
    return ("\n".join(lines + ["</urlset>"]) + "\n").encode("utf-8")
