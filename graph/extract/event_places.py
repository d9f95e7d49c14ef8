"""Where an event of the body took place: a link the sentence uses as a place (after 在/于/at/in/near/took…),
never a mediator, the two ends of a 之间, troops, or a war used as a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract.model import EntityRef
from graph.extract.sentence_dates import CLAUSE_END, first_letter
from graph.extract.values import Item
from graph.wikitext.text import longest_first, spaced_word


@dataclass(frozen=True)
class PlacePatterns:
    """The compiled patterns that tell where a sentence's event took place, in one language."""

    before: re.Pattern  # a place word at the end of the text before a link
    phrase: re.Pattern  # a place word, then a phrase ending in 的/——, at the end of the text before a link
    not_after: re.Pattern  # at the start of the text after the link: a circumstance (在[[X]]斡旋下)
    not_before: re.Pattern  # an agent ("mediation of")
    troops_after: re.Pattern  # after a link reached through a phrase: troops, not a place
    attacked_before: re.Pattern  # 向/对 right before the link…
    attacked_after: re.Pattern  # …and an attack right after it


LATIN_START = regex(r"[A-Za-z]")


def word_alt(words: list[str]) -> str:
    """Alternation of words; an ASCII word must not end another word ("in" is not the end of "within")."""
    return "|".join((r"(?<![A-Za-z])" if LATIN_START.match(w) else "") + spaced_word(w)
                    for w in sorted(map(str, words), key=len, reverse=True))


@lru_cache(maxsize=1)
def place_patterns() -> PlacePatterns:
    data = load("templates")
    words = starting(data["place_words"])
    ends = "|".join(re.escape(w) for w in data["place_phrase_ends"])
    return PlacePatterns(
        before=regex(rf"{words}了?\s*$", re.IGNORECASE),
        phrase=regex(rf"{words}了?[^，。；、,;:()（）\[\]]{{1,15}}?(?:{ends})\s*$", re.IGNORECASE),
        not_after=regex(rf"^(?:的)?[^，。；,;]{{0,12}}?(?:{'|'.join(map(re.escape, data['not_place_after']))})"),
        not_before=regex(rf"{starting(data['not_place_before'])}\s*$", re.IGNORECASE),
        troops_after=regex(rf"^[^，。；,;]{{0,12}}?(?:{word_alt(data['not_place_after_phrase'])})"),
        attacked_before=regex(rf"{starting(data['place_of_attack']['before'])}\s*$"),
        attacked_after=regex(rf"^[^，。；,;]{{0,4}}?(?:{word_alt(data['place_of_attack']['after'])})"))


def starting(words: list[str]) -> str:
    """``word_alt`` of the words, searched for anywhere in the text before a link: behind a lookahead for their
    first letters, so that the engine tries the words only where one of them can start (searched at every place of
    the text before each link, they were a body's costliest patterns)."""
    return first_letter([str(w) for w in words]) + f"(?:{word_alt(words)})"


def used_as_place(p: PlacePatterns, before: str, after: str) -> bool:
    if p.not_before.search(before) or p.not_after.search(after):
        return False
    return bool(p.before.search(before) or p.phrase.search(before) and not p.troops_after.search(after)
                or p.attacked_before.search(before) and p.attacked_after.search(after))


def place_of(item: Item, mentions, names: dict[str, EntityRef] | None = None,
             start: int = 0, end: int | None = None, pattern: re.Pattern | None = None) -> EntityRef | None:
    """The place of a sentence: the first link the text uses as a place, right after 在/于/at/in/near/took… or
    after such a word and a phrase ending in 的/—— (graph/data/templates.yaml); not 在[[X]]斡旋下 (a
    circumstance). A name the article links elsewhere counts as a link where it is written unlinked. Of
    "在纳戈尔诺-卡拉巴赫的[[阿斯凯兰]]", the place within the other (阿斯凯兰)."""
    p = place_patterns()
    text = item.text
    end = len(text) if end is None else end
    found: list[tuple[int, int, EntityRef]] = []
    for m in mentions:
        if used_as_place(p, text[max(start, m.start - 24):m.start], text[m.end:m.end + 20]):
            found.append((m.start, m.end, m.entity))
    taken = [(m.start, m.end) for m in mentions]
    pattern = pattern or names_pattern(names)
    for hit in pattern.finditer(text, start, end) if pattern is not None else ():
        at, stop = hit.start(), hit.end()
        if any(a <= at < b for a, b in taken + [(f[0], f[1]) for f in found]) or not name_boundary(text, at, stop):
            continue
        if used_as_place(p, text[max(start, at - 24):at], text[stop:stop + 20]):
            found.append((at, stop, names[hit.group()]))
    found.sort(key=lambda f: f[0])
    for i, (_, stop, entity) in enumerate(found):
        inner = found[i + 1][0] if i + 1 < len(found) else None
        between = text[stop:inner] if inner is not None else ""
        if (inner is not None and len(between) <= 6 and ("的" in between or "'s" in between)
                and not CLAUSE_END.search(between) and p.phrase.search(text[max(0, inner - 24):inner])):
            continue  # 在[[X]]（中部）的[[Y]]: Y, which lies in X
        return entity
    return None


def names_pattern(names: dict[str, EntityRef] | None) -> re.Pattern | None:
    """One alternation of the names, longest first, so that each place in the text is matched once."""
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in longest_first(names)))  # the page's own: not kept


def name_boundary(text: str, a: int, b: int) -> bool:
    """An ASCII name must be a whole word; a Chinese one may touch anything."""
    if LATIN_START.match(text[a]):
        return not (a > 0 and text[a - 1].isalnum()) and not (b < len(text) and text[b].isalnum())
    return True
