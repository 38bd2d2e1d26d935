"""The figures behind /stats/ and the figure boxes on region pages.

Definitions, so that every page counts the same way:

- A demand is *matched* when its status is matched, in_progress or completed
  (vocabulary.MATCHED_STATUSES). The *match rate* is matched demands over all
  demands that are not closed, as a fraction (0.375); it is None where there is
  no such demand, so that a page can say so instead of dividing by zero.
- A demand belongs to the county in its `county` field, to that county's city,
  and to the province; demands in partner regions (省外协作地区) belong to their
  partner region and are counted in a separate row, never under a city.
- An offer *covers* a region as decided by offer_covers() (see there).

Nothing here reads the clock: "days waiting" is counted against the `today`
the caller passes in (the build passes one fixed date for the whole build).
"""
from __future__ import annotations

import datetime as dt

from .projects import Project
from .regions import Region
from .vocabulary import DEMAND_STATUSES, MATCHED_STATUSES

PARTNER_ROW = "省外协作地区"
WAITING_LIMIT = 10


def offer_covers(site, offer: Project, code: str) -> bool:
    """Whether an offer covers a region.

    An offer covers a county when its service_regions name the county itself, the
    county's city, or the province. It covers a city when they name the city or
    the province, and the province only when they name the province. A partner
    region outside the province is covered only when it is named: naming the
    province (370000) does not reach 彭水. An offer that names only some counties
    of a city does not cover the city as a whole. Unknown codes cover nothing.
    """
    region = site.regions.get(code)
    if region is None:
        return False
    named = set(offer.service_regions)
    if region.code in named:
        return True
    if region.level == "partner":
        return False
    return any(ancestor in named for ancestor in _ancestors(site, region))


def _ancestors(site, region: Region) -> list[str]:
    out, parent = [], region.parent
    while parent:
        out.append(parent)
        above = site.regions.get(parent)
        parent = above.parent if above else None
    return out


def city_of(site, code: str | None) -> str | None:
    """The city code for a county or city code; None for partner regions and unknown codes."""
    region = site.regions.get(code)
    if region is None:
        return None
    if region.level == "city":
        return region.code
    if region.level == "county":
        return region.parent
    return None


def in_region(site, county_code: str | None, code: str) -> bool:
    """Whether a place (a demand's or organization's county) lies in region `code`:
    the region itself, a city containing it, or the province (which does not contain
    partner regions outside it: they are shown on their own pages)."""
    return code in places_of(site, county_code)


def places_of(site, code: str | None) -> list[str]:
    """A place and every region containing it: county, its city, the province. A partner
    region stands alone (the province does not contain it)."""
    out, region = [], site.regions.get(code)
    while region is not None:
        out.append(region.code)
        if region.level == "partner":
            break
        region = site.regions.get(region.parent)
    return out


def is_matched(demand: Project) -> bool:
    return demand.status in MATCHED_STATUSES


def rate(matched: int, considered: int) -> float | None:
    return matched / considered if considered else None


def _rate_row(demands: list[Project]) -> dict:
    considered = [d for d in demands if d.status != "closed"]
    matched = sum(1 for d in considered if is_matched(d))
    return {"total": len(demands), "considered": len(considered), "matched": matched,
            "rate": rate(matched, len(considered))}


def _by_code(items) -> list:
    return sorted(items, key=lambda region: region.code)


def _sorted_demands(site) -> list[Project]:
    return sorted(site.demands, key=lambda d: d.id)


