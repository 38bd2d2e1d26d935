"""`zhuanlan init`: a new content repository that checks clean, builds, and carries CI
that calls the right commands."""
from __future__ import annotations

import yaml

from generator.settings import SETTINGS
from support import run_cli


def test_a_new_repository_checks_clean_and_builds(tmp_path):
    repo = tmp_path / "xczx-content"
    code, out, err = run_cli("init", str(repo))
    assert (code, err) == (0, "")
    assert "site.yaml" in out and "data/regions.yaml" in out
    assert run_cli("check", "--site", str(repo), "--no-cache")[1] == "检查通过：没有发现问题。\n"
    assert run_cli("build", "--site", str(repo), "--output", str(tmp_path / "out"))[0] == 0
    assert (tmp_path / "out/demands/d-371721-2025-001/index.html").is_file()


def test_every_setting_is_explained_in_the_new_site_yaml(tmp_path):
    run_cli("init", str(tmp_path / "r"))
    text = (tmp_path / "r/site.yaml").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"# {setting.help}\n" in text and f"{setting.name}: " in text


def test_the_new_region_list_marks_no_key_county(tmp_path):
    run_cli("init", str(tmp_path / "r"))
    regions = yaml.safe_load((tmp_path / "r/data/regions.yaml").read_text(encoding="utf-8"))
    counties = [c for city in regions["cities"] for c in city["counties"]]
    assert len(counties) == 136 and not any(c.get("key") for c in counties)


def test_ci_files_parse_and_run_check_and_build(tmp_path):
    run_cli("init", str(tmp_path / "r"))
    github = yaml.safe_load((tmp_path / "r/.github/workflows/zhuanlan.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in github["jobs"]["check-and-build"]["steps"]]
    assert "zhuanlan check --site . --format github" in steps
    assert "zhuanlan build --site . --output output" in steps
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in
               github["jobs"]["check-and-build"]["steps"])
    review = [step for step in github["jobs"]["check-and-build"]["steps"] if step.get("name") == "变化摘要"][0]
    assert review["run"] == 'zhuanlan diff --site . "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"'
    assert review["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert github["jobs"]["check-and-build"]["steps"][0]["with"]["fetch-depth"] == 0
    gitlab = yaml.safe_load((tmp_path / "r/.gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["default"]["before_script"] == ['pip install "$ZHUANLAN_PACKAGE"']
    assert gitlab["check"]["script"][0].startswith("zhuanlan check --site . --format gitlab > gl-code-quality-report.json")
    assert gitlab["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "zhuanlan build --site . --output output" in gitlab["build"]["script"]
    assert gitlab["build"]["artifacts"]["paths"] == ["output/"]
    assert 'zhuanlan diff --site . "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" > diff.md' in gitlab["review"]["script"]
    commands = [line for job in ("check", "build", "review") for line in gitlab[job]["script"]] + steps
    for command in commands:
        if command.startswith("zhuanlan "):  # every command the CI calls exists with these arguments
            args = command.split(">")[0].split()[1:]
            assert _parser_accepts([a.strip('"') for a in args]), command
    owners = (tmp_path / "r/.github/CODEOWNERS").read_text(encoding="utf-8")
    assert "/data/projects/371721.yaml" in owners and "/site.yaml" in owners


def _parser_accepts(args: list[str]) -> bool:
    from generator.cli import _parser
    try:
        _parser().parse_args(args)
    except SystemExit:
        return False
    return True


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r/keep.txt").write_text("x", encoding="utf-8")
    code, _out, err = run_cli("init", str(tmp_path / "r"))
    assert code == 2 and "不是空目录" in err
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["keep.txt"]
