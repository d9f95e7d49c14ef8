"""Extract stage: infobox items → facts (graph.extract.model dataclasses), driven by the mapping files.

Each infobox field is routed by ``graph/data/mappings/*.yaml`` to one extractor (here, or in ``places``
and ``figures``; ``columns`` holds the heading state they share)
(``extract_<name>``). Columns keep their side: which commander, supporter and figure belongs to
which side survives, and headings inside a column (periods, "裝備保障:", "死亡:") scope the lines
below them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from graph.data.regex_cache import data_regex
from graph.extract import entities, headings
from graph.extract.columns import (
    LIST_SEPARATORS,
    NAME_SEPARATORS,
    ColumnState,
    Context,
    column_heading,
    follow_blocks,
    is_unknown,
    items_of,
    strip_parenthesised,
)
from graph.extract.dates import parse_date_range, parse_period_note
from graph.extract.figures import extract_figures
from graph.extract.model import (
    Belligerent,
    Commander,
    Conflict,
    DateRange,
    EntityRef,
    SideFact,
    Supporter,
)
from graph.extract.places import extract_coordinates, extract_places
from graph.extract.values import Item, Mention
from graph.wikitext.page import Infobox, Page, Param
from graph.wikitext.text import clean_spaces, label_language


def extract_conflict(page: Page, infobox: Infobox, entity: EntityRef, lang: str) -> Conflict:
    conflict = Conflict(entity=entity, infobox=infobox.name, line=page.lines.position(infobox.offset)[0])
    ctx = Context(page, lang, conflict)
    for param in infobox.params.values():
        if page.holds_too_deep(param.offset, param.offset + page.nodes.code_length(param.value)):
            page.diagnose(param.offset, "warning", "too-deep-field", f"infobox field {param.name!r} holds templates "
                          "nested deeper than the parser reads; field skipped")
            continue
        rule, side = route(infobox.mapping, param.name)
        if rule is None:
            if param.name not in infobox.mapping.get("ignore", []) and str(param.value).strip():
                page.diagnose(param.offset, "info", "unmapped-field",
                              f"infobox field {param.name!r} has no mapping; ignored")
            continue
        extractor: Callable = EXTRACTORS[rule["extract"]]
        extractor(ctx, param, rule, side)
    conflict.sides = sorted({f.side for f in all_side_facts(conflict) if f.side is not None})
    return conflict


def route(mapping: dict, field: str) -> tuple[dict | None, int | None]:
    for rule in mapping["fields"]:
        patterns = rule["field"] if isinstance(rule["field"], list) else [rule["field"]]
        m = next((m for p in patterns if (m := data_regex(p).fullmatch(field))), None)
        if m:
            side = m.groupdict().get("side")
            if "side" in rule:
                side = rule["side"]
            return rule, int(side) if side is not None else None
    return None, None


def all_side_facts(conflict: Conflict) -> list[SideFact]:
    return [*conflict.belligerents, *conflict.supporters, *conflict.commanders, *conflict.figures]


# --- conflict-level fields ---


def extract_label(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    for item in items_of(ctx, param):
        name = item.plain_without_labels
        if name:
            ctx.conflict.labels.append((name, label_language(name, ctx.lang)))
        ctx.conflict.labels.extend((text, lang) for text, lang in item.labels if text)
        if name or item.labels:
            return


def extract_date_range(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    """The first line that holds a date (later lines are notes: ratification, ceasefire, ...)."""
    texts = [item.plain for item in items_of(ctx, param) if item.plain]
    if not texts:
        return
    ctx.conflict.date_text = "\n".join(texts)
    for text in texts:
        dates = parse_date_range(text)
        if dates is not None and (dates.start is not None or dates.end is not None):
            ctx.conflict.dates = dates
            return
    ctx.page.diagnose(param.offset, "warning", "unparsed-date", f"date {texts[0][:60]!r} not understood")


def extract_entities(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    for item in items_of(ctx, param):
        found = [m.entity for m in item.mentions if m.named]
        if not found and item.plain:
            text_entity = entities.from_text(strip_parenthesised(item.plain), ctx.lang)
            found = [text_entity] if text_entity else []
        ctx.conflict.part_of.extend(e for e in found if e not in ctx.conflict.part_of)


def extract_text(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    items = items_of(ctx, param)
    text = "\n".join(item.plain for item in items if item.plain)
    if text:
        ctx.conflict.texts[param.name] = text
        ctx.conflict.text_refs[param.name] = [r for item in items for r in item.refs]


def extract_parties(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    state, saved = ColumnState(), []
    previous_line: list[SideFact] = []
    for item in items_of(ctx, param):
        after = follow_blocks(item, state, saved)
        if after is not None:
            state, previous_line = after, []
            continue
        if column_heading(ctx, item, state, param):
            previous_line = []
            continue
        role = headings.inline_role(item.plain) or state.role
        found = with_item_labels(party_entities(ctx, item), item)
        note_period = line_period(item)
        if not found and note_period is not None:  # "{{small|(after 1776)}}" under the name it dates
            for fact in previous_line:
                fact.period = note_period
            continue
        period = note_period or state.period
        previous_line = []
        for entity in found:
            common = dict(side=side, field=param.name, line=ctx.line(item.offset),
                          source_text=item.wikitext.strip(), refs=list(item.refs))
            if role.role == "supporter":
                fact = Supporter(**common, entity=entity, kind=role.kind or "support", period=period)
                ctx.conflict.supporters.append(fact)
            else:
                fact = Belligerent(**common, entity=entity, period=period)
                ctx.conflict.belligerents.append(fact)
            previous_line.append(fact)


def line_period(item: Item) -> DateRange | None:
    """The period a line's own note gives its names: "(after 1776)", "{{refn|(from 1778)}}", "(1780–84)"."""
    candidates = [m.group(0) for m in headings.PARENTHESISED.finditer(item.plain)] + item.notes
    return next((p for p in map(parse_period_note, candidates) if p is not None), None)


