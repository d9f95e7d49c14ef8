"""The shortcuts of the page's reading find what the plain computations found."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.sentence_dates import ZH_DATE

from .conftest import SEED

# ZH_DATE before it started with a lookahead for a digit: every position not a date gave an empty match
PLAIN_ZH_DATE = re.compile(
    r"(?<!\d)(?:(?:(?P<y0>\d{3,4})\s*[-–—－至到]\s*)?(?P<y>\d{3,4})年(?!代))?"
    r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})(?:日)?(?:\s*[-–—－~至到]\s*(?P<d2>\d{1,2})(?![\d年月])日?)?)?)?")

DATE_TEXTS = st.lists(st.sampled_from(["1", "19", "1992", "２", "年", "月", "日", "代", "-", "至", " ", "~", "，", "a"]),
                      max_size=30).map("".join)


def dates_found(pattern: re.Pattern, text: str) -> list[tuple[int, int, dict]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text) if m.group()]


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(DATE_TEXTS)
def test_zh_dates_are_those_of_the_pattern_without_lookahead(text):
    assert dates_found(ZH_DATE, text) == dates_found(PLAIN_ZH_DATE, text)


def test_zh_dates_of_the_seed_are_those_of_the_pattern_without_lookahead():
    text = SEED.read_text(encoding="utf-8")
    assert dates_found(ZH_DATE, text) == dates_found(PLAIN_ZH_DATE, text)
