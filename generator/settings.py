"""Site settings from site.yaml: declared, typed, each with Chinese help text.

site.yaml is data, never code. Every setting is declared here once; the README
documents each (a test fails when one is not), and an unknown key is an error.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .fields import FieldReader, describe, suggest
from .nodes import Mapping, Node
from .problems import Problems


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str  # text | url | integer
    default: object
    help: str
    low: int = 5  # integers: the smallest and largest value allowed
    high: int = 200


SETTINGS = [
    Setting("title", "text", "社会组织参与乡村振兴", "专栏名称，显示在每页顶部和浏览器标题中。"),
    Setting("subtitle", "text", "", "专栏副标题，例如主办部门。"),
    Setting("siteurl", "url", "", "专栏发布后的网址（可含子路径），例如 https://www.example.gov.cn/col/xczx；"
            "也可在构建时用 --siteurl 指定。"),
    Setting("host_unit", "text", "", "主办单位，显示在页脚。"),
    Setting("site_code", "text", "", "网站标识码，显示在页脚。"),
    Setting("icp", "text", "", "ICP 备案号，显示在页脚。"),
    Setting("police_filing", "text", "", "公安机关备案号，显示在页脚。"),
    Setting("contact", "text", "", "联系方式（单位电话或邮箱），显示在页脚。"),
    Setting("feedback_url", "url", "", "“找错 / 意见反馈”链接。"),
    Setting("portal_header", "text", "", "门户网站页头 HTML 片段的文件路径（相对站点目录，由主管部门提供）。"),
    Setting("portal_footer", "text", "", "门户网站页脚 HTML 片段的文件路径（相对站点目录，由主管部门提供）。"),
    Setting("sample_notice", "text", "", "示例站点提示语；填写后每页顶部都会显示，正式站点留空。"),
    Setting("per_page", "integer", 20, "列表页每页显示的条数（5 到 200）。"),
    Setting("match_count", "integer", 5, "推荐对接：每个需求页推荐的供给项目数和社会组织数，以及每个组织页、"
            "供给页推荐的需求数（1 到 20）。", 1, 20),
    Setting("match_weight_field", "integer", 40, "推荐对接评分：领域相同的分值（0 到 100）。领域不同的不推荐。", 0, 100),
    Setting("match_weight_forms", "integer", 20, "推荐对接评分：帮扶方式的分值，按需求所要帮扶方式中对方能提供的比例计"
            "（0 到 100）。", 0, 100),
    Setting("match_weight_text", "integer", 30, "推荐对接评分：文字相关度（共同关键词）的最高分值（0 到 100）。", 0, 100),
    Setting("match_weight_county", "integer", 10, "推荐对接评分：服务范围直接写明需求所在县区时加的分（0 到 100）。", 0, 100),
    Setting("match_weight_city", "integer", 5, "推荐对接评分：服务范围写明需求所在市（未写县区）时加的分（0 到 100）。",
            0, 100),
    Setting("match_min_score", "integer", 55, "推荐对接：总分达到这个值才推荐（0 到 300）。", 0, 300),
]
BY_NAME = {setting.name: setting for setting in SETTINGS}


FRAGMENTS = ("portal_header", "portal_footer")


def fragment_positions(root: Node | None) -> dict[str, tuple[int, int]]:
    """Where site.yaml names the portal's fragments, for reporting a missing file."""
    if not isinstance(root, Mapping):
        return {}
    return {name: (root.get(name).line, root.get(name).col) for name in FRAGMENTS if root.get(name) is not None}


def check_fragments(site_root, values: dict, positions: dict, rel: str, problems: Problems) -> None:
    """The portal's header and footer fragments must be files inside the site folder.
    (Checked on every run, not cached with site.yaml: the files can change on their own.)"""
    for name in FRAGMENTS:
        value = values.get(name)
        if not value or name not in positions:
            continue
        base = os.path.realpath(site_root)
        path = os.path.realpath(os.path.join(base, value))
        if os.path.commonpath([base, path]) != base:
            why = "：路径不能指向站点目录之外"
        elif not os.path.isfile(path):
            why = ""
        else:
            continue
        problems.add("E115", rel, *positions[name], field=name, value=value, why=why)


def load_settings(root: Node | None, rel: str, problems: Problems) -> dict:
    values = {setting.name: setting.default for setting in SETTINGS}
    if root is None:
        return values
    if not isinstance(root, Mapping):
        problems.at("E114", rel, root, expected="设置项（名称: 值）", actual=describe(root),
                    shape_hint="site.yaml 每行写一个“设置名: 值”，参见示例站点。")
        return values
    for key, (key_node, _value) in root.items.items():
        if key not in BY_NAME:
            problems.at("E220", rel, key_node, field=key, suggestion=suggest(key, BY_NAME),
                        allowed="、".join(BY_NAME))
    known = Mapping(root.line, root.col)
    known.items = {key: pair for key, pair in root.items.items() if key in BY_NAME}
    reader = FieldReader(known, rel, problems, {name: name for name in BY_NAME})
    for setting in SETTINGS:
        if setting.kind == "integer":
            value = reader.integer(setting.name, False, setting.low, setting.high)
        elif setting.kind == "url":
            value = reader.url(setting.name)
        else:
            value = reader.text(setting.name)
        if value is not None:
            values[setting.name] = value
    return values
