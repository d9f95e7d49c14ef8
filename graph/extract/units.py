"""What a figure counts when it is not people: unit words (tanks, ships of the line, 坦克) and counters
after the figure, from ``graph/data/units.yaml``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.wikitext.text import word_alternation


@lru_cache(maxsize=1)
def units_data() -> dict[str, Any]:
    data = dict(load("units"))  # a copy: the loader's cached dict stays as the file says
    data.setdefault("counters", {})
    return data


@lru_cache(maxsize=1)
def unit_words() -> dict[str, str]:
    """Every unit word (lower-cased) → its unit key."""
    return {
        str(word).lower(): key
        for key, spec in units_data()["units"].items()
        for word in (spec or {}).get("words", [])
    }


@lru_cache(maxsize=1)
def unit_pattern() -> re.Pattern[str]:
    """One alternation, longest words first, so 步兵戰車 (IFV) beats 步兵 (infantry)."""
    alts = word_alternation(list(unit_words()))
    return regex(alts or r"(?!x)x", re.IGNORECASE)


WINDOW = regex(r"[^\d,;:()\[\]、，；。：\n]*")  # up to a figure or a punctuation mark


def unit_window(s: str, pos: int) -> str:
    """The few words after a figure where its unit may be named."""
    cfg = units_data().get("window", {})
    m = WINDOW.match(s[pos : pos + int(cfg.get("max_chars", 40))])
    text = m.group() if m else ""
    return " ".join(text.split()[: int(cfg.get("max_words", 3))])


def find_unit(s: str, pos: int) -> str | None:
    """The earliest unit word in the window, else the unit of a counter right after the figure."""
    window = unit_window(s, pos)
    m = unit_pattern().search(window)
    if m:
        return unit_words().get(m.group().lower())
    return units_data()["counters"].get(window[:1])
