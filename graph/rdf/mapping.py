"""The declarative mapping: facts (graph.extract.model) → RDF triples in the wikikg ontology.

Qualified facts (a side's period, a figure's range, claimant and sources) become statement
nodes; the plain one-hop triple is emitted next to them so simple queries stay simple.
Classes and shortcut properties of each fact kind come from the mapping file.
The body (sections, sub-events, timeline) is mapped by graph.rdf.body.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from graph.data.regex_cache import data_regex
from graph.data.vocab import mappings, vocabulary_iri, vocabulary_labels
from graph.extract.bibliography import Works, resolve, work_key
from graph.extract.calendars import calendar_model, calendar_of, gregorian_equivalent
from graph.extract.flags import zh_regional_names
from graph.extract.interwiki import language_tag
from graph.extract.isbn import to_isbn13
from graph.extract.model import Article, Conflict, DateRange, EntityRef, Figure, Record, RefMarker, SideFact
from graph.rdf import iri as iris
from graph.rdf.body import BodyMapper
from graph.rdf.core_types import add_types
from graph.rdf.terms import (
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_PREF,
    TripleSink,
    curie,
    date_literal,
    lang_literal,
    node,
    number_literal,
    plain,
    typed,
    url_node,
    wkg,
    year_literal,
)
from graph.wikitext.text import label_language, to_simplified, to_traditional
from graph.wikitext.variants import variant_labels

WORK_CLASSES = {"book": "Book", "news": "NewsArticle", "journal": "JournalArticle", "web": "WebPage"}


def preferred_label(ref: EntityRef) -> ox.Literal:
    """The article's own wording, the first time it names the entity (the page's title for a link to a section:
    ``[[War#Capture of X|capture of X]]`` does not name the war). One merged graph of several articles keeps one
    per language: graph.rdf.labels."""
    text, lang = ref.names()[0]
    return lang_literal(text, lang)


def fact_rules() -> dict:
    merged: dict = {}
    for mapping in mappings():
        merged.update(mapping.get("facts", {}))
    return merged


class ArticleMapper:
    def __init__(self, article: Article, sink: TripleSink) -> None:
        self.article = article
        self.out = sink
        self.rules = fact_rules()
        self.doc = node(iris.wikipedia_iri(article.lang, article.title))
        self.preferred: dict[ox.NamedNode, ox.Literal] = {}
        self.citations: set[ox.NamedNode] = set()
        self.backing: set[ox.NamedNode] = set()  # citations that back a fact or an event the graph holds
        self.uses = Counter(m.key for m in article.ref_uses)
        # what a short citation resolves to and the node of a work, once each: many {{sfn}}s cite one work
        self.resolved: dict[tuple, Record | None] = {}
        # the works short citations are resolved among, their names folded once (``resolve``)
        self.primary_works: Works | None = None
        self.all_works: Works | None = None
        self.works: dict[tuple, ox.NamedNode] = {}
        # each reference mapped once: the sections and events of the body name the same links again and again,
        # and mapping one again adds the same triples to the set (its labels converted again to find them)
        self.entities: dict[tuple[EntityRef, str | None], ox.NamedNode] = {}

    def map(self) -> None:
        self.map_article()
        for conflict in self.article.conflicts:
            self.map_conflict(conflict)
        for marker in self.article.ref_uses:  # every ref of the article, cited by a fact or not
            self.citations_of(marker)
        for record in self.article.listed:  # the bibliography's works, cited or not
            self.out.add(self.work(record, None, cited=False), wkg("listedIn"), self.doc)
        for subject, label in self.preferred.items():
            self.out.add(subject, SKOS_PREF, label)

    def map_article(self) -> None:
        a = self.article
        add_types(self.out, self.doc, "Article")
        self.out.add(self.doc, RDFS_LABEL, lang_literal(a.title, label_language(a.title, a.lang)))
        self.out.add(self.doc, curie("schema:inLanguage"), ox.Literal(a.lang))
        if a.redirect is not None:
            self.out.add(self.doc, wkg("redirectsTo"), self.entity(a.redirect))
        for ref in a.mentions:
            self.out.add(self.doc, wkg("mentions"), self.entity(ref))

    # --- entities ---

    def entity(self, ref: EntityRef, cls: str | None = None) -> ox.NamedNode:
        subject = self.entities.get((ref, cls))
        if subject is None:
            subject = self.entities[ref, cls] = self.map_entity(ref, cls)
        return subject

    def map_entity(self, ref: EntityRef, cls: str | None) -> ox.NamedNode:
        """The entity's node and its triples: its types, labels and pages."""
        subject = node(iris.entity_iri(ref.key_lang, ref.key_title))
        if cls:
            add_types(self.out, subject, cls)
        if subject not in self.preferred:  # the first wording kept: no label made for the others
            self.preferred[subject] = preferred_label(ref)
        for text, lang in ref.names():
            if text:
                self.labels(subject, text, lang)
        if ref.linked:
            for lang, title in ref.wiki_titles:
                self.out.add(subject, wkg("wikipediaPage"), node(iris.wikipedia_iri(lang, title.replace(" ", "_"))))
                self.out.add(subject, wkg("wikiTitle"), lang_literal(title, language_tag(lang)))
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
                if rule["extract"] == "text" and data_regex(rule["field"]).fullmatch(field):  # text fields: one regex
                    return curie(rule["property"])
        return None

    def map_dates(self, subject, dates: DateRange | None, start_p, end_p) -> None:
        if dates is None:
            return
        for date, prop in ((dates.start, start_p), (dates.end, end_p)):
            if date is not None:
                self.out.add(subject, prop, date_literal(date))
                self.calendar(subject, prop, date)

    def calendar(self, subject: ox.NamedNode, prop: ox.NamedNode, date) -> None:
        """A Julian date, as Wikidata's value nodes give one: its calendar model and its Gregorian equivalent
        (``wkg:startDate`` keeps the date as the article writes it)."""
        if calendar_of(date) != "julian":
            return
        value = node(iris.statement_iri("time", subject.value, prop.value, date.iso()))
        self.out.add(subject, wkg("dateValue"), value)
        self.out.add(value, RDF_TYPE, wkg("TimeValue"))
        self.out.add(value, wkg("dateProperty"), prop)
        self.out.add(value, wkg("timeValue"), date_literal(date))
        self.out.add(value, wkg("calendarModel"), node(calendar_model("julian")))
        gregorian = gregorian_equivalent(date)
        if gregorian is not None:
            self.out.add(value, wkg("gregorianDate"), date_literal(gregorian))

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
        for c in self.citations_of(marker):
            self.backing.add(c)
            self.out.add(c, wkg("citedBy"), fact)
            self.out.add(fact, wkg("basedOn"), c)

    def citations_of(self, marker: RefMarker) -> list[ox.NamedNode]:
        """The citation of a marker, and one more for each further short citation its footnote writes."""
        written = self.article.refs.get(marker.key) or marker
        return [self.citation(marker), *(self.citation(m) for m in written.also)]

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
        written = definition or marker  # a named ref's use: what its definition says
        short = marker.kind in ("sfn", "harv") or written.pointer
        if short:  # {{sfn}} or a hand-written pointer: the article's full reference of it, the page its own
            pointer = marker if marker.kind in ("sfn", "harv") else written
            record = self.resolve(pointer)
        else:
            record = written.record
        out.add(c, wkg("note"), plain(written.note))
        if record is None and written.note and not short:
            return c  # an explanatory footnote: a note, no work
        if record is None and (short or definition is None):
            out.add(c, wkg("unresolved"), typed("true", "boolean"))
        if record is None and short:  # the work is known by its authors and year only
            record = Record(authors=pointer.authors, year=pointer.year, title=pointer.title)
        record = record or Record(authors=marker.authors, year=marker.year, title=marker.name or None)  # unresolved
        out.add(c, wkg("page"), plain(written.page if written.pointer else marker.page or record.page))
        out.add(c, wkg("quote"), plain(marker.quote or record.quote))
        out.add(c, wkg("work"), self.work(record, marker))
        return c

    def resolve(self, pointer: RefMarker) -> Record | None:
        """The work a short citation points to: among the works of the footnotes and bibliography first, then
        any citation template of the page. (``resolve`` reads only the pointer's authors, year, title and kind.)"""
        key = (pointer.authors, pointer.year, pointer.title, pointer.pointer)
        if key not in self.resolved:
            if self.primary_works is None or self.all_works is None:
                a = self.article
                self.primary_works = Works([*a.listed, *(m.record for m in a.refs.values() if m.record)])
                self.all_works = Works([*a.records, *a.listed])
            self.resolved[key] = resolve(pointer, self.primary_works) or resolve(pointer, self.all_works)
        return self.resolved[key]

    def work(self, record: Record, marker: RefMarker | None, cited: bool = True) -> ox.NamedNode:
        """The node of a work and its triples; a work met again (the same record and ``cited``) adds the same
        triples: they are made once. The marker counts only for a record without a title (its key may name the work
        and give its title)."""
        key = (record, cited, None if record.title or marker is None else marker.key)
        w = self.works.get(key)
        if w is None:
            w = self.works[key] = self.work_triples(record, marker, cited)
        return w

    def work_triples(self, record: Record, marker: RefMarker | None, cited: bool) -> ox.NamedNode:
        if not (record.title or record.authors or record.isbn or record.url or record.doi) and marker is not None:
            key = f"ref:{self.article.lang}:{self.article.title}:{marker.key}"  # nothing known: the ref itself
        else:
            key = work_key(record)
        w = node(iris.work_iri(key))
        out = self.out
        add_types(out, w, WORK_CLASSES.get(record.kind, "Work"))
        if cited:
            out.add(w, wkg("citedIn"), self.doc)  # CiTO at document level: the article cites the work
        for author in record.authors:
            out.add(w, wkg("author"), ox.Literal(author))
        title = (record.title or " ".join(filter(None, [" & ".join(record.authors), record.year]))
                 or (marker.key if marker else ""))
        out.add(w, RDFS_LABEL, plain(title))
        for prop, value in (("citationTitle", title), ("doi", record.doi), ("publisher", record.publisher)):
            out.add(w, wkg(prop), plain(value))
        out.add(w, wkg("year"), year_literal(record.year))
        out.add(w, wkg("url"), url_node(record.url))
        out.add(w, wkg("archiveUrl"), url_node(record.archive_url))
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
    for c in sorted(mapper.citations - mapper.backing, key=lambda n: n.value):
        sink.add(c, wkg("citedBy"), mapper.doc)  # it backs a statement of the article no fact of ours holds
    return sink
