"""``wikikg build``: wikitext (files, folders, stdin, dumps) → one RDF file, page by page; a bad page is reported
and the others are kept."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from graph.cli.arguments import byte_size, positive_float, wiki_language
from graph.cli.reconcile import add_backend_options, report_files
from graph.errors import EXIT_STATUS_HELP, InputError, UsageError
from graph.rdf.serialize import FORMATS, check_parses, check_writable, format_for, to_bytes, write_atomically
from graph.rdf.terms import TripleSink
from graph.wikitext.diagnostics import Diagnostic, without_repeats
from graph.wikitext.dump import is_dump, read_dump
from graph.wikitext.read import Source, read_source, source_from_text

if TYPE_CHECKING:
    from graph.cli.page_worker import Built, PageWorker

DATASET_PREFIX = "https://w3id.org/wikikg/dataset/"
# Per page: MediaWiki's $wgMaxArticleSize on Wikipedia (2,048 KiB), so no real page is ever cut; twice what a
# page of that size takes on a slow machine (~25 s per MB; ~4 s on a recent one), far below the hours that
# some malformed markup keeps the parser busy (it is quadratic on unclosed external links).
MAX_PAGE_SIZE = 2 * 1024 * 1024
PAGE_TIMEOUT = 120.0

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


def add_parser(sub) -> None:
    """The ``build`` subcommand and its options."""
    b = sub.add_parser("build", help="wikitext → RDF (Turtle by default)",
                       description="Read wikitext articles and write their knowledge graph.",
                       epilog=BUILD_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a .wiki file, several, a folder of them, an XML dump (.xml, .bz2, .gz, .xz), or - for stdin")
    b.add_argument("-o", "--output", metavar="FILE", help="where to write (default: stdout)")
    b.add_argument("--format", choices=sorted(set(FORMATS)), help="turtle (default; or from the -o extension), "
                   "nt, nquads (one named graph per article), jsonld")
    b.add_argument("--lang", type=wiki_language, help="site language of the wikitext (zh, en, ...); default: detected")
    b.add_argument("--title", help="article title (default: the lead's bold name, the infobox, the file name)")
    b.add_argument("--infobox-only", action="store_true",
                   help="read only the infobox and its sources (no sections, timeline or tables): faster on dumps")
    b.add_argument("--max-page-size", type=byte_size, default=MAX_PAGE_SIZE, metavar="BYTES",
                   help="a page of more bytes of wikitext than this is read for its infobox only, from its first "
                   "BYTES, with a warning (default 2M, the most Wikipedia saves; K, M, G suffixes)")
    b.add_argument("--page-timeout", type=positive_float, default=PAGE_TIMEOUT, metavar="S",
                   help="a page still being read after S seconds is skipped with an error, and the run goes on "
                   f"(default {PAGE_TIMEOUT:g}: the largest pages Wikipedia saves take seconds, some malformed "
                   "markup hours)")
    b.add_argument("--diagnostics", metavar="FILE", help="also write every diagnostic as JSON Lines")
    b.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    b.add_argument("-v", "--verbose", action="store_true", help="print notes too, not only warnings")
    b.add_argument("-q", "--quiet", action="store_true", help="print no diagnostics")
    b.add_argument("--reconcile", action="store_true",
                   help="link the entities to Wikidata items (see `wikikg reconcile --help`)")
    b.set_defaults(run=run_build, backend_options=add_backend_options(b))


def run_build(args: argparse.Namespace) -> int:
    from graph.cli.page_worker import PageWorker  # here, not above: `wikikg --help` stays fast
    from graph.rdf.provenance import InputRecord

    if args.title and (len(args.inputs) > 1 or Path(args.inputs[0]).is_dir() or is_dump(args.inputs[0])):
        raise UsageError("--title applies to one article; give one .wiki file or leave it out")
    given = [a.option_strings[0] for a in args.backend_options if getattr(args, a.dest) != a.default]
    if given and not args.reconcile:
        raise UsageError(f"{', '.join(given)}: {'applies' if len(given) == 1 else 'apply'} with --reconcile only")
    outputs = [args.output, args.diagnostics, *(report_files(args.report, args.output) if args.reconcile else [])]
    for path in filter(None, outputs):
        check_writable(path)  # before the work, not after an hour of dump
    fmt = format_for(args.format, args.output)
    started = time.perf_counter()
    sink, graphs, diagnostics, failed, pages, inputs = TripleSink(), {}, [], 0, 0, []
    used_graphs: dict[str, int] = {}
    with PageWorker(args.page_timeout) as worker:
        for source, lang in progress(pages_of(expand_inputs(args.inputs), args.lang)):
            pages += 1
            built = read_page(worker, source, lang, args, diagnostics)
            if built is None:  # reported; one bad page must not lose the others
                failed += 1
                continue
            per_article = built.sink()
            graph = graph_of_input(built, source.name, used_graphs, diagnostics)
            inputs.append(InputRecord(source.name, source.sha256, graph, built.title, built.lang))
            if fmt in ("nquads", "nq"):
                graphs[graph] = per_article.sorted()
            else:
                sink.merge(per_article)
    if pages == 0:
        raise InputError(f"{', '.join(args.inputs)}: no page with text to build (a dump's main namespace is empty)")
    if args.reconcile:
        failed += reconcile_build(args, sink, graphs)
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


def read_page(worker: PageWorker, source: Source, lang: str | None, args: argparse.Namespace,
              diagnostics: list[Diagnostic]) -> Built | None:
    """One page, within the size and time limits, its diagnostics added to ``diagnostics``: what it built, or
    None when it was skipped."""
    from graph.cli.page_worker import Job, Skipped

    source, too_large = within_size(source, args.max_page_size)
    diagnostics.extend(too_large)
    outcome = worker.build(Job(source, lang, args.title or source.title,
                               body=not (args.infobox_only or too_large)))
    if isinstance(outcome, Skipped):
        diagnostics.append(outcome.diagnostic)
        return None
    diagnostics.extend(outcome.diagnostics)
    return outcome


def within_size(source: Source, limit: int) -> tuple[Source, list[Diagnostic]]:
    """A page of more than ``limit`` bytes is cut to its lines in the first ``limit`` bytes, to read its infobox
    (at the top) only: the facts that matter most, and no section or timeline read half. Its cost is then that of
    a page of ``limit`` bytes, however large it was (a 50 MB page took minutes)."""
    from graph.cli.page_worker import label

    if len(source.text) * 4 <= limit:  # UTF-8 takes at most 4 bytes a character: no need to count them
        return source, []
    data = source.text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return source, []
    head = data[:limit].decode("utf-8", "ignore")  # "ignore": a character cut in two at the limit is dropped
    head = head[:head.rfind("\n") + 1] or head
    warning = Diagnostic(source.name, 1, 1, "warning", "page-too-large",
                         f"{label(source)} has {len(data):,} bytes of wikitext, more than --max-page-size ({limit:,}): "
                         f"only the infobox in its first {len(head.encode('utf-8', 'surrogatepass')):,} bytes is "
                         "read (a source it cites that is defined further on is unresolved)")
    return replace(source, text=head), [warning]


def reconcile_build(args: argparse.Namespace, sink: TripleSink, graphs: dict) -> int:
    """Add the links to Wikidata; the number of entities the backend failed on (they make the run fail)."""
    from graph.cli.reconcile import link
    from graph.wikidata.reconcile.link import RECONCILIATION_GRAPH, store_of
    from graph.wikidata.reconcile.model import NOT_CHECKED

    everything = [t for ts in graphs.values() for t in ts] if graphs else sink.sorted()
    outcome, triples = link(store_of(everything), args, args.output)
    if graphs:
        graphs[RECONCILIATION_GRAPH] = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate),
                                                                      str(t.object)))
    else:
        for t in triples:
            sink.add(t.subject, t.predicate, t.object)
    return outcome.count(NOT_CHECKED)


def add_provenance(inputs: list, sink: TripleSink, graphs: dict) -> None:
    """The run's provenance and VoID: in the graph itself, or in a graph of its own for N-Quads."""
    from graph.rdf.provenance import provenance_triples

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


def graph_of_input(article, source_name: str, used: dict[str, int], diagnostics: list) -> str:
    """The named graph of one input: its article's page IRI, or, when an earlier input of this run already holds
    an article of that title ("Battle of Kosovo" for the battles of 1389 and 1448), the page IRI with
    ``#input-N``, and a warning: no input's facts overwrite another's."""
    graph = page_graph(article)
    used[graph] = used.get(graph, 0) + 1
    if used[graph] == 1:
        return graph
    unique = f"{graph}#input-{used[graph]}"
    diagnostics.append(Diagnostic(source_name, 1, 1, "warning", "same-article",
                                  f"an earlier input also holds [[{article.title}]]: this one is kept apart, in "
                                  f"graph <{unique}>"))
    return unique


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
    for d, repeats in without_repeats(d for d in diagnostics if d.severity != "info" or args.verbose):
        print(d.format(repeats), file=sys.stderr)
    if diagnostics and not args.verbose:
        counts = Counter(d.code for d in diagnostics if d.severity == "info")
        if counts:
            summary = ", ".join(f"{n} {code}" for code, n in counts.most_common())
            print(f"wikikg: notes not shown: {summary} (-v shows them)", file=sys.stderr)
