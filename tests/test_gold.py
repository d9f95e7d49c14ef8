"""Acceptance: the shared gold scorer on every gold file, through the real CLI and pyoxigraph."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graph.cli import main

from .conftest import QUERIES, ROOT, SHARED, shared_path

# Thresholds from the exporter issue: overall F1 and the floor for every fact kind.
OVERALL = {"zh_first_nagorno_karabakh_war": 0.95, "en_battle_of_bosworth_field": 0.90}
KIND_FLOOR = 0.85


def gold_files() -> list[str]:
    folder = SHARED / "gold"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.exists() else ["(no shared/gold)"]


def source_for(name: str):
    for folder in (ROOT / "seeds", SHARED / "seeds", SHARED / "fixtures"):
        candidate = folder / f"{name}.wiki"
        if candidate.exists():
            return candidate
    pytest.skip(f"no article for gold file {name}")


@pytest.mark.parametrize("name", gold_files())
def test_gold_scores(name, tmp_path):
    gold = shared_path("gold", f"{name}.json")
    out = tmp_path / f"{name}.ttl"
    assert main(["build", str(source_for(name)), "-o", str(out), "-q"]) == 0
    scorer = shared_path("tools", "score_gold.py")
    run = subprocess.run([sys.executable, str(scorer), str(gold), str(out), str(QUERIES), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    table = report["table"]
    assert not [n for n in report["notes"] if "failed" in n or "missing" in n], report["notes"]
    assert table["overall"]["f1"] >= OVERALL.get(name, 0.90), table
    weak = {k: v["f1"] for k, v in table.items() if k != "overall" and v["f1"] < KIND_FLOOR}
    assert not weak, f"fact kinds below {KIND_FLOOR}: {weak}"
