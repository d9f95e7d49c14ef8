"""Wikidata's JSON dump → RDF in the layout of Wikidata's own RDF dumps and its query service (WDQS).

The point is that one set of SPARQL queries (graph/reconcile/sparql.py) runs unchanged against real WDQS and
against a local store (Oxigraph) loaded with a subset converted here. Format reference:
https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format

What is written per entity: its type; labels (rdfs:label, skos:prefLabel, schema:name), aliases
(skos:altLabel), descriptions (schema:description); sitelinks as schema:Article nodes; truthy statements
(``wdt:``, best rank only) and full statements (``p:``/``ps:``/``pq:`` with ``wikibase:rank``), and for time and
quantity values their full value nodes (``psv:`` → ``wdv:`` with precision, bounds, unit: what wikidata-diff
compares). Not written: references, full value nodes of other types, normalised values (``psn:``) and
somevalue/novalue: no query of ours asks them, and they would double the size of a subset.

Values: times become xsd:dateTime with astronomical years, as the RDF dumps write them (JSON ``-0031`` is
31 BCE → ``-0030``), and Julian-calendar dates of day precision are converted to the Gregorian calendar, as
the dumps do; quantities become xsd:decimal; coordinates become geo:wktLiteral ``Point(lon lat)``.
"""

from __future__ import annotations

import gzip
import re
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph as ox

from graph.extract.calendars import julian_to_gregorian
from graph.rdf.iri import MEDIAWIKI_URL_SAFE, mediawiki_url
from graph.rdf.serialize import atomic_path
from graph.wikidata.json_dump import dump_entities

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
P = "http://www.wikidata.org/prop/"
PS = "http://www.wikidata.org/prop/statement/"
PQ = "http://www.wikidata.org/prop/qualifier/"
PSV = "http://www.wikidata.org/prop/statement/value/"
WDV = "http://www.wikidata.org/value/"
WDS = "http://www.wikidata.org/entity/statement/"
WIKIBASE = "http://wikiba.se/ontology#"
SCHEMA = "http://schema.org/"  # Wikidata's RDF uses http, not https
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
GEO = "http://www.opengis.net/ont/geosparql#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

PREFIXES = {"wd": WD, "wdt": WDT, "p": P, "ps": PS, "pq": PQ, "psv": PSV, "wdv": WDV, "wds": WDS,
            "wikibase": WIKIBASE, "schema": SCHEMA,
            "rdfs": RDFS, "skos": SKOS, "xsd": XSD, "geo": GEO}

BATCH_TRIPLES = 50_000  # triples buffered before they are serialised and written: bounded memory
JULIAN = "http://www.wikidata.org/entity/Q1985786"
PRECISION_DAY = 11

