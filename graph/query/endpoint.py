"""Remote SPARQL endpoints through SPARQLWrapper: a User-Agent, a timeout, and a clear error on HTTP failures.

Works with any SPARQL 1.1 endpoint (Oxigraph server, Jena Fuseki, Virtuoso, GraphDB, Wikidata).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph import __version__
from graph.errors import WikikgError
from graph.query.engine import Answer, Row, rows_from_json

USER_AGENT = f"wikikg/{__version__} (https://w3id.org/wikikg; Python SPARQLWrapper)"


class EndpointError(WikikgError):
    """The endpoint could not be reached or answered with an error."""

    exit_status = 1


def query_endpoint(url: str, query_text: str, timeout: float = 120, agent: str = USER_AGENT
                   ) -> tuple[list[str], list[Row]]:
    """Run a SELECT query on a remote endpoint (POST, JSON results) and return its rows."""
    return rows_from_json(json_answer(url, query_text, timeout, agent))


def answer_endpoint(url: str, query_text: str, timeout: float = 120, agent: str = USER_AGENT) -> Answer:
    """Run any query on a remote endpoint: rows, yes or no, or triples (asked for as Turtle)."""
    from graph.query.text import query_form

    if query_form(query_text) in ("CONSTRUCT", "DESCRIBE"):
        import pyoxigraph as ox
        from SPARQLWrapper import TURTLE

        client = sparql_client(url, query_text, timeout, agent)
        client.setReturnFormat(TURTLE)
        data = ask(url, lambda: client.query().response.read())
        try:
            return Answer(triples=[q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)])
        except SyntaxError as e:
            raise EndpointError(f"{url}: the answer is not Turtle: {str(e).splitlines()[0]}") from None
    answer = json_answer(url, query_text, timeout, agent)
    if "boolean" in answer:
        return Answer(boolean=bool(answer["boolean"]))
    return Answer(*rows_from_json(answer))


def json_answer(url: str, query_text: str, timeout: float, agent: str) -> dict:
    """SPARQL 1.1 JSON results of a SELECT or ASK."""
    client = sparql_client(url, query_text, timeout, agent)
    answer = ask(url, client.queryAndConvert)
    if not isinstance(answer, dict) or not ("head" in answer or "boolean" in answer):
        raise EndpointError(f"{url}: the answer is not SPARQL JSON results (is this a SPARQL endpoint?)")
    return answer


def ask(url: str, send):
    """``send()``, its failures said as one EndpointError line."""
    try:
        return send()
    except urllib.error.HTTPError as e:
        raise EndpointError(f"{url}: HTTP {e.code} {e.reason}: {read_error_body(e)}") from None
    except (urllib.error.URLError, OSError) as e:
        raise EndpointError(f"{url}: cannot reach the endpoint: {getattr(e, 'reason', e)}") from None
    except SPARQLWrapperException as e:
        raise EndpointError(f"{url}: {str(e).splitlines()[0]}") from None


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
