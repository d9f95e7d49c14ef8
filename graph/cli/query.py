"""``wikikg query``: a SPARQL query (a named one or a .rq file) on RDF files (embedded Oxigraph) or an endpoint."""

from __future__ import annotations

import argparse
import sys

from graph.cli.arguments import non_negative_int, positive_float, positive_int
from graph.errors import EXIT_STATUS_HELP, UsageError
from graph.query.results import RESULT_FORMATS, TABLE_WIDTH

GRAPH_FORMATS = ("turtle", "nt", "jsonld", "rdfxml")  # CONSTRUCT and DESCRIBE give triples, written like `build`'s

QUERY_EXAMPLES = """examples:
  wikikg query --list                                   # the named queries and the question each answers
  wikikg query commanders out.ttl                       # a named query, by name (or any .rq file)
  wikikg query casualties out.ttl --format csv --excel > casualties.csv   # opens right in Excel
  wikikg query belligerents a.ttl b.ttl --format json
  wikikg query commanders out.ttl --param side=2 --limit 5
  wikikg query commanders out.ttl --param commanderLabel="Rahim Gaziyev"
  wikikg query supporters out.ttl --param kind=equipment --param conflict=zh/纳戈尔诺-卡拉巴赫战争
  wikikg query my.rq out.ttl                            # ASK prints yes or no; CONSTRUCT and DESCRIBE print
  wikikg query my.rq out.ttl -o part.jsonld             #   Turtle, or write -o FILE in its extension's format
  wikikg query commanders --endpoint http://127.0.0.1:7878/query

Output formats: a readable table (default; cells longer than --width end with …), or SPARQL 1.1
results as csv, tsv, json or xml. --param NAME=VALUE fixes ?NAME: an IRI (<https://…>, or the short
zh/… name the table prints), a number, or text (which matches whatever its language tag).
"""


def add_parser(sub) -> None:
    """The ``query`` subcommand and its options."""
    q = sub.add_parser("query", help="run a SPARQL query (a named one such as commanders, or a .rq file) on RDF "
                       "files or an endpoint",
                       description="Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on RDF files (embedded "
                       "Oxigraph engine) or on a remote SPARQL endpoint.",
                       epilog=QUERY_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("query", nargs="?", metavar="QUERY", help="a named query (commanders, casualties, …: see --list) "
                   "or a .rq file")
    q.add_argument("data", nargs="*", metavar="DATA", help="RDF files (.ttl, .nt, .nq, .trig, .jsonld, .rdf, "
                   "each maybe .gz); not with --endpoint")
    q.add_argument("--list", action="store_true", help="list the named queries and the question each answers")
    q.add_argument("--endpoint", metavar="URL", help="a SPARQL endpoint (Fuseki, Oxigraph, Virtuoso, GraphDB, ...)")
    q.add_argument("--format", choices=RESULT_FORMATS + GRAPH_FORMATS,
                   help="rows: table (default), or SPARQL 1.1 results: csv, tsv, json, xml; triples (CONSTRUCT, "
                   "DESCRIBE): turtle (default), nt, jsonld, rdfxml")
    q.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (triples: in the format "
                   "of the extension, as `wikikg build -o`)")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="fix ?NAME to VALUE: an IRI (<...> or a short zh/... name), a number, or text")
    q.add_argument("--limit", type=non_negative_int, metavar="N", help="print at most N rows")
    q.add_argument("--width", type=positive_int, metavar="N", help=f"table cells wider than N columns are cut "
                   f"and end with … (default {TABLE_WIDTH})")
    q.add_argument("--excel", action="store_true", help="with --format csv: start with a byte-order mark, so "
                   "Excel reads the file as UTF-8 (Chinese shows right)")
    q.add_argument("--timeout", type=positive_float, default=120, metavar="S",
                   help="time limit per query in seconds, here or at the endpoint (120)")
    q.set_defaults(run=run_query_command)


def run_query_command(args: argparse.Namespace) -> int:
    from graph.query.named import list_text, query_source
    from graph.query.params import bind

    if args.list:
        if args.query or args.data or args.endpoint:
            raise UsageError("--list lists the named queries; give it alone")
        sys.stdout.write(list_text())
        return 0
    if not args.query:
        raise UsageError("give a query: a named one (wikikg query --list) or a .rq file")
    check_options(args)
    text, source = query_source(args.query)
    binding = bind(text, args.param, source)
    answer = run_answer(args, binding.query, source)
    if answer.triples is not None:
        write_triples(args, answer.triples, source)
        return 0
    fmt = args.format or "table"
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"--format {fmt}: {source} gives {'yes or no' if answer.boolean is not None else 'rows'}, "
                         f"not triples; choose one of {', '.join(RESULT_FORMATS)}")
    write_text(args, render(answer, binding, fmt, args))
    return 0


def check_options(args: argparse.Namespace) -> None:
    if args.excel and args.format != "csv":
        raise UsageError("--excel: applies with --format csv")
    if args.endpoint and args.data:
        raise UsageError("give RDF files or --endpoint, not both")
    if not args.endpoint and not args.data:
        raise UsageError("give RDF files to query, or --endpoint URL")
    if not args.endpoint:
        from graph.query.engine import check_data_files

        check_data_files(args.data)
    if args.output:
        from graph.rdf.serialize import check_writable

        check_writable(args.output)


def run_answer(args: argparse.Namespace, text: str, source: str):
    if args.endpoint:
        from graph.query.endpoint import answer_endpoint

        return answer_endpoint(args.endpoint, text, timeout=args.timeout)
    from graph.query.engine import run_query_isolated

    return run_query_isolated(args.data, text, source=source, timeout=args.timeout)


def render(answer, binding, fmt: str, args: argparse.Namespace) -> str:
    from graph.query.results import format_boolean, format_rows

    if answer.boolean is not None:
        return format_boolean(answer.boolean, fmt)
    rows = binding.keep(answer.rows)
    if args.limit is not None:
        rows = rows[: args.limit]
    out = format_rows(answer.names, rows, fmt, width=args.width)
    return "\ufeff" + out if args.excel else out


def write_text(args: argparse.Namespace, text: str) -> None:
    if args.output:
        from graph.rdf.serialize import write_atomically

        write_atomically(args.output, text.encode("utf-8"))
        return
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def write_triples(args: argparse.Namespace, triples: list, source: str) -> None:
    """Triples as `wikikg build` writes them: sorted, our prefixes, the format of --format or the extension."""
    from graph.rdf.serialize import emit, format_for

    if args.format in RESULT_FORMATS:
        raise UsageError(f"--format {args.format}: {source} gives triples; choose one of {', '.join(GRAPH_FORMATS)}"
                         " (or -o FILE with its extension)")
    fmt = format_for(args.format, args.output)
    if fmt in ("nquads", "nq", "trig"):
        raise UsageError(f"-o {args.output}: a query's triples have no named graphs; write .ttl, .nt, .jsonld or "
                         ".rdf")
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if args.limit is not None:
        ordered = ordered[: args.limit]
    emit(ordered, fmt, args.output)
