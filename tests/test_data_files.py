"""The data files of graph/data/ load, and YAML's traps did not turn a word into something else."""

from __future__ import annotations

import pytest
import yaml

from graph.data.vocab import DATA_DIR

FILES = sorted(DATA_DIR.glob("*.yaml")) + sorted((DATA_DIR / "mappings").glob("*.yaml"))


def list_items(value, path=""):
    """Every item of every list (the word lists), wherever it sits."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from list_items(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            if isinstance(inner, dict | list):
                yield from list_items(inner, f"{path}[{i}]")
            else:
                yield f"{path}[{i}]", inner


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_word_became_a_boolean(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # "on", "no", "yes", "off" unquoted are booleans in YAML 1.1: a vocabulary word must stay a word
    assert [p for p, v in list_items(data) if isinstance(v, bool)] == []
