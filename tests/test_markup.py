"""The Markdown renderer: hostile content never yields active HTML, ordinary content survives.

The rendered HTML is parsed (html.parser) and every element and every attribute is inspected;
substring checks are only an extra layer.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.markup import plain_text, render_markdown

PAYLOADS_FILE = Path(__file__).resolve().parent / "xss" / "payloads.yaml"
PAYLOADS = yaml.safe_load(PAYLOADS_FILE.read_text(encoding="utf-8"))
HOSTILE = [p for p in PAYLOADS if not p.get("benign")]
BENIGN = {p["name"]: p["markdown"] for p in PAYLOADS if p.get("benign")}

# What may appear in rendered HTML at all (stated here independently of generator.markup).
ALLOWED = {
    "p": set(), "br": set(), "hr": set(), "h2": set(), "h3": set(), "h4": set(), "h5": set(), "h6": set(),
    "ul": set(), "ol": {"start"}, "li": set(), "blockquote": set(), "pre": set(), "code": set(), "em": set(),
    "strong": set(), "del": set(), "sup": set(), "sub": set(), "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title", "width", "height", "loading"}, "table": set(), "thead": set(),
    "tbody": set(), "tr": set(), "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
    "caption": set(), "abbr": {"title"}, "dl": set(), "dt": set(), "dd": set(),
}
FORBIDDEN_ELEMENTS = {
    "script", "iframe", "object", "embed", "form", "input", "button", "style", "link", "meta", "base", "svg",
    "math", "frame", "frameset", "template", "textarea", "noscript", "details", "video", "audio", "source",
    "body", "html", "head", "title", "plaintext", "marquee", "xmp", "param", "applet", "select", "div", "span",
}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcdoc", "ping", "cite", "longdesc", "dynsrc", "lowsrc"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
VOID = {"br", "hr", "img"}


@dataclass
class Element:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.attr_lists: list[tuple[str, list]] = []  # every start tag with its raw attribute list
        self.tags = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags += 1
        self.attr_lists.append((tag, attrs))
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        self.tags += 1
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags += 1
        self.attr_lists.append(("#comment", []))

    def handle_decl(self, decl):
        self.tags += 1
        self.attr_lists.append(("#decl", []))

    handle_pi = unknown_decl = handle_decl


def parse(html: str) -> _TreeBuilder:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder


def compact_url(value: str) -> str:
    """What a lenient reader might make of a URL: no whitespace or controls, NFKC, lower case."""
    return re.sub(r"[\s\x00-\x20\x7f-\x9f]+", "", unicodedata.normalize("NFKC", value)).lower()


def violations(html: str) -> list[str]:
    """Everything active or off the allowlist in rendered HTML, found by parsing it."""
    found = []
    if re.search(r"<\s*/?\s*script", html, re.IGNORECASE):
        found.append("literal <script")
    tree = parse(html)
    if html.count("<") != tree.tags:  # a stray "<" would be markup some other parser might see
        found.append(f"{html.count('<')} '<' but {tree.tags} tags: unescaped '<' in text or attribute")
    for tag, attrs in tree.attr_lists:
        if tag in FORBIDDEN_ELEMENTS or tag not in ALLOWED:
            found.append(f"element <{tag}>")
            continue
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            found.append(f"<{tag}> repeats an attribute: {names}")
        for name, value in attrs:
            value = value or ""
            if re.fullmatch(r"on[a-z\-_:]*", name) or name.startswith("on"):
                found.append(f"<{tag} {name}=…> event handler")
            if name in ("style", "srcdoc", "align", "formaction", "action", "xmlns", "class", "id", "target"):
                found.append(f"<{tag} {name}=…>")
            if name not in ALLOWED[tag]:
                found.append(f"<{tag} {name}=…> attribute off the allowlist")
            if name in URL_ATTRIBUTES:
                url = compact_url(value)
                if url.startswith(("javascript:", "vbscript:", "data:", "file:")):
                    found.append(f"<{tag} {name}={value!r}> dangerous URL")
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", url)
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    found.append(f"<{tag} {name}={value!r}> scheme {scheme.group(1)}")
        attributes = dict(attrs)
        if tag == "a" and attributes.get("rel") != "noopener noreferrer":
            found.append(f"<a> without rel=noopener noreferrer: {attributes}")
        if tag == "img" and ("alt" not in attributes or attributes.get("loading") != "lazy"):
            found.append(f"<img> without alt or loading=lazy: {attributes}")
    return found


@pytest.mark.parametrize("html", [
    "<script>x</script>", "<SCRIPT >x", '<img src="a.png" alt="" loading="lazy" onerror="x">',
    '<a href="javascript:x" rel="noopener noreferrer">x</a>', '<a href="java\tscript:x" rel="noopener noreferrer">',
    '<a href="ｊavascript:x" rel="noopener noreferrer">', '<img src="data:image/png;base64,AA" alt="" loading="lazy">',
    '<p style="color:red">x</p>', "<svg></svg>", "<math></math>", "<iframe></iframe>", "<div>x</div>",
    '<a href="https://x.example/">no rel</a>', '<img src="a.png" loading="lazy">', '<p title="<x">y</p>',
    '<td align="left">x</td>', "<!-- c -->",
])
def test_the_checker_notices(html):
    assert violations(html), html


# --- the payload file ---------------------------------------------------------------

def test_payload_file_shape():
    assert isinstance(PAYLOADS, list)
    names = [p["name"] for p in PAYLOADS]
    assert len(names) == len(set(names)), "payload names repeat"
    for p in PAYLOADS:
        assert set(p) in ({"name", "markdown"}, {"name", "markdown", "benign"}), p
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", p["name"]), p["name"]
        assert isinstance(p["markdown"], str) and p["markdown"].strip()
        assert p.get("benign", True) is True
    assert len(HOSTILE) >= 40 and len(BENIGN) == 5
    events = list(yaml.parse(PAYLOADS_FILE.read_text(encoding="utf-8")))
    assert not any(isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) for e in events), "no anchors"


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p["name"] for p in PAYLOADS])
def test_payload_renders_inert(payload):
    html = render_markdown(payload["markdown"])
    assert violations(html) == [], html


@pytest.mark.parametrize("name", [p["name"] for p in HOSTILE if p["name"].startswith("script-in-")])
def test_script_in_code_is_shown_escaped(name):
    html = render_markdown(next(p["markdown"] for p in HOSTILE if p["name"] == name))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert any(e.tag == "code" for e in parse(html).root.iter())


def test_protocol_relative_link_is_kept_as_external_link():
    html = render_markdown('<a href="//evil.example/path">external</a>')
    (a,) = [e for e in parse(html).root.iter() if e.tag == "a"]
    assert a.attrs == {"href": "//evil.example/path", "rel": "noopener noreferrer"}


@pytest.mark.parametrize("markdown", [
    "[x](java\tscript:alert(1))", "[x](java\nscript:alert(1))", '<a href="ｊａｖａｓｃｒｉｐｔ:alert(1)">x</a>',
    '<a href="java  script:alert(1)">x</a>', '<img src="JaVaScRiPt:alert(1)">', "[x](file:///etc/passwd)",
])
def test_urls_with_bad_schemes_are_removed(markdown):
    html = render_markdown(markdown)
    assert all("href" not in e.attrs and "src" not in e.attrs for e in parse(html).root.iter()), html


# --- benign content survives -----------------------------------------------------------

def elements(html: str, tag: str) -> list[Element]:
    return [e for e in parse(html).root.iter() if e.tag == tag]


def has_chain(root: Element, chain: list[str]) -> bool:
    """Some element of root has a direct-child chain with these tags."""
    def down(element, rest):
        return not rest or any(c.tag == rest[0] and down(c, rest[1:]) for c in element.children)
    return any(e.tag == chain[0] and down(e, chain[1:]) for e in root.iter())


def test_benign_table_keeps_its_structure_and_heading():
    html = render_markdown(BENIGN["benign-table"])
    tree = parse(html).root
    (h2,) = elements(html, "h2")
    assert not elements(html, "h1") and "项目进度" in html
    assert has_chain(tree, ["table", "thead", "tr", "th"]) and has_chain(tree, ["table", "tbody", "tr", "td"])
    assert [len(elements(html, t)) for t in ("th", "td")] == [3, 6]
    assert all(not e.attrs for e in tree.iter() if e.tag in ("table", "th", "td", "tr"))


def test_benign_nested_lists():
    tree = parse(render_markdown(BENIGN["benign-nested-lists"])).root
    assert has_chain(tree, ["ul", "li", "ul", "li"]) and has_chain(tree, ["ul", "li", "ol", "li"])
    assert sum(e.tag == "li" for e in tree.iter()) == 6


def test_benign_link_with_title():
    links = elements(render_markdown(BENIGN["benign-link-with-title"]), "a")
    assert links[0].attrs == {"href": "https://www.gov.cn/", "title": "中国政府网 首页", "rel": "noopener noreferrer"}
    assert links[1].attrs["href"] == "mailto:office@example.org"


def test_benign_image_with_alt():
    (img,) = elements(render_markdown(BENIGN["benign-image-with-alt"]), "img")
    assert img.attrs == {"alt": "合作社的蔬菜大棚", "src": "images/greenhouse.jpg", "title": "蔬菜大棚",
                         "loading": "lazy"}


def test_benign_blockquote_with_code():
    html = render_markdown(BENIGN["benign-blockquote-with-code"])
    assert has_chain(parse(html).root, ["blockquote", "pre", "code"])
    assert "zhuanlan check --site site" in html


def test_whole_allowlist_survives_and_nh3_defaults_do_not():
    html = render_markdown(
        '<dl><dt><abbr title="乡村振兴">XCZX</abbr></dt><dd>H<sub>2</sub>O, x<sup>2</sup>, <del>old</del></dd></dl>\n\n'
        '<table><caption>表</caption><tr><td colspan="2" rowspan="1">a</td></tr></table>\n\n'
        '<ol start="3"><li>c</li></ol>\n\n<p><b>b</b> <i>i</i> <span>s</span> <u>u</u> <kbd>k</kbd></p>\n\n'
        '<img src="a.png" width="40" height="30">')
    assert violations(html) == []
    for tag in ("dl", "dt", "dd", "abbr", "sub", "sup", "del", "caption", "td"):
        assert elements(html, tag), tag
    assert elements(html, "td")[0].attrs == {"colspan": "2", "rowspan": "1"}
    assert elements(html, "ol")[0].attrs == {"start": "3"}
    assert elements(html, "img")[0].attrs == {"alt": "", "src": "a.png", "width": "40", "height": "30",
                                              "loading": "lazy"}
    for tag in ("b", "i", "span", "u", "kbd", "div"):
        assert not elements(html, tag), tag
    assert "b i s u k" in html


def test_sizes_must_be_numbers():
    html = render_markdown('<img src="a.png" width="100%" height="x"><table><tr><td colspan="a">1</td></tr></table>')
    assert elements(html, "img")[0].attrs == {"alt": "", "src": "a.png", "loading": "lazy"}
    assert elements(html, "td")[0].attrs == {}


def test_numbers_in_any_script_are_written_with_ascii_digits():
    """An editor's full-width "１." makes an ordered list; its start, and sizes in other digits,
    must still be valid HTML (the Nu checker refuses start="１")."""
    html = render_markdown('<img src="a.png" width="１２" height="٣">\n\n１. 第一\n２. 第二\n\n<ol start="-02"><li>x</li></ol>')
    assert elements(html, "img")[0].attrs == {"alt": "", "src": "a.png", "width": "12", "height": "3",
                                              "loading": "lazy"}
    assert [e.attrs for e in elements(html, "ol")] == [{"start": "1"}, {"start": "-2"}]


# --- headings, tables, determinism ---------------------------------------------------------

def test_headings_are_demoted_one_level():
    html = render_markdown("# one\n\n## two\n\n### three\n\n#### four\n\n##### five\n\n###### six\n\nSetext\n======")
    tags = [e.tag for e in parse(html).root.children]
    assert tags == ["h2", "h3", "h4", "h5", "h6", "h6", "h2"]


def test_raw_h1_never_survives():
    assert not elements(render_markdown("<h1>Title</h1>\n\n# md"), "h1")


def test_table_alignment_emits_no_style_or_align():
    html = render_markdown("| l | c | r | n |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |")
    cells = [e for e in parse(html).root.iter() if e.tag in ("th", "td")]
    assert len(cells) == 8 and all(e.attrs == {} for e in cells)
    assert "style" not in html and "align" not in html


def test_output_is_deterministic_and_state_is_reset():
    doc = "# 标题\n\n[链接][r] ![图](a.png) | a |\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[r]: https://www.gov.cn/"
    first = render_markdown(doc)
    assert render_markdown(doc) == first
    # a reference defined by one document must not resolve in the next
    assert not elements(render_markdown("[链接][r]"), "a")
    assert render_markdown(doc) == first


def test_empty_and_control_characters():
    assert render_markdown("") == ""
    assert render_markdown("a\x00b\x07c") == "<p>abc</p>"


def test_absurd_nesting_does_not_crash():
    html = render_markdown("- " * 600 + "<img src=x onerror=alert(1)>")
    assert violations(html) == []
    assert "<img" not in html and "&lt;img" in html  # shown as text
    # and the renderer is not left in a broken state
    assert render_markdown("- a\n- *b*") == "<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>"


# --- plain text ----------------------------------------------------------------------

def test_plain_text_examples():
    assert plain_text("# 标题\n\n正文 *强调* 和 **粗体**。\n\n- 一\n- 二") == "标题 正文 强调 和 粗体。 一 二"
    assert plain_text("a &amp; b < c [链接](https://www.gov.cn/) `x<y`") == "a & b < c 链接 x<y"
    assert plain_text("a<script>alert(1)</script>b <style>p{}</style>") == "ab"
    assert plain_text("| a | b |\n|---|---|\n| 1 | 2 |") == "a b 1 2"
    assert plain_text("  a\n\n\n   b\t c  ") == "a b c"
    assert plain_text("<p>一</p><p>二</p>") == "一 二"
    assert plain_text("") == ""


def test_plain_text_limit():
    text = "乡村振兴社会组织参与"
    assert plain_text(text, 10) == text and plain_text(text, None) == text
    assert plain_text(text, 5) == "乡村振兴…"
    assert plain_text("ab cd ef", 4) == "ab…"  # no space before the ellipsis
    assert plain_text(text, 1) == "…" and plain_text(text, 0) == ""
    assert all(len(plain_text(text * 3, n)) <= n for n in range(1, 40))


# --- random hostile soup ------------------------------------------------------------------

FRAGMENTS = [
    "<", ">", "</", "/>", '"', "'", "=", " ", "\t", "\n", "\n\n", "`", "```", "[", "]", "(", ")", "!", "#", "|",
    "-", "*", ">", ":", "&#", "&#x", "&", ";", "0", "106", "6a", "x", "javascript:", "JaVa", "script",
    "vbscript:", "data:text/html,", "on", "onerror", "onload", "alert(1)", "img", "src", "href", "a", "svg",
    "math", "iframe", "style", "expression(", "url(", "<!--", "-->", "<![CDATA[", "]]>", "\x00", "\\",
    "java\tscript:", "<script>", "<img src=x onerror=alert(1)>", "](", "[x]: ", "<a href=", "title",
    "<noscript>", "<textarea>", "<template>", "srcdoc", "formaction", "//", "ｊ", "\u2028",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_random_markup_soup_is_inert(text):
    html = render_markdown(text)
    assert violations(html) == [], (text, html)
    assert render_markdown(text) == html
