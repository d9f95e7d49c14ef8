"""``wikikg build``: wikitext (files, folders, stdin, dumps) → one RDF file, page by page; a bad page is reported
and the others are kept."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from graph.cli.arguments import byte_size, positive_float, positive_int, wiki_language
from graph.cli.reconcile import add_backend_options, report_files
from graph.errors import EXIT_STATUS_HELP, InputError, Interrupted, UsageError
from graph.rdf.serialize import (
    FORMATS,
    check_writable,
    emit,
    format_for,
    is_dataset,
    write_atomically,
)
from graph.rdf.terms import TripleSink
from graph.run.limits import MAX_PAGE_SIZE, PAGE_TIMEOUT, SHARD_PAGES
from graph.wikitext.diagnostics import Diagnostic, without_repeats
from graph.wikitext.dump import is_dump

if TYPE_CHECKING:
    from graph.run.driver import RunSummary

DATASET_PREFIX = "https://w3id.org/wikikg/dataset/"

BUILD_EXAMPLES = """examples:
  wikikg build seeds/zh_first_nagorno_karabakh_war.wiki -o out.ttl
  wikikg build articles/*.wiki -o all.nq --format nquads     # one named graph per article
  wikikg build articles/*.wiki -o all.nq.gz                  # the same, gzip'd (.ttl.gz, .trig.gz… too)
  wikikg build page.wiki -o page.rdf                         # RDF/XML (.rdf, .owl, .xml); .trig, .jsonld
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
    b.add_argument("-o", "--output", metavar="FILE",
                   help="where to write (default: stdout); a folder (DIR/) gets N-Quads shards and a manifest")
    b.add_argument("--format", choices=sorted(set(FORMATS)), help="turtle (default; or from the -o extension: "
                   ".ttl, .nt, .nq, .trig, .jsonld, .rdf/.owl/.xml, each + .gz to compress), nt, nquads or trig "
                   "(one named graph per article), jsonld (compacted with our prefixes), rdfxml")
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
    run = b.add_argument_group("many pages (dumps, folders)")
    run.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                     help="pages read at once, each in a process of its own (default: every core for a dump or "
                     "several files; 1 for one article)")
    run.add_argument("--cluster", metavar="ADDRESS",
                     help="run the pages on a Dask cluster: its scheduler (tcp://host:8786), or local:N for N "
                     "worker processes here (needs pip install 'wikikg[cluster]')")
    run.add_argument("--all-pages", action="store_true",
                     help="build every page of a dump (its page node and links), not only the pages that call a "
                     "mapped infobox (a cheap scan skips the others before they are parsed)")
    run.add_argument("--no-redirects", dest="redirects", action="store_false",
                     help="keep a link to a redirect apart from its target (by default a dump's redirects are read "
                     "first, and a redirect and its target are one node)")
    run.add_argument("--shard-pages", type=positive_int, default=SHARD_PAGES, metavar="N",
                     help=f"with -o DIR/: pages per shard file (default {SHARD_PAGES:,})")
    run.add_argument("--resume", action="store_true",
                     help="with -o DIR/: keep the shards a stopped run of the same command finished, build the rest")
    b.add_argument("--diagnostics", metavar="FILE", help="also write every diagnostic as JSON Lines")
    b.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    b.add_argument("-v", "--verbose", action="store_true", help="print notes too, not only warnings")
    b.add_argument("-q", "--quiet", action="store_true", help="print no diagnostics")
    b.add_argument("--reconcile", action="store_true",
                   help="link the entities to Wikidata items (see `wikikg reconcile --help`)")
    b.set_defaults(run=run_build, backend_options=add_backend_options(b))


def run_build(args: argparse.Namespace) -> int:
    from graph.run.page import BuildOptions
    from graph.run.units import plan

    check_arguments(args)
    folder = is_folder(args.output)
    fmt = "nquads" if folder else format_for(args.format, args.output)
    inputs = expand_inputs(args.inputs)
    if getattr(args, "own_process", False) and is_one_article(args, inputs):
        from graph.run import watch

        if watch.can_watch():
            watch.watch_the_run(args.page_timeout)  # the child goes on; the parent, only if the page was lost
    options = BuildOptions(lang=args.lang, title=args.title, body=not args.infobox_only,
                           page_timeout=args.page_timeout, max_page_size=args.max_page_size,
                           all_pages=args.all_pages, redirects=args.redirects)
    started = time.perf_counter()
    tell = Reporter(args)
    units = plan(inputs)
    if FORMATS[fmt] == FORMATS["nquads"] and not args.reconcile:
        summary = build_streaming(args, inputs, units, options, folder, tell)
    else:
        summary = build_in_memory(args, units, options, fmt, tell)
    tell.close()
    if summary.pages == 0 and not summary.skipped:
        raise InputError(f"{', '.join(args.inputs)}: no page with text to build (a dump's main namespace is empty)")
    if args.output and not args.quiet:
        skipped = f", {summary.skipped:,} without a mapped infobox skipped" if summary.skipped else ""
        merged = f", {len(summary.merged):,} redirect(s) merged with their targets" if summary.merged else ""
        print(f"wikikg: wrote {args.output} ({summary.triples:,} triples, {summary.pages:,} page(s){skipped}"
              f"{merged}, {time.perf_counter() - started:.2f} s)", file=sys.stderr)
    if summary.failed:
        return 1
    if args.strict and (summary.warnings or summary.errors):
        print("wikikg: --strict: warnings above", file=sys.stderr)
        return 1
    return 0


def check_arguments(args: argparse.Namespace) -> None:
    """What can be known wrong before any work, not after an hour of dump."""
    if args.title and (len(args.inputs) > 1 or Path(args.inputs[0]).is_dir() or is_dump(args.inputs[0])):
        raise UsageError("--title applies to one article; give one .wiki file or leave it out")
    given = [a.option_strings[0] for a in args.backend_options if getattr(args, a.dest) != a.default]
    if given and not args.reconcile:
        raise UsageError(f"{', '.join(given)}: {'applies' if len(given) == 1 else 'apply'} with --reconcile only")
    if is_folder(args.output):
        if args.format and FORMATS[args.format] != FORMATS["nquads"]:
            raise UsageError(f"-o {args.output}: a folder holds N-Quads shards; --format {args.format} needs a file")
        if args.reconcile:
            raise UsageError("--reconcile needs the whole graph in one file: build to a .nq file, or run "
                             "`wikikg reconcile` on the shards")
    elif args.resume:
        raise UsageError("--resume goes on with a folder output: -o DIR/")
    if args.cluster and "-" in args.inputs:
        raise UsageError("--cluster: the cluster's workers cannot read this process's standard input; give files")
    if args.cluster and args.jobs:
        raise UsageError("--jobs counts this machine's processes; with --cluster the cluster's workers run the pages")
    outputs = [args.diagnostics, *(report_files(args.report, args.output) if args.reconcile else [])]
    outputs += [] if is_folder(args.output) else [args.output]
    for path in filter(None, outputs):
        check_writable(path)
    for name in args.inputs:
        if name != "-" and not Path(name).exists():
            raise InputError(f"{name}: no such file")
    if len(args.inputs) == 1 and args.inputs[0] != "-" and Path(args.inputs[0]).is_file() \
            and not is_dump(args.inputs[0]):
        from graph.wikitext.read import read_source

        read_source(args.inputs[0])  # one article that cannot be read is the run's error, said in one line


def is_folder(output: str | None) -> bool:
    return bool(output) and (output.endswith(("/", os.sep)) or Path(output).is_dir())


def run_options(args: argparse.Namespace, inputs: list[str]) -> tuple[int, str | None]:
    """(processes, cluster): every core by default for many pages; one article is read in this process."""
    from graph.run.runners import default_jobs

    if "-" in inputs:
        return 1, None  # standard input is this process's own: no worker could read it
    if args.cluster:
        return 0, args.cluster
    if args.jobs:
        return args.jobs, None
    many = len(inputs) > 1 or any(name != "-" and is_dump(name) for name in inputs)
    return (default_jobs() if many else 1), None


def is_one_article(args: argparse.Namespace, inputs: list[str]) -> bool:
    """One .wiki file read by this process: what graph.run.watch reads in the command's own process."""
    return len(inputs) == 1 and inputs[0] != "-" and not is_dump(inputs[0]) and run_options(args, inputs) == (1, None)


def build_streaming(args, inputs, units, options, folder: bool, tell) -> RunSummary:
    """N-Quads written page by page (a file, or shards in a folder): memory stays flat."""
    from graph.rdf.stream import NQuadsFile, ShardFolder
    from graph.run.driver import RunSummary, drive
    from graph.run.page import stop_page_workers
    from graph.run.progress import run_progress
    from graph.run.runners import run_units

    jobs, cluster = run_options(args, inputs)
    if folder:
        writer = ShardFolder(args.output, args.shard_pages, run_header(inputs, options), args.resume)
        done = writer.done_units
        units = (u for u in units if u.number >= done)
    else:
        writer = NQuadsFile(args.output)
    summary = RunSummary(redirects=redirects_of(inputs, options, jobs, args.quiet))
    bar = run_progress(inputs, args.quiet)
    if folder and args.resume:
        summary.inputs = writer.earlier_records()  # the provenance names the pages of the kept shards too
        summary.triples = sum(shard.get("triples", 0) for shard in writer.manifest["shards"])
    tell.bar = bar
    try:
        drive(run_units(units, options, jobs, cluster), writer.add, writer.end_unit, tell, bar, summary)
        if summary.pages == summary.skipped == 0 and not (folder and args.resume):
            raise InputError(f"{', '.join(args.inputs)}: no page with text to build (a dump's main namespace is "
                             "empty)")
    except BaseException as e:
        writer.abort(summary.as_manifest())
        if folder and isinstance(e, KeyboardInterrupt):
            shards = len(writer.manifest["shards"])
            raise Interrupted(f"{shards:,} whole shard(s) kept in {args.output}; the same command with --resume "
                              "builds the rest") from None
        raise
    finally:
        close_progress(bar)
        stop_page_workers()
    writer.finish(provenance_nquads(summary), summary.as_manifest())
    return summary


def build_in_memory(args, units, options, fmt: str, tell) -> RunSummary:
    """Turtle, N-Triples, RDF/XML, JSON-LD (one graph: the articles' shared entities merged), TriG (a graph per
    article) and --reconcile: the graph is held, then written at once."""
    import pyoxigraph as ox

    from graph.run.driver import RunSummary, drive
    from graph.run.page import stop_page_workers
    from graph.run.progress import run_progress
    from graph.run.runners import run_units

    jobs, cluster = run_options(args, args.inputs)
    sink, graphs, summary = TripleSink(), {}, RunSummary(redirects=redirects_of(args.inputs, options, jobs, args.quiet))
    quads = is_dataset(fmt)

    def keep(ntriples: bytes, graph: str, parsed: list | None = None) -> None:
        if quads:
            kept = graphs.setdefault(graph, [])
            if parsed:  # the page's own lines, parsed by its check: only the lines after them are parsed here
                kept.extend(parsed)
                ntriples = b"".join(ntriples.splitlines(keepends=True)[len(parsed):])
            kept.extend(q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
        else:
            sink.add_ntriples(ntriples, parsed)

    bar = run_progress(args.inputs, args.quiet)
    tell.bar = bar
    try:
        drive(run_units(units, options, jobs, cluster), keep, lambda *_: None, tell, bar, summary)
    finally:
        close_progress(bar)
        stop_page_workers()
    if summary.pages == 0:
        return summary
    if args.reconcile:
        summary.failed += reconcile_build(args, sink, graphs)
    add_provenance(summary.inputs, sink, graphs)
    emit(sink.sorted(), fmt, args.output, graphs=graphs)
    return summary


def redirects_of(inputs: list[str], options, jobs: int = 1, quiet: bool = False) -> Mapping[str, str]:
    """The dumps' redirects, read in a first pass (no parse) on ``jobs`` processes, unless --no-redirects; a bar
    of its own on a terminal (on a whole Wikipedia the pass takes a while)."""
    if not options.redirects or not any(name != "-" and is_dump(name) for name in inputs):
        return {}  # only a dump has redirect pages
    from graph.run.progress import bytes_progress
    from graph.run.redirects import collect_redirects

    bar = bytes_progress(inputs, "redirects", quiet)
    try:
        return collect_redirects(inputs, options.lang, jobs, bar.update if bar is not None else None)
    finally:
        close_progress(bar)


def close_progress(bar) -> None:
    if bar is not None:
        bar.refresh()  # the last updates came within the bar's redraw interval: draw where it ended
        bar.close()


def run_header(inputs: list[str], options) -> dict:
    """What a folder's manifest says of the run that made it; a resumed run must match it."""
    from graph import __version__

    return {"tool": "wikikg", "version": __version__, "options": options.identity(),
            "inputs": [input_identity(name) for name in inputs]}


def input_identity(name: str) -> dict:
    import hashlib

    if name == "-":
        return {"path": name}
    digest = hashlib.sha256()
    with open(name, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return {"path": name, "bytes": Path(name).stat().st_size, "sha256": digest.hexdigest()}


def provenance_nquads(summary) -> bytes:
    """The run's provenance and VoID, in the dataset's own graph, after the articles."""
    import pyoxigraph as ox

    from graph.rdf.provenance import provenance_triples

    if not summary.inputs:
        return b""
    prov = provenance_triples(summary.inputs, summary.triples).sorted()
    dataset = next(t.subject for t in prov if t.subject.value.startswith(DATASET_PREFIX))
    return ox.serialize([ox.Quad(t.subject, t.predicate, t.object, dataset) for t in prov],
                        format=ox.RdfFormat.N_QUADS)


class Reporter:
    """Diagnostics as they come, page by page: on stderr (a repeated one counted, notes with -v), and every one
    in --diagnostics FILE (written whole at the end)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args, self.notes, self.bar = args, Counter(), None
        self.lines: list[str] | None = [] if args.diagnostics else None

    def __call__(self, diagnostics: list[Diagnostic], title: str | None = None) -> None:
        # a dump's page is named by its title too: "Battle of X (dump.xml.bz2#page=12):3:5: warning: …"
        in_dump = title is not None and "#page=" in (diagnostics[0].file if diagnostics else "")
        if self.lines is not None:
            self.lines += [json.dumps({**asdict(d), **({"title": title} if in_dump else {})}, ensure_ascii=False)
                           + "\n" for d in diagnostics]
        self.notes.update(d.code for d in diagnostics if d.severity == "info")
        if self.args.quiet:
            return
        for d, repeats in without_repeats(d for d in diagnostics if d.severity != "info" or self.args.verbose):
            line = d.format(repeats)
            self.say(f"{title} ({d.file}){line[len(d.file):]}" if in_dump and line.startswith(d.file) else line)

    def say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        if self.lines is not None:
            write_atomically(self.args.diagnostics, "".join(self.lines).encode("utf-8"))
        if self.notes and not self.args.verbose and not self.args.quiet:
            summary = ", ".join(f"{n} {code}" for code, n in self.notes.most_common())
            print(f"wikikg: notes not shown: {summary} (-v shows them)", file=sys.stderr)


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


