"""Any title or label gives an IRI and literals that a strict parser reads back unchanged."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.entities import normalise_title
from graph.rdf import iri
from graph.rdf.serialize import to_bytes
from graph.rdf.terms import TripleSink, lang_literal, node, wkg

ODD_TITLES = ['Say "hi"', "<b>{x}|y^z`w\\v", "a b\tc\nd", "emoji 🪖 war", "עברית", "العربية", "AC/DC", "100%",
              "what?", "#top", "\x00\x01\x7f", "灰狼_(组织)", "\ud800 lone"]


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1))
def test_any_title_gives_an_iri_that_round_trips(title):
    value = iri.entity_iri("zh", title)
    iri.check_iri(value)
    triple = ox.Triple(ox.NamedNode(value), wkg("p"), ox.Literal("x"))
    parsed = [q.triple for q in ox.parse(to_bytes([triple]), format=ox.RdfFormat.TURTLE)]
    assert parsed == [triple]


@pytest.mark.parametrize("title", ODD_TITLES)
def test_odd_titles(title):
    value = iri.entity_iri("en", title)
    iri.check_iri(value)
    assert "%2F" not in value  # w3id.org's redirects refuse an encoded slash: "/" is kept, as DBpedia keeps it


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_label_round_trips_through_turtle(text):
    sink = TripleSink()
    subject = node(iri.entity_iri("en", "X"))
    sink.add(subject, wkg("label"), lang_literal(text, "zh-Hant"))
    parsed = list(ox.parse(to_bytes(sink.sorted()), format=ox.RdfFormat.TURTLE))
    assert len(parsed) == 1
    assert parsed[0].object.language == "zh-hant"
    assert parsed[0].object.value == text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def test_traditional_and_simplified_titles_give_one_iri():
    assert iri.entity_iri("zh", normalise_title("亞美尼亞", "zh")) == iri.entity_iri("zh", normalise_title("亚美尼亚", "zh"))
    assert normalise_title("灰狼_(組織)", "zh") == normalise_title("灰狼 (组织)", "zh")
    assert normalise_title("house_of York", "en") == "House of York"


def test_statement_iris_are_deterministic_and_content_based():
    # pinned: the same statement gets the same IRI in every run and process (no hash(), no counter, no salt),
    # so links to a statement survive a rebuild: sha256(b"a\x1f1\x1fNone"), the parts joined by U+001F
    assert iri.statement_iri("a", 1, None) == "https://w3id.org/wikikg/statement/4d4c921084b03999dc84"
    assert iri.event_iri("a", 1, None) == "https://w3id.org/wikikg/event/4d4c921084b03999dc84"
    assert iri.statement_iri("a", 1) != iri.statement_iri("a", 2)
    assert iri.statement_iri("ab", "c") != iri.statement_iri("a", "bc")  # parts are kept apart


TERM_TEXT = st.text(alphabet=st.sampled_from(['a', 'b', ' ', '"', '\\', '\n', '>', '@', '^', 'é', '史', '\U0001F600']),
                    max_size=6)


@given(st.lists(st.tuples(TERM_TEXT, TERM_TEXT, st.sampled_from([None, "en", "zh-Hans", "integer", "date"])),
                max_size=12))
@settings(max_examples=200, deadline=None)
def test_ntriples_lines_sorted_as_bytes_are_the_triples_in_order(rows):
    """The page worker sorts N-Triples lines as bytes: the same order as the triples sorted term by term."""
    sink = TripleSink()
    for subject, text, kind in rows:
        s = ox.NamedNode("http://x.org/" + subject.replace(" ", "_").replace('"', "q").replace("\\", "b")
                         .replace("\n", "n").replace(">", "g").replace("^", "c"))
        if kind in (None, "en", "zh-Hans"):
            o = ox.Literal(text, language=kind) if kind else ox.Literal(text)
        else:
            o = ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#" + kind))
        sink.add(s, ox.NamedNode("http://x.org/p"), o)
        sink.add(s, ox.NamedNode("http://x.org/p" + kind if kind else "http://x.org/q"), s)
    assert sink.ntriples() == ox.serialize(sink.sorted(), format=ox.RdfFormat.N_TRIPLES)


@given(st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
                          st.sampled_from([None, "en", "string", "integer"]), st.booleans()), max_size=8))
@settings(max_examples=300, deadline=None)
def test_ntriples_are_the_lines_the_serializer_writes(rows):
    """ntriples() writes each triple as its terms' ``str()``: exactly the serializer's line, whatever the text
    (control characters, quotes, backslashes), the datatype or language, and a blank subject."""
    sink = TripleSink()
    for text, kind, blank in rows:
        if kind in (None, "en"):
            o = ox.Literal(text, language=kind) if kind else ox.Literal(text)
        else:
            o = ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#" + kind))
        s = ox.BlankNode("b" + str(len(text))) if blank else ox.NamedNode("http://x.org/s")
        sink.add(s, ox.NamedNode("http://x.org/p"), o)
    assert sink.ntriples() == ox.serialize(sink.sorted(), format=ox.RdfFormat.N_TRIPLES)
    assert sorted(sink, key=str) == sorted(sink.sorted(), key=str) and len(sink.sorted()) == len(sink)


@given(st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
                          st.sampled_from([None, "en", "string", "integer"]), st.booleans(),
                          st.sampled_from(["tuple", "line", "both"])), max_size=10))
@settings(max_examples=300, deadline=None)
def test_triples_kept_as_lines_are_the_triples_kept_as_terms(rows):
    """A page built in another process comes as N-Triples lines (add_ntriples): a sink holding some triples as
    lines, some as terms and some as both has the triples, the count, the order and the lines of a sink holding
    them all as terms (blank nodes keep their names)."""
    as_terms, mixed = TripleSink(), TripleSink()
    for text, kind, blank, how in rows:
        if kind in (None, "en"):
            o = ox.Literal(text, language=kind) if kind else ox.Literal(text)
        else:
            o = ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#" + kind))
        s = ox.BlankNode("b" + str(len(text))) if blank else ox.NamedNode("http://x.org/s")
        p = ox.NamedNode("http://x.org/p")
        as_terms.add(s, p, o)
        if how != "line":
            mixed.add(s, p, o)
        if how != "tuple":
            mixed.add_ntriples(ox.serialize([ox.Triple(s, p, o)], format=ox.RdfFormat.N_TRIPLES))
    assert mixed.sorted() == as_terms.sorted()
    assert len(mixed) == len(as_terms)
    assert mixed.ntriples() == as_terms.ntriples()
    assert sorted(mixed, key=str) == sorted(as_terms, key=str)
    merged = TripleSink()
    merged.merge(mixed)
    assert merged.sorted() == as_terms.sorted()


def test_a_triple_of_wrong_terms_is_refused_as_before():
    with pytest.raises(TypeError):
        TripleSink().add(ox.Literal("x"), ox.NamedNode("http://x.org/p"), ox.Literal("y"))
    with pytest.raises(TypeError):
        TripleSink().add(ox.NamedNode("http://x.org/s"), ox.BlankNode(), ox.Literal("y"))


XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"
                          ).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)


@given(st.text(XML_CHARS, max_size=30))
def test_xml_results_escape_text_and_attributes_that_read_back(text):
    from xml.etree import ElementTree as ET
    from xml.sax.saxutils import escape

    from graph.query import results

    assert results.escape(text) == escape(text)
    element = ET.fromstring(f"<a x={results.quoteattr(text)}>{results.escape(text)}</a>")
    assert element.get("x") == text and (element.text or "") == text.replace("\r\n", "\n").replace("\r", "\n")


def encode_by_characters(text: str) -> str:
    """encode_segment as it was written before its shortcut: character by character (the oracle)."""
    text = text.replace(" ", "_")
    out = []
    for ch in text:
        if ch in iri._ASCII_OK or (ord(ch) > 127 and iri._UCSCHAR.match(ch)):
            out.append(ch)
        else:
            data = ch.encode("utf-8", errors="replace") if not 0xD800 <= ord(ch) <= 0xDFFF else "\ufffd".encode()
            out.append("".join(f"%{b:02X}" for b in data))
    return "".join(out) or "_"


@given(st.text(max_size=20) | st.text(alphabet=st.sampled_from(list("ab /:#?%\"-史\ufdd0\U0001F600\u00a0")), max_size=12))
@settings(max_examples=300)
def test_encode_segment_shortcut_is_the_character_loop(text):
    assert iri.encode_segment(text) == encode_by_characters(text)
