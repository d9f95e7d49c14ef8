"""``wikikg load``: RDF files into a triple store, one named graph per article (Graph Store Protocol)."""

from __future__ import annotations

import argparse
import sys

from graph.cli.arguments import positive_float
from graph.errors import EXIT_STATUS_HELP

LOAD_EXAMPLES = """examples:
  oxigraph serve --location db --bind 127.0.0.1:7878 --union-default-graph &
  wikikg load out.nq --store http://127.0.0.1:7878/store
  wikikg load out.ttl --store http://localhost:3030/wikikg/data      # Jena Fuseki
"""


def add_parser(sub) -> None:
    """The ``load`` subcommand and its options."""
    ld = sub.add_parser("load", help="push RDF files into a triple store (Graph Store Protocol)",
                        description="Load articles into a store, one named graph per article: reloading an "
                        "article replaces its graph.", epilog=LOAD_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ld.add_argument("data", nargs="+", metavar="DATA", help="RDF files (.nq keeps one graph per article)")
    ld.add_argument("--store", required=True, metavar="URL", help="the store's Graph Store Protocol URL")
    mode = ld.add_mutually_exclusive_group()
    mode.add_argument("--replace", dest="replace", action="store_true", default=True,
                      help="replace each article's graph (default)")
    mode.add_argument("--append", dest="replace", action="store_false", help="add to each article's graph")
    ld.add_argument("--timeout", type=positive_float, default=120, metavar="S", help="seconds per request (120)")
    ld.set_defaults(run=run_load)


def run_load(args: argparse.Namespace) -> int:
    from graph.query.store import load_to_store

    loaded = load_to_store(args.store, args.data, replace=args.replace, timeout=args.timeout)
    for item in loaded:
        print(f"wikikg: {'replaced' if args.replace else 'appended to'} <{item.graph}> ({item.triples:,} triples)",
              file=sys.stderr)
    return 0
