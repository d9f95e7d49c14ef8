"""QuickStatements V1 (https://www.wikidata.org/wiki/Help:QuickStatements): one statement a line, tab-separated
``ITEM  PROPERTY  VALUE  [QUALIFIER VALUE]…  [SOURCE VALUE]…``, sources written with ``S`` instead of ``P``.
All the ``S`` pairs of a line make one reference; a statement with two references is written twice (QuickStatements
merges the statement and adds the second reference). The tool writes these lines; a person runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.wikidata.statements import PRECISION_DAY, PRECISION_MONTH, Time, Value, figure_text


@dataclass(frozen=True)
class QuickStatement:
    item: str
    prop: str
    value: str                                         # already in V1 syntax (see the format_* functions)
    qualifiers: tuple[tuple[str, str], ...] = ()
    references: tuple[tuple[tuple[str, str], ...], ...] = field(default=())  # each: (("S143", "Q328"), …)

    def lines(self) -> list[str]:
        head = [self.item, self.prop, self.value]
        for pid, value in self.qualifiers:
            head += [pid, value]
        if not self.references:
            return ["\t".join(head)]
        return ["\t".join(head + [part for pair in reference for part in pair]) for reference in self.references]


def format_item(qid: str) -> str:
    return qid


def format_time(time: Time) -> str:
    """``+1988-02-20T00:00:00Z/11``: unknown month and day are 00, as Wikidata writes year precision."""
    month = time.month if time.precision >= PRECISION_MONTH else 0
    day = time.day if time.precision >= PRECISION_DAY else 0
    sign = "-" if time.year < 0 else "+"
    return f"{sign}{abs(time.year):04d}-{month:02d}-{day:02d}T00:00:00Z/{time.precision}"


def format_quantity(low: float, high: float) -> str:
    """A range as V1 can write it: the middle with a symmetric tolerance (5856–6000 → ``5928~72``, which
    Wikidata stores as lower bound 5856, upper bound 6000); a single number as it is."""
    if low == high:
        return _number(low)
    return f"{_number((low + high) / 2)}~{_number((high - low) / 2)}"


def format_string(text: str) -> str:
    """A quoted string: V1 has no escapes, so tabs and line breaks become spaces and double quotes single."""
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


def format_value(value: Value) -> str:
    if value.item:
        return format_item(value.item)
    if value.time:
        return format_time(value.time)
    if value.low is not None:
        return format_quantity(value.low, value.high if value.high is not None else value.low)
    return format_string(value.text or "")


def _number(x: float) -> str:
    return figure_text(x, None)


def write_quickstatements(statements: list[QuickStatement]) -> str:
    return "".join(line + "\n" for statement in statements for line in statement.lines())
