"""Every real article we have builds to Turtle that every parser reads (pyoxigraph, strict, and rdflib) and that
the SHACL shapes accept."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from graph.cli.main import main

from .conftest import ONTOLOGY, REQUIRE_SHARED, SEED, SHARED, shared_path

DUMP_SUFFIXES = (".xml", ".bz2")


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
def test_every_article_has_a_conflict_with_sides(article, built):
    store = ox.Store()
    store.load(built(article), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX wkg: <https://w3id.org/wikikg/ontology#>
        SELECT ?c (COUNT(DISTINCT ?s) AS ?sides) WHERE { ?c a wkg:Conflict ; wkg:hasSide ?s } GROUP BY ?c"""))
    assert rows and int(rows[0]["sides"].value) >= 2
