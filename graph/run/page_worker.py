"""Every page is read in a worker process, so that a page still being read at the time limit
(``--page-timeout``) can be stopped, and the run go on with the next page.

Why a process: a thread cannot be stopped from outside, and SIGALRM works in the main thread only and raises
its exception at whatever line is running, which may leave a cache of the extract stage half-built for the pages
after. A killed process leaves nothing behind; a fresh one, forked from this one, takes the next page. A worker
that dies (a crash in C code, the out-of-memory killer) likewise costs its own page only. One worker reads one
page at a time, so the output is the same as a build in this process, byte for byte.

A one-article run of the command reads its page in its own process instead, watched from a parent forked before
the work (graph.run.watch): the same limit and the same messages, without copying a warm process.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.errors import WikikgError
from graph.rdf.terms import TripleSink
from graph.wikitext.diagnostics import Diagnostic
from graph.wikitext.read import Source, source_from_text

if TYPE_CHECKING:  # multiprocessing is imported when a worker starts: a one-article run has none (5 ms)
    import multiprocessing
    from multiprocessing.connection import Connection

# One small page per language the data files treat apart: reading them loads the mappings, vocabularies and
# script converters once, before the worker is forked, so that no page's time limit pays for it.
WARM_UP = {"en": "{{Infobox military conflict\n|conflict=Battle of Warmford\n|date=1 May 1460\n"
                 "|commander1=[[Richard of York]]\n}}\nThe '''Battle of Warmford''' took place in 1460.\n",
           "zh": "{{Infobox military conflict\n|conflict=暖场之战\n|date=1460年5月1日\n|commander1=[[约克]]\n}}\n"
                 "'''暖场之战'''发生于1460年。\n"}


@dataclass(frozen=True)
class Job:
    """One page for the worker to read, with the options of the run that change its reading."""

    source: Source
    lang: str | None
    title: str | None
    body: bool


@dataclass(frozen=True)
class Built:
    """What the build of one page sends back: its article's title, language and diagnostics, and its triples."""

    title: str
    lang: str
    diagnostics: list[Diagnostic]
    ntriples: bytes  # sorted; N-Triples pass between processes several times faster than pickled ox.Triple objects
    triples: int = 0
    conflicts: int = 0  # conflicts the page's infoboxes describe
    # a page read in the process that writes it (graph.run.watch): the triples of its lines, in order, as its check
    # parsed them, so that the writer need not parse them again (never sent between processes)
    parsed: list[ox.Triple] | None = field(default=None, compare=False, repr=False)

    def sink(self) -> TripleSink:
        sink = TripleSink()
        sink.update(q.triple for q in ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES))
        return sink


@dataclass(frozen=True)
class Skipped:
    """A page not read: the diagnostic that says why."""

    diagnostic: Diagnostic


class PageWorker:
    """Builds pages one at a time in a child process, each within ``timeout`` seconds."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.process: multiprocessing.Process | None = None
        self.conn: Connection | None = None

    def __enter__(self) -> PageWorker:
        self.start()  # now, before a progress bar starts its thread: see start_method
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def build(self, job: Job) -> Built | Skipped:
        if self.process is None:
            self.start()
        try:
            self.conn.send(job)
            if not self.conn.poll(self.timeout):
                self.stop()
                return timed_out(job, self.timeout)
            kind, value = self.conn.recv()
        except (EOFError, OSError):  # the worker died: a crash in C code, the out-of-memory killer
            return reader_died(job, self.stop())
        return outcome(job, kind, value)

    def start(self) -> None:
        context = start_method()
        if context.get_start_method() == "fork":
            warm_up()  # here, so that every worker forked from this process starts warm
        self.conn, child = context.Pipe()
        self.process = context.Process(target=serve, args=(child, self.conn), name="wikikg-page", daemon=True)
        self.process.start()
        child.close()  # each end in one process only: when either dies, the other gets EOF, not a hang
        try:
            self.conn.recv()  # "ready": its start-up and warm-up are not counted in the first page's time
        except EOFError:
            status = self.stop()
            raise WikikgError(f"the process that reads pages did not start (exit status {status})") from None

    def stop(self) -> int | None:
        """End the worker (killed: it holds nothing of value); its exit status."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        self.conn.close()
        if process.is_alive():
            process.kill()
        process.join()
        return process.exitcode


