"""Atom feeds of demands, for organizations that follow a county or a field.

Feeds (site paths from urls.feed):
- feeds/demands.xml             every demand
- feeds/regions/<code>.xml      one city (its counties' demands included), county or partner region
- feeds/fields/<slug>.xml       one field of work

Each feed holds the newest FEED_SIZE demands, published date descending, then id.
Nothing depends on the build's time: an entry's published/updated time is its
published date at 00:00 China time (UTC+8); a feed's updated time is its newest
entry's, or EMPTY_UPDATED for a feed with no entries. Entry ids are the entry's
absolute link when siteurl is given, else tag:zhuanlan,<published>:demands/<id>;
without a siteurl links are relative to the feed file, so they resolve wherever
the site is deployed.
"""
from __future__ import annotations

import datetime as dt
from html import escape

from feedgenerator import Atom1Feed

from . import urls
from .deferred import Deferred, made
from .fingerprint import record_digests
from .stats import places_of

FEED_SIZE = 50
CHINA = dt.timezone(dt.timedelta(hours=8))
EMPTY_UPDATED = dt.datetime(2000, 1, 1, tzinfo=CHINA)


class _Feed(Atom1Feed):
    """Atom1Feed whose `updated` never falls back to the clock."""

    def latest_post_date(self):
        dates = [item["updateddate"] or item["pubdate"] for item in self.items]
        dates = [date for date in dates if date is not None]
        return max(dates) if dates else EMPTY_UPDATED


def moment(date: dt.date) -> dt.datetime:
    """A published date as the instant an entry was published: 00:00 in UTC+8."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=CHINA)


def newest(demands, limit: int | None = FEED_SIZE) -> list:
    """Newest first by published date, then by id; demands without a date are left out
    (all of them when limit is None)."""
    dated = [d for d in demands if d.published is not None]
    dated.sort(key=lambda d: (-d.published.toordinal(), d.id))
    return dated[:limit]


def _link(siteurl: str, target: str, feed_path: str) -> str:
    return f"{siteurl}/{target}" if siteurl else urls.relative(target, feed_path)


def render_feed(site, siteurl: str, feed_path: str, page_path: str, title: str, demands) -> bytes:
    """One Atom feed as UTF-8 bytes. page_path is the site page the feed belongs to."""
    siteurl = siteurl.rstrip("/")
    settings = site.settings or {}
    feed = _Feed(
        title=title, link=_link(siteurl, page_path, feed_path),
        description=settings.get("subtitle") or settings.get("title") or "",
        language="zh-CN", author_name=settings.get("host_unit") or settings.get("title") or "社会组织参与乡村振兴",
        feed_url=_link(siteurl, feed_path, feed_path),
        feed_guid=f"{siteurl}/{feed_path}" if siteurl else f"tag:zhuanlan,2000-01-01:{feed_path}")
    for demand in newest(demands):
        record = urls.record("demands", demand.id)
        when = moment(demand.published)
        county = site.regions.get(demand.county)
        categories = [name for name in (*demand.fields, county.name if county else None) if name]
        feed.add_item(
            title=demand.title, link=_link(siteurl, record, feed_path),
            # Atom summary type="html": escaping the plain text keeps it plain text in any reader.
            description=escape(demand.summary, quote=False),
            pubdate=when, updateddate=when, categories=categories,
            unique_id=f"{siteurl}/{record}" if siteurl else
            f"tag:zhuanlan,{demand.published.isoformat()}:demands/{demand.id}")
    return feed.writeString("utf-8").encode("utf-8")


def demand_feeds(site, siteurl: str) -> dict[str, bytes]:
    """Site path -> Atom feed bytes for all demands, every region and every field."""
    return {path: made(data) for path, data in feed_files(site, siteurl).items()}


def feed_files(site, siteurl: str) -> dict[str, Deferred]:
    """demand_feeds, each feed deferred (deferred.Deferred: a build takes it over from the output
    while its entries are the same records). The demands are ordered newest first once, and
    each feed's shown from that order (a sort per feed was most of the time of an edit build's feeds)."""
    name = (site.settings or {}).get("title") or "社会组织参与乡村振兴"
    ordered = newest(site.demands, None)

    def feed(path: str, page: str, title: str, shown: list) -> Deferred:
        return Deferred(key=[siteurl, page, title, record_digests(shown)],
                        make=lambda: render_feed(site, siteurl, path, page, title, shown))

    files = {urls.feed(): feed(urls.feed(), urls.listing("demands"), f"{name}：最新需求项目", ordered[:FEED_SIZE])}
    regions = [r for r in site.regions.by_code.values() if r.level in ("city", "county", "partner")]
    by_region: dict[str, list] = {}
    by_field: dict[str, list] = {field.name: [] for field in site.vocabulary.fields}
    places: dict[str, list[str]] = {}  # by county: a few hundred
    for demand in ordered:
        county = demand.county
        if county not in places:
            places[county] = places_of(site, county)
        for code in places[county]:
            shown = by_region.setdefault(code, [])
            if len(shown) < FEED_SIZE:
                shown.append(demand)
        for field in demand.fields:
            shown = by_field.get(field)
            if shown is not None and len(shown) < FEED_SIZE and not (shown and shown[-1] is demand):
                shown.append(demand)
    for region in sorted(regions, key=lambda r: r.code):
        path = urls.feed("regions", region.code)
        files[path] = feed(path, urls.record("regions", region.code), f"{name}：{region.name}需求项目",
                           by_region.get(region.code, []))
    for field in site.vocabulary.fields:
        path = urls.feed("fields", field.slug)
        files[path] = feed(path, urls.record("fields", field.slug), f"{name}：{field.name}领域需求项目",
                           by_field[field.name])
    return dict(sorted(files.items()))
