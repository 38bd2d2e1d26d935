"""One page of each template is pinned byte for byte (tests/golden/<template>.html).
After an intended change: `python tests/regen_golden.py`, then review the diff."""
from __future__ import annotations

import re

import pytest

from generator.site import load_site
from generator.theme import environment
from support import GOLDEN, GOLDEN_PAGES, build_sample


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("template", sorted(GOLDEN_PAGES))
def test_page_matches_its_golden_file(built, template):
    page = (built / GOLDEN_PAGES[template]).read_text(encoding="utf-8")
    assert page == (GOLDEN / f"{template}.html").read_text(encoding="utf-8")


def test_every_template_has_a_golden_page(built):
    templates = set()
    for page in built.rglob("*.html"):
        found = re.search(r'<body data-template="([^"]+)"', page.read_text(encoding="utf-8"))
        assert found, f"{page} does not name its template"
        templates.add(found.group(1))
    assert templates == set(GOLDEN_PAGES)


def test_every_page_has_the_top_and_foot_made_for_it(built):
    """The top and the foot of a page are made once per depth and section of the site
    (theme.Parts) and reused: each page of the sample site, Pelican's among them, holds
    what rendering them for that very page gives (the 404 page, made to work from any
    address, has a top of its own)."""
    site, _problems = load_site(built.parent / "site", use_cache=False)
    env = environment(site)
    pages = sorted(page for page in built.rglob("*.html") if page.name != "404.html")
    assert len(pages) > 200
    for page in pages:
        name = page.relative_to(built).as_posix()
        text = page.read_text(encoding="utf-8")
        for part in ("header", "footer"):
            fresh = env.get_template(f"parts/{part}.html").render(output_file=name)
            assert fresh in text, f"{name}: {part}"
