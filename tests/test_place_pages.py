"""Place and listing pages defer their contexts (deferred.Deferred): a page whose fingerprint
is unchanged is taken over without rendering, so its key must change whenever the page would
read differently — through the records it shows, its figures and its facets' counts."""
from __future__ import annotations

import re

from generator import urls
from generator.build import reference_date
from generator.deferred import Deferred, made
from generator.fingerprint import global_digest, key_fingerprint, page_fingerprint
from generator.site import load_site
from generator.theme import environment
from generator.views_places import place_pages
from generator.views_records import listing_pages
from support import copy_sample_site, run_cli

EDITS = [  # (file, text, replacement, the edited record's page)
    ("data/projects/371323.yaml", "title: 沂水县山区果品电商销售与消费帮扶",
     "title: 沂水县山区果品电商销售", "demands/d-371323-2025-002/"),
    ("data/projects/offers.yaml", 'service_regions: ["370000"]', 'service_regions: ["371700"]',
     "offers/s-care-elderly-2025/"),
    ("data/organizations.yaml", "name: 山东省示例社会工作服务中心",
     "name: 山东省示例社工服务中心", "orgs/52370000MJD000001W/"),
]


def pages(site_dir) -> dict[str, tuple[str, str]]:
    """Each place and listing page's (fingerprint as the build takes it, rendered text)."""
    site, problems = load_site(site_dir, use_cache=False)
    assert not problems.errors
    base, env, out = global_digest(site), environment(site), {}
    for path, template, context in [*place_pages(site, reference_date(site), "/col/xczx"), *listing_pages(site)]:
        name = urls.output_file(path)
        print_ = (key_fingerprint(base, template, path, context.key) if type(context) is Deferred
                  else page_fingerprint(base, template, path, context, {}))
        text = env.get_template(template).render(output_file=name, root="../" * name.count("/"), **made(context))
        out[path] = (print_, text)
    return out


def edit(site, relative: str, text: str, replacement: str) -> None:
    path = site / relative
    source = path.read_text(encoding="utf-8-sig")
    assert text in source
    path.write_text(source.replace(text, replacement, 1), encoding="utf-8")


def test_a_place_or_listing_pages_key_changes_exactly_when_the_page_does(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    before = pages(site)
    for relative, text, replacement, record in EDITS:
        edit(site, relative, text, replacement)
        after = pages(site)
        assert after.keys() == before.keys()
        by_key = {page for page in after if after[page][0] != before[page][0]}
        by_text = {page for page in after if after[page][1] != before[page][1]}
        link = re.compile(r'href="(\.\./)*' + re.escape(record) + '"')
        showing = {page for page in after if link.search(before[page][1]) or link.search(after[page][1])}
        assert by_text <= by_key, (relative, sorted(by_text - by_key))  # no page left stale
        assert len(showing) > 2, relative  # the edit reaches listings, regions and more
        if "organizations" in relative:  # names of organizations are read by every page (global digest)
            assert by_key == set(after), relative
        elif "offers" in relative:  # also the figures and facets of every region and offer listing
            assert by_key == by_text | showing, (relative, sorted(by_key ^ (by_text | showing)))
            # the key counties' figures and the facets' counts change; 曹县 still lists the offer
            assert {"stats/", "offers/by/field/culture/"} <= by_text - showing
            assert "regions/371721/" in by_key - by_text and "regions/371323/" in by_text & showing
        else:  # the title is shown wherever the demand is, and only there
            assert by_key == showing == by_text, (relative, sorted(by_key ^ showing))
        before = after


def test_an_edit_build_writes_what_a_fresh_build_does(tmp_path):
    site, out = copy_sample_site(tmp_path / "site"), tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    for number, (relative, text, replacement, _record) in enumerate(EDITS):
        edit(site, relative, text, replacement)
        fresh = tmp_path / f"fresh-{number}"
        assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
        assert run_cli("build", "--site", str(site), "--output", str(fresh))[0] == 0
        files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        differing = [f for f in files if (out / f).read_bytes() != (fresh / f).read_bytes()]
        assert differing == [], (relative, differing[:5])
