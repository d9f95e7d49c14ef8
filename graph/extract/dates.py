"""Dates and periods in infobox text: "1988年2月20日至1994年5月12日", "8–10 May 1992", "31 BC".

Years are astronomical (1 BC = 0, 31 BC = -30), as ``PartialDate`` expects. Month names, era
markers, season words and range separators live in ``graph/data/date_words.yaml``.

Choices:

* A season or part of a year ("1991年秋", "autumn 1991", "1944年初") gives YEAR precision: a
  season names no month, and winter straddles two years.
* A missing year or month of one end is taken from the other end ("1967年6月5日–6月10日",
  "8–10 May 1992", "264–146 BC"), and ``DateRange.inferred`` is set.
* "1861–65": a two-digit end year takes the century of the start.
* An invalid date (month 13, 30 February) becomes None for that end of the range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract.model import DateRange, PartialDate
from graph.extract.numbers import nfkc_with_offsets, original_span
from graph.wikitext.text import alternation, clean_spaces, is_ascii_word, word_alternation


@dataclass
class Atom:
    """A date as written; any part may be missing until the other end of a range fills it."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    bce: bool | None = None  # None: no era written
    bare: bool = False  # a lone number: a year, or a day when the other end has a month
    year_digits: int = 0


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    months = load("date_words")["months"]
    return {name.lower(): int(num) for num, names in months.items() for name in names}


@lru_cache(maxsize=1)
def era_words() -> dict[str, bool]:
    """Era word (lower-cased) → True for BCE."""
    eras = load("date_words")["eras"]
    return {w.lower(): key.endswith("bce") for key, words in eras.items() for w in words}


@dataclass(frozen=True)
class DatePatterns:
    """The compiled patterns of a date and of what separates two dates."""

    atom: re.Pattern[str]
    separator: re.Pattern[str]


@lru_cache(maxsize=1)
def date_patterns() -> DatePatterns:
    data = load("date_words")
    month = rf"(?<![A-Za-z])(?:{alternation(list(month_numbers()))})(?![A-Za-z])\.?"
    eras = data["eras"]
    era = rf"(?:{word_alternation(eras['bce'] + eras['ce'])})"
    zh_era = alternation(eras["zh_bce"] + eras["zh_ce"])
    seps = data["range_separators"]
    sep = (
        rf"\s*(?:{alternation([s for s in seps if not is_ascii_word(s)])})\s*"
        rf"|\s+(?:{alternation([s for s in seps if is_ascii_word(s)])})\s+"
    )
    season_zh = alternation(data["seasons"]["zh"])
    season_en = word_alternation(data["seasons"]["en"])
    day_end = r"(?:st|nd|rd|th)?(?![\dA-Za-z])"
    alternatives = [
        # months and days are range-checked here so that "1939-45" stays a range of years
        r"(?P<iso>(?<![\d-])(?P<iso_y>\d{4})-(?P<iso_m>0?[1-9]|1[0-2])"
        r"(?:-(?P<iso_d>0?[1-9]|[12]\d|3[01]))?(?!\d))",
        rf"(?P<zh>(?P<zh_e>{zh_era})?\s*(?P<zh_y>\d{{1,4}})\s*年(?!代)"
        rf"(?:\s*(?P<zh_m>\d{{1,2}})\s*月(?:\s*(?P<zh_d>\d{{1,2}})\s*(?:[日號号]|(?=(?:{sep})\d)))?"
        rf"|\s*(?:{season_zh}))?)",
        r"(?P<zp>(?<!\d)(?:(?P<zp_m>\d{1,2})\s*月(?:\s*(?P<zp_d>\d{1,2})\s*[日號号])?"
        r"|(?P<zp_d2>\d{1,2})\s*[日號号]))",
        rf"(?P<dmy>(?<!\d)(?P<dmy_d>\d{{1,2}}){day_end}\s+(?P<dmy_m>{month}),?"
        rf"(?:\s+(?P<dmy_y>\d{{1,4}})(?!\d)(?:\s*(?P<dmy_e>{era}))?)?)",
        rf"(?P<mdy>(?P<mdy_m>{month})\s+(?P<mdy_d>\d{{1,2}}){day_end}"
        rf"(?:,?\s+(?P<mdy_y>\d{{1,4}})(?!\d)(?:\s*(?P<mdy_e>{era}))?)?)",
        rf"(?P<my>(?P<my_m>{month}),?\s+(?P<my_y>\d{{1,4}})(?!\d)(?:\s*(?P<my_e>{era}))?)",
        rf"(?P<se>(?:{season_en})[\s-]+(?:of\s+)?(?P<se_y>\d{{1,4}})(?!\d)(?:\s*(?P<se_e>{era}))?)",
        rf"(?P<ad>(?P<ad_e>{era})\s*(?P<ad_y>\d{{1,4}})(?!\d))",
        rf"(?P<ye>(?<![\d.,])(?P<ye_y>\d{{1,4}})\s*(?P<ye_e>{era}))",
        r"(?P<dy>(?<![\d.,])(?P<dy_d>\d{1,2}),\s+(?P<dy_y>\d{3,4})(?!\d))",
        # a decade (1990年代, 1990s) is not a year
        r"(?P<bare>(?<![\d.,])(?P<bare_y>\d{1,4})(?!\d|[.,]\d|\s*年代|s\b))",
    ]
    return DatePatterns(
        atom=regex("|".join(alternatives), re.IGNORECASE),
        separator=regex(sep, re.IGNORECASE),
    )


