"""``wikikg query``: a SPARQL SELECT on RDF files (embedded Oxigraph) or a remote endpoint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.cli.arguments import non_negative_int, positive_float
from graph.errors import EXIT_STATUS_HELP, InputError, UsageError
from graph.query.engine import bind_params, run_query_isolated
from graph.query.results import RESULT_FORMATS, format_rows

QUERY_EXAMPLES = """examples:
  wikikg query queries/commanders.rq out.ttl
  wikikg query queries/casualties.rq out.ttl --format csv > casualties.csv
  wikikg query queries/belligerents.rq a.ttl b.ttl --format json
  wikikg query queries/commanders.rq out.ttl --param side=2 --limit 5
  wikikg query queries/commanders.rq --endpoint http://127.0.0.1:7878/query

The named queries in queries/ answer the competency questions (see README). Output formats:
a readable table (default), or SPARQL 1.1 results as csv, tsv or json.
"""


def add_parser(sub) -> None:
    """The ``query`` subcommand and its options."""
    q = sub.add_parser("query", help="run a SPARQL query (e.g. queries/commanders.rq) on RDF files or an endpoint",
                       description="Run a SPARQL SELECT query on Turtle/N-Triples/N-Quads files (embedded Oxigraph "
                       "engine) or on a remote SPARQL endpoint.",
                       epilog=QUERY_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("query", metavar="QUERY.rq")
    q.add_argument("data", nargs="*", metavar="DATA", help="RDF files (.ttl, .nt, .nq); not with --endpoint")
    q.add_argument("--endpoint", metavar="URL", help="a SPARQL endpoint (Fuseki, Oxigraph, Virtuoso, GraphDB, ...)")
    q.add_argument("--format", choices=RESULT_FORMATS, default="table",
                   help="table (default), or SPARQL 1.1 results: csv, tsv, json, xml")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE (an IRI in <...>, an integer, or a string), through VALUES")
    q.add_argument("--limit", type=non_negative_int, metavar="N", help="print at most N rows")
    q.add_argument("--timeout", type=positive_float, default=120, metavar="S",
                   help="time limit per query in seconds, here or at the endpoint (120)")
    q.set_defaults(run=run_query_command)


def run_query_command(args: argparse.Namespace) -> int:
    path = Path(args.query)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{args.query}: no such query file (the named queries are in queries/)") from None
    text = bind_params(text, args.param)
    if args.endpoint:
        if args.data:
            raise UsageError("give RDF files or --endpoint, not both")
        from graph.query.endpoint import query_endpoint

        names, rows = query_endpoint(args.endpoint, text, timeout=args.timeout)
    else:
        if not args.data:
            raise UsageError("give RDF files to query, or --endpoint URL")
        names, rows = run_query_isolated(args.data, text, source=args.query, timeout=args.timeout)
    if args.limit is not None:
        rows = rows[: args.limit]
    sys.stdout.write(format_rows(names, rows, args.format))
    return 0
