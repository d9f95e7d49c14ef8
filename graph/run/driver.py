"""The driver of a many-page run: results in input order → graph names, checked N-Quads, progress, diagnostics.

It is the only part that sees every page, so it keeps only what must be known across pages: the graph names
given to .wiki inputs (two inputs with one title are kept apart) and each page's provenance record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass, field

from graph.rdf.iri import graph_iri
from graph.rdf.provenance import InputRecord, article_provenance
from graph.rdf.stream import checked
from graph.run.page import PageResult
from graph.run.redirects import resolve
from graph.run.runners import Results
from graph.wikitext.diagnostics import Diagnostic
from graph.wikitext.dump import Revision


@dataclass
class RunSummary:
    """What a run did, counted as it goes: pages, failures, triples, diagnostics, and the inputs' records."""

    pages: int = 0
    skipped: int = 0
    conflicts: int = 0
    failed: int = 0
    triples: int = 0
    warnings: int = 0
    errors: int = 0
    seconds: float = 0.0
    last_page: str = ""
    inputs: list[InputRecord] = field(default_factory=list)
    redirects: Mapping[str, str] = field(default_factory=dict)  # entity IRI of a redirect → its target's
    merged: set[str] = field(default_factory=set)  # the redirects some page linked to

    def as_manifest(self) -> dict:
        return {"pages": self.pages, "pages_without_infobox": self.skipped,
                "merged_titles": len(self.merged), "conflicts": self.conflicts, "failed_pages": self.failed,
                "triples": self.triples,
                "warnings": self.warnings, "errors": self.errors, "seconds": round(self.seconds, 2),
                "last_page": self.last_page}


class GraphNames:
    """The named graph of each page: its article's graph IRI (graph.rdf.iri.graph_iri); for a second .wiki input
    holding an article of the same title ("Battle of Kosovo", 1389 and 1448), that IRI with ``#input-N`` and a
    warning. A dump's titles are unique, so its pages are not remembered (memory stays flat over millions of
    pages)."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def of(self, result: PageResult) -> tuple[str, Diagnostic | None]:
        graph = graph_iri(result.lang, result.title)
        if "#page=" in result.name:
            return graph, None
        self.used[graph] = self.used.get(graph, 0) + 1
        if self.used[graph] == 1:
            return graph, None
        unique = f"{graph}#input-{self.used[graph]}"
        return unique, Diagnostic(result.name, 1, 1, "warning", "same-article",
                                  f"an earlier input also holds [[{result.title}]]: this one is kept apart, in "
                                  f"graph <{unique}>")


Tell = Callable[[list[Diagnostic], str | None], None]


def drive(results: Results, write: Callable[..., None], end_unit: Callable[[int, int, list, int], None],
          tell: Tell, progress=None, summary: RunSummary | None = None) -> RunSummary:
    """Write every page's triples in order (``write(ntriples, graph, parsed)``: the writer puts them in that named
    graph; ``parsed``, when not None, holds the triples of the first lines, as the page's check parsed them);
    ``tell`` each page's diagnostics as they come; count what happened in
    ``summary`` (filled as the run goes, so that a stopped run can still say how far it got)."""
    summary = summary if summary is not None else RunSummary()
    names, started = GraphNames(), time.perf_counter()
    try:
        for unit, pages in results:
            before, triples = len(summary.inputs), summary.triples
            for result in pages:
                take_page(result, names, write, tell, summary)
            end_unit(unit.number, len(pages), summary.inputs[before:], summary.triples - triples)
            if progress is not None:
                progress.advance(unit, len(pages))
    finally:
        summary.seconds = time.perf_counter() - started
    return summary


def take_page(result: PageResult, names: GraphNames, write: Callable[..., None],
              tell: Tell, summary: RunSummary) -> str | None:
    """One page's quads written and its diagnostics told; its graph, or None if it failed."""
    if result.skipped:
        summary.skipped += 1
        return None
    summary.pages += 1
    summary.last_page = result.name
    diagnostics, graph = list(result.diagnostics), None
    if result.article_iri is None:
        summary.failed += 1
    else:
        graph, warning = names.of(result)
        diagnostics += [warning] if warning else []
        ntriples = result.ntriples
        if summary.redirects and result.article_iri and result.title \
                and not summary.redirects.get(page_entity(result)):
            ntriples = resolve(ntriples, summary.redirects, summary.merged)  # not in a redirect page itself
        record = InputRecord(result.name, result.sha256, graph, result.title, result.lang,
                             *astuple(result.revision or Revision()))
        # the page's triples were checked where they were made (graph.run.page_worker); what is added here — its
        # graph's name, its provenance, the targets of redirects — is checked here
        parsed = result.parsed if ntriples is result.ntriples else None  # lines a redirect changed are parsed anew
        write(ntriples + checked(described(record, result.triples)), checked_iri(graph), parsed)
        summary.triples += result.triples
        summary.conflicts += result.conflicts
        summary.inputs.append(record)
    summary.warnings += sum(d.severity == "warning" for d in diagnostics)
    summary.errors += sum(d.severity == "error" for d in diagnostics)
    tell(diagnostics, result.title or None)
    return graph


def checked_iri(iri: str) -> str:
    import pyoxigraph as ox

    ox.NamedNode(iri)  # raises ValueError for what is not an IRI
    return iri


def described(record: InputRecord, triples: int) -> bytes:
    """The provenance of the page's graph, as N-Triples to write into that graph (replaced when it is reloaded)."""
    import pyoxigraph as ox

    return ox.serialize(article_provenance(record, triples).sorted(), format=ox.RdfFormat.N_TRIPLES)


def page_entity(result: PageResult) -> str:
    from graph.extract.entities import normalise_title
    from graph.rdf.iri import entity_iri

    return entity_iri(result.lang, normalise_title(result.title, result.lang))
