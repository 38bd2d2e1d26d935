"""The theme's per-item HTML, written in Python: a status badge, a date, a region's label, a
project or an organization in a list and a list of recommendations.

Record pages show dozens of these each (a demand lists the other demands of its county
and its recommendations), and as Jinja2 macros they were most of a page's rendering cost:
each macro call builds a frame, and each value goes through the environment's attribute
lookup. Here each item is a few string operations, and an item that only depends on its
record, the link prefix and the heading level is made once per renderer and reused by
every page that shows it. Every value from the content is escaped (markupsafe.escape);
the result is Markup, so templates insert it as it is. The HTML is byte for byte what the
macros made (tests/golden/ pins it).

A renderer belongs to one Jinja2 environment (theme.environment), so it lives as long as
one build's rendering, while the records it shows do not change.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from . import urls
from .vocabulary import DEMAND_STATUSES, SUPPLY_STATUSES

STATUS_NAMES = {"demand": DEMAND_STATUSES, "supply": SUPPLY_STATUSES}
KEY_COUNTY = Markup('<span class="key">重点帮扶县</span>')


def record_path(project) -> str:
    return urls.record("demands" if project.kind == "demand" else "offers", project.id)


def joined(separator: str, values) -> Markup:
    """values joined by separator, each escaped unless it is Markup (Jinja2's join filter)."""
    for value in values:
        if type(value) is not str:
            return Markup(escape(separator)).join(values)
    return escape(separator.join(values))


def date(value) -> Markup:
    """A date as 2025年4月1日 in a <time> element; nothing for no date."""
    if not value:
        return Markup("")
    return Markup(f'<time datetime="{escape(value.isoformat())}">'
                  f'{escape(value.year)}年{escape(value.month)}月{escape(value.day)}日</time>')


def status(project) -> Markup:
    """The project's status as a badge."""
    return Markup(f'<span class="status status-{escape(project.status)}">'
                  f'{escape(STATUS_NAMES[project.kind][project.status])}</span>')


class ItemRenderer:
    """Items of one site's pages, each made once: `date`, `status`, `region_label`,
    `project_item`, `org_item`, `recommended` (the names the templates call them by)."""

    def __init__(self, site) -> None:
        self._regions = site.regions
        self._orgs = site.organizations
        self._labels: dict = {}
        self._dates: dict = {}
        self._statuses: dict = {}
        self._items: dict = {}
        self._heads: dict = {}

    def region_label(self, code: str | None) -> Markup:
        """A region's full name (a county with its city, a partner region with its
        province), marked when it is a key assistance county; the code when unknown."""
        label = self._labels.get(code)
        if label is None:
            label = self._labels[code] = self._make_region_label(code)
        return label

    def _make_region_label(self, code: str | None) -> Markup:
        regions = self._regions
        region = regions.get(code)
        if region is None:
            return escape(code or "")
        parent = regions.get(region.parent) if region.level == "county" else None
        name = (parent.name if parent else "") + region.name
        if region.level == "partner":
            name = region.province_name + region.name
        return escape(name) + (KEY_COUNTY if region.key else "")

    def date(self, value) -> Markup:
        """date(value), made once per date."""
        made = self._dates.get(value)
        if made is None:
            made = self._dates[value] = date(value)
        return made

    def status(self, project) -> Markup:
        """status(project), made once per kind and status."""
        key = (project.kind, project.status)
        made = self._statuses.get(key)
        if made is None:
            made = self._statuses[key] = status(project)
        return made

    def _place(self, project) -> Markup:
        """Where a project is: a demand's county, an offer's organization."""
        if project.kind == "demand":
            return self.region_label(project.county)
        org = self._orgs[project.org] if project.org in self._orgs else None
        return escape(org.name) if org is not None else Markup("")

    def project_item(self, project, root: str, h: int = 3) -> Markup:
        """A project in a list of projects: title, status, place, fields, dates, summary."""
        key = (id(project), root, h)
        made = self._items.get(key)
        if made is None:  # the record is kept with its item, so its id() stays its own
            made = self._items[key] = (project, self._make_project_item(project, root, h))
        return made[1]

    def _make_project_item(self, p, root: str, h: int) -> Markup:
        level = escape(h)
        deadline = f"<span>截止 {self.date(p.deadline)}</span>" if p.deadline else ""
        return Markup(
            f'<li class="item">\n<h{level} class="item-title"><a href="{escape(root + record_path(p))}">'
            f'{escape(p.title)}</a></h{level}>\n<p class="meta">{self.status(p)}\n'
            f'<span>{self._place(p)}</span><span>{joined("、", p.fields)}</span>\n'
            f'<span>发布 {self.date(p.published)}</span>{deadline}</p>\n<p>{escape(p.summary)}</p>\n</li>\n')

    def org_item(self, org, root: str, h: int = 3) -> Markup:
        """An organization in a list of organizations: name, type, rating, place, fields."""
        key = (id(org), root, h)
        made = self._items.get(key)
        if made is None:
            made = self._items[key] = (org, self._make_org_item(org, root, h))
        return made[1]

    def _make_org_item(self, o, root: str, h: int) -> Markup:
        level = escape(h)
        rating = f"<span>评估等级 {escape(o.rating)}</span>" if o.rating else ""
        return Markup(
            f'<li class="item">\n<h{level} class="item-title"><a href="{escape(root + "orgs/" + o.id + "/")}">'
            f'{escape(o.name)}</a></h{level}>\n<p class="meta"><span>{escape(o.type)}</span>'
            f'<span>{escape(o.category)}</span>{rating}<span>{self.region_label(o.county)}</span></p>\n'
            f'<p>{joined("、", o.fields)}</p>\n</li>\n')

    def recommended(self, items: list, root: str, what: str, h: int = 3) -> Markup:
        """A list of recommendations (dicts of the record "r", its "score" and its
        "reasons"' texts): organizations when `what` is "org", projects otherwise."""
        parts = ['<ul class="items">']
        for item in items:
            parts.append(self._head(item["r"], root, what, h))
            parts.append(f'<span>匹配得分 {escape(item["score"])}</span></p>\n'
                         f'<p class="reasons">推荐理由：{joined(" · ", item["reasons"])}</p>\n</li>')
        parts.append("</ul>\n")
        return Markup("".join(parts))

    def _head(self, record, root: str, what: str, h: int) -> str:
        """A recommendation's HTML up to its score, which only depends on its record."""
        key = (id(record), root, what, h)
        made = self._heads.get(key)
        if made is None:
            made = self._heads[key] = (record, self._make_head(record, root, what, h))
        return made[1]

    def _make_head(self, r, root: str, what: str, h: int) -> str:
        level = escape(h)
        if what == "org":
            return (f'<li class="item">\n<h{level} class="item-title"><a href="{escape(root + "orgs/" + r.id + "/")}">'
                    f'{escape(r.name)}</a></h{level}>\n<p class="meta"><span>{escape(r.type)}</span>'
                    f'<span>{self.region_label(r.county)}</span>')
        return (f'<li class="item">\n<h{level} class="item-title"><a href="{escape(root + record_path(r))}">'
                f'{escape(r.title)}</a></h{level}>\n<p class="meta"><span>{self._place(r)}</span>')
