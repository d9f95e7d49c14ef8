"""Map stage: facts (graph.model) → RDF triples in the wikikg ontology.

Qualified facts (a side's period, a figure's range, claimant and sources) become statement
nodes; the plain one-hop triple is emitted next to them so simple queries stay simple.
Classes and shortcut properties of each fact kind come from the mapping file.
Triples are pyoxigraph terms: building them is cheap and they serialise fast.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

from graph.data.vocab import load, mappings, vocabulary_iri, vocabulary_labels
from graph.extract.bibliography import resolve, work_key
from graph.extract.flags import zh_regional_names
from graph.extract.isbn import to_isbn13
from graph.extract.model import Article, Conflict, DateRange, EntityRef, Figure, Record, RefMarker, SideFact
from graph.rdf import iri as iris
from graph.wikitext.text import label_language, to_simplified, to_traditional
from graph.wikitext.variants import variant_labels

PREFIXES = {
    "wkg": iris.ONTOLOGY,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
    "stmt": iris.STATEMENT,
}
XSD = PREFIXES["xsd"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
SKOS_PREF = ox.NamedNode(PREFIXES["skos"] + "prefLabel")


def curie(name: str) -> ox.NamedNode:
    prefix, local = name.split(":", 1)
    return ox.NamedNode(PREFIXES[prefix] + local)


def wkg(local: str) -> ox.NamedNode:
    return ox.NamedNode(iris.ONTOLOGY + local)


@lru_cache(maxsize=65536)
def node(value: str) -> ox.NamedNode:
    iris.check_iri(value)
    return ox.NamedNode(value)


def safe_text(text: str) -> str:
    """Lone surrogates (possible through the Python API, never from UTF-8 input) become U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def lang_literal(text: str, lang: str) -> ox.Literal:
    try:
        return ox.Literal(safe_text(text), language=lang)
    except ValueError:  # a tag no reader should see (the extractors check theirs): keep the text, untagged
        return ox.Literal(safe_text(text))


WORK_CLASSES = {"book": "Book", "news": "NewsArticle", "journal": "JournalArticle", "web": "WebPage"}


def plain(text: str | None) -> ox.Literal | None:
    return ox.Literal(safe_text(text)) if text else None


def typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


def number_literal(value: float) -> ox.Literal:
    if float(value).is_integer():
        return typed(int(value), "integer")
    return typed(Decimal(str(value)).normalize(), "decimal")


def date_literal(date) -> ox.Literal:
    return typed(date.iso(), date.xsd_type)


def fact_rules() -> dict:
    merged: dict = {}
    for mapping in mappings():
        merged.update(mapping.get("facts", {}))
    return merged


