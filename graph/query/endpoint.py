"""Remote triple stores: SPARQL queries through SPARQLWrapper, loading through the Graph Store Protocol.

Works with any SPARQL 1.1 endpoint (Oxigraph server, Jena Fuseki, Virtuoso, GraphDB, Wikidata).
Loading puts each article in its own named graph, so reloading an article replaces it and
articles can be dropped one by one (``DELETE`` on the graph's URL).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph import __version__
from graph.errors import InputError, WikikgError
from graph.query.engine import Row, term_from_json

USER_AGENT = f"wikikg/{__version__} (https://w3id.org/wikikg; Python SPARQLWrapper)"
ARTICLE = "https://w3id.org/wikikg/ontology#Article"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class EndpointError(WikikgError):
    """The endpoint could not be reached or answered with an error."""

    exit_status = 1


def query_endpoint(url: str, query_text: str, timeout: float = 120, agent: str = USER_AGENT
                   ) -> tuple[list[str], list[Row]]:
    """Run a SELECT query on a remote endpoint (POST, JSON results) and return its rows."""
    client = sparql_client(url, query_text, timeout, agent)
    try:
        answer = client.queryAndConvert()
    except urllib.error.HTTPError as e:
        raise EndpointError(f"{url}: HTTP {e.code} {e.reason}: {read_error_body(e)}") from None
    except (urllib.error.URLError, OSError) as e:
        raise EndpointError(f"{url}: cannot reach the endpoint: {getattr(e, 'reason', e)}") from None
    except SPARQLWrapperException as e:
        raise EndpointError(f"{url}: {str(e).splitlines()[0]}") from None
    if not isinstance(answer, dict) or "head" not in answer:
        raise EndpointError(f"{url}: the answer is not SPARQL JSON results (is this a SPARQL endpoint?)")
    names = answer["head"].get("vars", [])
    rows = [{n: term_from_json(b[n]) if n in b else None for n in names} for b in answer["results"]["bindings"]]
    return names, rows


def sparql_client(url: str, query_text: str, timeout: float = 120, agent: str = USER_AGENT) -> SPARQLWrapper:
    """A SPARQLWrapper set up as every wikikg query is sent: POST (long queries fit), JSON results."""
    client = SPARQLWrapper(url, agent=agent)
    client.setMethod(POST)
    client.setQuery(query_text)
    client.setReturnFormat(JSON)
    client.setTimeout(max(1, int(timeout)))
    return client


def read_error_body(e: urllib.error.HTTPError) -> str:
    try:
        return e.read(300).decode("utf-8", "replace").strip().splitlines()[0]
    except Exception:  # the body is only a courtesy for the message
        return ""


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
