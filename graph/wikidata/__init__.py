"""Stage 4b, wikidata: our entities ↔ Wikidata items.

Enters: a Wikidata JSON dump (``index``: an offline SQLite index; ``wikibase_rdf``: Wikidata's own RDF
layout) and our graph. Leaves: reconciliation records and links (``reconcile/``, one module per part).
"""
