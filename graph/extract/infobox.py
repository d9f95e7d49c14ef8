"""Extract stage: infobox items → facts (graph.extract.model dataclasses), driven by the mapping files.

Each infobox field is routed by ``graph/data/mappings/*.yaml`` to one extractor here
(``extract_<name>``). Columns keep their side: which commander, supporter and figure belongs to
which side survives, and headings inside a column (periods, "裝備保障:", "死亡:") scope the lines
below them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from graph.data.vocab import load
from graph.extract import entities, headings
from graph.extract.dates import parse_date_range, parse_period_header, parse_period_note
from graph.extract.model import (
    Belligerent,
    Commander,
    Conflict,
    DateRange,
    EntityRef,
    Figure,
    Place,
    Quantity,
    RefMarker,
    SideFact,
    Supporter,
)
from graph.extract.numbers import parse_quantity
from graph.extract.parts import Part, line_parts
from graph.extract.values import Item, Mention, split_items
from graph.wikitext.page import Infobox, Page, Param
from graph.wikitext.text import clean_spaces, fold, has_cjk, label_language

# Separators of a list of names that no name holds (the enumeration comma 、, semicolons); "," and "and" may be
# inside an unlinked English name ("Kingdom of Great Britain and Ireland"), so they do not split one.
LIST_SEPARATORS = re.compile(r"\s*[、;；]\s*")
NAME_SEPARATORS = re.compile(r"\s*(?:、|，|,|;|；|/|／| and | & )\s*")


@dataclass
class Context:
    page: Page
    lang: str
    conflict: Conflict

    def line(self, offset: int) -> int:
        return self.page.lines.position(offset)[0]


def extract_conflict(page: Page, infobox: Infobox, entity: EntityRef, lang: str) -> Conflict:
    conflict = Conflict(entity=entity, infobox=infobox.name, line=page.lines.position(infobox.offset)[0])
    ctx = Context(page, lang, conflict)
    for param in infobox.params.values():
        if page.holds_too_deep(param.offset, param.offset + len(str(param.value))):
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
        m = next((m for p in patterns if (m := re.fullmatch(p, field))), None)
        if m:
            side = m.groupdict().get("side")
            if "side" in rule:
                side = rule["side"]
            return rule, int(side) if side is not None else None
    return None, None


def all_side_facts(conflict: Conflict) -> list[SideFact]:
    return [*conflict.belligerents, *conflict.supporters, *conflict.commanders, *conflict.figures]


def items_of(ctx: Context, param: Param) -> list[Item]:
    return split_items(ctx.page, param.value, param.offset, ctx.lang)


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
        if not rest or not re.search(r"\w", rest) or rest.isdigit() or rest in load("places")["generic"]:
            continue
        if not links or has_cjk(rest) and not re.search(r"\s", whole.strip()):
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
    return re.compile(rf"{NAME_SEPARATORS.pattern}|\s*(?:{joiners})\s*")


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


# --- columns: parties, commanders, figures ---


@dataclass
class ColumnState:
    """What the headings seen so far in a column say about the lines below."""

    period: DateRange | None = None
    role: headings.Role = headings.Role("belligerent", None)
    category: str | None = None
    party: EntityRef | None = None  # figure columns: the party a heading names (France:)
    branch: str | None = None  # figure columns: the service branch a heading names (Navy:), kept in notes
    claimant: str | None = None  # figure columns: who states the figures below (據X：, According to X:)
    claimant_refs: list[RefMarker] = field(default_factory=list)  # the heading's citations: the claim's sources


def follow_blocks(item: Item, state: ColumnState, saved: list[ColumnState]) -> ColumnState | None:
    """The state after a block boundary, or None when ``item`` is none. A rule (----) ends every heading above
    it; a titled list's title heads its lines only, so the state before the list comes back at its end."""
    if item.boundary == "rule":
        return ColumnState()
    if item.boundary == "list-end":
        return saved.pop() if saved else ColumnState()
    if item.list_title:
        saved.append(replace(state, claimant_refs=list(state.claimant_refs)))
    return None


def heading_form(item: Item) -> bool:
    """Written as a heading: a list's title, a bold line, or a short line ending in a colon."""
    return item.list_title or item.fully_bold() or headings.looks_like_heading(item.plain)


def column_heading(ctx: Context, item: Item, state: ColumnState, param: Param) -> bool:
    """Apply ``item`` to ``state`` if it is a heading; True when it was one. A line with a link or a flag is a
    name, unless it ends in a colon ("[[Germans in the American Revolution|German mercenaries]]:"): what
    introduces the lines below is a heading, never a party."""
    text = item.plain
    if (item.mentions or item.icons) and not (item.list_title or headings.looks_like_heading(text)):
        return False
    period = parse_period_header(text) if item.fully_bold() or re.fullmatch(r"[\d\s–—\-－~年至:：]+", text) else None
    if period is not None:
        state.period, state.role, state.category = period, headings.Role("belligerent", None), None
        return True
    role = headings.role_heading(text)
    category = headings.category_heading(text)
    if role is None and category is None:
        if heading_form(item) and not re.search(r"\d", text):
            ctx.page.diagnose(item.offset, "info", "unknown-heading",
                              f"heading {text!r} not in graph/data/headings.yaml; lines below keep their role")
            return True
        return False
    if role is not None:
        state.role = role
    if category is not None:
        state.category = category
    return True


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


