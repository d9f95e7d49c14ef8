"""The one walk of the parse tree (graph.wikitext.walk) finds what the separate walks found: the nodes of
``filter_*(recursive=True)`` in the same order, and the templates and offsets of the old ``iter_templates``."""

from __future__ import annotations

from collections.abc import Iterator

import mwparserfromhell
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Tag, Template
from mwparserfromhell.wikicode import Wikicode

from graph.wikitext.page import param_offsets, top_spans
from graph.wikitext.walk import NodeIndex, contents_offset, index_nodes

from .conftest import SEED, SHARED
from .fuzzing import HypothesisChooser, load_articles, make_case

ARTICLES = load_articles(SEED, SHARED / "fixtures")


def separate_walks_templates(code: Wikicode, offset: int = 0) -> Iterator[tuple[Template, int]]:
    """``iter_templates`` as it was before the one walk: the oracle of ``content_templates``."""
    pos = offset
    for node in code.nodes:
        if isinstance(node, Template):
            yield node, pos
            for param, value_offset in param_offsets(node, pos):
                yield from separate_walks_templates(param.value, value_offset)
        elif isinstance(node, Tag) and node.contents is not None and not node.self_closing:
            yield from separate_walks_templates(node.contents, contents_offset(node, pos))
        pos += len(str(node))


def assert_same_nodes(text: str) -> None:
    code = mwparserfromhell.parse(text)
    index = index_nodes(code)
    for found, filtered in ((index.templates, code.filter_templates(recursive=True)),
                            (index.tags, code.filter_tags(recursive=True)),
                            (index.wikilinks, code.filter_wikilinks(recursive=True)),
                            (index.external_links, code.filter_external_links(recursive=True))):
        assert [id(n) for n, _ in found] == [id(n) for n in filtered]
    assert [(id(t), o) for t, o in index.content_templates] == [(id(t), o) for t, o in separate_walks_templates(code)]
    assert [(id(n), s, e) for n, s, e in index.top] == [(id(n), s, e) for n, s, e in top_spans(code, None)]
    assert_tag_spans_exact(text, index)
    assert_lengths_exact(code, index)


def assert_lengths_exact(code: Wikicode, index: NodeIndex) -> None:
    """``length_of`` every node of the tree is ``len(str(node))``."""
    for node in code.filter(recursive=True):
        assert index.length_of(node) == len(str(node))
    for node, start, end in index.top:
        assert index.length_of(node) == end - start


def assert_tag_spans_exact(text: str, index: NodeIndex) -> None:
    """Each tag's span, contents' span and templates are what printing and filtering the tag give."""
    assert len(index.tag_spans) == len(index.tags)
    for (tag, start), span in zip(index.tags, index.tag_spans, strict=True):
        assert text[start:span.end] == str(tag)
        assert index.span_of(tag) == (start, span)
        assert text[span.contents_start:span.contents_end] == (str(tag.contents) if tag.contents is not None else "")
        inside = [id(t) for t, _ in index.templates[span.first_template:span.end_template]]
        assert inside == ([id(t) for t in tag.contents.filter_templates(recursive=True)] if tag.contents else [])


def assert_offsets_exact(text: str) -> None:
    """Every node is where its offset says (the walk counts the markup around it instead of printing it)."""
    index = index_nodes(mwparserfromhell.parse(text))
    for nodes in (index.templates, index.tags, index.wikilinks, index.external_links):
        for node, offset in nodes:
            assert text[offset:offset + len(str(node))] == str(node)


@pytest.mark.parametrize("article", ARTICLES, ids=[a.name for a in ARTICLES])
def test_one_walk_finds_what_the_filters_find(article):
    assert_same_nodes(article.text)
    assert_offsets_exact(article.text)


def test_the_seed_has_every_kind_of_node():
    index = index_nodes(mwparserfromhell.parse(ARTICLES[0].text))
    assert min(len(index.templates), len(index.tags), len(index.wikilinks), len(index.external_links)) > 0
    assert 0 < len(index.content_templates) <= len(index.templates)


@pytest.mark.parametrize("text", [
    '<ref name="a>b">{{sfn|X|2000}}</ref>',  # a '>' in an attribute: contents_offset searches, as it did
    "{{a|{{b}}|k={{c|[[L|{{d}}]]}}}}<!-- {{e}} -->[http://x.org {{f}}]&nbsp;[[File:x.png|thumb|{{g}}]]",
    "{| class=x\n|-\n| {{Infobox military conflict|a=1}} || b\n|}\n== {{h}} ==\n{{{1|{{i}}}}}",
    "<div style={{j}}>{{k}}</div><br/><ref/>''{{l}}''<span\n>{{m}}</span >",
    "{{ {{n}} |{{o}}={{p}}}}[//example.org]http://bare.org/{{q}} [[a|b|{{r}}]]</ref>",
])
def test_one_walk_on_odd_markup(text):
    assert_same_nodes(text)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(st.data())
def test_one_walk_on_mutated_articles(data):
    family = data.draw(st.sampled_from(["markup", "chaos", "cut", "params", "nest"]))
    case = make_case("walk", family, ARTICLES, HypothesisChooser(data.draw))
    assert_same_nodes(case.text)
