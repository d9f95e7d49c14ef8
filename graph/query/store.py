"""Loading into a triple store through the SPARQL 1.1 Graph Store Protocol, one named graph per article.

Reloading an article replaces its graph (PUT), ``--append`` adds to it (POST), and articles can be dropped
one by one (``DELETE`` on the graph's URL). The files come from graph.query.sources (which says what is read
when); the Loader sends them one file at a time and keeps, whatever the size of the load, counts and the first
ten graphs by name, never a list of every graph: a whole Wikipedia is millions.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from graph.errors import InputError
from graph.query.endpoint import USER_AGENT, EndpointError, read_error_body
from graph.query.progress import Done, Key, ProgressRecord
from graph.query.sources import Piece, Source, graphs_of, sources_of

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["LoadStopped", "Loaded", "Loader", "graphs_of", "load_to_store", "send"]

LIST_AT_MOST = 10  # graphs a report names; more are counted


@dataclass(frozen=True)
class Loaded:
    graph: str
    triples: int


@dataclass
class Tally:
    """What a load has done: counts, and the first graphs by name (a report names ten, whatever the size)."""

    sent: int = 0
    triples: int = 0
    skipped: int = 0  # graphs the progress record says a stopped load sent
    first: list[str] = field(default_factory=list)

    def name(self, graph: str) -> None:
        if len(self.first) < LIST_AT_MOST:
            self.first.append(graph)


@dataclass
class Left:
    """What a stopped load did not send: the first graphs by name, how many graphs are known to be left, and the
    files not read yet whose graphs are not counted (a folder without a manifest)."""

    first: list[str] = field(default_factory=list)
    graphs: int = 0
    unread: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.graphs or self.unread)


class LoadStopped(EndpointError):
    """A load that stopped midway (a request failed, a file did not parse, or Ctrl-C). ``at``: the graph whose
    request failed or was cut (the store may or may not have applied it), else None; ``file``: the file being
    read; ``done``: the graphs the store has from this load and the stopped ones before it."""

    def __init__(self, reason: str, at: str | None, file: str, tally: Tally, done: int, left: Left,
                 exit_status: int = 1) -> None:
        super().__init__(reason)
        self.reason, self.at, self.file, self.tally, self.done, self.left = reason, at, file, tally, done, left
        self.exit_status = exit_status


class Watcher(Protocol):
    """Hears of the load as it goes (the command line prints it)."""

    def graph_loaded(self, source: Source, graph: str, triples: int) -> None: ...

    def file_loaded(self, source: Source, sent: int, triples: int, skipped: int) -> None: ...


@dataclass
class Reading:
    """The file a load is at."""

    index: int
    source: Source
    reader: Iterator[Piece] | None = None
    in_flight: str | None = None  # a graph whose request (or one of its parts) has not been answered yet
    handled: int = 0  # its graphs sent or skipped so far
    skipped: int = 0
    sent: int = 0
    triples: int = 0


class Loader:
    """Sends the graphs of a load's files in order, one request per graph (a big one of a build's folder in parts),
    skipping what ``done`` holds and adding what the store took to ``record``; reads one file at a time."""

    def __init__(self, store_url: str, replace: bool = True, timeout: float = 120, agent: str = USER_AGENT,
                 done: Done | None = None, record: ProgressRecord | None = None,
                 watcher: Watcher | None = None) -> None:
        self.store_url, self.replace, self.timeout, self.agent = store_url, replace, timeout, agent
        self.done, self.record, self.watcher = done or Done(), record, watcher
        self.tally = Tally()
        self._sources: list[Source] = []
        self._at: Reading | None = None
        self._taken: tuple[Key, int] | None = None  # a graph the store took, not yet recorded

    def run(self, sources: list[Source]) -> Tally:
        """Load every file; a failure or Ctrl-C midway is a LoadStopped that says what was sent and what not."""
        self._sources = sources
        try:
            for index, source in enumerate(sources):
                self._load_file(Reading(index, source))
        except (EndpointError, InputError) as e:
            raise self._stopped(str(e), 1) from None
        except KeyboardInterrupt:  # said like a failure, with what was done: the store has changed
            raise self._stopped("interrupted (Ctrl-C, SIGTERM or SIGHUP)", 130) from None
        return self.tally

    def _load_file(self, at: Reading) -> None:
        self._at, path = at, at.source.path
        if self.done.whole(path):  # finished by the stopped load: not even read
            at.skipped = at.handled = self.done.count(path)
            self.tally.skipped += at.skipped
        else:
            self._send_graphs(at)
            if self.record:
                self.record.add_file(path, at.handled)
        if self.watcher:
            self.watcher.file_loaded(at.source, at.sent, at.triples, at.skipped)

    def _send_graphs(self, at: Reading) -> None:
        path, triples = at.source.path, 0
        at.reader = at.source.read()
        for piece in at.reader:
            if (path, piece.graph) in self.done:
                if piece.last:  # a big graph's parts are skipped together: counted once
                    at.handled, at.skipped, self.tally.skipped = at.handled + 1, at.skipped + 1, self.tally.skipped + 1
                    self.tally.name(piece.graph)
                continue
            at.in_flight = piece.graph
            self._send(piece)
            triples += len(piece.triples)
            if piece.last:
                self._taken, at.in_flight, triples = ((path, piece.graph), triples), None, 0
                self._keep()

    def _send(self, piece: Piece) -> None:
        method = "PUT" if self.replace and piece.first else "POST"  # a big graph's later parts add to its first
        send(self.store_url, piece.graph, piece.triples, method, self.timeout, self.agent)

    def _keep(self) -> None:
        """The graph the store just took: recorded before it is said."""
        if self._taken is None or self._at is None:
            return
        (path, graph), triples = self._taken
        if self.record:
            self.record.add((path, graph))
        self._taken = None
        at = self._at
        at.handled, at.sent, at.triples = at.handled + 1, at.sent + 1, at.triples + triples
        self.tally.sent, self.tally.triples = self.tally.sent + 1, self.tally.triples + triples
        self.tally.name(graph)
        if self.watcher:
            self.watcher.graph_loaded(at.source, graph, triples)

    def _stopped(self, reason: str, exit_status: int) -> LoadStopped:
        self._keep()  # a graph the store took just before Ctrl-C
        at = self._at or (Reading(0, self._sources[0]) if self._sources else None)
        if at is None:
            return LoadStopped(reason, None, "", self.tally, 0, Left(), exit_status)
        later = self._sources[at.index + 1:]
        done = self.tally.sent + self.tally.skipped + sum(self.done.count(s.path) for s in later)
        return LoadStopped(reason, at.in_flight, at.source.name, self.tally, done, self._left(at, later), exit_status)

    def _left(self, at: Reading, later: list[Source]) -> Left:
        """What was not sent, counted from what is known without reading whole files (the manifest's counts, the
        files read ahead); to name the next graphs, the file being read and the next shards are read a little."""
        left = Left(first=[at.in_flight] if at.in_flight else [])
        left.first += self._next_graphs(at.source, at.reader, at.in_flight, LIST_AT_MOST - len(left.first))
        self._count_left(left, at.source, at.handled + self.done.count(at.source.path) - at.skipped)
        for source in later:
            left.first += self._next_graphs(source, None, None, LIST_AT_MOST - len(left.first))
            self._count_left(left, source, self.done.count(source.path))
        return left

    @staticmethod
    def _count_left(left: Left, source: Source, done: int) -> None:
        if source.graphs is None:
            left.unread.append(source.name)
        else:
            left.graphs += max(source.graphs - done, 0)

    def _next_graphs(self, source: Source, reader: Iterator[Piece] | None, skip: str | None, n: int) -> list[str]:
        """The next ``n`` graphs not done of ``source``, read on from ``reader`` (or from its start)."""
        names: list[str] = []
        readable = reader is not None or source.streamed or source.read_ahead is not None  # never a whole file more
        if n <= 0 or self.done.whole(source.path) or not readable:
            return names
        try:
            for piece in reader if reader is not None else source.read():
                if piece.last and piece.graph != skip and (source.path, piece.graph) not in self.done:
                    names.append(piece.graph)
                    if len(names) == n:
                        break
        except (Exception, KeyboardInterrupt):  # noqa: BLE001 - only names for a report: what was read is enough
            pass
        return names


def load_to_store(store_url: str, paths: Iterable[str], replace: bool = True, timeout: float = 120,
                  agent: str = USER_AGENT) -> list[Loaded]:
    """PUT (replace) or POST (append) every article graph of files or folders to a Graph Store Protocol endpoint:
    what each graph got (a list as long as the load: for a whole Wikipedia, use Loader with a Watcher)."""
    class Collect:
        def __init__(self) -> None:
            self.loaded: list[Loaded] = []

        def graph_loaded(self, source: Source, graph: str, triples: int) -> None:
            self.loaded.append(Loaded(graph, triples))

        def file_loaded(self, source: Source, sent: int, triples: int, skipped: int) -> None:
            pass

    collect = Collect()
    Loader(store_url, replace, timeout, agent, watcher=collect).run(sources_of(paths))
    return collect.loaded


def send(store_url: str, graph: str, triples: list[ox.Triple], method: str = "PUT", timeout: float = 120,
         agent: str = USER_AGENT) -> None:
    """One PUT or POST of one graph; an EndpointError when the store cannot be reached or refuses it."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    target = f"{store_url}{'&' if '?' in store_url else '?'}graph={urllib.parse.quote(graph, safe='')}"
    request = urllib.request.Request(target, data=body, method=method,
                                     headers={"Content-Type": "application/n-triples", "User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as e:
        raise EndpointError(f"{store_url}: HTTP {e.code} {e.reason}: {read_error_body(e)}") from None
    except (urllib.error.URLError, OSError) as e:
        raise EndpointError(f"{store_url}: cannot reach the store: {getattr(e, 'reason', e)}") from None
