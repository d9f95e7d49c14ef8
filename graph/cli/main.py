"""``wikikg``: parse argv, dispatch to the subcommand's module, turn errors into exit statuses."""

from __future__ import annotations

import argparse
import atexit
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from graph import __version__
from graph.errors import EXIT_STATUS_HELP, UsageError, WikikgError

# The subcommands, in the order `wikikg --help` lists them, and the module of graph.cli whose add_parser(sub)
# makes each
COMMANDS = {"build": "build", "query": "query", "load": "load", "serve": "serve", "analyze": "analyze",
            "timeline": "timeline", "reconcile": "reconcile", "ontology": "ontology", "wikidata-index": "wikidata",
            "wikidata-diff": "wikidata_diff", "compare": "compare"}


def main(argv: list[str] | None = None, own_process: bool = False) -> int:
    """The command line's work; ``own_process``: this process is the ``wikikg`` command's, which a subcommand may
    fork and end (graph.run.watch), as it may not a library caller's or a test's."""
    parser = make_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.own_process = own_process
    if not hasattr(args, "run"):  # no command: a usage error, said on stderr like the others
        parser.print_help(sys.stderr)
        print("wikikg: error: the following arguments are required: COMMAND", file=sys.stderr)
        return 2
    try:
        with stop_on_termination():
            return args.run(args)
    except UsageError as e:
        print(f"wikikg: {e}", file=sys.stderr)
        return e.exit_status
    except WikikgError as e:
        print(f"wikikg: error: {e}", file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt as e:
        print(f"wikikg: interrupted; {getattr(e, 'kept', 'no output written')}", file=sys.stderr)
        return 130


def command() -> None:
    """The ``wikikg`` command (and ``python -m graph.cli``): ``main()``, then out of the process without tearing
    the interpreter down. A run holds the mappings, vocabularies, compiled patterns and the page's objects: freeing
    them one by one at exit costs a one-article run 10–15% of its time, for memory the system takes back anyway.
    What an exit must do is still done: the atexit handlers run (caches saved, temporary folders removed) and the
    standard streams are flushed. With a thread of ours still going (a server), Python's own exit waits for it."""
    status = main(own_process=True)
    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head`): what it did not read is not ours to report
        status = status or 1
    os._exit(status if isinstance(status, int) else 1)


@contextmanager
def stop_on_termination() -> Iterator[None]:
    """SIGTERM and SIGHUP stop a run as Ctrl-C does: its temporary files are removed and nothing half-written
    stays (a killed shell, a closed terminal, `timeout`, a CI runner's cancel). The handlers before are put back
    afterwards (main() also runs inside notebooks and tests); outside the main thread signals cannot be set."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {sig: signal.signal(sig, interrupt) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def make_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given the arguments of a run that names its command first, only that command's
    parser is made (the others' options, help texts and modules cost a one-article build 5 ms); otherwise —
    ``wikikg --help``, no command, a misspelt one — every command's, so that help and errors list them all."""
    parser = argparse.ArgumentParser(
        prog="wikikg",
        description="Turn Wikipedia articles (wikitext) into a linked-data knowledge graph.",
        epilog=EXIT_STATUS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"wikikg {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    named = argv[0] if argv and argv[0] in COMMANDS else None
    for command in [named] if named else COMMANDS:
        import_module(f"graph.cli.{COMMANDS[command]}").add_parser(sub)
    return parser


if __name__ == "__main__":
    command()
