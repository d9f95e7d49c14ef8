"""A column of an infobox read line by line: the context of one infobox, the items of a field, and the state
its headings set for the lines below them (period, role, category, party, branch, claimant)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract import headings
from graph.extract.dates import parse_period_header
from graph.extract.model import (
    Conflict,
    DateRange,
    EntityRef,
    RefMarker,
)
from graph.extract.values import Item, split_items
from graph.wikitext.page import Page, Param
from graph.wikitext.text import clean_spaces, fold

# Separators of a list of names that no name holds (the enumeration comma 、, semicolons); "," and "and" may be
# inside an unlinked English name ("Kingdom of Great Britain and Ireland"), so they do not split one.
LIST_SEPARATORS = regex(r"\s*[、;；]\s*")
NAME_SEPARATORS = regex(r"\s*(?:、|，|,|;|；|/|／| and | & )\s*")
PERIOD_HEADING = regex(r"[\d\s–—\-－~年至:：]+")
DIGIT = regex(r"\d")


@dataclass
class Context:
    """What reading a table's column needs: the page, its language and the conflict."""

    page: Page
    lang: str
    conflict: Conflict

    def line(self, offset: int) -> int:
        return self.page.lines.position(offset)[0]


def items_of(ctx: Context, param: Param) -> list[Item]:
    return split_items(ctx.page, param.value, param.offset, ctx.lang)


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
    period = parse_period_header(text) if item.fully_bold() or PERIOD_HEADING.fullmatch(text) else None
    if period is not None:
        state.period, state.role, state.category = period, headings.Role("belligerent", None), None
        return True
    role = headings.role_heading(text)
    category = headings.category_heading(text)
    if role is None and category is None:
        if heading_form(item) and not DIGIT.search(text):
            ctx.page.diagnose(item.offset, "info", "unknown-heading",
                              f"heading {text!r} not in graph/data/headings.yaml; lines below keep their role")
            return True
        return False
    if role is not None:
        state.role = role
    if category is not None:
        state.category = category
    return True


def strip_parenthesised(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, headings.PARENTHESISED.sub("", text)
    return clean_spaces(text)


def is_unknown(name: str) -> bool:
    """"不明", "unknown": the article says nobody is known, which is not a name."""
    return fold(name).strip(" .。") in {fold(w) for w in load("templates")["unknown_names"]}
