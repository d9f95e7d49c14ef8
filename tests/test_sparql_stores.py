"""Every named query on the seed: expected rows (golden .srj files, themselves checked against the shared gold), the
same rows from a real `oxigraph serve` loaded with `wikikg load`, and from `wikikg serve`.

Golden files are written only by an explicit `WIKIKG_UPDATE_GOLDEN=1 pytest tests/test_sparql_stores.py` after a
deliberate change (read the diff); a missing golden file fails."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from graph.cli.main import main
from graph.query.endpoint import EndpointError, query_endpoint
from graph.query.engine import load_store, run_query
from graph.query.results import format_rows

from .conftest import QUERIES, SEED, shared_path
from .gold_rows import disagreements, srj_rows
from .oxigraph_server import free_port, oxigraph_serve, wikikg_serve

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
    if os.environ.get("WIKIKG_UPDATE_GOLDEN"):
        golden.write_text(format_rows(names, rows, "json"), encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: write it with WIKIKG_UPDATE_GOLDEN=1 and read it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert expected["head"]["vars"] == names
    assert json.loads(format_rows(names, rows, "json"))["results"]["bindings"] == expected["results"]["bindings"]


# What the golden rows still get wrong, by the shared gold's account (with the gold's value): the body reader's
# known faults, kept here and not in the golden files. The issues that fix them remove their lines.
KNOWN_WRONG = [
    "event wrong: 进城驱散示威 (gold 1988-03-01 at 苏姆盖特; ours 1988-03-01 → 1988-03-01)",
]


def test_golden_rows_agree_with_the_shared_gold_but_for_the_known_faults():
    """A golden row the gold contradicts fails here, so the tool can never bless a wrong row again; a known
    fault that is fixed fails here too, until its line above is removed."""
    gold = json.loads(shared_path("gold", f"{SEED.stem}.json").read_text(encoding="utf-8"))
    found = disagreements(gold, srj_rows(GOLDEN))
    assert [d for d in found if d not in KNOWN_WRONG] == [], "golden rows the shared gold contradicts"
    assert [d for d in KNOWN_WRONG if d not in found] == [], "known faults now fixed: remove them from KNOWN_WRONG"


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
    for name in NAMED_QUERIES:
        capsys.readouterr()
        assert main(["query", str(QUERIES / f"{name}.rq"), "--endpoint", f"{oxigraph_server}/query",
                     "--format", "json"]) == 0
        remote = json.loads(capsys.readouterr().out)
        local = json.loads(format_rows(*embedded[name], "json"))
        key = lambda b: json.dumps(b, sort_keys=True, ensure_ascii=False)  # noqa: E731
        assert sorted(map(key, remote["results"]["bindings"])) == sorted(map(key, local["results"]["bindings"])), name


def edited_article(seed_nq: Path, tmp_path: Path) -> tuple[Path, str, str]:
    """The seed with one quad of the article's graph dropped and a marker quad added: (file, dropped, marker)."""
    lines = seed_nq.read_text(encoding="utf-8").splitlines()
    article_graph = "<https://w3id.org/wikikg/graph/zh/"
    dropped = next(line for line in lines if line.rstrip(" .").endswith(">") and article_graph in line.split()[-2])
    graph = dropped.split()[-2]
    marker = f'<urn:wikikg:test> <urn:wikikg:edited> "yes" {graph} .'
    edited = tmp_path / "edited.nq"
    edited.write_text("\n".join([line for line in lines if line != dropped] + [marker]) + "\n", encoding="utf-8")
    return edited, dropped, marker


def holds(server: str, quad_line: str) -> bool:
    """Whether the store at ``server`` holds the N-Quads line's quad."""
    s, p, o_and_g = quad_line.split(" ", 2)
    o, g = o_and_g.rstrip(" .").rsplit(" ", 1)
    _, rows = query_endpoint(f"{server}/query", f"SELECT ?x WHERE {{ BIND(1 AS ?x) GRAPH {g} {{ {s} {p} {o} }} }}")
    return bool(rows)


def test_load_replace_drops_what_the_new_version_lost_and_append_keeps_it(oxigraph_server, seed_nq, tmp_path):
    edited, dropped, marker = edited_article(seed_nq, tmp_path)
    assert main(["load", str(seed_nq), "--store", f"{oxigraph_server}/store"]) == 0
    assert holds(oxigraph_server, dropped) and not holds(oxigraph_server, marker)
    assert main(["load", str(edited), "--store", f"{oxigraph_server}/store", "--replace"]) == 0
    assert not holds(oxigraph_server, dropped) and holds(oxigraph_server, marker)  # replaced: the lost quad is gone
    assert main(["load", str(seed_nq), "--store", f"{oxigraph_server}/store", "--append"]) == 0
    assert holds(oxigraph_server, dropped) and holds(oxigraph_server, marker)  # appended: both
    assert main(["load", str(seed_nq), "--store", f"{oxigraph_server}/store"]) == 0  # as the other tests expect


