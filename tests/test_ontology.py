"""Tests for the wikikg ontology, its alignments and its SHACL shapes (ontology/*.ttl)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from .conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "wikikg.ttl"
ALIGNMENTS = ONTOLOGY_DIR / "alignments.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
FILES = [ONTOLOGY, ALIGNMENTS, SHAPES]

WKG = Namespace("https://w3id.org/wikikg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/wikikg/ontology")
DBO = "http://dbpedia.org/ontology/"
DCTERMS = Namespace("http://purl.org/dc/terms/")
# a plain Namespace: rdflib's closed XSD namespace warns when pytest inspects module globals
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

PREFIXES = """\
@prefix wkg:  <https://w3id.org/wikikg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix geo:  <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix ex:   <https://example.org/kg/> .
"""

# The vocabulary the RDF emitter is written against: every name must stay declared, with this kind.
CLASSES = {
    "Article", "Conflict", "Side", "Actor", "Party", "Person", "Place", "QualifiedFact", "Belligerence",
    "Support", "Command", "Figure", "Strength", "Casualties", "Citation", "SupportKind",
    "CasualtyCategory", "Fate", "Unit",
}
OBJECT_PROPERTIES = {
    "hasSide", "sideOf", "inConflict", "onSide", "agent", "participant", "foughtOnSide", "supported",
    "commanded", "supportKind", "affiliation", "fate", "occurredAt", "partOf", "unit", "casualtyCategory",
    "citedBy", "basedOn", "extractedFrom", "wikipediaPage",
}
DATATYPE_PROPERTIES = {
    "sideNumber", "startDate", "endDate", "periodStart", "periodEnd", "result", "territorialChanges",
    "casusBelli", "minValue", "maxValue", "approximate", "claimant", "note", "killedInAction", "refKey",
    "refName", "citationTitle", "infoboxField", "sourceText", "sourceLine", "wikiTitle", "linked",
}
CONCEPTS = {
    "SupportKind": {
        "EquipmentSupport", "MercenarySupport", "MilitaryPoliticalSupport", "DisputedSupport",
        "FinancialSupport", "UnspecifiedSupport",
    },
    "CasualtyCategory": {
        "Killed", "Wounded", "Missing", "Captured", "CiviliansKilled", "CiviliansWounded",
        "CiviliansMissing", "Displaced", "TotalCasualties", "EquipmentLost", "DiedOfDisease", "Deserted",
    },
    "Fate": {"KilledInAction", "PrisonerOfWar", "Executed", "WoundedInAction", "DiedOfWounds"},
    "Unit": {"Personnel", "Tanks", "Aircraft", "Helicopters", "Drones", "Vehicles", "Ships", "Artillery", "ArmouredVehicles"},
}
SUBCLASSES = {
    "Party": "Actor", "Person": "Actor", "Belligerence": "QualifiedFact", "Support": "QualifiedFact",
    "Command": "QualifiedFact", "Figure": "QualifiedFact", "Strength": "Figure", "Casualties": "Figure",
}


# --------------------------------------------------------------------------- fixtures


def _load(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _load(ONTOLOGY)


@pytest.fixture(scope="module")
def alignments() -> Graph:
    return _load(ALIGNMENTS)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _load(SHAPES)


def _wkg_terms(graph: Graph) -> set[URIRef]:
    terms = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and str(node).startswith(str(WKG)):
                terms.add(node)
    return terms


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_parses_with_pyoxigraph_strict(path: Path) -> None:
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert quads


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_parses_with_rdflib(path: Path) -> None:
    assert len(_load(path)) > 0


# --------------------------------------------------------------------------- ontology


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert ontology.value(ONTOLOGY_IRI, RDFS.comment) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_used_term_is_declared(path: Path, ontology: Graph) -> None:
    undeclared = []
    for term in sorted(_wkg_terms(_load(path))):
        en_labels = [o for o in ontology.objects(term, RDFS.label) if getattr(o, "language", None) == "en"]
        definitions = [o for o in ontology.objects(term, SKOS.definition) if o.language == "en"]
        if not en_labels or not definitions or (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            undeclared.append(term)
    assert not undeclared, f"terms lacking an en label, an en definition or rdfs:isDefinedBy: {undeclared}"


def test_every_term_has_a_kind_and_a_chinese_label(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.Concept,
             SKOS.ConceptScheme}
    for term in _wkg_terms(ontology):
        assert kinds & set(ontology.objects(term, RDF.type)), f"{term} has no OWL/SKOS type"
        languages = {o.language for o in ontology.objects(term, RDFS.label)}
        assert "zh-Hans" in languages, f"{term} has no zh-Hans label"


def test_emitter_vocabulary_is_declared(ontology: Graph) -> None:
    for name in CLASSES:
        assert (WKG[name], RDF.type, OWL.Class) in ontology, name
    for name in OBJECT_PROPERTIES:
        assert (WKG[name], RDF.type, OWL.ObjectProperty) in ontology, name
    for name in DATATYPE_PROPERTIES:
        assert (WKG[name], RDF.type, OWL.DatatypeProperty) in ontology, name
    for sub, sup in SUBCLASSES.items():
        assert (WKG[sub], RDFS.subClassOf, WKG[sup]) in ontology, sub
    assert (WKG.citedBy, OWL.inverseOf, WKG.basedOn) in ontology
    assert (WKG.hasSide, OWL.inverseOf, WKG.sideOf) in ontology


def test_controlled_vocabularies(ontology: Graph) -> None:
    for cls, individuals in CONCEPTS.items():
        assert (WKG[cls], RDFS.subClassOf, SKOS.Concept) in ontology
        declared = set(ontology.subjects(RDF.type, WKG[cls]))
        assert declared == {WKG[name] for name in individuals}, cls
        for concept in declared:
            assert (concept, RDF.type, SKOS.Concept) in ontology
            scheme = ontology.value(concept, SKOS.inScheme)
            assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology, concept
            labels = {o.language: str(o) for o in ontology.objects(concept, RDFS.label)}
            assert {"en", "zh-Hans", "zh-Hant"} <= set(labels), concept
            pref = {o.language: str(o) for o in ontology.objects(concept, SKOS.prefLabel)}
            assert pref == labels, concept
    label = ontology.value(WKG.MilitaryPoliticalSupport, RDFS.label)
    assert str(label) == "direct military and political support"
    assert Literal("流离失所", lang="zh-Hans") in set(ontology.objects(WKG.Displaced, RDFS.label))
    assert Literal("陣亡", lang="zh-Hant") in set(ontology.objects(WKG.KilledInAction, RDFS.label))


def test_functional_datatype_ranges(ontology: Graph) -> None:
    assert ontology.value(WKG.sideNumber, RDFS.range) == XSD.integer
    assert ontology.value(WKG.killedInAction, RDFS.range) == XSD.boolean
    assert ontology.value(WKG.refKey, RDFS.range) == XSD.string
    for prop in (WKG.sideNumber, WKG.killedInAction, WKG.refKey):
        assert (prop, RDF.type, OWL.FunctionalProperty) in ontology


# --------------------------------------------------------------------------- alignments


def test_no_owl_equivalence_with_dbpedia(alignments: Graph, ontology: Graph) -> None:
    for graph in (alignments, ontology):
        for predicate in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs):
            for s, o in graph.subject_objects(predicate):
                assert not str(s).startswith(DBO) and not str(o).startswith(DBO), (s, predicate, o)


def test_alignments_only_touch_declared_terms(alignments: Graph, ontology: Graph) -> None:
    declared = set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI))
    for subject in set(alignments.subjects()):
        if isinstance(subject, URIRef) and str(subject).startswith(str(WKG)):
            assert subject in declared, subject


def test_key_alignments(alignments: Graph) -> None:
    wdt = Namespace("http://www.wikidata.org/prop/direct/")
    wd = Namespace("http://www.wikidata.org/entity/")
    sem = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (WKG.Conflict, RDFS.subClassOf, sem.Event) in alignments
    assert (WKG.Conflict, RDFS.subClassOf, URIRef("https://schema.org/Event")) in alignments
    assert (WKG.Person, WKG.closeMatch, wd.Q5) in alignments
    assert (WKG.participant, WKG.closeMatch, wdt.P710) in alignments
    pq = Namespace("http://www.wikidata.org/prop/qualifier/")
    pr = Namespace("http://www.wikidata.org/prop/reference/")
    assert (WKG.periodStart, WKG.closeMatch, pq.P580) in alignments  # a qualifier, as Wikibase RDF writes it
    assert (WKG.basedOn, WKG.relatedMatch, pr.P248) in alignments  # a reference
    assert (WKG.periodStart, WKG.closeMatch, wdt.P580) not in alignments
    assert (WKG.occurredAt, RDFS.subPropertyOf, sem.hasPlace) in alignments
    assert (WKG.basedOn, RDFS.subPropertyOf, prov.wasDerivedFrom) in alignments
    assert (WKG.citedBy, RDFS.subPropertyOf, URIRef("http://purl.org/spar/cito/isCitedBy")) in alignments


def test_skos_mapping_properties_only_between_concepts(alignments: Graph, ontology: Graph) -> None:
    """skos:closeMatch & co. have domain and range skos:Concept: stated on an OWL class or property they would make it
    (and dbo:MilitaryConflict, wdt:P710) a concept."""
    mapping = {SKOS.closeMatch, SKOS.exactMatch, SKOS.relatedMatch, SKOS.narrowMatch, SKOS.broadMatch,
               SKOS.mappingRelation}
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    for graph in (alignments, ontology):
        for s, p, o in graph:
            if p in mapping:
                assert s in concepts, (s, p, o)


def test_bibliographic_terms_describe_works(ontology: Graph) -> None:
    for name in ("author", "year", "isbn", "doi", "url", "archiveUrl", "publisher", "citationTitle"):
        assert ontology.value(WKG[name], RDFS.domain) == WKG.Work, name
    assert ontology.value(WKG.citedIn, RDFS.domain) == WKG.Work
    assert ontology.value(WKG.citedBy, RDFS.domain) == WKG.Citation
    assert ontology.value(WKG.year, RDFS.range) == XSD.gYear
    assert ontology.value(WKG.wikiTitle, RDFS.range) == RDF.langString
    assert (WKG.url, RDF.type, OWL.ObjectProperty) in ontology


def test_wikidata_qids_are_verified(alignments: Graph) -> None:
    verified_file = shared_path("wikidata", "verified_qids.tsv")
    verified = {line.split("\t")[0] for line in verified_file.read_text(encoding="utf-8").splitlines()[1:]}
    wd = "http://www.wikidata.org/entity/"
    used = {str(o)[len(wd):] for o in alignments.objects() if str(o).startswith(wd)}
    assert used and used <= verified, used - verified


# --------------------------------------------------------------------------- shapes

CONFORMING = PREFIXES + """
ex:article a wkg:Article ;
    rdfs:label "Battle of Example"@en .

