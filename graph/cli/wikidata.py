"""``wikikg wikidata-index``: build the offline Wikidata index — a thin layer over graph.wikidata_index."""

from __future__ import annotations

import argparse
import sys

from graph.errors import UsageError
from graph.rdf.serialize import check_writable

WIKIDATA_EXAMPLES = """examples:
  wikikg wikidata-index build latest-all.json.gz -o wd-index.db
  wikikg wikidata-index build latest-all.json.bz2 -o wd-index.db --sites zhwiki,enwiki
  wikikg wikidata-index build latest-all.json.gz -o wd-index.db --sites zhwiki,enwiki --linked-only
  wikikg wikidata-index build sample.json -o wd.db --languages ru,uk --quiet

  load a Wikidata subset into a local Oxigraph (its SPARQL endpoint: http://localhost:7878/query):
  wikikg wikidata-index rdf subset.json.gz -o subset.nt
  oxigraph load --location wd-store --file subset.nt && oxigraph serve --location wd-store

The dump is Wikidata's JSON dump (latest-all.json: one entity per line), plain, .gz, .bz2 or .xz,
read a line at a time in bounded memory. Labels and aliases are kept in Chinese (zh and its variants)
and English, plus --languages; lines that are not an entity are skipped and counted.
`rdf` converts a dump to RDF in the layout of Wikidata's RDF dumps and query service (wd:, wdt:, p:/ps:/pq:,
schema:about sitelinks), so the queries that run on query.wikidata.org run on the local store too.
"""


def add_parser(subparsers) -> None:
    w = subparsers.add_parser(
        "wikidata-index", help="build an offline SQLite index of a Wikidata JSON dump (for reconciliation)",
        description="Index a Wikidata JSON dump (labels, aliases, sitelinks, P31/P279, identifiers, years, "
                    "coordinates) into SQLite for offline reconciliation.",
        epilog=WIKIDATA_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = w.add_subparsers(title="actions", metavar="ACTION")
    b = actions.add_parser("build", help="stream a dump into an index file",
                           description="Stream a Wikidata JSON dump into a SQLite index (written atomically).",
                           epilog=WIKIDATA_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("dump", metavar="DUMP", help="latest-all.json, .json.gz, .json.bz2 or .json.xz")
    b.add_argument("-o", "--output", metavar="FILE", required=True, help="the SQLite index to write")
    b.add_argument("--sites", metavar="SITES", help="comma-separated sitelinks to keep (e.g. zhwiki,enwiki; "
                   "default: all)")
    b.add_argument("--types", metavar="QIDS", help="keep only items whose P31 is one of these (e.g. "
                   "Q5,Q6256,Q3624078,Q198); classes and properties are always kept")
    b.add_argument("--linked-only", action="store_true", help="keep only items with a sitelink on --sites "
                   "(classes and properties are always kept): a full dump shrinks to what articles can link")
    b.add_argument("--languages", metavar="LANGS", help="comma-separated label languages to keep besides "
                   "zh (and variants) and en")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(run=run)
    r = actions.add_parser("rdf", help="convert a dump to Wikibase RDF (the layout of Wikidata's RDF dumps)",
                           description="Convert a Wikidata JSON dump to RDF as Wikidata's RDF dumps and query "
                                       "service lay it out: N-Triples, or Turtle if the output ends in .ttl "
                                       "(.gz after either compresses). Streamed; written atomically.",
                           epilog=WIKIDATA_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("dump", metavar="DUMP", help="latest-all.json, .json.gz, .json.bz2 or .json.xz")
    r.add_argument("-o", "--output", metavar="FILE", required=True, help="the RDF file to write (.nt, .ttl)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    r.set_defaults(run=run_rdf)
    w.set_defaults(run=_no_action)


def _no_action(args: argparse.Namespace) -> int:
    raise UsageError("wikidata-index: say what to do (wikikg wikidata-index build DUMP -o FILE, "
                     "or wikikg wikidata-index rdf DUMP -o FILE.nt)")


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def run(args: argparse.Namespace) -> int:
    # Imported here so that `wikikg --help` does not load OpenCC and SQLite code it does not need.
    from graph.wikidata.index import build_index

    if args.linked_only and not args.sites:
        raise UsageError("--linked-only needs --sites (which sitelinks count)")
    check_writable(args.output)  # before reading the dump, not after
    stats = build_index(args.dump, args.output, sites=_split(args.sites) or None, progress=not args.quiet,
                        languages=_split(getattr(args, "languages", None)), types=_split(args.types) or None,
                        linked_only=args.linked_only)
    print(f"{args.output}: {stats.entities:,} entities, {stats.labels:,} labels, {stats.sitelinks:,} sitelinks "
          f"in {stats.seconds:.1f} s ({stats.entities_per_second:,.0f} entities/s)"
          + (f"; {stats.skipped:,} left out by the filters" if stats.skipped else ""))
    _warn_if_partial(stats.broken_lines, stats.truncated)
    return 0


def _warn_if_partial(broken_lines: int, truncated: bool) -> None:
    if broken_lines or truncated:
        # Not an error: a partial dump still gives a usable output, but the user should know it is partial.
        note = "; the compressed stream ended early (truncated download?)" if truncated else ""
        print(f"wikikg: warning: {broken_lines:,} broken lines skipped{note}", file=sys.stderr)


def run_rdf(args: argparse.Namespace) -> int:
    from graph.wikidata.wikibase_rdf import convert_dump

    check_writable(args.output)
    stats = convert_dump(args.dump, args.output, progress=not args.quiet)
    print(f"{args.output}: {stats.entities:,} entities, {stats.triples:,} triples, {stats.statements:,} statements "
          f"in {stats.seconds:.1f} s ({stats.skipped_values:,} values skipped: somevalue, novalue or unknown type)")
    _warn_if_partial(stats.broken_lines, stats.truncated)
    return 0
