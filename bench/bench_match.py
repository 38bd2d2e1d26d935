#!/usr/bin/env python3
"""The match index at provincial scale, next to Whoosh's own query path, and its quality
on the labelled set.

    python bench/bench_match.py [--scale 1.0] [--keep DIR] [--reuse] [--sample 200]

Prints:
- the labelled set (tests/match_labels.py) on the sample site: precision@5, recall@5;
- the bulk match index (both directions) on the provincial data set (gen_province.py:
  10,000 demands, 10,000 offers, 20,000 organizations at scale 1): every demand scored
  whatever its status (the worst case) and the current ones only, wall time and peak
  memory, each in a child process of its own;
- Whoosh-Reloaded answering the same question for a sample of demands (OR query of the
  demand's terms over the offers, filtered to open offers in the demand's field that
  serve its county): index build time, time per demand, extrapolated to all demands,
  and how many of Whoosh's top 5 are in ours (ours also weighs forms of help and the
  region level, so the lists need not be equal; the tests hold our BM25 to Whoosh's).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

import gen_province  # noqa: E402
from fsquiet import delete_tree  # noqa: E402
from measure import run_measured  # noqa: E402


def child(site_dir: Path, every: bool) -> None:
    """Runs in its own process: load, then the whole index; prints its figures as JSON."""
    from generator.build import reference_date
    from generator.matching import MatchWeights, compute_matches
    from generator.site import load_site
    started = time.perf_counter()
    site, _problems = load_site(site_dir, use_cache=False)
    loaded = time.perf_counter()
    index = compute_matches(site, reference_date(site), MatchWeights.from_settings(site.settings),
                            every_demand=every)
    done = time.perf_counter()
    pairs = sum(len(items) for side in (index.demand_offers, index.demand_orgs, index.offer_demands,
                                          index.org_demands) for items in side.values())
    print(json.dumps({"load": loaded - started, "match": done - loaded, "demands": len(index.demand_offers),
                      "offers": len(index.offer_demands), "orgs": len(index.org_demands), "listed": pairs}))


def labelled() -> str:
    from match_labels import pair_count, precision_recall

    from generator.build import reference_date
    from generator.matching import MatchWeights, compute_matches
    from generator.site import load_site
    site, _problems = load_site(REPO, use_cache=False)
    index = compute_matches(site, reference_date(site), MatchWeights.from_settings(site.settings))
    precision, recall, right, shown, fits = precision_recall(index.demand_offers)
    return (f"labelled set ({pair_count()} pairs): precision@5 {precision:.3f} ({right}/{shown}), "
            f"recall@5 {recall:.3f} ({right}/{fits}); goal 0.9 for both")


def whoosh_path(site_dir: Path, sample: int) -> dict:
    from whoosh.query import And, Term

    from generator.build import reference_date
    from generator.matching import MatchWeights, compute_matches
    from generator.site import load_site
    from generator.textsearch import new_index, site_documents, top
    from generator.tokens import GENERIC, terms
    site, _problems = load_site(site_dir, use_cache=False)
    today = reference_date(site)
    ours = compute_matches(site, today, MatchWeights.from_settings(site.settings), every_demand=True)
    started = time.perf_counter()
    docs = [d for d in site_documents(site) if d["kind"] == "supply"]
    index = new_index(docs)
    built = time.perf_counter() - started
    demands = sorted(site.demands, key=lambda d: d.id)
    chosen = random.Random(1).sample(demands, min(sample, len(demands)))
    overlap = compared = 0
    started = time.perf_counter()
    with index.searcher() as searcher:
        for demand in chosen:
            words = [t for t in terms(" ".join((demand.title, demand.summary, demand.description)))
                     if t not in GENERIC]
            wanted = And([Term("regions", demand.county), Term("field", demand.fields[0]), Term("status", "open")])
            theirs = [ident for ident, _score in top(searcher, words, 5, wanted)]
            mine = [o["id"] for o in ours.demand_offers.get(demand.id, [])][:5]
            if theirs:
                overlap += len(set(theirs) & set(mine))
                compared += len(theirs)
    per = (time.perf_counter() - started) / max(len(chosen), 1)
    return {"build": built, "per": per, "all": built + per * len(demands), "demands": len(demands),
            "sample": len(chosen), "overlap": overlap, "compared": compared}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, help="generate the data set here (and keep it)")
    parser.add_argument("--reuse", action="store_true", help="use the data set in --keep if it is there")
    parser.add_argument("--sample", type=int, default=200, help="demands Whoosh answers (default 200)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--every", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.every)
        return 0
    print(labelled())
    work = Path(tempfile.mkdtemp(prefix="zl-match-"))
    site = args.keep or work / "province"
    if not (args.reuse and site.is_dir()):
        gen_province.generate(site, seed=1, scale=args.scale, force=True)
    print(f"data set: {site} (scale {args.scale})")
    print(f"{'run':<44}{'wall (s)':>9}{'load (s)':>9}{'match (s)':>10}{'peak MiB':>9}")
    for name, every in (("match index, every demand (worst case)", True), ("match index, current demands", False)):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(site)] + (["--every"] if every else [])
        result = run_measured(cmd, args.timeout)
        figures = json.loads(result["lines"][-1]) if result["exit"] == 0 else None
        if figures is None:
            print(f"{name:<44} failed: exit {result['exit']}: {' / '.join(result['lines'][-3:])}")
            continue
        print(f"{name:<44}{result['wall']:9.1f}{figures['load']:9.1f}{figures['match']:10.1f}"
              f"{result['peak_mib']:9.0f}   {figures['demands']} demands, {figures['offers']} offers, "
              f"{figures['orgs']} organizations, {figures['listed']} recommendations")
    found = whoosh_path(site, args.sample)
    print(f"Whoosh-Reloaded query path (offers only): index {found['build']:.1f} s, "
          f"{found['per'] * 1000:.0f} ms per demand over {found['sample']} demands, "
          f"about {found['all']:.0f} s for all {found['demands']} demands")
    if found["compared"]:
        print(f"top-5 overlap with ours: {found['overlap']}/{found['compared']} "
              f"({found['overlap'] / found['compared']:.0%}) of Whoosh's top 5 are in our top 5")
    if not args.keep:
        delete_tree(work)  # noted: a build benchmark after this one waits (fsquiet.py)
    return 0


if __name__ == "__main__":
    sys.exit(main())
