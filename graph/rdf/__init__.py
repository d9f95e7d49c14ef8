"""Stage 3, rdf: dataclasses → triples.

Enters: an ``Article``. Leaves: pyoxigraph triples through the declarative mapping (``mapping``, reading
``graph/data/mappings``), with deterministic IRIs (``iri``), schema:/dbo: core types (``core_types``), PROV-O/VoID
provenance (``provenance``), and bytes in Turtle (``turtle_names``: names every parser reads), N-Triples, N-Quads or
JSON-LD, checked and written atomically (``serialize``). The ontology's documentation: ``ontology_docs``, ``sssom``.
"""
