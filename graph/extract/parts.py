"""One line of a figure column that gives several figures, joined by 、, 和, "and" or a comma:
"80名X、100名Y平民被殺" (a figure per party), "500–600 killed, 900 wounded" (a figure per
kind) → one part per figure, each with its own words and the party they name.

A line is split only when each of its parts names a party or each says its own kind: "N名官兵和上千的志願者"
(officers and volunteers, neither a party nor a kind of loss) stays one figure with its note. The words that end
a party's name are the vocabulary of kinds and units (``graph/data/headings.yaml``, ``graph/data/units.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract import headings
from graph.extract.model import Quantity
from graph.extract.numbers import scan
from graph.wikitext.text import clean_spaces, has_cjk, to_simplified, word_alternation

# What joins the parts of a line: the enumeration comma, commas and semicolons (", and" too), and, 和, 與, 及.
JOINER = regex(r"\s*(?:[、,，;；]\s*(?:and\s+|以及|及|和)?|\s(?:and|&)\s|以及|及|和|与|與)\s*", re.IGNORECASE)
COUNTER = regex(r"^\s*[名人輛辆架艘門门台臺套]?\s*(?:的\s*)?")
DIGIT = regex(r"\d")
WORD_CHARACTER = regex(r"\w")


@dataclass(frozen=True)
class Part:
    """One party's share of a figure: how many, as written, and of what kind."""

    quantity: Quantity  # its span points into the whole line
    text: str  # the part's own words after its figure, up to its joiner ("X", "Xs displaced")
    party: str | None  # the words that name whose figure it is ("X", "Xs"), if any
    category: str | None  # the kind its own words say ("killed"), if any


def line_parts(body: str) -> list[Part] | None:
    """The parts of a line of several figures, or None when the line is one figure (or none)."""
    figures = [q for q, depth in scan(body) if depth == 0]
    if len(figures) < 2:
        return None
    parts = []
    for i, quantity in enumerate(figures):
        end = len(body)
        if i + 1 < len(figures):
            joiner = last_joiner(body, quantity.span[1], figures[i + 1].span[0])
            if joiner is None:
                return None
            end = joiner
        own = body[quantity.span[1]:end]
        parts.append(Part(quantity, clean_spaces(own), party_words(own), headings.line_category(own)))
    if all(p.party for p in parts) or all(p.category for p in parts):
        return parts
    return None


def last_joiner(body: str, start: int, end: int) -> int | None:
    """Where the last joiner between two figures starts (the words before it are the first figure's)."""
    found = list(JOINER.finditer(body, start, end))
    return found[-1].start() if found else None


def party_words(own: str) -> str | None:
    """The words right after a figure that name a party: up to the first word of a kind or unit ("平民被殺",
    "civilians", "displaced"), less the counter (名, 的); a party written in English is capitalised."""
    text = COUNTER.sub("", strip_parenthesised(own))
    key = to_simplified(text).lower()
    if len(key) != len(text):
        key = text.lower()
    m = tail_words().search(key)
    name = text[: m.start()] if m else text
    name = clean_spaces(name).strip(" ,;:，；：、.。'\"-–")
    if not name or DIGIT.search(name) or not WORD_CHARACTER.search(name):
        return None
    if not has_cjk(name) and not name[:1].isupper():
        return None
    return name


def strip_parenthesised(text: str) -> str:
    return headings.PARENTHESISED.sub(" ", text)


@cache
def tail_words() -> re.Pattern[str]:
    """Words of kinds and units, in simplified script and lower case; one-character Chinese words are left out
    (人 ends a people's name: X人)."""
    data = load("headings")
    words = [w for entry in data["categories"] for w in entry["words"]]
    for rule in data["line_category_words"]:
        words += [w for group in rule.get("all", []) for w in group] + list(rule.get("any", []))
    words += [w for spec in load("units")["units"].values() for w in (spec or {}).get("words", [])]
    keys = {to_simplified(str(w)).lower() for w in words}
    return regex(word_alternation(sorted(k for k in keys if len(k) > 1 or k.isascii())))
