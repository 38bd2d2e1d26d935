"""Figures for /stats/ and region pages, checked the way a reader would check them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.projects import Project
from generator.regions import Region, Regions
from generator.site import Site, load_site
from generator.stats import offer_covers, region_figures, site_stats
from generator.vocabulary import Field, Vocabulary
from support import REPO

TODAY = dt.date(2025, 10, 1)


@pytest.fixture(scope="module")
def sample():
    site, _problems = load_site(REPO, use_cache=False)
    return site


def tiny_site(demands=(), offers=()) -> Site:
    """A province with two cities, three counties (one key) and a partner county."""
    regions = Regions()
    for region in (Region("370000", "山东省", "province"), Region("371700", "菏泽市", "city", parent="370000"),
                   Region("371721", "曹县", "county", parent="371700", key=True),
                   Region("371722", "单县", "county", parent="371700"),
                   Region("371300", "临沂市", "city", parent="370000"),
                   Region("371323", "沂水县", "county", parent="371300"),
                   Region("500243", "彭水县", "partner")):
        regions.by_code[region.code] = region
    regions.province = regions.by_code["370000"]
    site = Site(Path("."), regions=regions,
                vocabulary=Vocabulary([Field("industry", "产业发展"), Field("care", "特殊群体关爱")], [], []))
    for project in (*demands, *offers):
        site.projects[project.id] = project
    return site


def demand(id_, county, status="open", published=dt.date(2025, 3, 1), field="产业发展") -> Project:
    return Project(id=id_, kind="demand", path="", node=None, title=id_, county=county, status=status,
                   fields=[field], published=published, matched_orgs=["x"] if status != "open" else [])


def offer(id_, *regions, status="open") -> Project:
    return Project(id=id_, kind="supply", path="", node=None, title=id_, service_regions=list(regions), status=status,
                   published=dt.date(2025, 1, 1))


def test_offer_covers_county_city_province_and_named_partners():
    site = tiny_site()
    province, city, county, partner = offer("p", "370000"), offer("c", "371700"), offer("k", "371721"), \
        offer("w", "500243")
    assert offer_covers(site, province, "371721") and offer_covers(site, city, "371721")
    assert offer_covers(site, county, "371721") and not offer_covers(site, county, "371722")
    assert not offer_covers(site, city, "371323")
    assert not offer_covers(site, province, "500243"), "the province code does not reach partner regions"
    assert offer_covers(site, partner, "500243") and not offer_covers(site, partner, "371721")
    assert offer_covers(site, city, "371700") and not offer_covers(site, county, "371700")
    assert not offer_covers(site, province, "999999")


def test_match_rate_excludes_closed_demands():
    site = tiny_site([demand("a", "371721", "matched"), demand("b", "371721", "in_progress"),
                      demand("c", "371721", "completed"), demand("d", "371722"), demand("e", "371722", "closed"),
                      demand("f", "500243")])
    stats = site_stats(site, TODAY)
    assert stats["match_rate"] == {"total": 6, "considered": 5, "matched": 3, "rate": 0.6}
    linyi, heze, partners = stats["match_by_city"]
    assert (heze["name"], heze["matched"], heze["considered"], heze["rate"]) == ("菏泽市", 3, 4, 0.75)
    assert linyi["rate"] is None, "no demands: no rate rather than 0%"
    assert (partners["name"], partners["rate"]) == ("省外协作地区", 0)
    assert [(r["name"], r["count"]) for r in stats["demands_by_city"]] == [("临沂市", 0), ("菏泽市", 5),
                                                                          ("省外协作地区", 1)]


def test_key_county_coverage():
    site = tiny_site([demand("a", "371721", "matched"), demand("b", "371721")],
                     [offer("p", "370000"), offer("c", "371700", status="full"), offer("l", "371300"),
                      offer("w", "500243")])
    [row] = site_stats(site, TODAY)["key_counties"]
    assert (row["name"], row["city_name"], row["demands"], row["matched"], row["open"]) == ("曹县", "菏泽市", 2, 1, 1)
    assert (row["offers"], row["offers_open"]) == (2, 1)


def test_waiting_longest_uses_the_given_date():
    site = tiny_site([demand(f"d{i:02}", "371721", published=dt.date(2025, 1, 1) + dt.timedelta(days=i // 2))
                      for i in range(14)] + [demand("old-but-matched", "371721", "matched", dt.date(2024, 1, 1))])
    waiting = site_stats(site, TODAY)["waiting"]
    assert [w["id"] for w in waiting] == [f"d{i:02}" for i in range(10)]
    assert waiting[0]["days"] == (TODAY - dt.date(2025, 1, 1)).days and waiting[0]["county_name"] == "曹县"
    later = site_stats(site, TODAY + dt.timedelta(days=30))["waiting"]
    assert later[0]["days"] == waiting[0]["days"] + 30


def test_sample_demands_by_city(sample):
    stats = site_stats(sample, TODAY)
    rows = stats["demands_by_city"]
    cities = sorted(r.code for r in sample.regions.of_level("city"))
    assert [r["code"] for r in rows] == cities + [None] and rows[-1]["name"] == "省外协作地区"
    assert sum(r["count"] for r in rows) == len(sample.demands)
    heze = next(r for r in rows if r["name"] == "菏泽市")
    assert heze["count"] == sum(1 for d in sample.demands if d.county.startswith("3717"))
    assert next(r for r in rows if r["name"] == "青岛市")["count"] == 0


def test_sample_demands_by_field(sample):
    rows = site_stats(sample, TODAY)["demands_by_field"]
    assert [r["slug"] for r in rows] == [f.slug for f in sample.vocabulary.fields]
    assert sum(r["count"] for r in rows) == len(sample.demands)


def test_sample_key_counties(sample):
    rows = site_stats(sample, TODAY)["key_counties"]
    assert [r["code"] for r in rows] == sorted(r.code for r in sample.regions.of_level("county") if r.key)
    cao = next(r for r in rows if r["name"] == "曹县")
    here = [d for d in sample.demands if d.county == "371721"]
    assert cao["demands"] == len(here)
    assert cao["matched"] == sum(1 for d in here if d.status in ("matched", "in_progress", "completed"))
    assert cao["offers"] == sum(1 for o in sample.offers if {"371721", "371700", "370000"} & set(o.service_regions))


def test_sample_waiting(sample):
    waiting = site_stats(sample, TODAY)["waiting"]
    assert len(waiting) == min(10, sum(1 for d in sample.demands if d.status == "open"))
    keys = [(w["published"], w["id"]) for w in waiting]
    assert keys == sorted(keys)
    assert all(sample.projects[w["id"]].status == "open" for w in waiting)


def test_region_figures(sample):
    heze, counties = region_figures(sample, "371700"), [r for r in sample.regions.of_level("county")
                                                         if r.parent == "371700"]
    assert heze["demands"] == sum(region_figures(sample, c.code)["demands"] for c in counties)
    assert heze["organizations"] == sum(1 for o in sample.organizations.values()
                                        if o.county == "371700" or o.county.startswith("3717"))
    cao = region_figures(sample, "371721")
    assert (cao["name"], cao["level"], cao["demands"]) == ("曹县", "county", 5)
    assert sum(cao["status_counts"].values()) == cao["demands"]
    province = region_figures(sample, "370000")  # the demands located in the province, as on its page
    assert province["demands"] == len([d for d in sample.demands if d.county != "500243"])
    pengshui = region_figures(sample, "500243")
    assert pengshui["offers"] == sum(1 for o in sample.offers if "500243" in o.service_regions)


def test_deterministic(sample):
    assert site_stats(sample, TODAY) == site_stats(sample, TODAY)
    assert repr(site_stats(sample, TODAY)) == repr(site_stats(sample, TODAY))
