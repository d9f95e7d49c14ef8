"""``wikikg serve``: RDF files as a read-only SPARQL endpoint."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile

from graph.cli.arguments import http_url, port_number, positive_float, positive_int, web_origin
from graph.errors import EXIT_STATUS_HELP, UsageError

SERVE_EXAMPLES = """examples:
  wikikg serve out.ttl                    # http://127.0.0.1:7879/sparql
  wikikg serve *.nq --port 8000 --timeout 10 --workers 4
  wikikg serve out.ttl --cors https://yasgui.org      # let that web page read the answers
  wikikg serve out.ttl --host 0.0.0.0 --public        # answer other machines too (think first)

What it refuses, and why: updates (read-only); SERVICE unless --allow-service names the
endpoint (the server would fetch any URL for whoever asks); queries over 64 KB, nested over
64 deep or of over --max-patterns patterns (they crash the engine); requests addressed to other
host names unless --public (DNS rebinding); web pages of other sites reading answers unless
--cors allows the site. Each query runs in a worker process that is killed at --timeout or
--max-memory or when its client leaves; the server goes on answering the others.
"""


def add_parser(sub) -> None:
    """The ``serve`` subcommand and its options."""
    sv = sub.add_parser("serve", help="serve RDF files as a read-only SPARQL endpoint on 127.0.0.1",
                        description="A read-only SPARQL endpoint (SPARQL 1.1 Protocol, GET and POST) over RDF "
                        "files, for YASGUI and notebooks.", epilog=SERVE_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sv.add_argument("data", nargs="+", metavar="DATA", help="RDF files as wikikg build writes them (.ttl, .nq, .trig, "
                    ".jsonld, .rdf, …, .gz too); a .wiki file: build it first")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only; others need --public)")
    sv.add_argument("--port", type=port_number, default=7879, help="port to listen on (default 7879)")
    sv.add_argument("--public", action="store_true",
                    help="allow an address other machines reach, and requests for any host name")
    sv.add_argument("--cors", action="append", default=[], metavar="ORIGIN", type=web_origin,
                    help="let web pages of ORIGIN (e.g. https://yasgui.org, or '*' for any) read answers")
    sv.add_argument("--allow-service", action="append", default=[], metavar="URL", type=http_url,
                    help="let queries call this endpoint with SERVICE (refused otherwise)")
    sv.add_argument("--timeout", type=positive_float, default=30, metavar="S", help="time limit per query (30 s)")
    sv.add_argument("--max-memory", type=positive_int, default=2048, metavar="MB",
                    help="memory limit per query's worker (2048 MB)")
    sv.add_argument("--client-timeout", type=positive_float, default=10, metavar="S",
                    help="seconds a client has to send a request's headers, and its body (10)")
    sv.add_argument("--max-rows", type=positive_int, default=100_000, metavar="N", help="result rows cap (100,000)")
    sv.add_argument("--max-patterns", type=positive_int, default=1000, metavar="N",
                    help="refuse queries of more triple patterns, groups and UNIONs (1,000)")
    sv.add_argument("--workers", type=positive_int, default=max(2, os.cpu_count() or 1), metavar="N",
                    help="queries run at once, each in its own process (default: the number of cores, at least 2)")
    sv.set_defaults(run=run_serve)


def serve_options(args: argparse.Namespace):
    from graph.query.guard import QueryLimits
    from graph.query.pool import RunLimits
    from graph.query.serve import ServeOptions, is_loopback

    if not is_loopback(args.host) and not args.public:
        raise UsageError(f"--host {args.host} would let other machines query this one: add --public if that is "
                         "what you want")
    return ServeOptions(host=args.host, port=args.port, public=args.public, cors=frozenset(args.cors),
                        max_rows=args.max_rows, workers=args.workers,
                        query=QueryLimits(max_patterns=args.max_patterns,
                                          allowed_services=frozenset(args.allow_service)),
                        run=RunLimits(timeout=args.timeout, max_memory_mb=args.max_memory),
                        request_timeout=args.client_timeout)


def run_serve(args: argparse.Namespace) -> int:
    from graph.query.engine import load_store
    from graph.query.serve import listening_socket, serve

    options = serve_options(args)
    if args.public:
        print(f"wikikg: warning: --public: anyone who can reach {args.host}:{args.port} can query this data",
              file=sys.stderr)
    try:
        sock = listening_socket(args.host, args.port, options.backlog)
    except OSError as e:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from None
    location = tempfile.mkdtemp(prefix="wikikg-serve-")
    try:
        load_store(args.data, location).flush()
        gc.collect()  # the store's files are closed before the workers open them read-only
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"wikikg: read-only SPARQL endpoint at http://{host}:{args.port}/sparql (Ctrl-C stops)",
              file=sys.stderr)
        import asyncio  # here: its import is 40 ms of every other command's start

        asyncio.run(serve([location], sock, options))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        shutil.rmtree(location, ignore_errors=True)
    return 0
