"""The timeline of the graph: its dated events (``wkg:Event`` with ``wkg:startDate``) read back from the RDF
with SPARQL, each placed in its conflict and lane, with the precision its date has.

An event's **conflict** is the ``wkg:Conflict`` its ``wkg:partOf`` chain reaches, else (background, told
before or after the war) the conflict of the article it is extracted from. Its **lane** is its parent: a
sub-event such as 舒沙战役 (a ``{{Main}}`` of the article), the conflict itself, or the background. Its
**precision** is its date's datatype: ``xsd:date`` a day, ``xsd:gYearMonth`` a month, ``xsd:gYear`` a year
(which is a span of a year, not its first day).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from graph.network.language import in_script, script_of, search_key
from graph.network.membership import side_memberships
from graph.network.projection import _iri, _labels, _select, _types, _value, choose_label, local_name
from graph.network.sources import sources_of

PRECISION_OF_TYPE = {"date": "day", "dateTime": "day", "gYearMonth": "month", "gYear": "year"}
PRECISIONS = ("day", "month", "year")
BACKGROUND = "background"


@dataclass(frozen=True)
class When:
    """A date as precise as the text: year, month or day (the unknown parts None)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> tuple[int, int, int]:
        return self.year, self.month or 1, self.day or 1

    def last_day(self) -> tuple[int, int, int]:
        """The last day the date covers: 1992 → 1992-12-31, 1992-02 → 1992-02-29."""
        month = self.month or 12
        return self.year, month, self.day or calendar.monthrange(self.year, month)[1]

    def __str__(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p])


@dataclass
class Event:
    iri: str
    text: str
    start: When
    end: When
    conflict: str
    lane: str  # the parent's IRI, or f"{conflict} {BACKGROUND}"
    inferred: bool = False
    place: str = ""
    involves: list[dict] = field(default_factory=list)  # {"iri", "label", "kind"}
    sources: list[dict] = field(default_factory=list)
    sides: list[str] = field(default_factory=list)  # memberships of its actors within its conflict

    @property
    def precision(self) -> str:
        """The coarser precision of its ends: 1992-03 → 1992-05-09 is known to the month."""
        return max(self.start.precision, self.end.precision, key=PRECISIONS.index)

    def when(self) -> str:
        span = str(self.start) if self.start == self.end else f"{self.start} – {self.end}"
        return f"{span} ({self.precision}{', inferred' if self.inferred else ''})"


@dataclass
class Timeline:
    events: list[Event]
    conflicts: dict[str, dict]  # IRI → {"label", "start", "end"} (When or None)
    lanes: dict[str, dict]  # lane id → {"label", "conflict", "kind": conflict|sub-event|background}
    script: str | None = None


def parse_when(term) -> When | None:
    """An RDF date literal as a When (None for anything else)."""
    if not isinstance(term, ox.Literal):
        return None
    kind = PRECISION_OF_TYPE.get(term.datatype.value.rsplit("#", 1)[-1])
    text = term.value.lstrip("+")
    negative = text.startswith("-")
    parts = text.lstrip("-")[:10].split("-")
    try:
        numbers = [int(p) for p in parts[: {"day": 3, "month": 2, "year": 1}.get(kind, 0)]]
    except ValueError:
        return None
    if not numbers:
        return None
    year = -numbers[0] if negative else numbers[0]
    return When(year, *numbers[1:])


