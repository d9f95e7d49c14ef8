"""The review report: every entity with its decision, as CSV (for a spreadsheet or OpenRefine) and as
Markdown (to read): matched, ambiguous with their candidates, unmatched with the reason."""

from __future__ import annotations

import csv
import io
from collections import Counter

from graph.wikidata.reconcile.model import AMBIGUOUS, MATCHED, NOT_CHECKED, UNMATCHED, Decision
from graph.wikidata.reconcile.run import Outcome

COLUMNS = ["status", "entity", "label", "roles", "wikidata", "wikidata_label", "score", "method", "features",
           "candidates", "reason"]
ORDER = {MATCHED: 0, AMBIGUOUS: 1, UNMATCHED: 2, NOT_CHECKED: 3}


def rows(outcome: Outcome) -> list[dict[str, str]]:
    out = []
    for d in sorted(outcome.decisions, key=lambda d: (ORDER.get(d.status, 3), d.subject.iri)):
        chosen = next((c for c in d.candidates if c.qid == d.qid), None)
        out.append({
            "status": d.status, "entity": d.subject.iri, "label": d.subject.label, "roles": " ".join(d.subject.roles),
            "wikidata": d.qid or "", "wikidata_label": chosen.label if chosen else "",
            "score": f"{d.score:.2f}" if d.score else "", "method": d.method, "features": "; ".join(d.features),
            "candidates": "; ".join(_candidate(c) for c in shown_candidates(d)),
            "reason": d.reason})
    return out


def shown_candidates(d: Decision) -> list:
    """The best few still standing, then the best few excluded: why an item that looks right is not."""
    others = [c for c in d.candidates if c.qid != d.qid]
    return [c for c in others if c.excluded is None][:8] + [c for c in others if c.excluded][:5]


def _candidate(c) -> str:
    text = f"{c.qid}"
    if c.label:
        text += f" {c.label}"
    return text + (f" (excluded: {c.excluded})" if c.excluded else f" ({c.score:.2f})")


def to_csv(outcome: Outcome) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(outcome))
    return buffer.getvalue()


def to_markdown(outcome: Outcome) -> str:
    table = rows(outcome)
    counts = Counter(r["status"] for r in table)
    lines = [f"# Reconciliation against {outcome.backend}", "",
             f"{len(table)} entities: **{counts[MATCHED]} matched**, {counts[AMBIGUOUS]} ambiguous, "
             f"{counts[UNMATCHED]} unmatched ({outcome.seconds:.1f} s).", ""]
    if outcome.errors:
        lines += ["## Backend errors", "", *[f"- {_cell(e)}" for e in sorted(set(outcome.errors))], ""]
    sections = ((MATCHED, "Matched", ["label", "roles", "wikidata", "wikidata_label", "score", "method", "features"]),
                (AMBIGUOUS, "Ambiguous: choose one", ["label", "roles", "candidates", "reason"]),
                (UNMATCHED, "Unmatched", ["label", "roles", "reason", "candidates"]))
    for status, title, columns in sections:
        chosen = [r for r in table if r["status"] == status]
        if not chosen:
            continue
        lines += [f"## {title} ({len(chosen)})", "", "| " + " | ".join(columns) + " |",
                  "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(_cell(r[c]) for c in columns) + " |" for r in chosen]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary(outcome: Outcome) -> str:
    not_checked = outcome.count(NOT_CHECKED)
    return (f"{len(outcome.decisions):,} entities: {outcome.matched:,} matched, {outcome.count(AMBIGUOUS):,} "
            f"ambiguous, {outcome.count(UNMATCHED):,} unmatched"
            + (f", {not_checked:,} not checked (the backend failed)" if not_checked else "")
            + f" in {outcome.seconds:.1f} s ({outcome.backend})")


def decision_counts(decisions: list[Decision]) -> Counter[str]:
    return Counter(d.status for d in decisions)
