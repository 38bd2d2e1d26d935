"""Each bad input of the corpus gets its own problems, pinned word for word with
file, line and column (tests/corpus/<variant>/expected.txt; regenerate with
`python tests/regen_golden.py` and review the diff)."""
from __future__ import annotations

import pytest

from support import CORPUS, make_variant, run_cli, variants


def test_base_site_is_clean(tmp_path):
    code, out, _ = run_cli("check", "--site", str(make_variant("bom-accepted", tmp_path / "s")), "--no-cache")
    assert (code, out) == (0, "检查通过：没有发现问题。\n")


@pytest.mark.parametrize("name", variants())
def test_variant_reports_exactly(name, tmp_path):
    site = make_variant(name, tmp_path / "site")
    code, out, err = run_cli("check", "--site", str(site), "--no-cache")
    expected = (CORPUS / name / "expected.txt").read_text(encoding="utf-8")
    assert f"exit {code}\n{out}" == expected
    assert err == ""
