"""The ``wikikg`` command: a thin layer over graph.pipeline, graph.serialize and graph.query."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

from graph import __version__
from graph.cli.analyze import add_parser as add_analyze_parser
from graph.wikitext.dump import is_dump, read_dump
from graph.errors import InputError, UsageError, WikikgError
from graph.extract.model import Diagnostic
from graph.pipeline import build
from graph.rdf.provenance import InputRecord, provenance_triples
from graph.sparql.query import RESULT_FORMATS, bind_params, format_rows, load_store, run_query
from graph.rdf.mapping import TripleSink
from graph.wikitext.read import Source, read_source, source_from_text
from graph.cli.reconcile import add_backend_options
from graph.cli.reconcile import add_parser as add_reconcile_parser
from graph.rdf.serialize import FORMATS, check_parses, format_for, to_bytes, write_atomically
from graph.cli.wikidata import add_parser as add_wikidata_parser

DATASET_PREFIX = "https://w3id.org/wikikg/dataset/"

EXIT_CODES = """exit status:
  0  success
  1  input or validation error (unreadable input, a query that does not parse, --strict with warnings)
  2  usage error (unknown option, missing argument)
"""

BUILD_EXAMPLES = """examples:
  wikikg build seeds/zh_first_nagorno_karabakh_war.wiki -o out.ttl
  wikikg build articles/*.wiki -o all.nq --format nquads     # one named graph per article
  wikikg build zhwiki-latest-pages-articles.xml.bz2 -o zhwiki.nq   # a whole dump, streamed
  cat page.wiki | wikikg build - --lang en --title "Battle of Wakefield" -o wakefield.ttl
  wikikg build page.wiki -o out.ttl --diagnostics problems.jsonl --strict
  wikikg build page.wiki -o out.ttl --reconcile --user-agent you@example.org   # + links to Wikidata
  wikikg build page.wiki -o out.ttl --reconcile --offline wd-index.db          # offline, from a dump

Diagnostics are printed to stderr as FILE:LINE:COL: SEVERITY: MESSAGE (warnings and errors;
-v adds notes). The site language is detected from the text unless --lang is given; the article
title comes from --title, else the bold name in the lead, else the infobox, else the file name.
"""

QUERY_EXAMPLES = """examples:
  wikikg query queries/commanders.rq out.ttl
  wikikg query queries/casualties.rq out.ttl --format csv > casualties.csv
  wikikg query queries/belligerents.rq a.ttl b.ttl --format json
  wikikg query queries/commanders.rq out.ttl --param side=2 --limit 5
  wikikg query queries/commanders.rq --endpoint http://127.0.0.1:7878/query

The named queries in queries/ answer the competency questions (see README). Output formats:
a readable table (default), or SPARQL 1.1 results as csv, tsv or json.
"""


LOAD_EXAMPLES = """examples:
  oxigraph serve --location db --bind 127.0.0.1:7878 --union-default-graph &
  wikikg load out.nq --store http://127.0.0.1:7878/store
  wikikg load out.ttl --store http://localhost:3030/wikikg/data      # Jena Fuseki
"""

SERVE_EXAMPLES = """examples:
  wikikg serve out.ttl                    # http://127.0.0.1:7879/sparql
  wikikg serve *.ttl --port 8000 --timeout 10
"""


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except UsageError as e:
        print(f"wikikg: {e}", file=sys.stderr)
        return e.exit_status
    except WikikgError as e:
        print(f"wikikg: error: {e}", file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt:
        print("wikikg: interrupted; no output written", file=sys.stderr)
        return 130


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wikikg",
        description="Turn Wikipedia articles (wikitext) into a linked-data knowledge graph.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"wikikg {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    b = sub.add_parser("build", help="wikitext → RDF (Turtle by default)",
                       description="Read wikitext articles and write their knowledge graph.",
                       epilog=BUILD_EXAMPLES + "\n" + EXIT_CODES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a .wiki file, several, a folder of them, an XML dump (.xml, .bz2, .gz, .xz), or - for stdin")
    b.add_argument("-o", "--output", metavar="FILE", help="where to write (default: stdout)")
    b.add_argument("--format", choices=sorted(set(FORMATS)), help="turtle (default; or from the -o extension), "
                   "nt, nquads (one named graph per article), jsonld")
    b.add_argument("--lang", help="site language of the wikitext (zh, en, ...); default: detected")
    b.add_argument("--title", help="article title (default: the lead's bold name, the infobox, the file name)")
    b.add_argument("--infobox-only", action="store_true",
                   help="read only the infobox and its sources (no sections, timeline or tables): faster on dumps")
    b.add_argument("--diagnostics", metavar="FILE", help="also write every diagnostic as JSON Lines")
    b.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    b.add_argument("-v", "--verbose", action="store_true", help="print notes too, not only warnings")
    b.add_argument("-q", "--quiet", action="store_true", help="print no diagnostics")
    b.add_argument("--reconcile", action="store_true",
                   help="link the entities to Wikidata items (see `wikikg reconcile --help`)")
    add_backend_options(b)
    b.set_defaults(run=run_build)

    q = sub.add_parser("query", help="run a SPARQL query (e.g. queries/commanders.rq) on RDF files or an endpoint",
                       description="Run a SPARQL SELECT query on Turtle/N-Triples/N-Quads files (embedded Oxigraph "
                       "engine) or on a remote SPARQL endpoint.",
                       epilog=QUERY_EXAMPLES + "\n" + EXIT_CODES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("query", metavar="QUERY.rq")
    q.add_argument("data", nargs="*", metavar="DATA", help="RDF files (.ttl, .nt, .nq); not with --endpoint")
    q.add_argument("--endpoint", metavar="URL", help="a SPARQL endpoint (Fuseki, Oxigraph, Virtuoso, GraphDB, ...)")
    q.add_argument("--format", choices=RESULT_FORMATS, default="table",
                   help="table (default), or SPARQL 1.1 results: csv, tsv, json, xml")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE (an IRI in <...>, an integer, or a string), through VALUES")
    q.add_argument("--limit", type=int, metavar="N", help="print at most N rows")
    q.add_argument("--timeout", type=float, default=120, metavar="S", help="endpoint timeout in seconds (120)")
    q.set_defaults(run=run_query_command)

    ld = sub.add_parser("load", help="push RDF files into a triple store (Graph Store Protocol)",
                        description="Load articles into a store, one named graph per article: reloading an "
                        "article replaces its graph.", epilog=LOAD_EXAMPLES + "\n" + EXIT_CODES,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ld.add_argument("data", nargs="+", metavar="DATA", help="RDF files (.nq keeps one graph per article)")
    ld.add_argument("--store", required=True, metavar="URL", help="the store's Graph Store Protocol URL")
    mode = ld.add_mutually_exclusive_group()
    mode.add_argument("--replace", dest="replace", action="store_true", default=True,
                      help="replace each article's graph (default)")
    mode.add_argument("--append", dest="replace", action="store_false", help="add to each article's graph")
    ld.add_argument("--timeout", type=float, default=120, metavar="S")
    ld.set_defaults(run=run_load)

    sv = sub.add_parser("serve", help="serve RDF files as a read-only SPARQL endpoint on 127.0.0.1",
                        description="A read-only SPARQL endpoint (SPARQL 1.1 Protocol, GET and POST) over RDF "
                        "files, for YASGUI and notebooks.", epilog=SERVE_EXAMPLES + "\n" + EXIT_CODES,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sv.add_argument("data", nargs="+", metavar="DATA")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=7879)
    sv.add_argument("--timeout", type=float, default=30, metavar="S", help="time limit per query (30 s)")
    sv.add_argument("--max-rows", type=int, default=100_000, metavar="N", help="result rows cap (100,000)")
    sv.set_defaults(run=run_serve)

    add_analyze_parser(sub)
    add_reconcile_parser(sub)
    add_wikidata_parser(sub)
    return parser


def run_build(args: argparse.Namespace) -> int:
    if args.title and (len(args.inputs) > 1 or Path(args.inputs[0]).is_dir() or is_dump(args.inputs[0])):
        raise UsageError("--title applies to one article; give one .wiki file or leave it out")
    fmt = format_for(args.format, args.output)
    started = time.perf_counter()
    sink, graphs, diagnostics, failed, pages, inputs = TripleSink(), {}, [], 0, 0, []
    for source, lang in progress(pages_of(expand_inputs(args.inputs), args.lang)):
        pages += 1
        per_article = TripleSink()
        try:
            result = build(source, lang=lang, title=args.title or source.title, body=not args.infobox_only,
                           sink=per_article)
        except Exception as e:  # one bad page must not lose the others: report it, go on
            failed += 1
            diagnostics.append(Diagnostic(source.name, 1, 1, "error", "internal-error",
                                          f"page skipped, please report this bug: {type(e).__name__}: {e}"))
            continue
        diagnostics.extend(result.article.diagnostics)
        inputs.append(InputRecord(source.name, source.sha256, page_graph(result.article), result.article.title,
                                  result.article.lang))
        if fmt in ("nquads", "nq"):
            graphs[page_graph(result.article)] = per_article.sorted()
        else:
            sink.merge(per_article)
    if args.reconcile:
        reconcile_build(args, sink, graphs)
    add_provenance(inputs, sink, graphs)
    data = to_bytes(sink.sorted(), fmt, graphs=graphs)
    check_parses(data, fmt)
    report(diagnostics, args)
    if args.output:
        write_atomically(args.output, data)
        if not args.quiet:
            triples = sum(len(g) for g in graphs.values()) if graphs else len(sink)
            print(f"wikikg: wrote {args.output} ({triples:,} triples, {pages:,} page(s), "
                  f"{time.perf_counter() - started:.2f} s)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if failed:
        return 1
    if args.strict and any(d.severity in ("warning", "error") for d in diagnostics):
        print("wikikg: --strict: warnings above", file=sys.stderr)
        return 1
    return 0


def reconcile_build(args: argparse.Namespace, sink: TripleSink, graphs: dict) -> None:
    from graph.wikidata.reconcile.link import RECONCILIATION_GRAPH, store_of
    from graph.cli.reconcile import link

    everything = [t for ts in graphs.values() for t in ts] if graphs else sink.sorted()
    _, triples = link(store_of(everything), args, args.output)
    if graphs:
        graphs[RECONCILIATION_GRAPH] = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate),
                                                                      str(t.object)))
    else:
        for t in triples:
            sink.add(t.subject, t.predicate, t.object)


def add_provenance(inputs: list, sink: TripleSink, graphs: dict) -> None:
    """The run's provenance and VoID: in the graph itself, or in a graph of its own for N-Quads."""
    if not inputs:
        return
    if graphs:
        prov = provenance_triples(inputs, sum(len(g) for g in graphs.values()))
        dataset = next(t.subject.value for t in prov.sorted() if t.subject.value.startswith(DATASET_PREFIX))
        graphs[dataset] = prov.sorted()
    else:
        provenance_triples(inputs, len(sink), sink)


def pages_of(inputs: list[str], lang: str | None) -> Iterator[tuple[Source, str | None]]:
    """Every page to build: a .wiki file is one, an XML dump is many (its main namespace)."""
    for name in inputs:
        if name != "-" and is_dump(name):
            info, dump_pages = read_dump(name)
            for page in dump_pages:
                if page.text.strip():
                    yield source_from_text(page.offset_hint, page.text, title=page.title), lang or info.lang
        else:
            yield read_source(name), lang


def expand_inputs(inputs: list[str]) -> list[str]:
    """Folders stand for the .wiki files in them (recursively, in name order)."""
    expanded = []
    for name in inputs:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = sorted(str(p) for p in path.rglob("*.wiki"))
            if not found:
                raise InputError(f"{name}: folder has no .wiki files")
            expanded.extend(found)
        else:
            expanded.append(name)
    return expanded


def page_graph(article) -> str:
    from graph.rdf.iri import wikipedia_iri

    return wikipedia_iri(article.lang, article.title)


def progress(items: Iterable):
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(items, unit="page", desc="build", leave=False)
    return items


def report(diagnostics: list[Diagnostic], args: argparse.Namespace) -> None:
    if args.diagnostics:
        lines = "".join(json.dumps(asdict(d), ensure_ascii=False) + "\n" for d in diagnostics)
        write_atomically(args.diagnostics, lines.encode("utf-8"))
    if args.quiet:
        return
    for d in diagnostics:
        if d.severity != "info" or args.verbose:
            print(d.format(), file=sys.stderr)
    if diagnostics and not args.verbose:
        counts = Counter(d.code for d in diagnostics if d.severity == "info")
        if counts:
            summary = ", ".join(f"{n} {code}" for code, n in counts.most_common())
            print(f"wikikg: notes not shown: {summary} (-v shows them)", file=sys.stderr)


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
        from graph.sparql.endpoint import query_endpoint

        names, rows = query_endpoint(args.endpoint, text, timeout=args.timeout)
    else:
        if not args.data:
            raise UsageError("give RDF files to query, or --endpoint URL")
        names, rows = run_query(load_store(args.data), text, source=args.query)
    if args.limit is not None:
        rows = rows[: args.limit]
    sys.stdout.write(format_rows(names, rows, args.format))
    return 0


def run_load(args: argparse.Namespace) -> int:
    from graph.sparql.endpoint import load_to_store

    loaded = load_to_store(args.store, args.data, replace=args.replace, timeout=args.timeout)
    for item in loaded:
        print(f"wikikg: {'replaced' if args.replace else 'appended to'} <{item.graph}> ({item.triples:,} triples)",
              file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from graph.sparql.serve import SparqlServer

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


if __name__ == "__main__":
    sys.exit(main())