def as_int(value: str | None) -> int | None:
    return int(value) if value else None


def era_is_bce(word: str | None) -> bool | None:
    if not word:
        return None
    return era_words().get(word.strip().lower())


def atom_from(m: re.Match[str]) -> Atom:
    """The parts of whichever alternative of the atom pattern matched."""
    g = m.groupdict()
    kind = next(k for k in ("iso", "zh", "zp", "dmy", "mdy", "my", "se", "ad", "ye", "dy", "bare") if g[k])

    def part(name: str) -> str | None:
        return g.get(f"{kind}_{name}")

    if kind == "zp":
        return Atom(month=as_int(part("m")), day=as_int(part("d") or part("d2")))
    if kind == "bare":
        digits = part("y") or ""
        return Atom(year=int(digits), bare=True, year_digits=len(digits))
    month_text = part("m")
    month = month_numbers().get(month_text.rstrip(".").lower()) if kind in ("dmy", "mdy", "my") else None
    year = part("y")
    return Atom(
        year=as_int(year),
        month=month if month is not None else as_int(month_text),
        day=as_int(part("d")),
        bce=era_is_bce(part("e")),
        year_digits=len(year or ""),
    )


def days_in_month(year: int, month: int) -> int:
    """Proleptic Gregorian, astronomical years (so year 0 is a leap year)."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def to_partial(atom: Atom) -> PartialDate | None:
    """A PartialDate, or None when the atom has no year or names an impossible date."""
    if atom.year is None:
        return None
    year = 1 - atom.year if atom.bce else atom.year
    if atom.month is None:
        return PartialDate(year) if atom.day is None else None
    if not 1 <= atom.month <= 12:
        return None
    if atom.day is not None and not 1 <= atom.day <= days_in_month(year, atom.month):
        return None
    return PartialDate(year, atom.month, atom.day)


def complete(start: Atom, end: Atom) -> bool:
    """Fill each end's missing parts from the other; True if anything was filled."""
    before = (start.year, start.month, start.day, start.bce, end.year, end.month, end.day, end.bce)
    if start.bare and end.day is not None and start.year is not None and start.year <= 31:
        start.day, start.year, start.bare = start.year, None, False  # "8–10 May 1992"
    if end.bare and start.day is not None and end.year is not None and end.year <= 31:
        end.day, end.year, end.bare = end.year, None, False  # "3–14 June 1938"
    if end.bare and start.year is not None and end.year_digits == 2 < start.year_digits:
        end.year = abbreviated_year(start.year, end.year or 0)  # "1861–65"
    if start.day is not None and start.month is None:
        start.month = end.month
    if end.day is not None and end.month is None:
        end.month = start.month
    if start.year is None:
        start.year, start.bce = end.year, end.bce
    if end.year is None:
        end.year, end.bce = start.year, start.bce
    if start.bce is None and end.bce and start.bare:
        start.bce = True  # "264–146 BC"
    after = (start.year, start.month, start.day, start.bce, end.year, end.month, end.day, end.bce)
    return before != after


def abbreviated_year(start_year: int, short: int) -> int:
    year = start_year - start_year % 100 + short
    return year + 100 if year < start_year else year


def standalone(atom: Atom) -> bool:
    """A lone number is a year only when it looks like one (3–4 digits)."""
    return not atom.bare or atom.year_digits >= 3


