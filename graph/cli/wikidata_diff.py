"""``wikikg wikidata-diff``: what a reconciled graph says that Wikidata lacks, as QuickStatements and a review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.cli.arguments import add_wikidata_source, positive_float, positive_int
from graph.errors import InputError, UsageError

EXAMPLES = """examples:
  wikikg build seeds/zh_first_nagorno_karabakh_war.wiki -o seed.ttl --reconcile --offline wd-index.db
  wikikg wikidata-diff seed.ttl --offline wd-index.db -o seed.qs
  wikikg wikidata-diff seed.ttl --endpoint http://127.0.0.1:7878/query -o seed.qs
  wikikg wikidata-diff seed.ttl -o seed.qs --user-agent you@example.org      # live Wikidata (WDQS)

Writes OUT (QuickStatements V1: paste into https://quickstatements.toolforge.org after review) and beside it
OUT's stem + .review.csv and .review.md: each fact, our value, Wikidata's, missing / differs / same / skipped,
and the article's source. Only conflicts reconciled to a QID are compared (wikikg build --reconcile, or
wikikg reconcile); only entities with a QID are written; the tool never edits Wikidata.
"""


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "wikidata-diff", help="the facts Wikidata lacks, as QuickStatements and a review report",
        description="Compare each reconciled conflict of GRAPH with its Wikidata item (participants, start and "
                    "end time, location, part of, deaths, participants count) and write QuickStatements V1 for "
                    "what is missing or different, with references, plus a review report (CSV, Markdown).",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data", nargs="+", metavar="GRAPH", help="our graph(s): .ttl, .nt, .nq, reconciled")
    p.add_argument("-o", "--output", metavar="OUT", required=True, help="the QuickStatements file to write")
    add_wikidata_source(p)
    p.add_argument("--timeout", type=positive_float, metavar="S", help="seconds per request (default 90)")
    p.add_argument("--retries", type=positive_int, metavar="N", help="attempts per request (default 5)")
    p.add_argument("--revision", metavar="OLDID", help="the article's revision, for the import URL (P4656) when "
                   "the graph does not record it")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(run=run)


def warn_without_contact(args: argparse.Namespace) -> None:
    """Live Wikidata only: Wikimedia asks tools for a contact in the User-Agent (as wikikg reconcile says)."""
    from graph.wikidata.reconcile.backends import has_contact

    if not args.offline and not args.endpoint and not has_contact(args.contact) and not args.quiet:
        print("wikikg: note: no contact for the User-Agent; Wikimedia asks tools for one "
              "(--user-agent you@example.org or WIKIKG_CONTACT)", file=sys.stderr)


def review_paths(output: str) -> tuple[str, str]:
    stem = str(Path(output).with_suffix(""))
    return f"{stem}.review.csv", f"{stem}.review.md"


def run(args: argparse.Namespace) -> int:
    from graph.facts.reader import read_conflicts
    from graph.query.engine import load_store
    from graph.rdf.serialize import check_writable, write_atomically
    from graph.wikidata.diff import diff_conflicts
    from graph.wikidata.diff_report import to_csv, to_markdown
    from graph.wikidata.quickstatements import write_quickstatements
    from graph.wikidata.reconcile.backend import BackendError
    from graph.wikidata.statements import open_statements

    if args.revision is not None and not args.revision.isdigit():
        raise UsageError(f"--revision {args.revision}: a revision is a number (the oldid of the page's URL)")
    csv_path, md_path = review_paths(args.output)
    for path in (args.output, csv_path, md_path):
        check_writable(path)
    conflicts = read_conflicts(load_store(args.data))
    if not conflicts:
        raise InputError(f"{', '.join(args.data)}: no conflict in the graph")
    if args.revision:
        for conflict in conflicts:
            conflict.revision = conflict.revision or args.revision
    warn_without_contact(args)
    source = open_statements(args.offline, args.endpoint, args.contact, args.timeout, args.retries)
    try:
        result = diff_conflicts(conflicts, source)
    except BackendError as e:
        raise InputError(f"Wikidata could not be read: {e}") from None
    write_atomically(args.output, write_quickstatements(result.statements).encode("utf-8"))
    write_atomically(csv_path, to_csv(result).encode("utf-8"))
    write_atomically(md_path, to_markdown(result).encode("utf-8"))
    if not args.quiet:
        print(f"wikikg: {len(result.rows)} facts compared ({result.count('missing')} missing, "
              f"{result.count('differs')} differ, {result.count('same')} same, {result.count('skipped')} skipped); "
              f"wrote {args.output}, {csv_path}, {md_path}", file=sys.stderr)
        for label in result.not_reconciled:
            print(f"wikikg: {label}: not reconciled to a Wikidata item, not compared", file=sys.stderr)
        for qid in result.not_found:
            print(f"wikikg: {qid}: not in {source.name}", file=sys.stderr)
    return 0
