"""Figures in infobox text: "20,000–30,000", "4千餘人", "over 5,000 men", "數百" → ``Quantity``.

The vocabularies (Chinese numerals, qualifier words, units, fuzzy words) live in
``graph/data/number_words.yaml`` and ``graph/data/units.yaml``.

Semantics of fuzzy words (see number_words.yaml):

* ``數百`` / ``several hundred``: 200..900, approximate, qualifier "several" (數千 = 2000..9000).
* ``上千``: min 1000, max open, approximate, qualifier "over".
* ``thousands``: min 2000, max open, approximate, qualifier "several"
  ("tens of thousands" = min 20000).
* ``over``/``餘``/``+`` → min only ("over"); ``at least``/``至少`` → min only ("at-least");
  ``up to``/``fewer than``/``不到`` → max only ("up-to"); ``about``/``約``/``近`` → min = max,
  approximate ("about").

``Quantity.span`` covers the figure with its qualifier words and range, not the unit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract.model import Quantity
from graph.extract.units import find_unit, units_data
from graph.wikitext.text import alternation, is_ascii_word

MAX_DIGITS = 30  # longer digit runs are identifiers or junk, and would be slow to handle


def words() -> dict[str, Any]:
    return load("number_words")


# --- normalisation ---------------------------------------------------------------------------


def nfkc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise char by char, remembering for each output char the index of its source char.

    Full-width digits and punctuation become ASCII; a few characters expand ("½"), so offsets
    must be mapped back explicitly. The list has one extra entry: ``len(text)``.
    """
    if unicodedata.is_normalized("NFKC", text):  # most texts: each character is its own form, offsets as they are
        return text, list(range(len(text) + 1))
    return nfkc_char_by_char(text)


