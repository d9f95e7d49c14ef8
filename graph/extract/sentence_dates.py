"""The dates a sentence of the body gives its own event: spans (从…至…, from … to …, between … and …), yearless
dates completed from the narrative (forward over December → January), and dates in asides (parentheses,
subordinate clauses, attributes of another event) marked as not the sentence's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract.dates import month_numbers
from graph.extract.model import DateRange, PartialDate
from graph.wikitext.text import spaced_alternation

SENTENCE_END = regex(r"(?<=[。！？；])|(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9])")
# every date starts with a digit: the lookahead lets the engine skip to the next digit (the rest of the pattern is
# optional, so without it every other position of a sentence is an empty match that raw_dates steps over)
ZH_DATE = regex(
    r"(?=\d)(?<!\d)(?:(?:(?P<y0>\d{3,4})\s*[-–—－至到]\s*)?(?P<y>\d{3,4})年(?!代))?"
    r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})(?:日)?(?:\s*[-–—－~至到]\s*(?P<d2>\d{1,2})(?![\d年月])日?)?)?)?")
PARENTHESES = regex(r"（[^（）]*）|\([^()]*\)")
CLAUSE_END = regex(r"[，,；;：:]")
LATIN_WORD = regex(r"[A-Za-z.]+")
DIGIT = regex(r"\d")
MAX_LABEL = 200


@dataclass
class FoundDate:
    """A date found in a sentence: where it is, the span it names and whether a year was written."""

    start: int
    end: int
    dates: DateRange
    has_year: bool
    aside: bool = False  # in a parenthesis, a subordinate clause or a noun's attribute: another event's date


@dataclass
class RawDate:
    """A date's parts as matched in a sentence, before they are made a span."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    day2: int | None = None
    first_year: int | None = None  # "1993-1994年": a span of years
    year_offset: int | None = None  # "第二年": the narrative's year plus this
    month2: int | None = None  # "三四月": the last month of a span of months
    inferred: bool = False  # the year was taken from the other end of a span


@lru_cache(maxsize=1)
def en_date_pattern() -> re.Pattern:
    latin_months = sorted((m for m in month_numbers() if LATIN_WORD.fullmatch(m)), key=len, reverse=True)
    months = "|".join(latin_months)
    # a date starts with a digit or a month: the lookahead for their first letters rules out most words at once,
    # where the engine would try each month at every word, twice
    first = "".join(sorted({m[0] for m in latin_months}))
    return regex(
        rf"\b(?=[\d{re.escape(first)}])(?:(?P<d>\d{{1,2}})(?:\s*[-–]\s*(?P<d2>\d{{1,2}}))?\s+(?P<m1>{months})(?:,?\s+(?P<y1>\d{{3,4}}))?"
        rf"|(?P<m2>{months})\s+(?:(?P<d3>\d{{1,2}})(?:\s*[-–]\s*(?P<d4>\d{{1,2}}))?,?\s+)?(?P<y2>\d{{3,4}})"
        rf"|(?P<m3>{months})\s+(?P<d5>\d{{1,2}})(?!\d))\b", re.IGNORECASE)


def timeline_words() -> dict:
    return load("date_words")["timeline"]


@lru_cache(maxsize=1)
def year_alone_pattern() -> re.Pattern:
    """A year with no month, after a word that makes it the sentence's time ("In 1452, …"); not a decade. (The
    lookahead for the words' first letters: most words of a sentence are ruled out at once, not tried word by word.)"""
    words = [str(w) for w in timeline_words()["year_before"]]
    return regex(rf"\b{first_letter(words)}(?:{spaced_alternation(words)})\s+(?P<y>\d{{3,4}})(?!{not_a_year()})",
                 re.IGNORECASE)


def year_joiner() -> str:
    return rf"\s*(?:{spaced_alternation(timeline_words()['year_joiners'])})\s*"


@lru_cache(maxsize=1)
def second_year() -> re.Pattern:
    return regex(rf"{year_joiner()}(?P<y>\d{{3,4}})(?!{not_a_year()})", re.IGNORECASE)


