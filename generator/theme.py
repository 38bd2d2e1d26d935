"""The theme's shared Jinja2 environment: one set of globals for every template,
whether Pelican renders it (Markdown content) or the record renderer does."""
from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from .markup import render_markdown
from .template_code import ThemeEnvironment
from .theme_items import ItemRenderer, record_path

THEME = Path(__file__).resolve().parent.parent / "theme"
TEMPLATES = THEME / "templates"
SECTION_NAMES = {"policies": "政策文件", "news": "工作动态", "cases": "典型案例", "pages": "关于专栏"}
NAV = [("", "首页"), ("policies/", "政策文件"), ("demands/", "需求项目"), ("offers/", "供给项目"),
       ("orgs/", "社会组织"), ("regions/", "各地"), ("cases/", "典型案例"), ("news/", "工作动态"),
       ("stats/", "统计")]
CURRENT = ' aria-current="page"'
_SECTIONS = {path.rstrip("/"): path for path, _name in NAV if path}  # each section is one folder


def relative(output_file: str, target: str) -> str:
    """A relative link from the page written at output_file to a site path. Every page is a
    file in a folder, so the link climbs one level per "/" in its output path."""
    return "../" * output_file.count("/") + target or "./"


@pass_context
def link(context, target: str) -> str:
    """relative() from the page being rendered."""
    return relative(context["output_file"], target)


def site_nav(output_file: str) -> Markup:
    """The column's navigation items, the one whose section holds the page marked current
    (the home item only on the home page). A loop in base.html cost every page more than
    the rest of the page's frame."""
    items = []
    for path, name in NAV:
        current = output_file.startswith(path) if path else output_file == "index.html"
        items.append(f'<li><a href="{escape(relative(output_file, path))}"{CURRENT if current else ""}>'
                     f'{escape(name)}</a></li>\n')
    return Markup("".join(items))


def nav_section(output_file: str) -> str | None:
    """The navigation item whose section holds the page: what site_nav() marks current."""
    if output_file == "index.html":
        return ""
    first, slash, _rest = output_file.partition("/")
    return _SECTIONS.get(first) if slash else None


class Parts:
    """`part(name, **values)` in a template: theme/templates/parts/<name>.html (the top or
    the foot of every page, a listing's facets), made once per depth and section of the
    site and per values given, and reused. A part may use the page's output_file only
    through link() and site_nav(), which depend on nothing else of it. Rendered in full
    with each page, the top and the foot cost each of 48,000 pages a fifth of its
    rendering, and a listing's facets a third of its.

    The parts are rendered by `environment`, or (a part called from Pelican's environment)
    by one made for them on first use."""

    def __init__(self, site) -> None:
        self.site = site
        self.environment: Environment | None = None
        self._made: dict[tuple, Markup] = {}

    @pass_context
    def __call__(self, context, name: str, **values) -> Markup:
        """The part, given `values` (hashable: they are part of its key)."""
        output_file = context["output_file"]
        key = (name, output_file.count("/"), nav_section(output_file), *values.items())
        made = self._made.get(key)
        if made is None:
            if self.environment is None:
                self.environment = environment(self.site)
            template = self.environment.get_template(f"parts/{name}.html")
            made = self._made[key] = Markup(template.render(output_file=output_file, **values))
        return made


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
    """The names every template sees; the per-item HTML (theme_items.py) among them."""
    items = ItemRenderer(site)
    return {
        "part": Parts(site),
        "S": site.settings,
        "site_nav": site_nav,
        "link": link,
        "record_path": record_path,
        "region_label": items.region_label,
        "project_item": items.project_item,
        "org_item": items.org_item,
        "recommended": items.recommended,
        "date": items.date,
        "status": items.status,
        "regions": site.regions,
        "orgs": site.organizations,
        "projects": site.projects,
        "FIELD_SLUGS": {f.name: f.slug for f in site.vocabulary.fields},
        "SECTION_NAMES": SECTION_NAMES,
        "portal_header": portal_fragment(site.root, site.settings.get("portal_header", "")),
        "portal_footer": portal_fragment(site.root, site.settings.get("portal_footer", "")),
        "crumbs": [],
    }


def environment(site) -> Environment:
    env = ThemeEnvironment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                           trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.globals.update(theme_globals(site))
    env.globals["part"].environment = env
    env.filters["markdown"] = lambda text, top=2: Markup(render_markdown(text, top))
    return env
