"""Record pages defer their contexts (deferred.Deferred): a page whose key is unchanged is
taken over without rendering, so the key must change whenever the context would, through
every record the page shows (nearby demands, an organization's offers, recommendations)."""
from __future__ import annotations

from generator import list_digests
from generator.build import reference_date
from generator.fingerprint import key_fingerprint, page_fingerprint
from generator.matchindex import cached_matches, index_json
from generator.matching import MatchWeights, compute_matches
from generator.site import load_site
from generator.views_records import record_pages
from support import copy_sample_site

EDITS = [  # (file, text, replacement): each changes pages beyond the edited record's own
    ("data/projects/371323.yaml", "沂水县山区果品电商销售与消费帮扶", "沂水县山区果品电商销售"),
    ("data/projects/offers.yaml", "乡村互助养老服务站护理员培训与运营督导", "乡村互助养老服务站护理员培训"),
    ("data/projects/371721.yaml", "曹县农产品电商直播带货人才培训", "曹县农产品电商直播人才培训"),
    ("data/organizations.yaml", "0531-00000000", "0531-00000001"),
]
LISTS = ("demand_offers", "demand_orgs", "offer_demands", "org_demands")  # the match index's lists


def prints(site_dir) -> dict[str, tuple[str, str]]:
    """Each record page's (fingerprint by key, fingerprint by the context the key stands for)."""
    site, problems = load_site(site_dir, use_cache=False)
    assert not problems.errors
    matches = compute_matches(site, reference_date(site), MatchWeights.from_settings(site.settings))
    return {path: (key_fingerprint(b"", template, path, context.key),
                   page_fingerprint(b"", template, path, context.make(), {}))
            for path, template, context in record_pages(site, matches)}


def test_a_record_pages_key_changes_exactly_when_its_context_does(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    before = prints(site)
    for relative, text, replacement in EDITS:
        path = site / relative
        source = path.read_text(encoding="utf-8-sig")
        assert text in source
        path.write_text(source.replace(text, replacement, 1), encoding="utf-8")
        after = prints(site)
        assert after.keys() == before.keys()
        by_key = {page for page in after if after[page][0] != before[page][0]}
        by_context = {page for page in after if after[page][1] != before[page][1]}
        assert by_key == by_context, (relative, sorted(by_key ^ by_context))
        if "projects" in relative:
            assert len(by_context) > 1, relative  # the edit reaches pages that show the record
        before = after



def cached_keys(site_dir) -> tuple[dict[str, str], dict[str, str], int]:
    """Each record page's fingerprint by key with the match index as a build has it (from
    the cache, with the digests of its lists kept there; the cache then stored), the same
    with the index computed from nothing (each list digested as its page is listed), and
    how many lists the index has."""
    site, problems = load_site(site_dir)
    assert not problems.errors
    today = reference_date(site)
    index, store = cached_matches(site, today)
    index_json(index, today)
    if store is not None:
        store()
    computed = compute_matches(site, today, MatchWeights.from_settings(site.settings))
    cached, fresh = ({path: key_fingerprint(b"", template, path, context.key)
                      for path, template, context in record_pages(site, matches)} for matches in (index, computed))
    return cached, fresh, sum(len(getattr(index, name)) for name in LISTS)


def test_record_pages_keys_are_the_same_whether_the_lists_digests_were_kept_or_made(tmp_path, monkeypatch):
    """The digest standing for a recommendation list in a page's key is kept with the match
    index's cache: read back whole, or taken over from the earlier half for the lists an edit
    left as they were. A page whose recommendations an edit changed must still get a new key,
    and only the lists the edit changed are digested again."""
    site = copy_sample_site(tmp_path / "site")
    stored, computed, _lists = cached_keys(site)  # computed, its digests made and stored
    assert stored == computed
    stored, computed, _lists = cached_keys(site)  # read back whole
    assert stored == computed
    path = site / "data/projects/371726.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "并与爱心单位建立长期结对关系。", "并与爱心单位建立长期结对关系和养老服务。", 1), encoding="utf-8")
    digested = []
    real = list_digests.list_digest
    monkeypatch.setattr(list_digests, "list_digest", lambda items: digested.append(items) or real(items))
    after, computed, lists = cached_keys(site)  # both halves computed again from their states
    monkeypatch.undo()
    assert after == computed
    assert len({page for page in after if after[page] != stored[page]}) > 1  # the pages recommending it too
    assert 0 < len(digested) < lists / 4
