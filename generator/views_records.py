"""Pages of records: demands, offers and organizations — listings (paged, and
browsable by city and by field) and one page per record."""
from __future__ import annotations

from . import urls
from .listing import paginate
from .markup import render_markdown
from .stats import city_of as _city, offer_covers


def _key_first(site, project) -> tuple:
    region = site.regions.get(project.county)
    return (project.status != "open", not (region and region.key), -project.published.toordinal(), project.id)


def city_of(site, code: str | None) -> str | None:
    """The city of a place for browsing by city; a partner region stands as its own city."""
    region = site.regions.get(code)
    return region.code if region is not None and region.level == "partner" else _city(site, code)


def facet_cities(site) -> list:
    cities = sorted(site.regions.of_level("city"), key=lambda r: r.code)
    return cities + sorted(site.regions.of_level("partner"), key=lambda r: r.code)


def _in_city(site, kind: str, record, city: str) -> bool:
    if kind == "demands":
        return city_of(site, record.county) == city
    if kind == "orgs":
        return record.county == city or city_of(site, record.county) == city
    counties = [r.code for r in site.regions.of_level("county") if r.parent == city] or [city]
    return any(offer_covers(site, record, county) for county in counties)


def _listing_pages(site, kind: str, title: str, records: list, item: str):
    per_page = site.settings["per_page"]
    fields = site.vocabulary.fields
    views = [(None, None, title, records)]
    city_counts, field_counts = [], []
    for city in facet_cities(site):
        chosen = [r for r in records if _in_city(site, kind, r, city.code)]
        if chosen:
            city_counts.append((city, len(chosen)))
            views.append(("city", city.code, f"{title}：{city.name}", chosen))
    for field in fields:
        chosen = [r for r in records if field.name in r.fields]
        if chosen:
            field_counts.append((field, len(chosen)))
            views.append(("field", field.slug, f"{title}：{field.name}", chosen))
    facets = {"kind": kind, "cities": city_counts, "fields": field_counts}
    for facet, value, heading, chosen in views:
        for path, shown, info in paginate(chosen, per_page, kind, facet, value):
            crumbs = [{"path": urls.listing(kind), "name": title}] if facet else []
            crumbs.append({"path": None, "name": heading if info.number == 1 else f"{heading}（第 {info.number} 页）"})
            yield path, "listing.html", {"heading": heading, "records": shown, "pages": info, "facets": facets,
                                         "facet": facet, "facet_value": value, "item": item, "crumbs": crumbs}


def record_pages(site):
    """Every listing and record page of demands, offers and organizations."""
    demands = sorted(site.demands, key=lambda p: _key_first(site, p))
    offers = sorted(site.offers, key=lambda p: (p.status != "open", -p.published.toordinal(), p.id))
    orgs = sorted(site.organizations.values(), key=lambda o: (o.level != "省管", o.county or "", o.id))
    yield from _listing_pages(site, "demands", "需求项目", demands, "project")
    yield from _listing_pages(site, "offers", "供给项目", offers, "project")
    yield from _listing_pages(site, "orgs", "社会组织", orgs, "org")
    taken: dict[str, list] = {}
    for demand in demands:
        for org_id in demand.matched_orgs:
            taken.setdefault(org_id, []).append(demand)
    open_by_county: dict[str, list] = {}
    for demand in demands:
        if demand.status == "open":
            open_by_county.setdefault(demand.county, []).append(demand)
    for demand in demands:
        same_county = [d for d in open_by_county.get(demand.county, [])[:6] if d.id != demand.id]
        yield urls.record("demands", demand.id), "demand.html", {
            "p": demand, "body": render_markdown(demand.description), "nearby": same_county[:5],
            "crumbs": [{"path": "demands/", "name": "需求项目"}, {"path": None, "name": demand.title}]}
    for offer in offers:
        yield urls.record("offers", offer.id), "offer.html", {
            "p": offer, "body": render_markdown(offer.description),
            "crumbs": [{"path": "offers/", "name": "供给项目"}, {"path": None, "name": offer.title}]}
    for org in orgs:
        yield urls.record("orgs", org.id), "org.html", {
            "o": org, "offers": [p for p in offers if p.org == org.id], "taken": taken.get(org.id, []),
            "crumbs": [{"path": "orgs/", "name": "社会组织"}, {"path": None, "name": org.name}]}
