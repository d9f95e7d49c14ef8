"""The offline Wikidata index, built once from the real 1,032-entity sample of the shared material."""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from graph.cli.wikidata import add_parser
from graph.errors import InputError, UsageError
from graph.wikidata.index import (
    WikidataIndex,
    build_index,
    fold_title,
    normalise_identifier,
    parse_year,
)
from graph.wikidata.json_dump import iter_entities

from .conftest import REQUIRE_SHARED, SHARED, shared_path

SAMPLE = SHARED / "wikidata" / "wikidata-sample-all.json.gz"  # the shared acceptance material
needs_sample = pytest.mark.skipif(not SAMPLE.exists() and not REQUIRE_SHARED,
                                  reason="shared Wikidata sample not available")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    shared_path("wikidata", "wikidata-sample-all.json.gz")
    db = tmp_path_factory.mktemp("wd") / "wd-index.db"
    stats = build_index(str(SAMPLE), str(db))
    index = WikidataIndex(str(db))
    yield stats, index
    index.close()


@pytest.fixture(scope="module")
def index(built):
    return built[1]


def sample_lines() -> list[str]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


# ---------------------------------------------------------------- the sample

@needs_sample
def test_every_entity_of_the_sample_is_indexed(built):
    stats, index = built
    # Properties (6 in the sample: P17, P38, P40, P571, P856, P2427) are kept: their labels help too.
    assert (stats.entities, stats.items, stats.properties) == (1032, 1026, 6)
    assert stats.broken_lines == 0 and not stats.truncated
    assert index.entity("P571").type == "property"
    assert index.entity("P571").labels["en"] == "inception"  # the property table's P571 is what we think


@needs_sample
def test_by_sitelink(index):
    assert index.by_sitelink("zhwiki", "苏联") == "Q15180"
    assert index.by_sitelink("enwiki", "soviet_Union") == "Q15180"  # underscores, first letter
    assert index.by_sitelink("enwiki", "Soviet union") is None     # only the first letter is case-free
    assert index.by_sitelink("zhwiki", "不存在的条目") is None


@needs_sample
def test_by_label_labels_and_aliases(index):
    assert "Q15180" in index.by_label("Soviet Union")
    assert "Q15180" in index.by_label("  soviet   UNION ")
    assert "Q15180" in index.by_label("USSR", ["en"])  # an alias
    assert index.by_label("Soviet Union", ["fr"]) == []


@needs_sample
def test_homonyms(index):
    amsterdam = index.by_label("Amsterdam", ["en"])
    assert len(amsterdam) >= 2 and "Q727" in amsterdam
    assert amsterdam[0] == "Q727"  # labels before aliases, then oldest item first
    assert len(index.by_label("Warsaw", ["en"])) >= 2
    assert len(index.by_label("Oxford", ["en"])) >= 2


@needs_sample
def test_traditional_and_simplified_chinese(index):
    assert index.entity("Q15180").labels["zh-hant"] == "蘇聯"
    assert "Q15180" in index.by_label("蘇聯")
    assert "Q15180" in index.by_label("苏联")
    assert "Q15180" in index.by_label("蘇聯", ["zh"])  # zh covers its variants


@needs_sample
def test_entity_record(index):
    su = index.entity("Q15180")
    assert su.sitelinks["zhwiki"] == "苏联"
    assert "Q3624078" in su.instance_of  # sovereign state
    assert (su.inception, su.dissolved) == (1922, 1991)  # +1922-12-30, +1991-12-26
    assert su.birth is None and su.death is None
    assert su.coordinates == (65.0, 90.0)
    assert "USSR" in su.aliases["en"]
    assert index.entity("Q7318").inception == 1933 and index.entity("Q7318").dissolved == 1945
    assert index.entity("Q7038").inception == -79  # "-0079-00-00T00:00:00Z": kept as written
    assert index.entity("Q999999999") is None