def test_wikikg_serve_gives_identical_rows_and_refuses_updates(seed_nq, embedded):
    with wikikg_serve([seed_nq], "--timeout", "60", "--max-rows", "10000") as url:
        for name in NAMED_QUERIES:
            names, rows = query_endpoint(url, (QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
            assert canonical(names, rows) == canonical(*embedded[name]), name
        update = urllib.request.Request(url, data=b"update=DROP ALL", method="POST",
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=60)
        assert refused.value.code == 403
        query = urllib.parse.quote((QUERIES / "commanders.rq").read_text(encoding="utf-8"))
        csv_request = urllib.request.Request(f"{url}?query={query}", headers={"Accept": "text/csv"})
        with urllib.request.urlopen(csv_request, timeout=60) as response:
            lines = response.read().decode("utf-8").splitlines()
        assert lines[0].startswith("conflict,side,commander") and len(lines) == 24


def test_result_cap_and_syntax_errors(seed_nq):
    with wikikg_serve([seed_nq], "--max-rows", "5") as url:
        names, rows = query_endpoint(url, "SELECT * WHERE { ?s ?p ?o }")
        assert len(rows) == 5
        with pytest.raises(EndpointError) as bad:
            query_endpoint(url, "SELECT WHERE {")
        assert "badly formed" in str(bad.value)


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


# --- many articles: a triple stated by several articles' graphs counts once ---

ARTICLE_NAME = "纳戈尔诺-卡拉巴赫战争"  # the seed's title
COPIES = 4


def copy_title(copy: int) -> str:
    return ARTICLE_NAME if copy == 0 else f"{ARTICLE_NAME}_{copy}"


@pytest.fixture(scope="module")
def seed_copies(tmp_path_factory) -> list[Path]:
    """The seed built COPIES times under other titles, as other articles would be: their own IRIs, and the same
    shared entities (commanders, places, works, sub-events), whose triples every copy's graph repeats."""
    folder = tmp_path_factory.mktemp("copies")
    paths = []
    for copy in range(COPIES):
        paths.append(folder / f"copy-{copy}.nq")
        assert main(["build", str(SEED), "--title", copy_title(copy), "-o", str(paths[-1]), "-q"]) == 0
    return paths


# A query over works, not articles: its counts add up over the articles that cite a work.
ACROSS_ARTICLES = {"sources"}


@pytest.mark.parametrize("name", [n for n in NAMED_QUERIES if n not in ACROSS_ARTICLES])
def test_each_article_keeps_its_own_rows_among_many(name, seed_copies):
    """Queried together, the articles give the rows each gives alone: none repeated, none multiplied (a row about
    a shared entity, the same in every copy, comes once)."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    alone = {row for path in seed_copies for row in canonical(*run_query(load_store([str(path)]), text))}
    together = canonical(*run_query(load_store(map(str, seed_copies)), text))
    assert len(together) == len(set(together))
    assert set(together) == alone


def test_citation_counts_add_up_over_articles_and_never_repeat(seed_copies, embedded):
    rows = run_query(load_store(map(str, seed_copies)), (QUERIES / "sources.rq").read_text(encoding="utf-8"))[1]
    once = {r["source"].value: int(r["timesCited"].value) for r in embedded["sources"][1]}
    many = {r["source"].value: int(r["timesCited"].value) for r in rows}
    assert len(rows) == len(many)  # one row per work
    assert many == {s: COPIES * n for s, n in once.items()}


def test_named_queries_stay_right_on_a_store_whose_default_graph_is_the_union(seed_nq, tmp_path):
    """`oxigraph serve --union-default-graph` repeats a solution per graph holding a triple (oxigraph#1919):
    the named queries are written (GROUP BY, DISTINCT under sums) so that their rows do not change. Two
    articles sharing entities show it; more only cost the store time."""
    second = tmp_path / "second.nq"
    assert main(["build", str(SEED), "--title", copy_title(1), "-o", str(second), "-q"]) == 0
    with oxigraph_serve(tmp_path / "db", union_default_graph=True) as base:
        assert main(["load", str(seed_nq), str(second), "--store", f"{base}/store"]) == 0
        local = load_store([str(seed_nq), str(second)])
        for name in NAMED_QUERIES:
            text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
            assert canonical(*query_endpoint(f"{base}/query", text)) == canonical(*run_query(local, text)), name


def test_a_count_over_many_articles_counts_each_triple_once(seed_copies):
    """The union of the named graphs would count a commander's label once per article that names him."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?person a <https://w3id.org/wikikg/ontology#Person> ; " \
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    alone = run_query(load_store([str(seed_copies[0])]), count)[1][0]["n"].value
    assert run_query(load_store(map(str, seed_copies)), count)[1][0]["n"].value == alone
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a <https://w3id.org/wikikg/ontology#Article> } }"
    assert run_query(load_store(map(str, seed_copies)), graphs)[1][0]["n"].value == str(COPIES)  # graphs kept
