"""``wikikg``: parse argv, dispatch to the subcommand's module, turn errors into exit statuses."""

from __future__ import annotations

import argparse
import sys

from graph import __version__
from graph.cli import analyze, build, load, query, reconcile, serve, wikidata
from graph.errors import EXIT_STATUS_HELP, UsageError, WikikgError


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):  # no command: a usage error, said on stderr like the others
        parser.print_help(sys.stderr)
        print("wikikg: error: the following arguments are required: COMMAND", file=sys.stderr)
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
        epilog=EXIT_STATUS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"wikikg {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    build.add_parser(sub)
    query.add_parser(sub)
    load.add_parser(sub)
    serve.add_parser(sub)
    analyze.add_parser(sub)
    reconcile.add_parser(sub)
    wikidata.add_parser(sub)
    return parser


if __name__ == "__main__":
    sys.exit(main())
