"""The methods @dataclass writes, kept compiled between runs (graph.data.dataclass_code), make the same classes."""

from __future__ import annotations

import dataclasses
import inspect
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from graph.data import dataclass_code, saving_process

from .conftest import ROOT, seed_builds_sharing_a_cache


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own, the module as in a process just started, and dataclasses's exec
    put back afterwards."""
    monkeypatch.setenv("WIKIKG_CACHE", str(tmp_path))
    monkeypatch.setattr(dataclass_code, "_stored", {})
    monkeypatch.setattr(dataclass_code, "_used", {})
    monkeypatch.setattr(dataclass_code, "_new", False)
    monkeypatch.setattr(saving_process, "_pid", os.getpid())
    monkeypatch.setattr(dataclasses, "exec", dataclass_code._cached_exec, raising=False)
    # the classes below pose as a module of this package's: only those are kept
    monkeypatch.setitem(sys.modules, OURS, types.ModuleType(OURS))
    return tmp_path


OURS = "graph._records_of_a_test"


def later_run() -> None:
    """What a later process sees: the file this one saved, nothing used yet."""
    dataclass_code._save()
    dataclass_code._stored = dataclass_code._load()
    dataclass_code._used = {}


def records():
    """Classes of every shape the package uses: frozen and ordered, defaults and factories, keyword-only fields,
    fields outside __init__, inheritance."""

    @dataclasses.dataclass(frozen=True, order=True)
    class Date:
        __module__ = OURS
        year: int
        month: int | None = None

    @dataclasses.dataclass
    class Record:
        __module__ = OURS
        title: str
        pages: list[str] = dataclasses.field(default_factory=list)
        seen: int = dataclasses.field(default=0, init=False, repr=False)

    @dataclasses.dataclass(kw_only=True)
    class Cited(Record):
        __module__ = OURS
        source: str = "?"

    return Date, Record, Cited


METHODS = ("__init__", "__repr__", "__eq__", "__lt__", "__hash__", "__setattr__", "__delattr__")


def test_classes_made_from_kept_code_are_the_classes_dataclass_makes(fresh_cache):
    plain = records()  # compiled here, kept at "exit"
    later_run()
    assert len(dataclass_code._stored) >= 8
    kept = records()
    assert set(dataclass_code._used) <= set(dataclass_code._stored)  # every method came from the file
    for made, expected in zip(kept, plain, strict=True):
        assert inspect.signature(made) == inspect.signature(expected)
        for name in METHODS:
            a, b = made.__dict__.get(name), expected.__dict__.get(name)
            assert (a is None) == (b is None), name
            if a is not None and hasattr(a, "__code__"):
                assert a.__code__ == b.__code__, name  # compares the bytecode, constants and names
    date, record, cited = kept
    assert date(1992, 5) < date(1993) and hash(date(1992)) == hash(date(1992))
    with pytest.raises(dataclasses.FrozenInstanceError):
        date(1992).year = 1
    assert repr(cited("t", source="s")) == "records.<locals>.Cited(title='t', pages=[], source='s')"
    assert record("a") == record("a") and record("a").pages is not record("a").pages


def test_classes_of_other_packages_are_not_kept(fresh_cache):
    """A test runner's or a library's classes made while the command line runs stay out of the file."""

    @dataclasses.dataclass
    class Elsewhere:
        name: str

    assert Elsewhere("x") == Elsewhere("x")
    assert dataclass_code._used == {}


def test_a_damaged_or_foreign_file_costs_time_never_a_class(fresh_cache):
    records()
    dataclass_code._save()
    (path,) = fresh_cache.glob("dataclass-code-*.marshal")
    for damaged in (b"", b"\x00garbage", path.read_bytes()[:100]):
        path.write_bytes(damaged)
        assert dataclass_code._load() == {}
    date = records()[0]
    assert date(1) < date(2)


def test_a_file_others_may_write_is_not_read(fresh_cache):
    records()
    dataclass_code._save()
    (path,) = fresh_cache.glob("dataclass-code-*.marshal")
    assert dataclass_code._load()
    path.chmod(0o664)
    assert dataclass_code._load() == {}
    path.chmod(0o600)
    assert dataclass_code._load()


def test_two_builds_the_second_from_kept_code_write_the_same_graph(tmp_path):
    outputs = seed_builds_sharing_a_cache(tmp_path)
    assert outputs[0] == outputs[1]
    (path,) = Path(tmp_path).glob("dataclass-code-*.marshal")
    assert path.stat().st_mode & 0o077 == 0  # this user's alone


def test_a_library_import_leaves_dataclasses_alone():
    """Only the command line routes dataclasses through the cache; `import graph...` in a notebook does not."""
    script = "import dataclasses, graph.pipeline, graph.network; print(hasattr(dataclasses, 'exec'))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "False", done.stderr
