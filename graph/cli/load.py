"""``wikikg load``: RDF files into a triple store, one named graph per article (Graph Store Protocol)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from graph.cli.arguments import positive_float
from graph.errors import EXIT_STATUS_HELP

if TYPE_CHECKING:
    from graph.query.progress import ProgressRecord
    from graph.query.sources import Source
    from graph.query.store import Left, LoadStopped, Tally

LOAD_EXAMPLES = """examples:
  oxigraph serve --location db --bind 127.0.0.1:7878 --union-default-graph &
  wikikg load out.nq --store http://127.0.0.1:7878/store
  wikikg load out.ttl --store http://localhost:3030/wikikg/data      # Jena Fuseki
  wikikg load out/ --store http://127.0.0.1:7878/store               # a build's folder (wikikg build -o out/)

what is read before the first request, so that a bad input changes nothing in the store:
  a file named in DATA (.gz is decompressed as it is read): read whole, every one, before anything is sent
  a build's folder (its manifest.json): refused if the build is unfinished or a shard's sha256 is not the
    manifest's; then read one shard at a time, in manifest order, then provenance.nq.gz
  a folder without a manifest: its RDF files (.nq .nt .ttl .trig .n3 .rdf .jsonld, and .gz of them; not its
    subfolders) in name order, each read whole when its turn comes: one that does not parse stops the load there
    (exit 1; the files before it are loaded and recorded, so --resume goes on once it is mended)
