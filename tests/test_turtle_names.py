"""Prefixed names that need an escape are written as full IRIs (graph.rdf.turtle_names)."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.rdf import turtle_names
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


LOCAL = st.text(alphabet=st.sampled_from(list("aZ9_.-/()'~!,;=:*+$&@史")), min_size=1, max_size=8)
TEXT = st.lists(st.sampled_from(list('ab "\\\n\t.:<>史') + ['"""']), max_size=10).map("".join)


@given(st.lists(st.tuples(LOCAL, TEXT, LOCAL), min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_any_names_and_texts_read_back_as_the_same_triples(rows):
    """Whatever the local names (escapes, slashes, brackets) and the literals (quotes, backslashes, line breaks,
    a prefixed name inside the text): the written Turtle reads back as the triples, in pyoxigraph and rdflib;
    the line-by-line rewrite gives what rewriting the whole text token by token gives."""
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    see = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    triples = []
    for subject, text, other in rows:
        triples.append(ox.Triple(ox.NamedNode(EN + subject), label, ox.Literal(text + " en:" + other)))
        triples.append(ox.Triple(ox.NamedNode(EN + subject), see, ox.NamedNode(EN + other)))
    data = to_bytes(triples)
    assert {q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)} == set(triples)
    assert len(rdflib.Graph().parse(data=data, format="turtle")) == len(set(triples))
    prefixes = {"en": EN, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    raw = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert full_iris_for_escaped_names(raw, prefixes) == whole_text_rewrite(raw, prefixes)


def whole_text_rewrite(turtle: bytes, prefixes: dict[str, str]) -> bytes:
    """The rewrite as it was before it went line by line: every token of the whole text."""
    def rewrite(m):
        namespace = prefixes.get(m.group("prefix") or "")
        if m.group("local") is None or namespace is None:
            return m.group(0)
        return "<" + namespace + turtle_names._ESCAPE.sub(r"\1", m.group("local")) + ">"

    return turtle_names._TOKEN.sub(rewrite, turtle.decode("utf-8")).encode("utf-8")