_ENTITY_ID = re.compile(r"^[A-Z][1-9][0-9]*$")
_TIME = re.compile(r"^([+-]?)(\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_TITLE_SAFE = MEDIAWIKI_URL_SAFE

# Site families with one wiki per language (site ID = language code + suffix) → their domain.
_FAMILIES = {"wiki": "wikipedia.org", "wikiquote": "wikiquote.org", "wikisource": "wikisource.org",
             "wikibooks": "wikibooks.org", "wikinews": "wikinews.org", "wikiversity": "wikiversity.org",
             "wikivoyage": "wikivoyage.org", "wiktionary": "wiktionary.org"}
# Multilingual wikis whose site ID also ends in "wiki" (commonswiki, specieswiki…): not a language edition,
# each with its own domain. Their sitelinks are skipped: the reconciler only asks language editions.
_NOT_LANGUAGES = frozenset({"commons", "species", "meta", "wikidata", "mediawiki", "sources", "incubator",
                            "outreach", "wikimania", "wikifunctions", "foundation", "wikitech", "test", "test2",
                            "testwikidata", "beta", "nostalgia", "ten", "strategy", "usability"})
# Site codes whose wiki lives under another name (be_x_oldwiki is be-tarask.wikipedia.org).
_DOMAIN_CODES = {"be-x-old": "be-tarask"}

_RANKS = {"normal": "NormalRank", "preferred": "PreferredRank", "deprecated": "DeprecatedRank"}
_PROPERTY_TYPES = {"wikibase-item": "WikibaseItem", "wikibase-property": "WikibaseProperty", "string": "String",
                   "external-id": "ExternalId", "monolingualtext": "Monolingualtext", "time": "Time",
                   "quantity": "Quantity", "globe-coordinate": "GlobeCoordinate", "url": "Url",
                   "commonsMedia": "CommonsMedia", "geo-shape": "GeoShape", "tabular-data": "TabularData",
                   "math": "Math", "musical-notation": "MusicalNotation", "wikibase-lexeme": "WikibaseLexeme",
                   "wikibase-form": "WikibaseForm", "wikibase-sense": "WikibaseSense", "entity-schema": "EntitySchema"}


@dataclass
class ConvertStats:
    entities: int = 0
    triples: int = 0
    statements: int = 0
    skipped_values: int = 0  # somevalue/novalue snaks and values of unknown or broken shape
    broken_lines: int = 0    # lines of the dump that are not an entity
    truncated: bool = False  # the compressed stream ended early
    seconds: float = 0.0


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


_TYPE = _node(RDF_TYPE)
_LABEL_PREDICATES = (_node(RDFS + "label"), _node(SKOS + "prefLabel"), _node(SCHEMA + "name"))
_ALT_LABEL = _node(SKOS + "altLabel")
_DESCRIPTION = _node(SCHEMA + "description")
_RANK = _node(WIKIBASE + "rank")
_STATEMENT = _node(WIKIBASE + "Statement")
_BEST_RANK = _node(WIKIBASE + "BestRank")


# ---------------------------------------------------------------- entities

def entity_triples(entity: dict, stats: ConvertStats | None = None) -> Iterator[ox.Triple]:
    """The triples of one JSON-dump entity. A field of unexpected shape is skipped (counted in ``stats``),
    never an error: one odd entity must not stop the conversion of a hundred million."""
    stats = stats if stats is not None else ConvertStats()
    entity_id = entity.get("id") if isinstance(entity, dict) else None
    if not isinstance(entity_id, str) or not _ENTITY_ID.match(entity_id):
        return
    subject = _node(WD + entity_id)
    is_property = entity.get("type") == "property" or entity_id.startswith("P")
    yield ox.Triple(subject, _TYPE, _node(WIKIBASE + ("Property" if is_property else "Item")))
    if is_property:
        yield from _property_declaration(subject, entity_id, entity.get("datatype"))
    yield from _term_triples(subject, entity)
    yield from _sitelink_triples(subject, entity.get("sitelinks"))
    claims = entity.get("claims")
    if isinstance(claims, dict):
        for prop, statements in claims.items():
            if isinstance(prop, str) and _ENTITY_ID.match(prop) and isinstance(statements, list):
                yield from _statement_triples(subject, prop, statements, stats)


def _property_declaration(subject: ox.NamedNode, pid: str, datatype: Any) -> Iterator[ox.Triple]:
    """What WDQS knows of a property: its type and the predicates it gives (wdt:, p:, ps:, pq:)."""
    if datatype in _PROPERTY_TYPES:
        yield ox.Triple(subject, _node(WIKIBASE + "propertyType"), _node(WIKIBASE + _PROPERTY_TYPES[datatype]))
    for predicate, base in (("directClaim", WDT), ("claim", P), ("statementProperty", PS), ("qualifier", PQ)):
        yield ox.Triple(subject, _node(WIKIBASE + predicate), _node(base + pid))


def _term_triples(subject: ox.NamedNode, entity: dict) -> Iterator[ox.Triple]:
    for term in _monolingual(entity.get("labels")):
        for predicate in _LABEL_PREDICATES:
            yield ox.Triple(subject, predicate, term)
    for term in _monolingual(entity.get("descriptions")):
        yield ox.Triple(subject, _DESCRIPTION, term)
    aliases = entity.get("aliases")
    for texts in (aliases.values() if isinstance(aliases, dict) else ()):
        for term in _monolingual(texts if isinstance(texts, list) else []):
            yield ox.Triple(subject, _ALT_LABEL, term)


def _monolingual(values: Any) -> Iterator[ox.Literal]:
    """Language-tagged literals of a labels/descriptions map or an aliases list; Wikidata writes an empty
    map as ``[]``, and a few of its language codes are not valid tags: those are skipped."""
    items = values.values() if isinstance(values, dict) else values if isinstance(values, list) else ()
    for value in items:
        if isinstance(value, dict) and isinstance(value.get("value"), str) and isinstance(value.get("language"), str):
            literal = _lang_literal(value["value"], value["language"])
            if literal is not None:
                yield literal


def _lang_literal(text: str, lang: str) -> ox.Literal | None:
    try:
        return ox.Literal(text, language=lang)
    except ValueError:
        return None


# ---------------------------------------------------------------- sitelinks

def site_wiki(site: str) -> tuple[str, str] | None:
    """``zhwiki`` → (``zh``, ``https://zh.wikipedia.org/``); ``zh_yuewiki`` → ``zh-yue``; None for a site that
    is not a language edition of a Wikimedia project (commonswiki, specieswiki…)."""
    for suffix, domain in sorted(_FAMILIES.items(), key=lambda item: -len(item[0])):  # wikiquote before wiki
        if site.endswith(suffix) and len(site) > len(suffix):
            code = site[: -len(suffix)].replace("_", "-")
            if code in _NOT_LANGUAGES or not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*|simple", code):
                return None
            code = _DOMAIN_CODES.get(code, code)
            return code, f"https://{code}.{domain}/"
    return None


def article_iri(wiki: str, title: str) -> str:
    """The article URL as MediaWiki (and so the RDF dumps) writes it: spaces as ``_``, UTF-8 percent-encoded."""
    return mediawiki_url(wiki, title)


def _sitelink_triples(subject: ox.NamedNode, sitelinks: Any) -> Iterator[ox.Triple]:
    if not isinstance(sitelinks, dict):
        return
    for site, link in sitelinks.items():
        wiki = site_wiki(site) if isinstance(site, str) else None
        title = link.get("title") if isinstance(link, dict) else None
        if wiki is None or not isinstance(title, str) or not title:
            continue
        lang, base = wiki
        name = _lang_literal(title, lang)
        if name is None:
            continue
        article = _node(article_iri(base, title))
        yield ox.Triple(article, _TYPE, _node(SCHEMA + "Article"))
        yield ox.Triple(article, _node(SCHEMA + "about"), subject)
        yield ox.Triple(article, _node(SCHEMA + "inLanguage"), ox.Literal(lang))
        yield ox.Triple(article, _node(SCHEMA + "isPartOf"), _node(base))
        yield ox.Triple(article, _node(SCHEMA + "name"), name)


# ---------------------------------------------------------------- statements

def _statement_triples(subject: ox.NamedNode, prop: str, statements: list, stats: ConvertStats
                       ) -> Iterator[ox.Triple]:
    usable = [s for s in statements if isinstance(s, dict) and isinstance(s.get("mainsnak"), dict)]
    best = _best_rank(usable)
    for statement in usable:
        rank = statement.get("rank", "normal")
        value = _snak_value(statement["mainsnak"], stats)
        if rank == best and value is not None:  # truthy: best rank only, never deprecated (see _best_rank)
            yield ox.Triple(subject, _node(WDT + prop), value)
        node = _statement_node(statement)
        if node is None or rank not in _RANKS:
            continue
        stats.statements += 1
        yield ox.Triple(subject, _node(P + prop), node)
        yield ox.Triple(node, _TYPE, _STATEMENT)
        if rank == best:
            yield ox.Triple(node, _TYPE, _BEST_RANK)
        yield ox.Triple(node, _RANK, _node(WIKIBASE + _RANKS[rank]))
        if value is not None:
            yield ox.Triple(node, _node(PS + prop), value)
            yield from _value_node_triples(node, prop, statement["mainsnak"])
        yield from _qualifier_triples(node, statement.get("qualifiers"), stats)


def _value_node_triples(node: ox.NamedNode, prop: str, snak: dict) -> Iterator[ox.Triple]:
    """``psv:`` full values of times (precision) and quantities (bounds, unit), keyed on the snak's hash as
    Wikidata keys ``wdv:`` nodes. A snak of another type, or without a hash, gives none."""
    datavalue = snak.get("datavalue") or {}
    value, digest = datavalue.get("value"), snak.get("hash")
    if not isinstance(value, dict) or not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]+", digest):
        return
    triples: list[tuple[str, ox.Literal | ox.NamedNode]] = []
    if datavalue.get("type") == "time":
        lexical = time_lexical(value.get("time"), value.get("precision"), value.get("calendarmodel"))
        if lexical and isinstance(value.get("precision"), int):
            triples += [("timeValue", ox.Literal(lexical, datatype=_node(XSD + "dateTime"))),
                        ("timePrecision", ox.Literal(str(value["precision"]), datatype=_node(XSD + "integer")))]
            if isinstance(value.get("calendarmodel"), str) and value["calendarmodel"].startswith("http"):
                triples.append(("timeCalendarModel", _node(value["calendarmodel"])))
    elif datavalue.get("type") == "quantity":
        for key, name in (("amount", "quantityAmount"), ("lowerBound", "quantityLowerBound"),
                          ("upperBound", "quantityUpperBound")):
            if isinstance(value.get(key), str) and _DECIMAL.match(value[key]):
                triples.append((name, ox.Literal(value[key], datatype=_node(XSD + "decimal"))))
        unit = value.get("unit")
        if isinstance(unit, str) and unit.startswith("http"):
            triples.append(("quantityUnit", _node(unit)))
    if not triples:
        return
    full = _node(WDV + digest)
    yield ox.Triple(node, _node(PSV + prop), full)
    for name, term in triples:
        yield ox.Triple(full, _node(WIKIBASE + name), term)


