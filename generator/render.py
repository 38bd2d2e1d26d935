"""Rendering page specs with the theme, in worker processes, and the sitemap.

A spec is (site path, template name, context). Specs are computed once in the
parent; forked workers inherit them and each renders every n-th one, writing
straight into the staging folder, so the parent never holds the page texts.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

from . import urls
from .fingerprint import global_digest, page_fingerprint, read_manifest
from .theme import environment
from .writer import TreeWriter

_JOB: tuple | None = None  # (site, specs, staging, previous, manifest), inherited by forked workers


def _render_stride(index: int, count: int) -> tuple[int, int, dict[str, str]]:
    """Render every count-th spec from index; a page whose fingerprint is the one the
    previous build recorded is taken over from it without rendering."""
    site, specs, staging, previous, manifest = _JOB
    env = environment(site)
    writer = TreeWriter(staging, previous)
    base, records, fingerprints = global_digest(site), {}, {}
    templates: dict = {}
    for number in range(index, len(specs), count):
        path, template, context = specs[number]
        name = urls.output_file(path)
        fingerprints[name] = print_ = page_fingerprint(base, template, path, context, records)
        if manifest.get(name) == print_ and writer.take_over(name):
            continue
        if template not in templates:
            templates[template] = env.get_template(template)
        text = templates[template].render(output_file=name, root="../" * name.count("/"), **context)
        writer.write(name, text.encode("utf-8"))
    return writer.written, writer.changed, fingerprints


def render_pages(site, specs: list, staging: Path, workers: int = 2, previous: Path | None = None,
                 meanwhile=None) -> tuple[int, int, dict[str, str], object]:
    """Render and write every spec; returns (pages, pages whose bytes changed, the pages'
    fingerprints, what `meanwhile()` returned — work the parent does while workers render)."""
    global _JOB
    seen = set()
    for path, _template, _context in specs:
        if path in seen:
            raise ValueError(f"two pages at one path: {path}")
        seen.add(path)
    _JOB = (site, specs, staging, previous, read_manifest(previous).get("pages", {}) if previous else {})
    try:
        if workers <= 1 or len(specs) < 400 or "fork" not in multiprocessing.get_all_start_methods():
            written, changed, fingerprints = _render_stride(0, 1)
            return written, changed, fingerprints, meanwhile() if meanwhile else None
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_render_stride, index, workers) for index in range(workers)]
            other = meanwhile() if meanwhile else None
            results = [future.result() for future in futures]
        fingerprints = {name: value for result in results for name, value in result[2].items()}
        return sum(r[0] for r in results), sum(r[1] for r in results), fingerprints, other
    finally:
        _JOB = None


def sitemap(files: list[str], siteurl: str) -> bytes:
    """sitemap.xml of every page (each written as <path>/index.html) among the site's
    files, sorted; URLs absolute when siteurl is set."""
    pages = [name[: -len("index.html")] for name in files if name == "index.html" or name.endswith("/index.html")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(siteurl + '/' + page)}</loc></url>" for page in sorted(pages)]
    return ("\n".join(lines + ["</urlset>"]) + "\n").encode("utf-8")
