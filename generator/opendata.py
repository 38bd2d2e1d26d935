"""Open data under /data/: every record as JSON and CSV, with a JSON Schema each.

For each dataset NAME in DATASETS (demands, offers, organizations, regions, policies):

- data/NAME.json   a JSON array of records, sorted by id (code for regions, slug for
                   policies); every record has every key of COLUMNS[NAME], in that order,
                   null where the record has no value; dates are ISO strings; statuses are
                   codes with a Chinese `status_name`; fields of work are Chinese names;
                   every region code is a string with a `<key>_name` beside it.
- data/NAME.csv    the same records for spreadsheets: UTF-8 with a BOM (so Excel reads the
                   Chinese), CRLF line ends (RFC 4180), a Chinese header with the key in
                   parentheses (标题(title)), lists joined with "；", 是/否 for booleans. A text
                   cell that starts with = + - @ gets a leading ' so that a spreadsheet never
                   runs it as a formula; the JSON keeps the exact text.
- data/schema/NAME.schema.json  JSON Schema (draft 2020-12) of one item of data/NAME.json
                   (the columns and schemas: opendata_schema.py).

and data/regions/CODE.json / .csv / .xlsx (demand records, the demands schema) with the OPEN
demands of each region: the province (all open demands, partner regions included), each
city (its counties' and its own), each county and each partner region.

Only what the records hold is published. Contacts are office units and office phones.
"""
from __future__ import annotations

import csv
import io
import json
from operator import attrgetter

from . import urls, xlsx_export
from .deferred import Deferred, made
from .fingerprint import record_digests
from .opendata_schema import COLUMNS, DATASETS, schema_for
from .regions import LEVEL_NAMES
from .rowcache import CACHED
from .stats import city_of, places_of
from .vocabulary import DEMAND_STATUSES, SUPPLY_STATUSES

def _date(date) -> str | None:
    return date.isoformat() if date else None


def _name(site, code: str | None) -> str | None:
    region = site.regions.get(code)
    return region.name if region else None


def _project(p) -> dict:
    return {"id": p.id, "title": p.title, "summary": p.summary, "description": p.description,
            "beneficiaries": p.beneficiaries, "budget": p.budget, "period": p.period,
            "published": _date(p.published), "deadline": _date(p.deadline), "status": p.status, "forms": list(p.forms)}


def demand_record(site, d) -> dict:
    city = city_of(site, d.county)
    orgs = site.organizations
    return {**_project(d), "county": d.county, "county_name": _name(site, d.county), "city": city,
            "city_name": _name(site, city), "field": d.fields[0] if d.fields else None,
            "status_name": DEMAND_STATUSES.get(d.status), "matched_orgs": list(d.matched_orgs),
            "matched_orgs_name": [orgs[o].name if o in orgs else "" for o in d.matched_orgs],
            "many_to_one": d.many_to_one, "contact_unit": d.contact_unit, "contact_phone": d.contact_phone}


def offer_record(site, o) -> dict:
    org = site.organizations.get(o.org)
    return {**_project(o), "org": o.org, "org_name": org.name if org else None, "fields": list(o.fields),
            "service_regions": list(o.service_regions),
            "service_regions_name": [_name(site, c) or "" for c in o.service_regions], "capacity": o.capacity,
            "status_name": SUPPLY_STATUSES.get(o.status)}


def organization_record(site, g) -> dict:
    return {"id": g.id, "name": g.name, "type": g.type, "category": g.category, "level": g.level,
            "county": g.county, "county_name": _name(site, g.county), "fields": list(g.fields),
            "forms": list(g.forms), "service_regions": list(g.service_regions),
            "service_regions_name": [_name(site, c) or "" for c in g.service_regions], "services": g.services,
            "rating": g.rating, "honors": [{"year": h.year, "title": h.title} for h in g.honors],
            "phone": g.phone, "website": g.website}


def region_record(site, r) -> dict:
    province = site.regions.province
    return {"code": r.code, "name": r.name, "level": r.level, "level_name": LEVEL_NAMES.get(r.level, ""),
            "kind": r.kind or LEVEL_NAMES.get(r.level, ""), "parent": r.parent, "parent_name": _name(site, r.parent),
            "province": r.province_name if r.level == "partner" else (province.name if province else ""),
            "key": r.key, "relation": r.relation or None, "paired_with": r.paired_with,
            "paired_with_name": _name(site, r.paired_with)}


def policy_record(site, page) -> dict:
    m = page.meta
    return {"slug": page.slug, "title": page.title, "doc_number": m.get("doc_number"),
            "index_number": m.get("index_number"), "issuer": list(m.get("issuer", [])),
            "written": _date(m.get("written")), "published": _date(page.published), "level": m.get("level"),
            "status": m.get("status"), "fields": list(m.get("fields", [])), "source": m.get("source"),
            "summary": page.summary, "attachments": [dict(title=a["title"], url=a["url"]) for a in
                                                     m.get("attachments", [])]}


_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode  # json.dumps's text, 18 % sooner

SOURCES = {"demands": (lambda site: site.demands, demand_record),
           "offers": (lambda site: site.offers, offer_record),
           "organizations": (lambda site: site.organizations.values(), organization_record),
           "regions": (lambda site: site.regions.by_code.values(), region_record),
           "policies": (lambda site: site.pages.get("policies", []), policy_record)}


def ordered(site, name: str) -> list:
    """The source items of a dataset, sorted by its key column (id, code or slug): the
    order of its rows (text sorts as its UTF-8 bytes do)."""
    items, _build = SOURCES[name]
    return sorted(items(site), key=attrgetter(COLUMNS[name][0][0]))


