"""Extract stage for the article body: sections, sub-events ({{Main}}), mentions and the timeline (the dates of a
sentence: ``sentence_dates``; the place of its event: ``event_places``).

The body is read with the same item splitter as infobox values (links, flags, refs, text), a
paragraph at a time; paragraphs are cut into sentences, and every sentence with a date becomes a
timeline event. A date without a year (``5月8日``, ``8 May``) takes the year of the latest full date
(with its month) before it in reading order, and says so (``inferred``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace

from mwparserfromhell.nodes import Heading, Node, Template

from graph.data.regex_cache import regex
from graph.data.vocab import load, normalise_template_name
from graph.extract import entities
from graph.extract.event_places import names_pattern, place_of
from graph.extract.flags import state_for_flag
from graph.extract.model import DateRange, EntityRef, PartialDate, RefMarker, Section, TimelineEvent
from graph.extract.sentence_dates import (
    MAX_LABEL,
    PARENTHESES,
    ends_pattern,
    find_dates,
    sentences,
    sort_key,
    timeline_words,
    until_before,
)
from graph.extract.values import Item, split_items
from graph.wikitext.page import Page, mapping_for
from graph.wikitext.text import clean_spaces, longest_first
from graph.wikitext.walk import NodeIndex


class BodyReader:
    def __init__(self, page: Page, lang: str, people: frozenset[str] = frozenset(),
                 actors: frozenset[str] = frozenset()) -> None:
        self.page, self.lang, self.people = page, lang, people
        self.actors = actors | people  # who the infobox says took part: parties, supporters, commanders
        self.sections: list[Section] = []
        self.events: list[TimelineEvent] = []
        self.lead_labels: list[tuple[str, str]] = []
        self.last_year: int | None = None
        self.last_month: int | None = None
        self.paragraph_start = 0  # the first event of the paragraph being read
        self.main_names = {normalise_template_name(n) for n in load("templates")["main_article"]}
        self.place_names = {n: e for n, e in link_names(page, lang).items() if self.may_be_place(e)}
        self.place_pattern = names_pattern(self.place_names)

    def read(self) -> None:
        nodes: list[tuple[object, int]] = []
        self.sections.append(Section(title="", level=1, line=1))
        for node, pos, _ in self.page.nodes.top:  # the top-level nodes with their spans, from the page's walk
            if isinstance(node, Heading):
                self.read_section(nodes)
                nodes = []
                self.open_section(node, pos)
            else:
                nodes.append((node, pos))
        self.read_section(nodes)

    def open_section(self, heading: Heading, offset: int) -> None:
        level = heading.level
        parent = next((i for i in range(len(self.sections) - 1, -1, -1) if self.sections[i].level < level), None)
        title = clean_spaces(heading.title.strip_code())
        self.sections.append(Section(title, level, self.page.lines.position(offset)[0], parent))

    def read_section(self, nodes: list[tuple[object, int]]) -> None:
        section_index = len(self.sections) - 1
        section = self.sections[section_index]
        kept = []
        for node, offset in nodes:
            if isinstance(node, Template):
                if normalise_template_name(str(node.name)) in self.main_names:
                    section.describes.extend(self.main_targets(node))
                    continue
                if mapping_for(str(node.name)):
                    continue  # the infobox is read by the extract stage
            kept.append((node, offset))
        if not kept:
            return
        apparatus = is_apparatus(self.sections, section_index)
        items = [item for run in contiguous_runs(kept, self.page.nodes)
                 for item in split_items(self.page, SimpleNamespace(nodes=[n for n, _ in run]), run[0][1], self.lang,
                                         quiet=True)]
        for item in items:
            self.read_paragraph(item, section_index, dated=not apparatus)
        if section.level == 1 and items:
            self.lead_labels = [label for item in items[:3] for label in item.labels if label[0]]

    def main_targets(self, tpl: Template) -> list[EntityRef]:
        targets = []
        for param in tpl.params:
            if not param.showkey:
                ref = entities.from_wikilink(str(param.value).strip(), None, self.lang)
                if ref is not None:
                    targets.append(ref)
        return targets

    def read_paragraph(self, item: Item, section_index: int, dated: bool = True) -> None:
        section = self.sections[section_index]
        for mention in item.mentions:
            if mention.named and mention.entity not in section.mentions:
                section.mentions.append(mention.entity)
        if not dated:
            return
        spans = sentences(item.text)
        self.paragraph_start = len(self.events)
        for i, (start, end) in enumerate(spans):
            next_start = spans[i + 1][0] if i + 1 < len(spans) else len(item.text) + 1
            introduces = i + 1 == len(spans) and item.text[start:end].rstrip().endswith((":", "："))
            self.read_sentence(item, start, end, next_start, section_index, introduces)

    def read_sentence(self, item: Item, start: int, end: int, next_start: int, section_index: int,
                      introduces: bool = False) -> None:
        """The sentence's own date (not one in a parenthesis or a subordinate clause) makes it an event; a
        paragraph's last sentence ending with a colon introduces a table or a list: it is no event."""
        text = item.text[start:end]
        found = find_dates(text, self.last_year, self.last_month)
        context = (self.last_year, self.last_month)
        for f in found:
            if (f.has_year or f.dates.inferred) and f.dates.end.month is not None:  # it anchors the yearless
                self.last_year, self.last_month = f.dates.end.year, f.dates.end.month
        dated = [f for f in found if f.dates.start.year is not None and not f.aside]
        if not dated or introduces:
            return
        first = dated[0]
        dates = first.dates
        if first.has_year and dates.start == dates.end and all(f.dates.end.month is None for f in found):
            self.last_year, self.last_month = dates.start.year, None  # "In 1485, …": the narrative's year
        self.close_previous(text, dates)
        if (first is found[0] and dates.start == dates.end and context[1] is not None
                and until_before().search(text[:first.start])):  # "until 6 January": from the narrative's date
            since = PartialDate(context[0], context[1])
            if sort_key(since) < sort_key(dates.start):
                dates = DateRange(since, dates.end, inferred=True)
        mentions = [m for m in item.mentions if m.named and start <= m.start < end]
        refs = [r for r, at in zip(item.refs, item.ref_at, strict=False) if start < at <= next_start or
                (at == start == 0)]
        self.events.append(TimelineEvent(
            dates=dates, text=clean_label(text), section=section_index,
            line=self.page.lines.position(item.offset)[0], inferred=dates.inferred,
            involves=entities.dedupe([m.entity for m in mentions
                                      if self.takes_part(m.entity, item.text[m.start:m.end])]),
            place=place_of(item, [m for m in mentions if self.may_be_place(m.entity)],
                           self.place_names, start, end, self.place_pattern),
            refs=refs))

    def close_previous(self, text: str, dates: DateRange) -> None:
        """"战斗于5月9日结束" after "5月8日，…向舒沙城发起攻击": the paragraph's last event ends then."""
        previous = self.events[-1] if len(self.events) > self.paragraph_start else None
        if previous is None or not ends_pattern().search(text):
            return
        start, end = previous.dates.start, previous.dates.end
        if start == end and sort_key(start) < sort_key(dates.end):
            previous.dates = DateRange(start, dates.end, inferred=previous.dates.inferred or dates.inferred)

    def takes_part(self, entity: EntityRef, shown: str) -> bool:
        """Whether a link of a dated sentence names a participant of its event, not something it mentions: an
        actor of the infobox, a state, or a name of the form of a person or an organisation. A common noun
        ("silver mining", 铁路, 草案), a city, a newspaper or another event is only mentioned by its section."""
        if common_noun(shown):
            return False
        if entity.key_title in self.actors or entity.key_lang != "zh":
            return True  # Latin script: a capitalised link is a proper name
        return state_for_flag(entity.key_title) is not None or has_actor_form(entity.key_title)

    def may_be_place(self, entity: EntityRef) -> bool:
        """Not a commander of the infobox, nor a page whose title says it is an event ([[第一次世界大战|一战]])."""
        return entity.key_title not in self.people and not has_event_word(entity.key_title)