def _best_rank(statements: list[dict]) -> str | None:
    """Wikidata's truthy statements: the preferred ones if any, else the normal ones; deprecated never."""
    ranks = {s.get("rank", "normal") for s in statements}
    return "preferred" if "preferred" in ranks else "normal" if "normal" in ranks else None


def _statement_node(statement: dict) -> ox.NamedNode | None:
    """``Q42$F078E5B3-…`` → wds:Q42-F078E5B3-… (the RDF dumps replace the ``$``)."""
    guid = statement.get("id")
    if not isinstance(guid, str) or not guid:
        return None
    local = urllib.parse.quote(guid.replace("$", "-", 1), safe="-._~")
    return _node(WDS + local)


def _qualifier_triples(node: ox.NamedNode, qualifiers: Any, stats: ConvertStats) -> Iterator[ox.Triple]:
    if not isinstance(qualifiers, dict):
        return
    for prop, snaks in qualifiers.items():
        if not (isinstance(prop, str) and _ENTITY_ID.match(prop) and isinstance(snaks, list)):
            continue
        for snak in snaks:
            value = _snak_value(snak, stats) if isinstance(snak, dict) else None
            if value is not None:
                yield ox.Triple(node, _node(PQ + prop), value)


def _snak_value(snak: dict, stats: ConvertStats) -> ox.NamedNode | ox.Literal | None:
    """The RDF term of a snak's value. somevalue/novalue give None: the dumps write them as blank nodes
    (wdt:P570 _:x) or as a class (wdno:P570), which no query of ours asks and which a SPARQL answer could not
    tell apart from a real value by its type alone, so they are left out."""
    datavalue = snak.get("datavalue")
    if snak.get("snaktype", "value") != "value" or not isinstance(datavalue, dict):
        stats.skipped_values += 1
        return None
    try:
        term = _datavalue_term(datavalue.get("type"), datavalue.get("value"), snak.get("datatype"))
    except (ValueError, TypeError, KeyError, AttributeError):  # a value of broken shape: skip it, go on
        term = None
    if term is None:
        stats.skipped_values += 1
    return term


