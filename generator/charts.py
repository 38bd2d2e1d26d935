"""Bar charts drawn as inline SVG at build time, for the statistics and region pages.

Readers are often elderly and on phones, so the charts are plain: one dark-blue
horizontal bar per row, the label on the left, the value written out on the
right, large type (18 user units in a 640-unit-wide viewBox). There is no
script and no CSS beyond `class="chart"` on the figure. Every chart is followed
by the same numbers as a table (in a <details>), the text equivalent for screen
readers and for anyone who would rather read than look.

Values are formatted without a trailing ".0". In percent mode a value is a
percentage (37.5, not 0.375) shown with at most one decimal as "37.5%", the unit
is ignored, and the scale runs to 100 unless max_value says otherwise (stats.py
gives rates as fractions: pass rate * 100).
"""
from __future__ import annotations

from html import escape

WIDTH = 640
FONT = 18  # user units; >= 14 keeps labels readable when the chart is scaled down to a phone
ROW = 36  # height of one row
BAR = 22  # height of a bar inside its row
STACKED_ROW = 60  # row height when labels sit above their bars
PAD = 8
MAX_LABEL = 260  # wider labels go on their own line above the bar
BAR_COLOUR = "#1a4f8b"  # 8.3:1 against white
TEXT_COLOUR = "#1a1a1a"
EMPTY = "暂无数据"


def format_value(value: float, unit: str = "", percent: bool = False) -> str:
    """12 -> "12个", 2.50 -> "2.5个", 37.5 (percent) -> "37.5%"."""
    if percent:
        return _number(round(value, 1)) + "%"
    return _number(value) + unit


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of the drawn width: CJK and full-width characters are one em, others about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def _names(labels: list[str]) -> str:
    shown = "、".join(labels[:3])
    return shown + ("等" if len(labels) > 3 else "")


def describe(title: str, rows: list[tuple[str, float]], unit: str = "个", percent: bool = False) -> str:
    """One sentence in Chinese naming the largest and the smallest rows."""
    values = [value for _label, value in rows]
    top, bottom = max(values), min(values)
    most, least = ("最高", "最低") if percent else ("最多", "最少")
    if top == bottom:
        one = format_value(top, unit, percent)
        if len(rows) == 1:
            return f"{title}：只有一项，{rows[0][0]}为{one}。"
        return f"{title}：{len(rows)} 项都是{one}。"
    highest = _names([label for label, value in rows if value == top])
    lowest = _names([label for label, value in rows if value == bottom])
    return (f"{title}：{most}的是{highest}（{format_value(top, unit, percent)}），"
            f"{least}的是{lowest}（{format_value(bottom, unit, percent)}）。")


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, float]], unit: str = "个",
              max_value: float | None = None, percent: bool = False, label_header: str = "项目",
              value_header: str | None = None) -> str:
    """A <figure class="chart"> holding the SVG chart and, after it, the data table."""
    cid, caption = escape(chart_id), escape(title)
    head = f'<figure class="chart">\n<figcaption id="{cid}-title">{caption}</figcaption>\n'
    if not rows:
        return head + f"<p>{EMPTY}</p>\n</figure>\n"
    rows = [(str(label), max(float(value), 0.0)) for label, value in rows]
    texts = [format_value(value, unit, percent) for _label, value in rows]
    svg = _svg(cid, title, rows, texts, unit, max_value, percent)
    table = _table(caption, rows, texts, label_header, value_header or ("比例" if percent else "数量"))
    return head + svg + table + "</figure>\n"


def _svg(cid: str, title: str, rows: list[tuple[str, float]], texts: list[str], unit: str,
         max_value: float | None, percent: bool) -> str:
    scale = max_value if max_value is not None else (100.0 if percent else 0.0)
    scale = max([scale] + [value for _label, value in rows]) or 1.0
    label_w = max(text_width(label) for label, _value in rows)
    stacked = label_w > MAX_LABEL
    value_w = max(text_width(text) for text in texts) + PAD + FONT  # room for wider fonts than estimated
    bar_x = PAD if stacked else label_w + 2 * PAD
    bar_room = max(WIDTH - bar_x - value_w - 2 * PAD, 40)
    row_h = STACKED_ROW if stacked else ROW
    height = len(rows) * row_h + 2 * PAD
    desc = escape(describe(title, rows, unit, percent))
    out = [f'<svg role="img" aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {WIDTH} {height}" '
           f'width="100%" font-size="{FONT}" font-family="sans-serif">\n',
           f"<title>{escape(title)}</title>\n<desc id=\"{cid}-desc\">{desc}</desc>\n"]
    for index, ((label, value), text) in enumerate(zip(rows, texts)):
        top = PAD + index * row_h
        bar_top = top + (row_h - BAR) if stacked else top + (ROW - BAR) / 2
        baseline = bar_top + BAR / 2 + FONT * 0.35
        width = bar_room * value / scale
        width = max(width, 2.0) if value > 0 else 0.0
        if stacked:
            out.append(f'<text x="{PAD}" y="{_n(top + FONT)}" fill="{TEXT_COLOUR}">{escape(label)}</text>\n')
        else:
            out.append(f'<text x="{_n(label_w + PAD)}" y="{_n(baseline)}" text-anchor="end" '
                       f'fill="{TEXT_COLOUR}">{escape(label)}</text>\n')
        if width:
            out.append(f'<rect x="{_n(bar_x)}" y="{_n(bar_top)}" width="{_n(width)}" height="{BAR}" '
                       f'fill="{BAR_COLOUR}"/>\n')
        out.append(f'<text x="{_n(bar_x + width + PAD)}" y="{_n(baseline)}" fill="{TEXT_COLOUR}">'
                   f"{escape(text)}</text>\n")
    out.append("</svg>\n")
    return "".join(out)


def _table(caption: str, rows: list[tuple[str, float]], texts: list[str], label_header: str,
           value_header: str) -> str:
    body = "".join(f'<tr><th scope="row">{escape(label)}</th><td>{escape(text)}</td></tr>\n'
                   for (label, _value), text in zip(rows, texts))
    return ("<details>\n<summary>查看数据表</summary>\n<table>\n"
            f"<caption>{caption}</caption>\n"
            f'<thead><tr><th scope="col">{escape(label_header)}</th><th scope="col">{escape(value_header)}</th>'
            "</tr></thead>\n"
            f"<tbody>\n{body}</tbody>\n</table>\n</details>\n")


def _n(value: float) -> str:
    """A coordinate with at most one decimal and no trailing ".0"."""
    return _number(round(value, 1))
