"""Every built page is valid HTML by the Nu Html Checker (vnu), run once over all of them."""
from __future__ import annotations

import os

import pytest

import harness

SEEDED = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>seeded defect</title></head>
<body>
<p><div id="twice"></div></p>
<span id="twice">duplicate id</span>
</body>
</html>
"""


@pytest.fixture(scope="module")
def vnu_report(built_site, tmp_path_factory):
    """One vnu run over every built page plus one seeded invalid page (to prove vnu can fail)."""
    seeded = tmp_path_factory.mktemp("vnu-seed") / "seeded.html"
    seeded.write_text(SEEDED, encoding="utf-8")
    pages = built_site.html_files()
    report = harness.vnu([*pages, seeded])
    return pages, os.path.realpath(seeded), report


def test_built_pages_are_valid_html(vnu_report, built_site):
    pages, seeded, report = vnu_report
    errors = [(file, message) for file, messages in report.items() if file != seeded for message in messages]
    listing = "\n".join(harness.format_vnu(file, message, built_site.output) for file, message in errors)
    harness.expect_none(errors, f"vnu found {len(errors)} error(s) in {len(pages)} built page(s):\n{listing}")


def test_seeded_invalid_page_is_reported(vnu_report):
    _pages, seeded, report = vnu_report
    messages = [m.get("message", "") for m in report.get(seeded, [])]
    assert len(messages) > 0, "vnu reported nothing for a page with <p><div></div></p> and a duplicate id"
    assert any("Duplicate ID" in m for m in messages), f"no duplicate-id error among: {messages}"
    # <div> closes the open <p>, so the parser then meets a stray </p>
    assert any("“p”" in m for m in messages), f"no error about the misnested <p> among: {messages}"
