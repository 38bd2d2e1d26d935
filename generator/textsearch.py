"""Whoosh, where a search engine is the right tool: the editors' `zhuanlan search`,
and the reference the bulk scorer (bm25.py) is held against in the tests and bench.

Whoosh-Reloaded 2.7.5 is pinned (the only Whoosh that imports cleanly under -W error
on Python 3.11+; it is no longer maintained). Its traps, avoided here:
- a parsed query ANDs every word: queries are built as an OR of terms instead;
- writer(procs=2) changes the field-length totals and so the scores: one process;
- the array matcher gives no matched_terms(): shared words are computed by us.
Text goes in as our own terms (tokens.terms) joined by spaces, so Whoosh sees
exactly the words the bulk scorer sees.
"""
from __future__ import annotations

from dataclasses import dataclass

from .tokens import terms

FIELDS = ("title", "summary", "description")
KIND_NAMES = {"demand": "需求", "supply": "供给", "org": "社会组织"}


def _schema():
    from whoosh import analysis, fields
    words = analysis.RegexTokenizer(r"\S+")
    return fields.Schema(id=fields.ID(stored=True, unique=True), kind=fields.ID(stored=True),
                         regions=fields.KEYWORD, field=fields.KEYWORD, status=fields.ID,
                         **{name: fields.TEXT(analyzer=words) for name in FIELDS})


def new_index(documents: list[dict]):
    """An in-memory index of documents: {id, kind, regions, field, status, title, summary,
    description}, the text fields as lists of terms. Written in one process, in order."""
    from whoosh.filedb.filestore import RamStorage
    index = RamStorage().create_index(_schema())
    writer = index.writer()
    for doc in documents:
        writer.add_document(id=doc["id"], kind=doc.get("kind", ""), regions=" ".join(doc.get("regions", ())),
                            field=" ".join(doc.get("field", ())), status=doc.get("status", ""),
                            **{name: " ".join(doc.get(name, ())) for name in FIELDS})
    writer.commit()
    return index


def or_query(words: list[str]):
    from whoosh.query import Or, Term
    distinct = sorted(set(words))
    return Or([Term(name, word) for word in distinct for name in FIELDS])


def top(searcher, words: list[str], limit: int, filter_query=None) -> list[tuple[str, float]]:
    """The best `limit` documents for an OR of the words: [(id, BM25F score)], best first."""
    if not words:
        return []
    hits = searcher.search(or_query(words), limit=limit, filter=filter_query)
    return [(hit["id"], hit.score) for hit in hits]


@dataclass
class Found:
    kind: str
    record: object
    score: float
    shared: list[str]


def site_documents(site) -> list[dict]:
    """Every demand, offer and organization as a search document, sorted by id."""
    from .search_docs import regions_within
    from .stats import places_of
    within = regions_within(site)

    def reach(codes: list[str]) -> list[str]:  # the regions named and every region inside them
        return sorted({inner for code in codes for inner in within.get(code, [code])})

    docs = []
    for p in sorted(site.projects.values(), key=lambda p: p.id):
        places = places_of(site, p.county) if p.kind == "demand" else reach(p.service_regions)
        docs.append({"id": p.id, "kind": p.kind, "regions": places, "field": p.fields, "status": p.status or "",
                     "title": terms(p.title), "summary": terms(p.summary), "description": terms(p.description)})
    for o in sorted(site.organizations.values(), key=lambda o: o.id):
        docs.append({"id": o.id, "kind": "org", "regions": reach(o.service_regions), "field": o.fields,
                     "status": "", "title": terms(o.name), "summary": terms(o.services or ""), "description": []})
    return docs


def search_site(site, text: str, kind: str | None = None, region: str | None = None, field: str | None = None,
                status: str | None = None, limit: int = 10) -> tuple[list[Found], int]:
    """Records matching the words of `text`, with the site's filters; (best `limit`, how many matched)."""
    from whoosh.query import And, Term
    words = terms(text)
    if not words:
        return [], 0
    index = new_index(site_documents(site))
    filters = [Term(name, value) for name, value in (("kind", kind), ("regions", region), ("field", field),
                                                     ("status", status)) if value]
    with index.searcher() as searcher:
        hits = searcher.search(or_query(words), limit=limit, filter=And(filters) if filters else None)
        total = len(hits)
        found = []
        wanted = set(words)
        for hit in hits:
            record = site.projects.get(hit["id"]) or site.organizations.get(hit["id"])
            text_of = ((record.title, record.summary, record.description) if hit["kind"] != "org"
                       else (record.name, record.services or ""))
            own = [t for part in text_of for t in terms(part)]
            shared = sorted({t for t in own if t in wanted}, key=own.index)
            found.append(Found(hit["kind"], record, hit.score, shared))
    return found, total
