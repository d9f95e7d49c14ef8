"""``wikikg serve``: RDF files as a read-only SPARQL endpoint."""

from __future__ import annotations

import argparse
import sys

from graph.cli.arguments import port_number, positive_float, positive_int
from graph.errors import EXIT_STATUS_HELP, UsageError
from graph.query.engine import load_store

SERVE_EXAMPLES = """examples:
  wikikg serve out.ttl                    # http://127.0.0.1:7879/sparql
  wikikg serve *.ttl --port 8000 --timeout 10
"""


def add_parser(sub) -> None:
    """The ``serve`` subcommand and its options."""
    sv = sub.add_parser("serve", help="serve RDF files as a read-only SPARQL endpoint on 127.0.0.1",
                        description="A read-only SPARQL endpoint (SPARQL 1.1 Protocol, GET and POST) over RDF "
                        "files, for YASGUI and notebooks.", epilog=SERVE_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sv.add_argument("data", nargs="+", metavar="DATA")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=port_number, default=7879, help="port to listen on (default 7879)")
    sv.add_argument("--timeout", type=positive_float, default=30, metavar="S", help="time limit per query (30 s)")
    sv.add_argument("--max-rows", type=positive_int, default=100_000, metavar="N", help="result rows cap (100,000)")
    sv.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from graph.query.serve import SparqlServer

    try:
        server = SparqlServer(load_store(args.data), args.host, args.port, args.timeout, args.max_rows)
    except OSError as e:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from None
    print(f"wikikg: read-only SPARQL endpoint at {server.url} (Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
