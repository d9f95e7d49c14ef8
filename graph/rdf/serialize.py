"""Serialize stage: triples → Turtle / N-Triples / N-Quads / JSON-LD, written atomically.

pyoxigraph's serializers are used (rdflib's is ~50× slower). Output is deterministic: triples
are sorted before writing and the prefix lines are put in a fixed order.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from graph.rdf.iri import RESOURCE
from graph.rdf.terms import PREFIXES

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
}
EXTENSIONS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "jsonld", ".json": "jsonld"}


def format_for(name: str | None, path: str | None) -> str:
    if name:
        return name.lower()
    if path:
        return EXTENSIONS.get(Path(path).suffix.lower(), "turtle")
    return "turtle"


def to_bytes(triples: Iterable[ox.Triple], fmt: str = "turtle", graphs: dict[str, list[ox.Triple]] | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise; for N-Quads, ``graphs`` maps a graph IRI to its triples (one per article)."""
    rdf_format = FORMATS[fmt]
    if rdf_format == ox.RdfFormat.N_QUADS:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                 for g, ts in sorted((graphs or {}).items()) for t in ts]
        return ox.serialize(quads, format=rdf_format)
    triples = list(triples)
    all_prefixes = {**PREFIXES, **resource_prefixes(triples), **(prefixes or {})}
    if rdf_format == ox.RdfFormat.TURTLE:
        data = ox.serialize(triples, format=rdf_format, prefixes=all_prefixes)
        return sort_prefix_lines(data)
    return ox.serialize(list(triples), format=rdf_format)


def resource_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """``zh:`` for https://w3id.org/wikikg/resource/zh/ and so on, for the wikis the graph names."""
    langs = set()
    for t in triples:
        for term in (t.subject, t.object):
            value = term.value if isinstance(term, ox.NamedNode) else ""
            if value.startswith(RESOURCE):
                langs.add(value[len(RESOURCE):].split("/", 1)[0])
    return {lang: f"{RESOURCE}{lang}/" for lang in langs if re.fullmatch(r"[a-z]{2,3}", lang)}


def sort_prefix_lines(data: bytes) -> bytes:
    """pyoxigraph writes prefixes in hash order; fix it so output is byte-identical run to run."""
    lines = data.split(b"\n")
    head = [line for line in lines if line.startswith(b"@prefix ")]
    rest = lines[len(head):]
    return b"\n".join(sorted(head) + rest)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[str]:
    """A temporary path in the target's folder; renamed onto the target when the block succeeds,
    deleted when it fails: an interrupted run leaves the old file or none, never half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield tmp
        umask = os.umask(0)  # mkstemp makes the file private; outputs are for sharing, like any new file
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def check_parses(data: bytes, fmt: str) -> None:
    """Parse the output again with pyoxigraph (strict): a broken file is never written."""
    rdf_format = FORMATS[fmt]
    list(ox.parse(data, format=rdf_format))
