"""The fast path of render_markdown: the few Markdown shapes most record descriptions use.

A description is typically paragraphs of plain text, a **bold** line as a sub-heading, and a
list of "- " items. For such a text, simple_html builds the HTML directly, some fifty times
faster than Markdown, nh3 and the re-parse; for any other text it returns None and
render_markdown takes the full pipeline.

The subset, decided conservatively from how Python-Markdown parses (anything that might mean
something else to it, or to nh3, is outside):

- only word characters of any script (not "_"), space, newline, "*" and the punctuation and
  symbols in _OUTSIDE's allowlist: no "\\", "`", "[", "]", "<", ">", "&", "#", "!", "|", "~",
  tab, carriage return, no-break or ideographic space, zero-width or other format characters;
- blocks are separated by blank lines; a block is either a paragraph (lines of text) or a list
  (every line "- " and text); a list block never follows a list block (Markdown would merge
  the two into one loose list, with <p> in each item);
- a line of text starts with neither space, "-", "+", "=" nor digits (of any script) and "." or ")"
  (list markers, rules, setext underlines, ordered lists), and does not end with a space (two
  make a <br>);
- "*" only in "**text**" pairs within one line, the text without "*" and with no space at
  either end, a pair never directly followed by another "*".

Safe by construction: the output consists only of <p>, <ul>, <li> and <strong> tags around
text that contains no "<", ">" or "&" (nor any character HTML treats specially), so there is
nothing for the sanitiser to remove. It is also byte-for-byte what the full pipeline returns
for the same text, which tests/test_markup_simple.py checks on generated texts.
"""
from __future__ import annotations

import re

# A character outside the subset ("_" aside, tested on its own): anything but word characters
# (letters and digits of every script), space, newline, "*", ASCII punctuation that means
# nothing to Python-Markdown, and blocks of non-ASCII punctuation and symbols.
_OUTSIDE = re.compile(
    "[^\\w \n*\"%'()+,\\-./:;=?@"
    "\u00a1-\u00ac\u00ae-\u00bf\u00d7\u00f7"  # Latin-1 signs (not no-break space, not soft hyphen)
    "\u2010-\u2027\u2030-\u205e"  # dashes, quotes, …, ‰ (not U+2028/9, bidi or zero-width controls)
    "\u2100-\u23ff\u2460-\u27bf"  # ℃ №, Ⅰ, arrows, maths, ①, box drawing, ■●▲, ★, ✓
    "\u3001-\u303f\u3200-\u33ff"  # 、。《》「」【】 (not the ideographic space U+3000), ㈠, ㎡
    "\ufe30-\ufe4f\uff01-\uff65\uffe0-\uffe6]"  # CJK compatibility, full-width and half-width forms
)
# One line of text: a paragraph's line, or what follows an item's "- ". \d is any script's digit,
# as in Markdown's ordered-list pattern. Possessive repeats: a line that fails fails at once.
# A block's lines are one atomic group, the same as a possessive repeat after its first line:
# Python 3.11.2's re (Debian 12's python3) fails such a repeat, unmatched, before "\n\n" and
# took no document of more than one block (3.11.7's matches both).
_TEXT = r"(?![-+= ]|\d+[.)])(?:[^*\n]++|\*\*[^*\s](?:[^*\n]*[^*\s])?\*\*(?!\*))++(?<! )"
_PARAGRAPH = rf"(?>{_TEXT}(?:\n{_TEXT})*)"
_LIST = rf"(?>- {_TEXT}(?:\n- {_TEXT})*)"
# Blocks separated by blank lines, a list never directly after a list.
_UNIT = rf"(?:{_PARAGRAPH}|{_LIST}\n{{2,}}{_PARAGRAPH})"
_DOCUMENT = re.compile(rf"{_UNIT}(?:\n{{2,}}{_UNIT})*+(?:\n{{2,}}{_LIST})?|{_LIST}")
_STRONG = re.compile(r"\*\*([^*]+)\*\*")


def _strong(match: re.Match) -> str:
    return "<strong>" + match[1] + "</strong>"


def simple_html(source: str) -> str | None:
    """The HTML render_markdown gives for `source` (control characters already removed), if
    `source` is in the subset described above; None otherwise."""
    source = source.strip("\n")
    if not source:
        return ""
    if "_" in source or _OUTSIDE.search(source) is not None or _DOCUMENT.fullmatch(source) is None:
        return None
    out = []
    for block in source.split("\n\n"):
        block = block.lstrip("\n")  # more than one blank line leaves "" or "\n…" here
        if block.startswith("- "):
            out.append("<ul>\n<li>" + block[2:].replace("\n- ", "</li>\n<li>") + "</li>\n</ul>")
        elif block:
            out.append(f"<p>{block}</p>")
    return _STRONG.sub(_strong, "\n".join(out))
