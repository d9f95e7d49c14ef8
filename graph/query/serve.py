"""A read-only SPARQL endpoint over our RDF files, for YASGUI, notebooks and quick looks — safe to leave running.

SPARQL 1.1 Protocol: ``GET /sparql?query=…``, ``POST`` with ``application/sparql-query`` or a form. Results by
``Accept`` (JSON by default, XML, CSV, TSV; Turtle/N-Triples for CONSTRUCT).

The HTTP side is uvicorn (an asyncio server: a slow or idle client holds a socket, never a thread; a real listen
backlog; h11's strict parsing answers a malformed request with 400). The queries run in worker processes
(graph.query.pool), so a query that crashes the engine, runs past its time or memory limit, or loses its client
is killed alone while other clients go on being answered. What the server refuses, and why:

- updates (403): the endpoint is read-only;
- SERVICE (403) unless ``--allow-service`` names the endpoint: the server would fetch URLs for whoever asks;
- queries too large (413), too deep or too long (400): they crash the engine before any time limit can act;
- requests addressed to another host name (403) unless ``--public``: a web page using DNS rebinding would
  otherwise reach the endpoint as if it were its own site;
- other web sites reading answers (no CORS header) unless ``--cors ORIGIN`` allows them;
- a request whose headers or body do not arrive in time (the connection is closed, or 408).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.parse
from dataclasses import dataclass, field

from uvicorn.protocols.http.h11_impl import H11Protocol

from graph.query.guard import QueryLimits, QueryRefused, check_query
from graph.query.pool import Reply, RunLimits, WorkerPool
from graph.query.worker import GRAPH_TYPES

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
FORM = """<!doctype html><meta charset="utf-8"><title>wikikg SPARQL</title>
<h1>wikikg SPARQL endpoint</h1><p>Read-only. POST or GET <code>/sparql?query=…</code>.</p>
<form action="/sparql" method="get"><textarea name="query" rows="12" cols="90">
PREFIX wkg: &lt;https://w3id.org/wikikg/ontology#&gt;
SELECT ?conflict ?side ?party WHERE { ?f a wkg:Belligerence ; wkg:inConflict ?conflict ;
  wkg:agent ?party ; wkg:onSide/wkg:sideNumber ?side } LIMIT 50</textarea><br>
