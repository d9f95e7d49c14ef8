"""The one per-page function every runner calls: a page's text → its triples (N-Triples), diagnostics, record.

It returns plain data (bytes, dataclasses) so that a result crosses a process or the network unchanged, and it
never raises: a page that fails, runs past its time limit or crashes its reader is a diagnostic with its name,
and the run goes on. The page is read in a worker process of this process (graph.run.page_worker), which is
what makes the time limit hold; a page above the size limit is cut to its infobox first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from graph.run import watch
from graph.run.limits import MAX_PAGE_SIZE, PAGE_TIMEOUT
from graph.run.page_worker import Built, Job, PageWorker, Skipped, label, outcome, reader_died, run, timed_out
from graph.wikitext.diagnostics import Diagnostic
from graph.wikitext.dump import Revision
from graph.wikitext.read import Source


@dataclass(frozen=True)
class BuildOptions:
    """The run's options that reach each page: language, title, body or infobox only, the limits."""

    lang: str | None = None  # the site language given on the command line; else the dump's, else detected
    title: str | None = None
    body: bool = True
    page_timeout: float = PAGE_TIMEOUT
    max_page_size: int = MAX_PAGE_SIZE
    all_pages: bool = False  # a dump's pages without a mapped infobox too (their page node and links)
    redirects: bool = True  # a link to a redirect is a link to its target (dumps)

    def identity(self) -> dict:
        """What changes the output (a resumed run must have the same); the time limit only decides what fails."""
        return {"lang": self.lang, "title": self.title, "body": self.body, "max_page_size": self.max_page_size,
                "all_pages": self.all_pages, "redirects": self.redirects}


@dataclass
class PageResult:
    """What one page gives the driver: its triples as N-Triples, its diagnostics and its record."""

    name: str
    ntriples: bytes = b""  # the page's triples, sorted: the same bytes whichever worker made them
    triples: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    article_iri: str | None = None  # None: the page failed
    title: str = ""
    lang: str = ""
    sha256: str = ""
    conflicts: int = 0
    skipped: bool = False  # a dump page the scan found no mapped infobox in: not parsed, not written
    revision: Revision | None = None  # a dump page's page id, revision id and timestamp
    parsed: list | None = None  # the triples of ``ntriples``'s lines, in order, when this process checked them


_workers: dict[float, PageWorker] = {}  # one per process (and time limit): started once, replaced when killed


def page_worker(timeout: float) -> PageWorker:
    if timeout not in _workers:
        _workers[timeout] = PageWorker(timeout)
    return _workers[timeout]


def stop_page_workers() -> None:
    for worker in _workers.values():
        worker.stop()
    _workers.clear()


def build_page(source: Source, lang: str | None, options: BuildOptions) -> PageResult:
    from graph.rdf.iri import wikipedia_iri

    source, too_large = within_size(source, options.max_page_size)
    outcome = read(Job(source, options.lang or lang, options.title or source.title,
                       body=options.body and not too_large), options.page_timeout)
    if isinstance(outcome, Skipped):
        return PageResult(source.name, diagnostics=[*too_large, outcome.diagnostic], title=source.title or "",
                          sha256=source.sha256)
    return PageResult(source.name, outcome.ntriples, outcome.triples, [*too_large, *outcome.diagnostics],
                      wikipedia_iri(outcome.lang, outcome.title), outcome.title, outcome.lang, source.sha256,
                      outcome.conflicts, revision=source.revision, parsed=outcome.parsed)


def read(job: Job, timeout: float) -> Built | Skipped:
    """The page read where this run reads pages: in a worker process (the page's time limit kills it); in this
    process when it is the one article of a watched run (graph.run.watch: its parent holds the limit); not at all
    when that parent lost its child with the page (it says how)."""
    if watch.watched():
        watch.page_started()
        kind, value = run(job, keep_parsed=True)
        watch.page_ended()
        return outcome(job, kind, value)
    lost = watch.lost_page()
    if lost is not None:
        return timed_out(job, lost.timeout) if lost.timeout is not None else reader_died(job, lost.status)
    return page_worker(timeout).build(job)


def within_size(source: Source, limit: int) -> tuple[Source, list[Diagnostic]]:
    """A page of more than ``limit`` bytes is cut to its lines in the first ``limit`` bytes, to read its infobox
    (at the top) only: the facts that matter most, and no section or timeline read half. Its cost is then that of
    a page of ``limit`` bytes, however large it was (a 50 MB page took minutes)."""
    if len(source.text) * 4 <= limit:  # UTF-8 takes at most 4 bytes a character: no need to count them
        return source, []
    data = source.text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return source, []
    head = data[:limit].decode("utf-8", "ignore")  # "ignore": a character cut in two at the limit is dropped
    head = head[:head.rfind("\n") + 1] or head
    warning = Diagnostic(source.name, 1, 1, "warning", "page-too-large",
                         f"{label(source)} has {len(data):,} bytes of wikitext, more than --max-page-size ({limit:,}): "
                         f"only the infobox in its first {len(head.encode('utf-8', 'surrogatepass')):,} bytes is "
                         "read (a source it cites that is defined further on is unresolved)")
    return replace(source, text=head), [warning]
