"""What ``wikikg load`` reads, and how: the files DATA names, a build's folder of shards, a folder of RDF files.

How much is read before the first request depends on the input, so that a bad input changes nothing in the store
while a whole Wikipedia (thousands of shards, millions of graphs) is never held in memory:

- a file named in DATA is read whole before anything is sent (a handful of files: every one must parse);
- a build's folder (``wikikg build -o DIR/``: ``manifest.json``, ``part-NNNNN.nq.gz``, ``provenance.nq.gz``) is
  refused when its build is unfinished or a shard's sha256 is not the manifest's; then it is read shard by shard,
  graph by graph (the build writes each graph's quads together);
- a folder without a manifest: its RDF files (by extension, ``.gz`` too) in name order, each read whole when its
  turn comes; a file that does not parse stops the load there (parsing them all first would double the time).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from graph.errors import InputError
from graph.rdf.iri import GRAPH

ARTICLE = "https://w3id.org/wikikg/ontology#Article"
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MANIFEST = "manifest.json"
# The extensions a folder without a manifest is read for (not .xml or .json: dumps and reports sit beside RDF)
RDF_EXTENSIONS = {"nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
                  "trig": ox.RdfFormat.TRIG, "n3": ox.RdfFormat.N3, "rdf": ox.RdfFormat.RDF_XML,
                  "jsonld": ox.RdfFormat.JSON_LD}
# Triples per request of a big graph read from a shard folder. An article is far below (a long one: ~7,000); the
# provenance graph of a whole Wikipedia is ~8 triples per page, tens of millions: one PUT of it would not fit.
PART_TRIPLES = 100_000

Progress = Callable[[Iterable, str, int], Iterable]  # (items, description, total) → the same items, with a bar


@dataclass(frozen=True)
class Piece:
    """One request's triples: a graph, or a part of a big one (the first part replaces, the others add)."""

    graph: str
    triples: list[ox.Triple]
    first: bool = True
    last: bool = True


@dataclass
class Source:
    """One file of a load. ``graphs``: how many graphs it holds, when known before it is read (a listed file read
    ahead, a shard from the manifest), else None."""

    path: str  # absolute: the progress record's key
    name: str  # as the user wrote it: for messages
    in_folder: bool = False  # read when its turn comes, said with one line (not one per graph)
    graphs: int | None = None
    streamed: bool = False  # a build's own N-Quads: read graph by graph
    read_ahead: dict[str, list[ox.Triple]] | None = None

    def read(self) -> Iterator[Piece]:
        """Its graphs, in the order they are sent."""
        if self.streamed:
            yield from graphs_streamed(self.path)
            return
        named = self.read_ahead if self.read_ahead is not None else graphs_of(self.path)
        self.graphs, self.read_ahead = len(named), None  # sent, its triples need not stay in memory
        for graph in sorted(named):
            yield Piece(graph, named[graph])


def sources_of(data: Iterable[str], progress: Progress | None = None) -> list[Source]:
    """The files of a load in the order they are sent, checked as far as the module docstring says."""
    sources: list[Source] = []
    for name in data:
        if os.path.isdir(name):
            manifest = read_manifest(name)
            sources += shard_sources(name, manifest, progress) if manifest is not None else folder_sources(name)
        else:
            named = graphs_of(name)  # read now: a listed file that does not parse stops the load before it starts
            sources.append(Source(os.path.abspath(name), name, graphs=len(named), read_ahead=named))
    return sources


