"""The check command's three output formats, exit codes, and the console entry points."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from support import REPO, copy_sample_site, make_variant, run_cli


def test_github_format_annotates_file_line_and_column(tmp_path):
    site = make_variant("bad-dates", tmp_path / "s")
    code, out, _ = run_cli("check", "--site", str(site), "--format", "github", "--no-cache")
    first = out.splitlines()[0]
    assert code == 1
    assert first == ("::error file=data/projects/371722.yaml,line=9,col=14,title=E204::"
                     "「published」的值「2025-02-30」不是有效的日期：2025 年 2 月没有 30 日。"
                     " 改法：日期写成 年-月-日，例如 2025-03-01，并且必须是真实存在的日期。")
    assert len(out.splitlines()) == 4  # no summary line among the workflow commands


def test_github_format_marks_warnings_as_warnings(tmp_path):
    site = make_variant("status-rules", tmp_path / "s")
    _code, out, _ = run_cli("check", "--site", str(site), "--format", "github", "--no-cache")
    assert out.splitlines()[-1].startswith("::warning file=data/projects/371722.yaml,line=32,col=17,title=W222::")


def test_json_format_lists_every_problem_as_an_object(tmp_path):
    site = make_variant("duplicate-ids", tmp_path / "s")
    code, out, _ = run_cli("check", "--site", str(site), "--format", "json", "--no-cache")
    problems = json.loads(out)
    assert code == 1
    assert problems[1] == {
        "path": "data/projects/371722.yaml", "line": 1, "col": 7, "code": "E207", "level": "error",
        "message": "编号「d-371721-2025-001」重复了，另一处在 data/projects/371721.yaml:1:7。",
        "hint": "每条记录的编号必须唯一：给其中一条换一个编号。"}


def test_gitlab_format_is_a_code_quality_report(tmp_path):
    site = make_variant("duplicate-ids", tmp_path / "s")
    code, out, _ = run_cli("check", "--site", str(site), "--format", "gitlab", "--no-cache")
    report = json.loads(out)
    assert code == 1
    second = report[1]
    assert second["check_name"] == "E207" and second["severity"] == "major"
    assert second["location"] == {"path": "data/projects/371722.yaml", "lines": {"begin": 1}}
    assert second["description"].startswith("编号「d-371721-2025-001」重复了，另一处在 data/projects/371721.yaml:1:7。 改法：")
    assert len({item["fingerprint"] for item in report}) == len(report)


def test_warnings_alone_exit_zero(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "s")
    path = site / "data/projects/371722.yaml"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(
        "  status: open\n", "  status: open\n  matched_orgs: [52371700MJD000001D]\n"), encoding="utf-8")
    code, out, _ = run_cli("check", "--site", str(site), "--no-cache")
    assert code == 0
    assert out.splitlines()[-1] == "检查通过：0 个错误，1 个警告。"


def test_missing_site_folder_is_a_usage_error(tmp_path):
    code, _out, err = run_cli("check", "--site", str(tmp_path / "nowhere"))
    assert code == 2 and "找不到内容仓库目录" in err


def test_python_dash_m_and_the_console_script_check_the_sample_site():
    for command in ([sys.executable, "-m", "generator", "check"], [str(REPO / ".venv/bin/zhuanlan"), "check"]):
        if not command[0].endswith("python") and not (REPO / ".venv/bin/zhuanlan").exists():
            continue
        result = subprocess.run(command + ["--no-cache"], cwd=REPO, capture_output=True, encoding="utf-8", timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == "检查通过：没有发现问题。\n"


def test_the_build_command_ends_its_process_with_every_line_written_and_its_exit_code(tmp_path):
    """`zhuanlan build` ends its process at once (cli.entry, os._exit): what it printed into
    a pipe (block-buffered) still arrives whole, and the exit code is the build's."""
    site = copy_sample_site(tmp_path / "site")
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}  # buffered, as usual
    for command in ([sys.executable, "-m", "generator"], [str(REPO / ".venv/bin/zhuanlan")]):
        if not command[0].endswith("python") and not (REPO / ".venv/bin/zhuanlan").exists():
            continue
        built = subprocess.run(command + ["build", "--site", str(site), "--output", str(tmp_path / "out")], cwd=REPO,
                               env=env, capture_output=True, encoding="utf-8", timeout=300)
        assert built.returncode == 0, built.stderr
        assert built.stdout.splitlines()[-1] == "提示：未设置 siteurl，订阅和网站地图中的链接为相对地址；发布前请用 --siteurl 指定网址。"
        assert built.stdout.startswith(f"网站已生成：{tmp_path / 'out'}（")
    broken = site / "data/projects/offers.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "- id: [\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--output",
                             str(tmp_path / "out")], cwd=REPO, env=env, capture_output=True, encoding="utf-8",
                            timeout=300)
    assert failed.returncode == 1
    assert failed.stderr.rstrip().endswith("网站没有生成，原有输出保持不变。")
