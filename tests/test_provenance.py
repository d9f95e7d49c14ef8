"""Provenance at Wikidata/DBpedia level: the article as a revision of its page, one VoID subset per article whose
IRI is its named graph (ours), licence and attribution, one provenance graph per article replaced on reload."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.cli.main import main
from graph.rdf.provenance import InputRecord, article_provenance, base_name
from graph.wikitext.dump import read_dump

from .conftest import SEED, shared_path

PREFIXES = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX void: <http://rdfs.org/ns/void#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX wkg: <https://w3id.org/wikikg/ontology#>
PREFIX schema: <https://schema.org/> PREFIX dbo: <http://dbpedia.org/ontology/>
"""
ARW_GRAPH = "https://w3id.org/wikikg/graph/en/American_Revolutionary_War"


@pytest.fixture(scope="module")
def dump():
    return shared_path("fixtures", "enwiki_dump_excerpt_american_revolutionary_war.xml")


def test_a_dump_page_records_its_revision(dump):
    _, pages = read_dump(str(dump))
    [page] = [p for p in pages if p.title == "American Revolutionary War"]
    assert (page.page_id, page.revision_id, page.timestamp) == (771, 717770601, "2016-04-29T16:31:10Z")


def quads_of(path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_the_article_is_a_revision_of_its_page_in_a_graph_of_ours(dump, tmp_path):
    out = tmp_path / "arw.nq"
    assert main(["build", str(dump), "-o", str(out), "-q"]) == 0
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    [row] = store.query(PREFIXES + """
        SELECT ?graph ?revision ?page ?id ?time ?pageId ?licence ?who ?history ?triples WHERE {
          GRAPH ?graph {
            <https://w3id.org/wikikg/dataset/wikikg> void:subset ?graph .
            ?graph a void:Dataset ; void:triples ?triples ; dcterms:license ?licence ; prov:wasDerivedFrom ?input .
            ?input prov:wasDerivedFrom ?revision .
            ?revision prov:specializationOf ?page ; schema:version ?id ; prov:generatedAtTime ?time ;
                      prov:wasAttributedTo ?who ; wkg:revisionHistory ?history .
            ?page dbo:wikiPageID ?pageId .
          }
        }""", use_default_graph_as_union=False)
    assert row["graph"].value == ARW_GRAPH  # the named graph is the subset, in our namespace
    assert row["revision"].value == "https://en.wikipedia.org/w/index.php?oldid=717770601"
    assert row["page"].value == "https://en.wikipedia.org/wiki/American_Revolutionary_War"
    assert (int(row["id"].value), row["time"].value, int(row["pageId"].value)) == (717770601, "2016-04-29T16:31:10Z",
                                                                                   771)
    assert row["licence"].value == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert row["history"].value == ("https://en.wikipedia.org/w/index.php?title=American_Revolutionary_War"
                                     "&action=history")
    data = [q for q in quads_of(out) if q.graph_name.value == ARW_GRAPH]
    assert int(row["triples"].value) < len(data)  # the data, without its own description


def test_reloading_replaces_the_provenance_instead_of_piling_it_up(tmp_path, monkeypatch):
    names = []
    for day in ("1700000000", "1800000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", day)
        out = tmp_path / f"{day}.nq"
        assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
        names.append({q.graph_name.value for q in quads_of(out)})
    assert names[0] == names[1] == {"https://w3id.org/wikikg/graph/zh/纳戈尔诺-卡拉巴赫战争",
                                    "https://w3id.org/wikikg/dataset/wikikg"}


@pytest.mark.parametrize(("name", "base"), [("seeds/x.wiki", "x.wiki"), ("/data/dumps/a.xml.bz2#page=12", "a.xml.bz2#page=12"),
                                            ("<stdin>", "<stdin>"), ("x.wiki", "x.wiki")])
def test_the_file_name_is_its_base_name(name, base):
    assert base_name(name) == base


def test_a_wiki_file_without_a_revision_is_derived_from_the_page():
    record = InputRecord("x.wiki", "ab" * 32, "https://w3id.org/wikikg/graph/en/X", "X", "en")
    triples = {(t.subject.value, t.predicate.value.rsplit("#", 1)[-1], t.object.value)
               for t in article_provenance(record, 10)}
    assert (f"https://w3id.org/wikikg/input/sha256/{'ab' * 32}", "wasDerivedFrom",
            "https://en.wikipedia.org/wiki/X") in triples
    assert not any("oldid" in s for s, _, _ in triples)
