"""Headings and annotations inside infobox columns (vocabulary: graph/data/headings.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.wikitext.text import fold, to_simplified, word_alternation

PARENTHESISED = regex(r"[(（]([^()（）]+)[)）]")
SPACES = regex(r"\s+")
DIGIT = regex(r"\d")


@dataclass(frozen=True)
class Role:
    """What a heading says its section lists: belligerents or supporters, and for supporters the kind of support."""

    role: str  # "belligerent" | "supporter"
    kind: str | None  # support-kind key


def heading_key(text: str) -> str:
    """Fold a heading for lookup: script, case, width, markup colons and brackets."""
    text = fold(text)
    text = text.strip(" :：*'\"()（）[]【】-–—,，.。")
    return SPACES.sub(" ", text)


@lru_cache(maxsize=1)
def _role_words() -> dict[str, Role]:
    table = {}
    for entry in load("headings")["roles"]:
        for word in entry["words"]:
            table[heading_key(word)] = Role(entry["role"], entry["kind"])
    return table


@lru_cache(maxsize=1)
def _category_words() -> dict[str, str]:
    table = {}
    for entry in load("headings")["categories"]:
        for word in entry["words"]:
            table[heading_key(word)] = entry["key"]
    return table


def role_heading(text: str) -> Role | None:
    return _role_words().get(heading_key(text))


def category_heading(text: str) -> str | None:
    return _category_words().get(heading_key(text))


@lru_cache(maxsize=1)
def _branch_words() -> frozenset[str]:
    return frozenset(heading_key(w) for w in load("headings")["branches"])


@lru_cache(maxsize=1)
def _branch_joiners() -> re.Pattern:
    return regex(rf"\s*(?:{word_alternation(load('headings')['branch_joiners'])})\s*")


def branch_heading(text: str) -> bool:
    """A heading naming a service branch ("Navy", "Army & Militia", "陸軍"), not a party."""
    parts = [p for p in _branch_joiners().split(heading_key(text)) if p]
    return bool(parts) and all(p in _branch_words() for p in parts)


def inline_role(text: str) -> Role | None:
    """A parenthesised annotation such as ``(直接軍事& 政治支持)`` that gives this line's role."""
    for m in PARENTHESISED.finditer(text):
        found = role_heading(m.group(1))
        if found:
            return found
    return None


def line_category(text: str) -> str | None:
    """A casualty category read from the words of a line without a heading."""
    folded = fold(text)
    for rule in load("headings")["line_category_words"]:
        if "all" in rule and all(any(w in folded for w in group) for group in rule["all"]):
            return rule["key"]
        if "any" in rule and any(w in folded for w in rule["any"]):
            return rule["key"]
    return None


@lru_cache(maxsize=1)
def _claimant_patterns() -> tuple[re.Pattern, ...]:
    return tuple(regex(p, re.IGNORECASE) for p in load("headings")["claimants"])


def claimant(text: str) -> tuple[str, tuple[int, int]] | None:
    """Who states a figure ("according to X", "據X：", "X宣稱") and where the phrase is."""
    simplified = to_simplified(text)
    if len(simplified) != len(text):  # spans must point into the text as written
        simplified = text
    for pattern in _claimant_patterns():
        m = pattern.search(simplified)
        if m and m.group("c").strip():
            start, end = m.span("c")
            return text[start:end].strip(), m.span()
    return None


@lru_cache(maxsize=1)
def _claimant_heading_patterns() -> tuple[re.Pattern, ...]:
    return tuple(regex(p, re.IGNORECASE) for p in load("headings")["claimant_headings"])


HEADING_MARKS = " :：*'\"()（）[]【】"


def claimant_heading(text: str) -> str | None:
    """Who states the figures below a heading that only says so ("據X：", "X宣稱", "According to X",
    "(X claim)"), as the heading writes the name; None for any other line."""
    stripped = text.strip(HEADING_MARKS)
    simplified = to_simplified(stripped)
    if len(simplified) != len(stripped):  # spans must point into the text as written
        simplified = stripped
    for pattern in _claimant_heading_patterns():
        m = pattern.fullmatch(simplified)
        if m and m.group("c").strip(HEADING_MARKS):
            return stripped[m.start("c"):m.end("c")].strip(HEADING_MARKS)
    return None


def looks_like_heading(text: str) -> bool:
    """A short line ending in a colon, with no digits: a heading even when we do not know it."""
    stripped = text.strip()
    return bool(stripped) and stripped[-1] in ":：" and len(stripped) <= 40 and not DIGIT.search(stripped)
