"""A process that runs SPARQL queries for another, so that an engine crash or a runaway query costs only itself.

``python -m graph.query.worker STORE_DIR`` opens an Oxigraph store read-only (several workers share one);
``python -m graph.query.worker --files A.ttl B.nq`` loads files into memory instead. Then it answers requests
on stdin with replies on stdout, each frame a 4-byte length and the bytes:

- request: JSON ``{"query": …, "format": "json|xml|csv|tsv", "graph_format": MIME, "max_rows": N}``;
- reply: a JSON header ``{"status": 200, "type": MIME, "truncated": bool}``, then the body.

The first reply, before any request, says the store is open. Whoever started the worker enforces the time and
memory limits by killing it; a worker never needs to stop itself.
"""

from __future__ import annotations

import itertools
import json
import signal
import struct
import sys
from typing import BinaryIO

import pyoxigraph as ox

from graph.query.engine import query_store, term_from_ox
from graph.query.results import format_rows

GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
CONTENT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
LENGTH = struct.Struct(">I")


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(LENGTH.pack(len(data)) + data)


def read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    return stream.read(LENGTH.unpack(head)[0])


def answer(store: ox.Store, request: dict) -> tuple[dict, bytes]:
    """The reply header and body for one request; a bad query is a 400 reply, not an exception."""
    try:
        result = query_store(store, request["query"])
    except SyntaxError as e:
        return text_reply(400, f"SPARQL syntax error: {e}")
    except (OSError, ValueError, RuntimeError) as e:  # evaluation errors the engine reports as exceptions
        return text_reply(500, f"the query failed: {e}")
    fmt, max_rows = request.get("format", "json"), int(request.get("max_rows", 100_000))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [{n: term_from_ox(s[n]) for n in names} for s in itertools.islice(result, max_rows + 1)]
        body = format_rows(names, rows[:max_rows], fmt).encode("utf-8")
        return {"status": 200, "type": CONTENT_TYPES[fmt], "truncated": len(rows) > max_rows}, body
    if isinstance(result, ox.QueryBoolean):
        value = str(bool(result)).lower()
        body = f'{{"head":{{}},"boolean":{value}}}' if fmt == "json" else value
        return {"status": 200, "type": CONTENT_TYPES.get(fmt, "text/plain"), "truncated": False}, body.encode()
    mime = request.get("graph_format", "text/turtle")
    triples = list(itertools.islice(result, max_rows + 1))  # a CONSTRUCT is never materialised past the cap
    body = ox.serialize(triples[:max_rows], format=GRAPH_TYPES.get(mime, ox.RdfFormat.TURTLE))
    return {"status": 200, "type": f"{mime}; charset=utf-8", "truncated": len(triples) > max_rows}, body


def text_reply(status: int, message: str) -> tuple[dict, bytes]:
    return {"status": status, "type": "text/plain; charset=utf-8", "truncated": False}, (message + "\n").encode()


def open_store(argv: list[str]) -> ox.Store:
    if argv[:1] == ["--files"]:
        from graph.query.engine import load_store

        return load_store(argv[1:])
    return ox.Store.read_only(argv[0])


def serve_requests(store: ox.Store, requests: BinaryIO, replies: BinaryIO) -> None:
    while (frame := read_frame(requests)) is not None:
        header, body = answer(store, json.loads(frame))
        write_frame(replies, json.dumps(header).encode())
        write_frame(replies, body)
        replies.flush()


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the whole group: the parent decides
    replies = sys.stdout.buffer
    try:
        store = open_store(argv)
    except Exception as e:  # noqa: BLE001 - whatever stops the store from opening is reported to the parent
        write_frame(replies, json.dumps({"status": 500, "error": str(e)}).encode())
        replies.flush()
        return 1
    write_frame(replies, json.dumps({"status": 200, "ready": True}).encode())
    replies.flush()
    serve_requests(store, sys.stdin.buffer, replies)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
