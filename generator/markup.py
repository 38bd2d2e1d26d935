"""Untrusted Markdown (page bodies, record descriptions) to safe HTML and to plain text.

Markdown (tables, fenced_code, sane_lists) builds the HTML; a tree pass demotes headings one
level (the page template owns the only <h1>) and drops table alignment styles; nh3 sanitises
against the explicit allowlist below; a last parse gives every <img> an alt and re-checks tags
and attributes against the allowlist. Texts in the small subset most record descriptions use
(paragraphs, **bold**, "- " lists) take a fast path with the same output: markup_simple.
"""
from __future__ import annotations

import html
import re
import threading
import unicodedata
from html.parser import HTMLParser

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .markup_simple import simple_html

ALLOWED_TAGS = frozenset({"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
                          "code", "em", "strong", "del", "sup", "sub", "a", "img", "table", "thead", "tbody",
                          "tr", "th", "td", "caption", "abbr", "dl", "dt", "dd"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
                      "abbr": {"title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
                      "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # relative URLs pass too
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
LINK_REL = "noopener noreferrer"
ADDED_ATTRIBUTES = {"img": {"loading": "lazy"}}  # set by nh3 on every element of the tag

_NUMERIC = {"width": r"\d{1,5}", "height": r"\d{1,5}", "colspan": r"\d{1,4}", "rowspan": r"\d{1,4}",
            "start": r"-?\d{1,9}"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL_NOISE = re.compile(r"[\s\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = ALLOWED_TAGS - {"em", "strong", "del", "sup", "sub", "a", "img", "code", "abbr"}  # text breaks
_KEPT_ATTRIBUTES = {tag: ALLOWED_ATTRIBUTES.get(tag, set()) | set(ADDED_ATTRIBUTES.get(tag, ()))
                    | ({"rel"} if tag == "a" else set()) for tag in ALLOWED_TAGS}


class _Shape(Treeprocessor):
    """Fit headings under the page's own, drop table alignment, give every Markdown image an alt.

    The levels a document uses are renumbered from `top` without gaps (# and ### under
    a page's <h1> become <h2> and <h3>), so no heading level is ever skipped."""

    top = 2

    def run(self, root):
        used = sorted({element.tag for element in root.iter() if element.tag in _HEADINGS})
        levels = {tag: _HEADINGS[min(self.top - 1 + rank, 5)] for rank, tag in enumerate(used)}
        for element in root.iter():
            if element.tag in levels:
                element.tag = levels[element.tag]
            elif element.tag in ("th", "td"):  # tables writes style="text-align: …"
                for name in ("style", "align"):
                    element.attrib.pop(name, None)
            elif element.tag == "img" and element.get("alt") is None:
                element.set("alt", "")


class _ShapeExtension(markdown.Extension):
    def extendMarkdown(self, md):  # priority 5: after the inline processor (20) made the images
        md.treeprocessors.register(_Shape(md), "zhuanlan-shape", 5)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", _ShapeExtension()])


_MD = _markdown()
_LOCK = threading.Lock()


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """nh3 callback: sizes, spans and list starts must be integers, and are written with ASCII
    digits (Markdown reads "１." as an ordered list, start="１", which HTML does not allow).
    nh3 (like browsers) reads "java  script:" (Markdown turns tabs into spaces) or full-width
    letters as a relative path; stricter here: without whitespace/controls and after NFKC, a
    scheme off the allowlist goes."""
    pattern = _NUMERIC.get(name)
    if pattern is not None:
        return str(int(value)) if re.fullmatch(pattern, value.strip()) else None
    if name in ("href", "src"):
        scheme = _SCHEME.match(_URL_NOISE.sub("", unicodedata.normalize("NFKC", value)).lower())
        if scheme and scheme.group(1) not in URL_SCHEMES:
            return None
    return value


class _Reader(HTMLParser):
    """Walks sanitised HTML: re-emits it (with img alt ensured) and collects its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out, self.text = [], []  # HTML pieces; text pieces

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:  # nh3 already removed it; never trust a single layer
            return
        kept = [(name, value or "") for name, value in attrs if name in _KEPT_ATTRIBUTES[tag]]
        if tag == "img" and not any(name == "alt" for name, _ in kept):
            kept.insert(0, ("alt", ""))
        self.out.append(f"<{tag}" + "".join(f' {n}="{html.escape(v)}"' for n, v in kept) + ">")
        self.text.append(" " if tag in _BLOCKS else "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in ALLOWED_TAGS:
            self.out.append(f"</{tag}>")
            self.text.append(" " if tag in _BLOCKS else "")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))
        self.text.append(data)


def _read(html_text: str) -> _Reader:
    reader = _Reader()
    reader.feed(html_text)
    reader.close()  # flushes the last text
    return reader


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter, strip_comments=True, link_rel=LINK_REL,
    generic_attribute_prefixes=set(), url_schemes=set(URL_SCHEMES), allowed_classes={},
    set_tag_attribute_values={tag: dict(values) for tag, values in ADDED_ATTRIBUTES.items()})


def render_markdown(text: str, top: int = 2) -> str:
    """Safe HTML for untrusted Markdown; the same text always gives the same HTML.
    Its headings start at level `top`: 2 under a page's <h1>, 3 inside an <h2> section."""
    source = _CONTROL.sub("", text or "")
    simple = simple_html(source)
    return simple if simple is not None else _render_full(source, top)


def _render_full(source: str, top: int = 2) -> str:
    """render_markdown's full pipeline, for a text without control characters."""
    global _MD
    with _LOCK:
        _MD.treeprocessors["zhuanlan-shape"].top = top
        try:
            raw = _MD.convert(source)
        except RecursionError:  # absurd nesting ("- - - …"): show the text, do not fail the build
            _MD = _markdown()  # the failed run left block-parser state that reset() keeps
            raw = f"<p>{html.escape(source)}</p>"
        finally:
            _MD.reset()
    return "".join(_read(_CLEANER.clean(raw)).out)


def plain_text(markdown_text: str, limit: int | None = None) -> str:
    """The text of untrusted Markdown, markup removed, whitespace collapsed: plain text, not HTML
    (escape it wherever it goes). A text longer than `limit` is cut to `limit` characters
    including the closing "…"."""
    text = " ".join("".join(_read(render_markdown(markdown_text)).text).split())
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…" if limit > 0 else ""