SPACES = regex(r"\s+")


@lru_cache(maxsize=1)
def apparatus_names() -> frozenset[str]:
    """The titles of graph/data/date_words.yaml's apparatus sections, without spaces and case: folded once, not
    for each section of each page."""
    return frozenset(SPACES.sub("", str(n)).casefold() for n in timeline_words()["apparatus_sections"])


def is_apparatus(sections: list[Section], index: int | None) -> bool:
    """References, notes, further reading, see also… (graph/data/date_words.yaml), or a sub-section of one."""
    names = apparatus_names()
    while index is not None:
        if SPACES.sub("", sections[index].title).casefold() in names:
            return True
        index = sections[index].parent
    return False


def contiguous_runs(nodes: list[tuple[Node, int]], index: NodeIndex) -> list[list[tuple[Node, int]]]:
    """Split where a node was left out (the infobox), so that offsets stay true within each run. (``index``: the
    walk of the page's tree, which knows each node's length.)"""
    runs: list[list[tuple[Node, int]]] = []
    expected = None
    for node, offset in nodes:
        if offset != expected:
            runs.append([])
        runs[-1].append((node, offset))
        expected = offset + index.length_of(node)
    return runs


DISAMBIGUATION = regex(r"\s*[(（][^()（）]*[)）]\s*$")
LOWER_CASE_START = regex(r"[a-z]")
LATIN_START = regex(r"[A-Za-z]")