@lru_cache(maxsize=1)
def counted_span() -> re.Pattern:
    """"between 3000 and 4000 men": the first number counts too."""
    counts = spaced_alternation(timeline_words()["count_nouns"])
    return regex(rf"{year_joiner()}\d[\d,]*\s+(?:{counts})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def not_a_year() -> str:
    """After a number: a decimal, a decade (1770s), a percentage or a count ("4000 men")."""
    counts = spaced_alternation(timeline_words()["count_nouns"])
    return rf"\d|[.,]\d|s\b|\s*(?:%|percent\b|per\s+cent\b)|\s+(?:{counts})\b"


@lru_cache(maxsize=1)
def span_separator() -> re.Pattern:
    words = timeline_words()
    return regex(rf"\s*(?:{spaced_alternation(words['span_separators'])})\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def span_and() -> tuple[re.Pattern, re.Pattern]:
    words = timeline_words()["span_and"]
    return (regex(rf"\b(?:{spaced_alternation(words['before'])})\s*$", re.IGNORECASE),
            regex(rf"\s*(?:{spaced_alternation(words['separator'])})\s*", re.IGNORECASE))


@lru_cache(maxsize=1)
def ends_pattern() -> re.Pattern:
    words = timeline_words()["ends"]
    return regex(rf"(?:{spaced_alternation(words['subjects'])}).*(?:{spaced_alternation(words['verbs'])})",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def until_before() -> re.Pattern:
    return regex(rf"(?:{spaced_alternation(timeline_words()['until'])})\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def subordinate_opener() -> re.Pattern:
    openers = spaced_alternation(timeline_words()["subordinate_openers"])
    return regex(rf"(?:^|(?<=[，,；;]))\s*(?:{openers})(?![A-Za-z])", re.IGNORECASE)


@lru_cache(maxsize=1)
def attributive_before() -> re.Pattern:
    return regex(rf"(?:{spaced_alternation(timeline_words()['attributive_before'])})$")


def raw_dates(text: str) -> list[RawDate]:
    found: list[RawDate] = []
    for m in ZH_DATE.finditer(text):
        if not m.group(0) or (m.group("y") is None and m.group("d") is None):
            continue  # "5月" alone is too often not a date; "1992年" alone is a year
        found.append(RawDate(m.start(), m.end(), as_int(m.group("y")), as_int(m.group("m")), as_int(m.group("d")),
                             as_int(m.group("d2")), as_int(m.group("y0"))))
    # a date of en_date_pattern and a year of year_alone_pattern have digits: a sentence without any has none
    has_digit = DIGIT.search(text) is not None
    for m in en_date_pattern().finditer(text) if has_digit else ():
        month_word = (m.group("m1") or m.group("m2") or m.group("m3")).lower()
        month = month_numbers().get(month_word) or month_numbers().get(month_word.rstrip("."))
        if month is None:
            continue
        found.append(RawDate(m.start(), m.end(), as_int(m.group("y1") or m.group("y2")), month,
                             as_int(m.group("d") or m.group("d3") or m.group("d5")),
                             as_int(m.group("d2") or m.group("d4"))))
    for m in year_alone_pattern().finditer(text) if has_digit else ():
        if not any(f.start <= m.start("y") < f.end for f in found) and not counted_span().match(text, m.end()):
            found.append(RawDate(m.start("y"), m.end(), int(m.group("y")), None, None))
            second = second_year().match(text, m.end())  # "between 1450 and 1455", "from 1450 to 1455"
            if second and not any(f.start <= second.start("y") < f.end for f in found):
                found.append(RawDate(second.start("y"), second.end(), int(second.group("y")), None, None))
    for m in relative_year_pattern().finditer(text):
        if not any(f.start <= m.start() < f.end for f in found):
            month, month2 = zh_month(m.group("m1")) or as_int(m.group("am")), zh_month(m.group("m2"))
            found.append(RawDate(m.start(), m.end(), None, month, as_int(m.group("ad")) if month else None,
                                 year_offset=relative_years()[m.group("rel").lower()], month2=month2))
    return sorted(found, key=lambda f: f.start)


ZH_MONTH = r"十[一二]?|[一二三四五六七八九]"


@lru_cache(maxsize=1)
def relative_years() -> dict[str, int]:
    return {str(w).lower(): int(n) for n, words in timeline_words()["relative_years"].items() for w in words}


@lru_cache(maxsize=1)
def relative_year_pattern() -> re.Pattern:
    """"第二年的三四月间", "次年5月", "the following year"."""
    words = list(relative_years())
    return regex(rf"{first_letter(words)}(?P<rel>{spaced_alternation(words)})(?:的)?"
                      rf"(?:(?P<m1>{ZH_MONTH})(?P<m2>{ZH_MONTH})?月|(?P<am>\d{{1,2}})月(?:(?P<ad>\d{{1,2}})日)?)?",
                      re.IGNORECASE)


def first_letter(words: list[str]) -> str:
    """A lookahead for the first characters of the words: at a position where none can start, the engine moves
    on at once instead of trying each word of the alternation after it."""
    return "(?=[" + "".join(r"\s" if c.isspace() else re.escape(c) for c in sorted({w[0] for w in words})) + "])"


def zh_month(numeral: str | None) -> int | None:
    """一 … 十二 as a month number."""
    if not numeral:
        return None
    digits = load("number_words")["chinese_digits"]
    if numeral.startswith("十"):
        return 10 + (digits[numeral[1]] if len(numeral) > 1 else 0)
    return digits.get(numeral)


def as_int(value: str | None) -> int | None:
    return int(value) if value else None


def year_of(month: int | None, last_year: int | None, last_month: int | None) -> int | None:
    """A yearless date is the nearest one to the narrative's date, forward over a year's end (December 1460 …
    "until 6 January" is 1461), backward within the year ("一个月之前的11月21日" after December 31)."""
    if last_year is None:
        return None
    if month is None or last_month is None or month >= last_month:
        return last_year
    return last_year + 1 if month + 12 - last_month < last_month - month else last_year


def find_dates(text: str, last_year: int | None, last_month: int | None = None) -> list[FoundDate]:
    """Dates of a sentence, in order, spans joined; yearless ones take the year of the narrative (and say so)."""
    found: list[FoundDate] = []
    raws = raw_dates(text)
    for r, following in zip(raws, raws[1:], strict=False):
        if (r.year is None and r.year_offset is None and following.year is not None and r.month is not None
                and span_separator().fullmatch(text[r.end:following.start])):
            # "8 May – 9 June 1992": the start's year is the end's (the year before, when its month comes later)
            r.year = following.year - (1 if following.month is not None and r.month > following.month else 0)
            r.inferred = True
    for r in raws:
        if r.year_offset is not None:
            if last_year is None:
                continue
            year = last_year + r.year_offset
            first = PartialDate(year, r.month, r.day)
            last = PartialDate(year, r.month2) if r.month2 and r.month and r.month < r.month2 else first
            found.append(FoundDate(r.start, r.end, DateRange(first, last, inferred=True), False))
            if r.month is not None:
                last_year, last_month = year, last.month
            continue
        if r.year is None:
            year = year_of(r.month, last_year, last_month)
            if year is None:
                continue
        else:
            year = r.year
        if r.first_year is not None and r.month is None:  # "1993-1994年": a span of years
            first, last = PartialDate(r.first_year), PartialDate(year)
            if first <= last:
                found.append(FoundDate(r.start, r.end, DateRange(first, last), True))
            continue
        f = make_found(r.start, r.end, year, r.month, r.day, r.day2, r.year is not None and not r.inferred)
        if f is None:
            continue
        found.append(f)
        if f.dates.end.month is not None:
            last_year, last_month = f.dates.end.year, f.dates.end.month
    found = join_spans(text, found)
    mark_asides(text, found)
    return found


def join_spans(text: str, found: list[FoundDate]) -> list[FoundDate]:
    """"1988年2月至1994年5月", "from 8 May to 9 May", "between 1450 and 1455": one date, from the first to the last."""
    out: list[FoundDate] = []
    between_before, and_separator = span_and()
    for f in found:
        prev = out[-1] if out else None
        if prev is not None and sort_key(prev.dates.end) <= sort_key(f.dates.start):
            gap = text[prev.end:f.start]
            joined = span_separator().fullmatch(gap) or (
                and_separator.fullmatch(gap) and between_before.search(text[:prev.start]))
            if joined and prev.dates.start == prev.dates.end:
                out[-1] = FoundDate(prev.start, f.end, DateRange(prev.dates.start, f.dates.end,
                                                                 inferred=prev.dates.inferred or f.dates.inferred),
                                    prev.has_year or f.has_year)
                continue
        out.append(f)
    return out


GLOSS_REST = regex(r"[\s()（）,，、.约約公元西元前]*|(?:circa|c\.|ca\.|AD|CE)?[\s()]*", re.IGNORECASE)


def only_dates(paren: re.Match, found: list[FoundDate]) -> bool:
    """"在加里恩努斯在位期间（公元267年）": a parenthesis that holds only a date glosses the sentence's time."""
    rest = list(paren.group())
    for f in found:
        if paren.start() <= f.start < paren.end():
            for i in range(f.start - paren.start(), min(f.end, paren.end()) - paren.start()):
                rest[i] = " "
    inside = [f for f in found if paren.start() <= f.start < paren.end()]
    return bool(inside) and GLOSS_REST.fullmatch("".join(rest)) is not None


def sort_key(d: PartialDate) -> tuple[int, int, int]:
    return d.year, d.month or 0, d.day or 0


def mark_asides(text: str, found: list[FoundDate]) -> None:
    """A date inside a parenthesis, a subordinate clause (随着…，/After …,) or a noun's attribute
    (将1921年…的决定) is another event's date, not the sentence's."""
    parens = [(m.start(), m.end()) for m in PARENTHESES.finditer(text) if not only_dates(m, found)]
    clauses = []
    for m in subordinate_opener().finditer(text):
        end = CLAUSE_END.search(text, m.end())
        clauses.append((m.start(), end.start() if end else len(text)))
    for f in found:
        f.aside = (any(a <= f.start < b for a, b in parens + clauses)
                   or bool(attributive_before().search(text[:f.start].rstrip())))


def make_found(start: int, end: int, year: int, month: int | None, day: int | None, day2: int | None,
               has_year: bool) -> FoundDate | None:
    m = month
    d = day if day and m else None
    if (m is not None and not 1 <= m <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    first = PartialDate(year, m, d)
    last = PartialDate(year, m, day2) if day2 and d and 1 <= day2 <= 31 else first
    return FoundDate(start, end, DateRange(first, last, inferred=not has_year), has_year)


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]
