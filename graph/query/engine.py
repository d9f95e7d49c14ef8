"""Run a SPARQL query on RDF files with the embedded engine, with parameters bound safely.

The embedded engine is Oxigraph's (rdflib's SPARQL is ~14× slower). Rows from any engine —
embedded, a remote endpoint (graph.query.endpoint) — are turned into the same ``Term``s, so a query
prints identically wherever it ran (graph.query.results).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError, UsageError, WikikgError
from graph.query.text import explain_syntax_error

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


WIKITEXT = (".wiki", ".wikitext", ".mediawiki")


def check_data_files(paths: Iterable[str]) -> None:
    """Before any work: wikitext (an article, a dump) given where RDF is read is said as such, with the command
    that builds it, not as "does not parse as Turtle"."""
    for path in paths:
        if Path(path).is_file() and is_wikitext(path):
            stem = Path(path).name.split(".", 1)[0] or "out"
            raise InputError(f"{path}: wikitext, not RDF: build it first: `wikikg build {path} -o {stem}.ttl`, "
                             "then give that")


def is_wikitext(path: str) -> bool:
    from graph.wikitext.dump import is_dump

    if path.lower().endswith(WIKITEXT):
        return True
    if path.lower().endswith(".xml"):  # RDF/XML or a MediaWiki export: its first element says
        with open(path, "rb") as fh:
            head = fh.read(4096)
        return b"<mediawiki" in head or b"<page" in head
    return is_dump(path)


def data_format(path: str) -> ox.RdfFormat:
    """The format a data file's extension says (``.gz`` looked through; RDF/XML as .rdf, .owl or .xml); Turtle
    when it says none."""
    from graph.rdf.serialize import EXTENSIONS, FORMATS

    suffix = Path(path.removesuffix(".gz")).suffix.lower()
    return FORMATS[EXTENSIONS[suffix]] if suffix in EXTENSIONS else ox.RdfFormat.TURTLE


def open_data(path: str):
    import gzip

    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")  # noqa: SIM115 - the caller closes


def load_store(paths: Iterable[str], location: str | None = None) -> ox.Store:
    """The files in one store: in memory, or on disk at ``location`` (which worker processes can share).
    Query it with ``query_store``: its default graph holds every triple once."""
    import gzip

    paths = list(paths)
    check_data_files(paths)
    store = ox.Store(location) if location else ox.Store()
    for path in paths:
        fmt = data_format(path)
        try:
            load_file(store, path, fmt)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (EOFError, gzip.BadGzipFile) as e:
            raise InputError(f"{path}: not a whole gzip file: {e}") from None
        except (SyntaxError, ValueError) as e:
            raise InputError(f"{path}: does not parse as {fmt.name}: {' '.join(str(e).split())}") from None
    return store


def load_file(store: ox.Store, path: str, fmt: ox.RdfFormat) -> None:
    """Add one file. A quad file's triples go both to their named graph (for ``GRAPH`` queries) and to the default
    graph, where a triple that several articles state is held once.

    Why not query the union of the named graphs instead: Oxigraph then gives a solution once per graph holding a
    triple (oxigraph#1919), so an entity shared by k articles multiplies rows, times and counts k-fold per
    pattern."""
    with open_data(path) as fh:
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


@dataclass
class Answer:
    """What a query gives: rows (SELECT), yes or no (ASK), or triples (CONSTRUCT, DESCRIBE)."""

    names: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None


def run_query(store: ox.Store, query_text: str, source: str = "query") -> tuple[list[str], list[Row]]:
    """Run a SELECT query in this process, on a store from ``load_store``. For trusted queries only: the engine
    can crash the process on some queries (see run_query_isolated)."""
    answer = answer_query(store, query_text, source)
    if answer.boolean is not None or answer.triples is not None:
        raise UsageError(f"{source}: only SELECT queries give rows")
    return answer.names, answer.rows


def answer_query(store: ox.Store, query_text: str, source: str = "query") -> Answer:
    """Run any query in this process (trusted queries only, as ``run_query``)."""
    try:
        result = query_store(store, query_text)
    except SyntaxError as e:
        raise InputError(f"{source}: SPARQL syntax error: {explain_syntax_error(query_text, str(e))}") from None
    if isinstance(result, ox.QueryBoolean):
        return Answer(boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        return Answer(triples=list(result))
    names = [v.value for v in result.variables]
    return Answer(names, [{n: term_from_ox(solution[n]) for n in names} for solution in result])


def run_query_isolated(paths: list[str], query_text: str, source: str = "query", timeout: float = 120) -> Answer:
    """Run a query on RDF files in a worker process: a query that crashes the engine, or runs past ``timeout``
    seconds, is a clear error here instead of the end of this process."""
    import json

    from graph.query.guard import QueryLimits, QueryRefused, check_query
    from graph.query.pool import RunLimits, run_isolated

    try:
        check_query(query_text, QueryLimits(max_bytes=2**30, allowed_services=None))
    except QueryRefused as e:
        raise InputError(f"{source}: {e}") from None
    request = {"query": query_text, "format": "json", "graph_format": "application/n-triples", "max_rows": 2**62}
    reply, error = run_isolated(["--files", *paths], request, RunLimits(timeout=timeout))
    if reply is None:
        raise InputError(error or "the query worker did not start")
    message = reply.body.decode("utf-8", "replace").strip()
    if reply.status == 400:
        syntax = "SPARQL syntax error: "
        if message.startswith(syntax):
            message = syntax + explain_syntax_error(query_text, message[len(syntax):])
        raise InputError(f"{source}: {message}")
    if reply.status != 200:
        raise QueryFailed(f"{source}: {message}")
    if reply.content_type.startswith("application/n-triples"):  # CONSTRUCT, DESCRIBE
        return Answer(triples=[q.triple for q in ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES)])
    answer = json.loads(reply.body)
    if "boolean" in answer:
        return Answer(boolean=bool(answer["boolean"]))
    return Answer(*rows_from_json(answer))


class QueryFailed(WikikgError):
    """The engine crashed on the query, or it ran past its time limit."""

    exit_status = 1