def _datavalue_term(value_type: Any, value: Any, datatype: Any) -> ox.NamedNode | ox.Literal | None:
    if value_type == "wikibase-entityid":
        entity_id = value.get("id") or _id_from_numeric(value)
        return _node(WD + entity_id) if isinstance(entity_id, str) and _ENTITY_ID.match(entity_id) else None
    if value_type == "string":
        return _string_term(value, datatype)
    if value_type == "monolingualtext":
        return _lang_literal(value["text"], value["language"])
    if value_type == "time":
        lexical = time_lexical(value["time"], value.get("precision"), value.get("calendarmodel"))
        return ox.Literal(lexical, datatype=_node(XSD + "dateTime")) if lexical else None
    if value_type == "quantity":
        amount = value["amount"]
        return ox.Literal(amount, datatype=_node(XSD + "decimal")) if _DECIMAL.match(amount) else None
    if value_type == "globecoordinate":
        lat, lon = float(value["latitude"]), float(value["longitude"])
        globe = value.get("globe") or EARTH
        # As Wikidata's RDF does: a point on another body (the Moon, Mars) names that body's item first.
        prefix = "" if globe == EARTH else f"<{globe}> "
        return ox.Literal(f"{prefix}Point({_number(lon)} {_number(lat)})", datatype=_node(GEO + "wktLiteral"))
    return None  # a datatype this converter does not know: skipped, counted


