"""Rows as people and tools read them: SPARQL 1.1 Query Results CSV, TSV, JSON and XML, or a readable table
(CJK characters count as two columns)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from graph.query.engine import Row, Term

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
# xml.sax.saxutils would do, but its import pulls in urllib, http, email and ssl: 30 ms of every start
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_XML_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
                                "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """Text as XML character data."""
    return text.translate(_XML_TEXT)


def quoteattr(text: str) -> str:
    """Text as a double-quoted XML attribute value."""
    return '"' + text.translate(_XML_ATTRIBUTE) + '"'


def format_rows(names: list[str], rows: list[Row], fmt: str, width: int | None = None) -> str:
    if fmt == "json":
        return json.dumps(results_json(names, rows), ensure_ascii=False, indent=1) + "\n"
    if fmt == "xml":
        return results_xml(names, rows)
    if fmt == "csv":
        return results_csv(names, rows)
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join(row[n].ntriples() if row[n] else "" for n in names) for row in rows]
        return "\n".join(lines) + "\n"
    return table(names, rows, width or TABLE_WIDTH)


def results_csv(names: list[str], rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row[n].value if row[n] else "" for n in names])
    return buf.getvalue()


def results_json(names: list[str], rows: list[Row]) -> dict:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in rows:
        b = {}
        for n in names:
            t = row[n]
            if t is None:
                continue
            entry = {"type": t.kind, "value": t.value}
            if t.lang:
                entry["xml:lang"] = t.lang
            elif t.datatype:
                entry["datatype"] = t.datatype
            b[n] = entry
        bindings.append(b)
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def results_xml(names: list[str], rows: list[Row]) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("<result>")
        for n in names:
            t = row[n]
            if t is None:
                continue
            if t.kind == "uri":
                inner = f"<uri>{escape(t.value)}</uri>"
            elif t.kind == "bnode":
                inner = f"<bnode>{escape(t.value)}</bnode>"
            else:
                attr = f" xml:lang={quoteattr(t.lang)}" if t.lang else (
                    f" datatype={quoteattr(t.datatype)}" if t.datatype else "")
                inner = f"<literal{attr}>{escape(t.value)}</literal>"
            out.append(f"<binding name={quoteattr(n)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def short(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        value = term.value
        return value.split("/resource/", 1)[1] if "/resource/" in value else value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return term.value


TABLE_WIDTH = 40  # display columns per cell in the table; --width changes it


def table(names: list[str], rows: list[Row], max_width: int = TABLE_WIDTH) -> str:
    """Rows as an aligned table; a cell wider than ``max_width`` columns is cut and ends with …."""
    cells = [[cut(" ".join(short(row[n]).split()), max_width) for n in names] for row in rows]
    widths = [max([display_width(n)] + [display_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    lines = [" | ".join(pad(n, w) for n, w in zip(names, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(pad(c, w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def cut(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` display columns, else its start and … in exactly that many or fewer
    (a CJK character takes two)."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def format_boolean(value: bool, fmt: str) -> str:
    """An ASK query's answer: SPARQL 1.1 boolean results in json and xml, else the bare word."""
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n'
                f"<boolean>{word}</boolean>\n</sparql>\n")
    if fmt == "table":
        return ("yes" if value else "no") + "\n"
    return word + "\n"


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
