"""The open data's columns and JSON Schemas: for each dataset (demands, offers,
organizations, regions, policies), the key, Chinese label and schema of every column, in
order (opendata.py writes the JSON and CSV; the schemas go to data/schema/NAME.schema.json)."""
from __future__ import annotations

from .vocabulary import DEMAND_STATUSES, SUPPLY_STATUSES

DATASETS = {"demands": "需求项目", "offers": "供给项目", "organizations": "社会组织", "regions": "地区",
            "policies": "政策文件"}


def _null(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


TEXT, DATE, NUMBER, BOOL = {"type": "string"}, {"type": "string", "format": "date"}, {"type": "number"}, \
    {"type": "boolean"}
CODE = {"type": "string", "pattern": "^[0-9]{6}$"}
PROJECT_ID = {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"}
USCC = {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$"}


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


def _enum(values) -> dict:
    return {"type": "string", "enum": list(values)}


def _objects(properties: dict[str, tuple[dict, str]]) -> dict:
    return _list({"type": "object", "additionalProperties": False, "required": list(properties),
                  "properties": {key: {**schema, "title": title} for key, (schema, title) in properties.items()}})


# (key, Chinese label used as CSV header and schema title, JSON Schema of the value)
COLUMNS: dict[str, list[tuple[str, str, dict]]] = {
    "demands": [
        ("id", "编号", PROJECT_ID), ("title", "标题", TEXT), ("summary", "摘要", TEXT),
        ("description", "详细说明（Markdown）", TEXT), ("county", "所在县区代码", CODE),
        ("county_name", "所在县区", TEXT), ("city", "所属市代码（省外协作地区为空）", _null(CODE)),
        ("city_name", "所属市", _null(TEXT)), ("field", "领域", TEXT), ("forms", "需要的帮扶方式", _list(TEXT)),
        ("beneficiaries", "受益对象", _null(TEXT)), ("budget", "金额（元）", _null(NUMBER)),
        ("period", "实施周期", _null(TEXT)), ("published", "发布日期", DATE), ("deadline", "截止日期", _null(DATE)),
        ("status", "状态代码", _enum(DEMAND_STATUSES)), ("status_name", "状态", _enum(DEMAND_STATUSES.values())),
        ("matched_orgs", "承接组织代码", _list(USCC)), ("matched_orgs_name", "承接组织", _list(TEXT)),
        ("many_to_one", "多对一（已对接后仍欢迎更多组织）", BOOL),
        ("contact_unit", "联系单位", _null(TEXT)), ("contact_phone", "办公电话", _null(TEXT)),
    ],
    "offers": [
        ("id", "编号", PROJECT_ID), ("title", "标题", TEXT), ("summary", "摘要", TEXT),
        ("description", "详细说明（Markdown）", TEXT), ("org", "提供方组织代码", USCC), ("org_name", "提供方组织", TEXT),
        ("fields", "领域", _list(TEXT)), ("forms", "提供的帮扶方式", _list(TEXT)),
        ("service_regions", "服务地区代码", _list(CODE)), ("service_regions_name", "服务地区", _list(TEXT)),
        ("beneficiaries", "受益对象", _null(TEXT)), ("budget", "金额（元）", _null(NUMBER)),
        ("period", "实施周期", _null(TEXT)), ("capacity", "服务能力", _null(TEXT)), ("published", "发布日期", DATE),
        ("deadline", "截止日期", _null(DATE)), ("status", "状态代码", _enum(SUPPLY_STATUSES)),
        ("status_name", "状态", _enum(SUPPLY_STATUSES.values())),
    ],
    "organizations": [
        ("id", "统一社会信用代码", USCC), ("name", "名称", TEXT), ("type", "组织类型", TEXT), ("category", "类别", TEXT),
        ("level", "登记层级", TEXT), ("county", "所在地区代码", CODE), ("county_name", "所在地区", TEXT),
        ("fields", "领域", _list(TEXT)), ("forms", "帮扶方式", _list(TEXT)),
        ("service_regions", "服务地区代码", _list(CODE)), ("service_regions_name", "服务地区", _list(TEXT)),
        ("services", "擅长的服务", TEXT), ("rating", "评估等级", _null(TEXT)),
        ("honors", "表彰", _objects({"year": ({"type": "integer"}, "年份"), "title": (TEXT, "表彰名称")})),
        ("phone", "办公电话", _null(TEXT)), ("website", "网址", _null(TEXT)),
    ],
    "regions": [
        ("code", "地区代码", CODE), ("name", "名称", TEXT),
        ("level", "层级代码", _enum(["province", "city", "county", "partner"])), ("level_name", "层级", TEXT),
        ("kind", "类型（市、区、县、县级市）", TEXT), ("parent", "上级地区代码", _null(CODE)),
        ("parent_name", "上级地区", _null(TEXT)), ("province", "所在省", TEXT), ("key", "是否省重点帮扶县", BOOL),
        ("relation", "协作关系（省外协作地区）", _null(TEXT)), ("paired_with", "结对的本省地区代码", _null(CODE)),
        ("paired_with_name", "结对的本省地区", _null(TEXT)),
    ],
    "policies": [
        ("slug", "编号（网址）", PROJECT_ID), ("title", "标题", TEXT), ("doc_number", "文号", TEXT),
        ("index_number", "索引号", _null(TEXT)), ("issuer", "发文机关", _list(TEXT)), ("written", "成文日期", DATE),
        ("published", "发布日期", DATE), ("level", "层级", TEXT), ("status", "效力状态", TEXT),
        ("fields", "领域", _list(TEXT)), ("source", "原文链接", TEXT), ("summary", "摘要", _null(TEXT)),
        ("attachments", "附件", _objects({"title": (TEXT, "附件名称"), "url": (TEXT, "附件链接")})),
    ],
}


def schema_for(name: str) -> dict:
    """The JSON Schema of one item of data/<name>.json (also of data/regions/<code>.json for demands)."""
    properties = {key: {"title": label, "description": _describe(label, schema), **schema}
                  for key, label, schema in COLUMNS[name]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"schema/{name}.schema.json",
            "title": DATASETS[name], "description": f"{DATASETS[name]}开放数据（data/{name}.json）中的一条记录。",
            "type": "object", "additionalProperties": False, "required": [key for key, _l, _s in COLUMNS[name]],
            "properties": properties}


def _describe(label: str, schema: dict) -> str:
    """The Chinese description of a property, from its label and its schema."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    parts = [label + "。"]
    if schema.get("pattern") == CODE["pattern"]:
        parts.append("6 位地区代码（GB/T 2260），写成字符串。")
    if schema.get("format") == "date":
        parts.append("日期，格式为 年-月-日，例如 2025-03-01。")
    if "enum" in schema and schema["enum"][0] in DEMAND_STATUSES:
        names = {**SUPPLY_STATUSES, **DEMAND_STATUSES}
        parts.append("取值：" + "、".join(f"{code}（{names[code]}）" for code in schema["enum"]) + "。")
    if "array" in types:
        parts.append("列表，可以为空；CSV 中各项以「；」分隔。")
    if "null" in types:
        parts.append("没有填写时为 null（CSV 中为空）。")
    return "".join(parts)
