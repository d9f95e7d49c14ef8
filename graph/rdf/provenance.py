"""Provenance of a run (PROV-O) and a VoID description of the graph it wrote.

Says where the graph comes from: each input file (name, SHA-256) and the Wikipedia article it holds,
the tool and its version, the day of the run, the licence (CC BY-SA 4.0, as for everything derived
from Wikipedia) and the vocabularies used. The day, not the second, is recorded so that two runs on
the same input the same day write byte-identical files; ``SOURCE_DATE_EPOCH`` (the reproducible-builds
convention) fixes it for every day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

import pyoxigraph as ox

from graph import __version__
from graph.rdf import iri as iris
from graph.rdf.terms import PREFIXES, TripleSink, node, typed, wkg

PROV = PREFIXES["prov"]
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = PREFIXES["schema"]
LICENCE = "https://creativecommons.org/licenses/by-sa/4.0/"
VOCABULARIES = [iris.ONTOLOGY, PREFIXES["rdfs"], PREFIXES["skos"], PROV, SCHEMA, PREFIXES["geo"], VOID, DCT]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


@dataclass(frozen=True)
class InputRecord:
    name: str  # the file as given ("seeds/x.wiki", "dump.xml.bz2#page=12", "<stdin>")
    sha256: str
    article_iri: str  # the Wikipedia page the input holds
    title: str
    lang: str


def run_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def p(ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


def provenance_triples(inputs: list[InputRecord], triples: int, sink: TripleSink | None = None) -> TripleSink:
    """The run, its inputs, the tool and the dataset; ``triples`` counts the graph without this part."""
    out = TripleSink() if sink is None else sink
    day = run_date()
    key = hashlib.sha256("|".join(sorted(i.sha256 for i in inputs)).encode()).hexdigest()[:20]
    dataset = node(f"{iris.BASE}dataset/{key}")
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
    titles = ", ".join(sorted({i.title for i in inputs}))
    out.add(dataset, p(DCT, "title"), ox.Literal(f"wikikg graph of {titles}"[:500]))
    for vocabulary in VOCABULARIES:
        out.add(dataset, p(VOID, "vocabulary"), node(vocabulary))

    for record in inputs:
        source = node(f"{iris.BASE}input/sha256/{record.sha256}")
        article = node(record.article_iri)
        out.add(run, p(PROV, "used"), source)
        out.add(dataset, p(PROV, "wasDerivedFrom"), source)
        out.add(dataset, p(DCT, "source"), article)
        out.add(source, RDF_TYPE, p(PROV, "Entity"))
        out.add(source, wkg("fileName"), ox.Literal(record.name))
        out.add(source, wkg("sha256"), ox.Literal(record.sha256))
        out.add(source, p(PROV, "wasDerivedFrom"), article)  # the wikitext is a copy of the article's
        out.add(article, p(SCHEMA, "inLanguage"), ox.Literal(record.lang))
    return out
