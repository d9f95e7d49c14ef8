"""The facts of a built graph, one conflict at a time: what wikidata-diff compares with Wikidata and compare
sets side by side across editions. Read with SPARQL from a pyoxigraph store (any of our outputs, reconciled
or not): a reconciled entity carries ``skos:exactMatch`` a Wikidata item, and that QID is all that is used of it.
"""

from __future__ import annotations

import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.wikidata.statements import PRECISION_DAY, PRECISION_MONTH, PRECISION_YEAR, Time

WKG = "https://w3id.org/wikikg/ontology#"
WD = "http://www.wikidata.org/entity/"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = """PREFIX wkg: <https://w3id.org/wikikg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@dataclass(frozen=True)
class Source:
    """A citation backing a fact, with its work and the work's item when the work is reconciled."""
    citation: str
    work: str | None = None
    title: str | None = None
    url: str | None = None
    qid: str | None = None
    page: str | None = None

    def __str__(self) -> str:
        name = self.title or self.citation.rsplit("/", 1)[-1]
        return f"{name}, p. {self.page}" if self.page else name


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    qid: str | None = None


@dataclass(frozen=True)
class Role:
    """A party, supporter or commander of a side."""
    kind: str            # "belligerent", "supporter", "commander"
    entity: Entity
    side: int | None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A strength or casualty figure, as a range."""
    kind: str                  # "strength" or "casualties"
    category: str              # local name of wkg:casualtyCategory (Killed, Wounded…); "Strength" for strengths
    side: int | None
    low: float | None
    high: float | None
    agent: Entity | None = None
    claimant: str | None = None
    note: str | None = None
    unit: str | None = None    # local name of wkg:unit when not people
    text: str | None = None    # as the article wrote it
    sources: tuple[Source, ...] = ()
    iri: str = ""


@dataclass
class ConflictFacts:
    iri: str
    label: str
    article: str               # the Wikipedia page IRI
    lang: str
    title: str
    qid: str | None = None
    revision: str | None = None
    start: Time | None = None
    end: Time | None = None
    places: list[Entity] = field(default_factory=list)
    part_of: list[Entity] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def import_url(self) -> str:
        """The article's URL, at its revision when the graph knows it (Wikidata's P4656 asks for that)."""
        if self.revision:
            base = self.article.split("/wiki/", 1)[0]
            title = urllib.parse.quote(self.title.replace(" ", "_"), safe="")
            return f"{base}/w/index.php?title={title}&oldid={self.revision}"
        return urllib.parse.quote(self.article, safe=":/#?&=%")


CONFLICTS = PREFIXES + """SELECT ?c ?label ?doc ?lang ?qid ?rev ?start ?end WHERE {
  ?c a wkg:Conflict ; wkg:extractedFrom ?doc .
  ?doc schema:inLanguage ?lang .
  FILTER NOT EXISTS { ?c wkg:partOf ?other . ?other wkg:extractedFrom ?doc . ?other a wkg:Conflict }
  OPTIONAL { ?c skos:prefLabel ?label }
  OPTIONAL { ?c skos:exactMatch ?qid FILTER(STRSTARTS(STR(?qid), "http://www.wikidata.org/entity/Q")) }
  OPTIONAL { { ?doc schema:version ?rev } UNION { ?revision prov:specializationOf ?doc ; schema:version ?rev } }
  OPTIONAL { ?c wkg:startDate ?start }
  OPTIONAL { ?c wkg:endDate ?end }
}"""
LINKED = PREFIXES + """SELECT ?c ?pred ?e WHERE {
  VALUES ?pred { wkg:occurredAt wkg:partOf }
  ?c a wkg:Conflict ; ?pred ?e .
}"""
ROLES = PREFIXES + """SELECT ?fact ?type ?c ?e ?side WHERE {
  VALUES ?type { wkg:Belligerence wkg:Support wkg:Command }
  ?fact a ?type ; wkg:inConflict ?c ; wkg:agent ?e .
  OPTIONAL { ?fact wkg:onSide/wkg:sideNumber ?side }
}"""
FIGURES = PREFIXES + """SELECT ?fact ?type ?c ?side ?cat ?min ?max ?agent ?claimant ?note ?unit ?text WHERE {
  VALUES ?type { wkg:Casualties wkg:Strength }
  ?fact a ?type ; wkg:inConflict ?c .
  OPTIONAL { ?fact wkg:onSide/wkg:sideNumber ?side }
  OPTIONAL { ?fact wkg:casualtyCategory ?cat }
  OPTIONAL { ?fact wkg:minValue ?min }
  OPTIONAL { ?fact wkg:maxValue ?max }
  OPTIONAL { ?fact wkg:agent ?agent }
  OPTIONAL { ?fact wkg:claimant ?claimant }
  OPTIONAL { ?fact wkg:note ?note }
  OPTIONAL { ?fact wkg:unit ?unit }
  OPTIONAL { ?fact wkg:sourceText ?text }
}"""
SOURCES = PREFIXES + """SELECT ?fact ?cit ?work ?title ?url ?qid ?page WHERE {
  ?fact wkg:basedOn ?cit .
  OPTIONAL { ?cit wkg:page ?page }
  OPTIONAL { ?cit wkg:work ?work
             OPTIONAL { ?work wkg:citationTitle ?title }
             OPTIONAL { ?work wkg:url ?url }
             OPTIONAL { ?work skos:exactMatch ?qid FILTER(STRSTARTS(STR(?qid), "http://www.wikidata.org/entity/Q")) } }
}"""
NAMES = PREFIXES + """SELECT ?e ?label ?qid WHERE {
  VALUES ?e { %s }
  OPTIONAL { ?e skos:prefLabel ?label }
  OPTIONAL { ?e skos:exactMatch ?qid FILTER(STRSTARTS(STR(?qid), "http://www.wikidata.org/entity/Q")) }
}"""
_PERSONNEL = "Personnel"


def read_conflicts(store: ox.Store) -> list[ConflictFacts]:
    """Every conflict an article of the store is about (not the battles it names as its parts), in IRI order."""
    conflicts: dict[str, ConflictFacts] = {}
    for row in store.query(CONFLICTS):
        iri = row["c"].value
        found = conflicts.get(iri)
        if found is None:
            doc = row["doc"].value
            found = conflicts[iri] = ConflictFacts(
                iri=iri, label=_text(row["label"]) or iri.rsplit("/", 1)[-1], article=doc,
                lang=_text(row["lang"]) or "", title=_title_of(doc), revision=_text(row["rev"]))
        found.qid = found.qid or _qid(row["qid"])
        found.start = found.start or _time(row["start"])
        found.end = found.end or _time(row["end"])
    if not conflicts:
        return []
    sources = _sources(store)
    pending: dict[str, list] = defaultdict(list)  # entity IRI → callbacks filled once its name is read
    for row in store.query(LINKED):
        c = conflicts.get(row["c"].value)
        if c is not None and isinstance(row["e"], ox.NamedNode):
            target = c.places if row["pred"].value.endswith("occurredAt") else c.part_of
            pending[row["e"].value].append(target)
    roles: list[tuple[str, str, str, int | None, str]] = []
    for row in store.query(ROLES):
        c = row["c"].value
        if c in conflicts and isinstance(row["e"], ox.NamedNode):
            kind = {"Belligerence": "belligerent", "Support": "supporter", "Command": "commander"}[
                row["type"].value.removeprefix(WKG)]
            roles.append((c, kind, row["e"].value, _int(row["side"]), row["fact"].value))
    figures = [row for row in store.query(FIGURES) if row["c"].value in conflicts]
    names = _entities(store, set(pending) | {r[2] for r in roles}
                      | {row["agent"].value for row in figures if isinstance(row["agent"], ox.NamedNode)})
    for iri, targets in pending.items():
        for target in targets:
            target.append(names[iri])
    for c, kind, e, side, fact in roles:
        conflicts[c].roles.append(Role(kind, names[e], side, sources.get(fact, ())))
    for row in figures:
        agent = row["agent"].value if isinstance(row["agent"], ox.NamedNode) else None
        kind = "strength" if row["type"].value.endswith("Strength") else "casualties"
        unit = _local(row["unit"])
        conflicts[row["c"].value].figures.append(Figure(
            kind=kind, category=_local(row["cat"]) or "Strength", side=_int(row["side"]),
            low=_float(row["min"]), high=_float(row["max"]), agent=names.get(agent) if agent else None,
            claimant=_text(row["claimant"]), note=_text(row["note"]),
            unit=None if unit == _PERSONNEL else unit, text=_text(row["text"]),
            sources=sources.get(row["fact"].value, ()), iri=row["fact"].value))
    for c in conflicts.values():
        c.places.sort(key=lambda e: e.iri)
        c.part_of.sort(key=lambda e: e.iri)
        c.roles.sort(key=lambda r: (r.kind, r.side or 0, r.entity.iri))
        c.figures.sort(key=lambda f: (f.kind, f.side or 0, f.category, f.low or 0, f.high or 0, f.iri))
    return [conflicts[iri] for iri in sorted(conflicts)]


def _sources(store: ox.Store) -> dict[str, tuple[Source, ...]]:
    found: dict[str, dict[str, Source]] = defaultdict(dict)
    for row in store.query(SOURCES):
        cit = row["cit"].value
        found[row["fact"].value].setdefault(cit, Source(
            citation=cit, work=row["work"].value if row["work"] else None, title=_text(row["title"]),
            url=row["url"].value if row["url"] else None, qid=_qid(row["qid"]), page=_text(row["page"])))
    return {fact: tuple(sorted(cits.values(), key=lambda s: s.citation)) for fact, cits in found.items()}


def _entities(store: ox.Store, iris: set[str]) -> dict[str, Entity]:
    labels: dict[str, str] = {}
    qids: dict[str, str] = {}
    ordered = sorted(iris)
    for start in range(0, len(ordered), 200):
        values = " ".join(f"<{iri}>" for iri in ordered[start:start + 200])
        for row in store.query(NAMES % values):
            iri = row["e"].value
            if row["label"] is not None:
                labels[iri] = min(labels.get(iri, row["label"].value), row["label"].value)
            if row["qid"] is not None:
                qids[iri] = min(qids.get(iri, _qid(row["qid"]) or ""), _qid(row["qid"]) or "")
    return {iri: Entity(iri, labels.get(iri) or _name_of(iri), qids.get(iri) or None) for iri in iris}


def _title_of(article: str) -> str:
    return urllib.parse.unquote(article.split("/wiki/", 1)[-1]).replace("_", " ")


def _name_of(iri: str) -> str:
    return urllib.parse.unquote(iri.rsplit("/", 1)[-1]).replace("_", " ")


def _text(term) -> str | None:
    return term.value if term is not None else None


def _local(term) -> str | None:
    return term.value.rsplit("#", 1)[-1] if isinstance(term, ox.NamedNode) else None


def _qid(term) -> str | None:
    return term.value.removeprefix(WD) if isinstance(term, ox.NamedNode) and term.value.startswith(WD) else None


def _int(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _float(term) -> float | None:
    try:
        return float(term.value) if term is not None else None
    except ValueError:
        return None


def _time(term) -> Time | None:
    """xsd:date, gYearMonth or gYear → a Time of day, month or year precision."""
    if not isinstance(term, ox.Literal):
        return None
    text, datatype = term.value, term.datatype.value
    negative = text.startswith("-")
    parts = text.lstrip("-").split("-")
    try:
        year = int(parts[0]) * (-1 if negative else 1)
        if datatype == XSD + "date" and len(parts) >= 3:
            return Time(year, int(parts[1]), int(parts[2][:2]), PRECISION_DAY)
        if datatype == XSD + "gYearMonth" and len(parts) >= 2:
            return Time(year, int(parts[1][:2]), 0, PRECISION_MONTH)
        if datatype == XSD + "gYear":
            return Time(year, 0, 0, PRECISION_YEAR)
    except ValueError:
        return None
    return None
