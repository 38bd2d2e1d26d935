"""The match index as a build stage: computed once per content (cached under
.zhuanlan-cache/match/, each kind of candidate's half by a digest of everything
it reads), published as data/match-index.json with its JSON Schema.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import cachefile
from .fingerprint import record_digests
from .list_digests import list_digests
from .match_inputs import is_current, wants_candidates
from .match_state import SideState
from .match_texts import HalfTexts, ListTexts, list_text
from .match_schema import index_schema
from .matching import KINDS, MatchIndex, MatchWeights, compute_matches, compute_with_states
from .sources import CACHE_DIR, code_digest
from .stored_lists import StoredHalf, Summary, load_summary, summary_path, texts_path
from .tokens import TermCache

MATCH_CACHE = "match"  # folder under CACHE_DIR
TERMS_CACHE = "terms"  # folder under CACHE_DIR: the terms of each text, for every build after the first
INDEX_PATH = "data/match-index.json"
SCHEMA_PATH = "data/schema/match-index.schema.json"
def side_digests(site, today: dt.date, contexts: dict[str, str]) -> dict[str, str]:
    """For each kind of candidate, everything its half of the index is computed from but
    the demands: its context (`contexts`, context_digests) and every field of every candidate of that
    kind (fingerprint.record_digest, as for the pages: a field added to a record cannot be
    forgotten here). The offers' half does not read organizations, nor theirs offers, nor
    offers that are not candidates (closed, full or past their deadline on `today`, which is
    part of the digest): an edit to one of those leaves the half as it was."""
    records = {"offers": _keyed(site.projects, lambda offer: offer.kind != "demand" and is_current(offer, today)),
               "orgs": _keyed(site.organizations, lambda org: True)}
    return {kind: hashlib.sha256(context.encode() + b"\0" + records[kind]).hexdigest()
            for kind, context in contexts.items()}


def context_digests(site, today: dt.date, weights: MatchWeights) -> dict[str, str]:
    """For each kind of candidate, what its half reads but candidates and demands: code,
    weights, date, regions and vocabulary. A state of the same context but other candidates
    still gives most lists after an edit to a candidate (match_carry.py)."""
    shared = (repr(sorted((r.code, r.level, r.parent, r.key, r.name) for r in site.regions.by_code.values()))
              + repr(site.vocabulary)).encode()
    code = code_digest()
    return {kind: hashlib.sha256(f"{code}\0{kind}\0{weights}\0{today}\0".encode() + shared).hexdigest()
            for kind in KINDS}


def demands_digest(site, today: dt.date) -> str:
    """Every field of every demand the index recommends candidates to on `today` (the
    others are not read: their pages show who took them); with a side digest, everything a
    half is computed from."""
    return hashlib.sha256(_keyed(site.projects, lambda demand: demand.kind == "demand"
                                 and wants_candidates(demand, today))).hexdigest()


def _keyed(records: dict, wanted: Callable[[object], bool]) -> bytes:
    """Each record `wanted` picks, by key order, as key NUL digest, NUL between records: one
    text to digest, not one update of a digest per record (the digests are the ones site.py
    keeps on each record)."""
    chosen = [key for key in sorted(records) if wanted(records[key])]
    return "\0".join(chain.from_iterable(zip(chosen, record_digests([records[key] for key in chosen])))).encode()


@dataclass
class Half:
    """One kind of candidate's half of the index, as cached."""
    demands: dict[str, list[dict]]  # demand id -> its candidates of this kind
    candidates: dict[str, list[dict]]  # candidate id -> its demands
    # the digest of each list, by the MatchIndex attribute it fills and id (list_digests.py)
    digests: dict[str, dict[str, bytes]] = field(default_factory=dict)


def match_site(site, today: dt.date, use_cache: bool = True) -> MatchIndex:
    """The site's match index, from the cache when nothing it reads has changed."""
    index, store = cached_matches(site, today, use_cache)
    if store is not None:
        store()
    return index


