"""Regenerate the golden files: `python tests/regen_golden.py` (then review the diff)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import CORPUS, GOLDEN, REPO, GOLDEN_PAGES, build_sample, make_variant, run_cli, variants  # noqa: E402


def regen_corpus() -> None:
    for name in variants():
        with tempfile.TemporaryDirectory() as tmp:
            site = make_variant(name, Path(tmp) / "site")
            code, out, _err = run_cli("check", "--site", str(site), "--no-cache")
        (CORPUS / name / "expected.txt").write_text(f"exit {code}\n{out}", encoding="utf-8")
        print(f"{name}: exit {code}, {out.count(chr(10)) - 1} problems")


def regen_pages() -> None:
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = build_sample(Path(tmp))
        for template, path in GOLDEN_PAGES.items():
            (GOLDEN / f"{template}.html").write_bytes((out / path).read_bytes())
            print(f"golden {template}: {path}")


def regen_match_index() -> None:
    from generator.build import reference_date
    from generator.matchindex import index_json, match_site
    from generator.site import load_site
    site, _problems = load_site(REPO, use_cache=False)
    today = reference_date(site)
    (GOLDEN / "match-index.json").write_bytes(index_json(match_site(site, today, use_cache=False), today))
    print("golden match-index.json")


def regen_search_index() -> None:
    from test_search_index import golden_search_json  # the reader lives with its tests

    from generator.search_docs import search_docs
    from generator.search_index import index_files
    from generator.site import load_site
    site, _problems = load_site(REPO)
    files = index_files(search_docs(site), {f.name: f.slug for f in site.vocabulary.fields})
    (GOLDEN / "search-index.json").write_text(golden_search_json(files), encoding="utf-8")
    print("golden search-index.json")


if __name__ == "__main__":
    regen_corpus()
    regen_pages()
    regen_match_index()
    regen_search_index()
