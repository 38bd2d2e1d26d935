"""The lists of projects and organizations on the site's pages (theme_items.py renders
them in Python and reuses each record's item on every page that shows it): untrusted
record texts stay escaped in every list, and an item's links work from every page."""
from __future__ import annotations

import posixpath
import re

import pytest

from support import copy_sample_site, run_cli

TITLE = "临朐县设施蔬菜绿色防控技术培训"
ORG = "山东省示例农村电子商务协会"
HOSTILE_TITLE = TITLE + '<script>alert("t")</script>'
HOSTILE_ORG = ORG + "<b onmouseover=alert('o')>&"


def _build(base, edits):
    site = copy_sample_site(base / "site")
    for relative, text, replacement in edits:
        path = site / relative
        source = path.read_text(encoding="utf-8-sig")
        assert text in source
        path.write_text(source.replace(text, replacement), encoding="utf-8")
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(base / "out"),
                              "--siteurl", "https://www.example.gov.cn/col/xczx")
    assert code == 0, err
    return {p.relative_to(base / "out").as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((base / "out").rglob("*.html"))}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The sample site with script in a demand's title and summary and in an organization's name."""
    return _build(tmp_path_factory.mktemp("hostile"), [
        ("data/projects/370724.yaml", f"title: {TITLE}\n", f"title: '{HOSTILE_TITLE}'\n"),
        ("data/projects/370724.yaml", "summary: 为山区村设施蔬菜", "summary: <svg onload=alert(1)>为山区村设施蔬菜"),
        ("data/organizations.yaml", f"name: {ORG}", f'name: "{HOSTILE_ORG}"')])


def _items(html: str) -> list[str]:
    return re.findall(r'<li class="item">.*?</li>', html, re.S)


def test_hostile_record_texts_are_escaped_in_every_list(hostile):
    for name, html in hostile.items():
        assert "<script>alert" not in html and "<b onmouseover" not in html and "<svg onload" not in html, name
    title = "临朐县设施蔬菜绿色防控技术培训&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;"
    org = "山东省示例农村电子商务协会&lt;b onmouseover=alert(&#39;o&#39;)&gt;&amp;"
    with_title = {name for name, html in hostile.items() if any(title in item for item in _items(html))}
    with_org = {name for name, html in hostile.items() if any(org in item for item in _items(html))}
    with_summary = {name for name, html in hostile.items()
                    if any("&lt;svg onload=alert(1)&gt;为山区村" in item for item in _items(html))}
    # the demand in its listing and its county's page, and recommended to offers
    assert "regions/370724/index.html" in with_title and with_summary < with_title
    assert any(name.startswith("demands/") and not name.startswith("demands/d-") for name in with_summary)
    assert any(name.startswith("offers/") for name in with_title)
    # the organization in its listing, as the place of its offers and recommended to demands
    assert "orgs/index.html" in with_org and any(name.startswith("offers/") for name in with_org)
    assert any(name.startswith("demands/d-") for name in with_org)


def test_every_link_in_a_list_leads_to_a_page_from_wherever_the_list_is(tmp_path):
    pages = _build(tmp_path, [])
    checked = 0
    for name, html in pages.items():
        for item in _items(html):
            for target in re.findall(r'href="([^"]+)"', item):
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
                assert resolved + "/index.html" in pages, (name, target)
                checked += 1
    assert checked > 500
