"""`zhuanlan import`: a filled template becomes records in the right files; every
problem names sheet, row and column; nothing is written while any row is wrong;
the files keep their comments and layout."""
from __future__ import annotations

import datetime as dt
import difflib

from openpyxl import Workbook, load_workbook

from support import copy_sample_site, run_cli

GOOD = {"县区代码": "371721 曹县", "标题": "曹县留守儿童暑期课堂", "领域": "特殊群体关爱",
        "帮扶方式": "志愿服务、教育培训", "摘要": "为留守儿童开设暑期课堂。", "详细说明": "第一段。\n\n- 要点一\n- 要点二",
        "发布日期": dt.datetime(2025, 6, 1), "状态": "征集中", "联系单位": "曹县民政局（示例）", "联系电话": "0530-00000000"}


def sheet(tmp_path, rows: list[dict], kind: str = "demand"):
    """A template made by `zhuanlan template`, filled in row by row by header."""
    path = tmp_path / f"{kind}.xlsx"
    assert run_cli("template", kind, str(path), "--site", str(tmp_path / "site"))[0] == 0
    book = load_workbook(path)
    data = book.worksheets[0]
    headers = [cell.value.removesuffix("（必填）") for cell in data[1]]
    for number, row in enumerate(rows, start=2):
        for header, value in row.items():
            data.cell(number, headers.index(header) + 1, value)
    book.save(path)
    return path


def site(tmp_path):
    return copy_sample_site(tmp_path / "site")


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_a_wrong_row_is_named_by_row_and_column_and_nothing_is_written(tmp_path):
    root = site(tmp_path)
    before = snapshot(root)
    bad = {**GOOD, "县区代码": "379999", "领域": "养老", "发布日期": "2025-13-01", "金额（元）": "15万"}
    path = sheet(tmp_path, [GOOD, bad])
    code, out, _ = run_cli("import", str(path), "--site", str(root), "--write")
    assert code == 1
    assert out.splitlines() == [
        "需求项目 第 3 行 A 列「县区代码」：379999 不是山东省的县区代码。 改法：从下拉列表选择，或在 data/regions.yaml "
        "中查找正确的 6 位代码。 [E407]",
        "需求项目 第 3 行 C 列「领域」：「field」的值「养老」不在词表的领域（fields）中。 改法：可选的值有：产业发展、人才培育、"
        "文化建设、生态保护、乡村治理、特殊群体关爱。 [E205]",
        "需求项目 第 3 行 G 列「发布日期」：「2025-13-01」不是有效的日期。 改法：写成 年-月-日，例如 2025-03-01，或把单元格"
        "设为日期格式；注意月份和日期要真实存在。 [E405]",
        "需求项目 第 3 行 M 列「金额（元）」：「15万」不是金额数字。 改法：只写阿拉伯数字，单位为元，例如 150000；不要写“万”“元”"
        "等文字。 [E406]",
        "导入未完成：发现 4 个错误，没有写入任何文件。请按提示改正表格后重新导入。",
    ]
    assert snapshot(root) == before  # the good row was not written either


def test_without_write_it_only_shows_what_would_change(tmp_path):
    root = site(tmp_path)
    before = snapshot(root)
    code, out, _ = run_cli("import", str(sheet(tmp_path, [GOOD])), "--site", str(root))
    assert code == 0 and snapshot(root) == before
    assert out.splitlines() == [
        "demand.xlsx：共 1 行，新增 1 条记录，修改 0 条，没有变化 0 条。",
        "data/projects/371721.yaml",
        "  新增 d-371721-2025-006「曹县留守儿童暑期课堂」（需求项目 第 2 行）",
        "这是预览，没有写入任何文件；确认无误后加 --write 写入。",
    ]


def test_new_rows_are_appended_to_their_countys_file_and_check_clean(tmp_path):
    root = site(tmp_path)
    before = (root / "data/projects/371721.yaml").read_text(encoding="utf-8")
    other = {**GOOD, "县区代码": "371726", "标题": "鄄城县: 村级文化#活动", "摘要": '"引号" - 与 [括号]',
             "金额（元）": "150,000", "发布日期": "2025/7/1"}
    code, out, _ = run_cli("import", str(sheet(tmp_path, [GOOD, other])), "--site", str(root), "--write")
    assert code == 0, out
    after = (root / "data/projects/371721.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and every record already there kept byte for byte
    assert "- id: d-371721-2025-006\n  kind: demand\n" in after
    assert "  contact: {unit: 曹县民政局（示例）, phone: \"0530-00000000\"}\n" in after
    assert "  description: |\n    第一段。\n\n    - 要点一\n    - 要点二\n" in after
    jz = (root / "data/projects/371726.yaml").read_text(encoding="utf-8")
    assert '  title: "鄄城县: 村级文化#活动"\n' in jz and "  budget: 150000\n" in jz and "published: 2025-07-01" in jz
    assert run_cli("check", "--site", str(root), "--no-cache")[0] == 0
    code, _out, _ = run_cli("build", "--site", str(root), "--output", str(tmp_path / "out"))
    page = (tmp_path / "out/demands/d-371726-2025-004/index.html").read_text(encoding="utf-8")
    assert code == 0 and "鄄城县: 村级文化#活动" in page
    assert "&#34;引号&#34; - 与 [括号]" in page or "&quot;引号&quot; - 与 [括号]" in page


def test_a_row_with_a_known_id_changes_only_the_values_that_differ(tmp_path):
    root = site(tmp_path)
    path = root / "data/projects/371721.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    row = {**GOOD, "编号": "d-371721-2025-001", "标题": "曹县农村互助养老服务站运营支持", "领域": "特殊群体关爱",
           "帮扶方式": "志愿服务、人才支持、教育培训", "状态": "已对接", "承接组织代码": "52370000MJD000001W",
           "发布日期": "2025-03-01", "详细说明": None, "摘要": None, "联系单位": None, "联系电话": None, "实施周期": "18 个月",
           "多对一": "是"}
    code, out, _ = run_cli("import", str(sheet(tmp_path, [row])), "--site", str(root), "--write")
    assert code == 0, out
    assert "  修改 d-371721-2025-001「曹县农村互助养老服务站运营支持」：状态、承接组织代码、多对一、实施周期（需求项目 第 2 行）" in out
    after = path.read_text(encoding="utf-8").splitlines()
    changes = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
    assert changes == ["-   period: 12 个月", "+   period: 18 个月", "-   status: open", "+   status: matched",
                       "+   matched_orgs: [52370000MJD000001W]", "+   many_to_one: true"]
    assert run_cli("check", "--site", str(root), "--no-cache")[0] == 0


