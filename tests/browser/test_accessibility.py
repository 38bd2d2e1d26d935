"""Accessibility in Chromium: axe-core (WCAG 2.1 A/AA) on one page of each template, and the
适老化 reflow check: no sideways scrolling at 320 px, nor with text at 200 %."""
from __future__ import annotations

from collections import defaultdict

import pytest

import harness


@pytest.fixture(scope="module")
def template_pages(built_site) -> dict[str, str]:
    """{template name: URL of its first page in sorted path order}."""
    first: dict[str, str] = {}
    for path in built_site.html_files():
        template = harness.scan_file(path).template or "(no data-template)"
        first.setdefault(template, built_site.url_of(path))
    return first


def test_axe_finds_no_violations(server, page, template_pages):
    found = defaultdict(list)
    for template, url in sorted(template_pages.items()):
        violations = harness.axe_violations(page, url)
        if violations:
            found[template] = harness.format_axe(url, violations)
    report = "\n".join(f"[template {t}]\n{text}" for t, text in sorted(found.items()))
    harness.expect_none(found, f"axe-core found WCAG 2.1 A/AA violations on {len(found)} of "
                               f"{len(template_pages)} template(s):\n{report}")


def test_pages_reflow_without_sideways_scrolling(server, page, template_pages):
    problems = []
    for _template, url in sorted(template_pages.items()):
        problems += harness.reflow_problems(page, url)
    harness.expect_none(problems, "pages scroll sideways (WCAG 1.4.10 reflow / 适老化 large text):\n" + "\n".join(problems))


SEEDED_A11Y = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>seeded accessibility defects</title></head>
<body><main>
<h1>Seeded</h1>
<img src="photo.png">
<p style="color:#dddddd;background:#ffffff">light grey text on white</p>
<form><input type="text" name="q"></form>
</main></body>
</html>
"""

SEEDED_WIDE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>seeded reflow defect</title></head>
<body><main><h1>Seeded</h1><div id="wide" style="width:2000px">a 2000 px wide element</div></main></body>
</html>
"""


def test_seeded_accessibility_defects_are_reported(static_server, page, tmp_path):
    (tmp_path / "a11y.html").write_text(SEEDED_A11Y, encoding="utf-8")
    server = static_server(tmp_path)
    violations = harness.axe_violations(page, server.url("/a11y.html"))
    rules = {v["id"] for v in violations}
    report = harness.format_axe("a11y.html", violations)
    for rule in ("image-alt", "color-contrast", "label"):
        assert rule in rules, f"axe did not report {rule} on the seeded page; it reported:\n{report}"


def test_seeded_wide_page_fails_reflow(static_server, page, tmp_path):
    (tmp_path / "wide.html").write_text(SEEDED_WIDE, encoding="utf-8")
    server = static_server(tmp_path)
    problems = harness.reflow_problems(page, server.url("/wide.html"))
    assert len(problems) == len(harness.REFLOW_MODES), f"the reflow check missed the 2000 px element: {problems}"
    assert all("div#wide" in p for p in problems), problems
