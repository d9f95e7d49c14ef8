"""Serialize stage: triples → Turtle / N-Triples / N-Quads / TriG / RDF/XML / JSON-LD, written atomically.

pyoxigraph's serializers are used (rdflib's is ~50× slower); JSON-LD is compacted here (graph.rdf.jsonld).
Output is deterministic: triples are sorted before writing and the prefix lines are put in a fixed order.
The format comes from ``--format`` or the output's extension; a name ending in ``.gz`` is gzip'd.
"""

from __future__ import annotations

import gzip
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from graph.data.regex_cache import regex
from graph.errors import OutputError, UsageError
from graph.rdf.iri import RESOURCE
from graph.rdf.labels import one_preferred_label_per_language
from graph.rdf.terms import PREFIXES
from graph.rdf.turtle_names import full_iris_for_escaped_names

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
EXTENSIONS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "jsonld",
              ".json": "jsonld", ".rdf": "rdfxml", ".owl": "rdfxml", ".xml": "rdfxml"}
GZIP = ".gz"


def format_for(name: str | None, path: str | None, option: str = "--format") -> str:
    """The format ``--format`` names, else the one the output's extension says (``.gz`` looked through); a name
    without an extension (``/dev/stdout``) is Turtle, one with an extension we do not write is a usage error:
    writing Turtle into ``out.xml`` would fool whoever opens it."""
    if name:
        return name.lower()
    if not path:
        return "turtle"
    suffix = Path(path.removesuffix(GZIP)).suffix.lower()
    if not suffix:
        return "turtle"
    if suffix not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        hint = f", or say it with {option}" if option else ""
        raise UsageError(f"-o {path}: no RDF format is written as {suffix}; use one of {known} (+ .gz to "
                         f"compress){hint}")
    return EXTENSIONS[suffix]


def is_dataset(fmt: str) -> bool:
    """N-Quads and TriG keep one named graph per article; the other formats hold one merged graph."""
    return FORMATS[fmt] in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


