"""Build benchmark: `zhuanlan build` on the provincial-scale data set, next to vanilla
Pelican rendering the same number of plain Markdown pages, in the same run.

    .venv/bin/python bench/bench_build.py [--scale 1.0] [--keep DIR] [--reuse] [--pelican-pages N] [--before CODE]

Prints wall time, CPU time, peak RSS and pages per second of: our cold build, our
build after a first one-file edit (the spare, the tree the next builds update in place,
is linked in the background after the cold build: each run first waits for an earlier
build's background work), builds after three more one-file edits in the steady state (edits of
three kinds: a completed demand, which changes no match; a current open offer, after which
every demand is scored again; a current open demand), a fresh build of the edited
content into another folder (which must be byte-identical to the edited output), and
vanilla Pelican (its default theme, no plugins, content cache off) and Hugo on N
generated Markdown articles (default: as many pages as our build wrote); Hugo twice, right
after our cold build and at the end, since the machine's speed drifts within minutes. The load
average is printed before and after each run: on a shared machine wall times grow
with it, CPU times much less. With --before CODE (a checkout of an earlier revision, e.g.
`git archive main | tar -x -C CODE`), the same cold and edit builds are first run with
that code, in the same run, for a before/after comparison. Every measured run starts on a
quiet file system: the bench waits until no mass deletion (its own, or a previous bench
run's) is more recent than a few minutes, which this machine's file system makes every new
file pay for (fsquiet.py); it prints what it waited.
"""
from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_province  # noqa: E402
from fsquiet import QUIET_S, delete_tree, deleted, set_aside, wait_quiet  # noqa: E402
from measure import REPO, run_measured  # noqa: E402

GOAL_S, GOAL_EDIT_S, GOAL_MIB = 60.0, 5.0, 1024.0
EDIT_SEEDS = (1, 2, 5, 4)  # gen_province.edit_one_file seeds: the first edit, then the steady ones
SITEURL = "https://www.example.gov.cn/col/xczx"


