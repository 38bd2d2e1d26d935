"""One page of each template is pinned byte for byte (tests/golden/<template>.html).
After an intended change: `python tests/regen_golden.py`, then review the diff."""
from __future__ import annotations

import re

import pytest

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
