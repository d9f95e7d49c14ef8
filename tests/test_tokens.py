"""The token reader (graph.wikitext.tokens) reads what mwparserfromhell's tree reads: the same ``strip_code`` and
the same template names, whatever the markup (what it does not read itself it leaves to the tree)."""

from __future__ import annotations

import mwparserfromhell
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.wikitext.tokens import first_link_url, strip_code, template_names

from .conftest import SEED, SHARED
from .fuzzing import load_articles

ARTICLES = load_articles(SEED, SHARED / "fixtures")

# the markup the reader reads itself, the markup it leaves to the tree, and text, in any order and nesting
PIECES = ["a", "Title", "x y", " ", "\n", "\n\n\n", "''", "'''", "[[", "]]", "|", "{{", "}}", "[", "]", "http://x.org",
          "//x.org", "&amp;", "&#931;", "&#x3a3;", "&bogus;", "&", "<!--", "-->", "<ref>", "</ref>", "<br/>", "<i>",
          "*", "#", ":", ";", "=", "==", "{|", "|}", "|-", "----", "{{{", "}}}", "cite", "\u3002"]


def tree_strip(text: str) -> str:
    return mwparserfromhell.parse(text).strip_code()


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join))
def test_strip_code_is_the_trees(text):
    assert strip_code(text) == tree_strip(text)


@pytest.mark.parametrize("text", [
    "''[[a|b]]'' [http://x.org ''t''] &amp;{{x|[[y]]}}<!-- c -->", "[[a|]]", "[http://x.org ]", "''''", "'''''x'''''",
    "[[a|b|c]]", "[[a[[b]]c]]", "http://x.org/''y''", "[//x.org]", "''a\n''b", "{{a|{{b}}}}x&#x3a3;y",
])
def test_strip_code_on_odd_markup(text):
    assert strip_code(text) == tree_strip(text)


@pytest.mark.parametrize("article", ARTICLES, ids=[a.name for a in ARTICLES])
def test_strip_code_of_every_line_of_the_articles(article):
    for line in article.text.splitlines():
        assert strip_code(line) == tree_strip(line)


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join))
def test_template_names_and_link_urls_are_the_trees(text):
    tree = mwparserfromhell.parse(text)
    assert template_names(text) == [str(tpl.name) for tpl in tree.filter_templates()]
    links = tree.filter_external_links()
    assert first_link_url(text) == (str(links[0].url) if links else None)


@pytest.mark.parametrize("article", ARTICLES, ids=[a.name for a in ARTICLES])
def test_template_names_and_link_urls_of_every_line_of_the_articles(article):
    for line in article.text.splitlines():
        tree = mwparserfromhell.parse(line)
        assert template_names(line) == [str(tpl.name) for tpl in tree.filter_templates()]
        links = tree.filter_external_links()
        assert first_link_url(line) == (str(links[0].url) if links else None)
