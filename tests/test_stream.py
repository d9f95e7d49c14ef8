"""N-Quads written page by page: graph naming of N-Triples lines, deterministic shards, resumable folders."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import OutputError
from graph.rdf.provenance import InputRecord
from graph.rdf.stream import ShardFolder, checked, compressed, named

IRI = st.text("abcxyz/é中", min_size=1, max_size=8).map(lambda s: ox.NamedNode(f"https://example.org/{s}"))
LITERAL = st.text(max_size=20).map(ox.Literal) | st.integers().map(ox.Literal)
TRIPLES = st.lists(st.builds(ox.Triple, IRI, IRI, IRI | LITERAL), max_size=20)


@settings(max_examples=60, deadline=None)
@given(TRIPLES)
def test_naming_the_lines_gives_the_same_triples_in_the_graph(triples):
    """Literals with newlines, quotes and any script: a line stays a triple, and the triples are the same."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    quads = list(ox.parse(checked(named(data, "https://zh.wikipedia.org/wiki/戰爭")), format=ox.RdfFormat.N_QUADS))
    assert [q.triple for q in quads] == [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    assert {q.graph_name.value for q in quads} <= {"https://zh.wikipedia.org/wiki/戰爭"}


def test_a_broken_line_is_never_written():
    with pytest.raises(SyntaxError):
        checked(b"<a> <b> \"unclosed .\n")


def test_shards_are_the_same_bytes_whenever_they_are_written():
    assert compressed(b"<a> <b> <c> <g> .\n") == compressed(b"<a> <b> <c> <g> .\n")  # no time or name inside
    assert gzip.decompress(compressed(b"x")) == b"x"


def shard_run(folder, units, resume=False, stop_after=None, header=None):
    out = ShardFolder(str(folder), shard_pages=2, header=header or {"inputs": ["a.xml"]}, resume=resume)
    for number in range(out.done_units, units):
        if stop_after is not None and number == stop_after:
            out.abort({"stopped": True})
            return out
        out.add(f"<https://e.org/{number}> <https://e.org/p> <https://e.org/o> .\n".encode(), f"https://e.org/g{number}")
        out.end_unit(number, 1, [InputRecord(f"a.xml#page={number}", "0" * 64, f"https://e.org/g{number}", "T", "en")],
                     1)
    out.finish(b"", {"pages": units})
    return out


def test_a_stopped_folder_keeps_whole_shards_and_resume_finishes_with_the_same_bytes(tmp_path):
    whole = tmp_path / "whole"
    shard_run(whole, 7)
    stopped = tmp_path / "stopped"
    shard_run(stopped, 7, stop_after=5)
    manifest = json.loads((stopped / "manifest.json").read_text())
    assert manifest["complete"] is False and [s["units"] for s in manifest["shards"]] == [[0, 1], [2, 3]]
    resumed = shard_run(stopped, 7, resume=True)
    assert resumed.manifest["complete"] is True
    for shard in ("part-00000.nq.gz", "part-00001.nq.gz", "part-00002.nq.gz", "part-00003.nq.gz"):
        assert (stopped / shard).read_bytes() == (whole / shard).read_bytes()


def test_resume_refuses_a_folder_of_other_inputs(tmp_path):
    shard_run(tmp_path, 3, stop_after=2)
    with pytest.raises(OutputError, match="other inputs or options"):
        shard_run(tmp_path, 3, resume=True, header={"inputs": ["b.xml"]})


def test_resume_builds_again_a_shard_that_changed_on_disk(tmp_path):
    shard_run(tmp_path, 6, stop_after=5)
    (tmp_path / "part-00001.nq.gz").write_bytes(b"damaged")
    assert ShardFolder(str(tmp_path), 2, {"inputs": ["a.xml"]}, resume=True).earlier_records()[0].title == "T"
    resumed = ShardFolder(str(tmp_path), shard_pages=2, header={"inputs": ["a.xml"]}, resume=True)
    assert resumed.done_units == 2  # part-00000 kept; part-00001 and after built again
