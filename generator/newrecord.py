"""`zhuanlan new demand|supply|org|policy`: a valid skeleton record, written into the
right file, with the next free id, today's date and a Chinese comment on each field.

The record is appended as text, so everything already in the file (comments,
layout) stays as it was. Essentials come from flags; in a terminal, missing ones
are asked for.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .site import load_site

CHINA = dt.timezone(dt.timedelta(hours=8))
ESSENTIALS = {
    "demand": [("county", "需求所在县区代码（6 位，例如 371721）"), ("title", "标题"), ("field", "领域（例如 特殊群体关爱）")],
    "supply": [("org", "提供组织的统一社会信用代码"), ("title", "标题"), ("field", "领域（例如 产业发展）")],
    "org": [("id", "统一社会信用代码（18 位）"), ("name", "组织名称"), ("county", "所在地区代码")],
    "policy": [("slug", "文件名（网址），只用小写字母、数字和连字符"), ("title", "标题")],
}


def today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def _quote(text: str) -> str:
    """A YAML double-quoted scalar: no value an editor types can change the file's structure."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def next_id(existing: set[str], prefix: str) -> str:
    start = len(prefix)
    numbers = [int(key[start:]) for key in existing if key.startswith(prefix) and key[start:].isdigit()
               and key[start:].isascii()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def demand_text(values: dict, record_id: str, date: dt.date) -> str:
    return f"""
- id: {record_id}                # 编号：自动生成，全部项目中唯一，也是网址
  kind: demand                  # 需求项目
  title: {_quote(values['title'])}  # 标题
  county: "{values['county']}"            # 需求所在县区代码
  field: {_quote(values['field'])}        # 领域（一个）
  forms: [志愿服务]              # 需要的帮扶方式（词表 forms 中的值，可写多个）
  summary: {_quote('待补充：一两句话说明需要什么。')}  # 摘要
  description: |                # 详细说明（Markdown）
    待补充：背景、需要的支持、受益对象、时间安排。
  published: {date.isoformat()}          # 发布日期
  status: open                  # 状态：open 征集中
"""


def supply_text(values: dict, record_id: str, date: dt.date) -> str:
    return f"""
- id: {record_id}                # 编号：自动生成，全部项目中唯一，也是网址
  kind: supply                  # 供给项目
  org: {values['org']}      # 提供组织的统一社会信用代码
  title: {_quote(values['title'])}  # 标题
  fields: [{_quote(values['field'])}]     # 领域（可写多个）
  forms: [志愿服务]              # 提供的帮扶方式
  service_regions: ["370000"]   # 服务覆盖的地区代码（省、市、县区）
  summary: {_quote('待补充：一两句话说明能提供什么。')}  # 摘要
  description: |                # 详细说明（Markdown）
    待补充：服务内容、服务能力、已有经验。
  published: {date.isoformat()}          # 发布日期
  status: open                  # 状态：open 征集中
"""


def org_text(values: dict, record_id: str, date: dt.date) -> str:
    return f"""
- id: {values['id']}     # 统一社会信用代码
  name: {_quote(values['name'])}  # 名称
  type: 社会服务机构             # 社会团体 / 社会服务机构 / 基金会
  category: 社会工作             # 词表 categories 中的类别
  level: 县级                    # 登记层级：省管 / 市级 / 县级
  county: "{values['county']}"            # 所在地区代码
  fields: [特殊群体关爱]          # 领域
  forms: [志愿服务]              # 帮扶方式
  service_regions: ["{values['county']}"]  # 服务地区代码
  services: {_quote('待补充：擅长做什么。')}  # 擅长的服务（用于匹配和搜索）
"""


def policy_text(values: dict, date: dt.date) -> str:
    return f"""---
title: {_quote(values['title'])}
doc_number: 待补充〔{date.year}〕号      # 文号
issuer: [待补充]                          # 发文机关，可写多个
written: {date.isoformat()}               # 成文日期
published: {date.isoformat()}             # 发布日期
level: 省                                 # 国家 / 省 / 市 / 县
status: 现行有效                          # 现行有效 / 已修订 / 已废止
fields: [产业发展]                        # 领域
source: https://example.org/待补充          # 原文链接
---
待补充：政策正文（Markdown）。
"""


HEADERS = {
    "demand": "# {county} 的需求项目（每个县区一个文件）。字段说明见 docs/data-format.md「项目」一节。\n",
    "supply": "# 供给项目。字段说明见 docs/data-format.md「项目」一节。\n",
    "org": "# 社会组织。字段说明见 docs/data-format.md「社会组织」一节。\n",
}


def target_file(site_dir: Path, kind: str, values: dict) -> Path:
    if kind == "policy":
        return site_dir / "content/policies" / f"{values['slug']}.md"
    if kind == "org":
        folder = site_dir / "data/organizations"
        return folder / f"{values['county']}.yaml" if folder.is_dir() else site_dir / "data/organizations.yaml"
    folder = site_dir / "data/projects"
    if not folder.is_dir():
        return site_dir / "data/projects.yaml"
    return folder / (f"{values['county']}.yaml" if kind == "demand" else "offers.yaml")


def ask_missing(kind: str, values: dict, ask=input) -> list[str]:
    """Fill missing essentials by asking (in a terminal); returns those still missing."""
    missing = []
    for name, label in ESSENTIALS[kind]:
        if not values.get(name) and sys.stdin.isatty():
            values[name] = ask(f"{label}：").strip()
        if not values.get(name):
            missing.append(label)
    return missing


def new_record(site_dir: Path, kind: str, values: dict, date: dt.date | None = None) -> tuple[int, str]:
    """Write the skeleton; (exit code, message). Nothing stays written if the record has a problem."""
    from . import report

    date = date or today()
    site, _problems = load_site(site_dir, use_cache=False)
    path = target_file(site_dir, kind, values)
    if kind == "policy" and path.exists():
        return 2, f"错误：{path.relative_to(site_dir).as_posix()} 已存在，请换一个文件名。"
    year = date.year
    if kind == "demand":
        text = demand_text(values, next_id(set(site.projects), f"d-{values['county']}-{year}-"), date)
    elif kind == "supply":
        text = supply_text(values, next_id(set(site.projects), f"s-{year}-"), date)
    elif kind == "org":
        text = org_text(values, values["id"], date)
    else:
        text = policy_text(values, date)
    before = path.read_text(encoding="utf-8") if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    if before is None:
        head = "" if kind == "policy" else HEADERS[kind].format(county=values.get("county", ""))
        path.write_text(head + (text.lstrip("\n") if kind == "policy" else text), encoding="utf-8")
    else:
        path.write_text(before + ("" if before.endswith("\n") else "\n") + text, encoding="utf-8")
    rel = path.relative_to(site_dir).as_posix()
    _site, problems = load_site(site_dir, use_cache=False)
    mine = [p for p in problems.sorted() if p.path == rel and p.level == "error"]
    if mine:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
        return 1, "\n".join(report.as_text(p) for p in mine) + "\n没有写入：请按上面的提示改正后重试。"
    return 0, f"已写入 {rel}。请补充其中「待补充」的内容，然后运行 zhuanlan check。"
