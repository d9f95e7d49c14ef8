"""What an article says that its Wikidata item lacks: our facts of each reconciled conflict against the item's
statements, as review rows (missing / differs / same / skipped) and QuickStatements for the missing and
differing ones, each with its references (the Wikipedia edition, the article's URL, the cited work when it is
reconciled).

Nothing is guessed: an entity without a QID is reported ``skipped``, never written; a figure is written only
when whose it is can be said with QIDs. The tool writes files; it never edits Wikidata.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from graph.data.vocab import load
from graph.facts.reader import ConflictFacts, Entity, Figure, Role, Source
from graph.wikidata.quickstatements import QuickStatement, format_item, format_quantity, format_string, format_time
from graph.wikidata.statements import Statement, StatementSource, Time, compared_properties, figure_text

MISSING, DIFFERS, SAME, SKIPPED = "missing", "differs", "same", "skipped"


@dataclass(frozen=True)
class DiffRow:
    conflict: str        # our conflict's label
    item: str            # its QID
    fact: str            # e.g. "participant", "start time", "deaths, side 1"
    prop: str
    ours: str
    wikidata: str
    status: str
    source: str          # the article's citations for the fact, or the article itself
    note: str = ""


@dataclass
class DiffResult:
    rows: list[DiffRow]
    statements: list[QuickStatement]
    not_reconciled: list[str]   # conflicts without a QID: nothing compared
    not_found: list[str]        # QIDs the Wikidata source does not hold

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


@dataclass(frozen=True)
class DiffSettings:
    pids: dict[str, str]
    qualifiers: dict[str, str]
    references: dict[str, str]
    wikipedias: dict[str, str]
    roles: dict[str, str | None]
    death_categories: frozenset[str]
    civilian_part: str | None

    @classmethod
    def from_data(cls) -> DiffSettings:
        data = load("wikidata_properties")
        return cls(pids=compared_properties(),
                   qualifiers={name: v["pid"] for name, v in data["qualifiers"].items()},
                   references={name: v["pid"] for name, v in data["references"].items()},
                   wikipedias=dict(data["wikipedias"]), roles=dict(data["participant_roles"]),
                   death_categories=frozenset(data["death_categories"]), civilian_part=data.get("civilian_part"))


def diff_conflicts(conflicts: Iterable[ConflictFacts], source: StatementSource,
                   settings: DiffSettings | None = None) -> DiffResult:
    settings = settings or DiffSettings.from_data()
    conflicts = list(conflicts)
    reconciled = [c for c in conflicts if c.qid]
    items = source.statements([c.qid for c in reconciled], set(settings.pids.values())) if reconciled else {}
    result = DiffResult([], [], [c.label for c in conflicts if not c.qid], [])
    for conflict in reconciled:
        if conflict.qid not in items:
            result.not_found.append(conflict.qid)
            continue
        ItemDiff(conflict, items[conflict.qid], settings, result).run()
    return result


class ItemDiff:
    """One conflict against one item: adds its rows and statements to ``result``."""

    def __init__(self, conflict: ConflictFacts, statements: list[Statement], settings: DiffSettings,
                 result: DiffResult) -> None:
        self.c = conflict
        self.qid = conflict.qid or ""
        self.by_prop: dict[str, list[Statement]] = {}
        for statement in statements:
            self.by_prop.setdefault(statement.prop, []).append(statement)
        self.s = settings
        self.result = result

    def run(self) -> None:
        self.dates()
        self.participants()
        self.linked("location", self.c.places)
        self.linked("part of", self.c.part_of, "part_of")
        self.figures()

    # ------------------------------------------------------------ facts

    def dates(self) -> None:
        for fact, name, ours in (("start time", "start_time", self.c.start), ("end time", "end_time", self.c.end)):
            if ours is None:
                continue
            pid = self.s.pids[name]
            theirs = [st.value.time for st in self.by_prop.get(pid, []) if st.value.time]
            status = MISSING if not theirs else SAME if any(_same_time(ours, t) for t in theirs) else DIFFERS
            note = "" if status != DIFFERS else "QuickStatements add the article's date beside Wikidata's"
            self.row(fact, pid, str(ours), ", ".join(map(str, theirs)), status, (), note)
            if status != SAME:
                self.write(pid, format_time(ours), (), ())

    def participants(self) -> None:
        pid = self.s.pids["participant"]
        theirs = {st.value.item for st in self.by_prop.get(pid, []) if st.value.item}
        seen: set[str] = set()
        for role in self.c.roles:
            if role.kind not in ("belligerent", "supporter"):
                continue
            key = role.entity.qid or role.entity.iri
            if key in seen:
                continue  # a party on both sides, or a supporter also a belligerent: one participant
            seen.add(key)
            fact = f"participant ({role.kind}, side {role.side})" if role.side else f"participant ({role.kind})"
            if not role.entity.qid:
                self.row(fact, pid, role.entity.label, "", SKIPPED, role.sources, "not reconciled: no QID")
                continue
            status = SAME if role.entity.qid in theirs else MISSING
            self.row(fact, pid, _named(role.entity), role.entity.qid if status == SAME else "", status, role.sources)
            if status == MISSING:
                self.write(pid, format_item(role.entity.qid), self._role_qualifier(role), role.sources)

    def linked(self, fact: str, entities: list[Entity], name: str = "location") -> None:
        pid = self.s.pids[name]
        theirs = {st.value.item for st in self.by_prop.get(pid, []) if st.value.item}
        for entity in entities:
            if not entity.qid:
                self.row(fact, pid, entity.label, "", SKIPPED, (), "not reconciled: no QID")
                continue
            status = SAME if entity.qid in theirs else MISSING
            self.row(fact, pid, _named(entity), entity.qid if status == SAME else "", status, ())
            if status == MISSING:
                self.write(pid, format_item(entity.qid), (), ())

    def figures(self) -> None:
        # Several figures of one side and kind, with no party or claimant to tell them apart, are parts of the
        # side (a total and its components, "of whom 3,000 Afghan mujahideen"): whose each is cannot be said.
        keys = Counter(_figure_key(f) for f in self.c.figures)
        for figure in self.c.figures:
            side = f", side {figure.side}" if figure.side else ""
            if figure.kind == "strength":
                self.figure(figure, "participants", f"participants{side}", keys[_figure_key(figure)])
            elif figure.category in self.s.death_categories:
                label = "civilian deaths" if figure.category.startswith("Civilian") else "deaths"
                self.figure(figure, "deaths", f"{label}{side}", keys[_figure_key(figure)])

    def figure(self, figure: Figure, name: str, fact: str, alike: int) -> None:
        pid = self.s.pids[name]
        ours = _figure_text(figure)
        reason, parties = self._whose(figure, alike)
        if reason:
            self.row(fact, pid, ours, "", SKIPPED, figure.sources, reason)
            return
        of = self.s.qualifiers["of"]
        matching = [st for st in self.by_prop.get(pid, []) if st.value.low is not None
                    and (st.qualifier_items(of) | st.qualifier_items(self.s.qualifiers["applies_to_part"]))
                    == frozenset(parties)]
        same = [st for st in matching if (st.value.low, st.value.high) == (figure.low, figure.high)]
        status = SAME if same else DIFFERS if matching else MISSING
        theirs = ", ".join(str(st.value) for st in (same or matching))
        note = f"of {', '.join(sorted(parties))}" + (f"; claimed by {figure.claimant}" if figure.claimant else "")
        self.row(fact, pid, ours, theirs, status, figure.sources, note)
        if status != SAME:
            qualifiers = tuple((of, format_item(q)) for q in sorted(parties))
            if figure.category.startswith("Civilian") and self.s.civilian_part:
                qualifiers += ((self.s.qualifiers["applies_to_part"], format_item(self.s.civilian_part)),)
            if figure.claimant:
                qualifiers += ((self.s.qualifiers["stated_as"], format_string(figure.claimant)),)
            self.write(pid, format_quantity(figure.low or 0, figure.high or 0), qualifiers, figure.sources)

    # ------------------------------------------------------------ helpers

    def _whose(self, figure: Figure, alike: int) -> tuple[str, list[str]]:
        """(why it cannot be written, or "") and the QIDs of the parties the figure is of."""
        if figure.low is None or figure.high is None:
            return "an open range (at least / at most)" if figure.low or figure.high else "no number", []
        if figure.unit:
            return f"counts {figure.unit}, not people", []
        if figure.side is None:
            # a figure of a table or the text, not of the infobox's sides: often a moment's count, not the war's
            return "not a figure of a side of the infobox", []
        if figure.category.startswith("Civilian") and not self.s.civilian_part:
            return "civilians: no applies-to-part item configured (civilian_part)", []
        if alike > 1 and not figure.claimant:
            whose = figure.agent.label if figure.agent else f"side {figure.side}"
            return f"one of {alike} such figures of {whose}: which part of it each counts is not known", []
        if figure.agent is not None:
            if not figure.agent.qid:
                return f"its party {figure.agent.label} is not reconciled", []
            return "", [figure.agent.qid]
        parties = {r.entity.qid for r in self.c.roles if r.kind == "belligerent" and r.side == figure.side}
        known = sorted(q for q in parties if q)
        if not known:
            return f"no party of side {figure.side} is reconciled", []
        return "", known

    def _role_qualifier(self, role: Role) -> tuple[tuple[str, str], ...]:
        value = self.s.roles.get(role.kind)
        return ((self.s.qualifiers["role"], format_item(value)),) if value else ()

    def row(self, fact: str, pid: str, ours: str, theirs: str, status: str, sources: tuple[Source, ...],
            note: str = "") -> None:
        cited = "; ".join(str(s) for s in sources) or f"{self.c.lang}.wikipedia: {self.c.title}"
        self.result.rows.append(DiffRow(self.c.label, self.qid, fact, pid, ours, theirs, status, cited, note))

    def write(self, pid: str, value: str, qualifiers: tuple[tuple[str, str], ...],
              sources: tuple[Source, ...]) -> None:
        self.result.statements.append(QuickStatement(self.qid, pid, value, qualifiers, self._references(sources)))

    def _references(self, sources: tuple[Source, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
        refs = self.s.references
        wiki = self.s.wikipedias.get(self.c.lang)
        imported = ((("S" + refs["imported_from"][1:], wiki),) if wiki else ()) + \
            (("S" + refs["import_url"][1:], format_string(self.c.import_url())),)
        references = [imported]
        for source in sources:
            if source.qid:  # the article's own source, where the work is reconciled
                cited = (("S" + refs["stated_in"][1:], source.qid),)
                if source.url:
                    cited += (("S" + refs["reference_url"][1:], format_string(source.url)),)
                if cited not in references:
                    references.append(cited)
        return tuple(references)


def _same_time(ours: Time, theirs: Time) -> bool:
    precision = min(ours.precision, theirs.precision)
    return ours.precision == theirs.precision and ours.at(precision) == theirs.at(precision)


def _named(entity: Entity) -> str:
    return f"{entity.label} ({entity.qid})" if entity.qid else entity.label


def _figure_key(figure: Figure) -> tuple:
    return (figure.kind, figure.category, figure.side, figure.agent.iri if figure.agent else None, figure.claimant,
            figure.unit)


def _figure_text(figure: Figure) -> str:
    low = figure.low if figure.low is not None else figure.high
    return figure_text(low, figure.high) if low is not None else (figure.text or "")