def read_manifest(folder: str) -> dict | None:
    path = os.path.join(folder, MANIFEST)
    try:
        with open(path, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot be read as a wikikg build manifest: {e}") from None
    if not (isinstance(manifest, dict) and isinstance(manifest.get("shards"), list)):
        raise InputError(f"{path}: not a wikikg build manifest (no list of shards)")
    return manifest


def shard_sources(folder: str, manifest: dict, progress: Progress | None = None) -> list[Source]:
    """The shards in manifest order, then the provenance; refused whole when any is not what the build wrote."""
    if manifest.get("complete") is not True:
        raise InputError(f"{folder}: an unfinished build (its {MANIFEST} says complete: false): finish it with "
                         f"`wikikg build … -o {folder.rstrip('/')}/ --resume` (the same inputs and options), then load")
    shards = manifest["shards"]
    checked = progress(shards, "check", len(shards)) if progress else shards
    sources = [checked_shard(folder, shard) for shard in checked]
    provenance = os.path.join(folder, str(manifest.get("provenance") or "provenance.nq.gz"))
    sources.append(Source(os.path.abspath(provenance), provenance, in_folder=True, streamed=True,
                          graphs=count_graphs(provenance)))  # no checksum in the manifest: parsed instead (small)
    return sources


def checked_shard(folder: str, shard: dict) -> Source:
    name = os.path.join(folder, str(shard.get("file")))
    try:
        digest = sha256_of(name)
    except OSError as e:
        raise InputError(f"{name}: a shard {MANIFEST} names cannot be read: {e.strerror or e}") from None
    if digest != shard.get("sha256"):
        raise InputError(f"{name}: its sha256 is not the one {os.path.join(folder, MANIFEST)} records: the shard "
                         "changed or was damaged after the build; nothing was sent. Build it again: `wikikg build … "
                         f"-o {folder.rstrip('/')}/ --resume` rebuilds from the first damaged shard")
    graphs = shard.get("graphs")
    return Source(os.path.abspath(name), name, in_folder=True, streamed=True,
                  graphs=graphs if isinstance(graphs, int) else None)


def folder_sources(folder: str) -> list[Source]:
    """A folder without a manifest: its RDF files, in name order (not its subfolders, nor hidden files)."""
    names = sorted(entry.name for entry in os.scandir(folder)
                   if entry.is_file() and not entry.name.startswith(".") and rdf_format(entry.name))
    if not names:
        raise InputError(f"{folder}: no {MANIFEST} and no RDF files (.{', .'.join(RDF_EXTENSIONS)}, or .gz of "
                         "them) in it")
    return [Source(os.path.abspath(os.path.join(folder, n)), os.path.join(folder, n), in_folder=True) for n in names]


def rdf_format(name: str) -> ox.RdfFormat | None:
    """The format a file name says, ``.gz`` looked through."""
    stem = name.removesuffix(".gz")
    return RDF_EXTENSIONS.get(Path(stem).suffix.lstrip(".").lower()) if "." in stem else None


def open_rdf(path: str) -> IO[bytes]:
    """The file's bytes, decompressed on the fly when it ends with .gz."""
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")  # noqa: SIM115 - the caller closes


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def parse_error(path: str, fmt: ox.RdfFormat, e: Exception) -> InputError:
    if isinstance(e, FileNotFoundError):
        return InputError(f"{path}: no such file")
    if isinstance(e, EOFError | gzip.BadGzipFile):
        return InputError(f"{path}: not a whole gzip file: {e}")
    if isinstance(e, OSError):
        return InputError(f"{path}: cannot be read: {e.strerror or e}")
    return InputError(f"{path}: does not parse as {fmt.name}: {e}")


def graphs_of(path: str) -> dict[str, list[ox.Triple]]:
    """The named graphs to load from one file, read whole: N-Quads keep theirs; Turtle/N-Triples take their
    article's (the one subject typed Article), else the file's URL."""
    fmt = rdf_format(os.path.basename(path)) or ox.RdfFormat.TURTLE
    try:
        with open_rdf(path) as fh:
            quads = list(ox.parse(fh, format=fmt))
    except (OSError, EOFError, SyntaxError, ValueError) as e:
        raise parse_error(path, fmt, e) from None
    named: dict[str, list[ox.Triple]] = {}
    plain: list[ox.Triple] = []
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            named.setdefault(q.graph_name.value, []).append(q.triple)
        else:
            plain.append(q.triple)
    if plain:
        named.setdefault(graph_of_plain(plain, path), []).extend(plain)
    return named


def graph_of_plain(triples: list[ox.Triple], path: str) -> str:
    """The graph a file without graphs is loaded into: its article's own (the VoID subset whose source is the one
    article of the file, as a build into N-Quads names it), else the article's page, else the file's URL."""
    articles = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.object.value == ARTICLE}
    if len(articles) != 1:
        return Path(path).resolve().as_uri()
    article = articles.pop()
    graphs = {t.subject.value for t in triples if t.predicate.value == DCTERMS_SOURCE and t.object.value == article
              and t.subject.value.startswith(GRAPH)}
    return graphs.pop() if len(graphs) == 1 else article


def graphs_streamed(path: str) -> Iterator[Piece]:
    """A build's N-Quads graph by graph, in file order (the build writes each graph's quads together): one graph
    in memory, and a big one in parts of PART_TRIPLES. A graph is cut only before its first blank node: a blank
    node sent in two requests would become two nodes, so from there on the rest of the graph goes in one part."""
    fmt = ox.RdfFormat.N_QUADS
    seen: set[str] = set()  # the graphs of one file: a graph met twice would be replaced by its second half
    graph, triples, first, blank = None, [], True, False
    try:
        with open_rdf(path) as fh:
            for quad in ox.parse(fh, format=fmt):
                name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
                if name != graph:
                    if graph is not None:
                        yield Piece(graph, triples, first, True)
                    if name in seen or not name:
                        raise InputError(f"{path}: not as wikikg builds it: " + (
                            f"the triples of <{name}> are not together" if name else "a triple outside a named graph"))
                    seen.add(name)
                    graph, triples, first, blank = name, [], True, False
                elif len(triples) >= PART_TRIPLES and not blank:
                    yield Piece(graph, triples, first, False)
                    triples, first = [], False
                blank = blank or not all(isinstance(t, ox.NamedNode | ox.Literal) for t in (quad.subject, quad.object))
                triples.append(quad.triple)
    except (OSError, EOFError, SyntaxError, ValueError) as e:
        raise parse_error(path, fmt, e) from None
    if graph is not None:
        yield Piece(graph, triples, first, True)


def count_graphs(path: str) -> int:
    """How many graphs a build's N-Quads file holds; parsing it whole checks it too."""
    return sum(piece.last for piece in graphs_streamed(path))