def first_range(s: str) -> tuple[Atom, Atom, int, int, bool] | None:
    """The first date (with its range end, if any): start, end, span, inferred."""
    p = date_patterns()
    pos = 0
    while pos <= len(s):
        m = p.atom.search(s, pos)
        if not m:
            return None
        start = atom_from(m)
        sep = p.separator.match(s, m.end())
        second = p.atom.match(s, sep.end()) if sep else None
        if second is not None:
            first, end = replace(start), atom_from(second)
            inferred = complete(first, end)
            if first.year is not None and end.year is not None:
                return first, end, m.start(), second.end(), inferred
        if standalone(start) and start.year is not None:
            return start, start, m.start(), m.end(), False
        pos = m.end()
    return None


def ends_before_start(start: PartialDate, end: PartialDate) -> bool:
    """Compare at the coarser precision: 1988-02 .. 1988 is fine, 1994 .. 1988 is not."""
    earliest = (start.year, start.month or 1, start.day or 1)
    latest = (end.year, end.month or 12, end.day or 31)
    return latest < earliest


def parse_date_range(text: str) -> DateRange | None:
    """Start and end of a period written in Chinese or English (or ISO), or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    s, origin = nfkc_with_offsets(text)
    found = first_range(s)
    if found is None:
        return None
    start_atom, end_atom, a, b, inferred = found
    start, end = to_partial(start_atom), to_partial(end_atom)
    if start is None and end is None:
        return None
    if start is not None and end is not None and ends_before_start(start, end):
        return None  # not a period: "1994–1988" is more likely two unrelated numbers
    x, y = original_span(origin, a, b)
    return DateRange(start, end, text[x:y], inferred)


def parse_date(text: str) -> PartialDate | None:
    """A single date: the first one in ``text`` (the start, when it opens a range)."""
    found = parse_date_range(text)
    return found.start if found else None


PERIOD_HEADER = regex(
    r"[\s:]*(?P<a>\d{1,4})\s*年?\s*(?:[-–—−‒―~〜至]+\s*(?:(?P<b>\d{1,4})\s*年?)?)?[\s:]*"
)


def parse_period_header(text: str) -> DateRange | None:
    """A bold period header inside an infobox column ("1988–1991", "1991年–1994年"), or None.

    Only years, dashes, 年, whitespace and colons are allowed: anything else means the text
    is not a header.
    """
    if not isinstance(text, str):
        return None
    s, _ = nfkc_with_offsets(text)
    m = PERIOD_HEADER.fullmatch(s)
    if not m:
        return None
    start = PartialDate(int(m.group("a")))
    end = PartialDate(int(m.group("b"))) if m.group("b") else None
    has_dash = s.strip(" :\t\n").rstrip("年 ") != m.group("a")
    if end is None and not has_dash:
        end = start  # a single year: the period is that year
    if end is not None and end < start:
        return None
    return DateRange(start, end, text.strip(), False)


YEARS_ONLY = regex(r"[\d\s–—\-年]+")  # "1780–84", "1779年"


@lru_cache(maxsize=1)
def open_period_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(key, pattern) of the notes that open a period ("after 1776", "1779年起"), graph/data/date_words.yaml's
    open_periods: a start or an end, its words before or after the year."""
    words = load("date_words")["open_periods"]
    found = []
    for key, before in (("start", True), ("end", True), ("start_after_year", False), ("end_after_year", False)):
        alt = "|".join(re.escape(str(w)) for w in sorted(words[key], key=len, reverse=True))
        pattern = rf"(?:{alt})\s*(?P<y>\d{{3,4}})\s*年?" if before else rf"(?P<y>\d{{3,4}})\s*(?:{alt})"
        found.append((key, regex(pattern, re.IGNORECASE)))
    return tuple(found)


def parse_period_note(text: str) -> DateRange | None:
    """A period written as a note beside a name, in brackets or not: "(after 1776)" → 1776–, "(before 1776)" →
    –1776, "(1780–84)" → 1780–1784, "(1779年起)" → 1779–; None when the note is anything else."""
    s = clean_spaces(nfkc_with_offsets(text)[0]).strip(" ()（）.;:")
    if not s or len(s) > 40:
        return None
    whole = parse_period_header(s)
    if whole is not None:
        return DateRange(whole.start, whole.end, text.strip(), False)
    span = parse_date_range(s)
    if span is not None and span.start is not None and span.end is not None and YEARS_ONLY.fullmatch(s):
        return DateRange(PartialDate(span.start.year), PartialDate(span.end.year), text.strip(), False)
    for key, pattern in open_period_patterns():
        m = pattern.fullmatch(s)
        if m:
            year = PartialDate(int(m.group("y")))
            starts = key.startswith("start")
            return DateRange(year if starts else None, None if starts else year, text.strip(), False)
    return None
