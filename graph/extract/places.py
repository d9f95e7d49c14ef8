"""Where a conflict took place: the places a `place` line names (links, unlinked names less the words that only
locate them, a name written onto a link) and its coordinates."""

from __future__ import annotations

import re
from functools import cache

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract import entities
from graph.extract.columns import (
    NAME_SEPARATORS,
    Context,
    items_of,
)
from graph.extract.model import (
    EntityRef,
    Place,
)
from graph.extract.values import Item
from graph.wikitext.page import Param
from graph.wikitext.text import clean_spaces, has_cjk

WORD_CHARACTER = regex(r"\w")
SPACE = regex(r"\s")


def extract_places(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    for item in items_of(ctx, param):
        found = entities.dedupe(place_entities(item, ctx.lang))
        for entity in found:
            place = Place(entity, ctx.line(item.offset))
            if item.coords and len(found) == 1:  # {{coord}} beside a single place is that place's
                place.lat, place.long = item.coords
            ctx.conflict.places.append(place)
        if item.coords:
            set_conflict_coords(ctx, item.coords)


def place_entities(item: Item, lang: str) -> list[EntityRef]:
    """Every place a `place` line names, between separators and outside parentheses (which say where that is
    today): each link; each unlinked name, less the words that only locate it (near, the, 今…, graph/data/
    places.yaml); and a name written onto a link without a space (``[[中國]]皖西``), as a place of its own."""
    found: list[EntityRef] = []
    for start, end in segments_outside_parentheses(item):
        links = [m for m in item.mentions
                 if m.named and start <= m.start < end and not item.inside_parentheses(m.start)]
        found += [m.entity for m in links]
        whole = clean_spaces(item.text_outside_parentheses(start, end))
        rest = whole
        for m in sorted(links, key=lambda m: -m.start):
            rest = rest.replace(item.text[m.start:m.end], " ")
        rest = strip_place_qualifiers(rest)
        if not rest or not WORD_CHARACTER.search(rest) or rest.isdigit() or rest in load("places")["generic"]:
            continue
        if not links or has_cjk(rest) and not SPACE.search(whole.strip()):
            found.append(entities.from_text(strip_place_qualifiers(whole), lang))
    return [e for e in found if e is not None]


def segments_outside_parentheses(item: Item) -> list[tuple[int, int]]:
    """Spans of the item's text between name separators that stand outside parentheses."""
    cuts = [m for m in place_separators().finditer(item.text) if not item.inside_parentheses(m.start())]
    bounds = [0, *(x for m in cuts for x in (m.start(), m.end())), len(item.text)]
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


@cache
def place_separators() -> re.Pattern[str]:
    joiners = "|".join(re.escape(w) for w in load("places")["joiners"])
    return regex(rf"{NAME_SEPARATORS.pattern}|\s*(?:{joiners})\s*")


def strip_place_qualifiers(name: str) -> str:
    words = load("places")
    name = clean_spaces(name).strip(" ,;:，；：、.。'\"-–")
    changed = True
    while changed and name:
        changed = False
        for word in words["leading"]:
            w = str(word)
            if name.lower().startswith(w.lower()) and (has_cjk(w) or len(name) == len(w) or not name[len(w)].isalnum()):
                name, changed = name[len(w):].strip(" ,;:，；：、"), True
        for word in words["trailing"]:
            w = str(word)
            if (name.lower().endswith(w.lower()) and len(name) > len(w)
                    and (has_cjk(w) or not name[-len(w) - 1].isalnum())):
                name, changed = name[: -len(w)].strip(" ,;:，；：、"), True
    return name


def extract_coordinates(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    for item in items_of(ctx, param):
        if item.coords:
            set_conflict_coords(ctx, item.coords)
            return


def set_conflict_coords(ctx: Context, coords: tuple[float, float]) -> None:
    if ctx.conflict.lat is None:
        ctx.conflict.lat, ctx.conflict.long = coords
