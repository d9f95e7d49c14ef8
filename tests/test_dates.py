"""graph.extract.dates: periods from real infobox fragments, plus property tests."""

from __future__ import annotations

import calendar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.dates import parse_date, parse_date_range, parse_period_header
from graph.extract.model import PartialDate

# text → (start iso, end iso, precision of start, inferred)
CASES = [
    ("1988年2月20日至1994年5月12日", ("1988-02-20", "1994-05-12", "day", False)),
    ("1988年2月20日到1994年5月12日", ("1988-02-20", "1994-05-12", "day", False)),
    ("1988年2月至1994年5月", ("1988-02", "1994-05", "month", False)),
    ("1967年6月5日–6月10日", ("1967-06-05", "1967-06-10", "day", True)),
    ("1938年6月3－14日", ("1938-06-03", "1938-06-14", "day", True)),
    ("1938年6月3日-14日", ("1938-06-03", "1938-06-14", "day", True)),
    ("1991年秋", ("1991", "1991", "year", False)),
    ("1988年", ("1988", "1988", "year", False)),
    ("1988年 - 1994年", ("1988", "1994", "year", False)),
    ("公元前31年9月2日", ("-0030-09-02", "-0030-09-02", "day", False)),
    ("前264年至前146年", ("-0263", "-0145", "year", False)),
    ("1988年2月20日至1994年5月12日（6年2个月3周又1天）", ("1988-02-20", "1994-05-12", "day", False)),
    ("22 August 1485", ("1485-08-22", "1485-08-22", "day", False)),
    ("August 22, 1485", ("1485-08-22", "1485-08-22", "day", False)),
    ("September 2, 31 BC", ("-0030-09-02", "-0030-09-02", "day", False)),
    ("31 BC", ("-0030", "-0030", "year", False)),
    ("1 BC", ("0000", "0000", "year", False)),
    ("AD 9", ("0009", "0009", "year", False)),
    ("1775–1783", ("1775", "1783", "year", False)),
    ("19 April 1775 – 3 September 1783", ("1775-04-19", "1783-09-03", "day", False)),
    ("April 19, 1775 – September 3, 1783", ("1775-04-19", "1783-09-03", "day", False)),
    ("30 December 1460", ("1460-12-30", "1460-12-30", "day", False)),
    ("May 1992", ("1992-05", "1992-05", "month", False)),
    ("8–10 May 1992", ("1992-05-08", "1992-05-10", "day", True)),
    ("May 8–10, 1992", ("1992-05-08", "1992-05-10", "day", True)),
    ("c. 1200", ("1200", "1200", "year", False)),
    ("2020-09-27", ("2020-09-27", "2020-09-27", "day", False)),
    ("2020-09-27 – 2020-11-10", ("2020-09-27", "2020-11-10", "day", False)),
    ("264–146 BC", ("-0263", "-0145", "year", True)),
    ("1861–65", ("1861", "1865", "year", True)),
    ("1939-45", ("1939", "1945", "year", True)),
    ("autumn 1991", ("1991", "1991", "year", False)),
    ("1919 until 1921", ("1919", "1921", "year", False)),
    ("1988~1994", ("1988", "1994", "year", False)),
    ("２０２０年９月２７日", ("2020-09-27", "2020-09-27", "day", False)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_date_range(text: str, expected: tuple) -> None:
    r = parse_date_range(text)
    assert r is not None and r.start is not None and r.end is not None
    assert (r.start.iso(), r.end.iso(), r.start.precision, r.inferred) == expected


@pytest.mark.parametrize(
    "text",
    ["", "unknown", "不详", "1988年13月1日", "1990年2月30日", "31 February 2001", "1990年代", "5 soldiers"],
)
def test_no_date(text: str) -> None:
    assert parse_date_range(text) is None


def test_single_date_has_same_start_and_end() -> None:
    r = parse_date_range("22 August 1485")
    assert r is not None and r.start == r.end == PartialDate(1485, 8, 22)


def test_invalid_end_is_none() -> None:
    r = parse_date_range("1988年2月20日至1994年2月30日")
    assert r is not None and r.start == PartialDate(1988, 2, 20) and r.end is None


def test_text_is_the_matched_part_of_the_input() -> None:
    r = parse_date_range("Fought 19 April 1775 – 3 September 1783 (8 years)")
    assert r is not None and r.text == "19 April 1775 – 3 September 1783"


def test_leap_day_of_year_zero() -> None:
    assert parse_date("29 February 1 BC") == PartialDate(0, 2, 29)  # year 0 is a leap year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1988年2月20日至1994年5月12日", PartialDate(1988, 2, 20)),
        ("in May 1992", PartialDate(1992, 5)),
        ("nothing", None),
    ],
)
def test_parse_date(text: str, expected: PartialDate | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1988–1991", ("1988", "1991")),
        ("1991–1994", ("1991", "1994")),
        ("1991年–1994年", ("1991", "1994")),
        (" 1988–1991: ", ("1988", "1991")),
        ("1991", ("1991", "1991")),
        ("1991–", ("1991", None)),
    ],
)
def test_period_header(text: str, expected: tuple) -> None:
    r = parse_period_header(text)
    assert r is not None and r.start is not None
    assert (r.start.iso(), r.end.iso() if r.end else None) == expected


@pytest.mark.parametrize("text", ["1991–present", "Phase 1988–1991", "1988年2月", "", "1994–1988"])
def test_not_a_period_header(text: str) -> None:
    assert parse_period_header(text) is None