ex:battle a wkg:Conflict ;
    rdfs:label "Battle of Example"@en , "示例战役"@zh-Hans ;
    wkg:startDate "1992"^^xsd:gYear ;
    wkg:endDate "1992-05-09"^^xsd:date ;
    wkg:partOf ex:war ;
    wkg:hasSide ex:battle-side1 , ex:battle-side2 ;
    wkg:participant ex:alpha , ex:beta ;
    wkg:occurredAt ex:town ;
    wkg:result "Alpha victory"@en ;
    geo:lat 39.75 ; geo:long 46.75 ;
    wkg:wikipediaPage <https://en.wikipedia.org/wiki/Battle_of_Example> ;
    wkg:extractedFrom ex:article .

ex:war a wkg:Conflict ;
    rdfs:label "Example War"@en ;
    wkg:startDate "1988-02"^^xsd:gYearMonth .

ex:battle-side1 a wkg:Side ; wkg:sideNumber 1 ; wkg:sideOf ex:battle .
ex:battle-side2 a wkg:Side ; wkg:sideNumber 2 ; wkg:sideOf ex:battle .

ex:alpha a wkg:Party ;
    rdfs:label "Alpha"@en ;
    wkg:wikiTitle "Alpha"@en ; wkg:linked true ;
    wkg:foughtOnSide ex:battle-side1 .