def rows(site, name: str, items: list, cache=None) -> list[tuple[bytes, bytes]]:
    """(JSON line, CSV row) of each item of a dataset; each record has exactly the keys of
    COLUMNS[name], in order. Rows kept in `cache` (a rowcache.RowCache) are not serialized again."""
    _items, build = SOURCES[name]
    columns = COLUMNS[name]

    def make(item) -> tuple[bytes, bytes]:
        raw = build(site, item)
        one = {k: raw[k] for k, _l, _s in columns}
        return _ENCODE(one).encode(), _csv_row(name, one).encode()

    if cache is not None and name in CACHED:
        return cache.rows(name, items, make)
    return list(map(make, items))


def _json(lines: list[bytes]) -> bytes:
    """A JSON array, one record per line: readable and diffable."""
    return b"[\n" + b",\n".join(lines) + b"\n]\n" if lines else b"[]\n"


def _cell(value) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula gets a leading '."""
    if type(value) is not str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (int, float)):
            return str(int(value)) if float(value).is_integer() else repr(value)
        if isinstance(value, list):
            value = "；".join(" ".join(map(str, item.values())) if isinstance(item, dict) else str(item)
                             for item in value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_row(name: str, item: dict) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([_cell(item[key]) for key, _l, _s in COLUMNS[name]])
    return out.getvalue()


def _csv(name: str, rows: list[bytes]) -> bytes:
    """CSV with a BOM and a Chinese header (UTF-8, CRLF)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([f"{label}({key})" for key, label, _s in COLUMNS[name]])
    return ("\ufeff" + out.getvalue()).encode("utf-8") + b"".join(rows)


def to_csv(name: str, items: list[dict]) -> bytes:
    """The CSV of records (dicts with the keys of COLUMNS[name])."""
    return _csv(name, [_csv_row(name, item).encode("utf-8") for item in items])


def open_data(site, cache=None) -> dict[str, bytes]:
    """Site path -> file bytes for everything under /data/ described in the module docstring;
    `cache` (a rowcache.RowCache) keeps rows between builds."""
    return {path: made(data) for path, data in open_data_files(site, cache).items()}


def open_data_files(site, cache=None) -> dict:
    """open_data, deferred (deferred.Deferred: a build takes a file over from the output
    while what it is made from is the same, rather than make it again): the JSON and CSV of
    demands, offers and organizations and of each region, keyed by the digests of their
    records (every row is made from its record and what the global digest covers, as
    rowcache.py keeps them), and each region's workbook, whose compression is its cost.
    The rows of a dataset are made, or read from `cache`, once, when a file needs them."""
    files: dict = {}
    made_rows: dict[str, list] = {}
    items = {name: ordered(site, name) for name in DATASETS}

    def rows_of(name: str) -> list[tuple[bytes, bytes]]:
        if name not in made_rows:
            made_rows[name] = rows(site, name, items[name], cache)
        return made_rows[name]

    def dataset(name: str, kind: str, chosen: list[int] | None = None) -> bytes:
        """A dataset's JSON or CSV, of the items at `chosen` (all of them when None)."""
        mine = rows_of(name) if chosen is None else [rows_of(name)[at] for at in chosen]
        return _json([line for line, _row in mine]) if kind == "json" else _csv(name, [row for _line, row in mine])

    for name in DATASETS:
        for kind in ("json", "csv"):
            if name in CACHED:
                files[urls.download(name, kind)] = Deferred(
                    key=record_digests(items[name]), make=lambda name=name, kind=kind: dataset(name, kind))
            else:
                files[urls.download(name, kind)] = dataset(name, kind)
        files[schema_path(name)] = (json.dumps(schema_for(name), ensure_ascii=False, indent=1) + "\n").encode()
    demands = items["demands"]
    by_region: dict[str, list[int]] = {}
    newest = max((_date(item.published) for item in demands if item.published), default=None)
    for at, item in enumerate(demands):
        if item.status == "open":
            for code in places_of(site, item.county):
                by_region.setdefault(code, []).append(at)
    cells: dict[bytes, list] = {}
    for region in sorted(site.regions.by_code.values(), key=lambda r: r.code):
        mine = by_region.get(region.code, [])
        digests = record_digests([demands[at] for at in mine])
        for kind in ("json", "csv"):
            files[urls.download("regions", kind, region.code)] = Deferred(
                key=digests, make=lambda mine=mine, kind=kind: dataset("demands", kind, mine))
        files[urls.download("regions", "xlsx", region.code)] = Deferred(
            key=[region.name, newest, digests],
            make=lambda region=region, mine=mine: _workbook(region, [rows_of("demands")[at][0] for at in mine],
                                                            newest, cells))
    return dict(sorted(files.items()))


def _workbook(region, lines: list[bytes], newest: str | None, cells: dict[bytes, list]) -> bytes:
    """A region's open demands as .xlsx; each demand's cells made once (`cells`, by its JSON line)."""
    for line in lines:
        if line not in cells:
            one = json.loads(bytes(line))  # the row's values as published, cached (a view: rowcache.py) or not
            cells[line] = xlsx_export.cells([one[key] for key, _l, _s in COLUMNS["demands"]])
    headers = [label for _key, label, _s in COLUMNS["demands"]]
    return xlsx_export.workbook("征集中的需求", f"{region.name}征集中的需求", headers, [cells[line] for line in lines],
                                newest)


def schema_path(name: str) -> str:
    """data/schema/<name>.schema.json"""
    return urls.download("schema", "schema.json", name)
