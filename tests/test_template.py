"""`zhuanlan template`: the Excel sheet has Chinese headers, drop-downs fed from the
site's regions and vocabulary, a hint on every column and a sheet explaining each."""
from __future__ import annotations

from openpyxl import load_workbook

from generator.xlsx_template import COLUMNS
from support import run_cli


def test_demand_template_has_headers_dropdowns_hints_and_a_guide(tmp_path):
    path = tmp_path / "需求模板.xlsx"
    code, out, _ = run_cli("template", "demand", str(path))
    assert code == 0 and "已生成模板" in out
    book = load_workbook(path)
    sheet = book["需求项目"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["县区代码（必填）", "标题（必填）", "领域（必填）"]
    assert len(headers) == len(COLUMNS["demand"])
    options = book["选项"]
    assert options.sheet_state == "hidden"
    counties = [row[0].value for row in options.iter_rows(min_row=2, max_col=1) if row[0].value]
    assert len(counties) == 137 and "371721 曹县" in counties and "500243 彭水苗族土家族自治县" in counties
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    assert rules["A2:A501"].type == "list" and rules["A2:A501"].formula1 == "'选项'!$A$2:$A$138"
    assert rules["C2:C501"].type == "list"
    assert all(rule.prompt for rule in rules.values()) and len(rules) == len(COLUMNS["demand"])
    guide = [row for row in book["填写说明"].iter_rows(values_only=True)]
    assert ("金额（元）", "budget", "选填", "只写数字，例如 150000") in guide


def test_org_and_supply_templates_offer_their_own_lists(tmp_path):
    assert run_cli("template", "org", str(tmp_path / "org.xlsx"))[0] == 0
    sheet = load_workbook(tmp_path / "org.xlsx")["社会组织"]
    assert [rule.type for rule in sheet.data_validations.dataValidation].count("list") == 4
    assert run_cli("template", "supply", str(tmp_path / "supply.xlsx"))[0] == 0
