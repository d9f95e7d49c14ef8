"""wikikg: Wikipedia articles (wikitext) → a linked-data knowledge graph.

The package is split by stage of the data flow: ``read`` → ``parse`` (+ ``values``) →
``extract`` (plain dataclasses in ``model``) → ``rdf`` (declarative mappings) →
``serialize`` / ``query``.
"""

__version__ = "0.1.0"
