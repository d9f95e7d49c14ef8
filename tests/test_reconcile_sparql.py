"""graph/wikidata/reconcile/sparql.py: the Backend protocol on a real `oxigraph serve` holding Wikidata-shaped RDF
(the real sample plus the test items, converted by graph/wikidata/wikibase_rdf.py), queried through SPARQLWrapper."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graph.wikidata.index import WikidataIndex, build_index
from graph.wikidata.reconcile.backend import BackendError
from graph.wikidata.reconcile.model import LabelHit
from graph.wikidata.reconcile.sparql import SparqlBackend, sparqlwrapper_transport

from .conftest import shared_path
from .oxigraph_server import free_port
from .wikidata_endpoint import TEST_ITEMS

INJECTIONS = ['x" } ; DROP ALL ; SELECT * { "', 'back\\slash', "close } brace", "new\nline", "# comment",
              "'''triple'''", '"""', "Warsaw\"@en } UNION { ?item ?p ?o } #", "\\u0022", "\u0000nul"]


@pytest.fixture(scope="module")
def backend(wikidata_endpoint) -> SparqlBackend:
    return SparqlBackend(wikidata_endpoint, batch_size=7)  # small batches: every method splits its input


def test_sitelink_finds_the_soviet_union_by_its_zhwiki_title(backend):
    assert backend.sitelinks("zhwiki", ["苏联"]) == {"苏联": "Q15180"}
    # titles are compared as MediaWiki does, and answered under the title as given
    assert backend.sitelinks("enwiki", ["Soviet_Union", "soviet Union", "Nowhere at all"]) == \
        {"Soviet_Union": "Q15180", "soviet Union": "Q15180"}
    assert backend.sitelinks("commonswiki", ["Soviet Union"]) == {}


def test_labels_find_homonyms(backend):
    hits = backend.labels(["Warsaw"], ["en"])
    assert len({hit.qid for hit in hits}) >= 3
    assert all(hit.text == "Warsaw" and hit.lang == "en" for hit in hits)
    assert LabelHit("Q270", "Warsaw", "en", alias=False) in hits


def test_labels_find_test_made_aliases(backend):
    hits = backend.labels(["Armenia"], ["en", "zh"])
    assert {(hit.qid, hit.alias) for hit in hits} == {("Q399", False), ("Q139670", True), ("Q1926064", True)}


def test_labels_in_chinese(backend):
    hits = backend.labels(["苏联", "蘇聯"], ["zh", "zh-hant", "zh-hans"])
    assert {hit.qid for hit in hits} == {"Q15180"}
    assert {(hit.text, hit.lang) for hit in hits} >= {("苏联", "zh"), ("蘇聯", "zh-hant")}


def test_describe_the_soviet_union(backend):
    facts = backend.describe(["Q15180"], {"Q6256", "Q5"})
    soviet = facts["Q15180"]
    assert soviet.classes == {"Q6256"}
    assert (soviet.inception, soviet.dissolved) == (1922, 1991)
    assert soviet.labels["en"] == "Soviet Union" and soviet.labels["zh"] == "苏联"
    assert soviet.types == ["Q3024240"]  # the preferred P31 is the only truthy one


def test_describe_test_items_and_unknown_qids(backend):
    facts = backend.describe(["Q30487", "Q12560", "Q794", "Q999999999", "not a qid", "Q0"], ["Q5", "Q6256"])
    assert set(facts) == {"Q30487", "Q12560", "Q794"}
    gorbachev = facts["Q30487"]
    assert (gorbachev.birth, gorbachev.death, gorbachev.classes, gorbachev.types) == (1931, 2022, {"Q5"}, ["Q5"])
    assert (facts["Q12560"].inception, facts["Q12560"].dissolved, facts["Q12560"].classes) == (1299, 1922, {"Q6256"})
    assert facts["Q794"].inception is None and facts["Q794"].label == "Iran"


def test_describe_without_classes_asks_one_query(wikidata_endpoint):
    queries = []

    def counting(endpoint: str, query: str) -> dict:
        queries.append(query)
        return sparqlwrapper_transport(endpoint, query)

    facts = SparqlBackend(wikidata_endpoint, transport=counting).describe(["Q15180"], [])
    assert facts["Q15180"].classes == set() and len(queries) == 1


def test_identifier_finds_the_item_of_a_doi(backend):
    assert backend.identifiers("P356", ["10.1038/NN.2501", "10.0000/NOTHING"]) == \
        {"10.1038/NN.2501": ["Q30493353"]}  # Stimulus onset quenches neural variability
    with pytest.raises(ValueError):
        backend.identifiers("P356 } ; DROP ALL ; #", ["x"])


@pytest.mark.parametrize("hostile", INJECTIONS)
def test_hostile_text_is_a_literal_that_matches_nothing(backend, hostile):
    assert backend.labels([hostile], ["en", "zh"]) == []
    assert backend.sitelinks("zhwiki", [hostile]) == {}
    assert backend.identifiers("P356", [hostile]) == {}


def test_hostile_ids_and_languages_are_refused_or_ignored(backend):
    assert backend.describe(['Q15180> } ; DROP ALL ; #', "wd:Q15180"], ["Q6256 } #"]) == {}
    assert backend.labels(["Warsaw"], ['en" } #', "not a tag!"]) == []


def test_queries_carry_escaped_terms_only():
    seen: list[str] = []

    def recording(endpoint: str, query: str) -> dict:
        seen.append(query)
        return {"head": {"vars": []}, "results": {"bindings": []}}

    SparqlBackend("http://example.invalid/sparql", transport=recording).labels(['a"b\\c}\nd'], ["en"])
    assert '"a\\"b\\\\c}\\nd"@en' in seen[0]


def test_an_unreachable_endpoint_is_a_backend_error():
    backend = SparqlBackend(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(BackendError):
        backend.labels(["Warsaw"], ["en"])
    assert backend.name.startswith("SPARQL http://127.0.0.1:")


def test_an_answer_that_is_not_sparql_results_is_a_backend_error():
    backend = SparqlBackend("http://example.invalid/sparql", transport=lambda endpoint, query: {"oops": 1})
    with pytest.raises(BackendError):
        backend.sitelinks("zhwiki", ["苏联"])


# ---------------------------------------------------------------- the test items

def test_test_items_agree_with_verified_qids():
    verified = {row["qid"]: row for row in csv.DictReader(
        shared_path("wikidata", "verified_qids.tsv").open(encoding="utf-8"), delimiter="\t")}
    items = json.loads(TEST_ITEMS.read_text(encoding="utf-8"))
    for item in items:
        assert item["id"] in verified, item["id"]
        assert item["labels"]["en"]["value"] == verified[item["id"]]["label_en"]
        assert item["sitelinks"] == {} and not any(lang.startswith("zh") for lang in item["labels"])
    states = {qid for qid, row in verified.items() if row["kind"] == "state"} - {"Q15180", "Q34266"}  # in the sample
    assert {item["id"] for item in items} == states | {"Q30487"}


def test_test_items_are_read_by_the_index_builder(tmp_path: Path):
    stats = build_index(str(TEST_ITEMS), str(tmp_path / "wd.db"), progress=False)
    assert stats.entities == 17 and stats.broken_lines == 0
    with WikidataIndex(str(tmp_path / "wd.db")) as index:
        armenia = index.entity("Q139670")
        assert (armenia.inception, armenia.dissolved, armenia.instance_of) == (1918, 1920, ["Q3024240"])
        assert set(index.by_label("Armenia", ["en"])) == {"Q399", "Q139670", "Q1926064"}
