"""Pages of records: demands, offers and organizations — listings (paged, and
browsable by city and by field) and one page per record."""
from __future__ import annotations

from functools import partial
from operator import itemgetter
from typing import Callable, NamedTuple

from . import urls
from .collector import paused
from .deferred import Deferred
from .fingerprint import record_digest, record_digests
from .list_digests import list_digest
from .listing import paginate
from .projects import takes_candidates
from .stats import city_of as _city
from .stored_lists import StoredLists


def city_of(site, code: str | None) -> str | None:
    """The city of a place for browsing by city; a partner region stands as its own city."""
    region = site.regions.get(code)
    return region.code if region is not None and region.level == "partner" else _city(site, code)


def facet_cities(site) -> list:
    cities = sorted(site.regions.of_level("city"), key=lambda r: r.code)
    return cities + sorted(site.regions.of_level("partner"), key=lambda r: r.code)


def offer_cities(site, offer) -> set[str]:
    """The cities (and partner regions) an offer serves at least in part."""
    out: set[str] = set()
    for code in offer.service_regions:
        region = site.regions.get(code)
        if region is None:
            continue
        if region.level == "province":
            out.update(r.code for r in site.regions.of_level("city"))
        else:
            out.add(city_of(site, code))
    return out


def _cities_of(site, kind: str, record) -> set[str]:
    if kind == "offers":
        return offer_cities(site, record)
    city = city_of(site, record.county)
    return {city} if city else set()


class Facets(NamedTuple):
    """A listing's views by city and by field: (code or slug, name, count) of each. Hashable:
    the theme makes their links once per listing view (theme.Parts)."""
    kind: str
    cities: tuple
    fields: tuple


def _listing_page(heading: str, shown: list, digests: list[str], info, facets: Facets, facets_key: list, facet, value,
                  item: str, crumbs: list) -> Deferred:
    """A listing page whose key stands for its context: the digests of the records it shows
    (`digests`), its place among the pages and its facets' counts (regions and fields are in
    the global digest)."""
    return Deferred(
        key=[heading, digests, info.key(), facets_key, facet, value, item, crumbs],
        make=lambda: {"heading": heading, "records": shown, "pages": info, "facets": facets, "facet": facet,
                      "facet_value": value, "item": item, "crumbs": crumbs})


def _listing_pages(site, kind: str, title: str, records: list, item: str):
    per_page = site.settings["per_page"]
    by_city: dict[str, list] = {}
    by_field: dict[str, list] = {}
    cities_of: dict[object, tuple] = {}  # by county, or by an offer's service regions: a few hundred of each
    for record in records:
        place = tuple(record.service_regions) if kind == "offers" else record.county
        cities = cities_of.get(place)
        if cities is None:
            cities = cities_of[place] = tuple(_cities_of(site, kind, record))
        for city in cities:
            by_city.setdefault(city, []).append(record)
        for name in record.fields:
            by_field.setdefault(name, []).append(record)
    views = [(None, None, title, records)]
    city_counts, field_counts = [], []
    for city in facet_cities(site):
        if by_city.get(city.code):
            city_counts.append((city, len(by_city[city.code])))
            views.append(("city", city.code, f"{title}：{city.name}", by_city[city.code]))
    for field in site.vocabulary.fields:
        if by_field.get(field.name):
            field_counts.append((field, len(by_field[field.name])))
            views.append(("field", field.slug, f"{title}：{field.name}", by_field[field.name]))
    facets = Facets(kind, tuple((city.code, city.name, n) for city, n in city_counts),
                    tuple((field.slug, field.name, n) for field, n in field_counts))
    facets_key = [kind, [(city.code, n) for city, n in city_counts], [(field.slug, n) for field, n in field_counts]]
    for facet, value, heading, chosen in views:
        digests = record_digests(chosen)  # once per list, sliced per page
        for path, shown, info in paginate(chosen, per_page, kind, facet, value):
            crumbs = [{"path": urls.listing(kind), "name": title}] if facet else []
            crumbs.append({"path": None, "name": heading if info.number == 1 else f"{heading}（第 {info.number} 页）"})
            first = (info.number - 1) * per_page
            yield path, "listing.html", _listing_page(heading, shown, digests[first:first + per_page], info, facets,
                                                      facets_key, facet, value, item, crumbs)


def _demand_order(site, project) -> tuple:
    """Open demands first, key assistance counties first among them, then newest."""
    region = site.regions.get(project.county)
    return (project.status != "open", not (region and region.key), -project.published.toordinal(), project.id)


def _shown(records: dict, items: list[dict]) -> list[dict]:
    """Recommendations for a page: the record itself, its score and its reasons' texts."""
    return [{"r": records[item["id"]], "score": item["score"], "reasons": [r["text"] for r in item["reasons"]]}
            for item in items if item["id"] in records]


def _ordered(site) -> tuple[list, list, list]:
    """Demands, offers and organizations in the order listings show them."""
    demands = sorted(site.demands, key=lambda p: _demand_order(site, p))
    offers = sorted(site.offers, key=lambda p: (p.status != "open", -p.published.toordinal(), p.id))
    orgs = sorted(site.organizations.values(), key=lambda o: (o.level != "省管", o.county or "", o.id))
    return demands, offers, orgs