def pages_in(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def vanilla_pelican_site(folder: Path, pages: int) -> None:
    """N plain Markdown articles of realistic length, and a pelicanconf.py for them."""
    content = folder / "content"
    content.mkdir(parents=True)
    body = ("乡村振兴需要社会组织参与。" * 20 + "\n\n") * 3 + "- 项目一\n- 项目二\n- 项目三\n"
    for n in range(pages):
        (content / f"a{n:06d}.md").write_text(
            f"Title: 文章 {n}\nDate: 2025-01-{n % 28 + 1:02d}\nCategory: topic-{chr(97 + n % 20)}\nSlug: a{n:06d}\n\n{body}",
            encoding="utf-8")
    (folder / "pelicanconf.py").write_text(
        "SITENAME = 'bench'\nSITEURL = ''\nPATH = 'content'\nTIMEZONE = 'Asia/Shanghai'\n"
        "DEFAULT_LANG = 'zh'\nCACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nDEFAULT_PAGINATION = 20\n", encoding="utf-8")


def hugo_site(folder: Path, pages: int) -> None:
    """The same N plain Markdown articles for Hugo, with minimal layouts (Debian's `hugo`)."""
    content = folder / "content" / "posts"
    content.mkdir(parents=True)
    body = ("乡村振兴需要社会组织参与。" * 20 + "\n\n") * 3 + "- 项目一\n- 项目二\n- 项目三\n"
    for n in range(pages):
        (content / f"a{n:06d}.md").write_text(
            f"---\ntitle: 文章 {n}\ndate: 2025-01-{n % 28 + 1:02d}\ncategories: [topic-{chr(97 + n % 20)}]\n---\n{body}",
            encoding="utf-8")
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = ('<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
            '<body><h1>{{ .Title }}</h1>%s</body></html>\n')
    (layouts / "single.html").write_text(page % "{{ .Content }}", encoding="utf-8")
    (layouts / "list.html").write_text(page % "{{ range .Paginator.Pages }}<p><a href=\"{{ .RelPermalink }}\">"
                                       "{{ .Title }}</a></p>{{ end }}", encoding="utf-8")
    (folder / "config.toml").write_text("baseURL = '/'\ntitle = 'bench'\npaginate = 20\n"
                                        "disableKinds = ['RSS', 'sitemap']\n", encoding="utf-8")


def row(name: str, result: dict, pages: int) -> str:
    rate = pages / result["wall"] if result["wall"] else 0.0
    ms = result["wall"] / pages * 1000 if pages else 0.0
    return (f"{name:<28}{result['wall']:9.1f}{result['cpu']:9.1f}{result['peak_mib']:11.0f}{pages:9d}{rate:10.0f}"
            f"{ms:10.2f}  exit {result['exit']}  load {result['load'][0]:.1f}→{result['load'][1]:.1f}"
            + (f"  (+{result['cpu_left']:.1f} s CPU in the background after it ended)" if result["cpu_left"] >= 0.05
               else ""))


def deleting(work: Path) -> bool:
    """Whether a build is deleting a retired tree or a work folder in the background."""
    return any(work.glob(".old-*")) or any(work.glob(".*.zhuanlan/old-*"))


def settle(work: Path, limit: float = 300) -> float:
    """Wait until the retired outputs that builds delete in the background are gone, and
    no process holds an output's lock (the spare `zhuanlan build` links after a full
    build, in the background), so that no run pays for the previous one's background
    work; the seconds waited."""
    start = time.monotonic()
    deadline = start + limit
    seen = False
    while time.monotonic() < deadline and deleting(work):
        seen = True
        time.sleep(0.5)
    if seen:  # the file system is not quiet (fsquiet.py)
        deleted()
    for lock in work.glob(".*.zhuanlan/lock"):
        with open(lock, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released on close
    return time.monotonic() - start


def measured(cmd: list[str], timeout: float, **kwargs) -> dict:
    """run_measured, with the 1-minute load average before and after, the seconds waited
    for earlier builds' background work before it, and then for a quiet file system
    (fsquiet.py: no mass deletion in the last minutes)."""
    work = Path(cmd[cmd.index("--output") + 1]).parent if "--output" in cmd else Path(kwargs.get("cwd", "."))
    waited = settle(work)
    quiet = wait_quiet()
    before = os.getloadavg()[0]
    # what a build deletes in the background is looked for as it ends: it is waited for (measure.py) before
    # settle() would look; a deletion done within moments (Pelican's work folder) may end unseen
    result = run_measured(cmd, timeout, at_exit=lambda: deleting(work) and deleted(), **kwargs)
    result["load"] = (before, os.getloadavg()[0])
    result["waited"], result["quiet"] = waited, quiet
    return result


def edit_record(site: Path, seed: int) -> tuple[Path, str]:
    """gen_province.edit_one_file, and the record whose title it changed: its id, kind and status."""
    texts = {path: path.read_text(encoding="utf-8") for path in (site / "data" / "projects").glob("*.yaml")}
    path = gen_province.edit_one_file(site, seed)
    old, new = texts[path].split("\n"), path.read_text(encoding="utf-8").split("\n")
    line = next(number for number, (a, b) in enumerate(zip(old, new)) if a != b)
    start = next(number for number in range(line, -1, -1) if new[number].startswith("- id: "))
    fields = {}
    for text in new[start:]:
        if text.startswith("- ") and fields:
            break
        key, _colon, value = text[2:].partition(": ")
        fields.setdefault(key, value)
    return path, f"{fields['id']} ({fields.get('kind', '')} {fields.get('status', '')})"


def zhuanlan_runs(code: Path, site: Path, out: Path, timeout: float, after_cold=None) -> dict:
    """Cold build (no cache, no output), then a build after each edit of EDIT_SEEDS, with
    the code in `code`; the site is left edited. `after_cold(pages)` runs right after the
    cold build (Hugo, so that the two are measured at the same speed of the machine)."""
    build = [sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(out),
             "--siteurl", SITEURL]
    set_aside(site / ".zhuanlan-cache", out.parent / "trash")  # not deleted now: fsquiet.py
    # byte-compiled first, as an installed package is: where PYTHONDONTWRITEBYTECODE is set,
    # every build would otherwise compile the package again (0.1 s)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "generator")], check=True)
    cold = measured(build, timeout, cwd=code)
    settle(out.parent)  # Hugo must not share the machine with the cold build's background work
    beside = after_cold(pages_in(out)) if after_cold is not None else None
    before = digests(out)
    edited, record = edit_record(site, EDIT_SEEDS[0])
    edit = measured(build, timeout, cwd=code)
    after = digests(out)
    steady, records = [], [record]
    for seed in EDIT_SEEDS[1:]:
        records.append(edit_record(site, seed)[1])
        steady.append(measured(build, timeout, cwd=code))
    return {"cold": cold, "beside": beside, "edit": edit, "steady": steady, "pages": pages_in(out), "edited": edited,
            "records": records,
            "changed": sum(1 for path in after if before.get(path) != after[path]), "files": len(after),
            "build": build}


def undo_edits(site: Path) -> None:
    """Every edit of EDIT_SEEDS undone (each toggles a title), last first: the same content again."""
    for seed in reversed(EDIT_SEEDS):
        gen_province.edit_one_file(site, seed)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--pelican-pages", type=int)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--before", type=Path, help="a checkout of earlier code to measure first")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zl-bench-"))
    site = args.keep or work / "province"
    if not (args.reuse and site.is_dir()):
        existed = site.is_dir()
        gen_province.generate(site, seed=1, scale=args.scale, force=True)
        if existed:  # the old data set was deleted
            deleted()
    earlier = None
    if args.before:
        earlier = zhuanlan_runs(args.before.resolve(), site, work / "out-before", args.timeout)
        undo_edits(site)
    out = work / "out"

    def hugo_run(pages: int, name: str):
        if not shutil.which("hugo"):
            return None
        hugo_site(work / name, args.pelican_pages or pages)
        return measured(["hugo", "--quiet", "-d", str(work / f"{name}-out")], args.timeout, cwd=work / name)

    runs = zhuanlan_runs(REPO, site, out, args.timeout, after_cold=lambda pages: hugo_run(pages, "hugo-beside"))
    cold, edit, steady, pages, changed, edited = (runs[key] for key in ("cold", "edit", "steady", "pages",
                                                                        "changed", "edited"))
    build = runs["build"]
    fresh = measured(build[:build.index("--output") + 1] + [str(work / "fresh")] + build[build.index("--output") + 2:],
                     args.timeout)
    identical = digests(out) == digests(work / "fresh")
    n = args.pelican_pages or pages
    vanilla_pelican_site(work / "vanilla", n)
    vanilla = measured([sys.executable, "-m", "pelican", "content", "-o", str(work / "vanilla-out"),
                        "-s", "pelicanconf.py", "-q"], args.timeout, cwd=work / "vanilla")
    hugo, beside = hugo_run(n, "hugo"), runs["beside"]
    print(f"data set: {site} (scale {args.scale}); edited {edited.relative_to(site)}")
    print(f"{'run':<28}{'wall (s)':>9}{'CPU (s)':>9}{'peak MiB':>11}{'pages':>9}{'pages/s':>10}{'ms/page':>10}")
    if earlier is not None:
        print(row("before: build, cold", earlier["cold"], earlier["pages"]))
        print(row("before: build, first edit", earlier["edit"], earlier["pages"]))
        for number, result in enumerate(earlier["steady"], 2):
            print(row(f"before: build, edit {number}", result, earlier["pages"]))
    print(row("zhuanlan build, cold", cold, pages))
    print(row("zhuanlan build, first edit", edit, pages))
    print(f"  (before it, the bench waited {edit['waited']:.1f} s more, after reading the output's digests and"
          f" editing, for the spare linked in the background after the cold build)")
    for number, result in enumerate(steady, 2):
        print(row(f"zhuanlan build, edit {number}", result, pages))
    for number, record in enumerate(runs["records"], 1):
        print(f"  (edit {number}: the title of {record})")
    print(row("zhuanlan build, fresh folder", fresh, pages))
    print(row("vanilla Pelican 4.12", vanilla, pages_in(work / "vanilla-out")))
    if hugo is not None and beside is not None:
        hugo_pages, beside_pages = pages_in(work / "hugo-out"), pages_in(work / "hugo-beside-out")
        print(row("Hugo, right after the cold", beside, beside_pages))
        print(row("Hugo, at the end of the run", hugo, hugo_pages))
        beside_ratio = (cold["wall"] / max(pages, 1)) / (beside["wall"] / max(beside_pages, 1))
        hugo_ratio = (cold["wall"] / max(pages, 1)) / (hugo["wall"] / max(hugo_pages, 1))
        print(f"per page, zhuanlan takes {beside_ratio:.1f}x Hugo's time, Hugo run right after the cold build"
              f" ({hugo_ratio:.1f}x against Hugo at the end of the run; goal: within 2x)")
    else:
        print("Hugo: not installed (apt-get install -y hugo) — not compared")
    ratio = (vanilla["wall"] / max(pages_in(work / "vanilla-out"), 1)) / (cold["wall"] / max(pages, 1))
    print(f"per page, zhuanlan is {ratio:.1f}x faster than vanilla Pelican (goal: at least 3x)")
    print(f"files whose bytes changed after the one-file edit: {changed} of {runs['files']}")
    print(f"edited output byte-identical to a fresh build of the same content: {'yes' if identical else 'NO'}")
    steady_walls = ", ".join(f"{result['wall']:.1f}" for result in steady)
    print(f"goal: full build < {GOAL_S:.0f} s: {'PASS' if cold['wall'] < GOAL_S else 'FAIL'} ({cold['wall']:.1f} s);"
          f" peak < {GOAL_MIB:.0f} MiB: {'PASS' if cold['peak_mib'] < GOAL_MIB else 'FAIL'};"
          f" after one edit < {GOAL_EDIT_S:.0f} s: first edit"
          f" {'PASS' if edit['wall'] < GOAL_EDIT_S else 'FAIL'} ({edit['wall']:.1f} s), steady edits"
          f" {'PASS' if max(r['wall'] for r in steady) < GOAL_EDIT_S else 'FAIL'}"
          f" ({steady_walls} s)")
    before_runs = [("before: cold", earlier["cold"]), ("before: first edit", earlier["edit"])] if earlier else []
    runs_named = [*before_runs, ("cold", cold), ("Hugo right after", beside), ("first edit", edit),
                  *((f"edit {number}", result) for number, result in enumerate(steady, 2)),
                  ("fresh folder", fresh), ("vanilla Pelican", vanilla), ("Hugo at the end", hugo)]
    quiet = ", ".join(f"{name} {result['quiet']:.0f} s" for name, result in runs_named
                      if result is not None and result["quiet"] > 0)
    print(f"waited for a quiet file system (no mass deletion in the last {QUIET_S:.0f} s, fsquiet.py) before: "
          f"{quiet or 'none of the runs'}")
    for result in (cold, edit, *steady, fresh, vanilla) + ((hugo, beside) if hugo and beside else ()):
        if result["exit"] != 0:
            print("\n".join(result["lines"][-10:]))
    delete_tree(work)  # the outputs (6 GB); a data set kept with --keep lives outside
    return 0 if cold["exit"] == 0 and identical else 1


if __name__ == "__main__":
    sys.exit(main())
