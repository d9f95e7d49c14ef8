"""``wikikg load``: RDF files into a triple store, one named graph per article (Graph Store Protocol)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from graph.cli.arguments import positive_float
from graph.errors import EXIT_STATUS_HELP

if TYPE_CHECKING:
    from graph.query.progress import ProgressRecord
    from graph.query.store import LoadStopped, Step

LOAD_EXAMPLES = """examples:
  oxigraph serve --location db --bind 127.0.0.1:7878 --union-default-graph &
  wikikg load out.nq --store http://127.0.0.1:7878/store
  wikikg load out.ttl --store http://localhost:3030/wikikg/data      # Jena Fuseki

a load that stops halfway (the store dies, an HTTP error or a timeout: exit 1; Ctrl-C: exit 130) says which
graphs it replaced and which not, and records the graphs done in a progress file (see --progress); the same
command with --resume sends only the rest:
  wikikg load dump.nq --store http://127.0.0.1:7878/store            # stops after 80 of 206 graphs: exit 1
  wikikg load dump.nq --store http://127.0.0.1:7878/store --resume   # the other 126
--resume refuses (exit 2) a record of another --store, of --append when loading with --replace (or the reverse),
or of DATA changed since (size or modification time): which graphs the store holds would be a guess; run without
--resume to load every graph again. With no record, --resume says so and loads every graph.
"""

LIST_AT_MOST = 10  # graphs named in a report; more are counted


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
    ld.add_argument("--resume", action="store_true",
                    help="finish a load that stopped halfway: skip the graphs its progress record says are done")
    ld.add_argument("--progress", type=Path, metavar="FILE",
                    help="the progress record (default: .wikikg-load-HASH.jsonl in the current folder, HASH of "
                    "--store and DATA); kept only while a load is unfinished")
    ld.add_argument("-q", "--quiet", action="store_true", help="no line per graph and no summary (errors are said)")
    ld.set_defaults(run=run_load)


def run_load(args: argparse.Namespace) -> int:
    from graph.query.progress import ProgressRecord, default_record, input_identity
    from graph.query.store import LoadStopped, load_steps, plan_load

    steps = plan_load(args.data)  # every input read before the store is touched
    verb = "replaced" if args.replace else "appended to"
    record = ProgressRecord(args.progress or default_record(args.store, args.data), args.store,
                            "replace" if args.replace else "append", input_identity(args.data))
    earlier = record.previous(args.resume, note=lambda text: say(args, f"wikikg: {text}"))
    skipped = [s for s in steps if s.key in earlier]
    todo = [s for s in steps if s.key not in earlier]
    record.start(s.key for s in skipped)

    def loaded(step: Step) -> None:
        record.add(step.key)  # recorded before it is said
        say(args, f"wikikg: {verb} <{step.graph}> ({len(step.triples):,} triples)")

    try:
        load_steps(args.store, todo, replace=args.replace, timeout=args.timeout, on_loaded=loaded)
    except LoadStopped as stop:
        report_stopped(stop, skipped, verb, record)
        return stop.exit_status
    record.remove()
    say(args, summary(verb, todo, skipped))
    return 0


def report_stopped(stop: LoadStopped, skipped: list[Step], verb: str, record: ProgressRecord) -> None:
    """What the store now holds and how to finish: said even with -q (the load failed)."""
    done = skipped + stop.done
    label = "" if stop.exit_status == 130 else "error: "  # Ctrl-C is not an error of the store
    where = f" at <{stop.left[0].graph}>" if stop.left else " after the last graph"  # Ctrl-C as it was said
    print(f"wikikg: {label}stopped{where}: {stop.reason}", file=sys.stderr)
    total = len(done) + len(stop.left)
    print(f"wikikg: {verb} {len(done):,} of {graphs(total)}" + (f": {listed(done)}" if done else ""), file=sys.stderr)
    if stop.left:
        print(f"wikikg: not {verb} ({len(stop.left):,}): {listed(stop.left)}", file=sys.stderr)
    if not (stop.left and done):
        record.remove()  # nothing to finish, or nothing to skip: the same command without --resume does it
        return
    record.save(s.key for s in done)  # whole, with any graph whose line a Ctrl-C cut off
    print(f"wikikg: progress recorded in {record.path}; run the same command with --resume to load the remaining "
          f"{graphs(len(stop.left))}", file=sys.stderr)


def summary(verb: str, todo: list[Step], skipped: list[Step]) -> str:
    triples = sum(len(s.triples) for s in todo)
    if not skipped:
        return f"wikikg: {verb} {graphs(len(todo))} ({triples:,} triples)"
    return (f"wikikg: {verb} {len(todo):,} of {graphs(len(todo) + len(skipped))} ({triples:,} triples); "
            f"the other {len(skipped):,} by the stopped load")


def listed(steps: list[Step]) -> str:
    names = ", ".join(f"<{s.graph}>" for s in steps[:LIST_AT_MOST])
    return names + (f" and {len(steps) - LIST_AT_MOST:,} more" if len(steps) > LIST_AT_MOST else "")


def graphs(n: int) -> str:
    return f"{n:,} graph" + ("" if n == 1 else "s")


def say(args: argparse.Namespace, line: str) -> None:
    if not args.quiet:
        print(line, file=sys.stderr)
