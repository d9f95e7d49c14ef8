"""One graph across articles: a link to a redirect is a link to its target.

Wikipedia links to "Churchill" and to "Winston Churchill" are links to one person; the dump says so with its
redirect pages. A first, cheap pass over the dumps (no wikitext parse: a redirect is in the page's
``<redirect>`` element or its first line; a multistream dump's streams are read on every core) maps each
redirect's entity IRI to its target's; the driver then rewrites the entity IRIs of every page as it writes it.
Chains are followed (a few hops, as MediaWiki does not); a title that folds to itself (a zh script variant) is
already one node.
"""

from __future__ import annotations

import os
import re
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.data.regex_cache import regex
from graph.errors import InputError
from graph.extract.entities import normalise_title
from graph.rdf.iri import RESOURCE, entity_iri
from graph.wikitext.dump import REDIRECT_IN_TEXT, DumpInfo, DumpPage, ReadPosition, is_dump, read_dump

if TYPE_CHECKING:  # what a run over dumps needs, imported when it runs: a one-article run reads none (3 ms)
    import sqlite3

    from graph.wikitext.multistream import Stream

# an IRI term of an N-Triples line (at its start or after a space, followed by a space), not text in a literal.
# The pattern opens with its literal and looks behind after it: the engine then jumps from one '<' to the next
# instead of trying the lookbehinds at every byte (12x faster on a page's triples).
TERM_START = rb"<(?:(?<=^<)|(?<= <))"
RESOURCE_IRI = regex(TERM_START + rb"(" + re.escape(RESOURCE.encode()) + rb"[^>]*)>(?= )", re.MULTILINE)
MAX_HOPS = 5


Advance = Callable[[int], None]  # told how many more bytes of a dump (as stored) were read


def collect_redirects(inputs: Iterable[str], lang: str | None = None, jobs: int = 1,
                      advance: Advance | None = None) -> RedirectTable:
    """Entity IRI of each redirect of the dumps among ``inputs`` → the entity IRI of its final target.

    A multistream dump is scanned stream by stream on ``jobs`` processes (the pass decompresses and reads the
    whole dump: on one core it would take as long as the build on all of them); a plain dump in this process.
    ``advance`` follows the bytes read (a progress bar: on a whole Wikipedia the pass takes a while). The pairs go
    to a table on disk as they are found: enwiki's eleven million redirects would take gigabytes as a dict."""
    from graph.wikitext.multistream import find_index, read_site_info

    table = RedirectTable()
    advance = advance or (lambda n: None)
    for name in inputs:
        if name == "-" or not is_dump(name):
            continue
        index = find_index(name)
        if index:
            info = read_site_info(name)
            batches = multistream_redirects(name, index, info, jobs, advance)
        else:
            position = ReadPosition()
            info, pages = read_dump(name, position=position)
            batches = plain_redirects(pages, position, advance)
        site = lang or info.lang
        for pairs in batches:
            if site is not None:
                table.add(site, pairs)
    table.follow_chains()
    return table


def plain_redirects(pages: Iterable[DumpPage], position: ReadPosition, advance: Advance
                    ) -> Iterator[list[tuple[str, str]]]:
    """A plain dump's (redirect title, target title) pairs, a batch every 10,000 pages, read from the start."""
    told, batch = 0, []
    try:
        for n, page in enumerate(pages, start=1):
            target = page.redirect or redirect_in_text(page.text)
            if target:
                batch.append((page.title, target))
            if n % 10_000 == 0:
                yield batch
                batch = []
                told = tell(position, told, advance)
    except InputError:
        pass  # a damaged dump: the redirects before the damage serve; the build reports the damage
    yield batch
    tell(position, told, advance)


def tell(position: ReadPosition, told: int, advance: Advance) -> int:
    now = position.tell()
    advance(now - told)
    return now


def redirects_of_pages(pages: Iterable[DumpPage]) -> list[tuple[str, str]]:
    """The (title, target) of each redirect among ``pages`` (a stream's)."""
    found = []
    try:
        for page in pages:
            target = page.redirect or redirect_in_text(page.text)
            if target:
                found.append((page.title, target))
    except InputError:
        pass  # a damaged stream: the redirects before the damage serve; the build reports the damage
    return found


STREAMS_PER_TASK = 50  # about 5,000 pages: a task long enough to pay for sending it


def multistream_redirects(name: str, index: str, info: DumpInfo, jobs: int, advance: Advance
                          ) -> Iterator[list[tuple[str, str]]]:
    """A multistream dump's redirect pairs, a batch per task of streams, each stream read from its offset; with
    ``jobs`` > 1 and more than one task's worth of streams, on a process pool."""
    from graph.wikitext.multistream import read_index

    size = os.path.getsize(name)
    streams = list(read_index(index))
    tasks = [streams[i:i + STREAMS_PER_TASK] for i in range(0, len(streams), STREAMS_PER_TASK)]
    sizes = [sum((s.end or size) - s.start for s in task) for task in tasks]
    advance(streams[0].start if streams else size)  # the head stream (<siteinfo>), read by read_site_info
    if jobs <= 1 or len(tasks) <= 1:
        for task, task_size in zip(tasks, sizes, strict=True):
            yield streams_redirects(name, task, info)
            advance(task_size)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=multiprocessing.get_context("spawn")) as pool:
        done = pool.map(streams_redirects, [name] * len(tasks), tasks, [info] * len(tasks))
        for pairs, task_size in zip(done, sizes, strict=True):
            yield pairs
            advance(task_size)


