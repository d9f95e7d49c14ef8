"""``wikikg compare``: one event told by several editions (languages or revisions), side by side."""

from __future__ import annotations

import argparse
import sys

from graph.cli.arguments import add_wikidata_source
from graph.errors import InputError, UsageError

EXAMPLES = """examples:
  two revisions of one article (aligned by title):
  wikikg build enwiki-2016-dump.xml.bz2 -o arw-2016.ttl
  wikikg build en_american_revolutionary_war_2020.wiki -o arw-2020.ttl
  wikikg compare arw-2016.ttl arw-2020.ttl --names 2016,2020 -o arw

  two languages (aligned through Wikidata sitelinks: an offline index, an endpoint, or live Wikidata):
  wikikg compare zh.ttl en.ttl --offline wd-index.db -o war
  wikikg compare zh.ttl en.ttl --endpoint http://127.0.0.1:7878/query
  wikikg compare zh.ttl en.ttl --user-agent you@example.org          # live Wikidata

Prints the table; with -o PREFIX also writes PREFIX.csv, PREFIX.md, PREFIX.html (each value with its sources)
and PREFIX.alignment.ttl (skos:exactMatch between the IRIs editions use for one conflict, party or commander,
and to its Wikidata item). Conflicts and entities reconciled to a QID (wikikg build --reconcile) align by it;
others by the item whose sitelink is their page; others by their page (revisions of one article).
A row is same, differs, or only in some editions; figures are ranges, and "overlap" says whether the
editions' ranges have a number in common.
"""


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "compare", help="compare editions (languages, revisions) of one event side by side",
        description="Align the conflicts, parties and commanders of several graphs (articles in other languages, "
                    "or other revisions) and report each fact side by side: value and source per edition, "
                    "same / differs / only in one; figures compared as ranges.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data", nargs="+", metavar="GRAPH", help="one graph per edition (.ttl, .nt, .nq)")
    p.add_argument("--names", metavar="A,B", help="column names of the editions (default: the file names)")
    p.add_argument("-o", "--output", metavar="PREFIX", help="write PREFIX.csv, .md, .html and .alignment.ttl")
    add_wikidata_source(p, ", for sitelinks")
    p.add_argument("-q", "--quiet", action="store_true", help="print no table")
    p.set_defaults(run=run)


def output_paths(prefix: str) -> dict[str, str]:
    return {kind: f"{prefix}.{kind}" for kind in ("csv", "md", "html", "alignment.ttl")}


def _names(args: argparse.Namespace) -> list[str | None]:
    if not args.names:
        return [None] * len(args.data)
    names = [n.strip() for n in args.names.split(",")]
    if len(names) != len(args.data) or not all(names) or len(set(names)) != len(names):
        raise UsageError(f"--names {args.names}: give {len(args.data)} distinct names, one per GRAPH")
    return names


def run(args: argparse.Namespace) -> int:
    from graph.compare.editions import Aligner, read_edition
    from graph.compare.render import alignment_triples, to_csv, to_html, to_markdown, to_terminal
    from graph.compare.table import compare_editions
    from graph.rdf.serialize import check_writable, to_bytes, write_atomically
    from graph.wikidata.reconcile.backend import BackendError

    if len(args.data) < 2:
        raise UsageError("compare needs two graphs or more (one per edition)")
    names = _names(args)
    paths = output_paths(args.output) if args.output else {}
    for path in paths.values():
        check_writable(path)
    editions = [read_edition(path, name) for path, name in zip(args.data, names, strict=True)]
    if len({e.name for e in editions}) < len(editions):
        raise UsageError("two editions have the same file name: name them with --names")
    for edition in editions:
        if not edition.conflicts:
            raise InputError(f"{edition.path}: no conflict in the graph")
    languages = {c.lang for e in editions for c in e.conflicts}
    try:
        aligner = Aligner(editions, _sitelinks(args) if len(languages) > 1 or args.offline or args.endpoint
                          else None)
    except BackendError as e:
        raise InputError(f"Wikidata sitelinks could not be read: {e}") from None
    rows, alignments = compare_editions(editions, aligner)
    heads = [e.name for e in editions]
    if not args.quiet:
        sys.stdout.write(to_terminal(rows, heads))
    if paths:
        write_atomically(paths["csv"], to_csv(rows, heads).encode("utf-8"))
        write_atomically(paths["md"], to_markdown(rows, heads).encode("utf-8"))
        write_atomically(paths["html"], to_html(rows, heads).encode("utf-8"))
        write_atomically(paths["alignment.ttl"], to_bytes(alignment_triples(alignments), "turtle"))
        print(f"wikikg: wrote {', '.join(paths.values())}", file=sys.stderr)
    return 0


def _sitelinks(args: argparse.Namespace):
    from graph.cli.wikidata_diff import warn_without_contact
    from graph.wikidata.reconcile.backends import open_backend

    warn_without_contact(args)
    return open_backend(offline=args.offline, endpoint=args.endpoint, contact=args.contact)
