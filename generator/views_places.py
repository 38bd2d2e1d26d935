"""Pages about places and the whole column: the front page, every region, every
field of work, statistics, the open-data index and the 404 page.

The front, region, field and statistics pages defer their contexts (deferred.Deferred):
each key holds the digests of the records the page shows (fingerprint.record_digest),
the page's figures and the codes of its regions and fields (the regions and the
vocabulary are in every page's global digest), so that an edit build makes the context
of the few pages whose key changed only. The grouping of records by region and the
site's figures are computed once for all of them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from itertools import chain
from operator import attrgetter

from . import urls
from .charts import bar_chart
from .collector import paused
from .deferred import Deferred
from .fingerprint import record_digests
from .stats import group_by_region, is_matched, region_figures, site_stats

LEVEL_TITLES = {"province": "全省", "city": "市", "county": "县区", "partner": "省外协作地区"}
_FIELDS = attrgetter("fields")
REGION_SHOWN = 30  # a region page lists at most this many records of each kind (its context holds no more)


def _newest(items, limit):
    return sorted(items, key=lambda x: (-x.published.toordinal(), getattr(x, "id", getattr(x, "slug", ""))))[:limit]


def _page_digests(pages) -> list[str]:
    """Markdown pages (pages.Page) as page_fingerprint spells other objects: the digest of their repr."""
    return [hashlib.sha256(repr(page).encode()).hexdigest() for page in pages]


def _plain(value):
    """Figures as key data: dates as ISO text (marshal writes no dates); dicts and lists spelled out."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _children(site, region) -> list:
    """Sub-regions, key assistance counties first."""
    if region.level == "province":
        return sorted(site.regions.of_level("city"), key=lambda r: r.code)
    if region.level == "city":
        counties = [r for r in site.regions.of_level("county") if r.parent == region.code]
        return sorted(counties, key=lambda r: (not r.key, r.code))
    return []


def _region_page(site, region, group: dict) -> Deferred:
    """A region's page; the key stands for what region.html shows: the figures, the first
    REGION_SHOWN records of each list and the number of open demands (the rest of the
    context follows from the regions, which the global digest covers)."""
    here = group["demands"]
    open_demands = [d for d in here if d.status == "open"]
    matched = [d for d in here if is_matched(d)][:REGION_SHOWN]
    covering, orgs = group["covering"][:REGION_SHOWN], group["orgs"][:REGION_SHOWN]
    figures = region_figures(site, region.code, here, group["covering"], len(group["orgs"]))
    shown_open = open_demands[:REGION_SHOWN]

    def make() -> dict:
        parent = site.regions.get(region.parent)
        crumbs = [{"path": "regions/", "name": "各地"}]
        if parent and parent.level == "city":
            crumbs.append({"path": urls.record("regions", parent.code), "name": parent.name})
        crumbs.append({"path": None, "name": region.name})
        return {"region": region, "level_title": LEVEL_TITLES[region.level], "figures": figures,
                "open_demands": shown_open, "open_count": len(open_demands), "matches": matched,
                "orgs_here": orgs, "covering": covering, "children": _children(site, region),
                "paired": site.regions.get(region.paired_with), "crumbs": crumbs}

    return Deferred(key=[region.code, figures, record_digests(shown_open), len(open_demands), record_digests(matched),
                         record_digests(covering), record_digests(orgs)], make=make)


def region_pages(site, groups: dict):
    province = site.regions.province
    regions = [province] if province else []
    regions += sorted(site.regions.of_level("city"), key=lambda r: r.code)
    counties = sorted(site.regions.of_level("county"), key=lambda r: (r.parent, not r.key, r.code))
    regions += counties + sorted(site.regions.of_level("partner"), key=lambda r: r.code)
    yield "regions/", "regions.html", {
        "province": province, "cities": _children(site, province) if province else [],
        "counties": counties, "partners": sorted(site.regions.of_level("partner"), key=lambda r: r.code),
        "crumbs": [{"path": None, "name": "各地"}]}
    for region in regions:
        yield urls.record("regions", region.code), "region.html", _region_page(site, region, groups[region.code])