# Text that often holds a date or a period, possible or not (February 30th, 1994–1988, month 13), written
# the ways infoboxes write them, amid noise; and pieces of those at random.
DATE_PIECES = ["1988", "31", "2", "12", "0", "9999", "22", "1485", "１９９１", "年", "月", "日", "至", "到", "–", "-",
               "—", "~", " ", ",", "(", ")", "：", "前", "公元前", "BC", "AD", "BCE", "August", "Sept", "May", "秋",
               "present", "今", "c."]
years = st.one_of(st.integers(1, 2100), st.integers(0, 9999))
months = st.integers(0, 13)
days = st.integers(0, 32)


@st.composite
def written_dates(draw) -> str:
    y, m, d = draw(years), draw(months), draw(days)
    parts = draw(st.sampled_from(["y", "ym", "ymd"]))
    if draw(st.booleans()):
        text = ("前" if draw(st.booleans()) else "") + f"{y}年"
        return text + (f"{m}月" if "m" in parts else "") + (f"{d}日" if "d" in parts else "")
    era = draw(st.sampled_from(["", " BC", " AD"]))
    name = calendar.month_name[min(max(m, 1), 12)]
    if parts == "y":
        return f"{y}{era}"
    if parts == "ym":
        return f"{name} {y}{era}"
    return draw(st.sampled_from([f"{d} {name} {y}{era}", f"{name} {d}, {y}{era}"]))


@st.composite
def written_periods(draw) -> str:
    noise = st.text(max_size=3)
    text = draw(noise) + draw(written_dates())
    if draw(st.booleans()):
        text += draw(st.sampled_from(["–", "-", " – ", "至", "到", " to ", "~"])) + draw(written_dates())
    return text + draw(noise)


date_like_text = st.one_of(
    st.text(),
    written_periods(),
    st.lists(st.one_of(st.sampled_from(DATE_PIECES), st.text(max_size=2)), max_size=12).map("".join),
)


def days_in(year: int, month: int) -> int:
    """Month length from the standard library (a leap and a common year stand in for astronomical ones)."""
    return calendar.monthrange(2000 if calendar.isleap(year) else 2001, month)[1]


def assert_a_real_date(d: PartialDate) -> None:
    assert -9999 <= d.year < 10100, d  # four digits, or a 2-digit end after 99xx ("9901至00" ends in 10000)
    if d.month is None:
        assert d.day is None, d
    else:
        assert 1 <= d.month <= 12, d
        assert d.day is None or 1 <= d.day <= days_in(d.year, d.month), d


@settings(max_examples=500, deadline=None)
@given(date_like_text)
def test_never_raises(text: str) -> None:
    """Whatever the text: no exception, and anything found is a real date or an ordered period of it."""
    found = parse_date_range(text)
    if found is not None:
        assert found.start is not None or found.end is not None
        for d in (found.start, found.end):
            if d is not None:
                assert_a_real_date(d)
        if found.start is not None and found.end is not None:
            earliest = (found.start.year, found.start.month or 1, found.start.day or 1)
            latest = (found.end.year, found.end.month or 12, found.end.day or 31)
            assert earliest <= latest, found
        assert found.text and found.text in text, found  # the span parsed is a piece of the input
    assert parse_date(text) == (found.start if found else None)
    header = parse_period_header(text)
    if header is not None:
        assert header.start is not None and header.start.precision == "year" and 0 <= header.start.year <= 9999
        assert header.end is None or (header.end.precision == "year" and header.start <= header.end)
        assert header.text == text.strip()


def valid_dates() -> st.SearchStrategy[tuple[int, int, int]]:
    return st.tuples(st.integers(1, 2100), st.integers(1, 12)).flatmap(
        lambda ym: st.tuples(st.just(ym[0]), st.just(ym[1]), st.integers(1, calendar.monthrange(*ym)[1]))
    )


@settings(max_examples=200, deadline=None)
@given(valid_dates())
def test_chinese_dates_round_trip(ymd: tuple[int, int, int]) -> None:
    y, m, d = ymd
    assert parse_date(f"{y}年{m}月{d}日") == PartialDate(y, m, d)


@settings(max_examples=200, deadline=None)
@given(valid_dates())
def test_english_dates_round_trip(ymd: tuple[int, int, int]) -> None:
    y, m, d = ymd
    assert parse_date(f"{d} {calendar.month_name[m]} {y}") == PartialDate(y, m, d)
    assert parse_date(f"{calendar.month_name[m]} {d}, {y}") == PartialDate(y, m, d)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2100), st.integers(1, 12), st.data())
def test_impossible_days_are_not_dates(y: int, m: int, data: st.DataObject) -> None:
    d = data.draw(st.integers(days_in(y, m) + 1, 32))
    assert parse_date(f"{y}年{m}月{d}日") is None
    assert parse_date(f"{calendar.month_name[m]} {d}, {y}") is None


@settings(max_examples=200, deadline=None)
@given(st.integers(100, 9999), st.integers(100, 9999))
def test_year_periods_run_forwards(a: int, b: int) -> None:
    """A period of years is read as written, and not at all when it ends before it starts."""
    header, found = parse_period_header(f"{a}–{b}"), parse_date_range(f"{a}年至{b}年")
    if b < a:
        assert header is None and found is None
    else:
        assert header is not None and (header.start, header.end) == (PartialDate(a), PartialDate(b))
        assert found is not None and (found.start, found.end) == (PartialDate(a), PartialDate(b))
