"""Printing problems for people (text), for pull-request annotations (github)
and for programs (json)."""
from __future__ import annotations

import hashlib
import json

from .problems import LEVEL_NAMES, Problem


def as_text(problem: Problem) -> str:
    where = f"{problem.path}:{problem.line}:{problem.col}" if problem.line else problem.path
    return f"{where}: {LEVEL_NAMES[problem.level]}: {problem.message} 改法：{problem.hint} [{problem.code}]"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(problem: Problem, prefix: str = "") -> str:
    """A GitHub Actions workflow command that annotates the file in the pull request."""
    command = "error" if problem.level == "error" else "warning"
    props = [f"file={_escape_property(prefix + problem.path)}"]
    if problem.line:
        props += [f"line={problem.line}", f"col={problem.col}"]
    props.append(f"title={_escape_property(problem.code)}")
    return f"::{command} {','.join(props)}::{_escape_data(problem.message + ' 改法：' + problem.hint)}"


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)


def as_gitlab(problems: list[Problem], prefix: str = "") -> str:
    """A GitLab Code Quality report: merge requests show each problem on its line."""
    items = []
    for p in problems:
        where = f"{prefix}{p.path}:{p.line}:{p.col}:{p.code}:{p.message}"
        items.append({"description": f"{p.message} 改法：{p.hint} [{p.code}]", "check_name": p.code,
                      "fingerprint": hashlib.sha256(where.encode("utf-8")).hexdigest()[:32],
                      "severity": "major" if p.level == "error" else "minor",
                      "location": {"path": prefix + p.path, "lines": {"begin": max(p.line, 1)}}})
    return json.dumps(items, ensure_ascii=False, indent=2)


def summary(errors: int, warnings: int) -> str:
    if errors == 0 and warnings == 0:
        return "检查通过：没有发现问题。"
    verdict = "检查未通过" if errors else "检查通过"
    return f"{verdict}：{errors} 个错误，{warnings} 个警告。"
