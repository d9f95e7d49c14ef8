"""The ontology's mappings (ontology/alignments.ttl) as an SSSOM table: one row per mapping, SKOS predicates."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from graph.rdf.iri import ONTOLOGY as WKG
from graph.rdf.vocabulary import ONTOLOGY_FOLDER

ONTOLOGY_DIR = ONTOLOGY_FOLDER  # inside the package: an installed wheel has it too
SSSOM_FILE = ONTOLOGY_DIR / "wikikg.sssom.tsv"
SKOS = "http://www.w3.org/2004/02/skos/core#"
# our annotation (or RDFS axiom) → the SSSOM predicate that says the same
PREDICATES = {WKG + "closeMatch": "skos:closeMatch", WKG + "narrowMatch": "skos:narrowMatch",
              WKG + "relatedMatch": "skos:relatedMatch", str(RDFS.subClassOf): "rdfs:subClassOf",
              str(RDFS.subPropertyOf): "rdfs:subPropertyOf"}
CURIE_MAP = {"semapv": "https://w3id.org/semapv/vocab/", "wkg": WKG, "skos": SKOS, "rdfs": str(RDFS), "wd": "http://www.wikidata.org/entity/",
             "wdt": "http://www.wikidata.org/prop/direct/", "pq": "http://www.wikidata.org/prop/qualifier/",
             "pr": "http://www.wikidata.org/prop/reference/", "wikibase": "http://wikiba.se/ontology#",
             "schema": "https://schema.org/", "dbo": "http://dbpedia.org/ontology/",
             "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/", "crm": "http://www.cidoc-crm.org/cidoc-crm/",
             "prov": "http://www.w3.org/ns/prov#", "cito": "http://purl.org/spar/cito/",
             "biro": "http://purl.org/spar/biro/", "fabio": "http://purl.org/spar/fabio/",
             "doco": "http://purl.org/spar/doco/", "foaf": "http://xmlns.com/foaf/0.1/",
             "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#", "bibo": "http://purl.org/ontology/bibo/",
             "dcterms": "http://purl.org/dc/terms/"}


def curie(iri: str) -> str:
    for prefix, namespace in sorted(CURIE_MAP.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def mappings(folder: Path = ONTOLOGY_DIR) -> list[tuple[str, str, str]]:
    graph = Graph().parse(folder / "alignments.ttl", format="turtle")
    rows = {(curie(str(s)), PREDICATES[str(p)], curie(str(o))) for s, p, o in graph
            if str(p) in PREDICATES and isinstance(s, URIRef) and str(s).startswith(WKG) and isinstance(o, URIRef)}
    return sorted(rows)


def sssom_text(folder: Path = ONTOLOGY_DIR) -> str:
    header = ["#curie_map:", *[f"#  {prefix}: {namespace}" for prefix, namespace in sorted(CURIE_MAP.items())],
              "#mapping_set_id: https://w3id.org/wikikg/ontology/mappings",
              "#license: https://creativecommons.org/licenses/by/4.0/",
              ]
    lines = ["subject_id\tpredicate_id\tobject_id\tmapping_justification"]
    lines += [f"{s}\t{p}\t{o}\tsemapv:ManualMappingCuration" for s, p, o in mappings(folder)]
    return "\n".join(header + lines) + "\n"