def site_stats(site, today: dt.date, waiting_limit: int = WAITING_LIMIT) -> dict:
    """All figures of /stats/. Keys:

    totals            {demands, open, matched, offers, organizations}
    demands_by_city   [{code, name, count}] every city in code order, then
                      {code: None, name: 省外协作地区, count} for partner regions
    demands_by_field  [{slug, name, count}] in vocabulary order
    match_rate        {total, considered, matched, rate} over the whole site
    match_by_city     [{code, name, total, considered, matched, rate}], same rows as demands_by_city
    key_counties      [{code, name, city, city_name, demands, open, matched, rate, offers, offers_open}]
                      for every key county (重点帮扶县) in code order
    waiting           [{id, title, county, county_name, published, days}] open demands waiting
                      longest: published ascending, then id; at most waiting_limit
    today             the reference date the days were counted against
    """
    demands = _sorted_demands(site)
    cities = _by_code(site.regions.of_level("city"))
    groups: dict[str | None, list[Project]] = {city.code: [] for city in cities}
    partner_codes = {region.code for region in site.regions.of_level("partner")}
    groups[None] = []
    for demand in demands:
        city = city_of(site, demand.county)
        if city in groups and city is not None:
            groups[city].append(demand)
        elif demand.county in partner_codes:
            groups[None].append(demand)
    rows = [(city.code, city.name) for city in cities] + [(None, PARTNER_ROW)]
    by_field = {f.name: 0 for f in site.vocabulary.fields}
    for demand in demands:
        for name in demand.fields:
            if name in by_field:
                by_field[name] += 1
    return {
        "totals": {"demands": len(demands), "open": sum(1 for d in demands if d.status == "open"),
                   "matched": sum(1 for d in demands if is_matched(d)), "offers": len(site.offers),
                   "organizations": len(site.organizations)},
        "demands_by_city": [{"code": code, "name": name, "count": len(groups[code])} for code, name in rows],
        "demands_by_field": [{"slug": f.slug, "name": f.name, "count": by_field[f.name]}
                             for f in site.vocabulary.fields],
        "match_rate": _rate_row(demands),
        "match_by_city": [{"code": code, "name": name, **_rate_row(groups[code])} for code, name in rows],
        "key_counties": [_key_county(site, county, demands) for county in _by_code(site.regions.of_level("county"))
                         if county.key],
        "waiting": waiting(site, today, waiting_limit),
        "today": today,
    }


def _key_county(site, county: Region, demands: list[Project]) -> dict:
    here = [d for d in demands if d.county == county.code]
    city = site.regions.get(county.parent)
    covering = [offer for offer in site.offers if offer_covers(site, offer, county.code)]
    row = _rate_row(here)
    return {"code": county.code, "name": county.name, "city": county.parent, "city_name": city.name if city else "",
            "demands": row["total"], "open": sum(1 for d in here if d.status == "open"),
            "matched": row["matched"], "rate": row["rate"], "offers": len(covering),
            "offers_open": sum(1 for offer in covering if offer.status == "open")}


def waiting(site, today: dt.date, limit: int = WAITING_LIMIT) -> list[dict]:
    """Open demands that have waited longest for an organization, oldest first."""
    open_ = [d for d in site.demands if d.status == "open" and d.published is not None]
    open_.sort(key=lambda d: (d.published, d.id))
    out = []
    for demand in open_[:limit]:
        county = site.regions.get(demand.county)
        out.append({"id": demand.id, "title": demand.title, "county": demand.county,
                    "county_name": county.name if county else "", "published": demand.published,
                    "days": (today - demand.published).days})
    return out


def region_figures(site, code: str, demands: list[Project] | None = None, covering: list[Project] | None = None,
                   organizations: int | None = None) -> dict:
    """The figure box of one region page (province, city, county or partner region). Keys:

    code, name, level       the region
    demands, open, matched  demands located in the region (a city's include its counties';
                            the province's are all demands, partner regions included)
    considered, rate        the match rate as in site_stats (None without a non-closed demand)
    organizations           organizations based there (org.county in the region)
    offers, offers_open     offers that cover it (offer_covers), all of them / those still open
    status_counts           {status code: count} for every demand status, in vocabulary order

    A build passes the region's demands, covering offers and organization count it has
    already grouped (one pass over all records instead of one per region).
    """
    region = site.regions.get(code)
    if demands is None:
        demands = [d for d in _sorted_demands(site) if in_region(site, d.county, code)]
    if covering is None:
        covering = [offer for offer in site.offers if offer_covers(site, offer, code)]
    if organizations is None:
        organizations = sum(1 for org in site.organizations.values() if in_region(site, org.county, code))
    row = _rate_row(demands)
    return {
        "code": code, "name": region.name if region else "", "level": region.level if region else "",
        "demands": row["total"], "open": sum(1 for d in demands if d.status == "open"),
        "matched": row["matched"], "considered": row["considered"], "rate": row["rate"],
        "organizations": organizations,
        "offers": len(covering), "offers_open": sum(1 for offer in covering if offer.status == "open"),
        "status_counts": {status: sum(1 for d in demands if d.status == status) for status in DEMAND_STATUSES},
    }
