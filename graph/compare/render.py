"""The comparison written out: a terminal table, CSV, Markdown, a self-contained HTML page, and the alignment as
``skos:exactMatch`` links in Turtle."""

from __future__ import annotations

import csv
import html
import io

import pyoxigraph as ox

from graph.compare.table import Alignment, Row
from graph.query.results import display_width, pad

SKOS_EXACT_MATCH = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
WD = "http://www.wikidata.org/entity/"


def header(names: list[str]) -> list[str]:
    return ["conflict", "kind", "fact", *(f"{n}{part}" for n in names for part in ("", " source")), "status",
            "ranges overlap"]


def cells(row: Row) -> list[str]:
    out = [row.conflict, row.kind, row.fact]
    for cell in row.cells:
        out += [cell.text, "; ".join(cell.sources)] if cell else ["", ""]
    return out + [row.status, row.overlap]


def to_terminal(rows: list[Row], names: list[str], max_width: int = 36) -> str:
    """Kind, fact, each edition's value, status: sources are in the CSV, Markdown and HTML."""
    head = ["kind", "fact", *names, "status", "overlap"]
    body = [[r.kind, r.fact, *(c.text if c else "—" for c in r.cells), r.status, r.overlap] for r in rows]
    body = [[" ".join(c.split())[:max_width] for c in line] for line in body]
    widths = [max([display_width(h)] + [display_width(line[i]) for line in body]) for i, h in enumerate(head)]
    lines = [" | ".join(pad(h, w) for h, w in zip(head, widths, strict=True)), "-+-".join("-" * w for w in widths)]
    conflict = None
    for row, line in zip(rows, body, strict=True):
        if row.conflict != conflict:
            conflict = row.conflict
            lines.append(f"== {conflict}")
        lines.append(" | ".join(pad(c, w) for c, w in zip(line, widths, strict=True)))
    return "\n".join(lines) + "\n"


def to_csv(rows: list[Row], names: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(names))
    writer.writerows(cells(row) for row in rows)
    return out.getvalue()


def to_markdown(rows: list[Row], names: list[str]) -> str:
    head = header(names)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md(c) for c in cells(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def to_html(rows: list[Row], names: list[str], title: str = "wikikg compare") -> str:
    """One page, no script, no external file: each status coloured, each source under its value."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ["kind", "fact", *names, "status", "ranges overlap"])
    body = []
    for row in rows:
        tds = [html.escape(row.kind), html.escape(row.fact)]
        for cell in row.cells:
            tds.append("—" if cell is None else html.escape(cell.text)
                       + "".join(f'<div class="src">{html.escape(s)}</div>' for s in cell.sources))
        tds += [html.escape(row.status), html.escape(row.overlap)]
        status = row.status.split(" ")[0]
        body.append(f'<tr class="{status}"><td>' + "</td><td>".join(tds) + "</td></tr>")
    conflicts = sorted({r.conflict for r in rows})
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>\n"
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            "padding:3px 6px;vertical-align:top}.same{background:#eef8ee}.differs{background:#fdeaea}"
            ".only{background:#fff6dd}.src{font-size:smaller;color:#555}</style></head><body>\n"
            f"<h1>{html.escape(', '.join(conflicts))}</h1>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table>\n"
            "</body></html>\n")


def alignment_triples(alignments: list[Alignment]) -> list[ox.Triple]:
    """``skos:exactMatch`` between the IRIs editions use for one thing, and to its Wikidata item when the key is
    a QID. Revisions of one article share their IRIs: only their Wikidata links, if any, are written."""
    triples = set()
    for a in alignments:
        iris = sorted(set(a.iris))
        for i, first in enumerate(iris):
            for other in iris[i + 1:]:
                triples.add(ox.Triple(ox.NamedNode(first), SKOS_EXACT_MATCH, ox.NamedNode(other)))
            if a.key.startswith("Q") and a.key[1:].isdigit():
                triples.add(ox.Triple(ox.NamedNode(first), SKOS_EXACT_MATCH, ox.NamedNode(WD + a.key)))
    return sorted(triples, key=str)