def read_timeline(store: ox.Store, lang: str | None = None, G: nx.MultiDiGraph | None = None) -> Timeline:
    """Every dated event of the store, in its conflict and lane, labels in ``lang``'s script; ``G`` (the
    network of the same store) gives the sides of the actors an event involves."""
    types, labels = _types(store), _labels(store)
    names = {}

    def label(iri: str) -> str:
        if iri not in names:
            names[iri] = choose_label(labels.get(iri, []), lang) or local_name(iri)
        return names[iri]

    titles = {_iri(r["s"]): r["t"].value for r in _select(
        store, "SELECT ?s (MIN(?t) AS ?t) WHERE { ?s a wkg:Event ; wkg:wikiTitle ?t } GROUP BY ?s")}
    parents = {_iri(r["e"]): _iri(r["p"]) for r in _select(store, "SELECT ?e ?p WHERE { ?e wkg:partOf ?p }")}
    conflict_of_doc = {_iri(r["d"]): _iri(r["c"]) for r in _select(
        store, "SELECT ?d (MIN(?c) AS ?c) WHERE { ?c a wkg:Conflict ; wkg:extractedFrom ?d } GROUP BY ?d")}
    conflicts = {}
    for r in _select(store, """SELECT ?c (MIN(?s) AS ?start) (MIN(?e) AS ?end) WHERE { ?c a wkg:Conflict
            OPTIONAL { ?c wkg:startDate ?s } OPTIONAL { ?c wkg:endDate ?e } } GROUP BY ?c"""):
        c = _iri(r["c"])
        conflicts[c] = {"label": label(c), "start": parse_when(r["start"]), "end": parse_when(r["end"])}

    def conflict_of(iri: str, doc: str | None) -> str | None:
        seen = set()
        while iri is not None and iri not in seen:
            if types.get(iri) == "conflict":
                return iri
            seen.add(iri)
            iri = parents.get(iri)
        return conflict_of_doc.get(doc)

    sources = sources_of(store)
    involves: dict[str, list[str]] = defaultdict(list)
    for r in _select(store, "SELECT ?e ?x WHERE { ?e a wkg:Event ; wkg:involves ?x }"):
        involves[_iri(r["e"])].append(_iri(r["x"]))
    events, lanes = [], {}
    for r in _select(store, """SELECT ?e (MIN(?l) AS ?text) (MIN(?s) AS ?start) (MAX(?en) AS ?end)
            (MIN(?p) AS ?place) (MIN(?inf) AS ?inferred) (MIN(?d) AS ?doc) WHERE {
            ?e a wkg:Event ; wkg:startDate ?s . FILTER NOT EXISTS { ?e a wkg:Conflict }
            OPTIONAL { ?e rdfs:label ?l } OPTIONAL { ?e wkg:endDate ?en } OPTIONAL { ?e wkg:occurredAt ?p }
            OPTIONAL { ?e wkg:dateInferred ?inf } OPTIONAL { ?e wkg:extractedFrom ?d } } GROUP BY ?e"""):
        e = _iri(r["e"])
        start = parse_when(r["start"])
        conflict = conflict_of(parents.get(e), _iri(r["doc"]))
        if start is None or conflict is None:
            continue
        lane = _lane(parents.get(e), conflict, types)
        if lane not in lanes:
            # a sub-event's lane is named by its page's title (舒沙战役), not the heading that tells it (攻克舒沙)
            lanes[lane] = _lane_info(lane, conflict, types, lambda iri: titles.get(iri) or label(iri))
        place = _iri(r["place"])
        events.append(Event(
            iri=e, text=(r["text"].value if r["text"] is not None else local_name(e)), start=start,
            end=parse_when(r["end"]) or start, conflict=conflict, lane=lane, inferred=bool(_value(r["inferred"])),
            place=label(place) if place else "", sources=sources.get(e, []),
            involves=[{"iri": x, "label": label(x), "kind": types.get(x, "")} for x in sorted(involves[e])]))
    for c in {e.conflict for e in events}:
        _add_sides(events, c, G)
    timeline = Timeline(sorted(events, key=lambda e: (e.start.first_day(), e.iri)), conflicts, lanes)
    return _one_script(timeline, lang)


def _lane(parent: str | None, conflict: str, types: dict[str, str]) -> str:
    if parent is None:
        return f"{conflict} {BACKGROUND}"
    return conflict if types.get(parent) == "conflict" else parent


