"""/search/ beyond the query itself: a build for the portal's real host served under its
sub-path, the result count announced to screen readers, the filters and "more results" by
keyboard alone, OR within the field and status filters, and a city that includes its counties."""
from __future__ import annotations

import urllib.request
from urllib.parse import urlencode

import pytest

import harness
from searching import DONE, containing, doc_paths, load_records, open_search, shown
from support import copy_sample_site, run_cli

PORTAL = "https://www.example.gov.cn/col/xczx"
# a record whose only 村养 is across a word boundary: 农村|养老
EXTRA = """
- id: d-370126-2025-099
  kind: demand
  title: 商河县农村养老互助点志愿者招募
  county: "370126"
  field: 特殊群体关爱
  forms: [志愿服务]
  summary: 为农村养老互助点招募志愿者。
  description: 每周上门探访独居老人。
  published: 2025-08-01
  status: open
  contact: {unit: 商河县乡村振兴局（示例）, phone: 0531-00000000}
"""


def ids_of(page, siteurl: str, **params) -> list[int]:
    return open_search(page, siteurl, urlencode(params, doseq=True))


def test_build_for_the_portal_host_works_under_its_sub_path(static_server, page, tmp_path):
    """Built with --siteurl https://<portal>/col/xczx and served at /col/xczx/ of another host:
    every request stays under the sub-path, 村养 finds exactly the records holding it, and a
    result's link opens its page."""
    site_dir = copy_sample_site(tmp_path / "site")
    with open(site_dir / "data" / "projects" / "370126.yaml", "a", encoding="utf-8") as handle:
        handle.write(EXTRA)
    output = tmp_path / "srv" / "col" / "xczx"
    code, out, err = run_cli("build", "--site", str(site_dir), "--output", str(output), "--siteurl", PORTAL)
    assert code == 0, out + err
    server = static_server(tmp_path / "srv")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    siteurl = server.url("/col/xczx")
    _site, raw = load_records(site_dir)
    expected = containing(raw, "村养")
    assert "demands/d-370126-2025-099/" in expected
    paths = doc_paths(output)
    assert {paths[n] for n in ids_of(page, siteurl, q="村养")} == expected
    assert shown(page) and all("村养" in item["marks"] for item in shown(page))
    page.click("#search-results a >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith(siteurl + "/") and "/search/" not in page.url
    assert page.locator("h1").count() == 1
    outside = [url for url in requested if not url.startswith(server.url(harness.PREFIX))]
    assert not outside, outside


def test_result_count_is_announced(server, built_site, page):
    """The status line is a live region present (empty) before the first search, so a screen
    reader announces each count."""
    html = urllib.request.urlopen(built_site.siteurl + "/search/").read().decode("utf-8")
    assert '<p id="search-status" class="search-status" role="status"></p>' in html
    ids = ids_of(page, built_site.siteurl, q="养老")
    assert page.get_by_role("status").text_content() == f"找到 {len(ids)} 条结果（“养老”）。"
    ids = ids_of(page, built_site.siteurl, kind="policy")
    assert page.get_by_role("status").text_content() == f"找到 {len(ids)} 条结果。"
    assert ids_of(page, built_site.siteurl, q="没有这样的词") == []
    assert page.get_by_role("status").text_content() == "没有找到包含“没有这样的词”的内容。"
    ids_of(page, built_site.siteurl, q="养")
    assert page.get_by_role("status").text_content() == "请输入至少两个字。"


def tab_to(page, test: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_filters_and_more_results_by_keyboard_alone(server, built_site, page):
    page.goto(built_site.siteurl + "/search/")
    page.wait_for_function(DONE, arg=1)
    tab_to(page, "() => document.activeElement.tagName === 'SUMMARY'")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelector('details').open")
    tab_to(page, "() => document.activeElement.name === 'kind' && document.activeElement.value === 'region'")
    page.keyboard.press("Space")
    tab_to(page, "() => document.activeElement.textContent === '按条件搜索'")
    page.keyboard.press("Enter")
    page.wait_for_function(DONE, arg=2)
    assert page.url.endswith("/search/?kind=region")
    total = len(page.evaluate("() => document.querySelector('form[data-index]').lastResult.ids"))
    assert total > 20 and len(shown(page)) == 20
    tab_to(page, "() => document.activeElement.id === 'search-more'")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#search-results > li').length === 40")
    assert page.evaluate("() => document.activeElement === document.querySelectorAll('#search-results a')[20]")
    assert all(item["meta"].startswith("地区") for item in shown(page))


@pytest.mark.parametrize("facet, values", [("field", ["care", "industry"]), ("status", ["open", "matched"]),
                                           ("region", ["371721", "370126"])])
def test_several_values_of_field_status_or_region_mean_or(server, built_site, page, facet, values):
    one = ids_of(page, built_site.siteurl, q="服务", **{facet: values[0]})
    two = ids_of(page, built_site.siteurl, q="服务", **{facet: values[1]})
    both = ids_of(page, built_site.siteurl, q="服务", **{facet: values})
    assert one and two and sorted(both) == sorted(set(one) | set(two))


def test_a_city_includes_its_counties(server, built_site, page):
    paths = doc_paths(built_site.output)
    city = {paths[n] for n in ids_of(page, built_site.siteurl, kind="demand", region="371700")}
    counties = {code: {paths[n] for n in ids_of(page, built_site.siteurl, kind="demand", region=code)}
                for code in ("371702", "371721", "371726")}
    assert all(counties.values()) and set().union(*counties.values()) <= city
    assert city == {p for p in city if p.startswith("demands/d-3717")}
