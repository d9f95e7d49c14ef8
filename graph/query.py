"""Query stage: run a named SPARQL query on Turtle files with pyoxigraph, print the rows.

rdflib's SPARQL engine is ~14× slower, so the embedded engine is Oxigraph's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, UsageError

RESULT_FORMATS = ("table", "csv", "tsv", "json")


def load_store(paths: Iterable[str]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        try:
            with open(path, "rb") as fh:
                store.bulk_load(fh, format=fmt)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (SyntaxError, ValueError) as e:
            raise InputError(f"{path}: does not parse as {fmt.name}: {e}") from None
    return store


def run_query(store: ox.Store, query_text: str, source: str = "query") -> tuple[list[str], list[dict]]:
    try:
        result = store.query(query_text, use_default_graph_as_union=True)  # N-Quads: all articles
    except SyntaxError as e:
        raise InputError(f"{source}: SPARQL syntax error: {e}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError(f"{source}: only SELECT queries print rows")
    names = [v.value for v in result.variables]
    rows = [{n: solution[n] for n in names} for solution in result]
    return names, rows


def term_text(term) -> str:
    if term is None:
        return ""
    return term.value


def format_rows(names: list[str], rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(sparql_json(names, rows), ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([term_text(row[n]) for n in names])
        return buf.getvalue()
    return table(names, rows)


def sparql_json(names: list[str], rows: list[dict]) -> dict:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in rows:
        b = {}
        for n in names:
            t = row[n]
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                b[n] = {"type": "uri", "value": t.value}
            elif isinstance(t, ox.BlankNode):
                b[n] = {"type": "bnode", "value": t.value}
            else:
                entry = {"type": "literal", "value": t.value}
                if t.language:
                    entry["xml:lang"] = t.language
                elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    entry["datatype"] = t.datatype.value
                b[n] = entry
        bindings.append(b)
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def short(term) -> str:
    text = term_text(term)
    if isinstance(term, ox.NamedNode):
        text = text.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if "/resource/" not in text else \
            text.split("/resource/", 1)[1]
    return text


def table(names: list[str], rows: list[dict], max_width: int = 40) -> str:
    cells = [[" ".join(short(row[n]).split())[:max_width] for n in names] for row in rows]
    widths = [max([display_width(n)] + [display_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    lines = [" | ".join(pad(n, w) for n, w in zip(names, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(pad(c, w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
