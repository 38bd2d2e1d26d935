"""What search finds: one search document per policy, demand, offer, organization and
region, with the text that is searched, what a result shows, and its filter values.

Documents are numbered oldest first (by date, then kind, then key), so that sorting
by date is sorting by number, and a new record, usually the newest, is added at the
end without renumbering the others (their index files keep their bytes).

The searched text of a document starts with its title; the rest follows after a
newline. Matching is on this text after `fold` (a one-to-one character mapping, the
same in the browser), so a position in the folded text is a position in the shown one.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import urls
from .stats import places_of
from .vocabulary import DEMAND_STATUSES, SUPPLY_STATUSES

KIND_NAMES = {"policy": "政策", "demand": "需求", "supply": "供给", "org": "社会组织", "region": "地区"}
KIND_ORDER = {kind: number for number, kind in enumerate(KIND_NAMES)}
POLICY_STATUS_KEYS = {"现行有效": "effective", "已修订": "revised", "已废止": "repealed"}
STATUS_NAMES = {**DEMAND_STATUSES, **SUPPLY_STATUSES,
                **{key: name for name, key in POLICY_STATUS_KEYS.items()}}

_FOLD = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
_FOLD.update({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})  # full-width ASCII
_FOLD.update({code: ord("a") + (code - 0xFF21) for code in range(0xFF21, 0xFF3B)})  # Ａ → a
_FOLD[0x3000] = 0x20  # ideographic space


def fold(text: str) -> str:
    """Case- and width-insensitive matching: A-Z to a-z, full-width ASCII to ASCII, the
    ideographic space to a space. One character to one character, nothing else changes
    (search.js folds the same way)."""
    return text.translate(_FOLD)


_MARKDOWN = [
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"<[^>\n]*>"), " "),  # inline HTML tags
    (re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.M), ""),  # block markers
    (re.compile(r"(\*\*|__|\*|`+|~~)"), ""),  # emphasis and code marks
]


def plain(markdown: str) -> str:
    """Markdown as the text a reader sees (near enough for searching): marks removed."""
    for pattern, replacement in _MARKDOWN:
        markdown = pattern.sub(replacement, markdown)
    return markdown


@dataclass
class SearchDoc:
    kind: str  # policy | demand | supply | org | region
    key: str  # the record's id, slug or region code
    path: str  # the site path of its page
    title: str
    body: str  # searched after the title
    date: dt.date | None
    place: str = ""  # the region shown with a result
    fields: list[str] = field(default_factory=list)
    status: str = ""  # a STATUS_NAMES key, or ""
    regions: set[str] = field(default_factory=set)  # region filter values it answers to

    @property
    def text(self) -> str:
        """The searched text: the title, a newline, the body."""
        return self.title + "\n" + self.body


def _join(*parts) -> str:
    return "\n".join(part for part in parts if part)


def _place(site, code: str | None) -> str:
    region = site.regions.get(code)
    if region is None:
        return ""
    parent = site.regions.get(region.parent) if region.level == "county" else None
    if region.level == "partner":
        return region.province_name + region.name
    return (parent.name if parent else "") + region.name


def regions_within(site) -> dict[str, list[str]]:
    """{region code: it and every region inside it}."""
    below: dict[str, list[str]] = {code: [] for code in site.regions.by_code}
    for code in sorted(site.regions.by_code):
        for place in places_of(site, code):
            below[place].append(code)
    return below


def _covered(site, codes: list[str], below: dict[str, list[str]]) -> set[str]:
    """Regions an offer answers to: each region it names, those around it and those in it
    (an offer for a county is found under its city; one for the province under every county)."""
    out = {place for code in codes for place in places_of(site, code)}
    out.update(inner for code in codes for inner in below.get(code, []))
    return out


def _demand(site, p) -> SearchDoc:
    place = _place(site, p.county)
    body = _join(p.summary, plain(p.description), p.beneficiaries, p.period, place, "、".join(p.fields),
                 "、".join(p.forms), p.contact_unit)
    return SearchDoc("demand", p.id, urls.record("demands", p.id), p.title, body, p.published, place,
                     list(p.fields), p.status or "", set(places_of(site, p.county)))


def _offer(site, p, below: dict[str, list[str]]) -> SearchDoc:
    org = site.organizations.get(p.org)
    places = [_place(site, code) for code in p.service_regions]
    body = _join(p.summary, plain(p.description), org.name if org else "", p.beneficiaries, p.capacity, p.period,
                 "、".join(places), "、".join(p.fields), "、".join(p.forms))
    return SearchDoc("supply", p.id, urls.record("offers", p.id), p.title, body, p.published, "、".join(places),
                     list(p.fields), p.status or "", _covered(site, p.service_regions, below))


def _org(site, o) -> SearchDoc:
    place = _place(site, o.county)
    body = _join(o.services, o.type, o.category, o.level, o.rating and f"评估等级{o.rating}", place,
                 "、".join(o.fields), "、".join(o.forms), "\n".join(f"{h.year}年{h.title}" for h in o.honors))
    return SearchDoc("org", o.id, urls.record("orgs", o.id), o.name, body, None, place, list(o.fields), "",
                     set(places_of(site, o.county)))


def _policy(site, page) -> SearchDoc:
    meta = page.meta
    body = _join(meta.get("doc_number"), "、".join(meta.get("issuer") or []), meta.get("index_number"),
                 meta.get("level"), meta.get("status"), page.summary, plain(page.body), "、".join(meta.get("fields") or []),
                 "\n".join(item["title"] for item in meta.get("attachments") or []))
    status = POLICY_STATUS_KEYS.get(meta.get("status") or "", "")
    return SearchDoc("policy", page.slug, urls.record("policies", page.slug), page.title, body, page.published,
                     meta.get("level") or "", list(meta.get("fields") or []), status, set())


def _region(site, region) -> SearchDoc:
    place = _place(site, region.code)
    body = _join(place if place != region.name else "", region.kind, "重点帮扶县" if region.key else "",
                 region.relation)
    return SearchDoc("region", region.code, urls.record("regions", region.code), region.name, body, None,
                     place, [], "", set(places_of(site, region.code)))


def _order(doc: SearchDoc) -> tuple:
    return (doc.date or dt.date.min, KIND_ORDER[doc.kind], doc.key)


def search_docs(site) -> list[SearchDoc]:
    """Every document, numbered by its place in this list (oldest first)."""
    docs = [_policy(site, page) for page in site.pages.get("policies", [])]
    below = regions_within(site)
    docs += [_demand(site, p) if p.kind == "demand" else _offer(site, p, below) for p in site.projects.values()]
    docs += [_org(site, o) for o in site.organizations.values()]
    docs += [_region(site, r) for r in site.regions.by_code.values() if r.level != "province"]
    return sorted(docs, key=_order)
