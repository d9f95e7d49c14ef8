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


def test_the_states_table_read_back_from_the_cache_is_the_one_built(tmp_path, monkeypatch):
    from graph.extract import flags

    monkeypatch.setenv("WIKIKG_CACHE", str(tmp_path))
    flags._index.cache_clear()
    try:
        built = flags._index()  # computed and stored
        [stored] = tmp_path.glob("flags-*.json")
        flags._index.cache_clear()
        assert flags._index_to_json(flags._index()) == flags._index_to_json(built)  # read from the file
        assert flags._index().states["ARM"].labels == built.states["ARM"].labels
        # the Taiwan/Hong Kong names kept with the table are those its labels give, converted now
        assert flags.zh_regional_names() == flags._regional_names(built.states.values())
        assert flags.zh_regional_names()["亚塞拜然"] == "阿塞拜疆"
    finally:
        flags._index.cache_clear()
    assert stored.stat().st_size > 10_000


def test_a_cached_table_follows_its_inputs_and_a_cache_that_cannot_be_written_costs_nothing(tmp_path, monkeypatch):
    from graph.data.cache import cached_json

    source = tmp_path / "table.csv"
    source.write_text("a,1\n")
    monkeypatch.setenv("WIKIKG_CACHE", str(tmp_path / "cache"))
    calls = []

    def compute() -> list:
        calls.append(1)
        return [source.read_text()]

    assert cached_json("t", [source], ["v1"], compute) == ["a,1\n"]
    assert cached_json("t", [source], ["v1"], compute) == ["a,1\n"] and len(calls) == 1  # read back
    source.write_text("a,2\n")
    assert cached_json("t", [source], ["v1"], compute) == ["a,2\n"] and len(calls) == 2  # a changed input: rebuilt
    assert cached_json("t", [source], ["v2"], compute) == ["a,2\n"] and len(calls) == 3  # another library version
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("WIKIKG_CACHE", str(tmp_path / "file" / "cache"))  # a folder that cannot be made
    assert cached_json("t", [source], ["v1"], compute) == ["a,2\n"]
    monkeypatch.setenv("WIKIKG_CACHE", "off")
    assert cached_json("t", [source], ["v1"], compute) == ["a,2\n"] and len(calls) == 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_data_file_read_from_the_cache_is_the_yaml_itself(path, tmp_path, monkeypatch):
    """The JSON kept in the cache reads back to what YAML reads: number keys stay numbers (months), dates stay
    dates (calendars), whether the file was just read or read from the cache."""
    from graph.data.vocab import DATA_DIR, load, read_yaml

    monkeypatch.setenv("WIKIKG_CACHE", str(tmp_path))
    name = str(path.relative_to(DATA_DIR).with_suffix(""))
    expected = read_yaml(path)
    load.cache_clear()
    try:
        first = load(name)  # computed, written
        load.cache_clear()
        second = load(name)  # read from the cache
    finally:
        load.cache_clear()
    assert first == expected and second == expected
    assert list(tmp_path.glob("data-*.json")), "nothing was written to the cache"


def test_a_run_with_its_data_cached_never_imports_pyyaml(tmp_path):
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    script = ("import sys\nfrom graph.run.page_worker import warm_up\nwarm_up()\nprint('yaml' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WIKIKG_CACHE": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
            for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]
