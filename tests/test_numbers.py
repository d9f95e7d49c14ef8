"""graph.extract.numbers: figures from real infobox fragments, plus property tests."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.data.vocab import DATA_DIR
from graph.extract.numbers import find_quantities, parse_quantity

# text → (min, max, qualifier, unit)
CASES = [
    ("20,000", (20000, 20000, None, None)),
    ("20,000–30,000", (20000, 30000, None, None)),
    ("20,000-30,000", (20000, 30000, None, None)),
    ("20,000 – 30,000", (20000, 30000, None, None)),
    ("20,000 to 30,000", (20000, 30000, None, None)),
    ("1,000~3,000", (1000, 3000, None, None)),
    ("300,000–500,000 Armenians", (300000, 500000, None, None)),
    ("167–763 Azerbaijani civilians killed in 1992", (167, 763, None, "person")),
    ("5,856–6,000", (5856, 6000, None, None)),
    ("7,500–12,000", (7500, 12000, None, None)),
    ("4,000–6,000 Stanley men", (4000, 6000, None, "person")),
    ("2 5000", (25000, 25000, None, None)),
    ("1 0000", (10000, 10000, None, None)),
    ("16000", (16000, 16000, None, None)),
    ("4千餘人", (4000, None, "over", "person")),
    ("2萬", (20000, 20000, None, None)),
    ("2万", (20000, 20000, None, None)),
    ("1.5万", (15000, 15000, None, None)),
    ("72.4万", (724000, 724000, None, None)),
    ("數百", (200, 900, "several", None)),
    ("数百", (200, 900, "several", None)),
    ("數千", (2000, 9000, "several", None)),
    ("上千", (1000, None, "over", None)),
    ("超過100", (100, None, "over", None)),
    ("超过100", (100, None, "over", None)),
    ("逾100", (100, None, "over", None)),
    ("100餘", (100, None, "over", None)),
    ("100余", (100, None, "over", None)),
    ("100多", (100, None, "over", None)),
    ("約2,300", (2300, 2300, "about", None)),
    ("约2300", (2300, 2300, "about", None)),
    ("大約2300人", (2300, 2300, "about", "person")),
    ("近2300", (2300, 2300, "about", None)),
    ("至少500", (500, None, "at-least", None)),
    ("不到500", (None, 500, "up-to", None)),
    ("少於500", (None, 500, "up-to", None)),
    ("２，０００", (2000, 2000, None, None)),
    ("１０００－２０００", (1000, 2000, None, None)),
    ("over 5,000", (5000, None, "over", None)),
    ("more than 5,000 troops", (5000, None, "over", "person")),
    ("5,000+", (5000, None, "over", None)),
    ("about 2,300", (2300, 2300, "about", None)),
    ("c. 2,300", (2300, 2300, "about", None)),
    ("circa 2,300", (2300, 2300, "about", None)),
    ("~2,300", (2300, 2300, "about", None)),
    ("approx. 2,300", (2300, 2300, "about", None)),
    ("at least 500", (500, None, "at-least", None)),
    ("up to 500", (None, 500, "up-to", None)),
    ("fewer than 500", (None, 500, "up-to", None)),
    ("1.5 million", (1500000, 1500000, None, None)),
    ("1–1.5 million", (1000000, 1500000, None, None)),
    ("several hundred", (200, 900, "several", None)),
    ("thousands", (2000, None, "several", None)),
    ("tens of thousands", (20000, None, "several", None)),
    ("300輛坦克", (300, 300, None, "tank")),
    ("300辆坦克", (300, 300, None, "tank")),
    ("50 tanks", (50, 50, None, "tank")),
    ("30架飛機", (30, 30, None, "aircraft")),
    ("30 aircraft", (30, 30, None, "aircraft")),
    ("20架直升機", (20, 20, None, "helicopter")),
    ("12 helicopters", (12, 12, None, "helicopter")),
    ("10艘", (10, 10, None, "ship")),
    ("40 galleys", (40, 40, None, "galley")),
    ("100門火炮", (100, 100, None, "artillery")),
    ("80 guns", (80, 80, None, "artillery")),
    ("200 APCs", (200, 200, None, "armoured-vehicle")),
    ("50輛裝甲車", (50, 50, None, "armoured-vehicle")),
    ("4000人以上", (4000, None, "over", "person")),
    ("十餘萬", (100000, None, "over", None)),
    ("二十多萬人", (200000, None, "over", "person")),
    ("2至3萬", (20000, 30000, None, None)),
    ("1萬2千", (12000, 12000, None, None)),
    ("三人", (3, 3, None, "person")),
    ("成千上萬", (1000, None, "over", None)),
    ("1992年 5000人", (5000, 5000, None, "person")),
    ("20,000 (NKR軍隊, 包括8,000名來自亞美尼亞)", (20000, 20000, None, None)),
    ("(5,000 est.) 6,000 soldiers", (6000, 6000, None, "person")),
    ("T-34 tanks: 40", (40, 40, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_quantity(text: str, expected: tuple) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.min, q.max, q.qualifier, q.unit) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "unknown",
        "不详",
        "不詳",
        "1992年",
        "(5,000)",
        "T-34",
        "3rd Division",
        "May 1992",
        "8–10 May 1992",
        "百姓",
        "十字軍",
        "一些",
        "1990s",
        "第3軍",
    ],
)
def test_no_figure(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "approximate"),
    [
        ("約2,300", True),
        ("數百", True),
        ("上千", True),
        ("about 5", True),
        ("20,000", False),
        ("over 5,000", False),
    ],
)
def test_approximate(text: str, approximate: bool) -> None:
    q = parse_quantity(text)
    assert q is not None and q.approximate is approximate


def test_numbers_are_ints_when_integral() -> None:
    q = parse_quantity("72.4万")
    assert q is not None and type(q.min) is int
    q = parse_quantity("1.25")
    assert q is not None and q.min == 1.25 and isinstance(q.min, float)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("about 2,300 men", (0, 11)),
        ("共 ２，０００名", (2, 7)),
        ("㎞ then 5", (7, 8)),  # ㎞ becomes two characters under NFKC
        ("x 20,000–30,000 y", (2, 15)),
    ],
)
def test_span_points_into_original_text(text: str, span: tuple[int, int]) -> None:
    q = parse_quantity(text)
    assert q is not None and q.span == span


def test_find_quantities_includes_parenthesised() -> None:
    found = find_quantities("20,000 (NKR軍隊, 包括8,000名來自亞美尼亞)")
    assert [(q.min, q.unit) for q in found] == [(20000, None), (8000, "person")]


def test_find_quantities_in_order_and_skips_years() -> None:
    found = find_quantities("1992年：300輛坦克，50架飛機，5000人")
    assert [(q.min, q.unit) for q in found] == [(300, "tank"), (50, "aircraft"), (5000, "person")]


UNITS = set(yaml.safe_load((DATA_DIR / "units.yaml").read_text(encoding="utf-8"))["units"])
# pieces of figures, so that arbitrary text often holds one (or something close to one)
FIGURE_PIECES = ["20,000", "5000", "1.5", "0", "9", "１", "，", ".", "–", "-", " to ", "~", "至", "万", "萬", "千", "百",
                 "十", "二", "數", "餘", "多", "以上", "約", "至少", "不到", "about", "over", "up to", "c. ", "+",
                 "several", "million", "人", " men", " tanks", "輛", "坦克", "(", ")", "[", "]", " ", "年", "1992",
                 "May"]


@st.composite
def written_figures(draw) -> str:
    """A figure or a range as infoboxes write them (in either order), with qualifiers, units and noise."""
    def number() -> str:
        n = draw(st.integers(0, 10**7))
        return draw(st.sampled_from([f"{n:,}", str(n), f"{n % 10000 / 10:g}万", f"{n % 100}萬"]))

    text = draw(st.sampled_from(["", "約", "about ", "over ", "up to ", "至少", "不到", "c. "])) + number()
    if draw(st.booleans()):
        text += draw(st.sampled_from(["–", "-", " – ", " to ", "~", "至"])) + number()
    text += draw(st.sampled_from(["", "人", " men", " tanks", "輛坦克", "以上", "+", "多"]))
    return draw(st.text(max_size=3)) + text + draw(st.text(max_size=3))


figure_like_text = st.one_of(
    st.text(),
    written_figures(),
    st.lists(st.one_of(st.sampled_from(FIGURE_PIECES), st.text(max_size=2)), max_size=12).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(figure_like_text)
def test_never_raises(text: str) -> None:
    """Whatever the text: no exception, and every figure found is a consistent one inside the text."""
    found = find_quantities(text)
    for q in found:
        a, b = q.span
        assert 0 <= a < b <= len(text), q  # a non-empty span of the original text
        assert q.min is not None or q.max is not None, q
        assert all(v is None or (type(v) in (int, float) and v >= 0) for v in (q.min, q.max)), q
        assert q.min is None or q.max is None or q.min <= q.max, q
        assert q.unit is None or q.unit in UNITS, q
        assert q.approximate or q.qualifier not in ("about", "several"), q
    assert [q.span for q in found] == sorted(q.span for q in found)  # in the order of the text
    first = parse_quantity(text)
    assert first is None or first in found  # the first figure outside parentheses is one of them


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(n: int) -> None:
    q = parse_quantity(f"{n:,}")
    assert q is not None and (q.min, q.max) == (n, n)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_ranges_round_trip(a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    q = parse_quantity(f"{low:,}–{high:,}")
    assert q is not None and (q.min, q.max) == (low, high)