ex:beta a wkg:Party ; rdfs:label "Beta"@en ; wkg:foughtOnSide ex:battle-side2 .
ex:gamma a wkg:Party ; rdfs:label "Gamma"@en ; wkg:linked false ; wkg:supported ex:battle-side2 .
ex:smith a wkg:Person ; rdfs:label "John Smith"@en ; wkg:commanded ex:battle-side1 .
ex:town a wkg:Place ; rdfs:label "Exampletown"@en ; geo:lat 39.8 ; geo:long 46.7 .

ex:ref1 a wkg:Citation ;
    wkg:refKey "de Waal 2003, p. 285" ;
    wkg:refName "dewaal" ;
    wkg:work ex:black-garden ;
    wkg:citedBy ex:b1 ;
    wkg:extractedFrom ex:article .

ex:black-garden a wkg:Book ;
    rdfs:label "Black Garden" ;
    wkg:citationTitle "Black Garden" ;
    wkg:year "2003"^^xsd:gYear ;
    wkg:citedIn ex:article .

ex:b1 a wkg:Belligerence ;
    wkg:inConflict ex:battle ; wkg:onSide ex:battle-side1 ; wkg:agent ex:alpha ;
    wkg:periodStart "1992"^^xsd:gYear ; wkg:periodEnd "1992-05"^^xsd:gYearMonth ;
    wkg:infoboxField "combatant1" ; wkg:sourceText "[[Alpha]]" ; wkg:sourceLine 12 ;
    wkg:basedOn ex:ref1 ;
    wkg:extractedFrom ex:article .

