"""Every section read, or said: a page's sections cover its whole text (issue 13), on every fixture."""

from __future__ import annotations

import re

import mwparserfromhell
import pytest

from graph.pipeline import build
from graph.wikitext.page import hidden_text, top_spans
from graph.wikitext.read import decode_source
from graph.wikitext.repair import close_open_quotes, neutralise_unclosed_tags

from .conftest import SEED, SHARED

FIXTURES = [SEED] + sorted((SHARED / "fixtures").glob("*.wiki"))
HEADING = re.compile(r"^(={1,6})[^=\n].*?\1[ \t]*$", re.MULTILINE)
NOT_TEXT = re.compile(r"<!--.*?-->|<(nowiki|pre)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_sections_found_are_the_headings_in_the_text(path):
    text = path.read_text(encoding="utf-8")
    result = build(decode_source(path.name, path.read_bytes()))
    headings = [m.group().strip("= \t") for m in HEADING.finditer(NOT_TEXT.sub("", text))]
    found = [s.title for s in result.article.sections[1:]]  # the first is the lead
    assert len(found) == len(headings), set(headings) ^ set(found)
    assert not [d for d in result.article.diagnostics if d.code == "hidden-text"]


# en_american_revolutionary_war_2020.wiki, line 271: the '' is never closed, and mwparserfromhell carried the
# italics over </ref> to line 512, 27 sections later.
INFOBOX = "{{Infobox military conflict\n|conflict=War\n|date=1775–1783\n}}\n"
GUNPOWDER = ("the Saratoga campaign.<ref>\"Journal of the American Revolution, The Gunpowder shortage'' (September 9,"
             " 2013).[http://allthingsliberty.com/2013/09/the-gunpowder-shortage/]</ref>\n\n=== Later ===\n"
             "On 12 April 1779, Spain signed the ''Treaty of Aranjuez'' with France.")


def test_italics_left_open_in_a_footnote_end_with_the_footnote():
    fixed, findings = close_open_quotes(GUNPOWDER)
    assert "shortage'' (September 9, 2013).[http://allthingsliberty.com/2013/09/the-gunpowder-shortage/]''</ref>" \
        in fixed
    assert fixed.count("\n") == GUNPOWDER.count("\n") and [f.code for f in findings] == ["open-quotes"]
    article = build(decode_source("x.wiki", (INFOBOX + GUNPOWDER).encode()), lang="en").article
    assert [s.title for s in article.sections] == ["", "Later"]
    assert [e.dates.start.iso() for e in article.events] == ["1779-04-12"]


def test_italics_left_open_in_a_line_end_with_the_line():
    fixed, _ = close_open_quotes("a ''b [http://a.com/x] c\n\n==H==\nmore ''it'' x")
    assert fixed.startswith("a ''b [http://a.com/x] c''\n") and fixed.endswith("more ''it'' x")
    assert close_open_quotes("'''Ada''' and ''Babbage''")[1] == []
    assert close_open_quotes("the '''Black''' Prince's ''men''")[1] == []


def test_a_heading_swallowed_by_the_parser_is_said_with_how_much_is_lost():
    text = "a ''b [http://a.com/x] c\n\n==H==\nmore ''it'' x"
    [finding] = hidden_text(top_spans(mwparserfromhell.parse(text), None), text)
    assert finding.code == "hidden-text" and "4 lines (1–4) not read" in finding.message


def test_a_footnote_ends_before_the_next_heading():
    text = "War.<ref>Chrimes 1999\n\n==Aftermath==\nPeace came.</ref> More."
    fixed, findings = neutralise_unclosed_tags(text)
    assert fixed.startswith("War.\uff1cref>") and [f.code for f in findings] == ["unclosed-tag"]
    article = build(decode_source("x.wiki", (INFOBOX + text).encode()), lang="en").article
    assert [s.title for s in article.sections] == ["", "Aftermath"]
