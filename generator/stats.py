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
import heapq
from collections import Counter
from operator import attrgetter

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


_STATUS = attrgetter("status")


def _statuses(records: list[Project]) -> Counter:
    """How many records have each status (one pass in C: the province's list is every demand)."""
    return Counter(map(_STATUS, records))


def _rate_row(demands: list[Project], statuses: Counter | None = None) -> dict:
    statuses = _statuses(demands) if statuses is None else statuses
    considered = len(demands) - statuses["closed"]
    matched = sum(statuses[status] for status in MATCHED_STATUSES)
    return {"total": len(demands), "considered": considered, "matched": matched, "rate": rate(matched, considered)}


def _by_code(items) -> list:
    return sorted(items, key=lambda region: region.code)


def _sorted_demands(site) -> list[Project]:
    return sorted(site.demands, key=lambda d: d.id)


def group_by_region(site, newest_demands: list | None = None) -> dict[str, dict[str, list]]:
    """One pass over all records: per region code, its demands (newest first: `newest_demands`
    when the caller has them in that order), its organizations and the offers that cover it
    (offer_covers: an offer naming a region covers it and all below it), open offers first.
    The region pages and site_stats share it (a pass per region or per key county took
    seconds at provincial scale). Each record goes straight to the lists of the regions
    its place lies in, found once per place."""
    groups: dict[str, dict[str, list]] = {code: {"demands": [], "orgs": [], "covering": []}
                                          for code in site.regions.by_code}
    places = {code: places_of(site, code) for code in site.regions.by_code}

    def lists(kind: str) -> dict[str, list[list]]:
        return {code: [groups[one][kind] for one in containing] for code, containing in places.items()}

    if newest_demands is None:
        newest_demands = sorted(site.demands, key=lambda d: (-d.published.toordinal(), d.id))
    demand_lists, org_lists = lists("demands"), lists("orgs")
    for demand in newest_demands:
        for here in demand_lists.get(demand.county, ()):
            here.append(demand)
    for org in sorted(site.organizations.values(), key=attrgetter("id")):
        for here in org_lists.get(org.county, ()):
            here.append(org)
    below: dict[str, list[str]] = {code: [code] for code in site.regions.by_code}
    for code, containing in places.items():
        for above in containing[1:]:
            below[above].append(code)
    reached_by: dict[tuple, list[list]] = {}  # most offers name one of a few hundred sets of regions
    for offer in sorted(site.offers, key=lambda p: (p.status != "open", -p.published.toordinal(), p.id)):
        named = tuple(offer.service_regions)
        reached = reached_by.get(named)
        if reached is None:
            reached = reached_by[named] = [groups[code]["covering"] for code in
                                           sorted({code for one in named for code in below.get(one, [])})]
        for here in reached:
            here.append(offer)
    return groups


def site_stats(site, today: dt.date, waiting_limit: int = WAITING_LIMIT, groups: dict | None = None) -> dict:
    """All figures of /stats/ (`groups`: group_by_region's, when the caller has them). Keys:

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
    demands = site.demands  # counted only: in any order
    groups = groups if groups is not None else group_by_region(site)
    cities = _by_code(site.regions.of_level("city"))
    by_city: dict[str | None, list[Project]] = {city.code: groups[city.code]["demands"] for city in cities}
    by_city[None] = [d for region in _by_code(site.regions.of_level("partner")) for d in groups[region.code]["demands"]]
    rows = [(city.code, city.name) for city in cities] + [(None, PARTNER_ROW)]
    by_field = {f.name: 0 for f in site.vocabulary.fields}
    for demand in demands:
        for name in demand.fields:
            if name in by_field:
                by_field[name] += 1
    statuses = _statuses(demands)
    return {
        "totals": {"demands": len(demands), "open": statuses["open"],
                   "matched": sum(statuses[status] for status in MATCHED_STATUSES), "offers": len(site.offers),
                   "organizations": len(site.organizations)},
        "demands_by_city": [{"code": code, "name": name, "count": len(by_city[code])} for code, name in rows],
        "demands_by_field": [{"slug": f.slug, "name": f.name, "count": by_field[f.name]}
                             for f in site.vocabulary.fields],
        "match_rate": _rate_row(demands, statuses),
        "match_by_city": [{"code": code, "name": name, **_rate_row(by_city[code])} for code, name in rows],
        "key_counties": [_key_county(site, county, groups)
                         for county in _by_code(site.regions.of_level("county")) if county.key],
        "waiting": _waiting(site, demands, today, waiting_limit),
        "today": today,
    }


def _key_county(site, county: Region, groups: dict) -> dict:
    here, covering = groups[county.code]["demands"], groups[county.code]["covering"]
    city = site.regions.get(county.parent)
    statuses = _statuses(here)
    row = _rate_row(here, statuses)
    return {"code": county.code, "name": county.name, "city": county.parent, "city_name": city.name if city else "",
            "demands": row["total"], "open": statuses["open"],
            "matched": row["matched"], "rate": row["rate"], "offers": len(covering),
            "offers_open": _statuses(covering)["open"]}


def _waiting(site, demands: list[Project], today: dt.date, limit: int) -> list[dict]:
    """Open demands that have waited longest for an organization, oldest first."""
    open_ = [d for d in demands if d.status == "open" and d.published is not None]
    out = []
    for demand in heapq.nsmallest(limit, open_, key=lambda d: (d.published, d.id)):
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
    statuses = _statuses(demands)
    row = _rate_row(demands, statuses)
    return {
        "code": code, "name": region.name if region else "", "level": region.level if region else "",
        "demands": row["total"], "open": statuses["open"],
        "matched": row["matched"], "considered": row["considered"], "rate": row["rate"],
        "organizations": organizations,
        "offers": len(covering), "offers_open": _statuses(covering)["open"],
        "status_counts": {status: statuses[status] for status in DEMAND_STATUSES},
    }
