"""The schema.org and DBpedia types asserted next to ours (graph/data/core_types.yaml)."""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from graph.data.vocab import load
from graph.rdf.terms import RDF_TYPE, TripleSink, curie, wkg


@cache
def core_types(cls: str) -> tuple[ox.NamedNode, ...]:
    return tuple(curie(name) for name in load("core_types").get(cls, ()))


def add_types(out: TripleSink, subject: ox.NamedNode, cls: str) -> None:
    """``subject a wkg:cls`` and the core types of that class."""
    out.add(subject, RDF_TYPE, wkg(cls))
    for core in core_types(cls):
        out.add(subject, RDF_TYPE, core)
