"""Search benchmark: our bigram index next to Pagefind (extended, 1.5.2) on the same pages.

    .venv/bin/python bench/bench_search.py [--small] [--scale 1.0] [--terms 120] [--keep DIR] [--reuse]

Generates the provincial data set, builds the site (which writes our index), times our
index build alone and Pagefind's over the built record pages (policies, demands, offers,
organizations: the <article> of each), then drives both in headless Chromium and prints
side by side: recall and precision on terms drawn from the data, p50/p95 query latency,
bytes fetched by a first query (page load included) and by later ones, index size on disk,
build time and peak memory. Needs `pip install -e '.[bench]'` (Pagefind, Playwright) and
/usr/bin/chromium.

Recall and precision are each engine's against the text it was given: ours against the
search documents (generator/search_docs.py), Pagefind against the text its fragments hold
(what it extracted from each page). A term counts for a page when the text contains it.
Bytes are file sizes as served, uncompressed; KB = 1000 bytes.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_province  # noqa: E402
import search_browser  # noqa: E402
from fsquiet import delete_tree  # noqa: E402
from measure import run_measured  # noqa: E402

PREFIX = "/col/xczx/"
SITEURL = "https://www.example.gov.cn/col/xczx"
FIXED = ["乡村振兴", "社会组织", "养老", "互助养老", "电商", "人居环境", "村养", "留守儿童", "技能培训", "村规民约",
         "非遗传承", "护理员", "电商直播", "人居环境整治", "合作社", "志愿服务", "产业发展", "社工"]
COLD = ["乡村振兴", "社会组织", "养老", "电商", "人居环境", "互助养老", "村规民约", "护理员"]
GOALS = {"recall": 1.0, "precision": 0.98, "p95_ms": 300, "first_kb": 300, "build_s": 20, "build_mib": 1024}


def index_only(site_dir: Path, out: Path) -> None:
    """Child process: load, make the search documents, write our index; print the phases' times."""
    from generator.search_docs import search_docs
    from generator.search_index import index_files
    from generator.site import load_site

    started = time.perf_counter()
    site, _problems = load_site(site_dir)
    loaded = time.perf_counter()
    docs = search_docs(site)
    files = index_files(docs, {f.name: f.slug for f in site.vocabulary.fields})
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    done = time.perf_counter()
    print(json.dumps({"load_s": loaded - started, "index_s": done - loaded, "docs": len(docs)}))


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def our_texts(output: Path, site_dir: Path) -> dict[int, str]:
    """{document number: its folded searched text}, matched to the built index by path."""
    from generator.search_docs import fold, search_docs
    from generator.site import load_site

    site, _problems = load_site(site_dir)
    by_path = {doc.path: fold(doc.text) for doc in search_docs(site)}
    numbers = {int(p.stem): json.loads(p.read_bytes())["u"] for p in (output / "search-index" / "d").glob("*.json")}
    return {n: by_path[path] for n, path in numbers.items()}


def pagefind_texts(output: Path) -> dict[str, str]:
    """{fragment id: the text Pagefind indexed for that page (its segmenter's marks removed)}."""
    out = {}
    for path in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        out[path.stem] = data["content"].replace("\u200b", "")
    return out


def draw_terms(texts: list[str], count: int, seed: int = 7) -> list[str]:
    """The fixed terms found in the data, then runs of 2-5 Chinese characters from random places of
    random documents (most of them straddle a word boundary)."""
    corpus = "\n".join(texts)
    terms = [t for t in FIXED if t in corpus]
    rng = random.Random(seed)
    while len(terms) < count:
        text = texts[rng.randrange(len(texts))]
        length = rng.choice((2, 2, 3, 3, 4, 5))
        start = rng.randrange(max(1, len(text) - length))
        term = text[start:start + length]
        if len(term) == length and all("\u4e00" <= ch <= "\u9fff" for ch in term) and term not in terms:
            terms.append(term)
    return terms


def quality(found: dict[str, dict], texts: dict, terms: list[str]) -> dict:
    """Recall and precision over every (term, page) pair, and the terms short of full recall."""
    hits = relevant = returned = 0
    short = []
    for term in terms:
        truth = {key for key, text in texts.items() if term in text}
        got = set(found[term]["ids"])
        hits += len(truth & got)
        relevant += len(truth)
        returned += len(got)
        if truth - got:
            short.append(f"{term} {len(truth & got)}/{len(truth)}")
    return {"recall": hits / relevant if relevant else 1.0, "precision": hits / returned if returned else 1.0,
            "short": short, "results": returned}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(run: dict, texts: dict, terms: list[str], build: dict, size: tuple[int, int]) -> dict:
    warm = run["warm"]
    later = [warm[t] for t in terms[1:]]
    times = [warm[t]["ms"] for t in terms]
    return {**quality(warm, texts, terms), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95),
            "max_ms": max(times), "slowest": max(terms, key=lambda t: warm[t]["ms"]),
            "first_kb": max(r["bytes"] for r in run["cold"]) / 1000,
            "first_med_kb": statistics.median(r["bytes"] for r in run["cold"]) / 1000,
            "first_ms": max(r["ms"] for r in run["cold"]),
            "later_kb": statistics.median(r["bytes"] for r in later) / 1000,
            "later_max_kb": max(r["bytes"] for r in later) / 1000,
            "files": size[0], "mib": size[1] / 2 ** 20, "build_s": build["wall"], "build_mib": build["peak_mib"]}


