"""The ontology's documentation: one self-contained HTML page written from ontology/wikikg.ttl and alignments.ttl.

pyLODE would be the usual tool, but its release on PyPI (3.4.1) does not import when installed from the wheel (it
reads a pyproject.toml that the wheel does not ship), so the page is made here, with rdflib only. Every term is an
element whose id is its local name: ``https://w3id.org/wikikg/ontology#Conflict`` lands on its entry once w3id.org
redirects the namespace to this page (docs/w3id/).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph.rdf.iri import ONTOLOGY as WKG
from graph.rdf.serialize import write_atomically
from graph.rdf.vocabulary import ONTOLOGY_FOLDER

ONTOLOGY_DIR = ONTOLOGY_FOLDER  # inside the package: an installed wheel has it too
ONTOLOGY_IRI = URIRef(WKG.rstrip("#"))
KINDS = [(OWL.Class, "Classes"), (OWL.ObjectProperty, "Object properties"),
         (OWL.DatatypeProperty, "Datatype properties"), (OWL.AnnotationProperty, "Annotation properties"),
         (SKOS.ConceptScheme, "Concept schemes"), (SKOS.Concept, "Concepts")]
# What an entry shows, in this order: (predicate, heading)
FACTS = [(RDFS.subClassOf, "subclass of"), (RDFS.subPropertyOf, "subproperty of"), (OWL.inverseOf, "inverse of"),
         (RDFS.domain, "domain"), (RDFS.range, "range"), (SKOS.inScheme, "in scheme"),
         (URIRef(WKG + "closeMatch"), "close match"), (URIRef(WKG + "narrowMatch"), "narrow match"),
         (URIRef(WKG + "relatedMatch"), "related match"), (SKOS.closeMatch, "close match (SKOS)"),
         (SKOS.exactMatch, "exact match (SKOS)")]
STYLE = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.45}
dt{font-weight:600}section.term{border-top:1px solid #ddd;padding:.5em 0}code{background:#f4f4f4;padding:0 .2em}
.iri{color:#555;font-size:.9em}nav li{display:inline;margin-right:.6em}"""


def load_ontology(folder: Path = ONTOLOGY_DIR) -> Graph:
    graph = Graph()
    for name in ("wikikg.ttl", "alignments.ttl"):
        graph.parse(folder / name, format="turtle")
    return graph


def ontology_html(graph: Graph) -> str:
    """The page: the ontology's header, a table of contents, then every term of ours by kind."""
    title = text_of(graph, ONTOLOGY_IRI, DCTERMS.title) or "wikikg ontology"
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
             f"<style>{STYLE}</style></head><body>", f"<h1>{esc(title)}</h1>", header(graph)]
    sections = [(label, terms_of_kind(graph, kind)) for kind, label in KINDS]
    parts.append("<nav><ul>" + "".join(f'<li><a href="#{slug(label)}">{esc(label)}</a> ({len(terms)})</li>'
                                       for label, terms in sections if terms) + "</ul></nav>")
    for label, terms in sections:
        if terms:
            parts.append(f'<h2 id="{slug(label)}">{esc(label)}</h2>')
            parts += [entry(graph, term) for term in terms]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_ontology_html(path: str | Path, folder: Path = ONTOLOGY_DIR) -> None:
    """Write the ontology's documentation page to ``path`` (atomically)."""
    write_atomically(path, ontology_html(load_ontology(folder)).encode("utf-8"))


def header(graph: Graph) -> str:
    rows = [("IRI", link(ONTOLOGY_IRI)), ("namespace", f"<code>{esc(WKG)}</code> (prefix <code>wkg:</code>)"),
            ("version", esc(text_of(graph, ONTOLOGY_IRI, OWL.versionInfo) or "")),
            ("licence", " ".join(link(o) for o in graph.objects(ONTOLOGY_IRI, DCTERMS.license)))]
    description = text_of(graph, ONTOLOGY_IRI, DCTERMS.description) or ""
    return (f"<p>{esc(description)}</p><dl>"
            + "".join(f"<dt>{esc(name)}</dt><dd>{value}</dd>" for name, value in rows if value) + "</dl>")


def terms_of_kind(graph: Graph, kind: URIRef) -> list[URIRef]:
    """Our terms of this kind, by local name; a term listed under one kind is not repeated under a later one."""
    earlier = {k for k, _ in KINDS[:[k for k, _ in KINDS].index(kind)]}
    return sorted((t for t in set(graph.subjects(RDF.type, kind))
                   if isinstance(t, URIRef) and str(t).startswith(WKG)
                   and not any((t, RDF.type, k) in graph for k in earlier)), key=str)


def entry(graph: Graph, term: URIRef) -> str:
    local = str(term)[len(WKG):]
    labels = ", ".join(f"{esc(str(label))} <small>@{esc(label.language or '')}</small>"
                       for label in sorted(graph.objects(term, RDFS.label), key=lambda o: (o.language or "", str(o))))
    rows = [(heading, ", ".join(name_of(graph, o) for o in sorted(graph.objects(term, p), key=str)))
            for p, heading in FACTS]
    definition = text_of(graph, term, SKOS.definition) or ""
    return (f'<section class="term" id="{esc(local)}"><h3>{esc(local)}</h3>'
            f'<div class="iri"><code>{esc(str(term))}</code></div><p>{labels}</p><p>{esc(definition)}</p><dl>'
            + "".join(f"<dt>{esc(h)}</dt><dd>{v}</dd>" for h, v in rows if v) + "</dl></section>")


def name_of(graph: Graph, value) -> str:
    """A term of ours links to its entry; a union class lists its members; anything else shows its IRI."""
    if isinstance(value, URIRef) and str(value).startswith(WKG):
        local = str(value)[len(WKG):]
        return f'<a href="#{esc(local)}"><code>wkg:{esc(local)}</code></a>'
    members = graph.value(value, OWL.unionOf)
    if members is not None:
        return " ∪ ".join(name_of(graph, m) for m in graph.items(members))
    return link(value) if isinstance(value, URIRef) else esc(str(value))


def text_of(graph: Graph, subject, predicate) -> str | None:
    """The English value, else any."""
    values: Iterable[Literal] = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    values = sorted(values, key=lambda o: (o.language != "en", str(o)))
    return " ".join(str(values[0]).split()) if values else None


def link(iri) -> str:
    return f'<a href="{esc(str(iri))}"><code>{esc(str(iri))}</code></a>'


def slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def esc(text: str) -> str:
    return html.escape(text, quote=True)
