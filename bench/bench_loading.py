"""Loading figures: our event-based YAML reader against PyYAML's own C loader on
the same provincial data set, and the time to refuse a 300-byte alias bomb.

    .venv/bin/python bench/bench_loading.py [--site DIR]   (default: generates --scale 1 into a temp dir)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator.problems import Problems  # noqa: E402
from generator.yamlread import parse  # noqa: E402

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 5)}]\n" for i in range(9))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path)
    args = parser.parse_args()
    if args.site is None:
        from gen_province import generate
        args.site = Path(tempfile.mkdtemp()) / "province"
        generate(args.site, seed=1, scale=1.0)
    files = sorted((args.site / "data").rglob("*.yaml"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    records = sum(text.count("\n- id:") + text.startswith("- id:") for text in texts)

    start = time.perf_counter()
    for text in texts:
        yaml.load(text, Loader=yaml.CSafeLoader)
    pyyaml = time.perf_counter() - start
    start = time.perf_counter()
    for text, path in zip(texts, files):
        parse(text, path.name, Problems())
    ours = time.perf_counter() - start

    runs = 1000
    start = time.perf_counter()
    for _ in range(runs):
        problems = Problems()
        parse(BOMB, "bomb.yaml", problems)
    bomb = (time.perf_counter() - start) / runs
    assert [p.code for p in problems] == ["E106"]

    print(f"files {len(files)}, records {records}, {sum(map(len, texts)) / 1e6:.1f} M characters")
    print(f"PyYAML CSafeLoader yaml.load : {pyyaml:6.2f} s  ({pyyaml / records * 1000:.3f} ms per record)")
    print(f"zhuanlan positioned parse    : {ours:6.2f} s  ({ours / records * 1000:.3f} ms per record)"
          f"  ratio {ours / pyyaml:.2f}x")
    print(f"alias bomb ({len(BOMB.encode())} bytes) refused in {bomb * 1000:.3f} ms (goal: milliseconds)")


if __name__ == "__main__":
    main()