def party_entities(ctx: Context, item: Item) -> list[EntityRef]:
    """Who a line of a combatant column names: links outside brackets, else named flags, else text."""
    named = [m for m in item.mentions if m.named]
    outside = [m.entity for m in named if not item.inside_parentheses(m.start)]
    if outside:
        return entities.dedupe(outside)
    if named:
        return [with_alias(named[0], outer_text(item))]
    text = outer_text(item)
    if text and not is_unknown(text):
        # unlinked names listed in one line (中華民國國民革命軍20軍、133師、134師): one party each
        found = [entities.from_text(name, ctx.lang) for name in LIST_SEPARATORS.split(text)]
        return entities.dedupe([e for e in found if e is not None])
    return item.icons[:1]  # a flag icon alone on its line stands for the state


def with_item_labels(found: list[EntityRef], item: Item) -> list[EntityRef]:
    """{{lang-hy|…}} beside the only name of a line is that name in another language."""
    if len(found) != 1 or not item.labels:
        return found
    return [replace(found[0], extra_labels=found[0].extra_labels + tuple(item.labels))]


def with_alias(mention: Mention, alias: str) -> EntityRef:
    if not alias or alias == mention.entity.label:
        return mention.entity
    return replace(mention.entity, extra_labels=mention.entity.extra_labels + ((alias, mention.entity.label_lang),))


def outer_text(item: Item) -> str:
    text = strip_parenthesised(item.plain)
    return clean_spaces(text).strip(" ,;:，；：、.。*")


def extract_commanders(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    state, saved = ColumnState(), []
    for item in items_of(ctx, param):
        after = follow_blocks(item, state, saved)
        if after is not None:
            state = after
            continue
        if column_heading(ctx, item, state, param):
            continue
        fate = item.fates[0] if item.fates else None
        for entity in with_item_labels(commander_entities(ctx, item), item):
            ctx.conflict.commanders.append(Commander(
                side=side, field=param.name, line=ctx.line(item.offset), source_text=item.wikitext.strip(),
                refs=list(item.refs), entity=entity, affiliation=affiliation(item, entity), fate=fate,
                period=state.period))


def commander_entities(ctx: Context, item: Item) -> list[EntityRef]:
    named = [m.entity for m in item.mentions if m.named and m.entity.origin != "flag"]
    if named:
        aside = len(named) > 1 and item.inside_parentheses(item.mentions[-1].start)  # "A (B)": B is about A
        return entities.dedupe(named[:1] if aside else named)
    text = outer_text(item)
    names = [n for n in NAME_SEPARATORS.split(text) if not is_unknown(n)]
    return [e for e in (entities.from_text(n, ctx.lang) for n in names) if e]


def affiliation(item: Item, person: EntityRef) -> EntityRef | None:
    for candidate in [*item.icons, *(m.entity for m in item.mentions if m.entity.origin == "flag")]:
        if candidate != person:
            return candidate
    return None


EXTRACTORS: dict[str, Callable] = {
    "label": extract_label,
    "date_range": extract_date_range,
    "places": extract_places,
    "coordinates": extract_coordinates,
    "entities": extract_entities,
    "text": extract_text,
    "parties": extract_parties,
    "commanders": extract_commanders,
    "figures": extract_figures,
}