def to_bytes(triples: Iterable[ox.Triple], fmt: str = "turtle", graphs: dict[str, list[ox.Triple]] | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise; for N-Quads and TriG, ``graphs`` maps a graph IRI to its triples (one per article)."""
    rdf_format = FORMATS[fmt]
    if is_dataset(fmt):
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                 for g, ts in sorted((graphs or {}).items()) for t in ts]
        if rdf_format == ox.RdfFormat.N_QUADS:
            return ox.serialize(quads, format=rdf_format)
        all_prefixes = {**PREFIXES, **resource_prefixes([q.triple for q in quads]), **(prefixes or {})}
        data = ox.serialize(quads, format=rdf_format, prefixes=all_prefixes)
        return sort_prefix_lines(full_iris_for_escaped_names(data, all_prefixes))
    triples = one_preferred_label_per_language(triples)
    all_prefixes = {**PREFIXES, **resource_prefixes(triples), **(prefixes or {})}
    if rdf_format == ox.RdfFormat.TURTLE:
        data = ox.serialize(triples, format=rdf_format, prefixes=all_prefixes)
        return sort_prefix_lines(full_iris_for_escaped_names(data, all_prefixes))
    if rdf_format == ox.RdfFormat.JSON_LD:
        from graph.rdf.jsonld import compacted_jsonld

        return compacted_jsonld(triples, all_prefixes)
    if rdf_format == ox.RdfFormat.RDF_XML:  # the prefixes name the element and attribute names
        return sort_xmlns(ox.serialize(triples, format=rdf_format, prefixes=all_prefixes))
    return ox.serialize(list(triples), format=rdf_format)


WIKI_LANGUAGE = regex(r"[a-z]{2,3}")


def resource_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """``zh:`` for https://w3id.org/wikikg/resource/zh/ and so on, for the wikis the graph names."""
    terms = {t.subject for t in triples}  # each distinct term once: a resource is named in many triples
    terms.update(t.object for t in triples)
    langs = set()
    for term in terms:
        if type(term) is ox.NamedNode and term.value.startswith(RESOURCE):
            langs.add(term.value[len(RESOURCE):].split("/", 1)[0])
    return {lang: f"{RESOURCE}{lang}/" for lang in langs if WIKI_LANGUAGE.fullmatch(lang)}


def sort_prefix_lines(data: bytes) -> bytes:
    """pyoxigraph writes prefixes in hash order; fix it so output is byte-identical run to run."""
    lines = data.split(b"\n")
    head = [line for line in lines if line.startswith(b"@prefix ")]
    rest = lines[len(head):]
    return b"\n".join(sorted(head) + rest)


RDF_ROOT = regex(rb"<rdf:RDF((?:\s+xmlns(?::[\w.-]+)?=\"[^\"]*\")+)\s*>")
XMLNS = regex(rb"xmlns(?::[\w.-]+)?=\"[^\"]*\"")


def sort_xmlns(data: bytes) -> bytes:
    """pyoxigraph writes RDF/XML's namespace declarations in hash order too; sort them in the root element."""
    m = RDF_ROOT.search(data)
    if m is None:
        return data
    declarations = sorted(XMLNS.findall(m.group(1)))
    return data[:m.start(1)] + b" " + b" ".join(declarations) + data[m.end(1):]


def make_folder(folder: str | Path, output: str | Path | None = None) -> Path:
    """``folder`` and its parents, made if missing; an OutputError naming ``output`` (default: the folder)
    and the reason when that cannot be done (a file in the way, no permission)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{output or folder}: cannot write: {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise output_error(output or folder, e) from None
    return folder


def output_error(path: str | Path, e: OSError) -> OutputError:
    """``PATH: cannot write: REASON``, the reason in the user's terms (which file is in the way)."""
    path = Path(path)
    blocker = next((p for p in path.parents if p.is_file()), None)
    if blocker is not None:
        reason = f"{blocker} is a file, not a folder"
    elif path.is_dir():
        reason = "it is a folder; give a file name"
    else:
        reason = e.strerror or str(e)
    return OutputError(f"{path}: cannot write: {reason}")


def check_writable(path: str | Path) -> None:
    """Fail fast, before the work: the OutputError that writing ``path`` would end in, found without
    writing anything (a file where a folder should be, a folder in the file's place, a read-only folder)."""
    target = Path(path)
    if str(path).endswith(("/", os.sep)) or target.is_dir():
        raise OutputError(f"{path}: cannot write: it is a folder; give a file name")
    if target.exists():
        return
    ancestor = next(p for p in target.parents if p.exists())
    if not ancestor.is_dir():
        raise OutputError(f"{path}: cannot write: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write: {ancestor}: permission denied")


TEMPORARY_END = regex(r"(\d+)\.[^.]+\.tmp")  # what follows ".NAME." in a temporary's name: PID.xxxx.tmp


def remove_stale_temporaries(target: Path) -> None:
    """Delete the temporaries of ``target`` that a killed run left (``.NAME.PID.xxxx.tmp`` whose PID is gone);
    a temporary of a run still going is left alone. (The names are read as they are: a pattern made of the output's
    name would be compiled anew by every run.)"""
    folder, start = target.parent, f".{target.name}."
    if not folder.is_dir():
        return
    try:
        names = os.listdir(folder)
    except PermissionError:  # as Path.glob: a folder that cannot be read has none to remove
        return
    for name in names:
        m = TEMPORARY_END.fullmatch(name, len(start)) if name.startswith(start) else None
        if m and not process_alive(int(m.group(1))):
            (folder / name).unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # someone else's process, or no such number: not ours to remove
        return True
    return True


@contextmanager
def atomic_path(path: str | Path) -> Iterator[str]:
    """A temporary path in the target's folder; renamed onto the target when the block succeeds,
    deleted when it fails: an interrupted run leaves the old file or none, never half a file. A special
    file (/dev/stdout, a pipe) is written in place: renaming onto it would replace the device.
    An output that cannot be written (a file where its folder should be, a folder in its place, no
    permission) is an OutputError naming the path and the reason, raised before the block runs."""
    target = Path(path)
    if str(path).endswith(("/", os.sep)) or target.is_dir():
        raise OutputError(f"{path}: cannot write: it is a folder; give a file name")
    if target.exists() and not target.is_file():  # /dev/stdout, /dev/null, a pipe: write to it, never replace it
        yield str(target)
        return
    make_folder(target.parent, output=target)
    remove_stale_temporaries(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise output_error(target, e) from None
    os.close(fd)
    try:
        yield tmp
        umask = os.umask(0)  # mkstemp makes the file private; outputs are for sharing, like any new file
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.replace(tmp, target)
        except OSError as e:
            raise output_error(target, e) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def compressed_for(path: str | Path, data: bytes) -> bytes:
    """``data`` gzip'd when ``path`` ends in .gz (with no time or name in the header: the same bytes each run)."""
    return gzip.compress(data, mtime=0) if str(path).endswith(GZIP) else data


def emit(triples: Iterable[ox.Triple], fmt: str, output: str | None,
         graphs: dict[str, list[ox.Triple]] | None = None) -> None:
    """Triples in ``fmt``, checked by a strict parser, then written to ``output`` (atomically) or to stdout."""
    data = to_bytes(triples, fmt, graphs=graphs)
    check_parses(data, fmt)
    if output:
        write_output(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def write_output(path: str | Path, data: bytes) -> None:
    """An RDF output, written atomically, compressed when its name ends in .gz."""
    write_atomically(path, compressed_for(path, data))


def write_atomically(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                if stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # a pipe or a terminal cannot be synced
                    os.fsync(fh.fileno())
        except OSError as e:  # the disk is full, a quota: the target is left as it was
            raise output_error(path, e) from None


def check_parses(data: bytes, fmt: str) -> None:
    """Parse the output again with pyoxigraph (strict): a broken file is never written."""
    rdf_format = FORMATS[fmt]
    for _ in ox.parse(data, format=rdf_format):  # each statement read and dropped: no list of them all
        pass
