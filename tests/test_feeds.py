"""Atom feeds of demands: parseable, ordered, stable ids, no clock."""
from __future__ import annotations

import datetime as dt
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator import urls
from generator.feeds import FEED_SIZE, demand_feeds
from generator.projects import Project
from generator.regions import Region, Regions
from generator.site import Site, load_site
from generator.vocabulary import Field, Vocabulary
from support import REPO

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def sample():
    site, _problems = load_site(REPO, use_cache=False)
    return site, demand_feeds(site, "")


def entries(data: bytes) -> list[ET.Element]:
    return ET.fromstring(data).findall(f"{A}entry")


def ids_in_order(demands) -> list[str]:
    return [d.id for d in sorted(demands, key=lambda d: (-d.published.toordinal(), d.id))]


def entry_ids(data: bytes) -> list[str]:
    return [e.find(f"{A}link").get("href").rstrip("/").rsplit("/", 1)[-1] for e in entries(data)]


def test_paths(sample):
    site, feeds = sample
    assert urls.feed() in feeds
    for region in site.regions.by_code.values():
        assert (urls.feed("regions", region.code) in feeds) == (region.level != "province")
    for field in site.vocabulary.fields:
        assert urls.feed("fields", field.slug) in feeds
    assert all(data.startswith(b'<?xml version="1.0" encoding="utf-8"?>') for data in feeds.values())


def test_all_demands_newest_first(sample):
    site, feeds = sample
    data = feeds[urls.feed()]
    assert entry_ids(data) == ids_in_order(site.demands)[:FEED_SIZE]
    root = ET.fromstring(data)
    assert root.find(f"{A}title").text.endswith("最新需求项目")
    newest = max(d.published for d in site.demands)
    assert root.find(f"{A}updated").text == f"{newest.isoformat()}T00:00:00+08:00"


def test_county_and_city_feeds(sample):
    site, feeds = sample
    cao = feeds[urls.feed("regions", "371721")]
    assert entry_ids(cao) == ids_in_order([d for d in site.demands if d.county == "371721"])
    assert len(entries(cao)) == 5
    heze = entry_ids(feeds[urls.feed("regions", "371700")])
    assert set(entry_ids(cao)) <= set(heze)
    assert len(heze) == sum(1 for d in site.demands if d.county.startswith("3717"))
    assert len(entries(feeds[urls.feed("regions", "500243")])) == 1
    care = entry_ids(feeds[urls.feed("fields", "care")])
    assert care == ids_in_order([d for d in site.demands if d.fields == ["特殊群体关爱"]])


def test_entry_content(sample):
    site, feeds = sample
    path = urls.feed("regions", "371721")
    entry = next(e for e in entries(feeds[path]) if e.find(f"{A}id").text.endswith("d-371721-2025-001"))
    demand = site.projects["d-371721-2025-001"]
    assert entry.find(f"{A}title").text == demand.title
    assert entry.find(f"{A}summary").text == demand.summary
    assert entry.find(f"{A}id").text == "tag:zhuanlan,2025-03-01:demands/d-371721-2025-001"
    assert entry.find(f"{A}updated").text == "2025-03-01T00:00:00+08:00"
    assert [c.get("term") for c in entry.findall(f"{A}category")] == ["特殊群体关爱", "曹县"]
    link = entry.find(f"{A}link").get("href")
    assert posixpath.normpath(posixpath.join(posixpath.dirname(path), link)) + "/" == \
        urls.record("demands", demand.id), "relative links resolve from the feed's own folder"


def test_empty_feed_has_a_fixed_date(sample):
    _site, feeds = sample
    root = ET.fromstring(feeds[urls.feed("regions", "370102")])
    assert root.findall(f"{A}entry") == []
    assert root.find(f"{A}updated").text == "2000-01-01T00:00:00+08:00"


def test_with_siteurl_links_and_ids_are_absolute(sample):
    site, _feeds = sample
    feeds = demand_feeds(site, "https://example.gov.cn/col/xczx/")
    root = ET.fromstring(feeds[urls.feed("fields", "care")])
    entry = root.find(f"{A}entry")
    href = entry.find(f"{A}link").get("href")
    assert href.startswith("https://example.gov.cn/col/xczx/demands/") and "//demands" not in href
    assert entry.find(f"{A}id").text == href
    assert root.find(f"{A}id").text == "https://example.gov.cn/col/xczx/feeds/fields/care.xml"


def test_newest_fifty_and_escaping():
    regions = Regions()
    for region in (Region("370000", "山东省", "province"), Region("371700", "菏泽市", "city", parent="370000"),
                   Region("371721", "曹县", "county", parent="371700")):
        regions.by_code[region.code] = region
    regions.province = regions.by_code["370000"]
    site = Site(Path("."), settings={"title": "专栏"}, regions=regions,
                vocabulary=Vocabulary([Field("industry", "产业发展")], [], []))
    for i in range(60):
        site.projects[f"d-{i:02}"] = Project(
            id=f"d-{i:02}", kind="demand", path="", node=None, title=f"<b>需求{i}</b>", summary="A & B <i>",
            county="371721", fields=["产业发展"] * (1 + (i == 59)), status="open",  # d-59 names its field twice
            published=dt.date(2025, 1, 1 + i // 3))
    feeds = demand_feeds(site, "")
    newest = ids_in_order(site.projects.values())[:FEED_SIZE]
    for path in (urls.feed(), urls.feed("regions", "371700"), urls.feed("fields", "industry")):
        assert entry_ids(feeds[path]) == newest, path  # the city's and the field's feeds too, each demand once
    data = feeds[urls.feed("regions", "371721")]
    found = entries(data)
    assert len(found) == FEED_SIZE
    assert entry_ids(data) == ids_in_order(site.projects.values())[:FEED_SIZE]
    assert entry_ids(data)[:3] == ["d-57", "d-58", "d-59"]
    assert found[0].find(f"{A}title").text == "<b>需求57</b>"
    assert b"<b>" not in data and b"<i>" not in data
    assert feeds == demand_feeds(site, "")


def test_deterministic(sample):
    site, feeds = sample
    assert demand_feeds(site, "") == feeds