ROWS = [("recall", "{:.4f}"), ("precision", "{:.4f}"), ("p50_ms", "{:.0f} ms"), ("p95_ms", "{:.0f} ms"),
        ("max_ms", "{:.0f} ms"), ("slowest", "{}"), ("first_kb", "{:.0f} KB"), ("first_med_kb", "{:.0f} KB"),
        ("first_ms", "{:.0f} ms"), ("later_kb", "{:.1f} KB"), ("later_max_kb", "{:.0f} KB"),
        ("files", "{}"), ("mib", "{:.1f} MiB"), ("build_s", "{:.1f} s"), ("build_mib", "{:.0f} MiB")]
LABELS = {"recall": "recall (goal 1.0)", "precision": "precision (goal >= 0.98)", "p50_ms": "query p50",
          "p95_ms": "query p95 (goal < 300 ms)", "max_ms": "query max", "slowest": "slowest term",
          "first_kb": "first query, max (goal < 300 KB)", "first_med_kb": "first query, median",
          "first_ms": "first query, slowest", "later_kb": "later query, median", "later_max_kb": "later query, max",
          "files": "index files", "mib": "index size on disk", "build_s": "index build (goal < 20 s)",
          "build_mib": "index build peak RSS (< 1 GiB)"}


def verdicts(ours: dict) -> list[str]:
    checks = [("recall", ours["recall"] >= GOALS["recall"]), ("precision", ours["precision"] >= GOALS["precision"]),
              ("p95 latency", ours["p95_ms"] < GOALS["p95_ms"]), ("first query bytes", ours["first_kb"] < GOALS["first_kb"]),
              ("build time", ours["build_s"] < GOALS["build_s"]), ("build memory", ours["build_mib"] < GOALS["build_mib"])]
    return [f"{name}: {'PASS' if ok else 'FAIL'}" for name, ok in checks]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--small", action="store_true", help="scale 0.1 and 40 terms: a quick run")
    parser.add_argument("--terms", type=int, default=120)
    parser.add_argument("--keep", type=Path, help="keep the data set and the built site in this folder")
    parser.add_argument("--reuse", action="store_true", help="reuse the data set (and the previous build) in --keep")
    parser.add_argument("--index-only", nargs=2, type=Path, metavar=("SITE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.index_only:
        index_only(*args.index_only)
        return 0
    scale, count = (0.1, 40) if args.small else (args.scale, args.terms)
    work = args.keep or Path(tempfile.mkdtemp(prefix="zl-search-"))
    site, srv = work / "province", work / "srv"
    output = srv / PREFIX.strip("/")
    if not (args.reuse and (site / "site.yaml").is_file()):
        gen_province.generate(site, seed=1, scale=scale, force=True)
        shutil.rmtree(srv, ignore_errors=True)
    site_build = run_measured([sys.executable, "-m", "generator", "build", "--site", str(site), "--output",
                               str(output), "--siteurl", SITEURL], 3600)  # after a first run: only what changed
    if site_build["exit"] != 0:
        print("\n".join(site_build["lines"][-20:]))
        return 1
    print(f"site built in {site_build['wall']:.1f} s ({site_build['peak_mib']:.0f} MiB peak)")
    scratch = work / "index-only"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    ours_build = run_measured([sys.executable, __file__, "--index-only", str(site), str(scratch)], 600)
    phases = json.loads(ours_build["lines"][-1])
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(output / "pagefind", ignore_errors=True)
    theirs_build = run_measured([sys.executable, "-m", "pagefind_bin_extended", "--site", str(output), "--glob",
                                 "{policies,demands,offers,orgs}/*/index.html", "--root-selector", "main article",
                                 "--output-subdir", "pagefind", "--silent"], 3600)
    if theirs_build["exit"] != 0:
        print("\n".join(theirs_build["lines"][-20:]))
        return 1
    ours_texts, theirs_texts = our_texts(output, site), pagefind_texts(output)
    terms = draw_terms(sorted(ours_texts.values()), count)
    runs = search_browser.run_all(srv, PREFIX, terms, COLD if not args.small else COLD[:3])
    ours = summary(runs["ours"], ours_texts, terms, ours_build, folder_size(output / "search-index"))
    theirs = summary(runs["pagefind"], theirs_texts, terms, theirs_build, folder_size(output / "pagefind"))
    print(f"data set: scale {scale}, {phases['docs']} search documents (ours), {len(theirs_texts)} pages (Pagefind); "
          f"{len(terms)} terms; our index build: load {phases['load_s']:.1f} s + index {phases['index_s']:.1f} s")
    print(f"{'':36}{'ours':>16}{'Pagefind 1.5.2 ext':>22}")
    for key, form in ROWS:
        print(f"{LABELS[key]:36}{form.format(ours[key]):>16}{form.format(theirs[key]):>22}")
    for name, figures in (("ours", ours), ("Pagefind", theirs)):
        if figures["short"]:
            print(f"{name}: {len(figures['short'])} term(s) short of full recall: " + ", ".join(figures["short"][:30]))
    print("goals (ours): " + "; ".join(verdicts(ours)))
    if not args.keep:
        delete_tree(work)  # noted: a build benchmark after this one waits (fsquiet.py)
    return 0


if __name__ == "__main__":
    sys.exit(main())
