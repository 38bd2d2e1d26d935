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
from .fingerprint import record_digest
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


_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # links and images: their text
_TAG = re.compile(r"<[^>\n]*>")  # inline HTML tags
_BLOCK = re.compile(r"\n[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)")  # after a line's start
_PAIRS = re.compile(r"__|~~")  # emphasis marks that come in pairs; every * and ` goes


def plain(markdown: str) -> str:
    """Markdown as the text a reader sees (near enough for searching): marks removed.
    The same as these, one after another: links and images to their text, inline tags to
    a space, block markers at a line's start (headings, quotes, list items) removed, then
    one left-to-right pass removing **, __, *, runs of ` and ~~. A pattern is only applied
    where the text holds what it needs (a link needs "](", a tag "<"), and the last pass
    is the pairs first, then every * and ` (equal, since neither kind can consume the other)."""
    if "](" in markdown:
        markdown = _LINK.sub(r"\1", markdown)
    if "<" in markdown:
        markdown = _TAG.sub(" ", markdown)
    markdown = _BLOCK.sub("\n", "\n" + markdown)[1:]  # a match never spans a newline: each line starts after one
    if "__" in markdown or "~~" in markdown:
        markdown = _PAIRS.sub("", markdown)
    return markdown.replace("*", "").replace("`", "")


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
    regions: tuple[str, ...] = ()  # region filter values it answers to, sorted

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


class _Reach:
    """The regions a document answers to, sorted, each worked out once per build."""

    def __init__(self, site) -> None:
        self.site = site
        self.below = regions_within(site)
        self.known: dict = {}

    def of(self, code: str | None) -> tuple[str, ...]:
        """A place's: it and every region containing it."""
        if code not in self.known:
            self.known[code] = tuple(sorted(places_of(self.site, code)))
        return self.known[code]

    def covered(self, codes: list[str]) -> tuple[str, ...]:
        """An offer's: each region it names, those around it and those in it (an offer for
        a county is found under its city; one for the province under every county)."""
        key = ("covered", *codes)
        if key not in self.known:
            out = {place for code in codes for place in self.of(code)}
            out.update(inner for code in codes for inner in self.below.get(code, []))
            self.known[key] = tuple(sorted(out))
        return self.known[key]


def _demand(site, p, reach: _Reach) -> SearchDoc:
    place = _place(site, p.county)
    body = _join(p.summary, plain(p.description), p.beneficiaries, p.period, place, "、".join(p.fields),
                 "、".join(p.forms), p.contact_unit)
    return SearchDoc("demand", p.id, urls.record("demands", p.id), p.title, body, p.published, place,
                     list(p.fields), p.status or "", reach.of(p.county))


def _offer(site, p, reach: _Reach) -> SearchDoc:
    org = site.organizations.get(p.org)
    places = [_place(site, code) for code in p.service_regions]
    body = _join(p.summary, plain(p.description), org.name if org else "", p.beneficiaries, p.capacity, p.period,
                 "、".join(places), "、".join(p.fields), "、".join(p.forms))
    return SearchDoc("supply", p.id, urls.record("offers", p.id), p.title, body, p.published, "、".join(places),
                     list(p.fields), p.status or "", reach.covered(p.service_regions))


def _org(site, o, reach: _Reach) -> SearchDoc:
    place = _place(site, o.county)
    body = _join(o.services, o.type, o.category, o.level, o.rating and f"评估等级{o.rating}", place,
                 "、".join(o.fields), "、".join(o.forms), "\n".join(f"{h.year}年{h.title}" for h in o.honors))
    return SearchDoc("org", o.id, urls.record("orgs", o.id), o.name, body, None, place, list(o.fields), "",
                     reach.of(o.county))


def _policy(site, page) -> SearchDoc:
    meta = page.meta
    body = _join(meta.get("doc_number"), "、".join(meta.get("issuer") or []), meta.get("index_number"),
                 meta.get("level"), meta.get("status"), page.summary, plain(page.body), "、".join(meta.get("fields") or []),
                 "\n".join(item["title"] for item in meta.get("attachments") or []))
    status = POLICY_STATUS_KEYS.get(meta.get("status") or "", "")
    return SearchDoc("policy", page.slug, urls.record("policies", page.slug), page.title, body, page.published,
                     meta.get("level") or "", list(meta.get("fields") or []), status, ())


def _region(site, region, reach: _Reach) -> SearchDoc:
    place = _place(site, region.code)
    body = _join(place if place != region.name else "", region.kind, "重点帮扶县" if region.key else "",
                 region.relation)
    return SearchDoc("region", region.code, urls.record("regions", region.code), region.name, body, None,
                     place, [], "", reach.of(region.code))


_MAKERS = {"demand": _demand, "supply": _offer, "org": _org, "region": _region,
           "policy": lambda site, page, _reach: _policy(site, page)}


class DocSource:
    """A document before it is made: what numbers it (`order`: date, kind, key), its kind,
    the record it is made from, and `inputs`: 16 bytes standing for everything of its
    record (its digest: every field), or None for a document made every build. A document
    reads its record, the regions and the code, and an offer also its organization's name
    (search_digests.py makes an offer again whenever its organization's document is).
    Making a document (the plain text of its Markdown above all) is most of what it costs,
    and after an edit a build needs only the few whose inputs changed."""
    __slots__ = ("order", "kind", "record", "inputs")

    def __init__(self, order: tuple, kind: str, record, inputs: bytes | None) -> None:
        self.order, self.kind, self.record, self.inputs = order, kind, record, inputs


class DocMaker:
    """Makes documents from their sources, each region's reach worked out once."""

    def __init__(self, site) -> None:
        self.site = site
        self.reach = _Reach(site)

    def make(self, source: DocSource) -> SearchDoc:
        return _MAKERS[source.kind](self.site, source.record, self.reach)


def _inputs(record) -> bytes:
    """A record's digest (every field but its position in its file), as 16 bytes."""
    return bytes.fromhex(record_digest(record)[:32])


def doc_sources(site) -> list[DocSource]:
    """Every document's source, numbered by its place in this list (oldest first: the
    order search_docs gives)."""
    first, demand, supply, org, region = (dt.date.min, *(KIND_ORDER[k] for k in ("demand", "supply", "org", "region")))
    policy, orgs = KIND_ORDER["policy"], site.organizations
    sources = [DocSource((page.published or first, policy, page.slug), "policy", page, _inputs(page))
               for page in site.pages.get("policies", [])]
    sources += [DocSource((p.published or first, demand, p.id), "demand", p, _inputs(p)) if p.kind == "demand" else
                DocSource((p.published or first, supply, p.id), "supply", p, _inputs(p) if p.org in orgs else None)
                for p in site.projects.values()]  # an offer without its organization (refused by check): made
    sources += [DocSource((first, org, o.id), "org", o, _inputs(o)) for o in site.organizations.values()]
    sources += [DocSource((first, region, r.code), "region", r, None)
                for r in site.regions.by_code.values() if r.level != "province"]
    sources.sort(key=_source_order)
    return sources


def _source_order(source: DocSource) -> tuple:
    return source.order


def search_docs(site) -> list[SearchDoc]:
    """Every document, numbered by its place in this list (oldest first)."""
    maker = DocMaker(site)
    return [maker.make(source) for source in doc_sources(site)]