def test_many_to_one_takes_yes_or_no_only(tmp_path):
    root = site(tmp_path)
    code, out, _ = run_cli("import", str(sheet(tmp_path, [{**GOOD, "多对一": "可以"}, {**GOOD, "多对一": "否"}])),
                           "--site", str(root))
    assert code == 1
    assert out.splitlines()[0] == ("需求项目 第 2 行 K 列「多对一」：「可以」应为「是」或「否」。 改法：从下拉列表选择「是」或「否」，"
                                   "不适用的可以不填。 [E411]")
    code, out, _ = run_cli("import", str(sheet(tmp_path, [{**GOOD, "多对一": "否"}])), "--site", str(root), "--write")
    assert code == 0, out
    assert "many_to_one" not in (root / "data/projects/371721.yaml").read_text(encoding="utf-8")


def test_ids_twice_in_the_sheet_or_of_another_kind_are_refused(tmp_path):
    root = site(tmp_path)
    twice = {**GOOD, "编号": "d-371721-2025-099"}
    offer_id = {**GOOD, "编号": "s-ecommerce-live-2025"}
    code, out, _ = run_cli("import", str(sheet(tmp_path, [twice, twice, offer_id])), "--site", str(root))
    assert code == 1
    assert "需求项目 第 3 行 Q 列「编号」：编号「d-371721-2025-099」在本表第 2 行也出现了。" in out
    assert "需求项目 第 4 行 Q 列「编号」：编号「s-ecommerce-live-2025」已经是供给项目（data/projects/offers.yaml）" \
           "的编号，不能用于这一行的需求项目。" in out


def test_headers_and_files_that_are_not_the_template_are_explained(tmp_path):
    root = site(tmp_path)
    book = Workbook()
    book.active.title = "需求项目"
    book.active.append(["县区代码", "标体", "领域"])
    book.save(tmp_path / "odd.xlsx")
    code, out, _ = run_cli("import", str(tmp_path / "odd.xlsx"), "--site", str(root))
    assert code == 1
    assert "需求项目 第 1 行 B 列「标体」：不认识的列「标体」（是不是「标题」？）。" in out
    assert "工作表「需求项目」：缺少必填的列「标题」。" in out
    (tmp_path / "note.xlsx").write_text("这不是表格", encoding="utf-8")
    code, out, _ = run_cli("import", str(tmp_path / "note.xlsx"), "--site", str(root))
    assert code == 1 and out.startswith("表格文件：无法读取这个表格文件：")
    other = Workbook()
    other.active.title = "Sheet1"
    other.save(tmp_path / "blank.xlsx")
    code, out, _ = run_cli("import", str(tmp_path / "blank.xlsx"), "--site", str(root))
    assert "表格文件：表格里没有可以导入的工作表，需要名为「需求项目」「供给项目」「社会组织」之一的工作表。" in out


def test_organizations_and_offers_import_together(tmp_path):
    root = site(tmp_path)
    org = {"统一社会信用代码": "52371700MJD000001D", "名称": "示例县级社工服务中心", "组织类型": "社会服务机构",
           "类别": "社会工作", "登记层级": "县级", "所在地区代码": "371721 曹县", "领域": "特殊群体关爱",
           "帮扶方式": "志愿服务", "服务地区代码": "371721 曹县、371700", "擅长的服务": "留守儿童关爱、老年人探访"}
    code, out, _ = run_cli("import", str(sheet(tmp_path, [org], "org")), "--site", str(root), "--write")
    assert code == 0, out
    text = (root / "data/organizations.yaml").read_text(encoding="utf-8")
    assert '- id: 52371700MJD000001D\n  name: 示例县级社工服务中心\n' in text
    assert 'service_regions: ["371721", "371700"]' in text
    offer = {"组织代码": "52371700MJD000001D", "标题": "留守儿童周末课堂", "领域": "特殊群体关爱", "帮扶方式": "志愿服务",
             "服务地区代码": "371721", "摘要": "周末课堂。", "详细说明": "说明。", "发布日期": "2025-09-01", "状态": "征集中"}
    code, out, _ = run_cli("import", str(sheet(tmp_path, [offer], "supply")), "--site", str(root), "--write")
    assert code == 0 and "新增 s-2025-001「留守儿童周末课堂」" in out
    assert run_cli("check", "--site", str(root), "--no-cache")[0] == 0
