"""Exceptions with the exit status the CLI gives them (one class, one status)."""

from __future__ import annotations


class WikikgError(Exception):
    exit_status = 1


class InputError(WikikgError):
    """The input cannot be read as wikitext (missing, not UTF-8, empty, binary)."""

    exit_status = 1


class ValidationError(WikikgError):
    """The output failed a check (strict mode, SHACL)."""

    exit_status = 1


class OutputError(WikikgError):
    """An output cannot be written (its folder cannot be made, it names a folder, the disk is full)."""

    exit_status = 1


class UsageError(WikikgError):
    exit_status = 2


# The exit statuses above, as every subcommand's --help prints them.
EXIT_STATUS_HELP = """exit status:
  0  success
  1  input, output or validation error (unreadable input, an output that cannot be written, a query that
     does not parse, --strict with warnings, a page skipped while the others were written)
  2  usage error (unknown option, missing argument, a number out of range)
  130  interrupted (Ctrl-C, SIGTERM or SIGHUP); no output written (a build into a folder keeps its whole
       shards: the same command with --resume builds the rest)
"""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with what the interrupted command kept (said instead of "no output written")."""

    def __init__(self, kept: str) -> None:
        super().__init__(kept)
        self.kept = kept
