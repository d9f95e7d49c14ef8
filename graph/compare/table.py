"""The side-by-side rows: for each aligned conflict, each fact kind (dates, parties, supporters, commanders, places,
part of, casualties and strengths), each edition's value and source, and whether they agree. Figures are ranges:
two editions' figures may differ and still overlap, which the row says."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.compare.editions import Aligner, Edition
from graph.facts.reader import ConflictFacts, Figure, Source
from graph.wikidata.statements import figure_text

SAME, DIFFERS = "same", "differs"
# Rows sort by kind in this order, then by fact.
KINDS = ("start", "end", "part of", "place", "belligerent", "supporter", "commander", "casualties", "strength")


@dataclass
class Cell:
    """One edition's value of one fact: what is compared (a party's side, a figure), what is shown (in the
    edition's own words: labels differ by language and revision without the fact differing), its ranges (figures)
    and its sources."""
    values: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    ranges: list[tuple[float, float]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, value: str, sources: Iterable[Source] = (), bounds: tuple[float, float] | None = None,
            shown: str | None = None) -> None:
        if value not in self.values:
            self.values.append(value)
        if (shown or value) not in self.shown:
            self.shown.append(shown or value)
        if bounds is not None:
            self.ranges.append(bounds)
        for source in sources:
            if str(source) not in self.sources:
                self.sources.append(str(source))

    @property
    def text(self) -> str:
        return "; ".join(self.shown)

    @property
    def compared(self) -> frozenset[str]:
        return frozenset(self.values)


@dataclass
class Row:
    conflict: str
    kind: str
    fact: str
    cells: list[Cell | None]        # one per edition, None where the edition does not have the fact
    status: str
    overlap: str = ""               # figures: "yes" / "no" when two or more editions give one


@dataclass
class Alignment:
    """Aligned IRIs: the key (a QID or a page) and the IRI each edition uses for it."""
    key: str
    iris: list[str]


def compare_editions(editions: list[Edition], aligner: Aligner) -> tuple[list[Row], list[Alignment]]:
    names = [e.name for e in editions]
    groups: dict[str, list[ConflictFacts | None]] = {}
    for i, edition in enumerate(editions):
        for c in edition.conflicts:
            groups.setdefault(aligner.conflict_key(c), [None] * len(editions))[i] = c
    rows: list[Row] = []
    alignments: dict[str, set[str]] = {}
    for key, conflicts in sorted(groups.items(), key=lambda kv: _label(kv[1])):
        label = _label(conflicts)
        alignments.setdefault(key, set()).update(c.iri for c in conflicts if c)
        facts = [_facts(c, aligner, alignments) if c else {} for c in conflicts]
        keys = sorted({k for f in facts for k in f}, key=lambda k: (KINDS.index(k[0]), k[1]))
        for kind, fact in keys:
            cells = [f.get((kind, fact)) for f in facts]
            rows.append(_row(label, kind, fact, cells, names))
    return rows, [Alignment(k, sorted(v)) for k, v in sorted(alignments.items())]


def _label(conflicts: list[ConflictFacts | None]) -> str:
    return next(c.label for c in conflicts if c)


def _facts(c: ConflictFacts, aligner: Aligner, alignments: dict[str, set[str]]) -> dict[tuple[str, str], Cell]:
    """(kind, fact) → cell. The fact names what is compared in words every edition shares: a QID or page for
    entities (labels differ by language), the side and category for figures."""
    facts: dict[tuple[str, str], Cell] = {}

    def cell(kind: str, fact: str) -> Cell:
        return facts.setdefault((kind, fact), Cell())

    def entity_fact(entity) -> str:
        key = aligner.entity_key(entity)
        alignments.setdefault(key, set()).add(entity.iri)
        return key if key != entity.iri else _readable(entity.iri)

    if c.start:
        cell("start", "start date").add(str(c.start))
    if c.end:
        cell("end", "end date").add(str(c.end))
    for kind, entities in (("place", c.places), ("part of", c.part_of)):
        for entity in entities:
            cell(kind, entity_fact(entity)).add("yes", shown=entity.label)
    for role in c.roles:
        side = f"side {role.side}" if role.side else "no side"
        cell(role.kind, entity_fact(role.entity)).add(side, role.sources, shown=f"{role.entity.label} ({side})")
    for figure in c.figures:
        if figure.low is None and figure.high is None:
            continue
        party = f" of {entity_fact(figure.agent)}" if figure.agent else ""
        unit = f" ({_words(figure.unit)})" if figure.unit else ""
        what = "strength" if figure.kind == "strength" else _words(figure.category)
        fact = f"side {figure.side}: {what}{unit}{party}" if figure.side else f"{what}{unit}{party}"
        cell(figure.kind, fact).add(_figure_value(figure), figure.sources, _bounds(figure))
    return facts


def _row(conflict: str, kind: str, fact: str, cells: list[Cell | None], names: list[str]) -> Row:
    present = [i for i, c in enumerate(cells) if c is not None]
    if len(present) < len(cells):
        status = "only in " + ", ".join(names[i] for i in present)
    else:
        texts = {cells[i].compared for i in present}
        status = SAME if len(texts) == 1 else DIFFERS
    overlap = ""
    with_ranges = [cells[i].ranges for i in present if cells[i].ranges]
    if len(with_ranges) >= 2:
        overlap = "yes" if _common_point(with_ranges) else "no"
    return Row(conflict, kind, fact, cells, status, overlap)


def _common_point(ranges_per_edition: list[list[tuple[float, float]]]) -> bool:
    """Whether one number lies in a range of every edition: the editions' figures can all be true at once."""
    # If the ranges meet, their meeting starts at one of their lower ends: trying those is enough.
    candidates = sorted({lo for ranges in ranges_per_edition for lo, _ in ranges})
    return any(all(any(lo <= x <= hi for lo, hi in ranges) for ranges in ranges_per_edition) for x in candidates)


def _bounds(figure: Figure) -> tuple[float, float]:
    low = figure.low if figure.low is not None else 0.0
    high = figure.high if figure.high is not None else float("inf")
    return (low, high)


def _figure_value(figure: Figure) -> str:
    if figure.low is None:
        text = f"≤{figure_text(figure.high or 0, None)}"
    elif figure.high is None:
        text = f"≥{figure_text(figure.low, None)}"
    else:
        text = figure_text(figure.low, figure.high)
    return f"{text} (claimed by {figure.claimant})" if figure.claimant else text


def _readable(iri: str) -> str:
    """``…/resource/en/Kingdom_of_France`` → ``Kingdom of France``: the page, as a reader writes it."""
    return urllib.parse.unquote(iri.rsplit("/", 1)[-1]).replace("_", " ")


def _words(category: str) -> str:
    """``CiviliansKilled`` → ``civilians killed``."""
    out = "".join(" " + ch.lower() if ch.isupper() else ch for ch in category).strip()
    return out or category
