"""Decisions → triples: ``skos:exactMatch`` to the Wikidata item (and ``owl:sameAs`` above a stricter
threshold), and one ``wkg:Reconciliation`` record per entity with the score, method, features, candidates,
status, reason, backend and date — the evidence a reviewer (and ``queries/wikidata.rq``) reads."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.rdf.iri import ONTOLOGY, reconciliation_iri
from graph.rdf.provenance import run_date
from graph.wikidata.reconcile.model import MATCHED, WIKIDATA_ENTITY, Decision
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


def clear_links(store: ox.Store) -> int:
    """Remove the links and records of an earlier run (in any graph), so reconciling twice replaces."""
    doomed = [q for q in store.quads_for_pattern(None, RDF_TYPE, wkg("Reconciliation"), None)]
    doomed = [q for rec in {q.subject for q in doomed} for q in store.quads_for_pattern(rec, None, None, None)]
    for predicate in (EXACT_MATCH, SAME_AS):
        doomed += [q for q in store.quads_for_pattern(None, predicate, None, None)
                   if q.object.value.startswith(WIKIDATA_ENTITY)]
    for quad in doomed:
        store.remove(quad)
    return len(doomed)


def decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=ox.NamedNode(XSD + "decimal"))
