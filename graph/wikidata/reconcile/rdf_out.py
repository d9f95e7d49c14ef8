"""Decisions → triples: ``skos:exactMatch`` to the Wikidata item (and ``owl:sameAs`` above a stricter
threshold), and one ``wkg:Reconciliation`` record per entity with the score, method, features, candidates,
status, reason, backend and date — the evidence a reviewer (and ``queries/wikidata.rq``) reads."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.rdf.iri import ONTOLOGY, reconciliation_iri
from graph.rdf.provenance import run_date
from graph.wikidata.reconcile.model import MATCHED, NOT_CHECKED, WIKIDATA_ENTITY, Decision
from graph.wikidata.reconcile.score import Settings

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
EXACT_MATCH = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
DATE = ox.NamedNode("http://purl.org/dc/terms/date")
XSD = "http://www.w3.org/2001/XMLSchema#"


def wkg(local: str) -> ox.NamedNode:
    return ox.NamedNode(ONTOLOGY + local)


def decision_triples(decisions: Iterable[Decision], settings: Settings, backend: str) -> list[ox.Triple]:
    day = ox.Literal(run_date().isoformat(), datatype=ox.NamedNode(XSD + "date"))
    out: list[ox.Triple] = []
    for d in decisions:
        if d.status == NOT_CHECKED:  # no decision, no record: the entity keeps what an earlier run recorded
            continue
        entity = ox.NamedNode(d.subject.iri)
        rec = ox.NamedNode(reconciliation_iri(d.subject.iri))
        add = out.append
        add(ox.Triple(rec, RDF_TYPE, wkg("Reconciliation")))
        add(ox.Triple(rec, wkg("reconciledEntity"), entity))
        add(ox.Triple(rec, wkg("reconciliationStatus"), ox.Literal(d.status)))
        add(ox.Triple(rec, wkg("backend"), ox.Literal(backend)))
        add(ox.Triple(rec, DATE, day))
        if d.method:
            add(ox.Triple(rec, wkg("method"), ox.Literal(d.method)))
        if d.status == MATCHED or d.score:
            add(ox.Triple(rec, wkg("score"), decimal(d.score)))
        for feature in d.features:
            add(ox.Triple(rec, wkg("feature"), ox.Literal(feature)))
        if d.reason:
            add(ox.Triple(rec, wkg("reason"), ox.Literal(d.reason)))
        if d.status == MATCHED and d.item_iri:
            item = ox.NamedNode(d.item_iri)
            add(ox.Triple(rec, wkg("reconciledWith"), item))
            add(ox.Triple(entity, EXACT_MATCH, item))
            if settings.same_as and d.score >= settings.same_as_threshold:
                add(ox.Triple(entity, SAME_AS, item))
        else:
            for candidate in d.candidates[:10]:
                if candidate.excluded is None:
                    add(ox.Triple(rec, wkg("candidate"), ox.NamedNode(WIKIDATA_ENTITY + candidate.qid)))
    return out


def earlier_links(store: ox.Store) -> dict[str, list[ox.Quad]]:
    """The links and records of an earlier run (in any graph), by the entity they are about."""
    found: dict[str, list[ox.Quad]] = {}
    for typed in store.quads_for_pattern(None, RDF_TYPE, wkg("Reconciliation"), None):
        record = list(store.quads_for_pattern(typed.subject, None, None, None))
        entity = next((q.object.value for q in record if q.predicate == wkg("reconciledEntity")), typed.subject.value)
        found.setdefault(entity, []).extend(record)
    for predicate in (EXACT_MATCH, SAME_AS):
        for q in store.quads_for_pattern(None, predicate, None, None):
            if q.object.value.startswith(WIKIDATA_ENTITY):
                found.setdefault(q.subject.value, []).append(q)
    return found


def clear_links(store: ox.Store) -> dict[str, list[ox.Quad]]:
    """Remove the links and records of an earlier run, so reconciling twice replaces; give back what was removed
    (an entity the new run could not check keeps its own)."""
    removed = earlier_links(store)
    for quads in removed.values():
        for quad in set(quads):
            store.remove(quad)
    return removed


def decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=ox.NamedNode(XSD + "decimal"))
