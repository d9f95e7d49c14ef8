"""What to reconcile: the entities of a built graph, each with the evidence the graph holds about it.

Read with SPARQL from a pyoxigraph store (any of our outputs, or several), so ``wikikg reconcile`` works
on files built earlier as well as inside ``wikikg build --reconcile``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from graph.data.vocab import load
from graph.extract.isbn import digits_of, to_isbn10
from graph.rdf.iri import EVENT, ONTOLOGY
from graph.wikidata.reconcile.model import Subject

WKG = ONTOLOGY
EVENT_PREFIX = EVENT  # sentences of the body timeline: not entities of their own

PREFIXES = """PREFIX wkg: <https://w3id.org/wikikg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

TYPED = PREFIXES + """SELECT ?e ?type WHERE { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(wkg:))) }"""
TITLED = PREFIXES + """SELECT ?e ?title WHERE { ?e wkg:wikiTitle ?title }"""
LABELS = PREFIXES + """SELECT ?e ?label WHERE { ?e rdfs:label|skos:prefLabel ?label . FILTER(isLITERAL(?label)) }"""
PREFERRED = PREFIXES + """SELECT ?e (MIN(?label) AS ?shown) WHERE { ?e skos:prefLabel ?label } GROUP BY ?e"""
IDENTIFIERS = PREFIXES + """SELECT ?e ?isbn ?written ?doi WHERE {
  { ?e wkg:isbn ?isbn OPTIONAL { ?e wkg:isbnAsWritten ?written } } UNION { ?e wkg:doi ?doi }
}"""
COORDINATES = PREFIXES + """PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT ?e ?lat ?long WHERE { ?e geo:lat ?lat ; geo:long ?long }"""
# The conflict an entity belongs to: a participant, or through the side it fought on, supported or commanded.
PERIODS = PREFIXES + """SELECT ?e (MIN(?start) AS ?from) (MAX(?end) AS ?to) WHERE {
  { ?c wkg:participant ?e } UNION { ?c wkg:hasSide ?side . ?e wkg:foughtOnSide|wkg:supported|wkg:commanded ?side }
  ?c a wkg:Conflict .
  OPTIONAL { ?c wkg:startDate ?start } OPTIONAL { ?c wkg:endDate ?end }
} GROUP BY ?e"""


@dataclass(frozen=True)
class RoleTable:
    roles_by_type: dict[str, str]

    @classmethod
    def from_data(cls) -> RoleTable:
        return cls(dict(load("reconcile")["roles_by_type"]))

    def role_of(self, type_iri: str) -> str | None:
        return self.roles_by_type.get(type_iri.removeprefix(WKG)) if type_iri.startswith(WKG) else None


def read_subjects(store: ox.Store) -> list[Subject]:
    """Every entity worth linking, in IRI order: typed ones (people, parties, places, conflicts, works with
    an identifier) and any linked Wikipedia page (matched by its sitelink only)."""
    table = RoleTable.from_data()
    roles: dict[str, set[str]] = defaultdict(set)
    for e, type_iri in _pairs(store, TYPED):
        role = table.role_of(type_iri)
        if role and not e.startswith(EVENT_PREFIX):
            roles[e].add(role)
    titles = _titles(store)
    identifiers = _identifiers(store)
    subjects = []
    for iri in sorted(set(roles) | set(titles) | set(identifiers)):
        found = roles.get(iri, set())
        if found == {"work"} and iri not in identifiers:
            continue  # a source known only by its title and authors: Wikidata rarely has it, titles repeat
        subjects.append(Subject(iri=iri, roles=tuple(sorted(found)) or ("other",),
                                titles=titles.get(iri, {}), identifiers=identifiers.get(iri, {})))
    _add_labels(store, subjects)
    _add_periods(store, subjects)
    _add_coordinates(store, subjects)
    return subjects


def _rows(store: ox.Store, query: str):
    from graph.query.engine import query_store

    return query_store(store, query)  # a store from load_store: every triple once in the default graph