<button>Run</button></form>"""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7879
    public: bool = False  # answer requests addressed to any host name
    cors: frozenset[str] = field(default_factory=frozenset)  # origins allowed to read answers; "*" for any
    max_rows: int = 100_000
    workers: int = 2
    query: QueryLimits = field(default_factory=QueryLimits)
    run: RunLimits = field(default_factory=RunLimits)
    request_timeout: float = 10.0  # seconds for a request's headers, and for its body
    backlog: int = 2048
    max_connections: int = 1000  # beyond it, 503 at once


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SparqlApp:
    """The ASGI application: routing, the refusals above, and the reply."""

    def __init__(self, pool: WorkerPool, options: ServeOptions) -> None:
        self.pool, self.options = pool, options

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        exchange = Exchange(scope, receive, send, self.options)
        if not self.options.public and exchange.host_name() not in LOOPBACK_NAMES:
            return await exchange.text(403, "this endpoint answers only requests addressed to 127.0.0.1 or "
                                            "localhost (start it with --public to serve other names)")
        if scope["path"] not in ("/", "/sparql"):
            return await exchange.text(404, "not found: the endpoint is /sparql")
        method = scope["method"]
        if method == "OPTIONS":
            return await exchange.preflight()
        if method not in ("GET", "POST"):
            return await exchange.text(405, "use GET or POST")
        params = await exchange.params()
        if params is None:
            return
        if "update" in params or exchange.content_type() == "application/sparql-update":
            return await exchange.text(403, "this endpoint is read-only: SPARQL updates are refused")
        if "query" not in params:
            if method == "GET":
                return await exchange.reply(Reply(200, "text/html; charset=utf-8", FORM.encode()))
            return await exchange.text(400, "missing 'query' parameter")
        await self.answer(exchange, params["query"])

    async def answer(self, exchange: Exchange, query: str) -> None:
        try:
            check_query(query, self.options.query)
        except QueryRefused as e:
            return await exchange.text(e.http_status, str(e))
        request = {"query": query, "format": exchange.result_format(), "graph_format": exchange.graph_format(),
                   "max_rows": self.options.max_rows}
        gone = asyncio.Event()
        watcher = asyncio.create_task(exchange.wait_for_disconnect(gone))
        try:
            reply = await self.pool.run(request, gone)
        finally:
            watcher.cancel()
        if reply is not None:  # None: the client left and its query was stopped
            await exchange.reply(reply)


class Exchange:
    """One request and its reply."""

    def __init__(self, scope, receive, send, options: ServeOptions) -> None:
        self.scope, self.receive, self.send, self.options = scope, receive, send, options
        self.headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

    def host_name(self) -> str:
        host = self.headers.get("host", "")
        return urllib.parse.urlsplit(f"//{host}").hostname or ""

    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def result_format(self) -> str:
        for part in self.headers.get("accept", "").split(","):
            mime = part.split(";")[0].strip().lower()
            if mime in RESULT_TYPES:
                return RESULT_TYPES[mime]
        return "json"

    def graph_format(self) -> str:
        accept = self.headers.get("accept", "")
        return next((m for m in GRAPH_TYPES if m in accept), "text/turtle")

    async def params(self) -> dict[str, str] | None:
        """The query or update text, from the query string or the body; None once an error was answered."""
        if self.scope["method"] == "GET":
            return first_values(self.scope["query_string"].decode("latin-1"))
        body = await self.read_body()
        if body is None:
            return None
        text = body.decode("utf-8", "replace")
        if self.content_type() == "application/sparql-query":
            return {"query": text}
        if self.content_type() == "application/sparql-update":
            return {"update": text}
        return first_values(text)

    async def read_body(self) -> bytes | None:
        limit = 3 * self.options.query.max_bytes + 1024  # a form percent-encodes: up to 3 bytes per byte
        chunks, size = [], 0
        while True:
            try:
                message = await asyncio.wait_for(self.receive(), self.options.request_timeout)
            except TimeoutError:
                await self.text(408, f"the request body did not arrive within {self.options.request_timeout:g} s")
                return None
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await self.text(413, f"request body over {limit:,} bytes refused")
                return None
            if not message.get("more_body"):
                return b"".join(chunks)

    async def wait_for_disconnect(self, gone: asyncio.Event) -> None:
        while (await self.receive())["type"] != "http.disconnect":
            pass
        gone.set()

    def allowed_origin(self) -> str | None:
        origin = self.headers.get("origin")
        if "*" in self.options.cors:
            return "*"
        return origin if origin in self.options.cors else None

    async def preflight(self) -> None:
        headers = [(b"content-length", b"0")]
        origin = self.allowed_origin()
        if origin:
            headers += [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin"),
                        (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                        (b"access-control-allow-headers", b"Content-Type, Accept")]
        await self.send({"type": "http.response.start", "status": 204, "headers": headers})
        await self.send({"type": "http.response.body", "body": b""})

    async def text(self, status: int, message: str) -> None:
        await self.reply(Reply(status, "text/plain; charset=utf-8", (message + "\n").encode()))

    async def reply(self, reply: Reply) -> None:
        headers = [(b"content-type", reply.content_type.encode()), (b"content-length", str(len(reply.body)).encode())]
        origin = self.allowed_origin()
        if origin:
            headers += [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
        if reply.truncated:
            headers.append((b"x-wikikg-truncated", f"results capped at {self.options.max_rows} rows".encode()))
        if reply.status == 503:
            headers.append((b"retry-after", b"5"))
        await self.send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await self.send({"type": "http.response.body", "body": reply.body})


def first_values(text: str) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}


class TimelyH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose first request's headers do not arrive in time.

    uvicorn times out only idle keep-alive connections; a client that connects and never finishes its headers
    would hold its socket forever."""

    request_timeout = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.loop.call_later(self.request_timeout, self.close_if_no_request)

    def close_if_no_request(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            self.transport.close()


def listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


async def serve(store_args: list[str], sock: socket.socket, options: ServeOptions) -> None:
    """Start the workers, then answer on ``sock`` until a signal stops the server."""
    import uvicorn

    protocol = type("Protocol", (TimelyH11Protocol,), {"request_timeout": options.request_timeout})
    pool = WorkerPool(store_args, options.workers, options.run)
    await pool.start()
    config = uvicorn.Config(SparqlApp(pool, options), lifespan="off", log_level="warning", access_log=False,
                            http=protocol, backlog=options.backlog, timeout_keep_alive=5,
                            limit_concurrency=options.max_connections, server_header=False)
    try:
        await uvicorn.Server(config).serve(sockets=[sock])
    finally:
        await pool.close()
