"""The bundled sample site: clean, labelled as sample, and covering every value
of the data model so that every page and rule has something to show."""
from __future__ import annotations

import pytest

from generator.regions import COUNTY_KINDS
from generator.site import load_site
from generator.vocabulary import DEMAND_STATUSES, ORG_LEVELS, ORG_TYPES, POLICY_LEVELS, POLICY_STATUSES, \
    SUPPLY_STATUSES
from support import REPO


@pytest.fixture(scope="module")
def sample():
    site, problems = load_site(REPO, use_cache=False)
    return site, problems


def test_sample_site_has_no_problems(sample):
    _site, problems = sample
    assert list(problems) == []


def test_sample_uses_the_real_region_list(sample):
    site, _ = sample
    assert len(site.regions.of_level("city")) == 16
    assert len(site.regions.of_level("county")) == 136
    assert {r.kind for r in site.regions.of_level("county")} == set(COUNTY_KINDS)
    assert site.regions.of_level("partner"), "a partner region outside the province"
    assert "示例" in site.regions.note  # key counties in the sample are marked as sample, not official


def test_sample_covers_every_value(sample):
    site, _ = sample
    demands, offers, orgs = site.demands, site.offers, list(site.organizations.values())
    fields = {f.name for f in site.vocabulary.fields}
    assert {d.fields[0] for d in demands} == fields
    assert {f for o in offers for f in o.fields} == fields
    forms = set(site.vocabulary.forms)
    assert {f for d in demands for f in d.forms} == forms
    assert {f for o in offers for f in o.forms} == forms
    assert {d.status for d in demands} == set(DEMAND_STATUSES)
    assert {o.status for o in offers} == set(SUPPLY_STATUSES)
    assert {o.type for o in orgs} == set(ORG_TYPES)
    assert {o.level for o in orgs} == set(ORG_LEVELS)
    assert {o.category for o in orgs} == set(site.vocabulary.categories)
    policies = site.pages["policies"]
    assert {p.meta["level"] for p in policies} == set(POLICY_LEVELS)
    assert {p.meta["status"] for p in policies} == set(POLICY_STATUSES)
    levels = {site.regions.get(code).level for o in offers for code in o.service_regions}
    assert levels == {"province", "city", "county", "partner"}
    demand_regions = [site.regions.get(d.county) for d in demands]
    assert {r.level for r in demand_regions} == {"county", "partner"}
    assert any(r.key for r in demand_regions)


def test_sample_records_are_labelled_as_sample(sample):
    site, _ = sample
    assert "示例" in site.settings["sample_notice"]
    assert all("示例" in org.name for org in site.organizations.values())
    assert all("示例" in page.title or "示例" in page.meta.get("doc_number", "示例")
               for page in site.pages["policies"])
