"""The theme's shared Jinja2 environment: one set of globals for every template,
whether Pelican renders it (Markdown content) or the record renderer does."""
from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from . import urls
from .markup import render_markdown
from .vocabulary import DEMAND_STATUSES, SUPPLY_STATUSES

THEME = Path(__file__).resolve().parent.parent / "theme"
TEMPLATES = THEME / "templates"
STATUS_NAMES = {"demand": DEMAND_STATUSES, "supply": SUPPLY_STATUSES}
SECTION_NAMES = {"policies": "政策文件", "news": "工作动态", "cases": "典型案例", "pages": "关于专栏"}
NAV = [("", "首页"), ("policies/", "政策文件"), ("demands/", "需求项目"), ("offers/", "供给项目"),
       ("orgs/", "社会组织"), ("regions/", "各地"), ("cases/", "典型案例"), ("news/", "工作动态"),
       ("stats/", "统计")]


@pass_context
def link(context, target: str) -> str:
    """A relative link from the page being rendered to a site path. Every page is a
    file in a folder, so the link climbs one level per "/" in its output path."""
    return "../" * context["output_file"].count("/") + target or "./"


def record_path(project) -> str:
    return urls.record("demands" if project.kind == "demand" else "offers", project.id)


def portal_fragment(site_root: Path, relative: str) -> str:
    """A trusted HTML fragment from the department, read from inside the site folder only."""
    if not relative:
        return ""
    root = os.path.realpath(site_root)
    path = os.path.realpath(os.path.join(root, relative))
    if os.path.commonpath([root, path]) != root or not os.path.isfile(path):
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def theme_globals(site) -> dict:
    regions = site.regions

    def region_label(code: str | None) -> Markup:
        region = regions.get(code)
        if region is None:
            return escape(code or "")
        parent = regions.get(region.parent) if region.level == "county" else None
        name = (parent.name if parent else "") + region.name
        if region.level == "partner":
            name = region.province_name + region.name
        return escape(name) + (Markup('<span class="key">重点帮扶县</span>') if region.key else "")

    return {
        "S": site.settings,
        "nav": [{"path": path, "name": name} for path, name in NAV],
        "link": link,
        "record_path": record_path,
        "region_label": region_label,
        "regions": regions,
        "orgs": site.organizations,
        "projects": site.projects,
        "FIELD_SLUGS": {f.name: f.slug for f in site.vocabulary.fields},
        "STATUS_NAMES": STATUS_NAMES,
        "SECTION_NAMES": SECTION_NAMES,
        "portal_header": portal_fragment(site.root, site.settings.get("portal_header", "")),
        "portal_footer": portal_fragment(site.root, site.settings.get("portal_footer", "")),
        "crumbs": [],
    }


def environment(site) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(theme_globals(site))
    env.filters["markdown"] = lambda text, top=2: Markup(render_markdown(text, top))
    return env