def _field_page(field, demands: list, offers: list, org_count: int, policies: list) -> Deferred:
    """A field's page: its newest open demands and offers (`demands`: all of its demands, newest
    first), its counts and its policies."""
    open_demands = [d for d in demands if d.status == "open"][:20]
    return Deferred(
        key=[field.slug, record_digests(open_demands), len(demands), record_digests(offers), org_count,
             _page_digests(policies)],
        make=lambda: {"field": field, "open_demands": open_demands, "demand_count": len(demands),
                      "offers": offers, "org_count": org_count, "policies": policies,
                      "crumbs": [{"path": None, "name": field.name}]})


def _by_field(site, records: list) -> dict[str, list]:
    """Per field of the vocabulary, the records naming it, in the order given (a field
    named twice by one record lists it once)."""
    by_field: dict[str, list] = {field.name: [] for field in site.vocabulary.fields}
    for record in records:
        names = record.fields
        for name in (names if len(names) < 2 else dict.fromkeys(names)):
            if name in by_field:
                by_field[name].append(record)
    return by_field


def field_pages(site, newest_demands: list):
    """`newest_demands`: every demand, newest first (then by id, as _newest orders)."""
    demands = _by_field(site, newest_demands)
    offers = _by_field(site, _newest([p for p in site.offers if p.status == "open"], None))
    orgs = Counter(chain.from_iterable(map(set, map(_FIELDS, site.organizations.values()))))
    for field in site.vocabulary.fields:
        yield urls.record("fields", field.slug), "field.html", _field_page(
            field, demands[field.name], offers[field.name][:20], orgs[field.name],
            _newest([p for p in site.pages.get("policies", []) if field.name in p.meta["fields"]], 20))


def stats_page(figures: dict):
    def make() -> dict:
        charts = [
            bar_chart("by-city", "各市需求项目数",
                      [(row["name"], row["count"]) for row in figures["demands_by_city"]]),
            bar_chart("by-field", "各领域需求项目数",
                      [(row["name"], row["count"]) for row in figures["demands_by_field"]]),
            bar_chart("match-rate", "各市需求对接率",
                      [(row["name"], row["rate"] * 100) for row in figures["match_by_city"] if row["rate"] is not None],
                      unit="%", max_value=100, percent=True),
            bar_chart("key-counties", "重点帮扶县需求项目数",
                      [(row["name"], row["demands"]) for row in figures["key_counties"]]),
        ]
        return {"figures": figures, "charts": charts, "crumbs": [{"path": None, "name": "统计"}]}

    yield "stats/", "stats.html", Deferred(key=_plain(figures), make=make)


def front_page(site, figures: dict, newest_demands: list):
    demands = [d for d in newest_demands if d.status == "open"][:8]
    policies, news = _newest(site.pages.get("policies", []), 5), _newest(site.pages.get("news", []), 5)
    yield "", "index.html", Deferred(
        key=[figures["totals"], figures["match_rate"]["rate"], _page_digests(policies), _page_digests(news),
             record_digests(demands)],
        make=lambda: {"figures": figures["totals"], "match_rate": figures["match_rate"]["rate"],
                      "policies": policies, "news": news, "demands": demands,
                      "cities": _children(site, site.regions.province) if site.regions.province else [],
                      "fields": site.vocabulary.fields})


def data_page(site):
    yield "data/", "data.html", {"crumbs": [{"path": None, "name": "开放数据"}],
                                 "regions_list": [site.regions.province] + _children(site, site.regions.province)
                                 if site.regions.province else []}


def not_found_page(site, base: str):
    yield "404.html", "404.html", {"base": base}


def place_pages(site, today, base: str) -> list:
    """The specs of every page here. The collector is paused meanwhile (collector.py): the
    specs are tens of thousands of small objects, all kept to the end of the build."""
    with paused(freeze=True):
        newest_demands = sorted(site.demands, key=lambda d: (-d.published.toordinal(), d.id))
        groups = group_by_region(site, newest_demands)
        figures = site_stats(site, today, groups=groups)
        return [spec for pages in (front_page(site, figures, newest_demands), region_pages(site, groups),
                                   field_pages(site, newest_demands), stats_page(figures), data_page(site),
                                   not_found_page(site, base))
                for spec in pages]