def strip_parenthesised(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, headings.PARENTHESISED.sub("", text)
    return clean_spaces(text)


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


def is_unknown(name: str) -> bool:
    """"不明", "unknown": the article says nobody is known, which is not a name."""
    return fold(name).strip(" .。") in {fold(w) for w in load("templates")["unknown_names"]}


def affiliation(item: Item, person: EntityRef) -> EntityRef | None:
    for candidate in [*item.icons, *(m.entity for m in item.mentions if m.entity.origin == "flag")]:
        if candidate != person:
            return candidate
    return None


def extract_figures(ctx: Context, param: Param, rule: dict, side: int | None) -> None:
    measure = "casualties" if rule.get("fact") == "casualties" else "strength"
    state, saved = ColumnState(), []
    previous: Figure | None = None
    for item in items_of(ctx, param):
        after = follow_blocks(item, state, saved)
        if after is not None:  # ---- ends the blocks above: their party and claimant no longer apply
            state, previous = after, None
            continue
        label, body = split_label(item.plain)
        quantity = parse_quantity(body)
        if quantity is None and claims_previous(item, previous):
            continue
        if quantity is None and figure_column_heading(ctx, item, state, param, bool(body)):
            previous = None
            continue
        category_from_label = headings.category_heading(label) if label else None
        inner = WHOLLY_PARENTHESISED.fullmatch(body)
        if quantity is None and inner and previous is not None and parse_quantity(inner.group(1)):
            # "(2,112 in the United States)" under "at least 7,000 dead": a part of the figure above, of its kind
            part = sub_figure(previous, item, ctx.line(item.offset), parse_quantity(inner.group(1)), inner.group(1))
            ctx.conflict.figures.append(part)
            continue
        if quantity is None:
            if category_from_label or (label and not body):
                state.category = category_from_label or state.category
                previous = None
            elif previous is not None and body:
                previous.note = join_note(previous.note, body)
                previous.refs.extend(item.refs)
            continue
        figures = figures_of_line(ctx, item, state, param, side, measure, label, body, quantity)
        ctx.conflict.figures.extend(figures)
        previous = figures[-1]


def figures_of_line(ctx: Context, item: Item, state: ColumnState, param: Param, side: int | None, measure: str,
                    label: str | None, body: str, quantity: Quantity) -> list[Figure]:
    """The figures a line gives in the scope of the headings above it: one, or one per part of a line of several
    ("80名X、100名Y平民被殺": a figure per party; "500–600 killed, 900 wounded": per kind)."""
    parts = line_parts(body)
    line = LineScope(ctx, item, state, param, side, measure, label, body)
    if parts is None:
        return [line.figure(quantity, body[: quantity.span[0]] + " " + strip_counter(body[quantity.span[1]:]))]
    return [line.figure(part.quantity, strip_counter(part.text), part) for part in parts]


@dataclass
class LineScope:
    """One line of a figure column with what scopes it: the headings above, its label, its claimant."""

    ctx: Context
    item: Item
    state: ColumnState
    param: Param
    side: int | None
    measure: str
    label: str | None
    body: str

    def figure(self, quantity: Quantity, note_text: str, part: Part | None = None) -> Figure:
        state, label, body = self.state, self.label, self.body
        category_from_label = headings.category_heading(label) if label else None
        label_claimant = headings.claimant_heading(label) if label and not category_from_label else None
        claim = headings.claimant(body)
        if claim:
            note_text = note_text.replace(body[claim[1][0]:claim[1][1]], " ")
        category = None
        if self.measure == "casualties":
            words = [part.text, body] if part else [body]
            category = casualty_category(category_from_label or state.category, words, quantity)
        label_note = label if (self.measure == "strength" or not category_from_label) and not label_claimant else None
        note = join_note(label_note, clean_note(note_text))
        party = None if category_from_label == "total" and label else state.party  # a Total: line is everyone's
        if part and part.party:
            party = self.party_named(part.party)
        claimant = (claim[0] if claim else None) or label_claimant or state.claimant
        refs = list(self.item.refs)
        if claimant and claimant == state.claimant:
            refs += [r for r in state.claimant_refs if r not in refs]
        return Figure(side=self.side, field=self.param.name, line=self.ctx.line(self.item.offset),
                      source_text=self.item.wikitext.strip(), refs=refs, measure=self.measure, quantity=quantity,
                      category=category, claimant=claimant, note=join_note(state.branch, note), period=state.period,
                      subject=party)

    def party_named(self, words: str) -> EntityRef | None:
        """The party a part's words name: the link they show, else the words themselves."""
        for m in self.item.mentions:
            shown = self.item.text[m.start:m.end]
            if m.named and shown and shown in words:
                return m.entity
        return entities.from_text(words, self.ctx.lang)


def casualty_category(scoped: str | None, words: list[str], quantity: Quantity) -> str:
    """What a casualty line counts: ships, tanks, helicopters lost are materiel whatever the heading says, and
    people are never materiel (a pilot captured under an equipment heading is a captured man). Without a heading,
    the first of ``words`` (a part's own, then the whole line's) that says a kind."""
    if quantity.unit and quantity.unit not in PEOPLE_UNITS:
        return "equipment-lost"
    if scoped == "equipment-lost" and quantity.unit in PEOPLE_UNITS:
        scoped = None
    return scoped or next((c for c in map(headings.line_category, words) if c), None) or "total"


def figure_column_heading(ctx: Context, item: Item, state: ColumnState, param: Param, has_body: bool) -> bool:
    """A line without a figure that heads the lines below; True when it was one. Checked in this order: who
    states the figures (據X：, X宣稱, According to X, in any written form: never a party), then a party or
    branch (X:, Navy:), then the vocabulary of every column (periods, roles, categories). A line with text
    after its label is a heading only when written as one (bold, a list's title)."""
    claimant = headings.claimant_heading(item.plain)
    if claimant is not None:
        state.claimant, state.claimant_refs = claimant, list(item.refs)
        return True
    if has_body and not heading_form(item):
        return False
    return figure_heading(ctx, item, state) or column_heading(ctx, item, state, param)


def claims_previous(item: Item, previous: Figure | None) -> bool:
    """"(X claim)" on the line under a figure says who states that figure."""
    if previous is None or previous.claimant or not WHOLLY_PARENTHESISED.fullmatch(item.plain):
        return False
    claimant = headings.claimant_heading(item.plain)
    if claimant is None:
        return False
    previous.claimant = claimant
    previous.refs.extend(r for r in item.refs if r not in previous.refs)
    return True


WHOLLY_PARENTHESISED = re.compile(r"[(（]([^()（）]+)[)）]")


def sub_figure(previous: Figure, item: Item, line: int, quantity: Quantity, text: str) -> Figure:
    """A figure of its own that a parenthesised line gives for a part of the figure above (same side, party,
    kind and period)."""
    note = clean_note(text[: quantity.span[0]] + " " + text[quantity.span[1]:])
    return Figure(side=previous.side, field=previous.field, line=line, source_text=item.wikitext.strip(),
                  refs=list(item.refs),
                  measure=previous.measure, quantity=quantity, category=previous.category,
                  claimant=previous.claimant, note=note, period=previous.period, subject=previous.subject)
PEOPLE_UNITS = {"person"}


def figure_heading(ctx: Context, item: Item, state: ColumnState) -> bool:
    """A heading of a figure column that names a party (United States:, [[Loyalist (American Revolution)|
    Loyalists]]:) or one of its service branches (Navy:); True when ``item`` was one. Vocabulary headings
    (periods, roles, categories, claimants) are left to ``column_heading``."""
    text = item.plain
    if not text or re.search(r"\d", text) or not heading_form(item):
        return False
    if headings.role_heading(text) or headings.category_heading(text) or headings.claimant_heading(text):
        return False
    if headings.branch_heading(text):
        state.branch = clean_spaces(text).strip(" :：")
        return True
    named = [m.entity for m in item.mentions if m.named]
    party = named[0] if len(named) == 1 else entities.from_text(text.strip(" :："), ctx.lang)
    if party is None or is_unknown(party.label):
        return False
    state.party, state.branch, state.category = party, None, None
    return True


def strip_counter(text: str) -> str:
    """Drop a Chinese counter word right after a figure (350名官兵 → 官兵): it is the unit, not a note."""
    return re.sub(r"^\s*[名人輛辆架艘門门台臺]", "", text)


def split_label(text: str) -> tuple[str | None, str]:
    """``阿富汗聖戰士: 1,000–3,000`` → (label, figure text); a label has no digits."""
    m = re.match(r"^([^:：\d]{1,40})[:：]\s*(.*)$", text)
    if m:
        return clean_spaces(m.group(1)).strip("'\" "), m.group(2).strip()
    return None, text


def clean_note(text: str) -> str | None:
    text = clean_spaces(text).strip(" ,;:，；：、.。-–*")
    text = re.sub(r"^\(\s*(.*?)\s*\)$", r"\1", text)
    text = re.sub(r"^（\s*(.*?)\s*）$", r"\1", text)
    return text or None


def join_note(first: str | None, second: str | None) -> str | None:
    parts = [p for p in (first, second) if p]
    return "; ".join(parts) if parts else None




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