ex:s1 a wkg:Support ;
    wkg:inConflict ex:battle ; wkg:onSide ex:battle-side2 ; wkg:agent ex:gamma ;
    wkg:supportKind wkg:EquipmentSupport ;
    wkg:infoboxField "combatant2" .

ex:c1 a wkg:Command ;
    wkg:inConflict ex:battle ; wkg:onSide ex:battle-side1 ; wkg:agent ex:smith ;
    wkg:affiliation ex:alpha ;
    wkg:killedInAction true ; wkg:fate wkg:KilledInAction .

ex:f1 a wkg:Strength ;
    wkg:inConflict ex:battle ; wkg:onSide ex:battle-side1 ;
    wkg:minValue 2000 ; wkg:maxValue 2500.5 ; wkg:approximate true ;
    wkg:unit wkg:Personnel ; wkg:claimant "per Alpha sources"@en .

ex:f2 a wkg:Casualties ;
    wkg:inConflict ex:battle ; wkg:onSide ex:battle-side2 ;
    wkg:minValue 120 ; wkg:maxValue 120 ;
    wkg:unit wkg:Personnel ; wkg:casualtyCategory wkg:Killed ;
    wkg:note "including missing"@en .
"""

NON_CONFORMING = PREFIXES + """
ex:battle a wkg:Conflict ;
    wkg:startDate "1992"^^xsd:gYear , "1993"^^xsd:gYear ;  # two start dates
    wkg:endDate "May 1992" ;                              # not a date literal
    wkg:hasSide ex:battle-side1 , ex:stray .             # ex:stray is not a wkg:Side
    # no rdfs:label

ex:battle-side1 a wkg:Side ; wkg:sideNumber 1 ; wkg:sideOf ex:battle .
ex:no-number a wkg:Side ; wkg:sideOf ex:battle .         # no sideNumber
ex:zero a wkg:Side ; wkg:sideNumber 0 ; wkg:sideOf ex:battle .
ex:orphan a wkg:Side ; wkg:sideNumber "2" .              # string number, no conflict

ex:alpha a wkg:Party ; rdfs:label "Alpha" .              # plain, untagged label
ex:smith a wkg:Person .                                  # no label
ex:not-a-citation a wkg:Article .

ex:b1 a wkg:Belligerence ;                               # no conflict, no agent
    wkg:periodStart "spring 1992" ;
    wkg:basedOn ex:not-a-citation .

