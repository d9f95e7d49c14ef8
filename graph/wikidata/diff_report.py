"""The review report of wikidata-diff: CSV (a spreadsheet, OpenRefine) and Markdown (a talk page, an issue)."""

from __future__ import annotations

import csv
import io

from graph.wikidata.diff import DiffResult, DiffRow

COLUMNS = ("conflict", "item", "fact", "property", "ours", "wikidata", "status", "source", "note")


def _cells(row: DiffRow) -> list[str]:
    return [row.conflict, row.item, row.fact, row.prop, row.ours, row.wikidata, row.status, row.source, row.note]


def to_csv(result: DiffResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_cells(row) for row in result.rows)
    return out.getvalue()


def to_markdown(result: DiffResult) -> str:
    lines = ["# What the article says and Wikidata", ""]
    counts = ", ".join(f"{result.count(s)} {s}" for s in ("missing", "differs", "same", "skipped"))
    lines += [f"{len(result.rows)} facts: {counts}; {len(result.statements)} statements to review in QuickStatements.",
              ""]
    if result.not_reconciled:
        lines += [f"Not compared (no QID): {', '.join(result.not_reconciled)}.", ""]
    if result.not_found:
        lines += [f"Not found in the Wikidata source: {', '.join(result.not_found)}.", ""]
    lines += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_escape(c) for c in _cells(row)) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
