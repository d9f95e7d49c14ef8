"""Map the body: the article's sections, the sub-events their {{Main}} names, and the dated timeline."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.data.vocab import load
from graph.extract.model import Article, DateRange
from graph.rdf import iri as iris
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
        out.add(e, RDF_TYPE, wkg("Event"))
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
        out.add(e, wkg("partOf"), self.enclosing_event(event.section))
        for marker in event.refs:
            self.m.cite(e, marker)

    def enclosing_event(self, index: int) -> ox.NamedNode:
        """The sub-event a section (or an enclosing one) describes, else the conflict."""
        sections = self.article.sections
        while index is not None:
            section = sections[index]
            period = self.article.conflicts[0].dates
            targets = [t for t in section.describes
                       if is_sub_event(t.key_title, section_events(self.article, index), period)]
            if targets:
                return node(iris.entity_iri(targets[0].key_lang, targets[0].key_title))
            index = section.parent
        return self.conflict


def section_events(article: Article, index: int) -> list:
    return [e for e in article.events if e.section == index]


def is_sub_event(title: str, events: list, period: DateRange | None) -> bool:
    """A {{Main}} target is part of the conflict when it names no year outside the conflict's period,
    and its title says it is an event or the section tells of dates within the period."""
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{3,4})(?!\d)", title)]
    if period is None or period.start is None:
        return bool(years) is False and has_event_word(title)
    first, last = period.start.year, (period.end or period.start).year
    if any(not first <= y <= last for y in years):
        return False
    within = [e for e in events if first <= e.dates.start.year <= last]
    return has_event_word(title) or bool(within)


def has_event_word(title: str) -> bool:
    folded = title.lower()
    return any(w in folded for w in load("templates")["sub_event_words"])
