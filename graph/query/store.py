"""Loading into a triple store through the SPARQL 1.1 Graph Store Protocol, one named graph per article.

Reloading an article replaces its graph (PUT), ``--append`` adds to it (POST), and articles can be dropped
one by one (``DELETE`` on the graph's URL).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError
from graph.query.endpoint import USER_AGENT, EndpointError, read_error_body

ARTICLE = "https://w3id.org/wikikg/ontology#Article"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Loaded:
    graph: str
    triples: int


def graphs_of(path: str) -> dict[str, list[ox.Triple]]:
    """The named graphs to load from one file: N-Quads keep theirs; Turtle/N-Triples take their article's."""
    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    try:
        quads = list(ox.parse(path=path, format=fmt))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (SyntaxError, ValueError) as e:
        raise InputError(f"{path}: does not parse as {fmt.name}: {e}") from None
    named: dict[str, list[ox.Triple]] = {}
    plain: list[ox.Triple] = []
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            named.setdefault(q.graph_name.value, []).append(q.triple)
        else:
            plain.append(q.triple)
    if plain:
        articles = {t.subject.value for t in plain if t.predicate.value == RDF_TYPE and t.object.value == ARTICLE}
        graph = articles.pop() if len(articles) == 1 else Path(path).resolve().as_uri()
        named.setdefault(graph, []).extend(plain)
    return named


@dataclass(frozen=True)
class Step:
    """One request of a load: one article graph of one input file."""

    path: str  # the input, absolute: the progress record's key
    graph: str
    triples: list[ox.Triple]

    @property
    def key(self) -> tuple[str, str]:
        return self.path, self.graph


class LoadStopped(EndpointError):
    """A load that stopped midway (a request failed, or Ctrl-C): ``done`` reached the store, ``left`` did not
    (its first is the one that failed: the store may or may not have applied it)."""

    def __init__(self, reason: str, done: list[Step], left: list[Step], exit_status: int = 1) -> None:
        super().__init__(reason)
        self.reason, self.done, self.left, self.exit_status = reason, done, left, exit_status


def plan_load(paths: Iterable[str]) -> list[Step]:
    """Every request of a load, in the order sent (input by input, graphs sorted). Every input is read first, so a
    file that does not parse stops the load before the store is changed at all."""
    return [Step(os.path.abspath(path), graph, triples)
            for path in paths for graph, triples in sorted(graphs_of(path).items())]


def load_steps(store_url: str, steps: Sequence[Step], replace: bool = True, timeout: float = 120,
               agent: str = USER_AGENT, on_loaded: Callable[[Step], None] | None = None) -> list[Loaded]:
    """Send ``steps`` in order; ``on_loaded`` hears of each as the store takes it. A failure or Ctrl-C midway is a
    LoadStopped that says which steps were done and which not."""
    done: list[Step] = []
    try:
        for step in steps:
            send(store_url, step, replace, timeout, agent)
            done.append(step)
            if on_loaded:
                on_loaded(step)
    except EndpointError as e:
        raise LoadStopped(str(e), done, list(steps[len(done):])) from None
    except KeyboardInterrupt:  # said like a failure, with what was done: the store has changed
        raise LoadStopped("interrupted (Ctrl-C, SIGTERM or SIGHUP)", done, list(steps[len(done):]),
                          exit_status=130) from None
    return [Loaded(step.graph, len(step.triples)) for step in done]


def load_to_store(store_url: str, paths: Iterable[str], replace: bool = True, timeout: float = 120,
                  agent: str = USER_AGENT) -> list[Loaded]:
    """PUT (replace) or POST (append) every article graph to a Graph Store Protocol endpoint."""
    return load_steps(store_url, plan_load(paths), replace, timeout, agent)


def send(store_url: str, step: Step, replace: bool, timeout: float, agent: str) -> None:
    """One PUT or POST of one graph; an EndpointError when the store cannot be reached or refuses it."""
    body = ox.serialize(step.triples, format=ox.RdfFormat.N_TRIPLES)
    target = f"{store_url}{'&' if '?' in store_url else '?'}graph={urllib.parse.quote(step.graph, safe='')}"
    request = urllib.request.Request(target, data=body, method="PUT" if replace else "POST",
                                     headers={"Content-Type": "application/n-triples", "User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as e:
        raise EndpointError(f"{store_url}: HTTP {e.code} {e.reason}: {read_error_body(e)}") from None
    except (urllib.error.URLError, OSError) as e:
        raise EndpointError(f"{store_url}: cannot reach the store: {getattr(e, 'reason', e)}") from None
