"""Rendering page specs with the theme, in worker processes, and the sitemap.

A spec is (site path, template name, context); the context may be Deferred (deferred.py),
made only when the page is rendered, with a key standing for it in the fingerprint.
Specs are computed once in the parent, which fingerprints them all (a fingerprint is a
digest of everything a page is made from, fingerprint.py): a page whose fingerprint is
the one recorded for the staging tree's file is left as it is, one whose fingerprint is
the output's is taken over from it. Only the others are rendered: by forked workers that
inherit the specs (forking.forked_map) and take them a block at a time (so that they end
together, however the machine shares its cores among them), writing straight into the
staging tree, so the parent never holds the page texts. Fingerprinting in the
parent costs no more than in the workers (each would digest every record again) and
leaves the workers to the rendering, where they pay off.
"""
from __future__ import annotations

import multiprocessing
from xml.sax.saxutils import escape

from . import urls
from .collector import paused
from .deferred import Deferred, made
from .fingerprint import global_digest, key_fingerprint, page_fingerprint
from .forking import forked_map
from .theme import environment
from .writer import TreeWriter


BLOCK = 64  # pages a worker takes at a time


def _render_blocks(taken, templates: dict, specs: list, todo: list[int], writer: TreeWriter) -> tuple:
    """Render and write the specs of todo with `templates` (by name), a block at a time, while
    blocks are left: `taken` (a shared counter) is how many the workers took. (stamps, touched
    folders)."""
    writer = TreeWriter(writer.staging, writer.previous, writer.previous_seal)
    while True:
        with taken.get_lock():
            first = taken.value
            taken.value = first + BLOCK
        if first >= len(todo):
            return writer.stamps, writer.touched
        for number in todo[first:first + BLOCK]:
            path, template, context = specs[number]
            context = made(context)
            name = urls.output_file(path)
            text = templates[template].render(output_file=name, root="../" * name.count("/"), **context)
            writer.write(name, text.encode("utf-8"))


def render_pages(site, specs: list, writer: TreeWriter, workers: int = 2, kept: dict[str, str] | None = None,
                 before: dict[str, str] | None = None, base: bytes | None = None) -> dict[str, str]:
    """Write every spec into writer's staging tree, rendering only the pages whose
    fingerprint is neither `kept` (recorded for the staging tree's files) nor `before`
    (the output's); what the workers wrote is merged into writer. Returns the pages'
    fingerprints; `base` is the global digest."""
    kept, before, base = kept or {}, before or {}, base if base is not None else global_digest(site)
    memo: dict = {}
    fingerprints: dict[str, str] = {}
    todo = []
    with paused(freeze=True):  # fingerprints are kept to the end: the collector would only scan them again and again
        for number, (path, template, context) in enumerate(specs):
            name = urls.output_file(path)
            if name in fingerprints:
                raise ValueError(f"two pages at one path: {path}")
            fingerprints[name] = print_ = (key_fingerprint(base, template, path, context.key) if type(context) is Deferred
                                           else page_fingerprint(base, template, path, context, memo))
            if not writer.reuse(name, print_, kept, before):
                todo.append(number)
    count = workers if len(todo) >= 400 else 1
    env = environment(site)  # compiled here, once, not by each worker
    templates = {name: env.get_template(name) for name in sorted({specs[number][1] for number in todo})}
    taken = multiprocessing.Value("q", 0)  # shared with the workers: each takes the next block when done with one
    results = forked_map(lambda _index: _render_blocks(taken, templates, specs, todo, writer), count, count)
    for stamps, touched in results:
        writer.merge(stamps, touched)
    return fingerprints


def sitemap(files: list[str], siteurl: str) -> bytes:
    """sitemap.xml of every page (each written as <path>/index.html) among the site's
    files, sorted; URLs absolute when siteurl is set."""
    pages = [name[: -len("index.html")] for name in files if name == "index.html" or name.endswith("/index.html")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(siteurl + '/' + page)}</loc></url>" for page in sorted(pages)]
    return ("\n".join(lines + ["</urlset>"]) + "\n").encode("utf-8")
