"""Prefixed names that need an escape are written as full IRIs (graph.rdf.turtle_names)."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from graph.rdf.serialize import to_bytes
from graph.rdf.turtle_names import full_iris_for_escaped_names

EN = "https://w3id.org/wikikg/resource/en/"


def test_a_local_name_ending_in_a_dot_is_written_in_full_and_rdflib_reads_it():
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples = [ox.Triple(ox.NamedNode(EN + "Washington_D.C."), label, ox.Literal("Washington, D.C.", language="en")),
               ox.Triple(ox.NamedNode(EN + "War/side/1"), label, ox.Literal('say "en:a\\.b"'))]
    data = to_bytes(triples)
    assert f"<{EN}Washington_D.C.>".encode() in data
    assert f"<{EN}War/side/1>".encode() in data
    assert {q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)} == set(triples)
    assert len(rdflib.Graph().parse(data=data, format="turtle")) == 2


def test_literals_and_unescaped_names_are_left_alone():
    turtle = b'en:Paris rdfs:label "en:x\\\\.y \\"q\\"" ; rdfs:comment en:A\\(b\\) .\n'
    out = full_iris_for_escaped_names(turtle, {"en": EN, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    assert out == f'en:Paris rdfs:label "en:x\\\\.y \\"q\\"" ; rdfs:comment <{EN}A(b)> .\n'.encode()
