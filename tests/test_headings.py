"""Heading vocabulary (graph/data/headings.yaml): real headings in zh-Hans, zh-Hant and en."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract import headings
from graph.wikitext.text import to_traditional


@pytest.mark.parametrize("text, role, kind", [
    ("裝備保障:", "supporter", "equipment"),
    ("装备保障:", "supporter", "equipment"),
    ("装备保障：", "supporter", "equipment"),
    ("''Supported by:''", "supporter", "support"),
    ("Supported by:", "supporter", "support"),
    ("支援：", "supporter", "support"),
    ("外國傭兵:", "supporter", "mercenaries"),
    ("外國傭兵: ", "supporter", "mercenaries"),
    ("有爭議：", "supporter", "disputed"),
    ("(直接軍事& 政治支持)", "supporter", "military-political"),
    ("Mercenaries", "supporter", "mercenaries"),
])
def test_role_headings(text, role, kind):
    found = headings.role_heading(text)
    assert found is not None and (found.role, found.kind) == (role, kind)


@pytest.mark.parametrize("text", ["亞美尼亞", "1988–1991", "Russia", "", "   ", "總計"])
def test_non_headings_are_not_roles(text):
    assert headings.role_heading(text) is None


def test_inline_role_reads_a_parenthesised_annotation():
    assert headings.inline_role("土耳其 (直接軍事& 政治支持)").kind == "military-political"
    assert headings.inline_role("亞美尼亞民兵 (達什奈克楚瓊)") is None


@pytest.mark.parametrize("text, key", [
    ("死亡:", "killed"), ("'''陣亡:'''", "killed"), ("受傷:", "wounded"), ("受伤", "wounded"), ("失蹤:", "missing"),
    ("被俘", "captured"), ("Civilian deaths:", "civilians-killed"), ("Civilians missing:", "civilians-missing"),
    ("Civilians displaced:", "displaced"), ("流離失所", "displaced"), ("Killed", "killed"), ("總計", "total"),
])
def test_category_headings(text, key):
    assert headings.category_heading(text) == key


@pytest.mark.parametrize("line, key", [
    ("167–763 Azerbaijani civilians killed in 1992", "civilians-killed"),
    ("6,800 killed in battle", "killed"),
    ("17,000 died of disease", "died-of-disease"),
    ("42,000 deserted", "deserted"),
    ("25,000–70,000 total dead", "total"),
    ("1,000 wounded", "wounded"),
    ("5,000 captured", "captured"),
    ("25 ships", None),
])
def test_line_categories(line, key):
    assert headings.line_category(line) == key


@pytest.mark.parametrize("text, who", [
    ("400 according to Karabakh State Commission", "Karabakh State Commission"),
    ("據亞塞拜然：20,000", "亞塞拜然"),
    ("亞美尼亞宣稱5,000", "亞美尼亞"),
    ("据称达五万之多", None),
    ("5,000 (British claim)", "British"),
])
def test_claimants(text, who):
    found = headings.claimant(text)
    assert (found[0] if found else None) == who


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_heading_functions_never_raise_and_key_is_idempotent(text):
    key = headings.heading_key(text)
    assert headings.heading_key(key) == key
    headings.role_heading(text)
    headings.category_heading(text)
    headings.inline_role(text)
    headings.claimant(text)
    headings.claimant_heading(text)
    headings.line_category(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["装备保障", "外国佣兵", "有争议", "受伤", "失踪", "流离失所", "平民死亡"]),
       st.sampled_from([":", "：", "", " :"]))
def test_traditional_and_simplified_headings_mean_the_same(word, colon):
    simplified, traditional = word + colon, to_traditional(word) + colon
    assert headings.role_heading(simplified) == headings.role_heading(traditional)
    assert headings.category_heading(simplified) == headings.category_heading(traditional)
