"""Extract stage for the article body: sections, sub-events ({{Main}}), mentions and the timeline.

The body is read with the same item splitter as infobox values (links, flags, refs, text), a
paragraph at a time; paragraphs are cut into sentences, and every sentence with a date becomes a
timeline event. A date without a year (``5月8日``, ``8 May``) takes the year of the latest full date
(with its month) before it in reading order, and says so (``inferred``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from mwparserfromhell.nodes import Heading, Template

from graph.data.vocab import load, normalise_template_name
from graph.extract import entities
from graph.extract.dates import month_numbers
from graph.extract.model import DateRange, EntityRef, PartialDate, RefMarker, Section, TimelineEvent
from graph.extract.values import Item, split_items
from graph.wikitext.page import Page, mapping_for
from graph.wikitext.text import clean_spaces

SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9])")
ZH_DATE = re.compile(
    r"(?:(?:(?P<y0>\d{3,4})\s*[-–—－至到]\s*)?(?P<y>\d{3,4})年)?(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})(?:日)?(?:\s*[-–—－~至到]\s*(?P<d2>\d{1,2})日?)?)?)?")
MAX_LABEL = 200


@dataclass
class FoundDate:
    start: int
    end: int
    dates: DateRange
    has_year: bool


@lru_cache(maxsize=1)
def en_date_pattern() -> re.Pattern:
    months = "|".join(sorted((m for m in month_numbers() if re.fullmatch(r"[A-Za-z.]+", m)), key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?P<d>\d{{1,2}})(?:\s*[-–]\s*(?P<d2>\d{{1,2}}))?\s+(?P<m1>{months})(?:,?\s+(?P<y1>\d{{3,4}}))?"
        rf"|(?P<m2>{months})\s+(?:(?P<d3>\d{{1,2}}),?\s+)?(?P<y2>\d{{3,4}}))\b", re.IGNORECASE)


def find_dates(text: str, last_year: int | None) -> list[FoundDate]:
    """Dates of a sentence, in order; yearless ones take ``last_year`` (and say they did)."""
    found = []
    for m in ZH_DATE.finditer(text):
        if not m.group(0) or (m.group("y") is None and m.group("d") is None):
            continue  # "5月" alone is too often not a date; "1992年" alone is a year
        year = int(m.group("y")) if m.group("y") else last_year
        if year is None:
            continue
        if m.group("y0") and not m.group("m"):  # "1993-1994年": a span of years
            first, last = PartialDate(int(m.group("y0"))), PartialDate(year)
            if first <= last:
                found.append(FoundDate(m.start(), m.end(), DateRange(first, last), True))
            continue
        found.append(make_found(m.start(), m.end(), year, m.group("m"), m.group("d"), m.group("d2"),
                                m.group("y") is not None))
    for m in en_date_pattern().finditer(text):
        month_word = (m.group("m1") or m.group("m2")).lower()
        month = month_numbers().get(month_word) or month_numbers().get(month_word.rstrip("."))
        year_text = m.group("y1") or m.group("y2")
        year = int(year_text) if year_text else last_year
        if month is None or year is None:
            continue
        found.append(make_found(m.start(), m.end(), year, str(month), m.group("d") or m.group("d3"), m.group("d2"),
                                year_text is not None))
    return sorted((f for f in found if f is not None), key=lambda f: f.start)


def make_found(start: int, end: int, year: int, month: str | None, day: str | None, day2: str | None,
               has_year: bool) -> FoundDate | None:
    m = int(month) if month else None
    d = int(day) if day and m else None
    if (m is not None and not 1 <= m <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    first = PartialDate(year, m, d)
    last = PartialDate(year, m, int(day2)) if day2 and d and 1 <= int(day2) <= 31 else first
    return FoundDate(start, end, DateRange(first, last, inferred=not has_year), has_year)


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


class BodyReader:
    def __init__(self, page: Page, lang: str) -> None:
        self.page, self.lang = page, lang
        self.sections: list[Section] = []
        self.events: list[TimelineEvent] = []
        self.lead_labels: list[tuple[str, str]] = []
        self.last_year: int | None = None
        self.main_names = {normalise_template_name(n) for n in load("templates")["main_article"]}

    def read(self) -> None:
        nodes: list[tuple[object, int]] = []
        pos = 0
        self.sections.append(Section(title="", level=1, line=1))
        for node in self.page.code.nodes:
            length = len(str(node))
            if isinstance(node, Heading):
                self.read_section(nodes)
                nodes = []
                self.open_section(node, pos)
            else:
                nodes.append((node, pos))
            pos += length
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
        items = [item for run in contiguous_runs(kept)
                 for item in split_items(self.page, SimpleNamespace(nodes=[n for n, _ in run]), run[0][1], self.lang,
                                         quiet=True)]
        for item in items:
            self.read_paragraph(item, section_index)
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

    def read_paragraph(self, item: Item, section_index: int) -> None:
        section = self.sections[section_index]
        for mention in item.mentions:
            if mention.named and mention.entity not in section.mentions:
                section.mentions.append(mention.entity)
        spans = sentences(item.text)
        for i, (start, end) in enumerate(spans):
            next_start = spans[i + 1][0] if i + 1 < len(spans) else len(item.text) + 1
            self.read_sentence(item, start, end, next_start, section_index)

    def read_sentence(self, item: Item, start: int, end: int, next_start: int, section_index: int) -> None:
        text = item.text[start:end]
        found = find_dates(text, self.last_year)
        for f in found:
            if f.has_year and f.dates.end.month is not None:  # a full date anchors the yearless ones after it
                self.last_year = f.dates.end.year
        dated = [f for f in found if f.dates.start.year is not None]
        if not dated:
            return
        first = dated[0]
        mentions = [m for m in item.mentions if m.named and start <= m.start < end]
        refs = [r for r, at in zip(item.refs, item.ref_at, strict=False) if start < at <= next_start or
                (at == start == 0)]
        self.events.append(TimelineEvent(
            dates=first.dates, text=clean_label(text), section=section_index,
            line=self.page.lines.position(item.offset)[0], inferred=first.dates.inferred,
            involves=entities.dedupe([m.entity for m in mentions]), place=place_of(item, mentions), refs=refs))


def contiguous_runs(nodes: list[tuple[object, int]]) -> list[list[tuple[object, int]]]:
    """Split where a node was left out (the infobox), so that offsets stay true within each run."""
    runs: list[list[tuple[object, int]]] = []
    expected = None
    for node, offset in nodes:
        if offset != expected:
            runs.append([])
        runs[-1].append((node, offset))
        expected = offset + len(str(node))
    return runs


@lru_cache(maxsize=1)
def place_before() -> re.Pattern:
    words = sorted(load("templates")["place_words"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + r")\s*$", re.IGNORECASE)


def place_of(item: Item, mentions) -> EntityRef | None:
    """The linked place of a sentence: a link right after 在/于/at/in/near… (graph/data/templates.yaml)."""
    for m in mentions:
        if place_before().search(item.text[max(0, m.start - 6):m.start]):
            return m.entity
    return None


def clean_label(text: str) -> str:
    text = clean_spaces(text)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"




def read_body(page: Page, lang: str) -> BodyReader:
    reader = BodyReader(page, lang)
    reader.read()
    return reader


__all__ = ["read_body", "find_dates", "sentences", "RefMarker"]
