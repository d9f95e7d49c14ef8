"""The facts an article yields, as plain dataclasses (no RDF here).

The extract stage fills these; the rdf stage (``graph.rdf``) turns them into triples.
Keeping them free of RDF lets tests state facts in Python and lets other
serialisations (networkx, JSON) reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.wikitext.diagnostics import Diagnostic


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to year, month or day precision (astronomical years: 1 BC = 0)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def xsd_type(self) -> str:
        return {"day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]

    def iso(self) -> str:
        sign = "-" if self.year < 0 else ""
        text = f"{sign}{abs(self.year):04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True)
class DateRange:
    """A span of time as written: its start and end (either may be unknown) and the text they come from."""

    start: PartialDate | None
    end: PartialDate | None
    text: str = ""
    inferred: bool = False  # part of the range was completed from context (e.g. year of the start)


@dataclass(frozen=True)
class Quantity:
    """A figure as written: a single number, a range, or an open bound ("over 5,000")."""

    min: float | None
    max: float | None
    approximate: bool = False
    qualifier: str | None = None  # "over", "at-least", "up-to", "about", "several", ...
    unit: str | None = None  # a unit key of graph/data/units.yaml ("person", "tank", ...)
    span: tuple[int, int] = (0, 0)  # where the expression sits in the parsed text


@dataclass(frozen=True)
class EntityRef:
    """Something the article names: a wiki page, a country behind a flag, or bare text."""

    key_lang: str  # wiki language the key title belongs to ("zh", "en")
    key_title: str  # page title (or bare name) that identifies the entity
    label: str  # the text the article shows
    label_lang: str  # BCP 47 tag of ``label``
    linked: bool = True  # False: bare text, no page behind it
    extra_labels: tuple[tuple[str, str], ...] = ()  # (text, language tag)
    wiki_titles: tuple[tuple[str, str], ...] = ()  # (wiki language, title as written)
    origin: str = "link"  # link | interlanguage | flag | text
    section: str | None = None  # the section a link points to ([[War#Capture of X|…]]): the mention's, not a name
    # a link to a section shows words about the section, not names of the page: the page's label is its title
    page_label: tuple[str, str] | None = None

    def names(self) -> tuple[tuple[str, str], ...]:
        """(text, language tag) of the labels the entity takes from this reference."""
        if self.page_label is not None:
            return (self.page_label, *self.extra_labels)
        return ((self.label, self.label_lang), *self.extra_labels)


@dataclass(frozen=True)
class Record:
    """A bibliographic record read from a citation template ({{cite book}}, {{citation}}, ...)."""

    authors: tuple[str, ...] = ()  # family names where the template separates them, else full names
    year: str | None = None
    title: str | None = None
    isbn: str | None = None
    doi: str | None = None
    url: str | None = None
    archive_url: str | None = None
    publisher: str | None = None
    page: str | None = None
    quote: str | None = None
    kind: str = "other"  # book | news | web | journal | text | other: what the citation template says
    language: str | None = None  # language=, or a {{ru icon}}-style marker beside the citation
    years: tuple[str, ...] = ()  # every publication year the reference writes ("1966; revised 1974")
    anchor: tuple[str, ...] = ()  # ref={{harvid|English Heritage|1995}}: the names and year {{sfn}}s cite it by


@dataclass(frozen=True)
class RefMarker:
    """A citation marker that follows a fact: ``<ref>``, ``<ref name=x/>``, ``{{sfn}}``, ..."""

    key: str  # stable key: ref name, "sfn:Author|Year|p=6", or "anon:<hash>"
    kind: str  # "ref" | "named-ref-use" | "sfn" | "harv"
    name: str | None = None
    wikitext: str = ""  # the marker as written (defining refs: with their content)
    title: str | None = None  # title of a citation template inside, where there is one
    record: Record | None = None  # the citation template inside a defining <ref>
    authors: tuple[str, ...] = ()  # short citations: the names before the year
    year: str | None = None
    page: str | None = None  # short citations: p=, pp=, loc=
    quote: str | None = None  # short citations: ps= / quote=
    pointer: bool = False  # a hand-written short citation ("Rowse, p. 143"): resolved like {{sfn}}
    note: str | None = None  # an explanatory footnote's text (group=note, {{efn}}, no bibliographic signal)
    also: tuple[RefMarker, ...] = ()  # the further short citations of one footnote ("Bray, p.283, Potter, p.641")


@dataclass
class SideFact:
    """Common part of every fact that belongs to an infobox column."""

    side: int | None
    field: str  # infobox parameter the fact came from ("combatant1a")
    line: int  # 1-based line in the input file
    source_text: str  # the wikitext of the item
    refs: list[RefMarker] = field(default_factory=list)


@dataclass
class Belligerent(SideFact):
    """A party that fought on a side, as the infobox names it."""

    entity: EntityRef | None = None
    period: DateRange | None = None


@dataclass
class Supporter(SideFact):
    """A party that supported a side without fighting, and the kind of support (graph/data/headings.yaml)."""

    entity: EntityRef | None = None
    kind: str = "support"  # a support-kind key of graph/data/headings.yaml
    period: DateRange | None = None


@dataclass
class Commander(SideFact):
    """A person who commanded on a side, the party they served (affiliation) and their fate."""

    entity: EntityRef | None = None
    affiliation: EntityRef | None = None
    fate: str | None = None  # "killed-in-action" | "prisoner-of-war"
    period: DateRange | None = None


@dataclass
class Figure(SideFact):
    """A number the infobox gives (strength, casualties, losses): what it counts, for whom, by whose claim."""

    measure: str = "strength"  # "strength" | "casualties"
    quantity: Quantity | None = None
    category: str | None = None  # a casualty-category key ("killed", "civilians-killed", ...)
    claimant: str | None = None
    note: str | None = None
    period: DateRange | None = None
    subject: EntityRef | None = None  # whose figure it is, where the text says (a table row's polity)


@dataclass
class Place:
    """Where a conflict happened: the place linked, and its coordinates when the infobox gives them."""

    entity: EntityRef
    line: int
    lat: float | None = None
    long: float | None = None


@dataclass
class Conflict:
    """One infobox's conflict: its names, dates and places, and the parties, commanders and figures of each side."""

    entity: EntityRef
    infobox: str  # template name as written
    line: int
    labels: list[tuple[str, str]] = field(default_factory=list)
    dates: DateRange | None = None
    date_text: str | None = None
    part_of: list[EntityRef] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    lat: float | None = None
    long: float | None = None
    texts: dict[str, str] = field(default_factory=dict)  # result, territory, casus, ... (plain text)
    text_refs: dict[str, list[RefMarker]] = field(default_factory=dict)
    sides: list[int] = field(default_factory=list)
    belligerents: list[Belligerent] = field(default_factory=list)
    supporters: list[Supporter] = field(default_factory=list)
    commanders: list[Commander] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Section:
    """A heading of the body: its place in the outline and what it describes and mentions."""

    title: str
    level: int  # 2 for ==, 3 for ===; 1 for the lead
    line: int
    parent: int | None = None  # index of the enclosing section in Article.sections
    describes: list[EntityRef] = field(default_factory=list)  # {{Main|X}}: the section's sub-event
    mentions: list[EntityRef] = field(default_factory=list)


