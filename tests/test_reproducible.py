"""The same input gives a byte-identical site: in other folders, at other times,
in other time zones and with other hash seeds (each build in its own process)."""
from __future__ import annotations

import os
import subprocess
import sys

from support import REPO, copy_sample_site


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(site, out, tz, seed):
    env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed, "LC_ALL": "C.UTF-8"}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(out),
                             "--siteurl", "https://www.example.gov.cn/col/xczx"],
                            cwd=REPO, env=env, capture_output=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr


def test_two_builds_are_byte_identical(tmp_path):
    first_site = copy_sample_site(tmp_path / "a" / "site")
    second_site = copy_sample_site(tmp_path / "elsewhere" / "deeper" / "site")
    os.utime(second_site / "site.yaml", (0, 0))  # file times must not matter either
    build(first_site, tmp_path / "a" / "out", "Asia/Shanghai", "1")
    build(second_site, tmp_path / "b-out", "America/Los_Angeles", "4242")
    first, second = tree(tmp_path / "a" / "out"), tree(tmp_path / "b-out")
    assert sorted(first) == sorted(second)
    different = [path for path in first if first[path] != second[path]]
    assert different == []
    assert len(first) > 500


def test_source_date_epoch_sets_the_statistics_date(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01 00:00 UTC = 08:00 in Shandong
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--output",
                             str(tmp_path / "out")], cwd=REPO, env=env, capture_output=True, encoding="utf-8",
                            timeout=300)
    assert result.returncode == 0, result.stderr
    stats = (tmp_path / "out/stats/index.html").read_text(encoding="utf-8")
    assert '统计截至 <time datetime="2026-01-01">2026年1月1日</time>' in stats
