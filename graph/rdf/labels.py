"""One ``skos:prefLabel`` per resource and language when the graphs of several articles are merged.

Each article gives an entity the wording it uses first; two articles may word it differently ("Britain",
"Great Britain"), and SKOS allows one preferred label per language. The graph of one article keeps its own; a merged
graph keeps the least of them (in code point order, so that the choice does not depend on the order of the
articles); the others stay as ``rdfs:label``s, which every preferred label also is.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.rdf.terms import SKOS_PREF


def one_preferred_label_per_language(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    triples = list(triples)
    chosen: dict[tuple[ox.NamedNode | ox.BlankNode, str | None], str] = {}
    for t in triples:
        if t.predicate == SKOS_PREF and isinstance(t.object, ox.Literal):
            key = (t.subject, t.object.language)
            if key not in chosen or t.object.value < chosen[key]:
                chosen[key] = t.object.value
    return [t for t in triples if t.predicate != SKOS_PREF or not isinstance(t.object, ox.Literal)
            or chosen[(t.subject, t.object.language)] == t.object.value]
