"""The ontology's HTML page (graph.rdf.ontology_docs): every term of ours has an entry, every link inside resolves."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from rdflib import URIRef

from graph.rdf.iri import ONTOLOGY
from graph.rdf.ontology_docs import load_ontology, write_ontology_html


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids, self.links = set(), set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.add(attrs["href"][1:])


def test_every_term_has_an_entry_and_every_link_resolves(tmp_path):
    out = tmp_path / "ontology.html"
    write_ontology_html(out)
    page = Anchors()
    page.feed(out.read_text(encoding="utf-8"))
    graph = load_ontology()
    ours = {str(s)[len(ONTOLOGY):] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY)
            and str(s) != ONTOLOGY}
    assert ours and ours <= page.ids, sorted(ours - page.ids)
    assert page.links <= page.ids, sorted(page.links - page.ids)
    assert "Conflict" in page.ids and "closeMatch" in page.ids


def test_the_w3id_plan_redirects_every_namespace_we_mint():
    from pathlib import Path

    from graph.rdf import iri

    htaccess = (Path(__file__).parent.parent / "docs" / "w3id" / ".htaccess").read_text(encoding="utf-8")
    rule = re.search(r"\^\(([a-z|]+)\)/", htaccess)
    redirected = set(rule.group(1).split("|"))
    minted = {value[len(iri.BASE):].split("/")[0] for value in (iri.RESOURCE, iri.STATEMENT, iri.CITATION,
                                                                iri.SECTION, iri.EVENT, iri.work_iri("x"),
                                                                iri.graph_iri("en", "X"))}
    assert minted <= redirected, minted - redirected
