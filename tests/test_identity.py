"""Identity: a link to a section names the page; a prefix is another Wikipedia only when it is a language code;
no %2F in our IRIs; page IRIs as Wikidata's sitelinks write them; one skos:prefLabel per language."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.extract.entities import from_wikilink
from graph.rdf import iri
from graph.rdf.labels import one_preferred_label_per_language
from graph.rdf.terms import RDFS_LABEL, SKOS_PREF
from graph.wikidata.wikibase_rdf import article_iri


def test_a_section_link_names_the_page_not_the_section():
    ref = from_wikilink("纳戈尔诺-卡拉巴赫战争#霍贾雷", "攻占霍贾雷", "zh")
    assert ref.key_title == "纳戈尔诺-卡拉巴赫战争"
    assert ref.wiki_titles == (("zh", "纳戈尔诺-卡拉巴赫战争"),)
    assert ref.section == "霍贾雷"
    assert ref.names()[0] == ("纳戈尔诺-卡拉巴赫战争", "zh-Hans")  # the words shown stay the mention's
    assert ref.label == "攻占霍贾雷"


def test_the_seed_no_longer_labels_the_war_by_a_section(seed_build):
    path, _ = seed_build
    data = path.read_text(encoding="utf-8")
    assert "攻占霍贾雷" not in data
    assert "%23" not in data


@pytest.mark.parametrize(("title", "lang", "key"), [
    ("doi:10.1126/science.1", None, None),           # an identifier, not a page of a Dogri Wikipedia
    ("hdl:2027/mdp.39015", None, None),
    ("s:1911 Encyclopædia Britannica/Angola", None, None),  # a sister project
    ("Ben-Hur: A Tale of the Christ", "en", "Ben-Hur: A Tale of the Christ"),  # a colon in a title
    (":bg:Битка при Одрин", "bg", "Битка при Одрин"),
    (":zh-yue:香港", "zh-yue", "香港"),
])
def test_a_prefix_is_a_wiki_only_when_it_is_a_language_code(title, lang, key):
    ref = from_wikilink(title, None, "en")
    if lang is None:
        assert ref is None
    else:
        assert (ref.key_lang, ref.key_title) == (lang, key)


def test_a_foreign_title_is_tagged_with_its_own_language():
    assert from_wikilink(":bg:Битка при Одрин", None, "en").label_lang == "bg"
    assert from_wikilink(":zh-min-nan:Tâi-oân", None, "en").label_lang == "nan"  # BCP 47, as Wikidata tags it
    assert from_wikilink(":bg:Битка при Одрин", "the battle", "en").label_lang == "en"  # the article's words


def test_no_encoded_slash_in_our_iris():
    assert iri.entity_iri("en", "T-54/55") == "https://w3id.org/wikikg/resource/en/T-54/55"


@pytest.mark.parametrize("title", ["亚美尼亚", "Washington, D.C.", "Alzheimer's disease", "AC/DC", "Ben-Hur: A Tale",
                                   "100% & more", "Treaty of Paris (1783)"])
def test_page_iris_are_written_as_wikidata_sitelinks(title):
    lang = "zh" if title == "亚美尼亚" else "en"
    assert iri.wikipedia_iri(lang, title) == article_iri(f"https://{lang}.wikipedia.org/", title)
    assert iri.wikipedia_iri("zh", "亚美尼亚") == "https://zh.wikipedia.org/wiki/%E4%BA%9A%E7%BE%8E%E5%B0%BC%E4%BA%9A"
    assert iri.wikipedia_iri("en", "Washington, D.C.") == "https://en.wikipedia.org/wiki/Washington,_D.C."


def test_a_merged_graph_keeps_one_preferred_label_per_language():
    x = ox.NamedNode(iri.entity_iri("en", "Kingdom of Great Britain"))
    triples = [ox.Triple(x, SKOS_PREF, ox.Literal("Great Britain", language="en")),
               ox.Triple(x, SKOS_PREF, ox.Literal("Britain", language="en")),
               ox.Triple(x, SKOS_PREF, ox.Literal("大不列颠王国", language="zh-Hans")),
               ox.Triple(x, RDFS_LABEL, ox.Literal("Great Britain", language="en"))]
    kept = one_preferred_label_per_language(triples)
    assert {t.object.value for t in kept if t.predicate == SKOS_PREF} == {"Britain", "大不列颠王国"}
    assert len(kept) == 3


def test_a_page_iri_capitalises_the_first_letter_as_wikipedia_does():
    assert iri.wikipedia_iri("en", "battle of Wakefield") == "https://en.wikipedia.org/wiki/Battle_of_Wakefield"
    assert iri.wikipedia_iri("en", "ßtraße") == "https://en.wikipedia.org/wiki/%C3%9Ftra%C3%9Fe"
