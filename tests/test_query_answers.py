"""`wikikg query` as people expect it: named queries by name, every query form, parameters that mean what they
say, tables that show where they cut, and errors in one line that say what to do."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph.cli.main import main
from graph.query.text import explain_syntax_error, query_form, result_columns, undeclared_prefixes

from .conftest import QUERIES, SEED
from .test_cli import run_cli

WKG = "PREFIX wkg: <https://w3id.org/wikikg/ontology#>\n"


@pytest.fixture(scope="module")
def seed_ttl(tmp_path_factory):
    out = tmp_path_factory.mktemp("answers") / "seed.ttl"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    return str(out)


def query(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["query", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rows_of(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.split(" | ")] for line in table.splitlines()[2:-1]]


# ---- named queries

def test_a_named_query_runs_by_name(capsys, seed_ttl):
    by_name = query(capsys, "commanders", seed_ttl)
    by_path = query(capsys, str(QUERIES / "commanders.rq"), seed_ttl)
    assert by_name[0] == 0 and by_name[1] == by_path[1] and "(23 rows)" in by_name[1]


def test_list_gives_every_named_query_with_its_question(capsys):
    status, out, _ = query(capsys, "--list")
    assert status == 0
    for path in QUERIES.glob("*.rq"):
        assert path.stem in out
    assert "commanders  " in out and "Who commanded on which side?" in out
    assert "(?affiliation" not in out  # the notes on columns stay in the file


def test_an_unknown_name_lists_the_named_queries(seed_ttl):
    run = run_cli("query", "comanders", seed_ttl)
    err = run.stderr.decode()
    assert run.returncode == 1 and "comanders: no such query file nor named query" in err and "commanders" in err
    assert len(err.strip().splitlines()) == 1


# ---- every query form

def test_ask_answers_yes_or_no(capsys, seed_ttl, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text(WKG + "ASK { ?fact a wkg:Command }")
    assert query(capsys, str(ask), seed_ttl)[1] == "yes\n"
    assert json.loads(query(capsys, str(ask), seed_ttl, "--format", "json")[1]) == {"head": {}, "boolean": True}
    ask.write_text(WKG + "ASK { ?fact a wkg:NoSuchClass }")
    assert query(capsys, str(ask), seed_ttl, "--format", "csv")[1] == "false\n"


def test_construct_writes_triples_as_build_does(capsys, seed_ttl, tmp_path):
    construct = tmp_path / "c.rq"
    construct.write_text(WKG + "CONSTRUCT { ?fact wkg:agent ?who } WHERE { ?fact a wkg:Command ; wkg:agent ?who }")
    status, out, _ = query(capsys, str(construct), seed_ttl)
    assert status == 0 and out.startswith("@prefix ")
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) >= 23 and {t.predicate.value for t in triples} == {"https://w3id.org/wikikg/ontology#agent"}
    assert query(capsys, str(construct), seed_ttl, "-o", str(tmp_path / "c.jsonld"))[0] == 0
    assert "@context" in json.loads((tmp_path / "c.jsonld").read_text(encoding="utf-8"))


def test_describe_gives_what_the_graph_says_of_a_node(capsys, seed_ttl, tmp_path):
    describe = tmp_path / "d.rq"
    describe.write_text("DESCRIBE <https://w3id.org/wikikg/resource/zh/阿塞拜疆>")
    status, out, _ = query(capsys, str(describe), seed_ttl, "--format", "nt")
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert status == 0 and triples
    assert {t.subject.value for t in triples} == {"https://w3id.org/wikikg/resource/zh/阿塞拜疆"}


def test_query_form_is_read_past_the_prologue_and_comments():
    assert query_form("# SELECT in a comment\nPREFIX a: <urn:ask#>\nCONSTRUCT { } WHERE { }") == "CONSTRUCT"
    assert query_form('PREFIX x: <urn:x>\nask { ?s ?p "SELECT" }') == "ASK"


# ---- parameters

def test_a_param_with_spaces_and_quotes_binds_a_computed_column(capsys, seed_ttl):
    for value in ("Rahim Gaziyev", '"Rahim Gaziyev"'):
        status, out, err = query(capsys, "commanders", seed_ttl, "--param", f"commanderLabel={value}")
        assert status == 0, err
        assert [row[3] for row in rows_of(out)] == ["Rahim Gaziyev"]


def test_a_text_param_matches_the_language_tagged_value(capsys, seed_ttl):
    status, out, _ = query(capsys, "supporters", seed_ttl, "--param", "kind=equipment")
    rows = rows_of(out)
    assert status == 0 and len(rows) == 5 and {row[4] for row in rows} == {"equipment"}


def test_an_unknown_param_is_an_error_naming_the_query_parameters(seed_ttl):
    run = run_cli("query", "supporters", seed_ttl, "--param", "kinds=equipment")
    err = run.stderr.decode()
    assert run.returncode == 2
    assert "--param kinds: supporters has no ?kinds; its parameters: conflict, side, supporter, supporterLabel, kind" \
        in err


def test_the_short_names_the_table_prints_are_accepted_back(capsys, seed_ttl):
    _, out, _ = query(capsys, "supporters", seed_ttl, "--param", "kind=equipment")
    supporter = rows_of(out)[0][2]
    assert supporter.startswith("zh/")
    status, again, _ = query(capsys, "supporters", seed_ttl, "--param", f"supporter={supporter}")
    assert status == 0 and rows_of(again) and {row[2] for row in rows_of(again)} == {supporter}
    status, out, _ = query(capsys, "commanders", seed_ttl, "--param", "conflict=zh/纳戈尔诺-卡拉巴赫战争")
    assert status == 0 and "(23 rows)" in out


def test_result_columns_know_the_computed_ones():
    columns = result_columns((QUERIES / "commanders.rq").read_text(encoding="utf-8"))
    assert columns.names == ("conflict", "side", "commander", "commanderLabel", "killedInAction", "affiliation",
                             "affiliationLabel")
    assert columns.computed == {"commanderLabel", "affiliationLabel"}


# ---- the table and the errors

def test_the_table_marks_cut_cells(capsys, seed_ttl):
    from graph.query.results import display_width

    status, out, _ = query(capsys, "commanders", seed_ttl, "--width", "10")
    cells = [cell for row in rows_of(out) for cell in row]
    assert status == 0 and any(c.endswith("…") for c in cells)
    assert all(display_width(c) <= 10 for c in cells)
    assert "zh/纳戈尔…" in cells  # two columns per Chinese character


def test_a_missing_prefix_is_one_line_naming_it(seed_ttl, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text(WKG + "SELECT ?label WHERE {\n  ?x a wkg:Conflict ;\n     rdfs:label ?label }\n")
    run = run_cli("query", str(bad), seed_ttl)
    err = run.stderr.decode()
    assert run.returncode == 1 and len(err.strip().splitlines()) == 1
    assert "line 4: the prefix rdfs: is used but not declared; add: PREFIX rdfs: " \
           "<http://www.w3.org/2000/01/rdf-schema#>" in err
    assert "\\u{" not in err


def test_undeclared_prefixes_ignore_strings_iris_and_comments():
    text = 'PREFIX a: <urn:a#>\n# b:c in a comment\nSELECT * { ?s a:p "d:e" ; <http://x/y> f:g }'
    assert undeclared_prefixes(text) == [(3, "f")]
    assert "expected one of" in explain_syntax_error("SELECT {", "error at 1:8: expected one of ['a'..='z'], WHERE")


def test_wikitext_given_to_query_or_serve_says_build_it_first(seed_ttl):
    for command in (["query", "commanders"], ["serve"]):
        run = run_cli(*command, str(SEED))
        err = run.stderr.decode()
        assert run.returncode == 1, err
        assert f"wikitext, not RDF: build it first: `wikikg build {SEED} -o " in err
        assert "does not parse" not in err


def test_excel_csv_starts_with_a_byte_order_mark(seed_ttl):
    run = run_cli("query", "commanders", seed_ttl, "--format", "csv", "--excel")
    assert run.returncode == 0 and run.stdout.startswith(b"\xef\xbb\xbfconflict,side,")
    assert "纳戈尔诺" in run.stdout.decode("utf-8-sig")
    plain = run_cli("query", "commanders", seed_ttl, "--format", "csv")
    assert plain.stdout.startswith(b"conflict,")  # without --excel, plain UTF-8 as before


def test_the_notebook_takes_names_and_the_same_params():
    from graph import sparql
    from graph.network import build_graph

    store = build_graph([str(SEED)])
    rows = sparql(store, "supporters", kind="equipment")
    assert len(rows) == 5


def test_bind_chooses_values_or_row_filters():
    from graph.errors import UsageError
    from graph.query.engine import Term
    from graph.query.params import bind

    text = (QUERIES / "supporters.rq").read_text(encoding="utf-8")
    exact = bind(text, ["supporter=<https://w3id.org/wikikg/resource/zh/俄罗斯>", "side=2"])
    assert exact.query.endswith("VALUES (?supporter ?side) { (<https://w3id.org/wikikg/resource/zh/俄罗斯> 2) }\n")
    assert exact.filters == ()
    loose = bind(text, ["kind=km/h", "supporterLabel=俄罗斯"])
    assert loose.query == text and {p.name for p in loose.filters} == {"kind", "supporterLabel"}
    row = {"kind": Term("literal", "km/h", "en"), "supporterLabel": Term("literal", "俄罗斯", "zh")}
    assert loose.keep([row, {**row, "kind": Term("literal", "m/s")}]) == [row]
    ask = bind(WKG + "ASK { ?x wkg:supportKind ?k }", ["k=zh/装备"])
    assert ask.query.rstrip().endswith("VALUES (?k) { (<https://w3id.org/wikikg/resource/zh/装备>) }")
    with pytest.raises(UsageError, match="given more than once"):
        bind(text, ["side=1", "side=2"])
