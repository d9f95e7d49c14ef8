"""Strength and casualty columns → figures: each line's numbers with the party, branch, claimant, category and
period its headings give, materiel never counted as people, parts in brackets and lines of several parties."""

from __future__ import annotations

from dataclasses import dataclass

from graph.data.regex_cache import regex
from graph.extract import entities, headings
from graph.extract.columns import (
    ColumnState,
    Context,
    column_heading,
    follow_blocks,
    heading_form,
    is_unknown,
    items_of,
)
from graph.extract.model import (
    EntityRef,
    Figure,
    Quantity,
)
from graph.extract.numbers import parse_quantity
from graph.extract.parts import Part, line_parts
from graph.extract.values import Item
from graph.wikitext.page import Param
from graph.wikitext.text import clean_spaces


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


WHOLLY_PARENTHESISED = regex(r"[(（]([^()（）]+)[)）]")
DIGIT = regex(r"\d")
LEADING_COUNTER = regex(r"^\s*[名人輛辆架艘門门台臺]")
LABEL = regex(r"^([^:：\d]{1,40})[:：]\s*(.*)$")
IN_PARENTHESES = regex(r"^\(\s*(.*?)\s*\)$")
IN_FULL_WIDTH_PARENTHESES = regex(r"^（\s*(.*?)\s*）$")


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
    if not text or DIGIT.search(text) or not heading_form(item):
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
    return LEADING_COUNTER.sub("", text)


def split_label(text: str) -> tuple[str | None, str]:
    """``阿富汗聖戰士: 1,000–3,000`` → (label, figure text); a label has no digits."""
    m = LABEL.match(text)
    if m:
        return clean_spaces(m.group(1)).strip("'\" "), m.group(2).strip()
    return None, text


def clean_note(text: str) -> str | None:
    text = clean_spaces(text).strip(" ,;:，；：、.。-–*")
    text = IN_PARENTHESES.sub(r"\1", text)
    text = IN_FULL_WIDTH_PARENTHESES.sub(r"\1", text)
    return text or None


def join_note(first: str | None, second: str | None) -> str | None:
    parts = [p for p in (first, second) if p]
    return "; ".join(parts) if parts else None
