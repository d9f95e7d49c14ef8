"""A read-only SPARQL endpoint over our Turtle files, for YASGUI, notebooks and quick looks.

SPARQL 1.1 Protocol: ``GET /sparql?query=…``, ``POST`` with ``application/sparql-query`` or a form.
Results by ``Accept`` (JSON by default, XML, CSV, TSV; Turtle/N-Triples for CONSTRUCT). Updates are
refused, each query has a time limit and a row cap. Binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox

from graph.query.engine import term_from_ox
from graph.query.results import format_rows

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
CONTENT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
FORM = """<!doctype html><meta charset="utf-8"><title>wikikg SPARQL</title>
<h1>wikikg SPARQL endpoint</h1><p>Read-only. POST or GET <code>/sparql?query=…</code>.</p>
<form action="/sparql" method="get"><textarea name="query" rows="12" cols="90">
PREFIX wkg: &lt;https://w3id.org/wikikg/ontology#&gt;
SELECT ?conflict ?side ?party WHERE { ?f a wkg:Belligerence ; wkg:inConflict ?conflict ;
  wkg:agent ?party ; wkg:onSide/wkg:sideNumber ?side } LIMIT 50</textarea><br>
<button>Run</button></form>"""


class QueryTimeout(Exception):
    pass


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: ox.Store, host: str = "127.0.0.1", port: int = 7879, timeout: float = 30,
                 max_rows: int = 100_000) -> None:
        super().__init__((host, port), SparqlHandler)
        self.store, self.query_timeout, self.max_rows = store, timeout, max_rows

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "wikikg-sparql"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        return  # quiet: the CLI prints one line at start

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def do_GET(self) -> None:
        parsed = urllib.parse.urlparse(self.path)
        params = urllib.parse.parse_qs(parsed.query)
        if "update" in params:
            return self.refuse_update()
        if "query" not in params:
            return self.reply(HTTPStatus.OK, FORM.encode(), "text/html; charset=utf-8")
        self.answer(params["query"][0])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            return self.refuse_update()
        if kind == "application/sparql-query":
            return self.answer(body)
        form = urllib.parse.parse_qs(body)
        if "update" in form:
            return self.refuse_update()
        if "query" not in form:
            return self.reply(HTTPStatus.BAD_REQUEST, b"missing 'query' parameter\n", "text/plain")
        self.answer(form["query"][0])

    def refuse_update(self) -> None:
        self.reply(HTTPStatus.FORBIDDEN, b"this endpoint is read-only: SPARQL updates are refused\n", "text/plain")

    def answer(self, query_text: str) -> None:
        try:
            result = self.server.store.query(query_text, use_default_graph_as_union=True)
        except SyntaxError as e:
            return self.reply(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {e}\n".encode(), "text/plain")
        try:
            if isinstance(result, ox.QuerySolutions):
                self.answer_rows(result)
            elif isinstance(result, ox.QueryBoolean):
                fmt = self.result_format()
                value = str(bool(result)).lower()
                data = f'{{"head":{{}},"boolean":{value}}}' if fmt == "json" else value
                self.reply(HTTPStatus.OK, data.encode(), CONTENT_TYPES.get(fmt, "text/plain"))
            else:
                self.answer_graph(result)
        except QueryTimeout as e:
            self.reply(HTTPStatus.SERVICE_UNAVAILABLE, f"{e}\n".encode(), "text/plain")

    def answer_rows(self, solutions: ox.QuerySolutions) -> None:
        names = [v.value for v in solutions.variables]
        rows, started = [], time.monotonic()
        for solution in solutions:
            if len(rows) >= self.server.max_rows:
                break
            if time.monotonic() - started > self.server.query_timeout:
                raise QueryTimeout(f"query stopped after {self.server.query_timeout:g} s (server time limit)")
            rows.append({n: term_from_ox(solution[n]) for n in names})
        fmt = self.result_format()
        self.reply(HTTPStatus.OK, format_rows(names, rows, fmt).encode("utf-8"), CONTENT_TYPES[fmt],
                   truncated=len(rows) >= self.server.max_rows)

    def answer_graph(self, triples) -> None:
        accept = self.headers.get("Accept", "")
        mime = next((m for m in GRAPH_TYPES if m in accept), "text/turtle")
        data = ox.serialize(list(triples)[: self.server.max_rows], format=GRAPH_TYPES[mime])
        self.reply(HTTPStatus.OK, data, f"{mime}; charset=utf-8")

    def result_format(self) -> str:
        accept = self.headers.get("Accept", "")
        for part in accept.split(","):
            mime = part.split(";")[0].strip().lower()
            if mime in RESULT_TYPES:
                return RESULT_TYPES[mime]
        return "json"

    def reply(self, status: HTTPStatus, body: bytes, content_type: str, truncated: bool = False) -> None:
        self.send_response(status)
        self.cors()
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if truncated:
            self.send_header("X-Wikikg-Truncated", f"results capped at {self.server.max_rows} rows")
        self.end_headers()
        self.wfile.write(body)

    def cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
