"""Helpers of the search tests: driving /search/ in the browser, and a brute-force idea of
which records contain a term (the truth the search is checked against)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from generator.search_docs import fold  # noqa: E402
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


def load_records(site_dir: Path) -> tuple[object, dict[str, str]]:
    """A site's records, as load_site reads them, and {page path: the text of its record}."""
    site, _problems = load_site(site_dir)
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