def cached_matches(site, today: dt.date, use_cache: bool = True) -> tuple[MatchIndex, Callable[[], None] | None]:
    """The site's match index and, when a half of it had to be computed (or the JSON texts
    of a half's lists are not stored yet), what keeps it (and the terms of its texts, and
    the lists' texts once index_json has made them: match_texts.py) in the cache for the
    next build: the build runs that in a forked process after writing the JSON, while it
    renders, since pickling takes as long as half the computing. Each kind of candidate's
    half is cached on its own: after an edit to an offer, the organizations' half is read
    back."""
    weights = MatchWeights.from_settings(site.settings)
    if not use_cache:
        return compute_matches(site, today, weights), None
    folder = Path(site.root) / CACHE_DIR / MATCH_CACHE
    contexts = context_digests(site, today, weights)
    sides = side_digests(site, today, contexts)
    demands = demands_digest(site, today)
    keys = {kind: hashlib.sha256(f"{sides[kind]}\0{demands}".encode()).hexdigest() for kind in KINDS}
    summaries = {kind: _summary(folder, key, kind) for kind, key in keys.items()}
    halves = {kind: (StoredHalf(folder, summaries[kind], _whole(site, today, weights, folder, keys[kind], kind))
                     if summaries[kind] is not None else cachefile.load(folder / keys[kind])) for kind in KINDS}
    missing = tuple(kind for kind in KINDS if not isinstance(halves[kind], (Half, StoredHalf)))
    if not missing:
        texts = ListTexts([_read_back(halves[kind], kind, folder, keys[kind]) for kind in KINDS])
        unstored = any(not half.stored for half in texts.halves)
        return _index(weights, halves, texts), (texts.save if unstored else None)
    tokens = TermCache(Path(site.root) / CACHE_DIR / TERMS_CACHE / f"{code_digest()}.pickle")
    previous = {kind: cachefile.load(folder / _state_name(kind, sides[kind])) for kind in missing}  # by its key
    previous = {kind: state for kind, state in previous.items() if isinstance(state, SideState)}
    latest = {kind: _latest_state(folder, kind) for kind in missing if kind not in previous}
    counted = {kind: state.arrays for kind, state in latest.items() if state is not None}
    former = {kind: state for kind, state in latest.items() if state is not None and state.context == contexts[kind]
              and state.half}
    earlier = {kind: cachefile.load(folder / state.half) for kind, state in {**previous, **former}.items()}
    earlier = {kind: half for kind, half in earlier.items() if isinstance(half, Half)}
    former = {kind: state for kind, state in former.items() if kind in earlier}  # what it gives is its lists
    stems = {**previous, **former}  # the state whose computation made each kind's earlier lists
    computed, states = compute_with_states(site, today, weights, tokenize=tokens.terms, kinds=missing,
                                           previous=previous, former=former, counted=counted,
                                           earlier={kind: (half.demands, half.candidates)
                                                    for kind, half in earlier.items()})
    for kind in missing:
        halves[kind] = _half(computed, *_HALVES[kind])
        states[kind].half = keys[kind]  # the next build reads this half's lists where they stay
        states[kind].context, states[kind].code = contexts[kind], code_digest()
    texts = ListTexts([_read_back(halves[kind], kind, folder, keys[kind]) if kind not in missing
                       else HalfTexts(_lists(halves[kind], kind), folder, keys[kind],
                                      load_summary(folder, stems[kind].half) if kind in earlier else None,
                                      _lists(earlier[kind], kind) if kind in earlier else {})
                       for kind in KINDS])

    def store() -> None:
        """Keeps what was computed; the lists' texts too, once index_json has made them."""
        tokens.save()
        for kind in missing:
            cachefile.dump(folder / keys[kind], halves[kind])
            cachefile.dump(folder / _state_name(kind, sides[kind]), states[kind])
        texts.save()
        _keep_only(folder, set(keys.values()) | {_state_name(kind, side) for kind, side in sides.items()}
                   | {path(folder, key).name for key in keys.values() for path in (texts_path, summary_path)})
    return _index(weights, halves, texts, earlier), store


def _state_name(kind: str, side: str) -> str:
    """The file of the state of a half of `kind` whose side digest is `side`."""
    return f"state-{kind}-{side}"


def _latest_state(folder: Path, kind: str) -> SideState | None:
    """The state of the kind's half that the cache holds for other candidates or another
    context (there is one: _keep_only leaves the latest), when this code computed it: its
    arrays' term counts are then this code's, and in the same context its lists too."""
    code = code_digest()
    for path in sorted(folder.glob(_state_name(kind, "*"))):
        state = cachefile.load(path)
        if isinstance(state, SideState) and state.code == code and state.arrays is not None:
            return state
    return None


def _index(weights: MatchWeights, halves: dict[str, "Half | StoredHalf"], texts: ListTexts,
           earlier: dict[str, "Half"] | None = None) -> MatchIndex:
    """The index of the halves, with their lists' digests: a half read back by its summary
    brings them, one read back whole (or computed from nothing) is its own source of
    digests, a half computed again from its state takes those of `earlier`'s lists it kept
    (list_digests.py). Made here, before the build forks the process that stores the
    halves, so that each half is stored with its digests."""
    index = MatchIndex(weights, texts=texts)
    texts_of = dict(zip(KINDS, texts.halves))  # cached_matches makes them in that order
    for kind, (demands, candidates) in _HALVES.items():
        half, half_texts = halves[kind], texts_of[kind]
        if isinstance(half, StoredHalf):
            lists = half_texts.lists
            digests = {attribute: {ident: entry[2] for ident, entry in stored.entries.items()}
                       for attribute, stored in lists.items()}
        else:
            source = (earlier or {}).get(kind, half)
            known = getattr(source, "digests", None)  # a cached half is signed, but checked all the same
            known = known if isinstance(known, dict) else {}
            lists, before = _lists(half, kind), _lists(source, kind)
            half.digests = digests = {attribute: list_digests(items, before[attribute], known.get(attribute))
                                      for attribute, items in lists.items()}
        half_texts.digests = digests
        setattr(index, demands, lists[demands])
        setattr(index, candidates, lists[candidates])
        index.digests.update(digests)
    return index


