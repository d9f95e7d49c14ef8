"""Map the body: the article's sections, the sub-events their {{Main}} names, and the dated timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract.body import has_event_word
from graph.extract.model import Article, DateRange, PartialDate
from graph.rdf import iri as iris
from graph.rdf.core_types import add_types
from graph.rdf.terms import RDF_TYPE, RDFS_LABEL, lang_literal, node, typed, wkg
from graph.wikitext.text import label_language

if TYPE_CHECKING:
    from graph.rdf.mapping import ArticleMapper


class BodyMapper:
    """The article's sections, the sub-events their {{Main}} names, and the dated timeline."""

    def __init__(self, mapper: ArticleMapper) -> None:
        self.m = mapper
        self.article = mapper.article
        self.conflict = (node(iris.entity_iri(self.article.conflicts[0].entity.key_lang,
                                              self.article.conflicts[0].entity.key_title))
                         if self.article.conflicts else None)
        self.spans: dict[tuple[str, int], DateRange | None] = {}

    def map(self) -> None:
        if self.conflict is None:
            return
        for text, lang in self.article.lead_labels:
            self.m.labels(self.conflict, text, lang)
        section_nodes = [self.map_section(i) for i in range(len(self.article.sections))]
        for event in self.article.events:
            self.map_event(event, section_nodes)

    def map_section(self, index: int) -> ox.NamedNode:
        a, section = self.article, self.article.sections[index]
        s = node(iris.section_iri(a.lang, a.title, index))
        out = self.m.out
        out.add(s, RDF_TYPE, wkg("Section"))
        out.add(s, RDFS_LABEL, lang_literal(section.title or "(lead)", label_language(section.title, a.lang)
                                            if section.title else "en"))
        out.add(s, wkg("sectionLevel"), typed(section.level, "integer"))
        out.add(s, wkg("position"), typed(index, "integer"))
        out.add(s, wkg("sourceLine"), typed(section.line, "integer"))
        parent = self.m.doc if section.parent is None else node(iris.section_iri(a.lang, a.title, section.parent))
        out.add(parent, wkg("hasSection"), s)
        for ref in section.mentions:
            out.add(s, wkg("mentions"), self.m.entity(ref))
        for target in section.describes:
            sub = self.m.entity(target, "Event")
            out.add(s, wkg("describes"), sub)
            if section.title:
                self.m.labels(sub, section.title, label_language(section.title, a.lang))
            if is_sub_event(target.key_title, section_events(self.article, index), self.article.conflicts[0].dates):
                out.add(sub, wkg("partOf"), self.conflict)
        return s

    def map_event(self, event, section_nodes: list[ox.NamedNode]) -> None:
        a, out = self.article, self.m.out
        e = node(iris.event_iri(a.lang, a.title, event.section, event.text, event.dates.start))
        add_types(out, e, "Event")
        out.add(e, RDFS_LABEL, lang_literal(event.text, label_language(event.text, a.lang)))
        self.m.map_dates(e, event.dates, wkg("startDate"), wkg("endDate"))
        if event.inferred:
            out.add(e, wkg("dateInferred"), typed("true", "boolean"))
        out.add(e, wkg("inSection"), section_nodes[event.section])
        out.add(e, wkg("extractedFrom"), self.m.doc)
        out.add(e, wkg("sourceLine"), typed(event.line, "integer"))
        for ref in event.involves:
            out.add(e, wkg("involves"), self.m.entity(ref))
        if event.place is not None:
            out.add(e, wkg("occurredAt"), self.m.entity(event.place, "Place"))
        parent = self.parent_of(event)
        if parent is not None:
            out.add(e, wkg("partOf"), parent)
        else:  # background: told by its section, part of nothing here
            out.add(section_nodes[event.section], wkg("mentions"), e)
        for marker in event.refs:
            self.m.cite(e, marker)

    def parent_of(self, event) -> ox.NamedNode | None:
        """The sub-event whose span holds the event's date, else the conflict when its period holds it, else
        nothing: an event before the war is its background, whatever section tells it."""
        period = self.article.conflicts[0].dates
        if period is not None and period.start is not None and not within(event.dates.start, period):
            return None
        sections = self.article.sections
        index = event.section
        while index is not None:
            for target in sections[index].describes:
                span = self.sub_event_span(target, index)
                if span is not None and within(event.dates.start, span):
                    return node(iris.entity_iri(target.key_lang, target.key_title))
            index = sections[index].parent
        return self.conflict

    def sub_event_span(self, target, index: int) -> DateRange | None:
        """When a {{Main}} sub-event happened: the years of its title, else the dates of the sentences of its
        section that name it (舒沙 for 舒沙战役); None when nothing says, for a heading alone does not."""
        key = (target.key_title, index)
        if key not in self.spans:
            self.spans[key] = None
            if is_sub_event(target.key_title, section_events(self.article, index), self.article.conflicts[0].dates):
                inside = subtree(self.article, index)  # once, not once per event
                self.spans[key] = title_span(target.key_title) or named_span(
                    target, [e for e in self.article.events if e.section in inside])
        return self.spans[key]


