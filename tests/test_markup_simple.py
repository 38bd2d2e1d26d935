"""The Markdown fast path (generator.markup_simple): whatever text it takes, it renders exactly
as the full pipeline (Markdown, nh3, re-parse) does; typical descriptions take it; everything
else still goes through the full pipeline."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from generator import markup
from generator.markup import render_markdown
from generator.markup_simple import simple_html
from generator.site import load_site
from support import REPO

SAMPLE = ("高青县隶属淄博市，地处平原腹地，取得了一定成效，但仍存在经营主体带动能力不强、专业人才缺乏等问题。"
          "目前全县共有12个村提出相关需求。\n\n**需求内容**\n\n- 开展民宿管理、餐饮服务和接待礼仪培训\n"
          "- 利用新媒体平台开展宣传推介，形成图文资料存档\n\n**预期成效**\n\n通过社会组织专业力量的参与，"
          "补齐短板。\n")
SAMPLE_HTML = ("<p>高青县隶属淄博市，地处平原腹地，取得了一定成效，但仍存在经营主体带动能力不强、专业人才缺乏等问题。"
               "目前全县共有12个村提出相关需求。</p>\n<p><strong>需求内容</strong></p>\n<ul>\n"
               "<li>开展民宿管理、餐饮服务和接待礼仪培训</li>\n<li>利用新媒体平台开展宣传推介，形成图文资料存档</li>\n"
               "</ul>\n<p><strong>预期成效</strong></p>\n<p>通过社会组织专业力量的参与，补齐短板。</p>")


def full(text: str) -> str:
    """The full pipeline, bypassing the fast path."""
    return markup._render_full(markup._CONTROL.sub("", text))


def assert_same_when_taken(text: str) -> None:
    simple = simple_html(text)
    if simple is not None:
        assert simple == full(text), text


# --- generated texts: taken only when the output is the same ------------------------------------

# Characters, the tricky ones often: Chinese, ASCII letters and digits, and what means something
# to Markdown at the start of a line, around "*" or anywhere.
CHARACTERS = list("乡村振兴服务，。：、（）「」") * 3 + list("ab1209") * 2 + list("**--  \n\n") * 3 + list(
    ".)+#>_&<\t=|`[]!\\~\u3000\xa0")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(CHARACTERS), max_size=60))
def test_random_characters_are_taken_only_when_the_output_is_the_same(text):
    assert_same_when_taken(text)


# Lines from pieces, mostly harmless ones, so that many texts are inside the subset or near its edge.
PIECES = ["乡村振兴", "服务", "，", "。", "：", "（示例）", "ab", "2025", "12", " ", "**", "**重点**", "- ", "-", ".", ")",
          "+", "=", "·", "3.5", "「」", "①", "１"] * 3 + [
          "  ", "*", "-- ", "+ ", "* ", "1. ", "2) ", "===", "---", "- - -", "***", "#", "> ", "_", "&", "<b>", "\t",
          "|", "`", "[链接](a)", "\u3000", "１. "]


@st.composite
def near_subset(draw) -> str:
    lines = draw(st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), min_size=1, max_size=8))
    separators = draw(st.lists(st.sampled_from(["\n", "\n", "\n\n", "\n\n\n"]), min_size=len(lines),
                               max_size=len(lines)))
    return "".join(line + separator for line, separator in zip(lines, separators))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_subset())
@example("- a\n\n- b")  # a loose list: one <ul>, a <p> in each item
@example("a\n---")  # a setext heading
@example("**a** **b**\n- c")
@example("的**重点**工作\n**粗**：正文")
def test_near_subset_texts_are_taken_only_when_the_output_is_the_same(text):
    assert_same_when_taken(text)


# --- typical descriptions take the fast path ---------------------------------------------------

def test_typical_description_takes_the_fast_path(monkeypatch):
    assert simple_html(SAMPLE) == SAMPLE_HTML == full(SAMPLE)
    assert simple_html("") == simple_html("\n\n") == full("\n\n") == ""

    def refuse(*args):
        raise AssertionError("the full pipeline ran")

    monkeypatch.setattr(markup, "_render_full", refuse)
    assert render_markdown(SAMPLE) == SAMPLE_HTML
    assert render_markdown(SAMPLE, 3) == SAMPLE_HTML  # no headings: the level does not matter
    assert render_markdown("a\x00b\x07c") == "<p>abc</p>"  # control characters go first
    assert render_markdown("") == render_markdown("\n\n") == ""


# What puts a description outside the subset at a glance: tables, ordered lists, links, code, HTML.
OTHER_MARKDOWN = re.compile(r"[|\[\]`<>&#_\\]|^\d", re.MULTILINE)


def test_sample_site_descriptions_without_tables_or_ordered_lists_take_the_fast_path():
    site, _problems = load_site(REPO, use_cache=False, workers=1)
    taken = 0
    for project in site.projects.values():
        text = project.description
        outside = OTHER_MARKDOWN.search(text) is not None
        simple = simple_html(text)
        assert (simple is None) == outside, text
        if simple is not None:
            assert simple == full(text), text
            taken += 1
    assert taken >= 20


def test_generated_provincial_descriptions_all_take_the_fast_path(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    from gen_province import generate
    generate(tmp_path / "site", seed=7, scale=0.02)
    site, problems = load_site(tmp_path / "site", use_cache=False, workers=1)
    texts = [project.description for project in site.projects.values()]
    assert len(texts) >= 300 and not problems.errors
    for text in texts:
        assert simple_html(text) == full(text), text


# --- everything else takes the full pipeline, as before -------------------------------------------

@pytest.mark.parametrize("text, fragment", [
    ("# 标题\n\n正文", "<h2>标题</h2>"),
    ("正文\n\n1. 一\n2. 二", "<ol>\n<li>一</li>"),
    ("见[链接](https://www.gov.cn/)", '<a href="https://www.gov.cn/" rel="noopener noreferrer">链接</a>'),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"),
    ("a<script>alert(1)</script>b", "<p>ab</p>"),
    ("单个*强调*", "<em>强调</em>"),
    ("- 一\n\n- 二", "<li>\n<p>一</p>\n</li>"),  # a loose list
    ("正文\n- 不是列表", "<p>正文\n- 不是列表</p>"),
    ("正文\n---", "<h2>正文</h2>"),
    ("- - -", "<hr>"),
    ("行尾两个空格  \n下一行", "<br>"),
    ("a **b ** c", "<p>a **b ** c</p>"),  # a space inside: no <strong>
    ("１. 全角数字", "<ol"),
])
def test_texts_outside_the_subset_take_the_full_pipeline(text, fragment):
    assert simple_html(text) is None
    html = render_markdown(text)
    assert html == full(text)
    assert fragment in html, html