def listing_pages(site) -> list:
    """Every listing page of demands, offers and organizations (they show no recommendations,
    so the build makes them while the match index is computed). The collector is paused
    meanwhile (collector.py): the specs are tens of thousands of small objects, all kept."""
    with paused(freeze=True):
        demands, offers, orgs = _ordered(site)
        return [*_listing_pages(site, "demands", "需求项目", demands, "project"),
                *_listing_pages(site, "offers", "供给项目", offers, "project"),
                *_listing_pages(site, "orgs", "社会组织", orgs, "org")]


_ID = itemgetter("id")
_NO_LIST = (list, [None, []])  # a page without recommendations of a kind: no list, and its key


class _Lists:
    """One kind of recommendation lists (an attribute of matching.MatchIndex, by id) as
    the record pages show them and stand for them in their keys."""

    def __init__(self, matches, attribute: str, named: dict[str, str]) -> None:
        self.lists = getattr(matches, attribute) if matches else {}
        self.digests = matches.digests.get(attribute, {}) if matches else {}
        self.named = named  # the digest of each record a list may name, by id
        # a half read back by its summary: each list's digest and the ids it names, without reading it
        self.entries = self.lists.entries if type(self.lists) is StoredLists else None

    def of(self, ident: str) -> tuple[Callable[[], list], list]:
        """What gives `ident`'s list (read only for a page rendered: a list read back by
        its half's summary is read then, stored_lists.py) and what stands for it in its
        page's key: the list's digest (list_digests.py; kept with the index, else made now)
        and the digests of the records it names (None for one the site does not have)."""
        if self.entries is not None:
            entry = self.entries.get(ident)
            if entry is None:
                return _NO_LIST
            return partial(self.lists.__getitem__, ident), [entry[2], list(map(self.named.get, entry[3]))]
        items = self.lists.get(ident)
        if items is None:
            return _NO_LIST
        return (lambda: items), [self.digests.get(ident) or list_digest(items), list(map(self.named.get, map(_ID, items)))]


def _demand_page(site, demand, nearby: list, offers: tuple, orgs: tuple, expired: bool) -> Deferred:
    (offers, offers_key), (orgs, orgs_key) = offers, orgs
    return Deferred(
        key=[record_digest(demand), record_digests(nearby), offers_key, orgs_key, expired],
        make=lambda: {"p": demand, "nearby": nearby, "rec_offers": _shown(site.projects, offers()),
                      "rec_orgs": _shown(site.organizations, orgs()), "rec_expired": expired,
                      "rec_wanted": takes_candidates(demand),
                      "crumbs": [{"path": "demands/", "name": "需求项目"}, {"path": None, "name": demand.title}]})


def _offer_page(site, offer, demands: tuple) -> Deferred:
    demands, demands_key = demands
    return Deferred(
        key=[record_digest(offer), demands_key],
        make=lambda: {"p": offer, "rec_demands": _shown(site.projects, demands()),
                      "crumbs": [{"path": "offers/", "name": "供给项目"}, {"path": None, "name": offer.title}]})


def _org_page(site, org, offers: list, taken: list, demands: tuple) -> Deferred:
    demands, demands_key = demands
    return Deferred(
        key=[record_digest(org), record_digests(offers), record_digests(taken), demands_key],
        make=lambda: {"o": org, "offers": offers, "taken": taken, "rec_demands": _shown(site.projects, demands()),
                      "crumbs": [{"path": "orgs/", "name": "社会组织"}, {"path": None, "name": org.name}]})


def record_pages(site, matches=None):
    """The page of every demand, offer and organization, with the match index's
    recommendations (matching.MatchIndex) when given. Their contexts are deferred
    (deferred.Deferred): made only for the pages rendered. A page's key names its
    recommendations by their list's digest (list_digests.py), not by the list itself: the
    parent makes the keys of all 40,000 pages on every build, and marshalling the lists'
    nested dicts into them was most of that."""
    demands, offers, orgs = _ordered(site)
    project_digests = dict(zip(site.projects, record_digests(site.projects.values())))
    org_digests = dict(zip(site.organizations, record_digests(site.organizations.values())))
    taken: dict[str, list] = {}
    open_by_county: dict[str, list] = {}
    for demand in demands:
        for org_id in demand.matched_orgs:
            taken.setdefault(org_id, []).append(demand)
        if demand.status == "open":
            open_by_county.setdefault(demand.county, []).append(demand)
    offers_by_org: dict[str, list] = {}
    for offer in offers:
        offers_by_org.setdefault(offer.org, []).append(offer)
    demand_offers, demand_orgs = _Lists(matches, "demand_offers", project_digests), \
        _Lists(matches, "demand_orgs", org_digests)
    offer_demands, org_demands = _Lists(matches, "offer_demands", project_digests), \
        _Lists(matches, "org_demands", project_digests)
    for demand in demands:
        nearby = [d for d in open_by_county.get(demand.county, [])[:6] if d.id != demand.id][:5]
        expired = bool(matches) and demand.id not in demand_offers.lists
        yield urls.record("demands", demand.id), "demand.html", _demand_page(
            site, demand, nearby, demand_offers.of(demand.id), demand_orgs.of(demand.id), expired)
    for offer in offers:
        yield urls.record("offers", offer.id), "offer.html", _offer_page(site, offer, offer_demands.of(offer.id))
    for org in orgs:
        yield urls.record("orgs", org.id), "org.html", _org_page(
            site, org, offers_by_org.get(org.id, []), taken.get(org.id, []), org_demands.of(org.id))
