"""Shapes that bite: each corruption of a conforming graph is rejected by ontology/shapes.ttl (pySHACL), with or
without RDFS inference."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from graph.extract.interwiki import language_tag, wikipedia_languages

from .test_ontology import CONFORMING, SHAPES

DCTERMS_VOID = """
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

# name → (Turtle added to the conforming example, the node the report must name)
CORRUPTIONS = {
    "a literal as a belligerent": ('ex:x a wkg:Belligerence ; wkg:inConflict ex:battle ; wkg:agent "Alpha"@en .', "x"),
    "a citation as a belligerent": ("ex:x a wkg:Belligerence ; wkg:inConflict ex:battle ; wkg:agent ex:ref1 .", "x"),
    "an untyped statement node": ("ex:x wkg:inConflict ex:battle ; wkg:agent ex:alpha .", "x"),
    "a negative figure": ("ex:x a wkg:Casualties ; wkg:inConflict ex:battle ; wkg:casualtyCategory wkg:Killed ;"
                          " wkg:minValue -5 ; wkg:maxValue -5 .", "x"),
    "min above max": ("ex:x a wkg:Strength ; wkg:inConflict ex:battle ; wkg:minValue 500 ; wkg:maxValue 100 .", "x"),
    "a conflict that starts after it ends": ('ex:x a wkg:Conflict ; rdfs:label "X"@en ;'
                                             ' wkg:startDate "1994-05-12"^^xsd:date ; wkg:endDate "1988"^^xsd:gYear .',
                                             "x"),
    "a period that starts after it ends": ("ex:x a wkg:Belligerence ; wkg:inConflict ex:battle ; wkg:agent ex:alpha ;"
                                           ' wkg:periodStart "1993-01"^^xsd:gYearMonth ;'
                                           ' wkg:periodEnd "1992"^^xsd:gYear .', "x"),
    "duplicate side numbers": ("ex:battle wkg:hasSide ex:x . ex:x a wkg:Side ; wkg:sideNumber 1 ; wkg:sideOf ex:battle .",
                               "battle"),
    "a side of another conflict": ("ex:x a wkg:Belligerence ; wkg:inConflict ex:war ; wkg:onSide ex:battle-side1 ;"
                                   " wkg:agent ex:alpha .", "x"),
    "an @doi language tag": ('ex:x a wkg:Party ; rdfs:label "10.1126/science.1"@doi .', "x"),
    "an untagged wiki title": ('ex:x a wkg:Party ; rdfs:label "X"@en ; wkg:wikiTitle "X" .', "x"),
    "a dataset without licence": (DCTERMS_VOID + 'ex:x a void:Dataset ; dcterms:title "wikikg graph" .', "x"),
    'a two-digit "85"^^xsd:gYear': ('ex:x a wkg:Conflict ; rdfs:label "X"@en ; wkg:startDate "85"^^xsd:gYear .', "x"),
    'a month 13 "1992-13"^^xsd:gYearMonth': ('ex:x a wkg:Conflict ; rdfs:label "X"@en ;'
                                             ' wkg:endDate "1992-13"^^xsd:gYearMonth .', "x"),
    "a URL as a string": ('ex:x a wkg:Book ; rdfs:label "X" ; wkg:url "http://example.org/x" .', "x"),
    "a year as a string": ('ex:x a wkg:Book ; rdfs:label "X" ; wkg:year "2003" .', "x"),
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def focus_nodes(report: Graph) -> set[str]:
    return {str(report.value(r, SH.focusNode)).rsplit("/", 1)[-1] for r in report.objects(None, SH.result)}


def test_the_example_conforms(shapes):
    conforms, _, text = pyshacl.validate(Graph().parse(data=CONFORMING, format="turtle"), shacl_graph=shapes)
    assert conforms, text


@pytest.mark.parametrize("inference", ["none", "rdfs"])
@pytest.mark.parametrize("name", CORRUPTIONS)
def test_each_corruption_is_rejected(name, inference, shapes):
    added, focus = CORRUPTIONS[name]
    prefixes = "\n".join(line for line in added.splitlines() if line.startswith("@prefix"))
    body = "\n".join(line for line in added.splitlines() if not line.startswith("@prefix"))
    data = Graph().parse(data=CONFORMING + prefixes + "\n" + body, format="turtle")
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference=inference)
    assert not conforms, f"{name} passed the shapes"
    assert focus in focus_nodes(report), text


def test_the_shapes_language_list_is_the_wikipedias():
    shapes = Graph().parse(SHAPES)
    from rdflib import URIRef
    from rdflib.collection import Collection

    listed = {str(tag) for tag in Collection(shapes, URIRef("https://w3id.org/wikikg/shapes#WikipediaLanguages"))}
    assert listed == {language_tag(code) for code in wikipedia_languages()}
    assert "doi" not in listed
