"""Acceptance: the shared gold scorer on every gold file, through the real CLI and pyoxigraph.

A ratchet (`tests/gold_floors.json`): each gold file and each of its fact kinds is held to its recorded floor
(a measured score, never lowered); a file or kind without a floor is held to the target. Every run reports the
distance to the target in the terminal summary. `WIKIKG_RAISE_FLOORS=1` raises floors to today's scores.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.cli.main import main

from .conftest import QUERIES, ROOT, SHARED, shared_path

FLOORS_FILE = Path(__file__).with_name("gold_floors.json")
RATCHET = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
TARGET_OVERALL = RATCHET["target"]["overall"]
TARGET_KIND = RATCHET["target"]["kind"]
# Scores are recorded rounded down to three decimals; a score equal to its floor must pass.
TOLERANCE = 0.0005

# name -> (overall F1, {kind: F1}) of this run, for the terminal summary and for raising floors.
MEASURED: dict[str, tuple[float, dict[str, float]]] = {}


def gold_files() -> list[str]:
    folder = SHARED / "gold"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.exists() else ["(no shared/gold)"]


def test_every_gold_file_is_scored():
    """The gold files themselves: none under CI means the acceptance material is missing (a failure there)."""
    assert list(shared_path("gold").glob("*.json")), "no gold file in shared/gold"


def source_for(name: str):
    for folder in (ROOT / "seeds", SHARED / "seeds", SHARED / "fixtures"):
        candidate = folder / f"{name}.wiki"
        if candidate.exists():
            return candidate
    return shared_path("fixtures", f"{name}.wiki")  # skips, or fails under CI, naming the missing article


def floors_for(name: str) -> tuple[float, dict[str, float]]:
    """The floors of one gold file: a file with none is held to the target."""
    entry = RATCHET["floors"].get(name, {})
    return entry.get("overall", TARGET_OVERALL), entry.get("kinds", {})


def score(name: str, tmp_path) -> dict:
    gold = shared_path("gold", f"{name}.json")
    out = tmp_path / f"{name}.ttl"
    assert main(["build", str(source_for(name)), "-o", str(out), "-q"]) == 0
    scorer = shared_path("tools", "score_gold.py")
    run = subprocess.run([sys.executable, str(scorer), str(gold), str(out), str(QUERIES), "--json"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert not [n for n in report["notes"] if "failed" in n or "missing" in n], report["notes"]
    return report["table"]


@pytest.mark.parametrize("name", gold_files())
def test_gold_scores(name, tmp_path):
    table = score(name, tmp_path)
    overall = table["overall"]["f1"]
    kinds = {k: v["f1"] for k, v in table.items() if k != "overall"}
    MEASURED[name] = (overall, kinds)
    floor_overall, kind_floors = floors_for(name)
    dropped = [f"overall {overall:.3f} < floor {floor_overall:.3f}"] if overall + TOLERANCE < floor_overall else []
    dropped += [f"{kind} {f1:.3f} < floor {kind_floors.get(kind, TARGET_KIND):.3f}"
                for kind, f1 in sorted(kinds.items()) if f1 + TOLERANCE < kind_floors.get(kind, TARGET_KIND)]
    assert not dropped, f"{name} dropped below its ratchet ({FLOORS_FILE.name}): " + "; ".join(dropped)


def distance_report() -> list[str]:
    """One line per gold file: its overall score and how far it and its weak kinds are from the target."""
    lines = []
    for name, (overall, kinds) in sorted(MEASURED.items()):
        short = {k: f1 for k, f1 in kinds.items() if f1 < TARGET_KIND}
        gap = max(0.0, TARGET_OVERALL - overall)
        weak = ", ".join(f"{k} {f1:.3f} (-{TARGET_KIND - f1:.3f})" for k, f1 in sorted(short.items()))
        lines.append(f"{name}: {overall:.3f}" + (f" (-{gap:.3f} to {TARGET_OVERALL})" if gap else " (at target)")
                     + (f"; kinds below {TARGET_KIND}: {weak}" if weak else ""))
    return lines


def raise_floors() -> list[str]:
    """Raise each recorded floor to this run's score where it is higher; never lower one."""
    raised = []
    for name, (overall, kinds) in MEASURED.items():
        entry = RATCHET["floors"].setdefault(name, {"overall": 0.0, "kinds": {}})
        measured = {"overall": overall, **{f"kinds.{k}": v for k, v in kinds.items()}}
        for key, value in measured.items():
            value = math.floor(value * 1000 + 1e-9) / 1000
            holder, field = (entry["kinds"], key[6:]) if key.startswith("kinds.") else (entry, key)
            if value > holder.get(field, -1.0):
                raised.append(f"{name} {key}: {holder.get(field, '-')} -> {value}")
                holder[field] = value
    if raised:
        FLOORS_FILE.write_text(json.dumps(RATCHET, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return raised


def terminal_summary(terminalreporter) -> None:
    """Called from conftest: the distance to the target, and raised floors when asked."""
    if not MEASURED:
        return
    terminalreporter.section("gold: distance to the target")
    for line in distance_report():
        terminalreporter.write_line(line)
    if os.environ.get("WIKIKG_RAISE_FLOORS"):
        for line in raise_floors() or ["no floor to raise"]:
            terminalreporter.write_line(f"raised: {line}")


def test_a_gold_file_without_a_floor_is_held_to_the_target():
    assert floors_for("a gold file added tomorrow") == (TARGET_OVERALL, {})
    assert all(0.0 <= entry["overall"] <= 1.0 for entry in RATCHET["floors"].values())
