"""Markdown pages with YAML front matter: policies, news, cases and fixed pages.

The front matter is everything between a first line `---` and the next line
`---` (or `...`); the file name without `.md` is the page's URL slug.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .fields import FieldReader, describe
from .identifiers import is_safe_id
from .nodes import Mapping, Node
from .problems import Problems
from .vocabulary import POLICY_LEVELS, POLICY_STATUSES, Vocabulary

SECTIONS = {"policies": "政策文件", "news": "工作动态", "cases": "典型案例", "pages": "固定页面"}
LABELS = {
    "policies": {"title": "标题", "doc_number": "文号", "issuer": "发文机关", "written": "成文日期",
                 "published": "发布日期", "level": "层级", "status": "效力状态", "fields": "领域",
                 "source": "原文链接", "index_number": "索引号", "attachments": "附件", "summary": "摘要"},
    "news": {"title": "标题", "published": "发布日期", "summary": "摘要", "source": "来源链接"},
    "cases": {"title": "标题", "published": "发布日期", "summary": "摘要", "orgs": "相关组织",
              "projects": "相关项目", "brand": "是否公益品牌"},
    "pages": {"title": "标题", "order": "排序", "summary": "摘要", "published": "发布日期"},
}


@dataclass
class Page:
    section: str  # policies | news | cases | pages
    slug: str
    path: str
    body: str
    body_line: int  # the file line on which the body starts
    title: str = ""
    summary: str | None = None
    published: dt.date | None = None
    meta: dict = field(default_factory=dict)  # section-specific values


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter text including its opening line, body, body's first line) or None."""
    if not (text.startswith("---\n") or text.startswith("---\r\n")):
        return None
    lines = text.splitlines(keepends=True)
    offset = len(lines[0])
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip("\r\n") in ("---", "..."):
            return text[:offset], text[offset + len(line):], number + 1
        offset += len(line)
    return "", "", -1


def load_page(section: str, slug: str, root: Node | None, body: str, body_line: int, rel: str,
              problems: Problems, vocabulary: Vocabulary) -> Page | None:
    if not is_safe_id(slug):
        problems.add("E113", rel, 1, 1, name=slug + ".md")
    if not isinstance(root, Mapping):
        if root is not None:
            problems.at("E114", rel, root, expected="头信息字段（title: …）", actual=describe(root),
                        shape_hint="头信息里每行写一个“字段: 值”。")
        else:
            problems.add("E201", rel, 1, 1, field="title", label="标题")
        return None
    reader = FieldReader(root, rel, problems, LABELS[section])
    page = Page(section, slug, rel, body, body_line)
    page.title = reader.text("title", True) or ""
    page.summary = reader.text("summary")
    page.published = reader.date("published", required=section != "pages")
    meta = page.meta
    if section == "policies":
        meta["doc_number"] = reader.text("doc_number", True)
        meta["issuer"] = [item.value for item in reader.items("issuer", True)]
        meta["written"] = reader.date("written", True)
        meta["level"] = reader.choice("level", POLICY_LEVELS, "政策层级（国家 / 省 / 市 / 县）", True)
        meta["status"] = reader.choice("status", POLICY_STATUSES, "效力状态", True)
        meta["fields"] = reader.choices("fields", vocabulary.field_choices, "词表的领域（fields）", True)
        meta["source"] = reader.url("source", True)
        meta["index_number"] = reader.text("index_number")
        meta["attachments"] = _attachments(reader)
        if meta["written"] and page.published and page.published < meta["written"]:
            problems.at("E212", rel, reader.node("published"), later="published", later_value=page.published,
                        earlier="written", earlier_value=meta["written"])
    elif section == "news":
        meta["source"] = reader.url("source")
    elif section == "cases":
        meta["orgs"] = reader.items("orgs")  # nodes: resolved against records later
        meta["projects"] = reader.items("projects")
        meta["brand"] = bool(reader.flag("brand"))
    else:
        meta["order"] = reader.integer("order", False, 0, 9999)
    return page if is_safe_id(slug) else None


def _attachments(reader: FieldReader) -> list[dict]:
    out = []
    for one in reader.sub_records("attachments", "附件", "{title: 附件名称, url: https://…}",
                                  {"title": "附件名称", "url": "附件链接"}):
        title, url = one.text("title", True), one.url("url", True)
        if title and url:
            out.append({"title": title, "url": url})
    return out
