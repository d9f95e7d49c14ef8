"""Reconcile a whole graph: read its subjects, decide, and give back the triples that record the decisions.
Used by ``wikikg reconcile`` (on files) and ``wikikg build --reconcile`` (on a fresh build)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.wikidata.reconcile.backend import Backend
from graph.wikidata.reconcile.model import NOT_CHECKED
from graph.wikidata.reconcile.rdf_out import clear_links, decision_triples
from graph.wikidata.reconcile.run import Outcome, reconcile
from graph.wikidata.reconcile.score import Settings
from graph.wikidata.reconcile.subjects import read_subjects

RECONCILIATION_GRAPH = "https://w3id.org/wikikg/graph/reconciliation"  # where N-Quads output keeps the links


def store_of(triples: Iterable[ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


def link_store(store: ox.Store, backend: Backend, settings: Settings | None = None,
               progress: bool = False) -> tuple[Outcome, list[ox.Triple]]:
    """Decisions for every subject of ``store``: earlier links in it are replaced, except those of an entity the
    backend failed on (not checked), which are given back with the new triples."""
    settings = settings or Settings.from_data()
    earlier = clear_links(store)
    subjects = read_subjects(store)
    outcome = reconcile(subjects, backend, settings, progress=progress)
    kept = [q.triple for d in outcome.decisions if d.status == NOT_CHECKED for q in earlier.get(d.subject.iri, [])]
    return outcome, decision_triples(outcome.decisions, settings, outcome.backend) + kept
