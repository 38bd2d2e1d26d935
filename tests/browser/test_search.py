"""/search/ in Chromium, on the sample site built under the portal's sub-path: Chinese and
boundary-straddling queries, each filter and a combination, the URL round trip, keyboard use,
accessibility with results shown, the page without JavaScript, and recall against a
brute-force substring scan of the records (with a seeded missing record that must fail it)."""
from __future__ import annotations

import json
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest

import harness

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from generator.search_docs import fold, search_docs  # noqa: E402
from generator.search_index import index_files  # noqa: E402
from generator.site import load_site  # noqa: E402
from generator.stats import places_of  # noqa: E402

DONE = "n => Number(document.body.getAttribute('data-search-done') || 0) >= n"


def open_search(page, siteurl: str, query: str = "") -> list[int]:
    page.goto(f"{siteurl}/search/" + (f"?{query}" if query else ""))
    page.wait_for_function(DONE, arg=1)
    return page.evaluate("() => document.querySelector('form[data-index]').lastResult.ids")


def doc_paths(output: Path) -> dict[int, str]:
    return {int(p.stem): json.loads(p.read_text(encoding="utf-8"))["u"] for p in (output / "search-index" / "d").glob("*.json")}


def shown(page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#search-results > li')).map(li => ({
        href: li.querySelector('a').getAttribute('href'), title: li.querySelector('a').textContent,
        marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
        meta: li.querySelector('.meta').textContent}))""")


def record_text(site, record) -> str:
    """Everything a record says in words: every text field and list of texts, and the names of
    the regions and organization it names (the brute-force scan's idea of what it contains)."""
    parts = []
    for name, value in vars(record).items():
        if name in ("id", "path", "node", "slug", "body_line", "section") or \
                name == "parent" and getattr(record, "level", "") != "county":  # a city's page does not name the province
            continue
        values = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        for item in values:
            for one in item if isinstance(item, list) else [item]:
                if isinstance(one, str):
                    region = site.regions.get(one) if name in ("county", "service_regions", "parent") else None
                    org = site.organizations.get(one) if name == "org" else None
                    parent = site.regions.get(region.parent) if region and region.level == "county" else None
                    parts.append(org.name if org else (parent.name if parent else "") + region.name if region else one)
                elif hasattr(one, "title"):
                    parts.append(one.title)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def records(built_site):
    """The sample site's records, as load_site reads them, and the text of each page's record."""
    site, _problems = load_site(built_site.site_dir)
    raw: dict[str, str] = {}
    for p in site.projects.values():
        raw[f"{'demands' if p.kind == 'demand' else 'offers'}/{p.id}/"] = record_text(site, p)
    for o in site.organizations.values():
        raw[f"orgs/{o.id}/"] = record_text(site, o)
    for page in site.pages.get("policies", []):
        raw[f"policies/{page.slug}/"] = record_text(site, page)
    for r in site.regions.by_code.values():
        if r.level != "province":
            raw[f"regions/{r.code}/"] = record_text(site, r)
    return site, raw


def containing(raw: dict[str, str], term: str) -> set[str]:
    return {path for path, text in raw.items() if fold(term) in fold(text)}


def terms_from(raw: dict[str, str]) -> list[str]:
    """Terms drawn from the records: every 2-, 3- and 5-character run of Chinese at a few
    places of each record, so many of them straddle word boundaries."""
    terms = {"乡村振兴", "村养", "养老", "电商", "人居环境", "互助养老", "社会组织"}
    for number, text in enumerate(sorted(raw.values())):
        for start in (3, 17, 41):
            for length in (2, 3, 5):
                word = text[start + number % 7:start + number % 7 + length]
                if len(word) == length and all("\u4e00" <= ch <= "\u9fff" for ch in word):
                    terms.add(word)
    return sorted(terms)


def recall_misses(paths: dict[int, str], found: dict[str, list[int]], raw: dict[str, str]) -> list[str]:
    """Every (term, page) the brute-force scan finds and the browser does not."""
    misses = []
    for term, ids in sorted(found.items()):
        got = {paths[n] for n in ids}
        misses += [f"{term}: {path}" for path in sorted(containing(raw, term) - got)]
    return misses


def browser_results(page, siteurl: str, terms: list[str]) -> dict[str, list[int]]:
    """{term: every document number the browser's search finds}, through the page's own code."""
    open_search(page, siteurl)
    found = {}
    for number, term in enumerate(terms, start=2):
        page.fill("#q", term)
        page.press("#q", "Enter")
        page.wait_for_function(DONE, arg=number)
        found[term] = page.evaluate("() => document.querySelector('form[data-index]').lastResult.ids")
    return found


def test_chinese_query_shows_highlighted_results(server, built_site, page):
    ids = open_search(page, built_site.siteurl, "q=互助养老")
    items = shown(page)
    assert ids and len(items) == min(len(ids), 20)
    assert any(item["title"] == "曹县农村互助养老服务站运营支持" for item in items), items
    assert all("互助养老" in item["marks"] for item in items), items
    status = page.text_content("#search-status")
    assert status == f"找到 {len(ids)} 条结果（“互助养老”）。"
    first = items[0]["href"]
    assert first.startswith("../") and urllib.request.urlopen(page.url.split("?")[0] + first).status == 200


def test_boundary_straddling_query(server, built_site, page, records):
    _site, raw = records
    expected = containing(raw, "村互助")  # 山区村|互助养老: across a word boundary
    assert len(expected) >= 2, expected
    paths = doc_paths(built_site.output)
    got = {paths[n] for n in open_search(page, built_site.siteurl, "q=村互助")}
    assert expected <= got


def test_recall_against_brute_force_scan(server, built_site, page, records):
    _site, raw = records
    terms = terms_from(raw)
    assert len(terms) > 100
    found = browser_results(page, built_site.siteurl, terms)
    misses = recall_misses(doc_paths(built_site.output), found, raw)
    harness.expect_none(misses, f"{len(misses)} record(s) containing a query were not found:\n" + "\n".join(misses[:50]))
    paths = doc_paths(built_site.output)
    extras = [f"{t}: {path}" for t, ids in found.items() for path in sorted({paths[n] for n in ids} - containing(raw, t))]
    total = sum(len(ids) for ids in found.values())
    assert total and len(extras) / total <= 0.02, \
        f"precision {1 - len(extras) / total:.3f} below 0.98:\n" + "\n".join(extras[:40])


def test_seeded_missing_record_fails_recall(static_server, built_site, page, records, tmp_path):
    """The same recall check on an index built without one record reports that record."""
    site, raw = records
    srv = tmp_path / "srv"
    copy = srv / "col" / "xczx"
    shutil.copytree(built_site.output, copy)
    docs = search_docs(site)
    victim = next(d for d in docs if d.path == "demands/d-371721-2025-001/")
    kept = [d for d in docs if d is not victim]
    shutil.rmtree(copy / "search-index" / "d")
    shutil.rmtree(copy / "search-index" / "s")
    for name, data in index_files(kept, {f.name: f.slug for f in site.vocabulary.fields}).items():
        (copy / "search-index" / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / "search-index" / name).write_bytes(data)
    server = static_server(srv)
    found = browser_results(page, server.url("/col/xczx"), ["互助养老", "村养"])
    misses = recall_misses(doc_paths(copy), found, raw)
    assert "互助养老: demands/d-371721-2025-001/" in misses, misses


def expected_with(records, term: str, kind: str | None = None, region: str | None = None,
                  field: str | None = None, status: str | None = None) -> set[str]:
    site, raw = records
    out = set()
    for p in site.projects.values():
        path = f"{'demands' if p.kind == 'demand' else 'offers'}/{p.id}/"
        if fold(term) not in fold(raw[path]):
            continue
        if kind and p.kind != kind or field and field not in [f.slug for f in site.vocabulary.fields
                                                                  if f.name in p.fields]:
            continue
        if status and p.status != status or region and (p.kind != "demand" or region not in places_of(site, p.county)):
            continue
        out.add(path)
    return out


@pytest.mark.parametrize("query, filters", [
    ("养老", {"kind": "demand"}),
    ("服务", {"kind": "demand", "region": "371700"}),  # a city: its counties' demands
    ("培训", {"kind": "demand", "field": "care"}),
    ("服务", {"kind": "demand", "status": "open"}),
    ("服务", {"kind": "demand", "region": "371700", "status": "open", "field": "care"}),
])
def test_filters_narrow_to_exactly_the_matching_records(server, built_site, page, records, query, filters):
    from urllib.parse import urlencode
    ids = open_search(page, built_site.siteurl, urlencode({"q": query, **filters}))
    paths = doc_paths(built_site.output)
    got = {paths[n] for n in ids}
    expected = expected_with(records, query, **filters)
    assert expected, f"the sample site has no record for {query} {filters}"
    assert got == expected


def test_several_values_of_a_filter_mean_or(server, built_site, page):
    one = open_search(page, built_site.siteurl, "q=服务&kind=demand")
    two = open_search(page, built_site.siteurl, "q=服务&kind=supply")
    both = open_search(page, built_site.siteurl, "q=服务&kind=demand&kind=supply")
    assert one and two and sorted(both) == sorted(one + two)


def test_sort_by_date_puts_newest_first(server, built_site, page):
    open_search(page, built_site.siteurl, "q=服务&kind=demand&sort=date")
    dates = page.evaluate("() => Array.from(document.querySelectorAll('#search-results .meta'))"
                          ".map(e => e.lastElementChild.textContent)")
    assert dates == sorted(dates, reverse=True) and len(dates) > 1


def test_url_round_trip_and_back_button(server, built_site, page):
    open_search(page, built_site.siteurl)
    page.fill("#q", "养老")
    page.press("#q", "Enter")
    page.wait_for_function(DONE, arg=2)
    assert page.url.endswith("/search/?q=%E5%85%BB%E8%80%81")
    page.click("summary")
    page.select_option("#region", "371700")
    page.click("text=按条件搜索")
    page.wait_for_function(DONE, arg=3)
    assert "region=371700" in page.url
    narrowed = page.text_content("#search-status")
    page.go_back()
    page.wait_for_function(DONE, arg=4)
    assert page.input_value("#q") == "养老" and page.input_value("#region") == ""
    assert page.text_content("#search-status") != narrowed
    shared = page.url
    page.goto(built_site.siteurl + "/search/?q=%E5%85%BB%E8%80%81&region=371700")
    page.wait_for_function(DONE, arg=1)
    assert page.input_value("#region") == "371700" and page.text_content("#search-status") == narrowed
    assert shared != page.url


def test_keyboard_only_search(server, built_site, page):
    page.goto(built_site.siteurl + "/search/")
    page.wait_for_function(DONE, arg=1)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "q":
            break
    page.keyboard.type("互助养老")
    page.keyboard.press("Enter")
    page.wait_for_function(DONE, arg=2)
    assert page.text_content("#search-status").startswith("找到 ")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#search-results')"):
            break
    assert page.evaluate("() => document.activeElement.closest('#search-results') !== null")


def test_front_page_form_leads_to_search(server, built_site, page):
    page.goto(built_site.siteurl + "/")
    page.fill("#q", "养老")
    page.press("#q", "Enter")
    page.wait_for_function(DONE, arg=1)
    assert "/col/xczx/search/?q=" in page.url and page.text_content("#search-status").startswith("找到 ")


def test_axe_with_results_shown(server, built_site, page):
    harness.require_node_modules(harness.AXE_JS)
    open_search(page, built_site.siteurl, "q=养老&kind=demand")
    page.evaluate("() => document.querySelector('details').open = true")
    page.add_script_tag(path=str(harness.AXE_JS))
    violations = page.evaluate(harness.AXE_RUN, harness.AXE_TAGS)
    harness.expect_none(violations, harness.format_axe(page.url, violations))


def test_without_javascript_the_page_offers_browsing(browser, server, built_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(built_site.siteurl + "/search/?q=养老")
        text = page.inner_html("noscript")
        assert "搜索需要浏览器启用 JavaScript" in text and "regions/" in text and "fields/" in text
    finally:
        context.close()


def test_content_in_results_is_text_never_markup(server, built_site, page):
    """Titles and snippets are built as text nodes: markup in a record cannot run."""
    source = (harness.THEME / "static" / "search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "eval(" not in source
