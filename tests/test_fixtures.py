"""Every real article we have builds to Turtle that a strict parser reads and the SHACL shapes accept."""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from graph.cli.main import main

from .conftest import ONTOLOGY, REQUIRE_SHARED, SEED, SHARED, shared_path


def articles() -> list:
    found = [SEED]
    if (SHARED / "fixtures").exists() or REQUIRE_SHARED:
        found += sorted(shared_path("fixtures").glob("*.wiki"))
    return found


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "shapes.ttl")


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_article_builds_valid_turtle(article, tmp_path, shapes):
    out = tmp_path / "out.ttl"
    assert main(["build", str(article), "-o", str(out), "-q"]) == 0
    data = out.read_bytes()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))  # strict: raises on any error
    assert len(triples) > 50
    conforms, _, report = pyshacl.validate(rdflib.Graph().parse(data=data, format="turtle"),
                                           shacl_graph=shapes, inference="none")
    assert conforms, report


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_every_article_has_a_conflict_with_sides(article, tmp_path):
    out = tmp_path / "out.ttl"
    main(["build", str(article), "-o", str(out), "-q"])
    store = ox.Store()
    store.load(out.read_bytes(), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX wkg: <https://w3id.org/wikikg/ontology#>
        SELECT ?c (COUNT(DISTINCT ?s) AS ?sides) WHERE { ?c a wkg:Conflict ; wkg:hasSide ?s } GROUP BY ?c"""))
    assert rows and int(rows[0]["sides"].value) >= 2