_HALVES = {"offers": ("demand_offers", "offer_demands"), "orgs": ("demand_orgs", "org_demands")}


def _lists(half: Half, kind: str) -> dict[str, dict[str, list]]:
    """A half's lists by the MatchIndex attribute they fill."""
    demands, candidates = _HALVES[kind]
    return {demands: half.demands, candidates: half.candidates}


def _read_back(half: "Half | StoredHalf", kind: str, folder: Path, key: str) -> HalfTexts:
    """The texts of a half read back from the cache: by its summary, whose texts stand for
    its lists, or whole (its texts not stored, or not as the summary says: made again)."""
    if isinstance(half, StoredHalf):
        return HalfTexts({attribute: half.lists(attribute) for attribute in _HALVES[kind]}, folder, key,
                         half.summary, stored=True)
    return HalfTexts(_lists(half, kind), folder, key)


def _summary(folder: Path, key: str, kind: str) -> Summary | None:
    """The stored summary of the half under `key`, if it describes every list of its kind."""
    summary = load_summary(folder, key)
    return summary if summary is not None and set(summary.lists) == set(_HALVES[kind]) else None


def _whole(site, today: dt.date, weights: MatchWeights, folder: Path, key: str, kind: str):
    """What gives a half read back by its summary whole, should its texts fail: its
    pickle, or, that gone too, the half computed again."""
    def whole() -> dict[str, dict[str, list]]:
        half = cachefile.load(folder / key)
        if not isinstance(half, Half):
            half = _half(compute_with_states(site, today, weights, kinds=(kind,))[0], *_HALVES[kind])
        return _lists(half, kind)
    return whole


def _half(index: MatchIndex, demands: str, candidates: str) -> Half:
    return Half(getattr(index, demands), getattr(index, candidates))


def _keep_only(folder: Path, names: set[str]) -> None:
    """The latest halves are kept, nothing else."""
    try:
        for entry in folder.iterdir():
            if entry.name not in names:
                entry.unlink()
    except OSError:  # an unwritable cache folder only costs time
        pass


def index_json(index: MatchIndex, today: dt.date) -> bytes:
    """data/match-index.json: one object; each demand, offer and organization on its own line.
    A list's text is the one serialized before when index.texts has it (match_texts.py)."""
    texts = index.texts if isinstance(index.texts, ListTexts) else None

    def made(attribute: str) -> dict[str, bytes | memoryview]:
        if texts is not None:
            return texts.texts(attribute)
        return {ident: list_text(items) for ident, items in getattr(index, attribute).items()}

    demand_offers, demand_orgs = made("demand_offers"), made("demand_orgs")
    demand_rows = [[_opening(ident), b', "offers": ', demand_offers[ident], b', "organizations": ',
                    demand_orgs.get(ident, b"[]"), b"}"] for ident in sorted(demand_offers)]
    offer_rows = [[_opening(ident), b', "demands": ', text, b"}"]
                  for ident, text in sorted(made("offer_demands").items())]
    org_rows = [[_opening(ident), b', "demands": ', text, b"}"] for ident, text in sorted(made("org_demands").items())]
    head = json.dumps({"date": today.isoformat(), "weights": _weights(index.weights)}, ensure_ascii=False)
    return b"".join([head[:-1].encode("utf-8"), b',\n"demands": ', *_lines(demand_rows), b',\n"offers": ',
                     *_lines(offer_rows), b',\n"organizations": ', *_lines(org_rows), b"\n}\n"])


_ESCAPED = re.compile(r'[\x00-\x1f"\\]')  # what json.dumps writes other than as itself (ensure_ascii=False)


def _opening(ident: str) -> bytes:
    """'{"id": ' and the id as json.dumps writes it."""
    quoted = json.dumps(ident, ensure_ascii=False) if _ESCAPED.search(ident) else f'"{ident}"'
    return b'{"id": ' + quoted.encode("utf-8")


def _lines(rows: list[list]) -> list:
    """The parts of a JSON array of rows, one row a line."""
    if not rows:
        return [b"[]"]
    parts = [b"[\n"]
    for number, row in enumerate(rows):
        if number:
            parts.append(b",\n")
        parts.extend(row)
    parts.append(b"\n]")
    return parts


def _weights(weights: MatchWeights) -> dict:
    return {"field": weights.field, "forms": weights.forms, "text": weights.text, "county": weights.county,
            "city": weights.city, "min_score": weights.min_score, "count": weights.count}


def index_files(index: MatchIndex, today: dt.date) -> dict[str, bytes]:
    return {INDEX_PATH: index_json(index, today),
            SCHEMA_PATH: (json.dumps(index_schema(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")}