@dataclass
class TimelineEvent:
    """A dated sentence of the narrative."""

    dates: DateRange
    text: str
    section: int  # index in Article.sections
    line: int
    inferred: bool = False  # the year was taken from the latest full date before
    involves: list[EntityRef] = field(default_factory=list)
    place: EntityRef | None = None
    refs: list[RefMarker] = field(default_factory=list)


@dataclass
class Article:
    """Everything read from one page: its conflicts, sources, sections, events and diagnostics."""

    title: str
    lang: str
    source_name: str  # file name as given, or "<stdin>"
    sha256: str
    conflicts: list[Conflict] = field(default_factory=list)
    refs: dict[str, RefMarker] = field(default_factory=dict)  # defining refs by key
    records: list[Record] = field(default_factory=list)  # every citation template of the page
    listed: list[Record] = field(default_factory=list)  # the works of its reference and bibliography sections
    ref_uses: list[RefMarker] = field(default_factory=list)  # every <ref> and {{sfn}} of the page, in order
    conversions: list[dict[str, str]] = field(default_factory=list)  # zh variant rules: {"zh-hans": …}
    redirect: EntityRef | None = None  # #REDIRECT [[X]]
    mentions: list[EntityRef] = field(default_factory=list)  # links of a page without an infobox
    sections: list[Section] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    lead_labels: list[tuple[str, str]] = field(default_factory=list)  # {{lang-az|…}} beside the lead's name
    diagnostics: list[Diagnostic] = field(default_factory=list)