def streams_redirects(name: str, streams: list[Stream], info: DumpInfo) -> list[tuple[str, str]]:
    """The redirect pairs of some streams of a multistream dump (a worker's task)."""
    from graph.wikitext.multistream import read_stream

    return [pair for stream in streams for pair in redirects_of_pages(read_stream(name, stream, info))]


def redirect_in_text(text: str) -> str | None:
    m = REDIRECT_IN_TEXT.match(text)
    return m.group(1).strip() if m else None


class RedirectTable(Mapping[str, str]):
    """Redirect entity IRI → its final target's, in a SQLite file of its own (deleted with the table): memory stays
    flat whatever the number of redirects. A page's IRIs are looked up together (``targets``)."""

    def __init__(self) -> None:
        import sqlite3

        self._folder = tempfile.TemporaryDirectory(prefix="wikikg-redirects-")
        self._db = sqlite3.connect(os.path.join(self._folder.name, "redirects.sqlite"), check_same_thread=False)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                               "CREATE TABLE r (source TEXT PRIMARY KEY, target TEXT NOT NULL) WITHOUT ROWID")
        self._size: int | None = None  # counted once the table is complete: len() is asked of every page
        weakref.finalize(self, self._close, self._db, self._folder)

    @staticmethod
    def _close(db: sqlite3.Connection, folder: tempfile.TemporaryDirectory) -> None:
        db.close()
        folder.cleanup()

    def add(self, site: str, pairs: Iterable[tuple[str, str]]) -> None:
        """(redirect title, target title) pairs of a site; a later pair for the same redirect wins."""
        rows = ((entity_iri(site, normalise_title(title, site)), entity_iri(site, normalise_title(target, site)))
                for title, target in pairs)
        self._db.executemany("INSERT OR REPLACE INTO r VALUES (?, ?)", (row for row in rows if row[0] != row[1]))

    def follow_chains(self) -> None:
        """Each redirect to a redirect points on to that one's target (a few hops: MediaWiki follows none)."""
        for _ in range(MAX_HOPS):
            changed = self._db.execute("UPDATE r SET target = (SELECT n.target FROM r AS n WHERE n.source = r.target)"
                                       " WHERE target IN (SELECT source FROM r)").rowcount
            if not changed:
                break
        # a loop of redirects (or a chain longer than the hops) leads to no page: those links stay as they are
        self._db.executescript("CREATE TEMP TABLE dead AS SELECT source FROM r WHERE source = target"
                               " OR target IN (SELECT source FROM r);"
                               "DELETE FROM r WHERE source IN (SELECT source FROM dead); DROP TABLE dead")
        self._db.commit()
        self._size = self._db.execute("SELECT COUNT(*) FROM r").fetchone()[0]

    def targets(self, iris: Iterable[str]) -> dict[str, str]:
        """The targets of those of ``iris`` that are redirects."""
        iris, found = list(iris), {}
        for i in range(0, len(iris), 500):
            chunk = iris[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT source, target FROM r WHERE source IN ({marks})", chunk).fetchall())
        return found

    def __getitem__(self, iri: str) -> str:
        row = self._db.execute("SELECT target FROM r WHERE source = ?", (iri,)).fetchone()
        if row is None:
            raise KeyError(iri)
        return row[0]

    def __iter__(self) -> Iterator[str]:
        return (source for (source,) in self._db.execute("SELECT source FROM r ORDER BY source").fetchall())

    def __len__(self) -> int:
        if self._size is None:
            return self._db.execute("SELECT COUNT(*) FROM r").fetchone()[0]
        return self._size


def resolve(ntriples: bytes, redirects: Mapping[str, str], merged: set[str]) -> bytes:
    """The page's triples with every redirect's entity IRI replaced by its target's; ``merged`` collects the
    redirects that were met."""
    if not redirects:
        return ntriples

    # the page's resource IRIs found in C, looked up together; a Python call only for each place a redirect is met
    found = targets_of(redirects, {iri.decode("utf-8") for iri in RESOURCE_IRI.findall(ntriples)})
    if not found:
        return ntriples
    merged.update(found)
    met = {iri.encode("utf-8") for iri in found}
    for target in found.values():
        ox.NamedNode(target)  # a target written into checked triples is checked too (ValueError if not an IRI)
    targets = {iri.encode("utf-8"): b"<" + target.encode("utf-8") + b">" for iri, target in found.items()}
    these = re.compile(TERM_START + rb"(" + b"|".join(map(re.escape, sorted(met))) + rb")>(?= )", re.MULTILINE)
    return these.sub(lambda m: targets[m.group(1)], ntriples)


def targets_of(redirects: Mapping[str, str], iris: set[str]) -> dict[str, str]:
    if isinstance(redirects, RedirectTable):
        return redirects.targets(iris)
    return {iri: redirects[iri] for iri in iris if iri in redirects}
