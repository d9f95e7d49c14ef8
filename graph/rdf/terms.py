"""RDF terms of the wikikg graph: prefixes, IRIs and literals made safe, and the sink that collects triples.

Triples are pyoxigraph terms: building them is cheap and they serialise fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

from graph.data.regex_cache import regex
from graph.rdf import iri as iris

PREFIXES = {
    "wkg": iris.ONTOLOGY,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
    "dbo": "http://dbpedia.org/ontology/",
    "stmt": iris.STATEMENT,
}
XSD = PREFIXES["xsd"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
SKOS_PREF = ox.NamedNode(PREFIXES["skos"] + "prefLabel")


def curie(name: str) -> ox.NamedNode:
    prefix, local = name.split(":", 1)
    return ox.NamedNode(PREFIXES[prefix] + local)


@lru_cache(maxsize=4096)
def wkg(local: str) -> ox.NamedNode:
    return ox.NamedNode(iris.ONTOLOGY + local)


@lru_cache(maxsize=65536)
def node(value: str) -> ox.NamedNode:
    iris.check_iri(value)
    return ox.NamedNode(value)


def safe_text(text: str) -> str:
    """Lone surrogates (possible through the Python API, never from UTF-8 input) become U+FFFD."""
    if text.isascii():  # most text: no surrogate, nothing to replace
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def lang_literal(text: str, lang: str) -> ox.Literal:
    try:
        return ox.Literal(safe_text(text), language=lang)
    except ValueError:  # a tag no reader should see (the extractors check theirs): keep the text, untagged
        return ox.Literal(safe_text(text))


def plain(text: str | None) -> ox.Literal | None:
    return ox.Literal(safe_text(text)) if text else None


def typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


_URL_SCHEME = regex(r"^(?:https?|ftp)://", re.I)
_NOT_IN_IRI = regex(r'[\x00-\x20<>"{}|^`\\\x7f]')


def url_node(url: str | None) -> ox.NamedNode | None:
    """A URL a citation writes, as an IRI (what IRIs forbid percent-encoded); None for what is no web address."""
    url = (url or "").strip()
    if url.startswith("//"):  # protocol-relative, as wikitext may write it
        url = "https:" + url
    if not _URL_SCHEME.match(url):
        return None
    url = _NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode()), safe_text(url))
    try:
        return ox.NamedNode(url)
    except ValueError:  # a host or port no IRI parser accepts
        return None


YEAR = regex(r"-?\d{4}")


def year_literal(year: str | None) -> ox.Literal | None:
    """A publication year as an ``xsd:gYear``; None for anything else."""
    return typed(year, "gYear") if year and YEAR.fullmatch(year) else None


def number_literal(value: float) -> ox.Literal:
    if float(value).is_integer():
        return typed(int(value), "integer")
    return typed(Decimal(str(value)).normalize(), "decimal")


def date_literal(date) -> ox.Literal:
    return typed(date.iso(), date.xsd_type)


_SUBJECTS = (ox.NamedNode, ox.BlankNode)
_OBJECTS = (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)


class TripleSink:
    """Collects triples once each; ``sorted()`` gives a deterministic order.

    A triple is kept as the tuple of its terms, made an ``ox.Triple`` only when asked for: making one costs ten
    times what keeping the tuple does, and a page adds each of its triples about one and a half times. Tuples of
    the same terms are equal where the triples are, so the set keeps the same triples.

    Triples that come as N-Triples lines (``add_ntriples``: a page built in another process) are kept as their
    lines: a line is its triple's one written form, so equal lines are equal triples, and the lines sorted as
    bytes are the triples in ``sorted()``'s order, read by pyoxigraph in one call."""

    def __init__(self) -> None:
        self._triples: set[tuple] = set()
        self._lines: set[bytes] = set()
        self._parsed: dict[bytes, ox.Triple] = {}  # lines whose triple a check already parsed (add_ntriples)

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal | None) -> None:
        if o is not None:
            if type(p) is not ox.NamedNode or not isinstance(s, _SUBJECTS) or not isinstance(o, _OBJECTS):
                ox.Triple(s, p, o)  # raises the error a triple of these terms raises
            self._triples.add((s, p, o))

    def add_ntriples(self, ntriples: bytes, parsed: list[ox.Triple] | None = None) -> None:
        """Lines as ``ntriples()`` and pyoxigraph's N-Triples serializer write them (one triple each, no comment
        or blank line): kept as they are, parsed only when the triples are asked for. ``parsed``: the triples of
        the first lines, in order, when a check parsed them already (a page read in this process): those lines
        are not parsed again."""
        lines = ntriples.splitlines(keepends=True)
        self._lines.update(lines)
        if parsed:
            self._parsed.update(zip(lines, parsed, strict=False))  # the first lines only

    def merge(self, other: TripleSink) -> None:
        self._triples |= other._triples
        self._lines |= other._lines
        self._parsed.update(other._parsed)

    def update(self, triples: Iterable[ox.Triple]) -> None:
        self._triples.update((t.subject, t.predicate, t.object) for t in triples)

    def __iter__(self) -> Iterator[ox.Triple]:
        """In no set order (``sorted()`` for one)."""
        if self._lines:
            return iter(self.sorted())
        return (ox.Triple(s, p, o) for s, p, o in self._triples)

    def __len__(self) -> int:
        return len(self._all_lines()) if self._lines else len(self._triples)

    def _all_lines(self) -> set[bytes]:
        """Every triple as its N-Triples line (the tuples written once, then kept as lines)."""
        if self._triples:
            self._lines.update(f"{s} {p} {o} .\n".encode() for s, p, o in self._triples)
            self._triples.clear()
        return self._lines

    def ntriples(self) -> bytes:
        """The triples as N-Triples, one line each, in ``sorted()``'s order: the lines sorted as bytes. (A term's
        N-Triples form is its ``str()``, and each term ends in ``>``, ``"`` or its tag or datatype, so comparing
        whole lines orders as comparing (subject, predicate, object); UTF-8 bytes order as code points.) The lines
        are those pyoxigraph's N-Triples serializer writes (tests/test_iri_and_literals.py checks it)."""
        if self._lines:
            return b"".join(sorted(self._all_lines()))
        # a page's triples share a few hundred subjects and a few dozen predicates: each written once
        written: dict[ox.NamedNode | ox.BlankNode, str] = {}

        def form(term: ox.NamedNode | ox.BlankNode) -> str:
            text = written.get(term)
            if text is None:
                text = written[term] = str(term)
            return text

        lines = [f"{form(s)} {form(p)} {o} .\n".encode() for s, p, o in self._triples]
        lines.sort()
        return b"".join(lines)

    def sorted(self) -> list[ox.Triple]:
        if self._lines and self._parsed:
            lines = sorted(self._all_lines())
            unknown = [line for line in lines if line not in self._parsed]
            new = dict(zip(unknown, (q.triple for q in ox.parse(b"".join(unknown), format=ox.RdfFormat.N_TRIPLES)),
                           strict=True))
            return [self._parsed[line] if line in self._parsed else new[line] for line in lines]
        if self._lines:
            return [q.triple for q in ox.parse(self.ntriples(), format=ox.RdfFormat.N_TRIPLES)]
        keyed = sorted(self._triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
        return [ox.Triple(s, p, o) for s, p, o in keyed]
