"""Every named query on the seed: expected rows (golden .srj files), the same rows from a real
`oxigraph serve` loaded with `wikikg load`, and from `wikikg serve`. Set WIKIKG_UPDATE_GOLDEN=1 to
rewrite the golden files after a deliberate change (and read the diff)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from graph.cli.main import main
from graph.query.endpoint import EndpointError, query_endpoint
from graph.query.engine import load_store, run_query
from graph.query.results import format_rows
from graph.query.serve import SparqlServer

from .conftest import QUERIES, SEED
from .oxigraph_server import free_port, oxigraph_serve

GOLDEN = Path(__file__).parent / "expected" / "seed"
NAMED_QUERIES = sorted(p.stem for p in QUERIES.glob("*.rq"))


def canonical(names, rows) -> list[tuple]:
    """Rows as sorted tuples of (kind, value, lang, datatype): engine-independent, order-independent."""
    return sorted(tuple((t.kind, t.value, (t.lang or "").lower(), t.datatype) if t else None for t in
                        (row[n] for n in names)) for row in rows)


@pytest.fixture(scope="module")
def seed_nq(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sparql") / "seed.nq"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def embedded(seed_nq) -> dict:
    store = load_store([str(seed_nq)])
    return {name: run_query(store, (QUERIES / f"{name}.rq").read_text(encoding="utf-8")) for name in NAMED_QUERIES}


@pytest.mark.parametrize("name", NAMED_QUERIES)
def test_named_query_matches_its_golden_results(name, embedded):
    names, rows = embedded[name]
    golden = GOLDEN / f"{name}.srj"
    if os.environ.get("WIKIKG_UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(format_rows(names, rows, "json"), encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert expected["head"]["vars"] == names
    assert json.loads(format_rows(names, rows, "json"))["results"]["bindings"] == expected["results"]["bindings"]


def test_golden_files_say_what_a_reader_of_the_seed_expects(embedded):
    names, rows = embedded["supporters"]
    russia = {(r["side"].value, r["kind"].value) for r in rows if r["supporter"].value.endswith("/俄罗斯")}
    assert russia == {("1", "equipment"), ("2", "equipment")}
    names, rows = embedded["commanders"]
    assert len(rows) == 23 and sum(r["killedInAction"].value == "true" for r in rows) == 2


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph-db"), union_default_graph=True) as base:
        yield base


def test_oxigraph_server_loaded_with_wikikg_load_gives_identical_rows(oxigraph_server, seed_nq, embedded, capsys):
    assert main(["load", str(seed_nq), "--store", f"{oxigraph_server}/store"]) == 0
    assert "纳戈尔诺-卡拉巴赫战争" in capsys.readouterr().err
    assert main(["load", str(seed_nq), "--store", f"{oxigraph_server}/store"]) == 0  # reload replaces
    for name in NAMED_QUERIES:
        capsys.readouterr()
        assert main(["query", str(QUERIES / f"{name}.rq"), "--endpoint", f"{oxigraph_server}/query",
                     "--format", "json"]) == 0
        remote = json.loads(capsys.readouterr().out)
        local = json.loads(format_rows(*embedded[name], "json"))
        key = lambda b: json.dumps(b, sort_keys=True, ensure_ascii=False)  # noqa: E731
        assert sorted(map(key, remote["results"]["bindings"])) == sorted(map(key, local["results"]["bindings"])), name


def test_wikikg_serve_gives_identical_rows_and_refuses_updates(seed_nq, embedded):
    server = SparqlServer(load_store([str(seed_nq)]), port=free_port(), timeout=10, max_rows=10_000)
    server.start_in_thread()
    try:
        for name in NAMED_QUERIES:
            names, rows = query_endpoint(server.url, (QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
            assert canonical(names, rows) == canonical(*embedded[name]), name
        update = urllib.request.Request(server.url, data=b"update=DROP ALL", method="POST",
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code == 403
        query = urllib.parse.quote((QUERIES / "commanders.rq").read_text(encoding="utf-8"))
        csv_request = urllib.request.Request(f"{server.url}?query={query}", headers={"Accept": "text/csv"})
        with urllib.request.urlopen(csv_request, timeout=10) as response:
            lines = response.read().decode("utf-8").splitlines()
        assert lines[0].startswith("conflict,side,commander") and len(lines) == 24
    finally:
        server.shutdown()
        server.server_close()


def test_result_cap_and_syntax_errors(seed_nq):
    server = SparqlServer(load_store([str(seed_nq)]), port=free_port(), max_rows=5)
    server.start_in_thread()
    try:
        names, rows = query_endpoint(server.url, "SELECT * WHERE { ?s ?p ?o }")
        assert len(rows) == 5
        with pytest.raises(EndpointError) as bad:
            query_endpoint(server.url, "SELECT WHERE {")
        assert "badly formed" in str(bad.value)
    finally:
        server.shutdown()
        server.server_close()


def test_params_are_bound_safely(seed_nq, capsys):
    assert main(["query", str(QUERIES / "commanders.rq"), str(seed_nq), "--param", "side=2", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 9
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    assert main(["query", str(QUERIES / "supporters.rq"), str(seed_nq), "--param", f"kind={hostile}",
                 "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1  # a literal that matches nothing


def test_unreachable_endpoint_is_a_clear_error(capsys):
    port = free_port()
    assert main(["query", str(QUERIES / "conflicts.rq"), "--endpoint", f"http://127.0.0.1:{port}/query",
                 "--timeout", "5"]) == 1
    assert "cannot reach" in capsys.readouterr().err
