"""Every real article we have builds to Turtle that every parser reads (pyoxigraph, strict, and rdflib) and that
the SHACL shapes accept."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, Namespace

from graph.cli.main import main

from .conftest import ONTOLOGY, REQUIRE_SHARED, SEED, SHARED, shared_path

DUMP_SUFFIXES = (".xml", ".bz2")
WKG = Namespace("https://w3id.org/wikikg/ontology#")


def articles() -> list[Path]:
    """The seed, every .wiki fixture and every dump fixture that holds an article with an infobox."""
    found = [SEED]
    if (SHARED / "fixtures").exists() or REQUIRE_SHARED:
        fixtures = shared_path("fixtures")
        found += sorted(fixtures.glob("*.wiki"))
        found += sorted(p for p in fixtures.iterdir() if p.suffix in DUMP_SUFFIXES and "zhwiki" not in p.name)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each article built once for the module: its Turtle bytes."""
    cache: dict[Path, bytes] = {}

    def build(article: Path) -> bytes:
        if article not in cache:
            out = tmp_path_factory.mktemp("fixture") / "out.ttl"
            assert main(["build", str(article), "-o", str(out), "-q"]) == 0
            cache[article] = out.read_bytes()
        return cache[article]

    return build


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "shapes.ttl")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    """The ontology and its alignments: what a consumer loads next to the data."""
    return rdflib.Graph().parse(ONTOLOGY / "wikikg.ttl").parse(ONTOLOGY / "alignments.ttl")


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_article_builds_turtle_every_parser_reads(article, built):
    data = built(article)
    triples = set(ox.parse(data, format=ox.RdfFormat.TURTLE))  # strict: raises on any error
    assert len(triples) > 50
    graph = rdflib.Graph().parse(data=data, format="turtle")  # rdflib rejects some escapes pyoxigraph accepts
    assert len(graph) == len(triples)
    assert b"\\." not in data and b"\\/" not in data, "a prefixed name needing an escape was written"


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_article_conforms_to_the_shapes(article, built, shapes):
    data = rdflib.Graph().parse(data=built(article), format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, report


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_article_conforms_under_rdfs_inference(article, built, shapes, ontology):
    """What RDFS entails from the ontology (domains, ranges, subclasses) still satisfies the shapes: no work becomes
    a citation through a domain written for citations."""
    data = rdflib.Graph().parse(data=built(article), format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert conforms, report


XSD = "http://www.w3.org/2001/XMLSchema#"
# A literal's own datatype, and the datatypes every value of it also belongs to
WIDER = {XSD + "integer": {XSD + "decimal"}}
ANY_LITERAL = str(RDFS.Literal)


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_owl_rl_closure_infers_nothing_absurd(article, built, ontology):
    """The OWL 2 RL closure (owlrl) of data + ontology: no clash of disjoint kinds (a work made a citation, an article
    made a fact), no literal given a datatype it does not have (a language-tagged title typed xsd:string), no
    inconsistency owlrl reports."""
    graph = rdflib.Graph()
    graph += ontology
    graph.parse(data=built(article), format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    kinds = [WKG[name] for name in ("Article", "Citation", "Work", "QualifiedFact", "Side", "Section")]
    members = {kind: set(graph.subjects(RDF.type, kind)) for kind in kinds}
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            assert not members[a] & members[b], f"both {a} and {b}: {sorted(members[a] & members[b])[:3]}"
    assert not set(graph.subjects(RDF.type, OWL.Nothing))
    assert not [o for o in graph.objects(None, RDF.type) if str(o).endswith("ErrorMessage")]
    clashes = set()
    for literal, datatype in graph.subject_objects(RDF.type):
        if isinstance(literal, rdflib.Literal) and isinstance(datatype, rdflib.URIRef):  # not a union of dates
            own = str(literal.datatype or (RDF.langString if literal.language else XSD + "string"))
            if str(datatype) not in {own, ANY_LITERAL, *WIDER.get(own, ())}:
                clashes.add((own, str(datatype)))
    assert not clashes, f"literals given another datatype: {sorted(clashes)}"


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_every_article_has_a_conflict_with_sides(article, built):
    store = ox.Store()
    store.load(built(article), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX wkg: <https://w3id.org/wikikg/ontology#>
        SELECT ?c (COUNT(DISTINCT ?s) AS ?sides) WHERE { ?c a wkg:Conflict ; wkg:hasSide ?s } GROUP BY ?c"""))
    assert rows and int(rows[0]["sides"].value) >= 2
