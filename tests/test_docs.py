"""Everything an editor can meet is documented: each problem code in
docs/errors.md, each site setting in the README."""
from __future__ import annotations

import re

import pytest

from generator.messages import CATALOGUE
from generator.settings import SETTINGS
from support import REPO

ERRORS_DOC = (REPO / "docs/errors.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_problem_code_is_explained(code):
    assert re.search(rf"^### {code} \S", ERRORS_DOC, re.M), f"{code} is not explained in docs/errors.md"


def test_no_documented_code_is_stale():
    assert set(re.findall(r"^### ([EW]\d{3}) ", ERRORS_DOC, re.M)) == set(CATALOGUE)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_in_the_readme(setting):
    section = README.split("## 站点设置", 1)[1].split("\n## ", 1)[0]
    assert f"| `{setting.name}` |" in section, f"site.yaml setting {setting.name} missing from README"


def test_readme_has_exactly_the_two_setup_commands():
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make \w+$", setup, re.M) == ["make html", "make test"]


GUIDE = (REPO / "docs/editors-guide.md").read_text(encoding="utf-8")


def test_the_readme_links_the_editors_guide():
    assert "](docs/editors-guide.md)" in README


@pytest.mark.parametrize("command", ["new", "template", "import", "check", "serve", "diff", "build"])
def test_the_editors_guide_covers_every_editors_command(command):
    assert re.search(rf"(^|`)zhuanlan {command}\b", GUIDE, re.M), f"docs/editors-guide.md never shows zhuanlan {command}"


def test_every_command_in_the_editors_guide_is_one_the_tool_accepts():
    from generator.cli import _parser
    commands = re.findall(r"^zhuanlan (.+)$", GUIDE, re.M) + re.findall(r"`zhuanlan ([^`]+)`", GUIDE)
    commands = [line for line in commands if line.strip() != "--help"]
    assert len(commands) >= 12
    for line in commands:
        args = [part for part in line.split("#")[0].split() if part]
        try:
            _parser().parse_args(args)
        except SystemExit:
            pytest.fail(f"the guide shows a command the tool refuses: zhuanlan {line}")


def test_the_editors_guide_links_the_error_reference_and_the_field_reference():
    assert "](errors.md)" in GUIDE and "](data-format.md)" in GUIDE
    for code in re.findall(r"^\| ([EW]\d{3}) \|", GUIDE, re.M):
        assert code in ERRORS_DOC
