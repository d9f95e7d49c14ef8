"""graph/wikidata/wikibase_rdf.py: Wikidata's JSON dump → RDF laid out as Wikidata's RDF dumps and WDQS."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest

from graph.cli.main import main
from graph.errors import InputError
from graph.wikidata.wikibase_rdf import (
    ConvertStats,
    article_iri,
    convert_dump,
    entity_triples,
    julian_to_gregorian,
    site_wiki,
    time_lexical,
)

from .conftest import shared_path

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(scope="module")
def sample_store(wikidata_ntriples) -> ox.Store:
    store = ox.Store()
    for path in wikidata_ntriples:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def ask(store: ox.Store, query: str) -> bool:
    prologue = (f"PREFIX wd: <{WD}> PREFIX wdt: <{WDT}> PREFIX schema: <{SCHEMA}> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX wikibase: <http://wikiba.se/ontology#> "
                "PREFIX p: <http://www.wikidata.org/prop/> PREFIX ps: <http://www.wikidata.org/prop/statement/> ")
    return bool(store.query(prologue + query))


def statement(prop: str, value: dict, rank: str = "normal", sid: str = "Q1$A", datatype: str = "wikibase-item",
              qualifiers: dict | None = None) -> dict:
    return {"mainsnak": {"snaktype": "value", "property": prop, "datavalue": value, "datatype": datatype},
            "type": "statement", "id": sid, "rank": rank, "qualifiers": qualifiers or {}}


def item_value(qid: str) -> dict:
    return {"value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}, "type": "wikibase-entityid"}


def time_value(text: str, precision: int = 9, calendar: str = "http://www.wikidata.org/entity/Q1985727") -> dict:
    return {"value": {"time": text, "timezone": 0, "before": 0, "after": 0, "precision": precision,
                      "calendarmodel": calendar}, "type": "time"}


def objects(triples, subject: str, predicate: str) -> list:
    return [t.object for t in triples if t.subject.value == subject and t.predicate.value == predicate]


def test_every_output_parses_and_turtle_equals_ntriples(tmp_path, wikidata_ntriples):
    dump = shared_path("wikidata", "wikidata-sample-all.json.gz")
    sample_nt = wikidata_ntriples[0]
    nt = set(ox.parse(path=str(sample_nt), format=ox.RdfFormat.N_TRIPLES))
    assert len(nt) > 400_000
    stats = convert_dump(str(dump), str(tmp_path / "sample.ttl"))
    assert stats.entities == 1032 and stats.broken_lines == 0 and not stats.truncated
    assert set(ox.parse(path=str(tmp_path / "sample.ttl"), format=ox.RdfFormat.TURTLE)) == nt
    convert_dump(str(dump), str(tmp_path / "sample.nt.gz"))
    with gzip.open(tmp_path / "sample.nt.gz") as fh:
        assert set(ox.parse(fh.read(), format=ox.RdfFormat.N_TRIPLES)) == nt


def test_soviet_union_as_wikidata_writes_it(sample_store):
    assert ask(sample_store, 'ASK { wd:Q15180 a wikibase:Item ; rdfs:label "Soviet Union"@en ; rdfs:label "苏联"@zh }')
    # In the sample, "sovereign state" (Q3624078) is a normal-rank P31 and "historical country" (Q3024240) a
    # preferred one: so only the latter is truthy (wdt:), as on WDQS; the former is in the full statements.
    assert ask(sample_store, "ASK { wd:Q15180 wdt:P31 wd:Q3024240 ; p:P31/ps:P31 wd:Q3624078 }")
    assert not ask(sample_store, "ASK { wd:Q15180 wdt:P31 wd:Q3624078 }")
    assert ask(sample_store, 'ASK { ?a schema:about wd:Q15180 ; a schema:Article ; schema:name "苏联"@zh ; '
                             'schema:inLanguage "zh" ; schema:isPartOf <https://zh.wikipedia.org/> }')
    assert ask(sample_store, 'ASK { <https://zh.wikipedia.org/wiki/%E8%8B%8F%E8%81%94> schema:about wd:Q15180 }')
    assert ask(sample_store, 'ASK { wd:Q15180 wdt:P571 ?d ; wdt:P576 ?e FILTER(YEAR(?d) = 1922 && YEAR(?e) = 1991) }')
    assert ask(sample_store, 'ASK { wd:Q15180 p:P31 ?s . ?s ps:P31 wd:Q3624078 ; wikibase:rank wikibase:NormalRank }')


def test_properties_declare_their_predicates(sample_store):
    assert ask(sample_store, "ASK { wd:P571 a wikibase:Property ; wikibase:directClaim wdt:P571 ; "
                             "wikibase:propertyType wikibase:Time }")


def test_test_items_convert_without_sitelinks(sample_store):
    assert ask(sample_store, 'ASK { wd:Q139670 <http://www.w3.org/2004/02/skos/core#altLabel> "Armenia"@en ; '
                             'wdt:P31 wd:Q3024240 }')
    assert not ask(sample_store, "ASK { ?a schema:about wd:Q399 }")


def test_bce_years_become_astronomical():
    assert time_lexical("-0031-00-00T00:00:00Z") == "-0030-01-01T00:00:00Z"
    assert time_lexical("-0001-01-01T00:00:00Z") == "0000-01-01T00:00:00Z"
    assert time_lexical("+1991-12-26T00:00:00Z") == "1991-12-26T00:00:00Z"
    assert time_lexical("+2001-00-00T00:00:00Z") == "2001-01-01T00:00:00Z"
    assert time_lexical("nonsense") is None
    entity = {"id": "Q1", "type": "item", "claims": {"P571": [statement("P571", time_value("-0031-00-00T00:00:00Z"),
                                                                           datatype="time")]}}
    (value,) = objects(list(entity_triples(entity)), WD + "Q1", WDT + "P571")
    assert value == ox.Literal("-0030-01-01T00:00:00Z", datatype=ox.NamedNode(XSD + "dateTime"))


def test_julian_dates_of_day_precision_become_gregorian():
    julian = "http://www.wikidata.org/entity/Q1985786"
    assert julian_to_gregorian(1582, 10, 5) == (1582, 10, 15)
    assert julian_to_gregorian(1917, 10, 25) == (1917, 11, 7)  # the October Revolution
    assert time_lexical("+1917-10-25T00:00:00Z", 11, julian) == "1917-11-07T00:00:00Z"
    assert time_lexical("+1299-00-00T00:00:00Z", 9, julian) == "1299-01-01T00:00:00Z"  # a year is a year


def test_deprecated_statements_are_never_truthy_and_preferred_ones_win():
    entity = {"id": "Q1", "type": "item", "claims": {
        "P31": [statement("P31", item_value("Q5"), rank="deprecated", sid="Q1$D")],
        "P17": [statement("P17", item_value("Q15180"), sid="Q1$N"),
                statement("P17", item_value("Q159"), rank="preferred", sid="Q1$P")]}}
    triples = list(entity_triples(entity))
    assert objects(triples, WD + "Q1", WDT + "P31") == []
    assert objects(triples, WD + "Q1", WDT + "P17") == [ox.NamedNode(WD + "Q159")]
    ranks = {t.subject.value.rsplit("/", 1)[-1]: t.object.value.rsplit("#", 1)[-1]
             for t in triples if t.predicate.value == "http://wikiba.se/ontology#rank"}
    assert ranks == {"Q1-D": "DeprecatedRank", "Q1-N": "NormalRank", "Q1-P": "PreferredRank"}


def test_values_of_every_kind():
    coord = {"value": {"latitude": 40.18, "longitude": 44.51, "altitude": None, "precision": 0.01,
                       "globe": "http://www.wikidata.org/entity/Q2"}, "type": "globecoordinate"}
    entity = {"id": "Q1", "type": "item", "claims": {
        "P625": [statement("P625", coord, datatype="globe-coordinate")],
        "P1082": [statement("P1082", {"value": {"amount": "+2963900", "unit": "1"}, "type": "quantity"},
                            datatype="quantity",
                            qualifiers={"P585": [{"snaktype": "value", "property": "P585", "datatype": "time",
                                                  "datavalue": time_value("+2021-00-00T00:00:00Z")}]})],
        "P1448": [statement("P1448", {"value": {"text": "Հայաստան", "language": "hy"}, "type": "monolingualtext"},
                            datatype="monolingualtext")],
        "P356": [statement("P356", {"value": "10.1000/ABC", "type": "string"}, datatype="external-id")],
        "P570": [{"mainsnak": {"snaktype": "somevalue", "property": "P570", "datatype": "time"}, "rank": "normal",
                  "id": "Q1$S"}],
        "P9999": [statement("P9999", {"value": {"x": 1}, "type": "some-future-type"}, datatype="future")]}}
    stats = ConvertStats()
    triples = list(entity_triples(entity, stats))
    assert objects(triples, WD + "Q1", WDT + "P625") == [
        ox.Literal("Point(44.51 40.18)", datatype=ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral"))]
    assert objects(triples, WD + "Q1", WDT + "P1082")[0].datatype.value == XSD + "decimal"
    assert objects(triples, WD + "Q1", WDT + "P1448") == [ox.Literal("Հայաստան", language="hy")]
    assert objects(triples, WD + "Q1", WDT + "P356") == [ox.Literal("10.1000/ABC")]
    assert objects(triples, WD + "Q1", WDT + "P570") == [] and objects(triples, WD + "Q1", WDT + "P9999") == []
    assert any(t.predicate.value == "http://www.wikidata.org/prop/qualifier/P585" for t in triples)
    assert stats.skipped_values == 2


@pytest.mark.parametrize("entity", [
    {}, {"id": 5}, {"id": "not an id"}, {"id": "Q1", "labels": [], "aliases": [], "sitelinks": [], "claims": []},
    {"id": "Q1", "labels": {"en": "bare"}, "claims": {"P31": [{"rank": "normal"}, None, {"mainsnak": "x"}]}},
    {"id": "Q1", "labels": {"xx": {"language": "not a tag!", "value": "v"}},
     "sitelinks": {"zhwiki": {"site": "zhwiki"}, "enwiki": None, "commonswiki": {"title": "Category:X"}},
     "claims": {"P31": [statement("P31", {"type": "wikibase-entityid", "value": None})],
                "P17": [statement("P17", {"type": "quantity", "value": {"amount": "lots"}})],
                "P18": [statement("P18", {"type": "string", "value": "bad url"}, datatype="url")]}},
])
def test_malformed_entities_do_not_crash(entity):
    triples = list(entity_triples(entity))
    assert all(isinstance(t, ox.Triple) for t in triples)
    ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def test_sites_and_article_urls():
    assert site_wiki("zhwiki") == ("zh", "https://zh.wikipedia.org/")
    assert site_wiki("zh_yuewiki") == ("zh-yue", "https://zh-yue.wikipedia.org/")
    assert site_wiki("enwikiquote") == ("en", "https://en.wikiquote.org/")
    assert site_wiki("commonswiki") is None and site_wiki("wikidatawiki") is None
    assert article_iri("https://en.wikipedia.org/", "Nagorno-Karabakh War (1988–1994)") == \
        "https://en.wikipedia.org/wiki/Nagorno-Karabakh_War_(1988%E2%80%931994)"
    assert article_iri("https://en.wikipedia.org/", "AC/DC? #1") == "https://en.wikipedia.org/wiki/AC/DC%3F_%231"


def test_cli_rdf_action(tmp_path, capsys):
    dump = tmp_path / "dump.json"
    entity = {"id": "Q1", "type": "item", "labels": {"en": {"language": "en", "value": "x"}}}
    dump.write_text("[\n" + json.dumps(entity) + ",\nnot json\n]\n", encoding="utf-8")
    assert main(["wikidata-index", "rdf", str(dump), "-o", str(tmp_path / "out.nt"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "1 entities" in captured.out and "1 broken lines" in captured.err
    assert ox.Triple(ox.NamedNode(WD + "Q1"), RDFS_LABEL, ox.Literal("x", language="en")) in \
        {q.triple for q in ox.parse(path=str(tmp_path / "out.nt"), format=ox.RdfFormat.N_TRIPLES)}


def test_an_empty_dump_is_an_input_error_and_writes_nothing(tmp_path):
    (tmp_path / "empty.json").write_text("[\n]\n", encoding="utf-8")
    with pytest.raises(InputError):
        convert_dump(str(tmp_path / "empty.json"), str(tmp_path / "out.nt"))
    assert list(tmp_path.iterdir()) == [tmp_path / "empty.json"]