ex:s1 a wkg:Support ;                                    # no support kind
    wkg:inConflict ex:battle ; wkg:agent ex:alpha .

ex:s2 a wkg:Support ;
    wkg:inConflict ex:battle ; wkg:agent ex:alpha ;
    wkg:supportKind wkg:Killed .                         # not a support kind

ex:c1 a wkg:Command ;                                    # no killedInAction
    wkg:inConflict ex:battle ; wkg:agent ex:alpha .      # agent is not a wkg:Person

ex:f1 a wkg:Strength ;
    wkg:inConflict ex:battle ;
    wkg:minValue "about 2000" .                          # string value

ex:f2 a wkg:Casualties ;                                 # no casualty category
    wkg:inConflict ex:battle ;
    wkg:minValue 500 ; wkg:maxValue 100 .                # min > max

ex:ref1 a wkg:Citation .                                 # no refKey
"""

EXPECTED_VIOLATIONS = {
    ("battle", "rdfs:label", "MinCount"),
    ("battle", "wkg:startDate", "MaxCount"),
    ("battle", "wkg:endDate", "Node"),
    ("battle", "wkg:hasSide", "Class"),
    ("no-number", "wkg:sideNumber", "MinCount"),
    ("zero", "wkg:sideNumber", "MinInclusive"),
    ("orphan", "wkg:sideNumber", "Datatype"),
    ("orphan", "wkg:sideNumber", "MinInclusive"),  # a string is not comparable with 1
    ("orphan", "wkg:sideOf", "MinCount"),
    ("alpha", "rdfs:label", "Datatype"),
    ("alpha", "rdfs:label", "LanguageIn"),  # no tag is no Wikipedia's language
    ("smith", "rdfs:label", "MinCount"),
    ("b1", "wkg:inConflict", "MinCount"),
    ("b1", "wkg:agent", "MinCount"),
    ("b1", "wkg:periodStart", "Node"),
    ("b1", "wkg:basedOn", "Class"),
    ("s1", "wkg:supportKind", "MinCount"),
    ("s2", "wkg:supportKind", "Node"),
    ("c1", "wkg:killedInAction", "MinCount"),
    ("c1", "wkg:agent", "Class"),
    ("f1", "wkg:minValue", "Node"),
    ("f1", "wkg:minValue", "MinInclusive"),  # a string is not comparable with 0
    ("f2", "wkg:casualtyCategory", "MinCount"),
    ("f2", "wkg:minValue", "LessThanOrEquals"),
    ("ref1", "wkg:refKey", "MinCount"),
}


def _data(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def _validate(data: Graph, shapes: Graph, **kwargs) -> tuple[bool, Graph, str]:
    pyshacl = pytest.importorskip("pyshacl")
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, **kwargs)
    return conforms, report, text


def _violations(report: Graph) -> set[tuple[str, str, str]]:
    found = set()
    for result in report.objects(None, SH.result):  # top-level results, not nested sh:detail
        assert report.value(result, SH.resultSeverity) == SH.Violation
        focus = str(report.value(result, SH.focusNode)).rsplit("/", 1)[-1]
        path = report.value(result, SH.resultPath)
        path_name = "rdfs:label" if path == RDFS.label else "wkg:" + str(path)[len(str(WKG)):]
        component = str(report.value(result, SH.sourceConstraintComponent))
        component = component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        found.add((focus, path_name, component))
    return found


def test_shapes_are_well_formed(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes
    for shape in node_shapes:
        assert (shape, SH.closed, Literal(True)) not in shapes
    targets = set(shapes.objects(None, SH.targetClass))
    for name in ("Conflict", "Side", "Belligerence", "Support", "Command", "Figure", "Casualties",
                 "Party", "Person", "Place", "Citation"):
        assert WKG[name] in targets, name
    assert not any(isinstance(t, BNode) for t in targets)


def test_example_terms_are_declared(ontology: Graph) -> None:
    for turtle in (CONFORMING, NON_CONFORMING):
        for term in _wkg_terms(_data(turtle)):
            assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology, term


def test_conforming_example_validates(shapes: Graph) -> None:
    conforms, _, text = _validate(_data(CONFORMING), shapes)
    assert conforms, text


def test_conforming_example_validates_with_ontology(shapes: Graph, ontology: Graph) -> None:
    conforms, _, text = _validate(_data(CONFORMING), shapes, ont_graph=ontology)
    assert conforms, text


def test_conforming_example_validates_with_rdfs_inference(shapes: Graph, ontology: Graph) -> None:
    conforms, _, text = _validate(_data(CONFORMING), shapes, ont_graph=ontology, inference="rdfs")
    assert conforms, text


def test_non_conforming_example_fails_with_expected_violations(shapes: Graph) -> None:
    conforms, report, text = _validate(_data(NON_CONFORMING), shapes)
    assert not conforms
    assert _violations(report) == EXPECTED_VIOLATIONS, text


def test_figure_with_string_value_alone_fails(shapes: Graph) -> None:
    turtle = CONFORMING.replace("wkg:minValue 120 ;", 'wkg:minValue "120" ;')
    conforms, report, _ = _validate(_data(turtle), shapes)
    assert not conforms
    # a string is not comparable with the maximum either
    assert _violations(report) == {("f2", "wkg:minValue", "Node"), ("f2", "wkg:minValue", "LessThanOrEquals"),
                                   ("f2", "wkg:minValue", "MinInclusive")}


def test_ontology_has_no_two_way_links(ontology: Graph) -> None:
    """pyshacl deep-clones the ontology into the data graph (ont_graph=...); two-way links such as
    skos:hasTopConcept + skos:topConceptOf or owl:inverseOf stated on both properties make that
    clone explode combinatorially, so each link is stated in one direction only."""
    assert not list(ontology.triples((None, SKOS.hasTopConcept, None)))
    for p, q in ontology.subject_objects(OWL.inverseOf):
        assert (q, OWL.inverseOf, p) not in ontology, (p, q)


def test_every_term_the_emitter_uses_is_declared_with_the_same_english_label():
    """graph/data/vocabulary.yaml and the mapping files name ontology terms: they exist, with the same labels."""
    import re

    from graph.data.vocab import DATA_DIR, load
    from graph.rdf.terms import PREFIXES

    onto = Graph().parse(ONTOLOGY_DIR / "wikikg.ttl")
    vocab = load("vocabulary")
    for scheme in ("support_kinds", "casualty_categories", "fates", "units"):
        for key, entry in vocab[scheme].items():
            term = URIRef(vocab["prefix"] + entry["iri"])
            labels = {o.language: str(o) for o in onto.objects(term, RDFS.label)}
            assert labels, f"{scheme}.{key}: {term} not declared in wikikg.ttl"
            for lang in ("en", "zh-Hans", "zh-Hant"):
                assert entry[lang] == labels.get(lang), (scheme, key, lang, entry[lang], labels.get(lang))
    used = set()
    for path in (DATA_DIR / "mappings").glob("*.yaml"):
        used |= set(re.findall(r"wkg:(\w+)", path.read_text(encoding="utf-8")))
    for source in (Path(__file__).parent.parent / "graph").rglob("*.py"):
        used |= set(re.findall(r'wkg\("(\w+)"\)', source.read_text(encoding="utf-8")))
    for query in (Path(__file__).parent.parent / "queries").glob("*.rq"):
        used |= set(re.findall(r"wkg:(\w+)", query.read_text(encoding="utf-8")))
    declared = {str(s)[len(PREFIXES["wkg"]):] for s in onto.subjects() if str(s).startswith(PREFIXES["wkg"])}
    assert used - declared == set(), f"used by the emitter but not declared: {sorted(used - declared)}"


def test_the_sssom_table_is_in_step_with_the_alignments():
    """ontology/wikikg.sssom.tsv is what scripts/write_sssom.py writes from alignments.ttl."""
    from graph.rdf.sssom import SSSOM_FILE, sssom_text

    assert SSSOM_FILE.read_text(encoding="utf-8") == sssom_text()
    assert "wkg:Person\tskos:closeMatch\twd:Q5" in SSSOM_FILE.read_text(encoding="utf-8")
