"""Pages about places and the whole column: the front page, every region, every
field of work, statistics, the open-data index and the 404 page."""
from __future__ import annotations

from . import urls
from .charts import bar_chart
from .stats import is_matched, places_of, region_figures, site_stats

LEVEL_TITLES = {"province": "全省", "city": "市", "county": "县区", "partner": "省外协作地区"}


def _newest(items, limit):
    return sorted(items, key=lambda x: (-x.published.toordinal(), getattr(x, "id", getattr(x, "slug", ""))))[:limit]


def _children(site, region) -> list:
    """Sub-regions, key assistance counties first."""
    if region.level == "province":
        return sorted(site.regions.of_level("city"), key=lambda r: r.code)
    if region.level == "city":
        counties = [r for r in site.regions.of_level("county") if r.parent == region.code]
        return sorted(counties, key=lambda r: (not r.key, r.code))
    return []


def group_by_region(site) -> dict[str, dict[str, list]]:
    """One pass over all records: per region code, its demands, its organizations and
    the offers that cover it (an offer naming a region covers it and all below it)."""
    groups: dict[str, dict[str, list]] = {code: {"demands": [], "orgs": [], "covering": []}
                                          for code in site.regions.by_code}
    for demand in sorted(site.demands, key=lambda d: (-d.published.toordinal(), d.id)):
        for code in places_of(site, demand.county):
            groups[code]["demands"].append(demand)
    for org in sorted(site.organizations.values(), key=lambda o: o.id):
        for code in places_of(site, org.county):
            groups[code]["orgs"].append(org)
    below: dict[str, list[str]] = {code: [code] for code in site.regions.by_code}
    for region in site.regions.by_code.values():
        for code in places_of(site, region.code)[1:]:
            below[code].append(region.code)
    for offer in sorted(site.offers, key=lambda p: (p.status != "open", -p.published.toordinal(), p.id)):
        reached = {code for named in offer.service_regions for code in below.get(named, [])}
        for code in sorted(reached):
            groups[code]["covering"].append(offer)
    return groups


def region_pages(site):
    province = site.regions.province
    regions = [province] if province else []
    regions += sorted(site.regions.of_level("city"), key=lambda r: r.code)
    counties = sorted(site.regions.of_level("county"), key=lambda r: (r.parent, not r.key, r.code))
    regions += counties + sorted(site.regions.of_level("partner"), key=lambda r: r.code)
    groups = group_by_region(site)
    yield "regions/", "regions.html", {
        "province": province, "cities": _children(site, province) if province else [],
        "counties": counties, "partners": sorted(site.regions.of_level("partner"), key=lambda r: r.code),
        "crumbs": [{"path": None, "name": "各地"}]}
    for region in regions:
        group = groups[region.code]
        here = group["demands"]
        parent = site.regions.get(region.parent)
        crumbs = [{"path": "regions/", "name": "各地"}]
        if parent and parent.level == "city":
            crumbs.append({"path": urls.record("regions", parent.code), "name": parent.name})
        crumbs.append({"path": None, "name": region.name})
        yield urls.record("regions", region.code), "region.html", {
            "region": region, "level_title": LEVEL_TITLES[region.level],
            "figures": region_figures(site, region.code, here, group["covering"], len(group["orgs"])),
            "open_demands": [d for d in here if d.status == "open"],
            "matches": [d for d in here if is_matched(d)], "orgs_here": group["orgs"],
            "covering": group["covering"], "children": _children(site, region),
            "paired": site.regions.get(region.paired_with), "crumbs": crumbs}


def field_pages(site):
    for field in site.vocabulary.fields:
        demands = [d for d in site.demands if field.name in d.fields]
        yield urls.record("fields", field.slug), "field.html", {
            "field": field, "open_demands": _newest([d for d in demands if d.status == "open"], 20),
            "demand_count": len(demands),
            "offers": _newest([p for p in site.offers if field.name in p.fields and p.status == "open"], 20),
            "org_count": sum(1 for o in site.organizations.values() if field.name in o.fields),
            "policies": _newest([p for p in site.pages.get("policies", []) if field.name in p.meta["fields"]], 20),
            "crumbs": [{"path": None, "name": field.name}]}


def stats_page(site, today):
    figures = site_stats(site, today)
    charts = [
        bar_chart("by-city", "各市需求项目数", [(row["name"], row["count"]) for row in figures["demands_by_city"]]),
        bar_chart("by-field", "各领域需求项目数", [(row["name"], row["count"]) for row in figures["demands_by_field"]]),
        bar_chart("match-rate", "各市需求对接率",
                  [(row["name"], row["rate"] * 100) for row in figures["match_by_city"] if row["rate"] is not None],
                  unit="%", max_value=100, percent=True),
        bar_chart("key-counties", "重点帮扶县需求项目数",
                  [(row["name"], row["demands"]) for row in figures["key_counties"]]),
    ]
    yield "stats/", "stats.html", {"figures": figures, "charts": charts,
                                   "crumbs": [{"path": None, "name": "统计"}]}


def front_page(site, today):
    figures = site_stats(site, today, waiting_limit=0)
    key_first = sorted((d for d in site.demands if d.status == "open"),
                       key=lambda d: (-d.published.toordinal(), d.id))
    yield "", "index.html", {
        "figures": figures["totals"], "match_rate": figures["match_rate"]["rate"],
        "policies": _newest(site.pages.get("policies", []), 5), "news": _newest(site.pages.get("news", []), 5),
        "demands": key_first[:8], "cities": _children(site, site.regions.province) if site.regions.province else [],
        "fields": site.vocabulary.fields}


def data_page(site):
    yield "data/", "data.html", {"crumbs": [{"path": None, "name": "开放数据"}],
                                 "regions_list": [site.regions.province] + _children(site, site.regions.province)
                                 if site.regions.province else []}


def not_found_page(site, base: str):
    yield "404.html", "404.html", {"base": base}


def place_pages(site, today, base: str):
    for pages in (front_page(site, today), region_pages(site), field_pages(site), stats_page(site, today),
                  data_page(site), not_found_page(site, base)):
        yield from pages