a folder prints one line per file (graphs, triples, seconds), and a progress bar on a terminal; -v prints one
line per graph as for files. For millions of triples a store's own bulk loader is faster (the server stopped):
  oxigraph load --location db --file out/*.nq.gz      # Jena: tdb2.tdbloader --loc DB out/*.nq.gz

a load that stops halfway (the store dies, an HTTP error or a timeout: exit 1; Ctrl-C: exit 130) says which
graphs it replaced and which not (the first ten of each, then a count), and records the graphs done in a progress
file (see --progress); the same command with --resume sends only the rest:
  wikikg load dump.nq --store http://127.0.0.1:7878/store            # stops after 80 of 206 graphs: exit 1
  wikikg load dump.nq --store http://127.0.0.1:7878/store --resume   # the other 126
--resume refuses (exit 2) a record of another --store, of --append when loading with --replace (or the reverse),
or of DATA changed since (size or modification time) where it recorded graphs: which graphs the store holds would
be a guess; run without --resume to load every graph again. With no record, --resume says so and loads every graph.
"""


def add_parser(sub) -> None:
    """The ``load`` subcommand and its options."""
    ld = sub.add_parser("load", help="push RDF files into a triple store (Graph Store Protocol)",
                        description="Load articles into a store, one named graph per article: reloading an "
                        "article replaces its graph.", epilog=LOAD_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ld.add_argument("data", nargs="+", metavar="DATA",
                    help="RDF files (.nq keeps one graph per article; .gz read as it comes), or folders: a build's "
                    "-o DIR/, streamed shard by shard, or a folder of RDF files")
    ld.add_argument("--store", required=True, metavar="URL", help="the store's Graph Store Protocol URL")
    mode = ld.add_mutually_exclusive_group()
    mode.add_argument("--replace", dest="replace", action="store_true", default=True,
                      help="replace each article's graph (default)")
    mode.add_argument("--append", dest="replace", action="store_false", help="add to each article's graph")
    ld.add_argument("--timeout", type=positive_float, default=120, metavar="S", help="seconds per request (120)")
    ld.add_argument("--resume", action="store_true",
                    help="finish a load that stopped halfway: skip the graphs its progress record says are done")
    ld.add_argument("--progress", type=Path, metavar="FILE",
                    help="the progress record (default: .wikikg-load-HASH.jsonl in the current folder, HASH of "
                    "--store and DATA); kept only while a load is unfinished")
    said = ld.add_mutually_exclusive_group()
    said.add_argument("-v", "--verbose", action="store_true",
                      help="a line per graph of a folder too (default there: a line per file)")
    said.add_argument("-q", "--quiet", action="store_true",
                      help="no line per graph or file, no progress bar and no summary (errors are said)")
    ld.set_defaults(run=run_load)


def run_load(args: argparse.Namespace) -> int:
    from graph.query.progress import ProgressRecord, default_record, input_identity
    from graph.query.sources import sources_of
    from graph.query.store import Loader, LoadStopped

    sources = sources_of(args.data, progress=None if args.quiet else bar_over)  # the checks come first
    verb = "replaced" if args.replace else "appended to"
    record = ProgressRecord(args.progress or default_record(args.store, args.data), args.store,
                            "replace" if args.replace else "append", input_identity([s.path for s in sources]))
    done = record.previous(args.resume, note=lambda text: say(args, f"wikikg: {text}"))
    record.start(done)
    reporter = Reporter(args, verb, sources)
    loader = Loader(args.store, args.replace, args.timeout, done=done, record=record, watcher=reporter)
    try:
        tally = loader.run(sources)
    except LoadStopped as stop:
        reporter.close()
        report_stopped(stop, verb, record)
        return stop.exit_status
    reporter.close()
    record.remove()
    folders = sum(s.in_folder for s in sources)
    say(args, summary(verb, tally, folders and len(sources), time.monotonic() - reporter.started))
    return 0


class Reporter:
    """The lines of a load on stderr: one per graph of a listed file (with -v, of a folder's files too), one per
    file of a folder (millions of graph lines would bury everything), and a bar over a folder's files on a
    terminal."""

    def __init__(self, args: argparse.Namespace, verb: str, sources: list[Source]) -> None:
        self.args, self.verb = args, verb
        in_folders = sum(s.in_folder for s in sources)
        self.bar = progress_bar(in_folders, "load") if in_folders and not args.quiet else None
        self.started = self.file_started = time.monotonic()

    def graph_loaded(self, source: Source, graph: str, triples: int) -> None:
        if not source.in_folder or self.args.verbose:
            self.say(f"wikikg: {self.verb} <{graph}> ({triples:,} triples)")

    def file_loaded(self, source: Source, sent: int, triples: int, skipped: int) -> None:
        now = time.monotonic()
        if source.in_folder:
            if self.bar is not None:
                self.bar.update(1)
            if sent or not skipped:  # a file the stopped load finished is not said again
                earlier = f"; {skipped:,} by the stopped load" if skipped else ""
                self.say(f"wikikg: {source.name}: {self.verb} {graphs(sent)} ({triples:,} triples, "
                         f"{now - self.file_started:.1f} s){earlier}")
        self.file_started = now

    def say(self, line: str) -> None:
        if self.args.quiet:
            return
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)  # above the bar, which stays at the bottom
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def progress_bar(total: int, desc: str):
    """A tqdm bar over a folder's files on a terminal; None when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="file", leave=False, file=sys.stderr, smoothing=0.1)


def bar_over(items: Iterable, desc: str, total: int) -> Iterable:
    """``items`` with a bar on a terminal (the checksums of a folder's shards: seconds for a whole Wikipedia)."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, unit="shard", leave=False, file=sys.stderr)


def report_stopped(stop: LoadStopped, verb: str, record: ProgressRecord) -> None:
    """What the store now holds and how to finish: said even with -q (the load failed)."""
    left = stop.left
    label = "" if stop.exit_status == 130 else "error: "  # Ctrl-C is not an error of the store
    where = (f" at <{stop.at or left.first[0]}>" if stop.at or left.first
             else f" at {stop.file}" if left else " after the last graph")
    print(f"wikikg: {label}stopped{where}: {stop.reason}", file=sys.stderr)
    # with files not read yet the total is not known: their graphs are not counted
    total = graphs(stop.done)[len(f"{stop.done:,}"):] if left.unread else f" of {graphs(stop.done + left.graphs)}"
    named = f": {listed(stop.tally.first, stop.done)}" if stop.done else ""
    print(f"wikikg: {verb} {stop.done:,}{total}{named}", file=sys.stderr)
    if left:
        print(not_sent(left, verb, stop.file), file=sys.stderr)
    record.close()
    if not (left and stop.done):
        record.remove()  # nothing to finish, or nothing to skip: the same command without --resume does it
        return
    if record.failed:
        print(f"wikikg: warning: the progress record could not be written whole ({record.failed}): --resume sends "
              "the graphs it misses again", file=sys.stderr)
    rest = graphs(left.graphs) + (" and the files not read yet" if left.unread else "") if left.graphs \
        else "files not read yet"
    print(f"wikikg: progress recorded in {record.path}; run the same command with --resume to load the remaining "
          f"{rest}", file=sys.stderr)


def not_sent(left: Left, verb: str, file: str) -> str:
    """The graphs not sent: the first ten named, the others counted; files not read yet named (first ten)."""
    names = listed(left.first, left.graphs) if left.first else f"every graph from {file} on"
    if not left.unread:
        return f"wikikg: not {verb} ({left.graphs:,}): {names}"
    unread = ", ".join(left.unread[:LIST_AT_MOST]) + (
        f" and {len(left.unread) - LIST_AT_MOST:,} more" if len(left.unread) > LIST_AT_MOST else "")
    counted = f"{names}, and " if left.graphs or left.first else ""
    return f"wikikg: not {verb}: {counted}the graphs of the files not read yet ({unread})"


def summary(verb: str, tally: Tally, files: int, seconds: float) -> str:
    """The last line of a load; with folders, how many files and how long."""
    where = f" from {files:,} files in {seconds:.1f} s" if files else ""
    if not tally.skipped:
        return f"wikikg: {verb} {graphs(tally.sent)} ({tally.triples:,} triples){where}"
    return (f"wikikg: {verb} {tally.sent:,} of {graphs(tally.sent + tally.skipped)} ({tally.triples:,} triples)"
            f"{where}; the other {tally.skipped:,} by the stopped load")


LIST_AT_MOST = 10  # graphs or files named in a report; more are counted


def listed(names: list[str], count: int) -> str:
    """``names`` (the first of ``count`` graphs), then how many more."""
    text = ", ".join(f"<{g}>" for g in names[:LIST_AT_MOST])
    more = count - min(len(names), LIST_AT_MOST)
    return text + (f" and {more:,} more" if more > 0 else "")


def graphs(n: int) -> str:
    return f"{n:,} graph" + ("" if n == 1 else "s")


def say(args: argparse.Namespace, line: str) -> None:
    if not args.quiet:
        print(line, file=sys.stderr)
