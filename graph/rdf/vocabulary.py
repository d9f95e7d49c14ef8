"""The ontology files wikikg ships (``ontology/``: the OWL ontology, its SHACL shapes, the alignments to other
vocabularies), found wherever wikikg is installed, printed as they are or written in another RDF format.

They are inside the package (``graph/ontology``, a link to the checkout's ``ontology/`` folder that the wheel
copies), so ``wikikg ontology`` gives the very files the build follows.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError

ONTOLOGY_FOLDER = Path(__file__).resolve().parent.parent / "ontology"
FILES = {"ontology": "wikikg.ttl", "shapes": "shapes.ttl", "alignments": "alignments.ttl"}


def vocabulary_file(part: str) -> Path:
    """The shipped Turtle file of ``part``: ontology, shapes or alignments."""
    return ONTOLOGY_FOLDER / FILES[part]


def vocabulary_bytes(part: str, fmt: str = "turtle") -> bytes:
    """The file as it is for Turtle (its comments are documentation), else converted: sorted, our prefixes."""
    from graph.rdf.serialize import FORMATS, check_parses, to_bytes

    try:
        data = vocabulary_file(part).read_bytes()
    except OSError as e:  # a broken install: said, not a traceback
        raise InputError(f"{vocabulary_file(part)}: cannot be read ({e.strerror or e}); reinstall wikikg") from None
    if FORMATS[fmt] == ox.RdfFormat.TURTLE:
        return data
    triples = sorted(stable_blank_nodes(q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    graph = "https://w3id.org/wikikg/ontology" + ("" if part == "ontology" else f"/{part}")
    out = to_bytes(triples, fmt, graphs={graph: triples})
    check_parses(out, fmt)
    return out


def stable_blank_nodes(triples) -> list[ox.Triple]:
    """The parser names blank nodes (``owl:unionOf`` lists) at random; name them b0, b1… in file order, so the
    converted file is the same bytes every time."""
    names: dict[str, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term.value, ox.BlankNode(f"b{len(names)}"))
        return term

    return [ox.Triple(stable(t.subject), t.predicate, stable(t.object)) for t in triples]
