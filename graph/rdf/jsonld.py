"""JSON-LD as people read it: compacted with an ``@context`` of our prefixes (``"wkg:commander"``, ``"zh:…"``).

pyoxigraph writes JSON-LD expanded (every IRI whole), which is valid but unreadable and twice as large. The
compaction here is the plain one the JSON-LD 1.1 algorithms give for a context of prefixes only: an IRI under a
prefix becomes ``prefix:rest``, ``rdf:type`` becomes ``@type``, a plain string its bare value. It is done by hand,
not by rdflib's JSON-LD serializer (~50× slower, and its output changes with its version); a JSON-LD parser reads
it back into the very same triples (tests/test_formats.py checks that).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def compacted_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """One document: ``{"@context": {prefix: namespace}, "@graph": [node, …]}``, nodes and keys sorted."""
    compact = Compactor(prefixes)
    nodes: dict[str, dict[str, list]] = {}
    for t in triples:
        node = nodes.setdefault(compact.subject(t.subject), {})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact.iri(t.object.value))
        else:
            node.setdefault(compact.iri(t.predicate.value), []).append(compact.value(t.object))
    graph = [{"@id": name, **{key: sorted_values(values) for key, values in sorted(node.items())}}
             for name, node in sorted(nodes.items())]
    document = {"@context": dict(sorted(compact.used.items())), "@graph": graph}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def sorted_values(values: list) -> list | object:
    ordered = sorted(values, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return ordered[0] if len(ordered) == 1 else ordered


class Compactor:
    """IRIs to ``prefix:rest`` by the longest namespace that fits; ``used`` collects the prefixes written."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # longest namespace first: https://w3id.org/wikikg/resource/zh/ before https://w3id.org/wikikg/
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.used: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            rest = iri[len(namespace):]
            # a rest that starts with // would read as an absolute IRI of scheme "prefix"; one with a colon is fine
            if iri.startswith(namespace) and rest and not rest.startswith("//"):
                self.used[prefix] = namespace
                return f"{prefix}:{rest}"
        return iri

    def subject(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> object:
        if isinstance(term, ox.BlankNode | ox.NamedNode):
            return {"@id": self.subject(term)}
        datatype = term.datatype.value if term.datatype else XSD_STRING
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if datatype in (XSD_STRING, LANG_STRING):
            return term.value
        return {"@value": term.value, "@type": self.iri(datatype)}
