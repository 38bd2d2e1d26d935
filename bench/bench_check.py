#!/usr/bin/env python3
"""Benchmark `zhuanlan check` on a provincial-scale content repository.

    python bench/bench_check.py [--scale 1.0] [--seed 1] [--keep DIR] [--reuse] [--strict]
                                [-- EXTRA CHECK ARGS]

Generates the data set (bench/gen_province.py) into a temporary directory (or
DIR with --keep), then runs `python -m generator check --site DIR` three times
as a subprocess of this interpreter, with cwd at the repository root:

  1. cold        after deleting DIR/.zhuanlan-cache (if present)
  2. warm        again, nothing changed
  3. after edit  after edit_one_file() changed one title in one per-county file

For each run it prints wall time, peak RSS of the checker process (ru_maxrss
from os.wait4), the exit code and the last line of its output, and then the
goals from the issue next to the figures:
cold < 30 s, after a one-file edit < 3 s, peak < 1024 MiB.

Exit status: 0 when all three runs exit 0 (with --strict, also every goal met),
1 otherwise, 2 on a usage or generation problem.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import gen_province  # noqa: E402
from measure import run_measured  # noqa: E402

GOAL_COLD_S = 30.0
GOAL_EDIT_S = 3.0
GOAL_PEAK_MIB = 1024.0
CACHE_NAME = ".zhuanlan-cache"


def run_check(site: Path, extra: list, timeout: float) -> dict:
    """Run the checker once; return wall time, peak RSS, exit code and output."""
    return run_measured([sys.executable, "-m", "generator", "check", "--site", str(site)] + extra, timeout)


def count_records(site: Path) -> dict:
    """Count records in an existing generated repository (top-level `- id:` lines)."""
    def ids(folder: Path, prefix: str = "- id: ") -> list:
        out = []
        for f in sorted(folder.glob("*.yaml")):
            out += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.startswith(prefix)]
        return out
    orgs = len(ids(site / "data" / "organizations"))
    projects = ids(site / "data" / "projects")
    demands = sum(1 for ln in projects if ln.startswith("- id: d-"))
    policies = len(list((site / "content" / "policies").glob("*.md")))
    offers = len(projects) - demands
    return {"organizations": orgs, "demands": demands, "offers": offers, "policies": policies,
            "records": orgs + demands + offers + policies}


def _short(s: str, n: int = 100) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description="Benchmark `python -m generator check` at provincial scale.")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="generate into DIR and keep it (DIR is wiped first if it holds a generated repository)")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: reuse DIR as it is if it already holds a generated repository")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds before a check run is killed")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = ap.parse_args(argv)

    tmp = None
    if args.keep:
        site = args.keep
        looks_generated = (site / "site.yaml").exists() and (site / "data" / "projects").is_dir()
        nonempty = site.exists() and any(site.iterdir())
        if nonempty and not looks_generated:
            print("error: %s is not empty and does not look like a generated repository" % site,
                  file=sys.stderr)
            return 2
    else:
        tmp = tempfile.mkdtemp(prefix="zhuanlan-bench-")
        site = Path(tmp)

    try:
        if args.keep and args.reuse and (site / "data" / "projects").is_dir():
            counts = count_records(site)
            print("reusing %s (not regenerated): %d records" % (site, counts["records"]))
        else:
            print("generating scale %g, seed %d into %s ..." % (args.scale, args.seed, site), flush=True)
            try:
                counts = gen_province.generate(site, seed=args.seed, scale=args.scale, force=True)
            except (OSError, ValueError) as e:
                print("error: generation failed: %s" % e, file=sys.stderr)
                return 2
            print("  %d records (%d organizations, %d demands, %d offers, %d policies)" % (
                counts["records"], counts["organizations"], counts["demands"], counts["offers"],
                counts["policies"]))
            print("  %d files, %.1f MiB, largest %s %.1f KiB, generated in %.2f s" % (
                counts["files"], counts["bytes"] / 1048576, counts["largest_file"],
                counts["largest_bytes"] / 1024, counts["seconds"]))

        cmd_text = "%s -m generator check --site %s%s" % (
            sys.executable, site, "".join(" " + a for a in extra))
        print("command (cwd %s): %s" % (REPO, cmd_text), flush=True)

        results = []
        cache = site / CACHE_NAME
        if cache.is_dir() and not cache.is_symlink():
            shutil.rmtree(cache)
        elif cache.exists():
            cache.unlink()
        results.append(("cold", run_check(site, extra, args.timeout)))
        results.append(("warm", run_check(site, extra, args.timeout)))
        edited = gen_province.edit_one_file(site, seed=args.seed)
        results.append(("after edit", run_check(site, extra, args.timeout)))

        print()
        print("edited: %s" % edited.relative_to(site))
        print("%-11s %9s %11s %6s  %s" % ("run", "wall (s)", "peak (MiB)", "exit", "last line of output"))
        for name, r in results:
            last = r["lines"][-1] if r["lines"] else "(no output)"
            code = "kill" if r["timed_out"] else ("-" if r["exit"] is None else str(r["exit"]))
            print("%-11s %9.2f %11.1f %6s  %s" % (name, r["wall"], r["peak_mib"], code, _short(last)))

        failed = [(n, r) for n, r in results if r["exit"] != 0]
        if failed:
            print()
            for name, r in failed:
                why = "timed out after %g s" % args.timeout if r["timed_out"] else "exit %s" % r["exit"]
                print("check FAILED on the %s run (%s); %d output lines, last ones:" % (
                    name, why, len(r["lines"])))
                for ln in r["lines"][-5:]:
                    print("    " + _short(ln, 160))
            if any("No module named" in ln for _, r in failed for ln in r["lines"][-5:]):
                print("(the checker does not seem to exist yet: `python -m generator check` is not runnable)")

        cold = results[0][1]
        edit = results[2][1]
        peak = max(r["peak_mib"] for _, r in results)
        ok_cold = cold["exit"] == 0 and cold["wall"] < GOAL_COLD_S
        ok_edit = edit["exit"] == 0 and edit["wall"] < GOAL_EDIT_S
        ok_peak = all(r["exit"] == 0 for _, r in results) and peak < GOAL_PEAK_MIB
        print()
        rows = [("cold check < %g s" % GOAL_COLD_S, "%.2f s" % cold["wall"], ok_cold),
                ("after one-file edit < %g s" % GOAL_EDIT_S, "%.2f s" % edit["wall"], ok_edit),
                ("peak RSS < %g MiB" % GOAL_PEAK_MIB, "%.1f MiB" % peak, ok_peak)]
        print("%-28s %12s  %s" % ("goal (issue)", "figure", "verdict"))
        for goal, figure, ok in rows:
            print("%-28s %12s  %s" % (goal, figure, _verdict(ok)))
        if counts:
            print("records: %d (%d organizations, %d demands, %d offers, %d policies)" % (
                counts["records"], counts["organizations"], counts["demands"], counts["offers"],
                counts["policies"]))
        if any(r["exit"] != 0 for _, r in results):
            print("(a goal only counts as met when the check run succeeded)")
        if args.keep:
            print("data kept in %s" % site)
        if failed:
            return 1
        if args.strict and not (ok_cold and ok_edit and ok_peak):
            return 1
        return 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