def within(date: PartialDate, span: DateRange) -> bool:
    """At the coarser precision of the two: 1992-07-12 lies within 1992, 1988 within 1988-02-20 → 1994,
    1988-12 not within 1988-02 → 1988-03."""
    first, last = span.start, span.end or span.start
    if first is not None and coarse(date, first) < coarse(first, date):
        return False
    return last is None or coarse(date, last) <= coarse(last, date)


def coarse(date: PartialDate, other: PartialDate) -> tuple[int, ...]:
    """``date`` to the precision both dates have."""
    parts = (date.year, date.month, date.day)
    depth = min(3 - [date.month, date.day].count(None) if date.month is not None else 1,
                3 - [other.month, other.day].count(None) if other.month is not None else 1)
    return tuple(p for p in parts[:depth])


TITLE_YEAR = regex(r"(?<!\d)(\d{3,4})(?!\d)")


def title_span(title: str) -> DateRange | None:
    years = [int(y) for y in TITLE_YEAR.findall(title)]
    return DateRange(PartialDate(min(years)), PartialDate(max(years))) if years else None


def named_span(target, events: list) -> DateRange | None:
    words = name_words(target.key_title)
    named = [e for e in events if any(t.key_title == target.key_title for t in e.involves)
             or any(w in e.text for w in words)]
    if not named:
        return None
    start = min((e.dates.start for e in named), key=lambda d: (d.year, d.month or 0, d.day or 0))
    end = max((e.dates.end or e.dates.start for e in named), key=lambda d: (d.year, d.month or 13, d.day or 32))
    return DateRange(start, end)


_HAN = regex(r"[\u3400-\u9fff]")
BRACKETED = regex(r"[_ ]*[(（].*?[)）]")
ORDINAL_PREFIX = regex(r"^第.次")  # 第一次…
DIGIT = regex(r"\d")
CAPITALISED_WORD = regex(r"[A-Z][\w'-]{3,}")


def name_words(title: str) -> list[str]:
    """What a sentence calls a sub-event by: its title without brackets and event words ("舒沙战役" → 舒沙,
    "Battle of Camden" → Camden); a Chinese name also by its first two characters (霍贾利… → 霍贾)."""
    core = BRACKETED.sub("", title).replace("_", " ")
    words = sorted(load("templates")["sub_event_words"], key=len, reverse=True)
    if _HAN.search(core):
        core = ORDINAL_PREFIX.sub("", core)
        for w in words:
            core = core.replace(w, " ")
        parts = [p for p in core.split() if len(p) >= 2]
        return parts + [p[:2] for p in parts if len(p) > 2 and not DIGIT.match(p)]
    stop = {w.lower() for w in words} | {"of", "the", "at", "and", "great", "first", "second", "third", "battles",
                                         "sieges", "operations"}
    return [w for w in CAPITALISED_WORD.findall(core) if w.lower() not in stop]


def subtree(article: Article, index: int) -> set[int]:
    found = {index}
    for i, section in enumerate(article.sections):
        if section.parent in found:
            found.add(i)
    return found


def section_events(article: Article, index: int) -> list:
    return [e for e in article.events if e.section == index]


def is_sub_event(title: str, events: list, period: DateRange | None) -> bool:
    """A {{Main}} target is part of the conflict when it names no year outside the conflict's period,
    and its title says it is an event or the section tells of dates within the period."""
    years = [int(y) for y in TITLE_YEAR.findall(title)]
    if period is None or period.start is None:
        return bool(years) is False and has_event_word(title)
    first, last = period.start.year, (period.end or period.start).year
    if any(not first <= y <= last for y in years):
        return False
    within = [e for e in events if first <= e.dates.start.year <= last]
    return has_event_word(title) or bool(within)


