"""Plain data of the reconcile stage: what we ask about (Subject), what a backend answers (LabelHit,
ItemFacts) and what we decide (Decision). No RDF, no network here."""

from __future__ import annotations

from dataclasses import dataclass, field

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

# Statuses of a decision, as written in the graph and the review report.
MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
NOT_CHECKED = "not-checked"  # the backend failed: nothing was decided, earlier links stay


@dataclass
class Subject:
    """One entity of our graph to link, with the evidence the graph holds about it."""

    iri: str
    roles: tuple[str, ...]                                        # person, party, place, conflict, work, other
    labels: dict[str, list[str]] = field(default_factory=dict)    # language tag → texts (rdfs:label, prefLabel)
    titles: dict[str, list[str]] = field(default_factory=dict)    # site (zhwiki, enwiki) → Wikipedia titles
    identifiers: dict[str, list[str]] = field(default_factory=dict)  # Wikidata property (P212, P356) → values
    period: tuple[int, int] | None = None                        # astronomical years of its conflict(s)
    preferred: str | None = None                                 # skos:prefLabel: the article's own wording
    coordinates: tuple[float, float] | None = None               # (latitude, longitude) the article gives

    @property
    def label(self) -> str:
        """One label to show a reader: the article's own wording, else Chinese, English, any."""
        if self.preferred:
            return self.preferred
        for lang in ("zh-hans", "zh", "zh-hant", "en"):
            if self.labels.get(lang):
                return self.labels[lang][0]
        for texts in self.labels.values():
            if texts:
                return texts[0]
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class LabelHit:
    """An item whose label (or alias) in ``lang`` is exactly ``text``."""

    qid: str
    text: str
    lang: str
    alias: bool = False


@dataclass
class ItemFacts:
    """What the reconciler needs to know about one Wikidata item.

    Years are astronomical (1 BCE = 0, 31 BCE = -30), whatever the backend's own convention.
    ``classes`` holds those of the classes asked about that the item is an instance of (P31/P279*).
    """

    qid: str
    labels: dict[str, str] = field(default_factory=dict)   # language → label
    types: list[str] = field(default_factory=list)          # direct P31 values
    classes: set[str] = field(default_factory=set)
    inception: int | None = None
    dissolved: int | None = None
    birth: int | None = None
    death: int | None = None
    coordinates: tuple[float, float] | None = None          # (latitude, longitude) on Earth
    sitelinks: dict[str, str] = field(default_factory=dict)  # site (zhwiki) → title, for the sites asked

    def widen_year(self, key: str, year: int | None) -> None:
        """Several best-rank values (disputed dates): keep the widest span, earliest start and latest end, so
        a period check never rules an item out on the less favourable of two sourced dates."""
        if year is None:
            return
        current = getattr(self, key)
        if current is None:
            setattr(self, key, year)
        elif key in ("inception", "birth"):
            setattr(self, key, min(current, year))
        else:
            setattr(self, key, max(current, year))

    @property
    def label(self) -> str:
        for lang in ("en", "zh", "zh-hans", "zh-cn", "zh-hant", "zh-tw"):
            if self.labels.get(lang):
                return self.labels[lang]
        return next(iter(self.labels.values()), self.qid)


@dataclass
class Candidate:
    qid: str
    score: float
    features: list[str] = field(default_factory=list)   # why this score, in words a reviewer reads
    excluded: str | None = None                         # why the candidate cannot be the entity
    label: str = ""


@dataclass
class Decision:
    subject: Subject
    status: str                                         # MATCHED, AMBIGUOUS, UNMATCHED or NOT_CHECKED
    qid: str | None = None
    score: float = 0.0
    method: str = ""
    features: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)  # best first
    reason: str = ""                                    # for ambiguous and unmatched: why

    @property
    def item_iri(self) -> str | None:
        return WIKIDATA_ENTITY + self.qid if self.qid else None
