"""Run a SPARQL query on RDF files with the embedded engine, with parameters bound safely.

The embedded engine is Oxigraph's (rdflib's SPARQL is ~14× slower). Rows from any engine —
embedded, a remote endpoint (graph.query.endpoint) — are turned into the same ``Term``s, so a query
prints identically wherever it ran (graph.query.results).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError, UsageError, WikikgError

XSD = "http://www.w3.org/2001/XMLSchema#"
BARE_DATATYPES = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}


@dataclass(frozen=True)
class Term:
    """One RDF term of a result row, whichever engine produced it."""

    kind: str  # "uri" | "literal" | "bnode"
    value: str
    lang: str | None = None
    datatype: str | None = None  # None for plain strings and language-tagged literals

    def ntriples(self) -> str:
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        if self.datatype in BARE_DATATYPES and re.fullmatch(r"[+-]?[\w.]+", self.value):
            return self.value
        quoted = str(ox.Literal(self.value))
        if self.lang:
            return f"{quoted}@{self.lang}"
        return f"{quoted}^^<{self.datatype}>" if self.datatype else quoted


Row = dict[str, Term | None]


def term_from_ox(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    datatype = term.datatype.value if term.datatype else None
    if term.language or datatype in (XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"):
        datatype = None
    return Term("literal", term.value, term.language or None, datatype)


def rows_from_json(answer: dict) -> tuple[list[str], list[Row]]:
    """The variables and rows of SPARQL 1.1 JSON results."""
    names = answer["head"].get("vars", [])
    return names, [{n: term_from_json(b[n]) if n in b else None for n in names} for b in answer["results"]["bindings"]]


def term_from_json(binding: dict) -> Term:
    kind = {"typed-literal": "literal"}.get(binding["type"], binding["type"])
    datatype = binding.get("datatype")
    if datatype == XSD + "string":
        datatype = None
    return Term(kind, binding["value"], binding.get("xml:lang"), datatype)


QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


def load_store(paths: Iterable[str], location: str | None = None) -> ox.Store:
    """The files in one store: in memory, or on disk at ``location`` (which worker processes can share).
    Query it with ``query_store``: its default graph holds every triple once."""
    store = ox.Store(location) if location else ox.Store()
    for path in paths:
        fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        try:
            load_file(store, path, fmt)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (SyntaxError, ValueError) as e:
            raise InputError(f"{path}: does not parse as {fmt.name}: {e}") from None
    return store


def load_file(store: ox.Store, path: str, fmt: ox.RdfFormat) -> None:
    """Add one file. A quad file's triples go both to their named graph (for ``GRAPH`` queries) and to the default
    graph, where a triple that several articles state is held once.

    Why not query the union of the named graphs instead: Oxigraph then gives a solution once per graph holding a
    triple (oxigraph#1919), so an entity shared by k articles multiplies rows, times and counts k-fold per
    pattern."""
    with open(path, "rb") as fh:
        if fmt in QUAD_FORMATS:
            store.bulk_extend(with_default_copies(ox.parse(fh, format=fmt)))
        else:
            store.bulk_load(fh, format=fmt)


def with_default_copies(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    for quad in quads:
        yield quad
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())


def query_store(store: ox.Store, query_text: str):
    """Run a query over the default graph of a store that ``load_store`` filled: every triple once."""
    return store.query(query_text)


def run_query(store: ox.Store, query_text: str, source: str = "query") -> tuple[list[str], list[Row]]:
    """Run a SELECT query in this process, on a store from ``load_store``. For trusted queries only: the engine
    can crash the process on some queries (see run_query_isolated)."""
    try:
        result = query_store(store, query_text)
    except SyntaxError as e:
        raise InputError(f"{source}: SPARQL syntax error: {e}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError(f"{source}: only SELECT queries print rows")
    names = [v.value for v in result.variables]
    return names, [{n: term_from_ox(solution[n]) for n in names} for solution in result]


def run_query_isolated(paths: list[str], query_text: str, source: str = "query", timeout: float = 120
                       ) -> tuple[list[str], list[Row]]:
    """Run a SELECT query on RDF files in a worker process: a query that crashes the engine, or runs past
    ``timeout`` seconds, is a clear error here instead of the end of this process."""
    import json

    from graph.query.guard import QueryLimits, QueryRefused, check_query
    from graph.query.pool import RunLimits, run_isolated

    try:
        check_query(query_text, QueryLimits(max_bytes=2**30, allowed_services=None))
    except QueryRefused as e:
        raise InputError(f"{source}: {e}") from None
    reply, error = run_isolated(["--files", *paths], {"query": query_text, "format": "json", "max_rows": 2**62},
                                RunLimits(timeout=timeout))
    if reply is None:
        raise InputError(error or "the query worker did not start")
    message = reply.body.decode("utf-8", "replace").strip()
    if reply.status == 400:
        raise InputError(f"{source}: {message}")
    if reply.status != 200:
        raise QueryFailed(f"{source}: {message}")
    answer = json.loads(reply.body)
    if "results" not in answer:
        raise UsageError(f"{source}: only SELECT queries print rows")
    return rows_from_json(answer)


class QueryFailed(WikikgError):
    """The engine crashed on the query, or it ran past its time limit."""

    exit_status = 1


# --- parameters: bound safely through a VALUES clause, never by pasting text ---


def parse_param(text: str) -> tuple[str, str]:
    """``side=1`` → ("side", "1"); ``party=<https://…>`` → an IRI; anything else a plain literal."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):  # a byte the shell passed that is not UTF-8
        raise UsageError(f"--param {text.encode('utf-8', 'surrogateescape')!r}: not UTF-8 text")
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise UsageError(f"--param {text!r}: expected NAME=VALUE, e.g. --param side=1")
    return name, value


def sparql_term(value: str) -> str:
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif re.match(r"^https?://\S+$", value):
        iri = value
    else:
        iri = None
    if iri is not None:
        if re.search(r'[\s<>"{}|^`\\]', iri):
            raise UsageError(f"--param: {value!r} is not a valid IRI")
        return f"<{iri}>"
    if re.fullmatch(r"[+-]?[0-9]+", value):  # ASCII digits only: SPARQL reads no other digit as a number
        return value
    return str(ox.Literal(value))  # quoted and escaped by the RDF library, not by hand


def bind_params(query_text: str, params: list[str]) -> str:
    """Append ``VALUES (?a ?b) { (… …) }``: the query's variables are bound, its text untouched."""
    if not params:
        return query_text
    pairs = [parse_param(p) for p in params]
    repeated = sorted({n for n, _ in pairs if [m for m, _ in pairs].count(n) > 1})
    if repeated:
        raise UsageError(f"--param {', '.join(repeated)}: given more than once; bind each name once")
    names = " ".join(f"?{n}" for n, _ in pairs)
    values = " ".join(sparql_term(v) for _, v in pairs)
    return f"{query_text.rstrip()}\nVALUES ({names}) {{ ({values}) }}\n"


# --- output ---
