"""Loading into a triple store through the SPARQL 1.1 Graph Store Protocol, one named graph per article.

Reloading an article replaces its graph (PUT), ``--append`` adds to it (POST), and articles can be dropped
one by one (``DELETE`` on the graph's URL).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError
from graph.query.endpoint import USER_AGENT, EndpointError, read_error_body

ARTICLE = "https://w3id.org/wikikg/ontology#Article"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Loaded:
    graph: str
    triples: int


def graphs_of(path: str) -> dict[str, list[ox.Triple]]:
    """The named graphs to load from one file: N-Quads keep theirs; Turtle/N-Triples take their article's."""
    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    try:
        quads = list(ox.parse(path=path, format=fmt))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (SyntaxError, ValueError) as e:
        raise InputError(f"{path}: does not parse as {fmt.name}: {e}") from None
    named: dict[str, list[ox.Triple]] = {}
    plain: list[ox.Triple] = []
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            named.setdefault(q.graph_name.value, []).append(q.triple)
        else:
            plain.append(q.triple)
    if plain:
        articles = {t.subject.value for t in plain if t.predicate.value == RDF_TYPE and t.object.value == ARTICLE}
        graph = articles.pop() if len(articles) == 1 else Path(path).resolve().as_uri()
        named.setdefault(graph, []).extend(plain)
    return named


def load_to_store(store_url: str, paths: Iterable[str], replace: bool = True, timeout: float = 120,
                  agent: str = USER_AGENT) -> list[Loaded]:
    """PUT (replace) or POST (append) every article graph to a Graph Store Protocol endpoint."""
    loaded = []
    for path in paths:
        for graph, triples in sorted(graphs_of(path).items()):
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            target = f"{store_url}{'&' if '?' in store_url else '?'}graph={urllib.parse.quote(graph, safe='')}"
            request = urllib.request.Request(target, data=body, method="PUT" if replace else "POST",
                                             headers={"Content-Type": "application/n-triples", "User-Agent": agent})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    response.read()
            except urllib.error.HTTPError as e:
                raise EndpointError(f"{store_url}: HTTP {e.code} {e.reason} loading {graph}: "
                                    f"{read_error_body(e)}") from None
            except (urllib.error.URLError, OSError) as e:
                raise EndpointError(f"{store_url}: cannot reach the store: {getattr(e, 'reason', e)}") from None
            loaded.append(Loaded(graph, len(triples)))
    return loaded
