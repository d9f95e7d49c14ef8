"""Flag templates → states: real template arguments seen in en/zh infoboxes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.flags import State, _index, state_for_code_template, state_for_flag, state_for_flag_image

# (name_or_code, variant) -> (key, en_title, zh_title)
FLAG_CASES = [
    (("Armenia", None), ("ARM", "Armenia", "亚美尼亚")),
    (("ARM", None), ("ARM", "Armenia", "亚美尼亚")),
    (("AM", None), ("ARM", "Armenia", "亚美尼亚")),
    (("armenia", None), ("ARM", "Armenia", "亚美尼亚")),
    (("AZE", None), ("AZE", "Azerbaijan", "阿塞拜疆")),
    (("Azerbaijan", None), ("AZE", "Azerbaijan", "阿塞拜疆")),
    (("Russia", "1991"), ("RUS", "Russia", "俄罗斯")),
    (("Russian Federation", None), ("RUS", "Russia", "俄罗斯")),
    (("Turkey", None), ("TUR", "Turkey", "土耳其")),
    (("Türkiye", None), ("TUR", "Turkey", "土耳其")),
    (("Israel", None), ("ISR", "Israel", "以色列")),
    (("Ukraine", None), ("UKR", "Ukraine", "乌克兰")),
    (("Greece", None), ("GRC", "Greece", "希腊")),
    (("AFG", "1992"), ("AFG", "Afghanistan", "阿富汗")),
    (("USA", None), ("USA", "United States", "美国")),
    (("United_States", None), ("USA", "United States", "美国")),
    (("Iran", None), ("IRN", "Iran", "伊朗")),
    (("Syria", None), ("SYR", "Syria", "叙利亚")),
    (("GER", None), ("DEU", "Germany", "德国")),
    (("Côte d'Ivoire", None), ("CIV", "Ivory Coast", "科特迪瓦")),
    (("Cote d’Ivoire", None), ("CIV", "Ivory Coast", "科特迪瓦")),
    (("Soviet Union", None), ("SUHH", "Soviet Union", "苏联")),
    (("USSR", None), ("SUHH", "Soviet Union", "苏联")),
    (("SUN", None), ("SUHH", "Soviet Union", "苏联")),
    (("Nagorno-Karabakh", None), ("ARTSAKH", "Republic of Artsakh", "纳戈尔诺-卡拉巴赫共和国")),
    (("Artsakh", None), ("ARTSAKH", "Republic of Artsakh", "纳戈尔诺-卡拉巴赫共和国")),
    (
        ("Chechen Republic of Ichkeria", None),
        ("ICHKERIA", "Chechen Republic of Ichkeria", "伊奇克里亚车臣共和国"),
    ),
    (
        ("Armenian SSR", None),
        ("ARMSSR", "Armenian Soviet Socialist Republic", "亚美尼亚苏维埃社会主义共和国"),
    ),
    (("Yugoslavia", None), ("YUCS", "Yugoslavia", "南斯拉夫")),
    (("East Germany", None), ("DDDE", "East Germany", "德意志民主共和国")),
    (("GER", "1935"), ("NAZI-GERMANY", "Nazi Germany", "纳粹德国")),
    (("Germany", "empire"), ("GERMAN-EMPIRE", "German Empire", "德意志帝国")),
    (("Republic of China", None), ("TWN", "Taiwan", "中华民国")),
    (("亚美尼亚", None), ("ARM", "Armenia", "亚美尼亚")),  # zh infoboxes pass Chinese names
    (("亞塞拜然", None), ("AZE", "Azerbaijan", "阿塞拜疆")),
]


@pytest.mark.parametrize(("args", "expected"), FLAG_CASES, ids=lambda v: str(v))
def test_state_for_flag(args: tuple[str, str | None], expected: tuple[str, str, str]) -> None:
    state = state_for_flag(*args)
    assert state is not None
    assert (state.key, state.en_title, state.zh_title) == expected


IMAGE_CASES = [
    ("Flag of Armenian SSR.svg", "ARMSSR", "亚美尼亚苏维埃社会主义共和国"),
    ("Flag of the Azerbaijan Soviet Socialist Republic.svg", "AZESSR", "阿塞拜疆苏维埃社会主义共和国"),
    ("Flag of Armenia.svg", "ARM", "亚美尼亚"),
    ("Flag_of_the_United_States.svg", "USA", "美国"),
    ("File:Flag of the Soviet Union.svg", "SUHH", "苏联"),
    ("Flag of Russia (1991–1993).svg", "RUS", "俄罗斯"),
    ("Flag of Hezbi Islami Gulbuddin.svg", "HEZB-ISLAMI-GULBUDDIN", None),
]


@pytest.mark.parametrize(("filename", "key", "zh"), IMAGE_CASES)
def test_state_for_flag_image(filename: str, key: str, zh: str | None) -> None:
    state = state_for_flag_image(filename)
    assert state is not None
    assert (state.key, state.zh_title) == (key, zh)


def test_hezbi_islami_en_title() -> None:
    state = state_for_flag_image("Flag of Hezbi Islami Gulbuddin.svg")
    assert state is not None and state.en_title == "Hezb-e Islami Gulbuddin"


@pytest.mark.parametrize(
    ("code", "key"),
    [("ISR", "ISR"), ("USA", "USA"), ("GBR", "GBR"), ("ARM", "ARM"), ("URS", "SUHH"), ("GDR", "DDDE")],
)
def test_state_for_code_template(code: str, key: str) -> None:
    state = state_for_code_template(code)
    assert state is not None and state.key == key


@pytest.mark.parametrize("name", ["isr", "IL", "Israel", "PD", "IPA", "XYZ", "SUHH", "", " "])
def test_code_template_rejects_non_codes(name: str) -> None:
    assert state_for_code_template(name) is None


@pytest.mark.parametrize("name", ["Atlantis", "Narnia", "", "   ", "Korea", "can", "no", "XX"])
def test_unknown_names(name: str) -> None:
    # "Korea" is ambiguous and lower-case codes are ordinary words: both must stay unresolved.
    assert state_for_flag(name) is None
    assert state_for_flag_image(f"Flag of {name}.svg") is None


@pytest.mark.parametrize(
    ("name", "hant"),
    [("ARM", "亞美尼亞"), ("AZE", "亞塞拜然"), ("RUS", "俄羅斯"), ("Soviet Union", "蘇聯")],
)
def test_zh_hant_labels(name: str, hant: str) -> None:
    state = state_for_flag(name)
    assert state is not None
    labels = dict((lang, text) for text, lang in state.labels)
    assert labels["zh-Hant"] == hant
    assert labels["en"] == state.en_title
    assert labels["zh-Hans"] == state.zh_title


def test_historical_flag() -> None:
    assert state_for_flag("Soviet Union").historical  # type: ignore[union-attr]
    assert not state_for_flag("Armenia").historical  # type: ignore[union-attr]


def test_curated_aliases_are_unambiguous() -> None:
    # Every alias in the two CSVs must land on the state it was written for.
    assert _index().conflicts == []


def test_every_state_has_en_label() -> None:
    for state in _index().states.values():
        assert isinstance(state, State)
        assert state.en_title and state.labels[0] == (state.en_title, "en")


# names (not codes) of the cases above, however an editor may spell them: case, underscores, padding
KNOWN_NAMES = [(args[0], expected[0]) for args, expected in FLAG_CASES if args[1] is None and not args[0].isupper()]
KNOWN_CODES = ["ISR", "USA", "GBR", "ARM", "URS", "GDR", "AZE", "SUN", "GER", "AFG"]
SPELLINGS = [str, str.lower, str.upper, lambda s: s.replace(" ", "_"), lambda s: f"  {s}\t"]


def assert_a_state(state: State) -> None:
    """A state of the index, with what the graph needs of it: a key, titles and labels that round-trip."""
    assert isinstance(state, State) and _index().states[state.key] is state
    assert state.key.strip() == state.key != "" and state.en_title.strip() == state.en_title != ""
    assert state.zh_title is None or state.zh_title.strip() == state.zh_title != ""
    assert state.labels[0] == (state.en_title, "en")
    assert all(text.strip() and lang in ("en", "zh-Hans", "zh-Hant") for text, lang in state.labels)
    assert state_for_flag(state.key) is state  # its key names it again


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.sampled_from([n for n, _ in KNOWN_NAMES] + KNOWN_CODES)),
       st.one_of(st.none(), st.text(), st.sampled_from(["1935", "1991", "empire", ""])))
def test_state_for_flag_never_raises(name: str, variant: str | None) -> None:
    result = state_for_flag(name, variant)
    if name in KNOWN_CODES or name in dict(KNOWN_NAMES):
        assert result is not None
    if result is not None:
        assert_a_state(result)
        assert state_for_flag(f" {name}\n", variant) is result  # padding does not matter
    if not (variant or "").strip():
        assert result is state_for_flag(name)  # an empty variant is no variant


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(KNOWN_NAMES), st.sampled_from(SPELLINGS))
def test_known_names_match_however_written(known: tuple[str, str], spell) -> None:
    name, key = known
    state = state_for_flag(spell(name))
    assert state is not None and state.key == key
    assert state_for_flag_image(f"Flag_of_{spell(name).strip().replace(' ', '_')}.svg") is state
    assert state_for_flag_image(f"File:Flag of {name}.png") is state


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.from_regex(r"\s?[A-Z]{3}\s?", fullmatch=True), st.sampled_from(KNOWN_CODES),
                 st.sampled_from(KNOWN_CODES).map(str.lower), st.sampled_from(KNOWN_CODES).map(" {} ".format),
                 st.sampled_from(KNOWN_CODES).map(lambda code: f"Flag of {code}.svg")))
def test_image_and_code_never_raise(text: str) -> None:
    image = state_for_flag_image(text)
    if image is not None:
        assert_a_state(image)
    code = state_for_code_template(text)
    if text in KNOWN_CODES:
        assert code is not None
    if code is not None:
        assert_a_state(code)
        assert re.fullmatch(r"[A-Z]{3}", text.strip())  # only bare three-letter codes
        assert state_for_flag(text.strip()) is code  # the template and {{flag|CODE}} agree
