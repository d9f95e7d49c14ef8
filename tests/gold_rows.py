"""Golden query results checked against the shared gold: the scorer of the acceptance material, run on the rows of
a golden ``.srj`` file instead of a graph, names every row that disagrees with what a careful reader took from the
article. A golden file written from the tool's output can then never bless a wrong row unnoticed."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType

from .conftest import QUERIES, shared_path

Rows = Callable[[str], list[dict]]


@cache
def scorer() -> ModuleType:
    """``shared/tools/score_gold.py`` as a module (its matching rules are the acceptance rules)."""
    path = shared_path("tools", "score_gold.py")
    spec = importlib.util.spec_from_file_location("score_gold", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def srj_rows(folder: Path) -> Rows:
    """Rows of the golden files in ``folder`` as the scorer reads a query's rows (variable → value)."""
    def rows(name: str) -> list[dict]:
        path = folder / f"{name}.srj"
        data = json.loads(path.read_text(encoding="utf-8"))
        return [{v: b[v]["value"] if v in b else None for v in data["head"]["vars"]}
                for b in data["results"]["bindings"]]
    return rows


def disagreements(gold: dict, rows: Rows) -> list[str]:
    """Every way the rows differ from the gold: a fact kind whose counts differ, a gold event or work found
    with the wrong date, year, ISBN or author, one not found, and every row the gold calls junk."""
    sg = scorer()
    real_run_query = sg.run_query
    sg.run_query = lambda _store, _qdir, name: (rows(name), None)
    try:
        table = sg.score(gold, None, QUERIES).table()
    finally:
        sg.run_query = real_run_query
    found = [f"{kind}: {v['tp']} of {v['gold']} gold facts, {v['found']} rows" for kind, v in table.items()
             if kind not in ("overall", "events", "works") and not v["tp"] == v["gold"] == v["found"]]
    return found + event_disagreements(gold, rows) + work_disagreements(gold, rows)


def event_disagreements(gold: dict, rows: Rows) -> list[str]:
    sg = scorer()
    if not gold.get("events") and not gold.get("not_events"):
        return []
    events: dict[str, dict] = {}
    for r in rows("events"):
        e = events.setdefault(r["event"], {"labels": set(), "starts": set(), "ends": set(), "places": set(),
                                           "shown": set()})
        e["labels"].add(r.get("eventLabel") or "")
        e["starts"].add(sg.iso_date(r.get("start")))
        e["ends"].add(sg.iso_date(r.get("end")))
        e["places"] |= sg.names_of(r, "place", "placeLabel")
        e["shown"] |= {r["placeLabel"]} if r.get("placeLabel") else set()
    out = []
    for g in gold.get("events", []):
        candidates = [e for e in events.values() if any(sg.contains_any(x, g["keywords"]) for x in e["labels"])]
        gold_text = f"{g['date']}" + (f" → {g['end']}" if g.get("end") else "") + \
            (f" at {g['place'][0]}" if g.get("place") else "")

        def right(e: dict, g: dict = g) -> bool:
            return (any(s.startswith(sg.iso_date(g["date"])) for s in e["starts"])
                    and (not g.get("end") or any(s.startswith(sg.iso_date(g["end"])) for s in e["ends"]))
                    and (not g.get("place") or sg.name_match(g["place"], e["places"])))

        if not candidates:
            out.append(f"event not found: {g['keywords'][0]} (gold {gold_text})")
        elif not any(right(e) for e in candidates):
            ours = "; ".join(sorted(f"{'/'.join(sorted(e['starts']))} → {'/'.join(sorted(e['ends']))}"
                                    + (f" at {'/'.join(sorted(e['shown']))}" if e["shown"] else "")
                                    for e in candidates))
            out.append(f"event wrong: {g['keywords'][0]} (gold {gold_text}; ours {ours})")
    for e in events.values():
        for label in sorted(e["labels"]):
            if sg.contains_any(label, gold.get("not_events") or []):
                out.append(f"event junk: {label[:40]}")
    return out


def work_disagreements(gold: dict, rows: Rows) -> list[str]:
    sg = scorer()
    if not gold.get("works") and not gold.get("not_works"):
        return []
    works: dict[str, dict] = {}
    for r in rows("sources"):
        works.setdefault(r.get("source") or str(id(r)), r)
    out = []
    for g in gold.get("works", []):
        candidates = [w for w in works.values() if sg.contains_any(w.get("sourceTitle"), g["keywords"])]

        def right(w: dict, g: dict = g) -> bool:
            return ((not g.get("year") or str(w.get("year") or "").startswith(str(g["year"])))
                    and (not g.get("isbn") or sg.isbn_core(g["isbn"]) == sg.isbn_core(str(w.get("isbn") or "")))
                    and (not g.get("authors") or sg.contains_any(w.get("author"), g["authors"])))

        good = [w for w in candidates if right(w)]
        gold_text = ", ".join(str(g[k]) for k in ("year", "isbn") if g.get(k)) + \
            (f", by {'/'.join(g['authors'])}" if g.get("authors") else "")
        if not candidates:
            out.append(f"work not found: {g['keywords'][0]} ({gold_text})")
        elif not good:
            ours = "; ".join(sorted(f"{w.get('year')}, {w.get('isbn')}, {w.get('author')}" for w in candidates))
            out.append(f"work wrong: {g['keywords'][0]} (gold {gold_text}; ours {ours})")
        for w in candidates if good else []:
            if w is not good[0]:
                out.append(f"work duplicate: {g['keywords'][0]}: {str(w.get('sourceTitle'))[:40]} ({w.get('year')})")
    for w in works.values():
        if sg.contains_any(w.get("sourceTitle"), gold.get("not_works") or []):
            out.append(f"work junk: {str(w.get('sourceTitle'))[:40]}")
    return out
