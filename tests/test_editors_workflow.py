"""The editors' path end to end: a repository from `zhuanlan init`, a branch that adds
a demand with `zhuanlan new` and imports a filled Excel template, an error that the
import names by row and column and the editor fixes, then `zhuanlan diff` listing
exactly the added records and pages, and the site building."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import tarfile

import pytest
from openpyxl import load_workbook

from generator import prdiff
from support import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed for zhuanlan diff")


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=县级编辑", "-c", "user.email=editor@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def fill(path, rows):
    book = load_workbook(path)
    sheet = book["需求项目"]
    headers = [cell.value.removesuffix("（必填）") for cell in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet.cell(number, headers.index(header) + 1, value)
    book.save(path)


ROW = {"县区代码": "371721 曹县", "领域": "特殊群体关爱", "帮扶方式": "志愿服务", "摘要": "示例摘要。",
       "详细说明": "示例说明。", "发布日期": dt.datetime(2025, 9, 1), "状态": "征集中"}


def test_an_editors_branch_from_excel_sheet_to_reviewed_change(tmp_path):
    repo = tmp_path / "column"
    assert run_cli("init", str(repo))[0] == 0
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "新建内容仓库")
    git(repo, "checkout", "-qb", "caoxian-2025-09")

    code, out, _ = run_cli("new", "demand", "--site", str(repo), "--county", "371721", "--title", "村级助老食堂运营",
                           "--field", "特殊群体关爱")
    assert code == 0
    new_id = re.findall(r"- id: (d-371721-\d{4}-\d{3})", (repo / "data/projects/371721.yaml").read_text("utf-8"))[-1]

    sheet = tmp_path / "曹县需求.xlsx"
    assert run_cli("template", "demand", str(sheet), "--site", str(repo))[0] == 0
    fill(sheet, [{**ROW, "标题": "留守儿童暑期课堂"}, {**ROW, "标题": "老年人防诈骗宣传", "县区代码": "379999"}])
    code, out, _ = run_cli("import", str(sheet), "--site", str(repo), "--write")
    assert code == 1
    assert "需求项目 第 3 行 A 列「县区代码」：379999 不是山东省的县区代码。" in out
    git(repo, "add", "-A")  # nothing was imported: only the demand from `zhuanlan new` is staged
    assert "留守儿童" not in (repo / "data/projects/371721.yaml").read_text("utf-8")

    fill(sheet, [{}, {"县区代码": "371721 曹县"}])  # the editor corrects the cell the message named
    code, out, _ = run_cli("import", str(sheet), "--site", str(repo), "--write")
    assert code == 0, out
    imported = re.findall(r"新增 (d-371721-\d{4}-\d{3})", out)
    assert len(imported) == 2
    assert run_cli("check", "--site", str(repo))[0] == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "曹县：新增三个需求")

    code, report, _ = run_cli("diff", "--site", str(repo))
    assert code == 0, report
    added = sorted(re.findall(r"^\| 新增 \| 需求 \| 曹县（371721） \| `([^`]+)` \|", report, re.M))
    assert added == sorted([new_id, *imported])
    assert "记录：新增 3 条，修改 0 条，删除 0 条" in report
    added_pages = report.split("新增：\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert sorted(added_pages) == sorted(f"- `/demands/{key}/`" for key in added)
    assert "删除：" not in report and "### 没有新的警告" in report

    assert run_cli("build", "--site", str(repo), "--output", str(tmp_path / "site"))[0] == 0
    for key in added:
        assert (tmp_path / f"site/demands/{key}/index.html").is_file()


def test_diff_names_changed_and_removed_records_and_new_warnings(tmp_path):
    repo = tmp_path / "column"
    assert run_cli("init", str(repo))[0] == 0
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")
    git(repo, "checkout", "-qb", "edit")
    path = repo / "data/projects/371721.yaml"
    text = path.read_text("utf-8")
    first = re.search(r"- id: (\S+)", text)[1]
    assert "  status: open\n" in text
    path.write_text(text.replace("  status: open\n", "  status: open\n  matched_orgs: [52370000MJD000001W]\n", 1), "utf-8")
    offers = repo / "data/projects/offers.yaml"
    offer = re.search(r"- id: (\S+)", offers.read_text("utf-8"))[1]
    offers.write_text("# 暂无供给项目\n[]\n", "utf-8")

    code, report, _ = run_cli("diff", "main", "--site", str(repo))
    assert code == 0, report
    assert re.search(rf"^\| 修改 \| 需求 \| 曹县（371721） \| `{first}` \| .* \| 承接组织 \|$", report, re.M)
    assert re.search(rf"^\| 删除 \| 供给 \| .* \| `{offer}` \|", report, re.M)
    assert f"- `/offers/{offer}/`" in report.split("删除：", 1)[1]
    assert "### 新的警告：1 条" in report and "[W222\\]" in report


def test_diff_outside_a_repository_says_what_to_do(tmp_path):
    assert run_cli("init", str(tmp_path / "r"))[0] == 0
    code, out, err = run_cli("diff", "--site", str(tmp_path / "r"))
    assert code == 2 and err.startswith("错误：无法确定对比基准（") and "zhuanlan diff main" in err


def test_diff_of_a_branch_that_does_not_build_shows_the_errors(tmp_path):
    repo = tmp_path / "column"
    assert run_cli("init", str(repo))[0] == 0
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")
    path = repo / "data/projects/371721.yaml"
    path.write_text(path.read_text("utf-8").replace('county: "371721"', 'county: "379999"', 1), "utf-8")
    code, report, _ = run_cli("diff", "--site", str(repo))
    assert code == 1
    assert "### 网站无法生成" in report and "「county」引用的地区代码「379999」不存在。" in report


@pytest.mark.parametrize("filters", [True, False], ids=["tarfile filters", "Python 3.11.2, without them"])
def test_diff_extracts_the_base_revision_without_writing_outside_its_folder(tmp_path, monkeypatch, filters):
    """zhuanlan diff extracts the base revision from `git archive`. Debian 12's python3 (3.11.2)
    has no tarfile filters (it crashed with E901 there): without them, only files and folders
    inside the folder are extracted, never a link, an absolute path or a path climbing out."""
    if filters and not hasattr(tarfile, "data_filter"):
        pytest.skip("this Python's tarfile has no filters: the other case covers it")
    if not filters:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        def add(name, data=b"", kind=tarfile.REGTYPE, link=""):
            member = tarfile.TarInfo(name)
            member.type, member.linkname, member.size, member.mode = kind, link, len(data), 0o4777
            tar.addfile(member, io.BytesIO(data))
        add("data", kind=tarfile.DIRTYPE)
        add("data/regions.yaml", "地区".encode())
        add("../climbed.txt", b"x")
        add("/tmp/absolute-from-archive.txt", b"x")
        add("data/passwd", kind=tarfile.SYMTYPE, link="/etc/passwd")
        add("data/hard", kind=tarfile.LNKTYPE, link="/etc/passwd")
    into = tmp_path / "base"
    into.mkdir()
    archive.seek(0)
    with tarfile.open(fileobj=archive) as tar:
        try:
            prdiff.extract(tar, into)
        except tarfile.TarError:  # the data filter refuses the archive at its first bad member
            assert filters
    assert (into / "data/regions.yaml").read_text("utf-8") == "地区"
    assert not (into / "data/regions.yaml").stat().st_mode & 0o7022  # no set-id bits, not writable by others
    assert not (tmp_path / "climbed.txt").exists() and not (into / "data/passwd").is_symlink()
    assert not (into / "data/hard").exists() and not os.path.exists("/tmp/absolute-from-archive.txt")
