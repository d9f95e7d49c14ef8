"""Malformed and unusual input, one case per test, on real fragments: a diagnostic and a valid graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.pipeline import build
from graph.rdf.serialize import to_bytes
from graph.wikitext.read import decode_source

from .conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")
INFOBOX_END = SEED_TEXT.index("\n}}\n{{Campaignbox")


def run(text: str, lang: str | None = None, title: str | None = None):
    """Build ``text``; the Turtle must parse strictly. Returns (article, codes of the diagnostics)."""
    result = build(decode_source("case.wiki", text.encode("utf-8")), lang=lang, title=title)
    list(ox.parse(to_bytes(result.sink.sorted()), format=ox.RdfFormat.TURTLE))
    return result.article, [d.code for d in result.article.diagnostics]


def commanders(article) -> set[str]:
    return {c.entity.key_title for conflict in article.conflicts for c in conflict.commanders}


def test_unclosed_infobox_is_closed_after_its_last_field():
    text = SEED_TEXT[:INFOBOX_END] + "\n\n" + SEED_TEXT[INFOBOX_END + 4:]  # the seed without its closing }}
    article, codes = run(text)
    assert "unclosed-template" in codes
    assert len(commanders(article)) == 23
    [d] = [d for d in article.diagnostics if d.code == "unclosed-template"]
    assert d.line == 43  # the last field of the seed's infobox


def test_lost_template_opening_is_restored():
    start = SEED_TEXT.index("{{Infobox Military Conflict")
    text = SEED_TEXT[:start] + SEED_TEXT[start + len("{{Infobox Military Conflict"):]
    article, codes = run(text)
    assert "lost-template-opening" in codes
    assert len(commanders(article)) == 23


def test_orphan_closing_ref_is_reported_and_the_line_still_read():
    article, codes = run("{{Infobox military conflict\n|combatant1=[[亚美尼亚|亚美尼亚]]</ref>\n}}", lang="zh")
    assert codes == ["orphan-tag"]
    assert [b.entity.key_title for b in article.conflicts[0].belligerents] == ["亚美尼亚"]


def test_link_broken_across_lines_is_joined():
    article, codes = run("{{Infobox military conflict\n|place=[[纳戈尔诺-\n卡拉巴赫]]\n}}", lang="zh")
    assert codes == ["broken-link"]
    assert [p.entity.key_title for p in article.conflicts[0].places] == ["纳戈尔诺- 卡拉巴赫"]


def test_the_seeds_broken_image_caption_markup_is_stray_text_not_an_entity():
    value = "{{flag|Armenia}}共和国，但是在正式场合被承认为阿塞拜疆共和国的一部分。]]"
    article, codes = run("{{Infobox military conflict\n|combatant1=" + value + "\n}}", lang="zh")
    assert codes == ["stray-markup"]
    assert [b.entity.key_title for b in article.conflicts[0].belligerents] == ["亚美尼亚"]


def test_deep_nesting_is_reported_and_the_output_stays_valid():
    value = "{{x|" * 150 + "[[A]]" + "}}" * 150
    article, codes = run("{{Infobox military conflict\n|combatant1=[[B]]\n|combatant2=" + value + "\n}}", lang="en")
    assert "too-deep" in codes
    assert [b.entity.key_title for b in article.conflicts[0].belligerents][:1] == ["B"]


def test_huge_infobox_value():
    value = "<br/>".join(f"[[Unit {i}]]" for i in range(5_000))
    article, _ = run("{{Infobox military conflict\n|combatant1=" + value + "\n}}", lang="en")
    assert len(article.conflicts[0].belligerents) == 5_000


def test_empty_parameters_give_no_facts_and_no_noise():
    article, codes = run("{{Infobox military conflict\n|conflict=\n|combatant1=\n|commander1=\n|strength1=\n"
                         "|casualties1=\n|date=\n|place=\n}}", lang="en", title="X")
    assert codes == []
    conflict = article.conflicts[0]
    assert not (conflict.belligerents or conflict.commanders or conflict.figures or conflict.places)


@pytest.mark.parametrize("text, lang, code, redirect", [
    ("#REDIRECT [[Battle of Bosworth Field]]", None, "redirect", ("en", "Battle of Bosworth Field")),
    ("#redirect[[Battle of Bosworth Field#Aftermath]]", None, "redirect", ("en", "Battle of Bosworth Field")),
    ("#重定向 [[纳戈尔诺-卡拉巴赫战争]]", None, "redirect", ("zh", "纳戈尔诺-卡拉巴赫战争")),
    ("'''Mercury''' may refer to:\n* [[Mercury (planet)]]\n* [[Mercury (element)]]\n{{disambiguation}}", None,
     "no-infobox", None),
    ("{{Navbox|name=Wars of the Roses|list1=[[Battle of Bosworth Field]]}}", "en", "no-infobox", None),
    ("[[Category:1485 in England]] [[分类:战役]]", "en", "no-infobox", None),
])
def test_pages_without_an_infobox_give_the_page_and_a_diagnostic(text, lang, code, redirect):
    article, codes = run(text, lang=lang, title="Page")
    assert codes == [code]
    assert article.conflicts == []
    if redirect:
        assert (article.redirect.key_lang, article.redirect.key_title) == redirect
    elif "Mercury" in text:
        assert {m.key_title for m in article.mentions} == {"Mercury (planet)", "Mercury (element)"}


def test_conversion_markup_gives_labels_per_variant_and_keeps_line_numbers():
    text = ("{{noteTA|G1=Country|1=zh-hans:纳卡;zh-hant:納卡;zh-tw:納卡共和國}}\n{{Infobox military conflict\n"
            "|conflict=测试-{zh-hans:战争;zh-hant:戰爭}-\n|combatant1=[[亞塞拜然]]\n"
            "|combatant2=[[纳卡]]-{H|zh-cn:坦克;zh-tw:戰車}-\n|strength1=-{超过}-100\n|strength1=5\n}}")
    result = build(decode_source("c.wiki", text.encode()), lang="zh", title="测试战争")
    conflict = result.article.conflicts[0]
    assert conflict.labels == [("测试战争", "zh-Hans")]
    assert [b.entity.key_title for b in conflict.belligerents] == ["阿塞拜疆", "纳卡"]  # 亞塞拜然 is 阿塞拜疆
    [dup] = [d for d in result.article.diagnostics if d.code == "duplicate-parameter"]
    assert dup.line == 7
    labels = {(t.object.value, t.object.language) for t in result.sink.sorted()
              if t.subject.value.endswith("/zh/纳卡") and t.predicate.value.endswith("label")}
    assert {("纳卡", "zh-hans"), ("納卡", "zh-hant"), ("納卡共和國", "zh-tw")} <= labels


def test_the_seed_has_one_node_per_state_with_both_scripts():
    result = build(decode_source("seed.wiki", SEED.read_bytes()))
    labels: dict[str, set] = {}
    for t in result.sink.sorted():
        if t.predicate.value.endswith("#label") and "/resource/" in t.subject.value:
            labels.setdefault(t.subject.value.split("/resource/")[1], set()).add((t.object.value, t.object.language))
    for node, hans, hant in [("zh/亚美尼亚", "亚美尼亚", "亞美尼亞"), ("zh/阿塞拜疆", "阿塞拜疆", "亞塞拜然"),
                             ("zh/俄罗斯", "俄罗斯", "俄羅斯"), ("zh/土耳其", "土耳其", "土耳其"),
                             ("zh/灰狼_(组织)", "灰狼", "灰狼"),
                             ("zh/纳戈尔诺-卡拉巴赫", "纳戈尔诺-卡拉巴赫", "納戈爾諾-卡拉巴赫"),
                             ("zh/纳戈尔诺-卡拉巴赫共和国", "纳戈尔诺-卡拉巴赫共和国", "納戈爾諾-卡拉巴赫共和國")]:
        assert (hans, "zh-hans") in labels[node], node
        assert (hant, "zh-hant") in labels[node], node
    for spelling in ("亞美尼亞", "亞塞拜然", "俄羅斯", "灰狼_(組織)", "Armenia", "Azerbaijan"):
        assert not [n for n in labels if n.endswith("/" + spelling)], spelling


def test_another_infobox_is_never_mistaken_for_a_lost_opening():
    text = "{{Infobox person\n| name = Ada\n| commander1 = x\n| combatant1 = y\n}}\n'''Ada''' was a person."
    article, codes = run(text, lang="en")
    assert article.conflicts == [] and codes == ["no-infobox"]


def test_unclosed_ref_is_text_and_the_line_still_read():
    article, codes = run("{{Infobox military conflict\n|casualties1 = 100<ref>Chrimes 1999\n"
                         "|casualties2 = 200<ref>Ross 1997</ref>\n}}", lang="en")
    assert "unclosed-tag" in codes
    assert [f.quantity.min for f in article.conflicts[0].figures] == [100, 200]


def test_tag_without_its_closing_bracket_is_text():
    article, codes = run("{{Infobox military conflict\n|combatant1 = [[Onondaga people|Onondaga]]<br /\n"
                         "[[Mohawk nation|Mohawk]]\n}}", lang="en")
    assert "unfinished-tag" in codes
    assert [b.entity.key_title for b in article.conflicts[0].belligerents] == ["Onondaga people", "Mohawk nation"]


def test_a_ref_whose_content_breaks_the_parser_is_still_a_source():
    text = ("{{Infobox military conflict\n|combatant1=[[A]]<ref name=\"stewart\"/>\n}}\n'''X''' was a war."
            "<ref name=\"stewart\">[http://history.army.mil/x.htm Richard W. Stewart, ''American Military History"
            " Volume 1\" (2005)] ch 4, p. 103.</ref>")
    article, codes = run(text, lang="en")
    assert "undefined-ref" not in codes
    assert "stewart" in article.refs and "Richard W. Stewart" in (article.refs["stewart"].title or "")


def facts(article) -> dict[str, list]:
    [conflict] = article.conflicts
    return {
        "dates": [conflict.dates],
        "places": [p.entity.key_title for p in conflict.places],
        "belligerents": [(b.side, b.entity.key_title) for b in conflict.belligerents],
        "supporters": [(s.side, s.entity.key_title, s.kind) for s in conflict.supporters],
        "commanders": [(c.side, c.entity.key_title, c.fate) for c in conflict.commanders],
        "figures": [(f.side, f.measure, f.category, f.quantity.min, f.quantity.max, f.claimant) for f in conflict.figures],
    }


def test_an_infobox_written_inside_table_markup_is_found_with_all_its_facts():
    """Older revisions lay the infobox and a campaign box out in a table: {| |{{Infobox …}} |- |{{Campaignbox …}} |}."""
    start = SEED_TEXT.index("{{Infobox Military Conflict")
    campaignbox_end = SEED_TEXT.index("}}", INFOBOX_END + 4) + 2
    infobox, campaignbox = SEED_TEXT[start:INFOBOX_END + 3], SEED_TEXT[INFOBOX_END + 4:campaignbox_end]
    tabled = (SEED_TEXT[:start] + '{| style="float:right; background:transparent"\n|-\n|' + infobox + "\n|-\n|"
              + campaignbox + "\n|}" + SEED_TEXT[campaignbox_end:])
    article, codes = run(tabled)
    plain, _ = run(SEED_TEXT)
    assert facts(article) == facts(plain)
    assert len(commanders(article)) == 23
    assert not {"no-infobox", "unclosed-template", "unknown-template"} & set(codes)


def test_a_field_nested_past_the_parsers_depth_costs_that_field_only():
    """Past its depth the parser would end the infobox inside the deep field and lose every field after it."""
    deep = "{{small|" * 40 + "[[Dave]]" + "}}" * 40
    text = ("{{Infobox military conflict\n|combatant1=[[House of York]]\n|combatant2=[[House of Lancaster]]\n"
            "|commander1=[[Richard, 3rd Duke of York]]{{KIA}}\n|strength1=" + deep + "\n"
            "|commander2=[[Henry Beaufort, 3rd Duke of Somerset|Duke of Somerset]]<br />[[Andrew Trollope]]\n"
            "|strength2=18,000\n|casualties1=2,500\n}}\n'''X''' was a battle.")
    article, codes = run(text, lang="en")
    assert commanders(article) == {"Richard, 3rd Duke of York", "Henry Beaufort, 3rd Duke of Somerset",
                                   "Andrew Trollope"}
    assert [(f.side, f.quantity.min) for f in article.conflicts[0].figures] == [(2, 18000), (1, 2500)]
    [skipped] = [d for d in article.diagnostics if d.code == "too-deep-field"]
    assert "'strength1'" in skipped.message and skipped.line == 5
    assert "stray-markup" not in codes
