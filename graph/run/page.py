"""The one per-page function every runner calls: a page's text → its triples (N-Triples), diagnostics, record.

It returns plain data (bytes, dataclasses) so that a result crosses a process or the network unchanged, and it
never raises: a page that fails is a diagnostic with its name, and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.wikitext.diagnostics import Diagnostic
from graph.wikitext.read import Source


@dataclass(frozen=True)
class BuildOptions:
    lang: str | None = None  # the site language given on the command line; else the dump's, else detected
    title: str | None = None
    body: bool = True


@dataclass
class PageResult:
    name: str
    ntriples: bytes = b""  # the page's triples, sorted: the same bytes whichever worker made them
    triples: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    article_iri: str | None = None  # None: the page failed
    title: str = ""
    lang: str = ""
    sha256: str = ""


def build_page(source: Source, lang: str | None, options: BuildOptions) -> PageResult:
    from graph.pipeline import build
    from graph.rdf.iri import wikipedia_iri

    try:
        result = build(source, lang=options.lang or lang, title=options.title or source.title, body=options.body)
        triples = result.sink.sorted()
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    except Exception as e:  # noqa: BLE001 - one bad page must not lose the others: report it, go on
        return PageResult(source.name, diagnostics=[Diagnostic(
            source.name, 1, 1, "error", "internal-error",
            f"page skipped, please report this bug: {type(e).__name__}: {e}")], sha256=source.sha256)
    article = result.article
    return PageResult(source.name, data, len(triples), list(article.diagnostics),
                      wikipedia_iri(article.lang, article.title), article.title, article.lang, source.sha256)
