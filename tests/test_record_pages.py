"""Record pages defer their contexts (deferred.Deferred): a page whose key is unchanged is
taken over without rendering, so the key must change whenever the context would, through
every record the page shows (nearby demands, an organization's offers, recommendations)."""
from __future__ import annotations

from generator.build import reference_date
from generator.fingerprint import key_fingerprint, page_fingerprint
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