def start_method() -> multiprocessing.context.BaseContext:
    """fork on Linux (a worker starts in milliseconds, with the modules already imported and warm), unless other
    threads run (a fork copies only the calling thread, and a lock another one held stays locked in the child;
    tqdm's progress bar on a terminal has one); else the platform's default (spawn on macOS and Windows, where
    a worker starts in about a second)."""
    import multiprocessing

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def serve(conn: Connection, parent_end: Connection) -> None:
    """The worker: read each job's page, send back what it built, until the parent closes the pipe or is gone."""
    import multiprocessing
    from multiprocessing.connection import wait

    parent_end.close()  # a fork copies it: open here, the worker's sends would fill it when the parent is gone
    die_with_parent()
    # Ctrl-C reaches the whole process group: the parent handles it and stops the worker; SIGTERM and SIGHUP,
    # which the parent turns into Ctrl-C, end the worker as they would any process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    warm_up()
    parent = multiprocessing.parent_process()
    collect_between_pages()
    try:
        conn.send(("ready", None))
        pages = 0
        while parent is None or parent.sentinel not in wait([conn, parent.sentinel]):
            conn.send(run(conn.recv()))
            pages += 1
            if pages % COLLECT_EVERY == 0:
                gc.collect()
    except (EOFError, OSError):  # the parent closed the pipe or is gone: nobody to read for
        return


COLLECT_EVERY = 100  # pages read between two runs of the cycle collector in a worker


def collect_between_pages() -> None:
    """The cycle collector runs between pages, not while one is read: every COLLECT_EVERY pages. Reading a page
    makes no garbage cycles (tests/test_watch.py), so its walks over the page's objects, again and again as they
    are made, were pure cost (10-15% of a page); a rare cycle still goes at the next collection. What the warm-up
    loaded (modules, data files, tables) is set apart first (``gc.freeze``): it lives as long as the worker, and a
    collection does not walk it again."""
    gc.collect()
    gc.freeze()
    gc.disable()


def die_with_parent() -> None:
    """On Linux the kernel kills the worker when the build process dies, however it dies (SIGKILL, the
    out-of-memory killer): no orphan goes on reading a page that may take hours. Elsewhere the worker notices
    between pages."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import multiprocessing

    pr_set_pdeathsig = 1  # <linux/prctl.h>
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():  # gone before prctl: no signal will come
        os._exit(0)


def run(job: Job, keep_parsed: bool = False) -> tuple[str, Built | str]:
    """Build the job's page; ``keep_parsed``: its checked triples are kept in the result too (a page read in the
    process that writes it)."""
    from graph.pipeline import build

    try:
        result = build(job.source, lang=job.lang, title=job.title, body=job.body)
    except Exception as e:  # one bad page must not lose the others: the parent reports it and goes on
        return "failed", f"{type(e).__name__}: {e}"
    article = result.article
    ntriples = result.sink.ntriples()  # sorted: the same bytes whichever process built the page
    try:
        parsed = parsed_ntriples(ntriples) if keep_parsed else checked_ntriples(ntriples)
    except SyntaxError as e:  # never written: the page is reported, the run goes on
        return "failed", f"its triples do not parse as N-Triples: {e}"
    return "built", Built(article.title, article.lang, article.diagnostics, ntriples, len(result.sink),
                          len(article.conflicts), parsed)


def checked_ntriples(ntriples: bytes) -> None:
    """Parse the page's triples with pyoxigraph (strict), here where they are made: on every core, not in the
    process that writes every page (the driver only adds its graph's name and provenance, both checked there)."""
    for _ in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        pass


def parsed_ntriples(ntriples: bytes) -> list[ox.Triple]:
    """The same check, keeping what it parsed: a triple per line, in the lines' order."""
    return [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


@cache  # once per process: a worker forked from a warm one is warm
def warm_up() -> None:
    from graph.pipeline import build

    for lang, text in WARM_UP.items():
        build(source_from_text("warm-up", text), lang=lang)


def outcome(job: Job, kind: str, value: Built | str) -> Built | Skipped:
    """What :func:`run` gave, as the run takes it: the page built, or skipped with why."""
    if kind == "failed":
        return skipped(job, "internal-error", f"page skipped, please report this bug: {value}")
    return value


def timed_out(job: Job, timeout: float) -> Skipped:
    return skipped(job, "page-timeout", f"stopped reading {label(job.source)} after {timeout:g} s (--page-timeout): "
                   "page skipped")


def reader_died(job: Job, status: int | None) -> Skipped:
    """A crash in C code, the out-of-memory killer: ``status`` is the exit status (-N: killed by signal N)."""
    return skipped(job, "internal-error", f"page skipped, please report this bug: the process reading "
                   f"{label(job.source)} stopped (exit status {status})")


def skipped(job: Job, code: str, message: str) -> Skipped:
    return Skipped(Diagnostic(job.source.name, 1, 1, "error", code, message))


def label(source: Source) -> str:
    """The page as a message names it: its title when the input says it (a dump), else "the page" (the file
    name starts the line)."""
    return f"[[{source.title}]]" if source.title else "the page"