def _lane_info(lane: str, conflict: str, types: dict[str, str], label) -> dict:
    if lane.endswith(" " + BACKGROUND):
        return {"label": BACKGROUND, "conflict": conflict, "kind": "background"}
    kind = "conflict" if types.get(lane) == "conflict" else "sub-event"
    return {"label": label(lane), "conflict": conflict, "kind": kind}


def _add_sides(events: list[Event], conflict: str, G: nx.MultiDiGraph | None) -> None:
    """Each event of ``conflict``: the sides (within it) of the actors it involves."""
    for e in events:
        if e.conflict != conflict:
            continue
        found = set()
        if G is not None:
            for x in e.involves:
                if x["iri"] in G:
                    found.add(side_memberships(G, x["iri"]).get(conflict, "neither"))
        e.sides = sorted(found - {"neither"}) or ["neither"]


def _one_script(timeline: Timeline, lang: str | None) -> Timeline:
    """Every text of the timeline in the script of ``lang`` (see graph.network.language)."""
    if not lang:
        return timeline
    texts = [c["label"] for c in timeline.conflicts.values()] + [e.text for e in timeline.events]
    script = script_of(lang, texts)
    timeline.script = script or lang
    for c in timeline.conflicts.values():
        c["label"] = in_script(c["label"], script)
    for lane in timeline.lanes.values():
        lane["label"] = in_script(lane["label"], script)
    for e in timeline.events:
        e.text, e.place = in_script(e.text, script), in_script(e.place, script)
        for x in e.involves:
            x["label"] = in_script(x["label"], script)
    return timeline


def window(timeline: Timeline, conflict: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The days a view of ``conflict`` should show: its period and the shortest stretch of time that holds
    four fifths of its events. The rest may lie outside: the seed's background reaches back to 1917, and an
    article on a battle of 1485 ends with the battlefield's survey of 1974; either would squeeze the war into
    a corner. A battle of one day still shows the campaign its article tells."""
    events = sorted((e for e in timeline.events if e.conflict == conflict), key=lambda e: e.start.first_day())
    info = timeline.conflicts.get(conflict, {})
    first, last = [], []
    if info.get("start") is not None:
        first.append(info["start"].first_day())
        last.append((info.get("end") or info["start"]).last_day())
    if events:
        k = max(1, len(events) * 4 // 5)
        years = [e.start.year for e in events]
        i = min(range(len(events) - k + 1), key=lambda i: (years[i + k - 1] - years[i], i))
        bulk = events[i:i + k]
        first.append(bulk[0].start.first_day())
        last.append(max(e.end.last_day() for e in bulk))
    if not first:
        raise ValueError(f"no dates for {conflict}")
    return min(first), max(last)


def event_search_key(e: Event) -> str:
    return search_key([e.text, e.place, *(x["label"] for x in e.involves)])


def filter_timeline(timeline: Timeline, conflicts: list[str] | None = None, sides: list[str] | None = None,
                    precisions: list[str] | None = None, query: str | None = None) -> Timeline:
    """The events that pass every filter given: a conflict whose label or IRI contains one of ``conflicts``
    (any script), one of ``sides`` among its actors' sides (``side 1``, ``both``, …), a precision in
    ``precisions``, and ``query`` in its sentence or names (any script)."""
    wanted = [search_key([c]).split("\n") for c in conflicts or []]

    def conflict_ok(c: str) -> bool:
        key = search_key([timeline.conflicts[c]["label"], c])
        return not wanted or any(any(form in key for form in forms) for forms in wanted)

    needle = query.strip().lower() if query else ""
    events = [e for e in timeline.events if conflict_ok(e.conflict)
              and (not sides or set(sides) & set(e.sides))
              and (not precisions or e.precision in precisions)
              and (not needle or needle in event_search_key(e))]
    return Timeline(events, timeline.conflicts, {k: v for k, v in timeline.lanes.items()
                                                  if any(e.lane == k for e in events)}, timeline.script)
