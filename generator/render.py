"""Rendering page specs with the theme, in worker processes, and the sitemap.

A spec is (site path, template name, context). Specs are computed once in the
parent; forked workers inherit them (forking.forked_map) and each renders every
n-th one, writing straight into the staging folder, so the parent never holds
the page texts.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from . import urls
from .fingerprint import global_digest, page_fingerprint
from .forking import forked_map
from .theme import environment
from .writer import TreeWriter

def _render_stride(index: int, count: int, site, specs: list, writer: TreeWriter, kept: dict[str, str],
                   before: dict[str, str], base: bytes) -> tuple:
    """Render every count-th spec from index. A page whose fingerprint is the one recorded
    for the staging tree's file (`kept`) is left as it is; one whose fingerprint is the
    output's (`before`) is taken over from it; only the others are rendered."""
    env = environment(site)
    writer = TreeWriter(writer.staging, writer.previous, writer.previous_seal)
    memo, fingerprints = {}, {}
    templates: dict = {}
    for number in range(index, len(specs), count):
        path, template, context = specs[number]
        name = urls.output_file(path)
        fingerprints[name] = print_ = page_fingerprint(base, template, path, context, memo)
        if kept.get(name) == print_ and writer.keep(name) or before.get(name) == print_ and writer.take_over(name):
            continue
        if template not in templates:
            templates[template] = env.get_template(template)
        text = templates[template].render(output_file=name, root="../" * name.count("/"), **context)
        writer.write(name, text.encode("utf-8"))
    return fingerprints, writer.stamps, writer.touched


def render_pages(site, specs: list, writer: TreeWriter, workers: int = 2, kept: dict[str, str] | None = None,
                 before: dict[str, str] | None = None, base: bytes | None = None) -> dict[str, str]:
    """Render and write every spec into writer's staging tree (what the workers wrote is
    merged into writer); returns the pages' fingerprints. `kept` and `before` hold the
    fingerprints recorded for the staging tree's and the output's files, `base` the global digest."""
    seen = set()
    for path, _template, _context in specs:
        if path in seen:
            raise ValueError(f"two pages at one path: {path}")
        seen.add(path)
    kept, before, base = kept or {}, before or {}, base if base is not None else global_digest(site)
    strides = workers if len(specs) >= 400 else 1
    results, _ = forked_map(
        lambda index: _render_stride(index, strides, site, specs, writer, kept, before, base), strides, strides)
    fingerprints = {name: value for result in results for name, value in result[0].items()}
    for result in results:
        writer.merge(result[1], result[2])
    return fingerprints


def sitemap(files: list[str], siteurl: str) -> bytes:
    """sitemap.xml of every page (each written as <path>/index.html) among the site's
    files, sorted; URLs absolute when siteurl is set."""
    pages = [name[: -len("index.html")] for name in files if name == "index.html" or name.endswith("/index.html")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(siteurl + '/' + page)}</loc></url>" for page in sorted(pages)]
    return ("\n".join(lines + ["</urlset>"]) + "\n").encode("utf-8")
