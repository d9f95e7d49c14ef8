"""Reconcile a whole graph: read its subjects, decide, and give back the triples that record the decisions.
Used by ``wikikg reconcile`` (on files) and ``wikikg build --reconcile`` (on a fresh build)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.wikidata.reconcile.backend import Backend
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
    """Decisions for every subject of ``store`` (earlier links in it are removed first: re-running replaces)."""
    settings = settings or Settings.from_data()
    clear_links(store)
    subjects = read_subjects(store)
    outcome = reconcile(subjects, backend, settings, progress=progress)
    return outcome, decision_triples(outcome.decisions, settings, outcome.backend)
