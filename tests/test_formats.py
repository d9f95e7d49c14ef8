"""Output formats as people expect them: the extension says the format (RDF/XML, TriG, gzip), an extension we do
not write is an error, and JSON-LD is compacted with our prefixes — each read back into the same graph."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest

from graph.cli.main import main
from graph.rdf.jsonld import compacted_jsonld
from graph.rdf.serialize import format_for, to_bytes

from .conftest import SEED
from .test_cli import run_cli

PAGE = "https://w3id.org/wikikg/graph/zh/纳戈尔诺-卡拉巴赫战争"  # the seed article's named graph


@pytest.fixture(scope="module")
def seed_turtle(tmp_path_factory):
    out = tmp_path_factory.mktemp("formats") / "seed.ttl"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    return out


def triples_of(data: bytes, fmt: ox.RdfFormat) -> set:
    return {q.triple for q in ox.parse(data, format=fmt)}


def without_blank_nodes(triples: set) -> set:
    return {t for t in triples if not any(isinstance(x, ox.BlankNode) for x in (t.subject, t.object))}


@pytest.mark.parametrize("name", ["out.rdf", "out.owl", "out.xml"])
def test_rdf_xml_extensions_write_rdf_xml(tmp_path, seed_turtle, name):
    out = tmp_path / name
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    data = out.read_bytes()
    assert data.startswith(b'<?xml version="1.0"') and b"<rdf:RDF" in data
    assert without_blank_nodes(triples_of(data, ox.RdfFormat.RDF_XML)) == \
        without_blank_nodes(triples_of(seed_turtle.read_bytes(), ox.RdfFormat.TURTLE))


def test_rdf_xml_is_the_same_bytes_every_run(tmp_path):
    # pyoxigraph declares the namespaces in hash order: sorted, like Turtle's prefix lines
    runs = [run_cli("build", str(SEED), "-o", str(tmp_path / f"{i}.rdf"), "-q") for i in range(2)]
    assert all(r.returncode == 0 for r in runs)
    assert (tmp_path / "0.rdf").read_bytes() == (tmp_path / "1.rdf").read_bytes()


def test_trig_keeps_one_named_graph_per_article(tmp_path):
    out = tmp_path / "out.trig"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"@prefix ")
    quads = list(ox.parse(data, format=ox.RdfFormat.TRIG))
    assert PAGE in {q.graph_name.value for q in quads}
    nquads = tmp_path / "out.nq"
    assert main(["build", str(SEED), "-o", str(nquads), "-q"]) == 0
    # the same dataset as N-Quads, but for the run's own description (its time and digest differ)
    article = {q for q in quads if q.graph_name.value == PAGE}
    assert article == {q for q in ox.parse(nquads.read_bytes(), format=ox.RdfFormat.N_QUADS)
                       if q.graph_name.value == PAGE}


@pytest.mark.parametrize("name, fmt", [("out.nq.gz", ox.RdfFormat.N_QUADS), ("out.ttl.gz", ox.RdfFormat.TURTLE),
                                       ("out.trig.gz", ox.RdfFormat.TRIG)])
def test_gz_outputs_are_gzipped(tmp_path, name, fmt):
    out = tmp_path / name
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    data = out.read_bytes()
    assert data[:2] == b"\x1f\x8b", "not gzip"
    assert len(list(ox.parse(gzip.decompress(data), format=fmt))) > 500


def test_gz_output_is_the_same_bytes_every_run(tmp_path):
    for i in range(2):
        assert main(["build", str(SEED), "-o", str(tmp_path / f"{i}.ttl.gz"), "-q"]) == 0
    assert (tmp_path / "0.ttl.gz").read_bytes() == (tmp_path / "1.ttl.gz").read_bytes()


@pytest.mark.parametrize("name", ["out.txt", "out.turtle", "out.csv.gz"])
def test_an_extension_we_do_not_write_is_a_usage_error(tmp_path, name):
    run = run_cli("build", str(SEED), "-o", str(tmp_path / name))
    err = run.stderr.decode()
    assert run.returncode == 2, err
    assert "no RDF format is written as" in err and ".ttl" in err and "--format" in err
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_format_for_reads_the_extension():
    assert format_for(None, "x.OWL") == "rdfxml"
    assert format_for(None, "x.nq.gz") == "nquads"
    assert format_for(None, "/dev/stdout") == "turtle"  # no extension: Turtle, as before
    assert format_for("nt", "x.whatever") == "nt"  # --format wins over any name


def test_jsonld_is_compacted_with_our_prefixes_and_reads_back_the_same(tmp_path, seed_turtle):
    out = tmp_path / "out.jsonld"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    document = json.loads(out.read_bytes())
    context = document["@context"]
    assert context["wkg"] == "https://w3id.org/wikikg/ontology#"
    assert context["zh"] == "https://w3id.org/wikikg/resource/zh/"
    nodes = {n["@id"]: n for n in document["@graph"]}
    assert "zh:纳戈尔诺-卡拉巴赫战争" in nodes
    assert any("wkg:Conflict" in (n.get("@type") or []) for n in nodes.values())
    assert without_blank_nodes(triples_of(out.read_bytes(), ox.RdfFormat.JSON_LD)) == \
        without_blank_nodes(triples_of(seed_turtle.read_bytes(), ox.RdfFormat.TURTLE))


def test_jsonld_compaction_keeps_every_kind_of_term():
    s, p = ox.NamedNode("https://w3id.org/wikikg/resource/en/X"), ox.NamedNode("https://schema.org/name")
    triples = [
        ox.Triple(s, p, ox.Literal("plain")),
        ox.Triple(s, p, ox.Literal("tagged", language="zh-Hant")),
        ox.Triple(s, p, ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ox.Triple(s, p, ox.NamedNode("https://w3id.org/wikikg/resource/en///odd")),  # not a compact IRI
        ox.Triple(s, p, ox.BlankNode("b1")),
        ox.Triple(s, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.NamedNode("https://w3id.org/wikikg/ontology#Person")),
    ]
    prefixes = {"en": "https://w3id.org/wikikg/resource/en/", "schema": "https://schema.org/",
                "wkg": "https://w3id.org/wikikg/ontology#", "xsd": "http://www.w3.org/2001/XMLSchema#",
                "unused": "urn:unused:"}
    data = compacted_jsonld(triples, prefixes)
    document = json.loads(data)
    assert "unused" not in document["@context"]
    assert document["@graph"][0]["@type"] == "wkg:Person"
    back = list(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    assert without_blank_nodes({q.triple for q in back}) == without_blank_nodes(set(triples))
    assert len(back) == len(triples)


def test_to_bytes_writes_every_format_it_names():
    t = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))
    for fmt, rdf_format in [("trig", ox.RdfFormat.TRIG), ("rdfxml", ox.RdfFormat.RDF_XML)]:
        data = to_bytes([t], fmt, graphs={"urn:g": [t]})
        assert [q.triple for q in ox.parse(data, format=rdf_format)] == [t]


def test_what_build_writes_gzipped_query_and_analyze_read(tmp_path, capsys):
    out = tmp_path / "seed.nq.gz"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    assert main(["query", "commanders", str(out), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]["bindings"]) == 23
    assert main(["analyze", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["centrality"]


def test_ontology_prints_the_shipped_files_and_writes_them_in_any_format(tmp_path, capsys):
    from .conftest import ONTOLOGY

    assert main(["ontology"]) == 0
    assert capsys.readouterr().out == (ONTOLOGY / "wikikg.ttl").read_text(encoding="utf-8")
    assert main(["ontology", "--shapes"]) == 0
    assert capsys.readouterr().out == (ONTOLOGY / "shapes.ttl").read_text(encoding="utf-8")
    assert main(["ontology", "-o", str(tmp_path / "vocab") + "/"]) == 0
    assert sorted(p.name for p in (tmp_path / "vocab").iterdir()) == ["alignments.ttl", "shapes.ttl", "wikikg.ttl"]
    for name in ("a.owl", "b.owl"):
        assert main(["ontology", "-o", str(tmp_path / name)]) == 0
    owl = (tmp_path / "a.owl").read_bytes()
    assert owl == (tmp_path / "b.owl").read_bytes()  # blank nodes named in file order: the same bytes
    shipped = list(ox.parse(path=str(ONTOLOGY / "wikikg.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(list(ox.parse(owl, format=ox.RdfFormat.RDF_XML))) == len(shipped)
