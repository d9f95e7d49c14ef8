"""What a stage says about the input it could not read as it expected: a page, a line, a column, a code.

Printed as ``FILE:LINE:COL: SEVERITY: MESSAGE [code]`` (the form compilers use) or written as JSON Lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_LISTED = 5  # repeats of one diagnostic on a page listed by their positions; more are only counted


@dataclass(frozen=True)
class Diagnostic:
    """One finding about the input: where (file, line, column), how bad, a stable code and the message."""

    file: str
    line: int
    column: int
    severity: str  # "error" | "warning" | "info"
    code: str
    message: str

    def format(self, repeats: Sequence[Diagnostic] = ()) -> str:
        """The line to print; ``repeats``: the same said again on the page, listed at its end or counted."""
        line = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.code}]"
        if not repeats:
            return line
        if len(repeats) <= MAX_LISTED:
            return f"{line} (also at {', '.join(f'{d.line}:{d.column}' for d in repeats)})"
        return f"{line} (and {len(repeats):,} more like this)"


def without_repeats(diagnostics: Iterable[Diagnostic]) -> list[tuple[Diagnostic, list[Diagnostic]]]:
    """Each diagnostic once per page, with the ones that say the same thing again on that page (same severity,
    code and message; the position aside): markup nested 10,000 deep is one line with a count, not 10,000 lines.
    The first occurrence stands for the others, at its place in the order and with its own position. Diagnostics
    whose messages differ are all kept: they say different things (which field, which link)."""
    groups: dict[tuple[str, str, str, str], list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault((d.file, d.severity, d.code, d.message), []).append(d)
    return [(first, rest) for first, *rest in groups.values()]
