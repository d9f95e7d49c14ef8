"""wikikg: Wikipedia articles (wikitext) → a linked-data knowledge graph.

One folder per stage of the data flow: ``wikitext`` (bytes → pages) → ``extract`` (pages → plain
dataclasses) → ``rdf`` (dataclasses → triples) → ``sparql`` / ``wikidata`` / ``network``; ``pipeline`` runs
the flow for one page, ``cli`` is the command line, ``data`` holds the mappings and vocabularies.
"""

__version__ = "0.1.0"

# The notebook API, imported on first use so that `wikikg --help` stays fast:
#   from graph import build_graph, to_networkx, analyze, sparql
_LAZY = {
    "build_graph": "network", "load_graph": "network", "to_networkx": "network", "analyze": "network",
    "export": "network", "draw_png": "network", "draw_html": "network", "sparql": "query.notebook",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"graph.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