def nfkc_char_by_char(text: str) -> tuple[str, list[int]]:
    """``nfkc_with_offsets`` without its shortcut for a text already in NFKC."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch) or ch
        out.append(norm)
        origin.extend([i] * len(norm))
    origin.append(len(text))
    return "".join(out), origin


def original_span(origin: list[int], start: int, end: int) -> tuple[int, int]:
    if end <= start:
        return origin[start], origin[start]
    return origin[start], origin[end - 1] + 1


# --- compiled patterns (built once from the data) ---------------------------------------------


ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,4}(?: \d{4})+(?!\d)|\d+)(?:\.\d+)?"


@dataclass(frozen=True)
class Patterns:
    """The compiled patterns that find numbers and quantities in the text of one language."""

    core: re.Pattern[str]
    token: re.Pattern[str]
    separator: re.Pattern[str]
    month_after: re.Pattern[str]
    month_before: re.Pattern[str]
    year_preposition: re.Pattern[str]
    era_after: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    w = words()
    digits = "".join(w["chinese_digits"])
    mults = "".join(w["chinese_multipliers"])
    scales = alternation(list(w["english_scales"]))
    several_zh = "".join(w["several"]["zh_prefixes"])
    over_zh = "".join(w["over_prefixes_zh"])
    plural = alternation(list(w["plural_scales_en"]))
    plural_mult = alternation(list(w["plural_multipliers_en"]))
    several_en = alternation(w["several"]["en_words"])
    core = (
        rf"(?P<phrase>{alternation(list(w['phrases']))})"
        rf"|(?P<several_zh>[{several_zh}][{mults}]+)"
        rf"|(?P<over_zh>[{over_zh}][{mults}]+)"
        rf"|(?P<several_en>(?<![A-Za-z])(?:{several_en})\s+(?:{scales})(?![A-Za-z]))"
        rf"|(?P<plural_en>(?<![A-Za-z])(?:(?:{plural_mult})\s+)?(?:{plural})(?![A-Za-z]))"
        rf"|(?P<number>(?<![\d.])(?:{ARABIC}|[{digits}{mults}])(?:{ARABIC}|[{digits}{mults}])*"
        rf"(?:\s*(?<![A-Za-z])(?:{scales})(?![A-Za-z]))?)"
    )
    months = [m for names in load("date_words")["months"].values() for m in names]
    month_alt = alternation(months)
    seps = w["range_separators"]
    symbols = alternation([s for s in seps if not is_ascii_word(s)])
    word_seps = alternation([s for s in seps if is_ascii_word(s)])
    skip = w["skip"]
    return Patterns(
        core=regex(core, re.IGNORECASE),
        token=regex(rf"{ARABIC}|[{digits}{mults}]|[A-Za-z]+"),
        separator=regex(rf"\s*(?:{symbols})\s*|\s+(?:{word_seps})\s+"),
        month_after=regex(rf"\s+(?:{month_alt})(?![A-Za-z])"),
        month_before=regex(rf"(?<![A-Za-z])(?:{month_alt})\.?\s+(?:\d{{1,2}},?\s+)?$"),
        year_preposition=regex(
            rf"(?<![A-Za-z])(?:{alternation(skip['year_prepositions'])})\s+$", re.IGNORECASE
        ),
        era_after=regex(rf"\s*(?:{alternation(skip['era_words'])})(?![A-Za-z])"),
    )


# --- reading one number ------------------------------------------------------------------------


@dataclass
class Core:
    """One number as written, before qualifiers and ranges are looked at."""

    start: int
    end: int
    min: Decimal | None
    max: Decimal | None
    qualifier: str | None = None
    approximate: bool = False
    bare: bool = True  # no multiplier or scale word: "2" in "2至3萬" may borrow the 萬
    plain_int: str | None = None  # the digits when written as a plain integer ("1992")
    multiplier: Decimal | None = None  # trailing multiplier, lent to a bare range start


def chinese_value(tokens: list[str]) -> tuple[Decimal, Decimal | None]:
    """Value of mixed Chinese/Arabic numeral tokens ("1", "萬", "2", "千") and the last multiplier.

    Small multipliers (十百千) build a section; big ones (萬億) scale everything before them.
    """
    w = words()
    digits, mults = w["chinese_digits"], w["chinese_multipliers"]
    result = section = Decimal(0)
    number: Decimal | None = None
    last_mult: Decimal | None = None
    biggest = Decimal(0)
    for tok in tokens:
        if tok in mults:
            m = Decimal(mults[tok])
            last_mult = m
            if m < 10000:
                section += (number if number is not None else Decimal(1)) * m
            else:
                section += number or 0
                result = (result + section) * m if m > biggest else result + section * m
                biggest = max(biggest, m)
                section = Decimal(0)
            number = None
        elif tok in digits:  # consecutive digits are positional: 一九九二
            d = Decimal(digits[tok])
            number = d if number is None else number * 10 + d
        else:
            number = Decimal(tok.replace(",", "").replace(" ", ""))
            last_mult = None
    return result + section + (number or 0), last_mult


def read_number(s: str, m: re.Match[str]) -> Core | None:
    text = m.group()
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        return None
    w = words()
    tokens = patterns().token.findall(text)
    scale = None
    if tokens and tokens[-1].isascii() and tokens[-1].isalpha():
        scale = Decimal(w["english_scales"][tokens.pop().lower()])
    if not tokens or not chinese_shape_ok(s, m, tokens):
        return None
    value, last_mult = chinese_value(tokens)
    if scale is not None:
        value, last_mult = value * scale, scale
    bare = len(tokens) == 1 and scale is None and tokens[0][0].isascii()
    plain = tokens[0] if bare and tokens[0].isdigit() else None
    return Core(m.start(), m.end(), value, value, bare=bare, plain_int=plain, multiplier=last_mult)


def chinese_shape_ok(s: str, m: re.Match[str], tokens: list[str]) -> bool:
    """Reject Chinese numeral runs that are words: 百姓, 十字軍, 一些, 萬一."""
    w = words()
    if any(t[0].isascii() for t in tokens):
        return True
    mults = w["chinese_multipliers"]
    after = s[m.end() : m.end() + 1]
    counted = after in units_data()["counters"] or after in over_suffix_chars()
    if tokens[0] in mults and tokens[0] != "十":  # 千餘人 is fine, 千島 is not
        return len(tokens) == 1 and after in over_suffix_chars()
    if not any(t in mults for t in tokens):  # 三人 is fine, 一些 is not
        return counted
    if len(tokens) == 1:  # a lone 十 needs something to count: 十人
        return counted
    return True


@lru_cache(maxsize=1)
def over_suffix_chars() -> frozenset[str]:
    return frozenset(x for x in words()["qualifiers"]["suffix"]["over"] if len(x) == 1 and not x.isascii())


def read_fuzzy(m: re.Match[str]) -> Core:
    """數百, 上千, several hundred, thousands, 成千上萬 ..."""
    w = words()
    kind, text = m.lastgroup, m.group()
    several = w["several"]
    lo, hi = Decimal(several["min_factor"]), Decimal(several["max_factor"])
    if kind == "phrase":
        spec = {k.lower(): v for k, v in w["phrases"].items()}[text.lower()]
        return Core(
            m.start(),
            m.end(),
            dec(spec.get("min")),
            dec(spec.get("max")),
            spec.get("qualifier"),
            bool(spec.get("approximate")),
            bare=False,
        )
    if kind in ("several_zh", "over_zh"):
        base, _ = chinese_value(list(text[1:]))
        if kind == "over_zh":
            return Core(m.start(), m.end(), base, None, "over", True, bare=False)
        return Core(m.start(), m.end(), base * lo, base * hi, "several", True, bare=False)
    if kind == "several_en":
        base = Decimal(w["english_scales"][text.split()[-1].lower()])
        return Core(m.start(), m.end(), base * lo, base * hi, "several", True, bare=False)
    parts = text.lower().split()
    base = Decimal(w["plural_scales_en"][parts[-1]])
    if len(parts) > 1:
        base *= Decimal(w["plural_multipliers_en"][" ".join(parts[:-1])])
    return Core(m.start(), m.end(), base * lo, None, "several", True, bare=False)


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def read_core(s: str, m: re.Match[str]) -> Core | None:
    return read_number(s, m) if m.lastgroup == "number" else read_fuzzy(m)


def core_at(s: str, pos: int) -> Core | None:
    m = patterns().core.match(s, pos)
    return read_core(s, m) if m else None


# --- numbers that are not figures ---------------------------------------------------------------


ORDINAL_SUFFIX = regex(r"(?:st|nd|rd|th|s|'s)(?![A-Za-z])")  # 3rd, 1990s
MODEL_NAME_END = regex(r"[A-Za-z]-?$")  # T-34
ERA_BEFORE = regex(r"(?<![A-Za-z])(?:AD|A\.D\.)\s*$")


def looks_like_date_or_name(s: str, core: Core) -> bool:
    """Years (1992年), days (3日), ordinals (第3, 3rd), model names (T-34), decades (1990s)."""
    p = patterns()
    skip = words()["skip"]
    # a short look around is enough, and keeps long texts linear
    before, after = s[max(0, core.start - 40) : core.start], s[core.end : core.end + 40]
    if any(after.lstrip(" ").startswith(x) for x in skip["date_suffixes"]):
        return True
    if any(before.endswith(x) for x in skip["ordinal_prefixes"]):
        return True
    if ORDINAL_SUFFIX.match(after):
        return True
    if MODEL_NAME_END.search(before) and core.plain_int is not None:
        return True
    if core.plain_int is None:
        return False
    if p.era_after.match(after) or ERA_BEFORE.search(before):
        return True
    if p.month_before.search(before):
        return True
    if len(core.plain_int) <= 2 and int(core.plain_int) <= 31 and p.month_after.match(after):
        return True
    is_year = len(core.plain_int) == 4 and 1000 <= int(core.plain_int) <= 2100
    return is_year and bool(p.year_preposition.search(before))


# --- qualifiers ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def qualifier_pattern(where: str) -> re.Pattern[str]:
    table = words()["qualifiers"][where]
    parts = []
    for key, items in table.items():
        group = key.replace("-", "_")
        alt = alternation(items)
        parts.append(f"(?P<{group}>(?<![A-Za-z])(?:{alt}))")
    body = "|".join(parts)
    if where == "prefix":  # the qualifier ends right before the number
        return regex(rf"(?:{body})\s*$", re.IGNORECASE)
    return regex(rf"\s*(?:{body})(?![A-Za-z])", re.IGNORECASE)


def qualifier_of(m: re.Match[str]) -> str:
    return (m.lastgroup or "").replace("_", "-")


def is_approximate(qualifier: str | None) -> bool:
    return qualifier in words()["qualifiers"]["approximate"]


def apply_prefix(s: str, core: Core) -> int:
    """Read qualifier words before the figure; return where the expression starts."""
    start = core.start
    for _ in range(2):  # "估計約", "an estimated about" at most
        m = qualifier_pattern("prefix").search(s, max(0, start - 40), start)
        if not m or m.end() != start:
            break
        found = qualifier_of(m)
        core.approximate = core.approximate or is_approximate(found)
        if core.qualifier in (None, "about"):
            core.qualifier = found
        start = m.start()
    return start


def apply_suffix(s: str, core: Core, pos: int) -> int:
    """Read qualifier words after the figure (餘, +, 以上, 左右); also after a counter (4000人以上)."""
    counters = units_data()["counters"]
    for at in (pos, pos + 1):
        if at > pos and s[pos : pos + 1] not in counters:
            break
        m = qualifier_pattern("suffix").match(s, at)
        if m:
            found = qualifier_of(m)
            core.approximate = core.approximate or is_approximate(found)
            if core.qualifier in (None, "about"):
                core.qualifier = found
            return m.end()
    return pos


def inner_over(s: str, core: Core, pos: int) -> int:
    """十餘萬, 二十多萬: "over" between the number and its big multiplier."""
    mults = words()["chinese_multipliers"]
    if (
        s[pos : pos + 1] in over_suffix_chars()
        and s[pos + 1 : pos + 2] in mults
        and mults[s[pos + 1]] >= 10000
        and core.min is not None
        and core.max is not None
    ):
        factor = Decimal(mults[s[pos + 1]])
        core.min, core.max, core.qualifier, core.bare = core.min * factor, core.max * factor, "over", False
        return pos + 2
    return pos


# --- ranges -------------------------------------------------------------------------------------


def range_end(s: str, first: Core, pos: int) -> Core | None:
    """The second figure of "20,000–30,000", "2至3萬", "1 to 1.5 million", or None."""
    sep = patterns().separator.match(s, pos)
    if not sep or first.min is None or first.max != first.min or first.qualifier:
        return None
    second = core_at(s, sep.end())
    if second is None or second.min is None or second.max != second.min or second.qualifier:
        return None
    low = first.min
    if first.bare and second.multiplier is not None and low * second.multiplier <= second.min:
        low *= second.multiplier  # 2至3萬: the 萬 belongs to both
    if low > second.min:
        return None
    first.min = low
    return second


# --- units --------------------------------------------------------------------------------------


# --- figures ------------------------------------------------------------------------------------


def to_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def finish(core: Core) -> tuple[Decimal | None, Decimal | None]:
    """Turn an exact value plus qualifier into (min, max)."""
    if core.qualifier in ("over", "at-least") and core.min is not None and core.max == core.min:
        return core.min, None
    if core.qualifier == "up-to" and core.max is not None:
        return None, core.max
    return core.min, core.max


def figure_at(s: str, m: re.Match[str]) -> tuple[Quantity | None, int]:
    """The figure starting with the number matched by ``m``, and where to continue scanning."""
    core = read_core(s, m)
    if core is None:
        return None, m.end()
    pos = inner_over(s, core, core.end)
    second = range_end(s, core, pos)
    last = second or core
    if looks_like_date_or_name(s, last) or (second is None and looks_like_date_or_name(s, core)):
        return None, last.end
    if second is not None:
        core.max, pos = second.max, second.end
    start = apply_prefix(s, core)
    end = apply_suffix(s, core, pos)
    low, high = finish(core)
    approximate = core.approximate or is_approximate(core.qualifier)
    unit = find_unit(s, end) or find_unit(s, pos)  # 4000人以上: the counter sits before 以上
    quantity = Quantity(to_number(low), to_number(high), approximate, core.qualifier, unit, (start, end))
    return quantity, end


def scan(text: str) -> list[tuple[Quantity, int]]:
    """All figures with their parenthesis depth, spans mapped back to ``text``."""
    if not isinstance(text, str) or not text:
        return []
    s, origin = nfkc_with_offsets(text)
    depth = parenthesis_depths(s)
    found = []
    pos = 0
    core_re = patterns().core
    while True:
        m = core_re.search(s, pos)
        if not m:
            break
        quantity, pos = figure_at(s, m)
        pos = max(pos, m.end(), m.start() + 1)
        if quantity is None:
            continue
        a, b = quantity.span
        mapped = Quantity(
            quantity.min,
            quantity.max,
            quantity.approximate,
            quantity.qualifier,
            quantity.unit,
            original_span(origin, a, b),
        )
        found.append((mapped, depth[m.start()]))
    return found


def parenthesis_depths(s: str) -> list[int]:
    depths, level = [], 0
    for ch in s:
        if ch in ")]":
            level = max(0, level - 1)
        depths.append(level)
        if ch in "([":
            level += 1
    return depths


def find_quantities(text: str) -> list[Quantity]:
    """All figure expressions in ``text``, in order (including those inside parentheses)."""
    return [q for q, _ in scan(text)]


def parse_quantity(text: str) -> Quantity | None:
    """The first figure expression in ``text`` that is NOT inside parentheses, or None."""
    return next((q for q, depth in scan(text) if depth == 0), None)
