"""Stage 3, rdf: dataclasses → triples.

Enters: an ``Article``. Leaves: pyoxigraph triples through the declarative mapping (``mapping``, reading
``graph/data/mappings``), with deterministic IRIs (``iri``), PROV-O/VoID provenance (``provenance``), and
bytes in Turtle, N-Triples, N-Quads or JSON-LD, checked and written atomically (``serialize``).
"""
