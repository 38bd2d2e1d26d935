"""Each search document's digest, made only for the documents whose inputs changed.

A document's digest (search_index.doc_digest) stands for all of it that the index holds,
and the index's digest is made from all of theirs; but making a document (the plain text
of its Markdown above all) is most of what the search stage costs, and after an edit only
a few documents differ. A document is made from its record (its source's `inputs`: the
record's digest, every field), the regions (a place's name and those of the regions
around it, the regions it answers to) and the code; an offer also shows its
organization's name. So the state kept beside the output (search_state.py) holds each
document's inputs beside its digest; in a build with the same regions and code (the
state's `context`), a document whose inputs are there has that digest, and only the
others are made, and so are the offers of an organization whose document is made.
Documents without inputs (the regions: few) are made every build.
"""
from __future__ import annotations

import hashlib

from .search_docs import DocMaker, DocSource, SearchDoc
from .search_index import doc_digest


def context_digest(site, code: str, field_slugs: dict[str, str]) -> str:
    """What every document may read besides its record, the regions and the code, and what
    the filters name fields by, the field slugs (search_filters.py)."""
    regions, slugs = repr(sorted(site.regions.by_code.items())), repr(sorted(field_slugs.items()))
    return hashlib.sha256(f"{code}\0{regions}\0{slugs}".encode()).hexdigest()[:32]


class Documents:
    """The documents of `sources`, numbered alike, each made when first read (a sequence
    of SearchDoc for search_update; `sources` give the filters their values unmade)."""

    def __init__(self, site, sources: list[DocSource]) -> None:
        self.maker = DocMaker(site)
        self.sources = sources
        self.made: dict[int, SearchDoc] = {}

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, number: int) -> SearchDoc:
        doc = self.made.get(number)
        if doc is None:
            doc = self.made[number] = self.maker.make(self.sources[number])
        return doc

    def all(self) -> list[SearchDoc]:
        return [self[number] for number in range(len(self.sources))]


def document_digests(docs: Documents, known: dict[bytes, bytes]) -> list[bytes]:
    """Every document's digest, by number: `known` ({inputs: digest}, kept by a build with
    the same context) where it has the document's inputs, else made. An offer shows its
    organization's name: it is made whenever its organization's document is."""
    sources = docs.sources
    digests = [known.get(source.inputs) if source.inputs is not None else None for source in sources]
    remade = {source.record.id for source, digest in zip(sources, digests) if digest is None and source.kind == "org"}
    out = []
    for number, (source, digest) in enumerate(zip(sources, digests)):
        if digest is None or remade and source.kind == "supply" and source.record.org in remade:
            digest = doc_digest(docs[number])
        out.append(digest)
    return out
