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


def hermit_command() -> list[str]:
    """HermiT, the OWL 2 DL reasoner owlready2 ships as a jar, run by the machine's Java; a skip without either."""
    import shutil

    owlready2 = pytest.importorskip("owlready2")
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java: the OWL 2 DL check runs HermiT")
    folder = Path(owlready2.__file__).parent / "hermit"
    return [java, "-Xmx1000M", "-cp", f"{folder}:{folder / 'HermiT.jar'}", "org.semanticweb.HermiT.cli.CommandLine",
            "-k", "--ignoreUnsupportedDatatypes"]


def dl_consistent(graph: rdflib.Graph, folder: Path) -> tuple[bool, str]:
    """HermiT's verdict on the graph (owl:imports dropped: everything is in it). xsd:date, xsd:gYear and
    xsd:gYearMonth are outside OWL 2's datatype map, so HermiT ignores the axioms that use them."""
    import subprocess

    graph.remove((None, OWL.imports, None))
    path = folder / "graph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    run = subprocess.run([*hermit_command(), path.as_uri()], capture_output=True, text=True, timeout=300)
    return "owl#Thing is satisfiable" in run.stdout, run.stdout + run.stderr[-2000:]


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_owl_dl_reasoner_finds_the_graph_consistent(article, built, ontology, tmp_path):
    graph = rdflib.Graph()
    graph += ontology
    graph.parse(data=built(article), format="turtle")
    consistent, output = dl_consistent(graph, tmp_path)
    assert consistent, output


def test_owl_dl_reasoner_finds_a_work_made_a_citation_inconsistent(ontology, tmp_path):
    graph = rdflib.Graph()
    graph += ontology
    graph.parse(data="""@prefix wkg: <https://w3id.org/wikikg/ontology#> .
        <https://example.org/w> a wkg:Book , wkg:Citation .""", format="turtle")
    consistent, output = dl_consistent(graph, tmp_path)
    assert not consistent and "Inconsistent" in output


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_every_article_has_a_conflict_with_sides(article, built):
    store = ox.Store()
    store.load(built(article), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX wkg: <https://w3id.org/wikikg/ontology#>
        SELECT ?c (COUNT(DISTINCT ?s) AS ?sides) WHERE { ?c a wkg:Conflict ; wkg:hasSide ?s } GROUP BY ?c"""))
    assert rows and int(rows[0]["sides"].value) >= 2
