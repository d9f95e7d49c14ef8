"""A Backend on any SPARQL endpoint holding Wikidata-shaped RDF: query.wikidata.org itself, or a local store
loaded with a subset converted by graph/wikibase_rdf.py (same layout, so the same queries).

Safety: no text from an article is ever spliced into a query as it is. Every label, title and identifier
enters as an RDF term serialised by pyoxigraph (N-Triples escaping) inside a VALUES block; QIDs and PIDs
are checked against a strict pattern first. Every method batches its inputs (``batch_size`` terms a query).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

import pyoxigraph as ox

from graph.wikidata.index import DEFAULT_LANGUAGES, fold_title, properties
from graph.wikidata.reconcile.backend import BackendError, batches
from graph.wikidata.reconcile.model import WIKIDATA_ENTITY, ItemFacts, LabelHit
from graph.wikidata.wikibase_rdf import PREFIXES, site_wiki

Transport = Callable[[str, str], dict]

ENTITY_ID = re.compile(r"^[QP][1-9][0-9]*$")
_YEAR = re.compile(r"^(-?)(\d+)-")
# Wiktionary titles are case-sensitive in their first letter; every other Wikimedia wiki folds it.
_CASE_SENSITIVE_SITES = re.compile(r"wiktionary$")

PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(PREFIXES.items()))


def sparqlwrapper_transport(endpoint: str, query_text: str, timeout: float = 60) -> dict:
    """POST a query with SPARQLWrapper, JSON results; any failure becomes a BackendError."""
    from graph.query.endpoint import sparql_client

    client = sparql_client(endpoint, query_text, timeout)
    try:
        answer = client.queryAndConvert()
    except Exception as e:  # network, HTTP status, a body that is not JSON: all mean "cannot answer"
        raise BackendError(f"{endpoint}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from e
    if not isinstance(answer, dict):
        raise BackendError(f"{endpoint}: the answer is not SPARQL JSON results")
    return answer


class SparqlBackend:
    """The Backend protocol (graph/reconcile/backend.py) answered by SPARQL queries."""

    def __init__(self, endpoint: str, transport: Transport | None = None, batch_size: int = 50,
                 name: str | None = None) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.endpoint = endpoint
        self.transport: Transport = transport or sparqlwrapper_transport
        self.batch_size = batch_size
        self.name = name or f"SPARQL {endpoint}"
        self.config = properties()

    # ------------------------------------------------------------ Backend

    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        """Title (as given) → QID; titles are compared as MediaWiki does (``_`` = space, first letter folded)."""
        wiki = site_wiki(site)
        if wiki is None:
            return {}
        lang, base = wiki
        given_by_term: dict[str, list[str]] = {}
        for title in dict.fromkeys(titles):
            term = _literal_term(self._normalise_title(site, title), lang)
            if term is not None:
                given_by_term.setdefault(term, []).append(title)
        found: dict[str, str] = {}
        for batch in batches(list(given_by_term), self.batch_size):
            query = (f"SELECT ?name ?item WHERE {{\n  VALUES ?name {{ {' '.join(batch)} }}\n"
                     f"  ?article schema:about ?item ; schema:isPartOf <{base}> ; schema:name ?name .\n}}")
            for row in self._select(query):
                qid = _qid(row.get("item"))
                term = _term_key(row.get("name"))
                for title in given_by_term.get(term or "", []) if qid else ():
                    found.setdefault(title, qid)
        return found

    def identifiers(self, prop: str, values: Sequence[str]) -> dict[str, list[str]]:
        """Value (as given) → QIDs whose truthy ``prop`` statement is exactly that string."""
        _check_entity_id(prop, "P")
        given_by_term = {str(ox.Literal(value)): value for value in dict.fromkeys(values)}
        found: dict[str, list[str]] = {}
        for batch in batches(list(given_by_term), self.batch_size):
            query = f"SELECT ?v ?item WHERE {{\n  VALUES ?v {{ {' '.join(batch)} }}\n  ?item wdt:{prop} ?v .\n}}"
            for row in self._select(query):
                qid, value = _qid(row.get("item")), given_by_term.get(_term_key(row.get("v")) or "")
                if qid and value is not None and qid not in found.setdefault(value, []):
                    found[value].append(qid)
        return {value: sorted(qids, key=_qid_number) for value, qids in found.items()}

    def labels(self, texts: Sequence[str], languages: Sequence[str]) -> list[LabelHit]:
        """Items whose label (rdfs:label) or alias (skos:altLabel) is exactly one of ``texts`` in one of
        ``languages``. Exact means exact: case and script as given (a store compares RDF terms)."""
        asked: dict[str, tuple[str, str]] = {}
        for text in dict.fromkeys(texts):
            for lang in dict.fromkeys(languages):
                term = _literal_term(text, lang)
                if term is not None:
                    asked[term] = (text, lang)
        hits: dict[tuple[str, str, str], bool] = {}
        for batch in batches(list(asked), self.batch_size):
            query = (f"SELECT ?item ?t ?alias WHERE {{\n  VALUES ?t {{ {' '.join(batch)} }}\n"
                     "  { ?item rdfs:label ?t } UNION { ?item skos:altLabel ?t BIND(true AS ?alias) }\n}")
            for row in self._select(query):
                qid, key = _qid(row.get("item"), items_only=True), asked.get(_term_key(row.get("t")) or "")
                if qid and key:
                    is_alias = _is_true(row.get("alias"))
                    # an item with the text as label and as alias is a label hit
                    hits[(qid, *key)] = hits.get((qid, *key), True) and is_alias
        ordered = sorted(hits.items(), key=lambda hit: (hit[0][1], hit[0][2], hit[1], _qid_number(hit[0][0])))
        return [LabelHit(qid=qid, text=text, lang=lang, alias=alias) for (qid, text, lang), alias in ordered]

    def describe(self, qids: Sequence[str], classes: Collection[str],
                 sites: Collection[str] = ()) -> dict[str, ItemFacts]:
        """Labels (en, zh and its variants), direct P31, years, coordinates, titles on ``sites``, and which
        of ``classes`` each item is an instance of (P31/P279*). Items the endpoint knows nothing of are left
        out."""
        wanted = [qid for qid in dict.fromkeys(qids) if ENTITY_ID.match(qid) and qid.startswith("Q")]
        facts: dict[str, ItemFacts] = {}
        for batch in batches(wanted, self.batch_size):
            for row in self._select(self._facts_query(batch)):
                self._add_fact(facts, row)
        class_ids = [c for c in dict.fromkeys(classes) if ENTITY_ID.match(c) and c.startswith("Q")]
        if class_ids and facts:
            self._add_classes(facts, class_ids)
        if sites and facts:
            self._add_sitelinks(facts, sites)
        return facts

    # ------------------------------------------------------------ queries

    def _add_sitelinks(self, facts: dict[str, ItemFacts], sites: Collection[str]) -> None:
        site_of_base = {wiki[1]: site for site in sorted(set(sites)) if (wiki := site_wiki(site)) is not None}
        if not site_of_base:
            return
        bases = " ".join(f"<{base}>" for base in site_of_base)
        for batch in batches(sorted(facts, key=_qid_number), self.batch_size):
            query = (f"SELECT ?item ?base ?name WHERE {{\n  VALUES ?item {{ {_entity_terms(batch)} }}\n"
                     f"  VALUES ?base {{ {bases} }}\n"
                     f"  ?article schema:about ?item ; schema:isPartOf ?base ; schema:name ?name .\n}}")
            for row in self._select(query):
                qid = _qid(row.get("item"))
                site = site_of_base.get((row.get("base") or {}).get("value", ""))
                name = (row.get("name") or {}).get("value")
                if qid in facts and site and name:
                    facts[qid].sitelinks.setdefault(site, name)

    def _facts_query(self, qids: list[str]) -> str:
        instance_of = self.config.instance_of
        date_values = " ".join(f'("{name}" wdt:{pid})' for name, pid in self.config.date_props.items())
        languages = ", ".join(f'"{lang}"' for lang in DEFAULT_LANGUAGES)
        label_filter = f"FILTER(LCASE(LANG(?value)) IN ({languages}))"
        return (f"SELECT ?item ?key ?value WHERE {{\n  VALUES ?item {{ {_entity_terms(qids)} }}\n"
                f"  {{ ?item rdfs:label ?value . {label_filter} BIND(\"label\" AS ?key) }}\n"
                f"  UNION {{ ?item wdt:{instance_of} ?value . BIND(\"type\" AS ?key) }}\n"
                f"  UNION {{ VALUES (?key ?prop) {{ {date_values} }} ?item ?prop ?value . }}\n"
                f"  UNION {{ ?item wdt:{self.config.coord_props[0]} ?value . BIND(\"coordinates\" AS ?key) }}\n}}")

    def _add_fact(self, facts: dict[str, ItemFacts], row: dict[str, dict]) -> None:
        qid, key, value = _qid(row.get("item")), (row.get("key") or {}).get("value"), row.get("value") or {}
        if not qid or not key:
            return
        item = facts.setdefault(qid, ItemFacts(qid=qid))
        if key == "label" and value.get("type") == "literal":
            item.labels.setdefault((value.get("xml:lang") or "").lower(), value.get("value", ""))
        elif key == "type":
            type_qid = _qid(value)
            if type_qid and type_qid not in item.types:
                item.types.append(type_qid)
        elif key == "coordinates":
            item.coordinates = item.coordinates or _point(value)
        elif hasattr(item, key):
            item.widen_year(key, _year(value))

    def _add_classes(self, facts: dict[str, ItemFacts], class_ids: list[str]) -> None:
        instance_of, subclass_of = self.config.instance_of, self.config.subclass_of
        for batch in batches(sorted(facts, key=_qid_number), self.batch_size):
            query = (f"SELECT DISTINCT ?item ?class WHERE {{\n  VALUES ?item {{ {_entity_terms(batch)} }}\n"
                     f"  VALUES ?class {{ {_entity_terms(class_ids)} }}\n"
                     f"  ?item wdt:{instance_of}/wdt:{subclass_of}* ?class .\n}}")
            for row in self._select(query):
                qid, cls = _qid(row.get("item")), _qid(row.get("class"))
                if qid in facts and cls:
                    facts[qid].classes.add(cls)

    def _select(self, query: str) -> list[dict[str, dict]]:
        answer = self.transport(self.endpoint, PROLOGUE + query)
        try:
            bindings = answer["results"]["bindings"]
        except (KeyError, TypeError):
            raise BackendError(f"{self.endpoint}: the answer is not SPARQL JSON results") from None
        if not isinstance(bindings, list):
            raise BackendError(f"{self.endpoint}: the answer is not SPARQL JSON results")
        return [b for b in bindings if isinstance(b, dict)]

    @staticmethod
    def _normalise_title(site: str, title: str) -> str:
        if _CASE_SENSITIVE_SITES.search(site):
            return " ".join(title.replace("_", " ").split())
        return fold_title(title)


# ---------------------------------------------------------------- terms

def _literal_term(text: str, lang: str) -> str | None:
    """The N-Triples form of ``"text"@lang``, escaped by pyoxigraph; None for an invalid language tag."""
    try:
        return str(ox.Literal(text, language=lang))
    except (ValueError, TypeError):
        return None


def _entity_terms(ids: Sequence[str]) -> str:
    return " ".join(f"wd:{_check_entity_id(i)}" for i in ids)


def _check_entity_id(entity_id: str, kind: str = "QP") -> str:
    if not isinstance(entity_id, str) or not ENTITY_ID.match(entity_id) or entity_id[0] not in kind:
        raise ValueError(f"not a Wikidata ID: {entity_id!r}")
    return entity_id


def _term_key(binding: dict | None) -> str | None:
    """A SPARQL JSON binding of a literal → its N-Triples form, to match it with the term that was asked."""
    if not isinstance(binding, dict) or binding.get("type") not in ("literal", "typed-literal"):
        return None
    lang = binding.get("xml:lang")
    try:
        if lang:
            return str(ox.Literal(binding.get("value", ""), language=lang))
        datatype = binding.get("datatype")
        return str(ox.Literal(binding.get("value", ""), datatype=ox.NamedNode(datatype) if datatype else None))
    except (ValueError, TypeError):
        return None


def _qid(binding: dict | None, items_only: bool = False) -> str | None:
    if not isinstance(binding, dict) or binding.get("type") != "uri":
        return None
    iri = binding.get("value", "")
    local = iri[len(WIKIDATA_ENTITY):] if iri.startswith(WIKIDATA_ENTITY) else ""
    if not ENTITY_ID.match(local) or (items_only and not local.startswith("Q")):
        return None
    return local


def _qid_number(qid: str) -> int:
    return int(qid[1:]) if ENTITY_ID.match(qid) else 0


def _is_true(binding: dict | None) -> bool:
    return isinstance(binding, dict) and binding.get("value") in ("true", "1")


def _year(binding: dict) -> int | None:
    """The year of an xsd:dateTime as the RDF writes it (already astronomical: -0030 is 31 BCE).
    somevalue dates are blank nodes or genid IRIs in WDQS: not literals, so no year."""
    if binding.get("type") not in ("literal", "typed-literal"):
        return None
    m = _YEAR.match(binding.get("value", ""))
    if not m:
        return None
    return -int(m.group(2)) if m.group(1) else int(m.group(2))


_POINT = re.compile(r"^\s*Point\(\s*(-?[0-9.eE+-]+)\s+(-?[0-9.eE+-]+)\s*\)\s*$")


def _point(binding: dict) -> tuple[float, float] | None:
    """``"Point(lon lat)"^^geo:wktLiteral`` → (lat, lon); a point on another globe has an IRI prefix
    (``<http://www.wikidata.org/entity/Q405> Point(…)``) and is not matched, on purpose."""
    m = _POINT.match(binding.get("value", "")) if binding.get("type") in ("literal", "typed-literal") else None
    if not m:
        return None
    try:
        return float(m.group(2)), float(m.group(1))
    except ValueError:
        return None
