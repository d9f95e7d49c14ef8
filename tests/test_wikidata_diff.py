"""wikikg wikidata-diff: the seed, reconciled against a real `oxigraph serve` holding the Wikidata sample, the seed's
test states and a test-made item of its conflict (tests/data/wikidata/diff_test_items.json), compared with that
item; QuickStatements checked by a strict V1 line checker; the same through the offline index."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest

from graph.cli.main import main
from graph.data.vocab import load

from .conftest import shared_path
from .oxigraph_server import oxigraph_serve
from .wikidata_endpoint import _post_ntriples
from .wikidata_test_index import DIFF_ITEMS, build_test_index

SEED = Path(__file__).parent.parent / "seeds" / "zh_first_nagorno_karabakh_war.wiki"
ITEM = "Q999000001"

# ---------------------------------------------------------------- a strict QuickStatements V1 line checker

_ENTITY = r"Q[1-9]\d*"
_VALUE = re.compile(
    r"^(?:Q[1-9]\d*"                                         # an item
    r"|\"[^\"\t\n]*\""                                       # a string (V1 has no escapes)
    r"|[a-z]{2,3}(?:-[a-z]+)*:\"[^\"\t\n]*\""                # monolingual text
    r"|[+-]\d{1,16}-\d\d-\d\dT00:00:00Z/(?:[0-9]|1[01])"     # a time with precision 0–11
    r"|[+-]?\d+(?:\.\d+)?(?:~\d+(?:\.\d+)?)?(?:U[1-9]\d*)?"  # a quantity, tolerance, unit
    r"|@-?\d+(?:\.\d+)?/-?\d+(?:\.\d+)?)$")                  # coordinates


def check_v1_line(line: str) -> None:
    """One statement line: ITEM PROP VALUE, then qualifier pairs (P…), then source pairs (S…), never a qualifier
    after a source; each value in V1 syntax. Raises AssertionError saying what is wrong."""
    fields = line.split("\t")
    assert len(fields) >= 3 and len(fields) % 2 == 1, f"odd number of fields: {line!r}"
    assert re.fullmatch(_ENTITY, fields[0]), f"not an item: {fields[0]!r}"
    assert re.fullmatch(r"P[1-9]\d*", fields[1]), f"not a property: {fields[1]!r}"
    assert _VALUE.match(fields[2]), f"not a V1 value: {fields[2]!r}"
    in_sources = False
    for key, value in zip(fields[3::2], fields[4::2], strict=True):
        assert re.fullmatch(r"[PS][1-9]\d*", key), f"not a qualifier or source property: {key!r}"
        if key.startswith("S"):
            in_sources = True
        assert not (in_sources and key.startswith("P")), f"a qualifier after a source: {line!r}"
        assert _VALUE.match(value), f"not a V1 value: {value!r} in {line!r}"


def test_the_line_checker_refuses_what_v1_refuses():
    check_v1_line('Q1\tP1120\t5928~72\tP642\tQ399\tS143\tQ30239\tS4656\t"https://zh.wikipedia.org/wiki/X"')
    check_v1_line("Q1\tP580\t+1988-02-20T00:00:00Z/11")
    for bad in ["Q1\tP580", "Q1 P31 Q5", "X1\tP31\tQ5", "Q1\tP31\tQ5\tS143\tQ328\tP642\tQ2", 'Q1\tP1\t"a"b"',
                "Q1\tP580\t1988-02-20", "Q1\tP31\tQ5\tP642"]:
        with pytest.raises(AssertionError):
            check_v1_line(bad)


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def diff_endpoint(tmp_path_factory, wikidata_ntriples) -> str:
    from graph.wikidata.wikibase_rdf import convert_dump

    folder = tmp_path_factory.mktemp("diff-rdf")
    items = folder / "diff-items.nt"
    convert_dump(str(DIFF_ITEMS), str(items))
    with oxigraph_serve(tmp_path_factory.mktemp("diff-db")) as base:
        for path in [*wikidata_ntriples, items]:
            _post_ntriples(base, path)
        yield f"{base}/query"


@pytest.fixture(scope="module")
def reconciled_seed(tmp_path_factory, diff_endpoint) -> Path:
    out = tmp_path_factory.mktemp("diff-seed") / "seed.ttl"
    assert main(["build", str(SEED), "-o", str(out), "-q", "--reconcile", "--endpoint", diff_endpoint,
                 "--no-cache"]) == 0
    return out


def _run_diff(graph: Path, out: Path, *source: str) -> tuple[list[str], dict[tuple[str, str], dict]]:
    assert main(["wikidata-diff", str(graph), "-o", str(out), "-q", *source]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    rows = {(r["fact"], r["ours"]): r for r in
            csv.DictReader(out.with_suffix(".review.csv").open(encoding="utf-8"))}
    return lines, rows


@pytest.fixture(scope="module")
def seed_diff(reconciled_seed, diff_endpoint, tmp_path_factory):
    out = tmp_path_factory.mktemp("diff-out") / "seed.qs"
    return (*_run_diff(reconciled_seed, out, "--endpoint", diff_endpoint), out)


# ---------------------------------------------------------------- the seed against the test item

def test_every_line_is_quickstatements_v1(seed_diff):
    lines, _, _ = seed_diff
    assert lines
    for line in lines:
        check_v1_line(line)


def test_missing_participants_are_written_with_references(seed_diff):
    lines, rows, _ = seed_diff
    url = '"https://zh.wikipedia.org/wiki/%E7%BA%B3%E6%88%88%E5%B0%94%E8%AF%BA-%E5%8D%A1%E6%8B%89%E5%B7%B4%E8%B5%AB%E6%88%98%E4%BA%89"'
    participants = {line.split("\t")[2] for line in lines if line.split("\t")[1] == "P710"}
    # Artsakh (side 1) and the Soviet Union (side 2) fought; Russia, Greece, Turkey, Ukraine, Israel supported
    assert {"Q244165", "Q15180", "Q159", "Q41", "Q43", "Q212", "Q801"} <= participants
    assert f"{ITEM}\tP710\tQ244165\tS143\tQ30239\tS4656\t{url}" in lines  # zh Wikipedia, the article's URL
    assert rows[("participant (belligerent, side 1)", "亚美尼亚 (Q399)")]["status"] == "same"
    assert rows[("participant (belligerent, side 1)", "纳戈尔诺-卡拉巴赫共和国 (Q244165)")]["status"] == "missing"


def test_nothing_is_written_for_what_wikidata_has(seed_diff):
    lines, rows, _ = seed_diff
    written = [tuple(line.split("\t")[1:3]) for line in lines]
    assert ("P710", "Q399") not in written and ("P710", "Q227") not in written   # already participants
    assert ("P276", "Q399") not in written and ("P276", "Q227") in written       # location: one there, one not
    assert not any(p == "P580" for p, _ in written)                               # start 1988-02-20: same
    assert rows[("start time", "1988-02-20")]["status"] == "same"


def test_casualty_figures_wikidata_lacks_are_written_as_ranges_of_their_side(seed_diff):
    lines, rows, _ = seed_diff
    deaths = [line for line in lines if "\tP1120\t" in line]
    # side 1: 5,856–6,000 killed, of Armenia and Artsakh (its reconciled parties), with the Wikipedia reference
    assert any(line.startswith(f"{ITEM}\tP1120\t5928~72\tP642\tQ244165\tP642\tQ399\tS143\tQ30239\tS4656\t")
               for line in deaths), deaths
    # side 2's 20,000–30,000 of Azerbaijan and the Soviet Union is on the item (bounds read from psv:)
    assert not any("\t25000~5000\t" in line for line in deaths)
    assert rows[("deaths, side 2", "20000–30000")]["status"] == "same"
    assert rows[("deaths, side 2", "20000–30000")]["wikidata"] == "20000–30000"
    # wounded and missing have no property of that shape: never written
    assert not any(f in {r[0] for r in rows} for f in ("wounded, side 1", "missing, side 1"))


def test_a_date_of_coarser_precision_differs_and_the_article_date_is_offered(seed_diff):
    lines, rows, _ = seed_diff
    assert rows[("end time", "1994-05-12")]["status"] == "differs"
    assert rows[("end time", "1994-05-12")]["wikidata"] == "1994"
    assert any(line.startswith(f"{ITEM}\tP582\t+1994-05-12T00:00:00Z/11\tS143\t") for line in lines)


def test_entities_without_a_qid_are_skipped_never_written(seed_diff):
    lines, rows, out = seed_diff
    skipped = [r for r in rows.values() if r["status"] == "skipped"]
    assert any(r["ours"] == "達什奈克楚瓊" and "no QID" in r["note"] for r in skipped)
    assert all(re.fullmatch(r"Q[1-9]\d*", line.split("\t")[2]) for line in lines if "\tP710\t" in line)
    markdown = out.with_suffix(".review.md").read_text(encoding="utf-8")
    assert "| 纳戈尔诺-卡拉巴赫战争 | Q999000001 | participant (belligerent, side 1) |" in markdown


def test_the_offline_index_gives_the_same_statements(seed_diff, reconciled_seed, tmp_path):
    index = build_test_index(tmp_path)
    lines, _ = _run_diff(reconciled_seed, tmp_path / "offline.qs", "--offline", index)
    assert sorted(lines) == sorted(seed_diff[0])


def test_an_unreconciled_graph_is_said_so_and_nothing_is_written(tmp_path, diff_endpoint, capsys):
    graph = tmp_path / "plain.ttl"
    assert main(["build", str(SEED), "-o", str(graph), "-q"]) == 0
    assert main(["wikidata-diff", str(graph), "-o", str(tmp_path / "plain.qs"), "--endpoint", diff_endpoint]) == 0
    assert (tmp_path / "plain.qs").read_text() == ""
    assert "纳戈尔诺-卡拉巴赫战争: not reconciled to a Wikidata item" in capsys.readouterr().err


def test_errors_are_one_line(tmp_path, capsys):
    assert main(["wikidata-diff", str(tmp_path / "none.ttl"), "-o", str(tmp_path / "x.qs"), "--offline",
                 str(tmp_path / "none.db")]) != 0
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err


# ---------------------------------------------------------------- property IDs and shapes, against the sample

def _sample_shapes() -> dict[str, set[str]]:
    shapes: dict[str, set[str]] = {}
    with gzip.open(shared_path("wikidata", "wikidata-sample-all.json.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().rstrip(",")
            if not line.startswith("{"):
                continue
            for statements in json.loads(line).get("claims", {}).values():
                for st in statements:
                    snaks = [st["mainsnak"], *(s for q in st.get("qualifiers", {}).values() for s in q),
                             *(s for r in st.get("references", []) for ss in r["snaks"].values() for s in ss)]
                    for snak in snaks:
                        if snak.get("datatype"):
                            shapes.setdefault(snak["property"], set()).add(snak["datatype"])
    return shapes


def test_property_shapes_agree_with_the_sample():
    data = load("wikidata_properties")
    shapes = _sample_shapes()
    declared = {v["pid"]: v["shape"] for section in ("statements", "qualifiers", "references")
                for v in data[section].values()}
    seen = {pid for pid in declared if pid in shapes}
    assert {"P710", "P580", "P582", "P276", "P361", "P1120", "P1132", "P642", "P143", "P248", "P854"} <= seen
    for pid in seen:
        assert shapes[pid] == {declared[pid]}, (pid, shapes[pid], declared[pid])
    assert set(data["wikipedias"].values()) == {"Q30239", "Q328"}


# ---------------------------------------------------------------- references and shapes, without a server

class _Item:
    """A StatementSource holding one item with no statements."""
    name = "test"

    def statements(self, qids, props):
        return {qid: [] for qid in qids if qid == "Q1"}


def test_gregorian_to_julian_inverts_the_converter():
    from graph.wikidata.statements import gregorian_to_julian
    from graph.wikidata.wikibase_rdf import julian_to_gregorian

    for date in [(1708, 12, 18), (1460, 12, 30), (1582, 10, 4), (-43, 3, 15), (1, 1, 1), (1900, 2, 29)]:
        assert gregorian_to_julian(*julian_to_gregorian(*date)) == date
    assert julian_to_gregorian(1582, 10, 5) == (1582, 10, 15)


def test_a_reconciled_work_is_a_second_reference_and_a_range_a_tolerance():
    from graph.facts.reader import ConflictFacts, Entity, Figure, Role, Source
    from graph.wikidata.diff import diff_conflicts

    work = Source("urn:cit", work="urn:work", title="Black Garden", url="https://example.org/bg", qid="Q7", page="285")
    unknown = Source("urn:cit2", title="A work without a QID")
    conflict = ConflictFacts("urn:c", "War", "https://en.wikipedia.org/wiki/War", "en", "War", qid="Q1",
                             revision="123")
    conflict.roles.append(Role("belligerent", Entity("urn:a", "A", "Q2"), 1, (work, unknown)))
    conflict.figures.append(Figure("casualties", "Killed", 1, 5856, 6001, claimant='Side "A"', sources=(work,)))
    result = diff_conflicts([conflict], _Item())
    lines = [line for st in result.statements for line in st.lines()]
    url = '"https://en.wikipedia.org/w/index.php?title=War&oldid=123"'
    assert f"Q1\tP710\tQ2\tS143\tQ328\tS4656\t{url}" in lines
    assert 'Q1\tP710\tQ2\tS248\tQ7\tS854\t"https://example.org/bg"' in lines   # the cited work, reconciled
    assert not any("A work without a QID" in line for line in lines)
    assert f"Q1\tP1120\t5928.5~72.5\tP642\tQ2\tP1932\t\"Side 'A'\"\tS143\tQ328\tS4656\t{url}" in lines
    for line in lines:
        check_v1_line(line)


def test_an_unreachable_endpoint_is_one_line_and_exit_1(reconciled_seed, tmp_path, capsys):
    from .oxigraph_server import free_port

    endpoint = f"http://127.0.0.1:{free_port()}/query"
    assert main(["wikidata-diff", str(reconciled_seed), "-o", str(tmp_path / "x.qs"), "--endpoint", endpoint,
                 "--retries", "1", "--timeout", "5"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("wikikg: error: Wikidata could not be read: ") and "\n" not in err
    assert not (tmp_path / "x.qs").exists()


# ---------------------------------------------------------------- the two statement readers agree on real items

# a war, the 1928 Olympics (P1132 with P642), a fire, an uprising, a governorate founded on a Julian date
REAL_ITEMS = ["Q40949", "Q8138", "Q30274958", "Q160161", "Q86622"]


def test_index_and_sparql_read_the_same_statements_of_real_items(diff_endpoint, tmp_path):
    from graph.wikidata.statements import IndexStatements, SparqlStatements, compared_properties

    props = set(compared_properties().values())
    offline = IndexStatements(build_test_index(tmp_path)).statements(REAL_ITEMS + ["Q999999999"], props)
    online = SparqlStatements(diff_endpoint, batch_size=2).statements(REAL_ITEMS + ["Q999999999"], props)
    assert set(offline) == set(online) == set(REAL_ITEMS)   # an unknown QID is absent, not empty

    def as_set(statements):
        return {(s.prop, str(s.value), tuple(sorted((p, tuple(sorted(map(str, vs))))
                                                    for p, vs in s.qualifiers.items()))) for s in statements}

    for qid in REAL_ITEMS:
        assert as_set(offline[qid]) == as_set(online[qid]), qid
    war = as_set(offline["Q40949"])
    assert ("P580", "1775-04-19", (("P793", ("Q778010",)),)) in war       # day precision, with its qualifier
    assert {v for p, v, _ in war if p == "P710"} >= {"Q29", "Q30"}
    assert ("P580", "1708-12-18") in {(p, v) for p, v, _ in as_set(online["Q86622"])}  # Julian, as the item says
    olympics = [s for s in offline["Q8138"] if s.prop == "P1132"]
    assert {str(s.value) for s in olympics} == {"46", "2883"} and any(s.qualifiers.get("P642") for s in olympics)


def test_a_dump_pages_revision_is_the_import_urls_oldid(tmp_path):
    """A page read from a dump records its revision (``schema:version`` of the revision that specialises the
    page): the import URL of its statements carries it without --revision."""
    import pyoxigraph as ox

    from graph.facts.reader import read_conflicts

    dump = shared_path("fixtures", "enwiki_gensim_p10p30302_shortened_dump.xml.bz2")
    assert main(["build", str(dump), "-o", str(tmp_path / "dump.ttl"), "-q", "--jobs", "1"]) == 0
    store = ox.Store()
    store.load(path=str(tmp_path / "dump.ttl"), format=ox.RdfFormat.TURTLE)
    [war] = [c for c in read_conflicts(store) if c.title == "American Revolutionary War"]
    assert war.revision == "717770601"
    assert war.import_url().endswith("oldid=717770601")
