"""The JSON Schema of data/match-index.json (matchindex.index_files publishes it beside
the index): what each field holds, in the words the column's readers use."""
from __future__ import annotations

LEVELS = {"county": "县区", "city": "市", "province": "全省", "partner": "省外协作地区"}
REASON_TYPES = {"field": "领域相同", "region": "服务范围覆盖需求所在地", "forms": "能提供需求所要的帮扶方式",
                "keywords": "共同关键词（文字中贡献最大的词）",
                "related": "相关词（词表 related 中与需求用词同组的词）", "key_county": "需求在重点帮扶县"}


def _recommendation(target: str, pattern: dict) -> dict:
    return {"type": "object", "additionalProperties": False, "required": ["id", "score", "level", "reasons"],
            "properties": {
                "id": {**pattern, "title": target, "description": f"{target}的编号。"},
                "score": {"type": "number", "title": "得分", "description": "按 weights 计算的总分，保留两位小数；"
                          "同分按编号排序。"},
                "level": {"type": "string", "enum": list(LEVELS), "title": "覆盖层级",
                          "description": "服务范围以哪一级覆盖需求所在地：" +
                          "、".join(f"{k}（{v}）" for k, v in LEVELS.items()) + "。"},
                "reasons": {"type": "array", "title": "推荐理由", "description": "页面上显示的理由，依次排列。",
                            "items": {"type": "object", "additionalProperties": False,
                                      "required": ["type", "text", "values"],
                                      "properties": {
                                          "type": {"type": "string", "enum": list(REASON_TYPES),
                                                   "description": "理由类型：" + "、".join(
                                                       f"{k}（{v}）" for k, v in REASON_TYPES.items()) + "。"},
                                          "text": {"type": "string", "description": "页面上显示的中文理由。"},
                                          "values": {"type": "array", "items": {"type": "string"},
                                                     "description": "理由涉及的值：领域、地区代码、帮扶方式或关键词。"}}}}}}


def index_schema() -> dict:
    project = {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"}
    uscc = {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$"}

    def entries(title: str, pattern: dict, key: str, item: dict, what: str) -> dict:
        return {"type": "array", "title": title, "description": what,
                "items": {"type": "object", "additionalProperties": False, "required": ["id", key],
                          "properties": {"id": pattern, key: {"type": "array", "items": item}}}}

    weight = {"type": "integer"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "schema/match-index.schema.json",
        "title": "推荐对接索引",
        "description": "每个征集中的需求推荐的供给项目和社会组织，以及每个社会组织、供给项目适合的需求（data/match-index.json）。",
        "type": "object", "additionalProperties": False,
        "required": ["date", "weights", "demands", "offers", "organizations"],
        "properties": {
            "date": {"type": "string", "format": "date", "title": "基准日期",
                     "description": "判断需求和供给是否过了截止日期所用的日期（内容中最新的日期）。"},
            "weights": {"type": "object", "title": "评分设置", "description": "site.yaml 中 match_ 开头的设置。",
                        "additionalProperties": False,
                        "required": ["field", "forms", "text", "county", "city", "min_score", "count"],
                        "properties": {k: weight for k in ("field", "forms", "text", "county", "city", "min_score",
                                                            "count")}},
            "demands": {**entries("需求", project, "offers", _recommendation("供给项目", project),
                                  "每个征集中且未过截止日期的需求；organizations 为推荐的社会组织。"),
                        "items": {"type": "object", "additionalProperties": False,
                                  "required": ["id", "offers", "organizations"],
                                  "properties": {"id": project,
                                                 "offers": {"type": "array",
                                                            "items": _recommendation("供给项目", project)},
                                                 "organizations": {"type": "array",
                                                                   "items": _recommendation("社会组织", uscc)}}}},
            "offers": entries("供给项目", project, "demands", _recommendation("需求", project),
                              "每个征集中且未过截止日期的供给项目适合的需求：重点帮扶县的需求在前。"),
            "organizations": entries("社会组织", uscc, "demands", _recommendation("需求", project),
                                     "每个社会组织适合的需求：重点帮扶县的需求在前。"),
        },
    }
