"""Inline SVG bar charts: readable, accessible, the same numbers in the table as in the bars."""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from generator.charts import BAR_COLOUR, bar_chart, format_value
from generator.site import load_site
from generator.stats import site_stats
from support import REPO

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [("济南市", 3), ("菏泽市", 8), ("青岛市", 0), ("省外协作地区", 1)]


def parse(markup: str) -> ET.Element:
    # the figure is also well-formed XML; give the svg its namespace only for parsing
    return ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def bars(figure: ET.Element) -> list[tuple[str, float, str]]:
    """(label, bar width, value text) per row, read from the drawing."""
    svg = figure.find(f"{SVG}svg")
    out, label, width = [], None, 0.0
    for element in svg:
        if element.tag == f"{SVG}text" and element.get("text-anchor") == "end":
            label, width = element.text, 0.0
        elif element.tag == f"{SVG}rect":
            width = float(element.get("width"))
        elif element.tag == f"{SVG}text":
            out.append((label, width, element.text))
    return out


def table(figure: ET.Element) -> list[tuple[str, str]]:
    return [(row.find("th").text, row.find("td").text) for row in figure.iter("tr") if row.find("td") is not None]


@pytest.fixture(scope="module")
def sample():
    site, _problems = load_site(REPO, use_cache=False)
    return site


def test_table_numbers_equal_the_bars():
    figure = parse(bar_chart("c", "各市需求数", ROWS))
    drawn = bars(figure)
    assert [(label, text) for label, _w, text in drawn] == table(figure)
    assert table(figure) == [("济南市", "3个"), ("菏泽市", "8个"), ("青岛市", "0个"), ("省外协作地区", "1个")]
    widths = {label: width for label, width, _t in drawn}
    assert widths["青岛市"] == 0
    assert widths["菏泽市"] == pytest.approx(widths["济南市"] * 8 / 3, rel=0.01)


def test_structure_and_accessibility():
    markup = bar_chart("by-city", "各市需求数", ROWS)
    figure = parse(markup)
    assert figure.tag == "figure" and figure.get("class") == "chart"
    assert figure[0].tag == "figcaption" and figure[0].get("id") == "by-city-title"
    svg = figure.find(f"{SVG}svg")
    assert svg.get("role") == "img" and svg.get("width") == "100%"
    assert svg.get("aria-labelledby") == "by-city-title by-city-desc"
    assert svg.find(f"{SVG}title").text == "各市需求数"
    assert svg.find(f"{SVG}desc").get("id") == "by-city-desc"
    x, y, width, height = map(float, svg.get("viewBox").split())
    assert (x, y, width) == (0, 0, 640)
    assert float(svg.get("font-size")) >= 14
    tops = [float(rect.get("y")) for rect in svg.iter(f"{SVG}rect")]
    assert all(b - a >= 28 for a, b in zip(tops, tops[1:]))
    assert {rect.get("fill") for rect in svg.iter(f"{SVG}rect")} == {BAR_COLOUR}
    assert all(float(t.get("x")) >= 0 for t in svg.iter(f"{SVG}text"))
    details = figure.find("details")
    assert details.find("summary").text == "查看数据表"
    assert details.find("table/caption").text == "各市需求数"
    assert [th.get("scope") for th in details.iter("th")][:2] == ["col", "col"]
    assert "style=" not in markup and "<script" not in markup and "xmlns" not in markup
    assert re.findall(r'class="([^"]*)"', markup) == ["chart"]


def test_desc_names_largest_and_smallest():
    desc = parse(bar_chart("c", "各市需求数", ROWS)).find(f"{SVG}svg/{SVG}desc").text
    assert desc == "各市需求数：最多的是菏泽市（8个），最少的是青岛市（0个）。"
    same = parse(bar_chart("c", "t", [("甲", 2), ("乙", 2)])).find(f"{SVG}svg/{SVG}desc").text
    assert "都是2个" in same


def test_value_formatting():
    assert format_value(3.0, "个") == "3个"
    assert format_value(2.5, "个") == "2.5个"
    assert format_value(37.5, percent=True) == "37.5%"
    assert format_value(100.0, "个", percent=True) == "100%"
    assert format_value(100 / 3, percent=True) == "33.3%"
    figure = parse(bar_chart("r", "对接率", [("甲", 37.5), ("乙", 50)], percent=True))
    assert table(figure) == [("甲", "37.5%"), ("乙", "50%")]
    # percent bars are drawn against 100%, not against the largest row
    widths = [width for _l, width, _t in bars(figure)]
    assert widths[1] < 640 / 2


def test_labels_are_escaped():
    markup = bar_chart('x"y', "<b>标题</b>", [("<script>alert(1)</script>", 1), ("A&B", 2)])
    assert "<script" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup and "A&amp;B" in markup and 'id="x&quot;y-title"' in markup
    figure = parse(markup)
    assert table(figure)[0][0] == "<script>alert(1)</script>"


def test_empty_rows_say_no_data():
    markup = bar_chart("e", "各领域需求数", [])
    assert "暂无数据" in markup and "<svg" not in markup and "<table" not in markup
    assert parse(markup).find("figcaption").get("id") == "e-title"


def test_long_labels_go_above_their_bars():
    label = "一个非常非常长的地区名称用来测试换行布局的情况"
    figure = parse(bar_chart("l", "t", [(label, 5), ("短", 1)]))
    svg = figure.find(f"{SVG}svg")
    assert all(float(t.get("x")) >= 0 for t in svg.iter(f"{SVG}text"))
    assert label in [t.text for t in svg.iter(f"{SVG}text")]


def test_deterministic():
    assert bar_chart("c", "t", ROWS) == bar_chart("c", "t", list(ROWS))


def test_percent_scale_can_be_given():
    rows = [("甲", 40), ("乙", 60)]
    given = parse(bar_chart("r", "对接率", rows, unit="%", max_value=100, percent=True))
    default = parse(bar_chart("r", "对接率", rows, percent=True))
    assert table(given) == table(default) == [("甲", "40%"), ("乙", "60%")]
    assert bars(given) == bars(default)


def test_sample_site_chart_adds_up(sample):
    stats = site_stats(sample, dt.date(2025, 10, 1))
    rows = [(row["name"], row["count"]) for row in stats["demands_by_city"]]
    figure = parse(bar_chart("cities", "各市需求数", rows))
    assert sum(int(value[:-1]) for _label, value in table(figure)) == len(sample.demands)
    assert len(table(figure)) == 17
