"""``--param NAME=VALUE``: a query's variable fixed to a value, safely (never pasted into the query's text).

Two ways, chosen per parameter:

- a written-out IRI (``<https://…>`` or ``https://…``) or a number is bound through a ``VALUES`` clause added
  at the end: the engine (or the endpoint) fixes it before it runs, and the value is escaped as an RDF term;
- on a result column, text and short names (``zh/阿塞拜疆``, as the table prints IRIs), and any value of a
  column the query computes (``(COALESCE(…) AS ?commanderLabel)``: ``VALUES`` cannot bind those, the engine
  refuses the query), keep the rows whose column has that value. Text matches whatever its language tag or
  datatype: ``kind=equipment`` keeps ``"equipment"@en``, as people mean it; a short name matches its IRI.
- on a variable that is not a column (ASK, CONSTRUCT, a pattern variable), everything goes through ``VALUES``:
  text as a plain string, a short name as its IRI.

A name the query does not have is an error that lists the ones it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import UsageError
from graph.query.text import result_columns, variables
from graph.rdf.iri import RESOURCE

SHORT_NAME = re.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})*/\S.*")  # zh/阿塞拜疆, en/Battle_of_X: a table's short form
NUMBER = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: SPARQL reads no other digit as a number


@dataclass(frozen=True)
class Param:
    name: str
    value: str

    @property
    def iri(self) -> str | None:
        """The IRI the value names (``<…>``, ``https://…``, or a table's short ``zh/…`` name), else None."""
        value = self.value
        if value.startswith("<") and value.endswith(">"):
            iri = value[1:-1]
        elif re.match(r"^https?://\S+$", value):
            iri = value
        elif SHORT_NAME.fullmatch(value):
            iri = RESOURCE + value.replace(" ", "_")
        else:
            return None
        if re.search(r'[\s<>"{}|^`\\]', iri):
            raise UsageError(f"--param {self.name}={value}: not a valid IRI")
        return iri

    @property
    def exact(self) -> bool:
        """A written-out IRI or a number: one RDF term, bound through VALUES. Text and short names are matched
        on the rows instead (``km/h`` may be text or the short name of an IRI: either matches there)."""
        return bool(re.match(r"^(<.*>|https?://\S+)$", self.value) or NUMBER.fullmatch(self.value))

    def sparql_term(self) -> str:
        iri = self.iri
        if iri is not None:
            return f"<{iri}>"
        if NUMBER.fullmatch(self.value):
            return self.value
        return str(ox.Literal(self.value))  # quoted and escaped by the RDF library, not by hand

    def matches(self, term) -> bool:
        """Whether a result's term (graph.query.engine.Term) is this value: text whatever its tag."""
        if term is None:
            return False
        iri = self.iri
        if iri is not None and term.kind == "uri":
            return term.value == iri
        if NUMBER.fullmatch(self.value) and term.kind == "literal" and NUMBER.fullmatch(term.value):
            return int(term.value) == int(self.value)
        return term.kind == "literal" and term.value == self.value


def parse_param(text: str) -> tuple[str, str]:
    """``side=1`` → ("side", "1"); a ``"quoted value"`` loses its quotes (the shell kept them)."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):  # a byte the shell passed that is not UTF-8
        raise UsageError(f"--param {text.encode('utf-8', 'surrogateescape')!r}: not UTF-8 text")
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise UsageError(f"--param {text!r}: expected NAME=VALUE, e.g. --param side=1")
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]  # --param 'commanderLabel="Rahim Gaziyev"': the quotes are the shell's habit
    return name, value


def parse_params(texts: Iterable[str]) -> list[Param]:
    params = [Param(*parse_param(t)) for t in texts]
    names = [p.name for p in params]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UsageError(f"--param {', '.join(repeated)}: given more than once; bind each name once")
    return params


@dataclass(frozen=True)
class Binding:
    """How a query's parameters are applied: ``query`` (with its VALUES) to run, ``filters`` on the rows."""

    query: str
    filters: tuple[Param, ...] = ()

    def keep(self, rows: list[dict]) -> list[dict]:
        return [row for row in rows if all(p.matches(row.get(p.name)) for p in self.filters)]


def bind(query_text: str, texts: Iterable[str], source: str = "the query") -> Binding:
    """The query with its parameters applied as the module docstring says; an unknown name is a usage error."""
    params = parse_params(texts)
    if not params:
        return Binding(query_text)
    columns = result_columns(query_text)
    known = set(variables(query_text))
    for p in params:
        if p.name not in known:
            shown = columns.names or tuple(variables(query_text))
            listed = ", ".join(shown) if shown else "none"
            raise UsageError(f"--param {p.name}: {source} has no ?{p.name}; its parameters: {listed}")
    filters = tuple(p for p in params if p.name in columns.computed
                    or (p.name in columns.names and not p.exact))
    bound = [p for p in params if p not in filters]
    if not bound:
        return Binding(query_text, filters)
    names = " ".join(f"?{p.name}" for p in bound)
    values = " ".join(p.sparql_term() for p in bound)
    return Binding(f"{query_text.rstrip()}\nVALUES ({names}) {{ ({values}) }}\n", filters)

