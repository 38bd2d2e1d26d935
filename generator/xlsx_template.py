"""`zhuanlan template demand|supply|org FILE.xlsx`: the Excel sheet counties fill in.

Chinese headers, drop-down lists (county, field, status, organization type and
level, category) fed from a hidden options sheet built from the site's own region
list and vocabulary, an input hint on every column, and a sheet explaining each
column. openpyxl writes it; `zhuanlan import` (importer.py) reads the same columns.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .vocabulary import DEMAND_STATUSES, ORG_LEVELS, ORG_TYPES, SUPPLY_STATUSES

ROWS = 500  # rows prepared with drop-downs and formats


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    hint: str
    options: str | None = None  # name of a list on the options sheet
    date: bool = False


COLUMNS = {
    "demand": [
        Column("county", "县区代码", True, "从下拉列表选择需求所在县区", "regions"),
        Column("title", "标题", True, "一句话说明需要什么，30 字以内"),
        Column("field", "领域", True, "从下拉列表选择一个领域", "fields"),
        Column("forms", "帮扶方式", True, "可写多个，用顿号分隔，例如：志愿服务、人才支持"),
        Column("summary", "摘要", True, "一两句话的摘要"),
        Column("description", "详细说明", True, "背景、需要的支持、受益对象、时间安排"),
        Column("published", "发布日期", True, "年-月-日，例如 2025-03-01", date=True),
        Column("deadline", "截止日期", False, "年-月-日，不能早于发布日期", date=True),
        Column("status", "状态", True, "从下拉列表选择", "demand_statuses"),
        Column("matched_orgs", "承接组织代码", False, "已对接的需求必填：承接组织的统一社会信用代码，多个用顿号分隔"),
        Column("many_to_one", "多对一", False, "已对接后仍欢迎更多组织承接的选「是」，否则不填", "yes_no"),
        Column("beneficiaries", "受益对象", False, "例如：12 个村约 600 名老人"),
        Column("budget", "金额（元）", False, "只写数字，例如 150000"),
        Column("period", "实施周期", False, "例如：12 个月"),
        Column("contact_unit", "联系单位", False, "单位名称，不写个人"),
        Column("contact_phone", "联系电话", False, "单位办公电话，不写个人手机"),
        Column("id", "编号", False, "可不填，导入时自动生成"),
    ],
    "supply": [
        Column("org", "组织代码", True, "提供服务的社会组织的统一社会信用代码"),
        Column("title", "标题", True, "一句话说明能提供什么"),
        Column("fields", "领域", True, "可写多个，用顿号分隔"),
        Column("forms", "帮扶方式", True, "可写多个，用顿号分隔"),
        Column("service_regions", "服务地区代码", True, "可写多个，用顿号分隔；全省写 370000"),
        Column("summary", "摘要", True, "一两句话的摘要"),
        Column("description", "详细说明", True, "服务内容、服务能力、已有经验"),
        Column("published", "发布日期", True, "年-月-日", date=True),
        Column("status", "状态", True, "从下拉列表选择", "supply_statuses"),
        Column("capacity", "服务能力", False, "例如：每年培训 300 人次"),
        Column("id", "编号", False, "可不填，导入时自动生成"),
    ],
    "org": [
        Column("id", "统一社会信用代码", True, "18 位，登记证书上的代码"),
        Column("name", "名称", True, "登记的全称"),
        Column("type", "组织类型", True, "从下拉列表选择", "org_types"),
        Column("category", "类别", True, "从下拉列表选择", "categories"),
        Column("level", "登记层级", True, "从下拉列表选择", "org_levels"),
        Column("county", "所在地区代码", True, "从下拉列表选择", "regions"),
        Column("fields", "领域", True, "可写多个，用顿号分隔"),
        Column("forms", "帮扶方式", True, "可写多个，用顿号分隔"),
        Column("service_regions", "服务地区代码", True, "可写多个，用顿号分隔；全省写 370000"),
        Column("services", "擅长的服务", True, "擅长做什么，用于匹配和搜索"),
        Column("rating", "评估等级", False, "1A 到 5A，没有可不填"),
        Column("phone", "办公电话", False, "单位办公电话"),
    ],
}
SHEET_NAMES = {"demand": "需求项目", "supply": "供给项目", "org": "社会组织"}


def option_lists(site) -> dict[str, list[str]]:
    regions = [f"{r.code} {r.name}" for r in sorted(site.regions.by_code.values(), key=lambda r: r.code)
               if r.level in ("county", "partner")]
    return {
        "regions": regions,
        "fields": [f.name for f in site.vocabulary.fields],
        "categories": list(site.vocabulary.categories),
        "demand_statuses": list(DEMAND_STATUSES.values()),
        "supply_statuses": list(SUPPLY_STATUSES.values()),
        "org_types": list(ORG_TYPES),
        "org_levels": list(ORG_LEVELS),
        "yes_no": ["是", "否"],
    }


def write_template(site, kind: str, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAMES[kind]
    options = book.create_sheet("选项")
    lists = option_lists(site)
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        options.cell(1, index, name)
        for row, value in enumerate(values, start=2):
            options.cell(row, index, value)
        ranges[name] = f"'选项'!${letter}$2:${letter}${max(len(values), 1) + 1}"
    options.sheet_state = "hidden"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
    for number, column in enumerate(COLUMNS[kind], start=1):
        letter = get_column_letter(number)
        cell = sheet.cell(1, number, column.header + ("（必填）" if column.required else ""))
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True)
        sheet.column_dimensions[letter].width = 28 if column.key in ("description", "summary", "title") else 16
        if column.options:
            rule = DataValidation(type="list", formula1=ranges[column.options], allow_blank=not column.required,
                                  showErrorMessage=True, errorTitle="请从列表中选择", error=column.hint)
        else:
            rule = DataValidation(allow_blank=True)
        rule.promptTitle, rule.prompt, rule.showInputMessage = column.header, column.hint, True
        rule.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(rule)
        if column.date:
            for row in range(2, ROWS + 2):
                sheet.cell(row, number).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("填写说明")
    guide.append(["列", "字段", "是否必填", "怎么填"])
    for cell in guide[1]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS[kind]:
        guide.append([column.header, column.key, "必填" if column.required else "选填", column.hint])
    guide.append([])
    guide.append(["注意", "", "", "不要填写个人身份证号、私人手机号和银行卡号；导入时会检查并指出行和列。"])
    guide.column_dimensions["A"].width, guide.column_dimensions["D"].width = 16, 60
    book.save(path)
