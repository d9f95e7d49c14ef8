"""The reconciler's data files say true things: class QIDs carry the labels they claim (checked against the
real Wikidata sample where it holds them), every class a rule names is declared, and every property ID is
one the sample's claims use."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from graph.data.vocab import load

from .conftest import shared_path


@pytest.fixture(scope="module")
def sample() -> dict[str, dict]:
    entities = {}
    with gzip.open(shared_path("wikidata", "wikidata-sample-all.json.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().rstrip(",")
            if line not in ("[", "]", ""):
                entity = json.loads(line)
                entities[entity["id"]] = entity
    return entities


def test_classes_in_the_sample_have_the_labels_the_data_file_gives(sample):
    classes = load("reconcile")["classes"]
    checked = {q: c["label"] for q, c in classes.items() if c.get("in_sample")}
    assert len(checked) >= 10
    for qid, label in checked.items():
        assert sample[qid]["labels"]["en"]["value"] == label, qid
    for qid in set(classes) - set(checked):  # the others are said not to be in the sample: keep that honest
        assert qid not in sample, f"{qid} is in the sample: mark it in_sample and let the test check it"


def test_every_class_a_rule_names_is_declared_with_a_label():
    data = load("reconcile")
    named = set(data["reject_always"])
    for rule in data["roles"].values():
        named |= set(rule.get("accept", ())) | set(rule.get("reject", ()))
    assert named <= set(data["classes"])
    assert set(data["roles_by_type"].values()) <= set(data["roles"])


def test_property_ids_are_in_one_file_and_used_by_the_sample(sample):
    props = load("wikidata_properties")
    pids = [v["pid"] for group in ("classes", "dates", "coordinates", "identifiers") for v in props[group].values()]
    used = Counter(p for e in sample.values() for p in (e.get("claims") or {}))
    assert all(used[pid] for pid in pids), [p for p in pids if not used[p]]
    assert set(load("reconcile")["identifiers"].values()) <= set(props["identifiers"])
    tsv = shared_path("wikidata", "properties.tsv").read_text(encoding="utf-8")
    assert "P31\tinstance of" in tsv


def test_scores_make_a_name_alone_never_enough():
    data = load("reconcile")
    s = data["scores"]
    assert s["label"] < data["threshold"] and s["alias"] + s["more_languages"] < data["threshold"]
    assert s["label"] + s["type_match"] >= data["threshold"]
    assert s["sitelink"] >= data["same_as_threshold"] and 0 < data["margin"] < 1