def has_actor_form(title: str) -> bool:
    """A zh title written as a person's name (米哈伊尔·戈尔巴乔夫) or an organisation's (阿塞拜疆人民阵线党, 苏军第4军):
    graph/data/templates.yaml's actor_name_forms; the disambiguation in brackets is left out."""
    forms = load("templates")["actor_name_forms"]
    name = DISAMBIGUATION.sub("", title.replace("_", " "))
    return any(mark in name for mark in forms["contains"]) or name.endswith(tuple(forms["endings"]))


def common_noun(shown: str) -> bool:
    """A link shown in lower case ("[[silver mining#Americas|silver mining]]") names a kind of thing, not a
    participant; its section still mentions it."""
    return bool(LOWER_CASE_START.match(shown.strip()))


def has_event_word(title: str) -> bool:
    """Whether the title, in lower case, holds one of graph/data/templates.yaml's sub_event_words."""
    return sub_event_words().search(title.lower()) is not None


@lru_cache(maxsize=1)
def sub_event_words() -> re.Pattern:
    """The sub_event_words as one pattern: asked of every link of the body, a title is searched once, not once for
    each word."""
    return regex("|".join(re.escape(w) for w in longest_first(map(str, load("templates")["sub_event_words"]))))


def link_names(page: Page, lang: str) -> dict[str, EntityRef]:
    """Names the page links plainly somewhere ([[巴库]], [[Gibraltar]]): the same words unlinked elsewhere name the
    same thing. Longest first; a Chinese name of 2 characters or more, an English one capitalised."""
    names: dict[str, EntityRef] = {}
    for link, _ in page.nodes.wikilinks:
        title = str(link.title).strip()
        shown = clean_spaces(link.text.strip_code()) if link.text is not None else title
        if ":" in title or "#" in title or shown != title.replace("_", " ") or shown in names:
            continue
        if len(shown) < 2 or (LATIN_START.match(shown) and (len(shown) < 4 or not shown[0].isupper())):
            continue
        ref = entities.from_wikilink(title, shown, lang)
        if ref is not None:
            names[shown] = ref
    return dict(sorted(names.items(), key=lambda kv: -len(kv[0])))


def clean_label(text: str) -> str:
    """The sentence; when longer than MAX_LABEL, without its parentheses first, then cut."""
    text = clean_spaces(text)
    if len(text) > MAX_LABEL:
        text = clean_spaces(PARENTHESES.sub("", text))
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"




def read_body(page: Page, lang: str, people: frozenset[str] = frozenset(),
              actors: frozenset[str] = frozenset()) -> BodyReader:
    """``people``: titles the infobox names as commanders, never a place; ``actors``: all it names as taking part."""
    reader = BodyReader(page, lang, people, actors)
    reader.read()
    return reader


__all__ = ["read_body", "find_dates", "sentences", "RefMarker"]