class TripleSink:
    """Collects triples once each; ``sorted()`` gives a deterministic order."""

    def __init__(self) -> None:
        self._triples: set[ox.Triple] = set()

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal | None) -> None:
        if o is not None:
            self._triples.add(ox.Triple(s, p, o))

    def merge(self, other: TripleSink) -> None:
        self._triples |= other._triples

    def __len__(self) -> int:
        return len(self._triples)

    def sorted(self) -> list[ox.Triple]:
        return sorted(self._triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


class ArticleMapper:
    def __init__(self, article: Article, sink: TripleSink) -> None:
        self.article = article
        self.out = sink
        self.rules = fact_rules()
        self.doc = node(iris.wikipedia_iri(article.lang, article.title))
        self.preferred: dict[ox.NamedNode, ox.Literal] = {}
        self.citations: set[ox.NamedNode] = set()
        self.uses = Counter(m.key for m in article.ref_uses)

    def map(self) -> None:
        self.map_article()
        for conflict in self.article.conflicts:
            self.map_conflict(conflict)
        for marker in self.article.ref_uses:  # every ref of the article, cited by a fact or not
            self.citation(marker)
        for subject, label in self.preferred.items():
            self.out.add(subject, SKOS_PREF, label)

    def map_article(self) -> None:
        a = self.article
        self.out.add(self.doc, RDF_TYPE, wkg("Article"))
        self.out.add(self.doc, RDFS_LABEL, lang_literal(a.title, label_language(a.title, a.lang)))
        self.out.add(self.doc, curie("schema:inLanguage"), ox.Literal(a.lang))
        if a.redirect is not None:
            self.out.add(self.doc, wkg("redirectsTo"), self.entity(a.redirect))
        for ref in a.mentions:
            self.out.add(self.doc, wkg("mentions"), self.entity(ref))

    # --- entities ---

    def entity(self, ref: EntityRef, cls: str | None = None) -> ox.NamedNode:
        subject = node(iris.entity_iri(ref.key_lang, ref.key_title))
        if cls:
            self.out.add(subject, RDF_TYPE, wkg(cls))
        shown = lang_literal(ref.label, ref.label_lang)
        self.preferred.setdefault(subject, shown)  # the article's own wording, first time it names it
        for text, lang in ((ref.label, ref.label_lang), *ref.extra_labels):
            if text:
                self.labels(subject, text, lang)
        if ref.linked:
            for lang, title in ref.wiki_titles:
                self.out.add(subject, wkg("wikipediaPage"), node(iris.wikipedia_iri(lang, title.replace(" ", "_"))))
                self.out.add(subject, wkg("wikiTitle"), lang_literal(title, lang))
        else:
            self.out.add(subject, wkg("linked"), typed("false", "boolean"))
        return subject

    def labels(self, subject: ox.NamedNode, text: str, lang: str) -> None:
        """The label as written, its other script (OpenCC) and the forms the page's -{…}- rules give."""
        self.out.add(subject, RDFS_LABEL, lang_literal(text, lang))
        if lang == "zh-Hans":
            self.out.add(subject, RDFS_LABEL, lang_literal(to_traditional(text), "zh-Hant"))
        elif lang == "zh-Hant" and to_simplified(text) not in zh_regional_names():
            # 亞塞拜然 is Taiwan's name: its simplified spelling is nobody's name (the mainland's is 阿塞拜疆)
            self.out.add(subject, RDFS_LABEL, lang_literal(to_simplified(text), "zh-Hans"))
        elif lang == "zh":  # the same characters in both scripts: it is the form of each
            self.out.add(subject, RDFS_LABEL, lang_literal(text, "zh-Hans"))
            self.out.add(subject, RDFS_LABEL, lang_literal(text, "zh-Hant"))
        if self.article.conversions and lang.startswith("zh"):
            for form, tag in variant_labels(text, self.article.conversions):
                self.out.add(subject, RDFS_LABEL, lang_literal(form, tag))

    def concept(self, scheme: str, key: str | None) -> ox.NamedNode | None:
        value = vocabulary_iri(scheme, key) if key else None
        if value is None:
            return None
        subject = node(value)
        for text, lang in vocabulary_labels(scheme, key):
            self.out.add(subject, RDFS_LABEL, lang_literal(text, lang))
        return subject

    # --- the conflict ---

    def map_conflict(self, c: Conflict) -> None:
        me = self.entity(c.entity, "Conflict")
        self.out.add(me, wkg("wikipediaPage"), self.doc)
        self.out.add(me, wkg("extractedFrom"), self.doc)
        for text, lang in c.labels:
            self.out.add(me, RDFS_LABEL, lang_literal(text, lang))
        self.map_dates(me, c.dates, wkg("startDate"), wkg("endDate"))
        for place in c.places:
            p = self.entity(place.entity, "Place")
            self.out.add(me, wkg("occurredAt"), p)
            if place.lat is not None:
                self.out.add(p, curie("geo:lat"), number_literal(place.lat))
                self.out.add(p, curie("geo:long"), number_literal(place.long))
        if c.lat is not None:
            self.out.add(me, curie("geo:lat"), number_literal(c.lat))
            self.out.add(me, curie("geo:long"), number_literal(c.long))
        for other in c.part_of:
            self.out.add(me, wkg("partOf"), self.entity(other, "Conflict"))
        for name, text in sorted(c.texts.items()):
            prop = self.text_property(name)
            if prop is not None:
                self.out.add(me, prop, lang_literal(text, label_language(text, self.article.lang)))
        for side in c.sides:
            s = node(iris.side_iri(me.value, side))
            self.out.add(me, wkg("hasSide"), s)
            self.out.add(s, RDF_TYPE, wkg("Side"))
            self.out.add(s, wkg("sideOf"), me)
            self.out.add(s, wkg("sideNumber"), typed(side, "integer"))
            self.out.add(s, RDFS_LABEL, lang_literal(f"side {side}", "en"))
        for fact in c.belligerents:
            self.map_party_fact(me, fact, "belligerence")
        for fact in c.supporters:
            st = self.map_party_fact(me, fact, "support")
            self.out.add(st, wkg("supportKind"), self.concept("support_kinds", fact.kind))
        for fact in c.commanders:
            self.map_command(me, fact)
        for fact in c.figures:
            self.map_figure(me, fact)

    def text_literal(self, text: str | None) -> ox.Literal | None:
        return lang_literal(text, label_language(text, self.article.lang)) if text else None

    def text_property(self, field: str) -> ox.NamedNode | None:
        for mapping in mappings():
            for rule in mapping["fields"]:
                if rule["extract"] == "text" and re.fullmatch(rule["field"], field):  # text fields: one regex
                    return curie(rule["property"])
        return None

    def map_dates(self, subject, dates: DateRange | None, start_p, end_p) -> None:
        if dates is None:
            return
        if dates.start is not None:
            self.out.add(subject, start_p, date_literal(dates.start))
        if dates.end is not None:
            self.out.add(subject, end_p, date_literal(dates.end))

    # --- side facts ---

    def statement(self, conflict: ox.NamedNode, fact: SideFact, kind: str, *identity: object) -> ox.NamedNode:
        st = node(iris.statement_iri(kind, conflict.value, fact.side, fact.field, *identity))
        self.out.add(st, RDF_TYPE, curie(self.rules[kind]["class"]))
        self.out.add(st, wkg("inConflict"), conflict)
        if fact.side is not None:
            self.out.add(st, wkg("onSide"), node(iris.side_iri(conflict.value, fact.side)))
        self.out.add(st, wkg("infoboxField"), ox.Literal(fact.field))
        self.out.add(st, wkg("sourceLine"), typed(fact.line, "integer"))
        if fact.source_text:
            self.out.add(st, wkg("sourceText"), ox.Literal(fact.source_text))
        self.out.add(st, wkg("extractedFrom"), self.doc)
        for marker in fact.refs:
            self.cite(st, marker)
        return st

    def cite(self, fact: ox.NamedNode, marker: RefMarker) -> None:
        c = self.citation(marker)
        self.out.add(c, wkg("citedBy"), fact)
        self.out.add(fact, wkg("basedOn"), c)

    def citation(self, marker: RefMarker) -> ox.NamedNode:
        """The citation of a marker key (one per key: a reused named ref is one citation, used N times)
        and the work it cites (one per distinct source)."""
        c = node(iris.citation_iri(self.article.lang, self.article.title, marker.key))
        if c in self.citations:
            return c
        self.citations.add(c)
        out = self.out
        out.add(c, RDF_TYPE, wkg("Citation"))
        out.add(c, wkg("refKey"), ox.Literal(marker.key))
        out.add(c, wkg("timesUsed"), typed(max(1, self.uses.get(marker.key, 0)), "integer"))
        if marker.name:
            out.add(c, wkg("refName"), ox.Literal(marker.name))
        definition = self.article.refs.get(marker.key)
        if marker.kind in ("sfn", "harv"):
            record = resolve(marker, self.article.records)
        else:
            record = definition.record if definition else marker.record
        if record is None and (marker.kind in ("sfn", "harv") or definition is None):
            out.add(c, wkg("unresolved"), typed("true", "boolean"))
        record = record or Record(authors=marker.authors, year=marker.year, title=marker.name or None)  # unresolved
        out.add(c, wkg("page"), plain(marker.page or record.page))
        out.add(c, wkg("quote"), plain(marker.quote or record.quote))
        out.add(c, wkg("work"), self.work(record, marker))
        return c

    def work(self, record: Record, marker: RefMarker) -> ox.NamedNode:
        if not (record.title or record.authors or record.isbn or record.url or record.doi):
            key = f"ref:{self.article.lang}:{self.article.title}:{marker.key}"  # nothing known: the ref itself
        else:
            key = work_key(record)
        w = node(iris.work_iri(key))
        out = self.out
        out.add(w, RDF_TYPE, wkg(WORK_CLASSES.get(record.kind, "Work")))
        out.add(w, wkg("citedBy"), self.doc)  # CiTO at document level: the article cites the work
        for author in record.authors:
            out.add(w, wkg("author"), ox.Literal(author))
        title = record.title or " ".join(filter(None, [" & ".join(record.authors), record.year])) or marker.key
        out.add(w, RDFS_LABEL, plain(title))
        for prop, value in (("year", record.year), ("citationTitle", title), ("doi", record.doi),
                            ("url", record.url), ("archiveUrl", record.archive_url), ("publisher", record.publisher)):
            out.add(w, wkg(prop), plain(value))
        out.add(w, curie("dcterms:language"), plain(record.language))
        if record.isbn:
            out.add(w, wkg("isbnAsWritten"), plain(record.isbn))
            isbn13 = to_isbn13(record.isbn)
            out.add(w, wkg("isbn"), plain(isbn13))
            if isbn13 is None:
                out.add(w, wkg("invalidIsbn"), typed("true", "boolean"))
        return w

    def map_period(self, st: ox.NamedNode, period: DateRange | None) -> None:
        self.map_dates(st, period, wkg("periodStart"), wkg("periodEnd"))

    def map_party_fact(self, conflict: ox.NamedNode, fact, kind: str) -> ox.NamedNode:
        rule = self.rules[kind]
        agent = self.entity(fact.entity, rule["agent_class"].split(":")[1])
        period = (fact.period.start, fact.period.end) if fact.period else None
        st = self.statement(conflict, fact, kind, agent.value, period, getattr(fact, "kind", None))
        self.out.add(st, wkg("agent"), agent)
        self.map_period(st, fact.period)
        side = node(iris.side_iri(conflict.value, fact.side)) if fact.side is not None else None
        if side is not None:
            self.out.add(agent, curie(rule["shortcut"]), side)
        if "conflict_shortcut" in rule:
            self.out.add(conflict, curie(rule["conflict_shortcut"]), agent)
        return st

    def map_command(self, conflict: ox.NamedNode, fact) -> None:
        rule = self.rules["command"]
        person = self.entity(fact.entity, "Person")
        st = self.statement(conflict, fact, "command", person.value)
        self.out.add(st, wkg("agent"), person)
        self.out.add(st, wkg("killedInAction"), typed(str(fact.fate == "killed-in-action").lower(), "boolean"))
        self.out.add(st, wkg("fate"), self.concept("fates", fact.fate))
        if fact.affiliation is not None:
            self.out.add(st, wkg("affiliation"), self.entity(fact.affiliation, "Party"))
        self.map_period(st, fact.period)
        if fact.side is not None:
            self.out.add(person, curie(rule["shortcut"]), node(iris.side_iri(conflict.value, fact.side)))

    def map_figure(self, conflict: ox.NamedNode, fact: Figure) -> None:
        q = fact.quantity
        subject = self.entity(fact.subject, "Party") if fact.subject is not None else None
        st = self.statement(conflict, fact, fact.measure, q.min, q.max, fact.category, fact.claimant, fact.note,
                            subject.value if subject else None, q.unit)
        self.out.add(st, wkg("agent"), subject)
        if q.min is not None:
            self.out.add(st, wkg("minValue"), number_literal(q.min))
        if q.max is not None:
            self.out.add(st, wkg("maxValue"), number_literal(q.max))
        if q.approximate:
            self.out.add(st, wkg("approximate"), typed("true", "boolean"))
        self.out.add(st, wkg("unit"), self.concept("units", q.unit))
        self.out.add(st, wkg("casualtyCategory"), self.concept("casualty_categories", fact.category))
        self.out.add(st, wkg("claimant"), self.text_literal(fact.claimant))
        self.out.add(st, wkg("note"), self.text_literal(fact.note))
        self.map_period(st, fact.period)


def article_triples(article: Article, sink: TripleSink | None = None) -> TripleSink:
    sink = TripleSink() if sink is None else sink
    mapper = ArticleMapper(article, sink)
    mapper.map()
    BodyMapper(mapper).map()
    return sink


def vocabulary_prefix() -> str:
    return load("vocabulary")["prefix"]


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