@needs_sample
def test_instance_of_closure(index):
    closure = index.instance_of_closure("Q15180")
    assert set(index.entity("Q15180").instance_of) <= closure
    assert "Q6256" in closure  # country: reached through P279 from a direct class
    assert index.instance_of_closure("Q15180", max_depth=0) == set(index.entity("Q15180").instance_of)
    assert index.instance_of_closure("Q999999999") == set()


@needs_sample
def test_by_identifier(index):
    assert index.by_identifier("P212", "9780198611868") == ["Q44996"]
    assert index.by_identifier("P212", "978-0-19-861186-8") == ["Q44996"]
    assert index.by_identifier("P957", "0 19 861186 2") == ["Q44996"]
    assert index.by_identifier("P356", "10.1016/j.ajhg.2010.01.008") == ["Q24649624"]
    assert index.by_identifier("P356", "10.0/none") == []


def test_helpers():
    assert parse_year("+1991-09-21T00:00:00Z") == 1991
    assert parse_year("-0031-00-00T00:00:00Z") == -31
    assert parse_year("garbage") is None
    assert fold_title("united_states  of America") == "United states of America"
    assert normalise_identifier("isbn", "0-8044-2957-x") == "080442957X"


# ---------------------------------------------------------------- damaged dumps

@needs_sample
def test_garbled_and_truncated_dump_is_read_as_far_as_it_goes(tmp_path):
    lines = sample_lines()
    broken = ['{"id": "Q1", "labels": {', "not json at all,", '["an", "array"],', '{"no_id": true},',
              '{"id": "Q2", "type": "item"']  # the last one cut mid-object
    garbled = lines[:100] + broken + lines[100:]
    dump = tmp_path / "garbled.json.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(garbled) + "\n")
    stats = build_index(str(dump), str(tmp_path / "g.db"))
    assert stats.entities == 1032 and stats.broken_lines == len(broken)

    # A cut-off download: a .gz missing its end, and bad UTF-8 in one line of a .bz2
    data = dump.read_bytes()
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(data[: len(data) // 2])
    stats = build_index(str(cut), str(tmp_path / "c.db"))
    assert stats.truncated and 0 < stats.entities < 1032
    bad = tmp_path / "bad.json.bz2"
    bad.write_bytes(bz2.compress(b"[\n" + b'{"id": "Q5", "labels": {"en": {"value": "\xff"}}},\n'
                                 + lines[1].encode() + b"\n]\n"))
    stats = build_index(str(bad), str(tmp_path / "b.db"))
    assert (stats.entities, stats.broken_lines) == (1, 1)


def test_missing_empty_and_wrong_files(tmp_path):
    with pytest.raises(InputError, match="no-such"):
        build_index(str(tmp_path / "no-such.json.gz"), str(tmp_path / "x.db"))
    with pytest.raises(InputError, match="directory"):
        build_index(str(tmp_path), str(tmp_path / "x.db"))
    (tmp_path / "empty.json").write_text("[\n]\n")
    with pytest.raises(InputError, match="no Wikidata entity"):
        build_index(str(tmp_path / "empty.json"), str(tmp_path / "x.db"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.json"]  # nothing half-written left behind
    with pytest.raises(InputError):
        WikidataIndex(str(tmp_path / "x.db"))


# ---------------------------------------------------------------- bounded memory

def synthetic_dump(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[\n")
        for i in range(n):
            entity = {"type": "item", "id": f"Q{i + 1}",
                      "labels": {"en": {"language": "en", "value": f"Thing {i}"}},
                      "sitelinks": {"enwiki": {"site": "enwiki", "title": f"Thing {i}"}},
                      "claims": {"P31": [{"rank": "normal", "mainsnak": {
                          "snaktype": "value", "property": "P31",
                          "datavalue": {"value": {"id": "Q5"}, "type": "wikibase-entityid"}}}]}}
            fh.write(json.dumps(entity) + (",\n" if i < n - 1 else "\n"))
        fh.write("]\n")


def test_reading_is_streamed(tmp_path):
    dump = tmp_path / "big.json"
    synthetic_dump(dump, 20_000)
    assert dump.stat().st_size > 4_000_000
    counts: Counter[str] = Counter()
    tracemalloc.start()
    try:
        n = sum(1 for _ in iter_entities(str(dump), counts))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 20_000 and counts["broken"] == 0
    assert peak < 256_000  # a line and its parse, never the file (measured: ~10 kB)


def test_building_is_streamed(tmp_path):
    dump = tmp_path / "big.json"
    synthetic_dump(dump, 20_000)
    tracemalloc.start()
    try:
        stats = build_index(str(dump), str(tmp_path / "big.db"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.entities == 20_000 and stats.sitelinks == 20_000
    assert peak < 12_000_000  # measured ~4 MB: one batch of rows (and the label folding cache), not the dump
    with WikidataIndex(str(tmp_path / "big.db")) as index:
        assert index.by_sitelink("enwiki", "Thing 19999") == "Q20000"


# ---------------------------------------------------------------- the command

def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wikikg")
    add_parser(p.add_subparsers())
    return p


@needs_sample
def test_cli_build(tmp_path, capsys):
    out = tmp_path / "wd.db"
    args = parser().parse_args(["wikidata-index", "build", str(SAMPLE), "-o", str(out), "--sites",
                                "zhwiki,enwiki", "--quiet"])
    assert args.run(args) == 0
    line = capsys.readouterr().out.strip()
    assert "\n" not in line and "1,032 entities" in line and "entities/s" in line
    with WikidataIndex(str(out)) as index:
        assert index.by_sitelink("zhwiki", "苏联") == "Q15180"
        assert set(index.entity("Q15180").sitelinks) == {"zhwiki", "enwiki"}


def test_cli_errors(tmp_path):
    args = parser().parse_args(["wikidata-index", "build", str(tmp_path / "missing.json.gz"), "-o",
                                str(tmp_path / "wd.db"), "-q"])
    with pytest.raises(InputError) as e:
        args.run(args)
    assert "\n" not in str(e.value)
    args = parser().parse_args(["wikidata-index"])
    with pytest.raises(UsageError):
        args.run(args)
    with pytest.raises(SystemExit):
        parser().parse_args(["wikidata-index", "build", "dump.json"])  # -o is required


@needs_sample
def test_filters_keep_what_articles_can_link_and_the_class_hierarchy(tmp_path, capsys):
    out = tmp_path / "humans.db"
    args = parser().parse_args(["wikidata-index", "build", str(SAMPLE), "-o", str(out), "--types", "Q5", "-q"])
    assert args.run(args) == 0
    assert "left out by the filters" in capsys.readouterr().out
    with WikidataIndex(str(out)) as index:
        kinds = {qid: index.entity(qid) for qid in ("Q5", "Q15180", "Q727")}
        assert kinds["Q15180"] is None and kinds["Q727"] is None  # a state and a city: not humans
        humans = [q for (q,) in index.conn.execute("SELECT qid FROM claims WHERE prop = 'P31' AND value = 'Q5'")]
        assert len(humans) >= 80
        assert index.entity("Q515") is not None  # city: a class, kept for the hierarchy
    linked = tmp_path / "linked.db"
    args = parser().parse_args(["wikidata-index", "build", str(SAMPLE), "-o", str(linked), "--sites", "zhwiki",
                                "--linked-only", "-q"])
    assert args.run(args) == 0
    with WikidataIndex(str(linked)) as index:
        assert index.by_sitelink("zhwiki", "苏联") == "Q15180"
        items = index.conn.execute("SELECT COUNT(*) FROM entities WHERE type = 'item'").fetchone()[0]
        with_zhwiki = index.conn.execute("SELECT COUNT(DISTINCT qid) FROM sitelinks").fetchone()[0]
        assert with_zhwiki == 383 and with_zhwiki <= items < 1032
    with pytest.raises(UsageError):
        bad = parser().parse_args(["wikidata-index", "build", str(SAMPLE), "-o", str(linked), "--linked-only"])
        bad.run(bad)
