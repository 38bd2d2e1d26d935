"""/search/ in Chromium, on the sample site built under the portal's sub-path: Chinese and
boundary-straddling queries, each filter and a combination, the URL round trip, keyboard use,
accessibility with results shown, the page without JavaScript, and recall against a
brute-force substring scan of the records (with a seeded missing record that must fail it)."""
from __future__ import annotations

import shutil
import urllib.request

import pytest

import harness
from searching import (DONE, browser_results, containing, doc_paths, expected_with, load_records, open_search,
                       recall_misses, shown, terms_from)

from generator.search_docs import search_docs
from generator.search_index import index_files


@pytest.fixture(scope="module")
def records(built_site):
    return load_records(built_site.site_dir)


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


@pytest.mark.parametrize("term", ["村互助", "县农村", "老服务", "村电商", "站运营"])
def test_boundary_straddling_query(server, built_site, page, records, term):
    """Terms across a word boundary (山区村|互助养老, 曹县|农村, 养老|服务): found exactly."""
    _site, raw = records
    expected = containing(raw, term)
    assert len(expected) >= 2, expected
    paths = doc_paths(built_site.output)
    assert {paths[n] for n in open_search(page, built_site.siteurl, "q=" + term)} == expected


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


def serve_with_index(static_server, built_site, tmp_path, site, docs) -> tuple[str, object]:
    """A copy of the built site whose index is made from `docs`: (its URL, its folder)."""
    copy = tmp_path / "srv" / "col" / "xczx"
    shutil.copytree(built_site.output, copy)
    shutil.rmtree(copy / "search-index")
    for name, data in index_files(docs, {f.name: f.slug for f in site.vocabulary.fields}).items():
        (copy / "search-index" / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / "search-index" / name).write_bytes(data)
    return static_server(tmp_path / "srv").url("/col/xczx"), copy


def test_seeded_missing_record_fails_recall(static_server, built_site, page, records, tmp_path):
    """The same recall check on an index built without one record reports that record."""
    site, raw = records
    kept = [d for d in search_docs(site) if d.path != "demands/d-371721-2025-001/"]
    siteurl, copy = serve_with_index(static_server, built_site, tmp_path, site, kept)
    found = browser_results(page, siteurl, ["互助养老", "村养"])
    misses = recall_misses(doc_paths(copy), found, raw)
    assert "互助养老: demands/d-371721-2025-001/" in misses, misses


def test_recall_when_lists_have_files_of_their_own(static_server, built_site, page, records, tmp_path,
                                                   monkeypatch):
    """At provincial scale common bigrams get files of their own, and a term takes only the
    document numbers of a big bigram its neighbours place (乡村振兴: the signatures of 乡村 and
    振兴, not of 村振): on the sample site with a low threshold, so that many lists are big,
    recall and precision hold."""
    import generator.search_index as search_index
    monkeypatch.setattr(search_index, "BIG_LIST", 24)
    site, raw = records
    siteurl, copy = serve_with_index(static_server, built_site, tmp_path, site, search_docs(site))
    assert len(list((copy / "search-index" / "b").glob("*.bin"))) > 100
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    browser_results(page, siteurl, ["乡村振兴"])
    assert sorted(u.rsplit("/", 1)[1] for u in requested if "/search-index/b/" in u) == \
        ["4e61-6751.bin", "4e61-6751.sig", "632f-5174.bin", "632f-5174.sig", "6751-632f.bin"]
    terms = terms_from(raw)
    found = browser_results(page, siteurl, terms)
    misses = recall_misses(doc_paths(copy), found, raw)
    harness.expect_none(misses, "\n".join(misses[:50]))
    paths = doc_paths(copy)
    extras = [f"{t}: {p}" for t, ids in found.items() for p in sorted({paths[n] for n in ids} - containing(raw, t))]
    assert len(extras) / sum(len(ids) for ids in found.values()) <= 0.02, extras[:40]


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
