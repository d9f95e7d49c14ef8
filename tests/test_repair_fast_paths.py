"""The shortcuts of graph.wikitext.repair read what the plain computations read."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.wikitext.repair import blank_spans, lines_with_quotes, quote_closer

TEXTS = st.lists(st.sampled_from(["''", "'''", "'", "a", " ", "\n", "\n\n"]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(TEXTS)
def test_lines_with_quotes_are_the_lines_a_quote_may_be_open_in(text):
    every_line = [(m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    assert [(end, quote_closer(line)) for end, line in lines_with_quotes(text)] == \
        [(end, quote_closer(line)) for end, line in every_line if "''" in line]
    assert all(quote_closer(line) == "" for _, line in every_line if "''" not in line)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(TEXTS, st.lists(st.integers(0, 40), max_size=8))
def test_blank_spans_is_blanking_character_by_character(text, cuts):
    bounds = sorted(min(c, len(text)) for c in cuts)
    spans = list(zip(bounds[::2], bounds[1::2], strict=False))
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    assert blank_spans(text, spans) == "".join(chars)
