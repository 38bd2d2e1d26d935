"""Helpers shared by tests and by the golden-file regenerator."""
from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from generator.cli import main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CORPUS = TESTS / "corpus"
BASE = CORPUS / "base"


def variants() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and p.name != "base")


def make_variant(name: str, target: Path) -> Path:
    """The base site with the variant's files laid over it (`X.delete` removes X)."""
    shutil.copytree(BASE, target)
    overlay = CORPUS / name
    for path in sorted(overlay.rglob("*")):
        if path.is_dir() or path.name == "expected.txt":
            continue
        relative = path.relative_to(overlay)
        if path.name.endswith(".delete"):
            (target / relative.parent / path.name[: -len(".delete")]).unlink()
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)
    return target


def copy_sample_site(target: Path) -> Path:
    """The bundled sample site (content and data only) copied to target."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site.yaml", target / "site.yaml")
    shutil.copytree(REPO / "data", target / "data")
    shutil.copytree(REPO / "content", target / "content")
    return target


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `zhuanlan ARGS` in-process; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


GOLDEN = TESTS / "golden"
SITEURL = "https://www.example.gov.cn/col/xczx"
# one page of each template, pinned byte for byte in tests/golden/<template>.html
GOLDEN_PAGES = {
    "index": "index.html", "listing": "demands/index.html", "demand": "demands/d-371721-2025-001/index.html",
    "offer": "offers/s-care-elderly-2025/index.html", "org": "orgs/52370000MJD000001W/index.html",
    "regions": "regions/index.html", "region": "regions/371721/index.html", "field": "fields/care/index.html",
    "stats": "stats/index.html", "data": "data/index.html", "404": "404.html",
    "policy": "policies/sample-provincial-plan/index.html", "news": "news/sample-2025-matching-fair/index.html",
    "case": "cases/sample-mutual-aid-brand/index.html", "page": "pages/about/index.html",
    "section": "policies/index.html", "search": "search/index.html",
}


def build_sample(target: Path) -> Path:
    """Build the bundled sample site into target/out (with the golden files' siteurl)."""
    site = copy_sample_site(target / "site")
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(target / "out"), "--siteurl", SITEURL)
    assert code == 0, err
    return target / "out"
