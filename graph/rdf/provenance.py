"""Provenance (PROV-O) and VoID: where each article's graph comes from, and what the run was.

Each article's named graph (``https://w3id.org/wikikg/graph/LANG/TITLE``, ours) describes itself: it is a VoID
subset of the wikikg dataset, licensed CC BY-SA 4.0 as everything derived from Wikipedia, derived from the input
read (its file's base name and SHA-256), which is a copy of a revision of the page: a dump's page names its
revision (``oldid`` URL, revision id, timestamp, page id), which is ``prov:specializationOf`` the page, attributed
to the Wikipedia contributors listed in its history. That description lives in the article's graph, so reloading
an article replaces it, and nothing piles up in a store.

The run (tool, version, day, vocabularies, licence) is described in one graph of a fixed name, replaced by the next
load. Only the day is recorded, so runs on the same input on the same day write byte-identical files;
``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes it for every day.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pyoxigraph as ox

from graph import __version__
from graph.digests import sha256
from graph.rdf import iri as iris
from graph.rdf.terms import PREFIXES, TripleSink, lang_literal, node, typed, wkg

PROV = PREFIXES["prov"]
VOID = PREFIXES["void"]
DCT = PREFIXES["dcterms"]
SCHEMA = PREFIXES["schema"]
DBO = PREFIXES["dbo"]
LICENCE = "https://creativecommons.org/licenses/by-sa/4.0/"
DATASET = f"{iris.BASE}dataset/wikikg"  # the whole graph; each article's graph is a subset of it
CONTRIBUTORS = f"{iris.BASE}agent/wikipedia-contributors"
VOCABULARIES = [iris.ONTOLOGY, PREFIXES["rdfs"], PREFIXES["skos"], PROV, SCHEMA, PREFIXES["geo"], VOID, DCT, DBO]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


@dataclass(frozen=True)
class InputRecord:
    """What the provenance says of one page built. Flat, so that a folder's shards record it as a JSON list."""

    name: str  # the input as given ("seeds/x.wiki", "dump.xml.bz2#page=12", "<stdin>")
    sha256: str
    graph: str  # the article's named graph (graph_iri, or with #input-N for a second input of one title)
    title: str
    lang: str
    page_id: int | None = None  # from a dump
    revision_id: int | None = None
    timestamp: str | None = None


def run_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def p(ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


def base_name(name: str) -> str:
    """``seeds/x.wiki`` → ``x.wiki``; ``/data/dump.xml.bz2#page=12`` → ``dump.xml.bz2#page=12``: no path of the
    machine that built it leaks, and the output does not depend on the working folder."""
    path, hash_, page = name.partition("#")
    return os.path.basename(path.rstrip("/\\")) + hash_ + page if path not in ("<stdin>", "-") else name


def article_provenance(record: InputRecord, triples: int) -> TripleSink:
    """The description of one article's graph, written in that graph; ``triples`` counts its data."""
    out = TripleSink()
    graph, page = node(record.graph), node(iris.wikipedia_iri(record.lang, record.title))
    source = node(f"{iris.BASE}input/sha256/{record.sha256}")
    history = node(iris.history_iri(record.lang, record.title))

    out.add(node(DATASET), p(VOID, "subset"), graph)
    out.add(graph, RDF_TYPE, p(VOID, "Dataset"))
    out.add(graph, RDF_TYPE, p(PROV, "Entity"))
    out.add(graph, p(DCT, "title"), lang_literal(f"wikikg graph of {record.title}", "en"))
    out.add(graph, p(VOID, "triples"), typed(triples, "integer"))
    out.add(graph, p(DCT, "license"), node(LICENCE))
    out.add(graph, p(DCT, "source"), page)
    out.add(graph, p(PROV, "wasDerivedFrom"), source)

    out.add(source, RDF_TYPE, p(PROV, "Entity"))
    out.add(source, wkg("fileName"), ox.Literal(base_name(record.name)))
    out.add(source, wkg("sha256"), ox.Literal(record.sha256))

    out.add(page, p(SCHEMA, "inLanguage"), ox.Literal(record.lang))
    out.add(page, p(DCT, "license"), node(LICENCE))
    out.add(page, p(PROV, "wasAttributedTo"), node(CONTRIBUTORS))
    out.add(page, wkg("revisionHistory"), history)
    if record.page_id is not None:
        out.add(page, p(DBO, "wikiPageID"), typed(record.page_id, "integer"))
    out.add(node(CONTRIBUTORS), RDF_TYPE, p(PROV, "Agent"))
    out.add(node(CONTRIBUTORS), ox.NamedNode(PREFIXES["rdfs"] + "label"), lang_literal("Wikipedia contributors", "en"))

    if record.revision_id is None:  # a .wiki file: a copy of some revision of the page
        out.add(source, p(PROV, "wasDerivedFrom"), page)
        return out
    revision = node(iris.revision_iri(record.lang, record.revision_id))
    out.add(source, p(PROV, "wasDerivedFrom"), revision)  # the wikitext is a copy of the revision's
    out.add(revision, RDF_TYPE, p(PROV, "Entity"))
    out.add(revision, p(PROV, "specializationOf"), page)
    out.add(revision, p(SCHEMA, "version"), typed(record.revision_id, "integer"))  # as Wikidata's RDF writes it
    out.add(revision, p(DBO, "wikiPageRevisionID"), typed(record.revision_id, "integer"))
    if record.timestamp:
        out.add(revision, p(PROV, "generatedAtTime"), typed(record.timestamp, "dateTime"))
    out.add(revision, p(DCT, "license"), node(LICENCE))
    out.add(revision, p(PROV, "wasAttributedTo"), node(CONTRIBUTORS))
    out.add(revision, wkg("revisionHistory"), history)
    return out


def provenance_triples(inputs: list[InputRecord], triples: int, sink: TripleSink | None = None) -> TripleSink:
    """The run, the tool and the dataset as a whole; ``triples`` counts the graph without this part."""
    out = TripleSink() if sink is None else sink
    day = run_date()
    key = sha256("|".join(sorted(i.sha256 for i in inputs)).encode()).hexdigest()[:20]
    dataset = node(DATASET)
    run = node(f"{iris.BASE}run/{key}/{day.isoformat()}")
    tool = node(f"{iris.BASE}software/wikikg/{__version__}")

    out.add(tool, RDF_TYPE, p(PROV, "SoftwareAgent"))
    out.add(tool, p(SCHEMA, "name"), ox.Literal("wikikg"))
    out.add(tool, p(SCHEMA, "softwareVersion"), ox.Literal(__version__))

    out.add(run, RDF_TYPE, p(PROV, "Activity"))
    out.add(run, p(PROV, "wasAssociatedWith"), tool)
    out.add(run, p(DCT, "date"), typed(day.isoformat(), "date"))

    out.add(dataset, RDF_TYPE, p(VOID, "Dataset"))
    out.add(dataset, RDF_TYPE, p(PROV, "Entity"))
    out.add(dataset, p(PROV, "wasGeneratedBy"), run)
    out.add(dataset, p(DCT, "created"), typed(day.isoformat(), "date"))
    out.add(dataset, p(DCT, "license"), node(LICENCE))
    out.add(dataset, p(VOID, "triples"), typed(triples, "integer"))
    out.add(dataset, p(DCT, "title"), lang_literal("wikikg knowledge graph of Wikipedia's wars and battles", "en"))
    for vocabulary in VOCABULARIES:
        out.add(dataset, p(VOID, "vocabulary"), node(vocabulary))
    for record in inputs:
        out.add(run, p(PROV, "used"), node(f"{iris.BASE}input/sha256/{record.sha256}"))
    return out