EARTH = "http://www.wikidata.org/entity/Q2"


def _id_from_numeric(value: dict) -> str | None:
    # Old dumps give only entity-type and numeric-id.
    prefix = {"item": "Q", "property": "P"}.get(value.get("entity-type"))
    number = value.get("numeric-id")
    return f"{prefix}{number}" if prefix and isinstance(number, int) else None


def _string_term(value: str, datatype: Any) -> ox.NamedNode | ox.Literal | None:
    """Strings and external IDs are plain literals; URLs and Commons files are IRIs, as in the dumps."""
    if not isinstance(value, str):
        return None
    if datatype == "url":
        try:
            return _node(value)
        except ValueError:  # Wikidata holds some URLs that are not valid IRIs; the dumps skip them too
            return None
    if datatype == "commonsMedia":
        return _node("http://commons.wikimedia.org/wiki/Special:FilePath/"
                     + urllib.parse.quote(value.replace(" ", "_"), safe=_TITLE_SAFE))
    return ox.Literal(value)


def _number(x: float) -> str:
    return repr(x) if x != int(x) else str(int(x))


# ---------------------------------------------------------------- time values

def time_lexical(json_time: str, precision: Any = None, calendar: Any = None) -> str | None:
    """A JSON-dump time as the RDF dumps write it: ``-0031-00-00T00:00:00Z`` → ``-0030-01-01T00:00:00Z``.

    Wikidata's JSON writes years as historians do (no year 0: -31 is 31 BCE); XSD 1.1 and the RDF dumps use
    astronomical years (31 BCE = -30). Unknown month or day (``00``) become 01. Julian dates known to the
    day are converted to the Gregorian calendar, as the dumps do; coarser ones keep their year."""
    m = _TIME.match(json_time) if isinstance(json_time, str) else None
    if not m:
        return None
    sign, digits, month, day, hh, mm, ss = m.groups()
    year = int(digits)
    if sign == "-":
        year = 1 - year  # 1 BCE → 0, 31 BCE → -30
    month_n, day_n = max(int(month), 1), max(int(day), 1)
    if calendar == JULIAN and isinstance(precision, int) and precision >= PRECISION_DAY:
        year, month_n, day_n = julian_to_gregorian(year, month_n, day_n)
    year_text = f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"{year_text}-{month_n:02d}-{day_n:02d}T{hh}:{mm}:{ss}Z"


# ---------------------------------------------------------------- dumps

def convert_dump(dump_path: str, out_path: str, progress: bool = False) -> ConvertStats:
    """Convert a Wikidata JSON dump (plain, .gz, .bz2, .xz) to N-Triples, or Turtle when ``out_path`` ends in
    .ttl; ``.gz`` after either compresses. Streamed in batches (bounded memory) and written atomically."""
    start = time.monotonic()
    stats = ConvertStats()
    counts: Counter[str] = Counter()
    entities = dump_entities(dump_path, counts, progress)  # opened here: a missing file fails before any output
    turtle = out_path.removesuffix(".gz").endswith(".ttl")
    with atomic_path(out_path) as tmp, _open_output(tmp, out_path.endswith(".gz")) as out:
        batch: list[ox.Triple] = []
        for entity in entities:
            stats.entities += 1
            batch.extend(entity_triples(entity, stats))
            if len(batch) >= BATCH_TRIPLES:
                _write_batch(out, batch, turtle, stats)
        _write_batch(out, batch, turtle, stats)
    stats.broken_lines = counts["broken"]
    stats.truncated = bool(counts["truncated"])
    stats.seconds = time.monotonic() - start
    return stats


def _open_output(tmp: str, compress: bool) -> IO[bytes]:
    return gzip.open(tmp, "wb") if compress else open(tmp, "wb")


def _write_batch(out: IO[bytes], batch: list[ox.Triple], turtle: bool, stats: ConvertStats) -> None:
    """Serialise and clear one batch. In Turtle each batch repeats its @prefix lines: legal, and it keeps
    the writer streaming instead of holding the whole graph."""
    if not batch:
        return
    if turtle:
        out.write(ox.serialize(batch, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    else:
        out.write(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES))
    stats.triples += len(batch)
    batch.clear()