def _pairs(store: ox.Store, query: str) -> list[tuple[str, ox.Literal | ox.NamedNode]]:
    out = []
    for row in _rows(store, query):
        subject, value = row[0], row[1]
        if isinstance(subject, ox.NamedNode):
            out.append((subject.value, value.value if isinstance(value, ox.NamedNode) else value))
    return out


def _titles(store: ox.Store) -> dict[str, dict[str, list[str]]]:
    """``wkg:wikiTitle "苏联"@zh`` → site ``zhwiki``; a title's ``#section`` part is not a page."""
    titles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for e, literal in _pairs(store, TITLED):
        if not isinstance(literal, ox.Literal) or not literal.language or "#" in literal.value:
            continue
        site = literal.language.split("-")[0].lower() + "wiki"
        if literal.value not in titles[e][site]:
            titles[e][site].append(literal.value)
    return {e: dict(sites) for e, sites in titles.items()}


def _identifiers(store: ox.Store) -> dict[str, dict[str, list[str]]]:
    pids = {name: v["pid"] for name, v in load("wikidata_properties")["identifiers"].items()}
    props = {ours: pids[theirs] for ours, theirs in load("reconcile")["identifiers"].items()}
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(store, IDENTIFIERS):
        e = row["e"]
        if not isinstance(e, ox.NamedNode):
            continue
        for prop, value in _identifier_values(row, props):
            if value and value not in found[e.value][prop]:
                found[e.value][prop].append(value)
    return {e: dict(v) for e, v in found.items()}


def _identifier_values(row, props: dict[str, str]) -> list[tuple[str, str]]:
    """Every form Wikidata may store: digits (what the offline index compares) and the article's hyphenated
    form (Wikidata stores ISBNs hyphenated, and a SPARQL endpoint compares strings exactly)."""
    values = []
    if row["isbn"] is not None:
        isbn13 = row["isbn"].value
        values.append((props["isbn13"], isbn13))
        if (isbn10 := to_isbn10(isbn13)) is not None:
            values.append((props["isbn10"], isbn10))
        if row["written"] is not None:
            written = row["written"].value
            values.append((props["isbn13"] if len(digits_of(written)) == 13 else props["isbn10"], written))
    if row["doi"] is not None:
        values.append((props["doi"], row["doi"].value.upper()))  # Wikidata stores DOIs uppercased
    return values


def _add_labels(store: ox.Store, subjects: list[Subject]) -> None:
    by_iri = {s.iri: s for s in subjects}
    for e, literal in _pairs(store, LABELS):
        subject = by_iri.get(e)
        if subject is None or not isinstance(literal, ox.Literal) or not literal.value.strip():
            continue
        lang = (literal.language or "").lower()
        texts = subject.labels.setdefault(lang, [])
        if literal.value not in texts:
            texts.append(literal.value)
    for subject in subjects:
        for texts in subject.labels.values():
            texts.sort()
    for e, literal in _pairs(store, PREFERRED):
        if e in by_iri and isinstance(literal, ox.Literal):
            by_iri[e].preferred = literal.value


def _add_periods(store: ox.Store, subjects: list[Subject]) -> None:
    by_iri = {s.iri: s for s in subjects}
    for row in _rows(store, PERIODS):
        subject = by_iri.get(row["e"].value) if isinstance(row["e"], ox.NamedNode) else None
        if subject is None:
            continue
        start, end = _year(row["from"]), _year(row["to"])
        if start is not None or end is not None:
            subject.period = (start if start is not None else end, end if end is not None else start)


def _add_coordinates(store: ox.Store, subjects: list[Subject]) -> None:
    by_iri = {s.iri: s for s in subjects}
    for row in _rows(store, COORDINATES):
        subject = by_iri.get(row["e"].value) if isinstance(row["e"], ox.NamedNode) else None
        if subject is None or subject.coordinates is not None:
            continue
        try:
            subject.coordinates = (float(row["lat"].value), float(row["long"].value))
        except (AttributeError, ValueError):
            continue


def _year(term) -> int | None:
    """The year of an xsd:date / gYear literal: ``-0030-…`` is astronomical, as XSD 1.1 writes it."""
    if not isinstance(term, ox.Literal):
        return None
    text = term.value
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-+").split("-", 1)[0]
    return sign * int(digits) if digits.isdigit() else None
