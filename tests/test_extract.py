"""The extract stage on real fragments: one infobox field at a time, facts as dataclasses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.model import Conflict
from graph.pipeline import extract_article
from graph.wikitext.read import decode_source


def conflict_of(fields: str, lang: str = "zh") -> Conflict:
    text = "{{Infobox military conflict\n|conflict=Test\n" + fields + "\n}}\n'''Test'''"
    article = extract_article(decode_source("fragment.wiki", text.encode()), lang=lang)
    assert len(article.conflicts) == 1
    return article.conflicts[0]


SEED_COMBATANT1A = (
    "| combatant1a = '''1991–1994'''<br/>{{flag|Nagorno-Karabakh|size=23px}}<br />{{flag|Armenia|size=23px}}"
    "<br />裝備保障:\n*{{flag|Russia|1991|size=23px}}<ref>x</ref>\n*{{flag|Greece|size=23px}}<ref name=\"cssas\">y</ref>"
)


def test_period_header_and_equipment_heading_scope_the_lines_below():
    c = conflict_of(SEED_COMBATANT1A)
    assert [(b.entity.key_title, b.period.start.year, b.period.end.year) for b in c.belligerents] == [
        ("纳戈尔诺-卡拉巴赫共和国", 1991, 1994), ("亚美尼亚", 1991, 1994)]
    assert [(s.entity.key_title, s.kind, s.side) for s in c.supporters] == [
        ("俄罗斯", "equipment", 1), ("希腊", "equipment", 1)]
    assert [r.key for r in c.supporters[1].refs] == ["cssas"]


def test_inline_annotation_makes_a_supporter_and_mercenary_heading():
    c = conflict_of("| combatant2a = {{flag|Azerbaijan}}<br/>{{flag|Turkey|size=23px}} (直接軍事& 政治支持)<ref>z</ref>"
                    "<br /> 外國傭兵: \n*{{flagicon image|Flag of Chechen Republic of Ichkeria.svg}} "
                    "[[伊奇克里亞車臣共和國|車臣武裝分子]]<ref name=\"Griffin\"/>\n*[[灰狼_(组织)|灰狼]]")
    assert [b.entity.key_title for b in c.belligerents] == ["阿塞拜疆"]
    assert [(s.entity.key_title, s.kind, s.side) for s in c.supporters] == [
        ("土耳其", "military-political", 2), ("伊奇克里亚车臣共和国", "mercenaries", 2), ("灰狼 (组织)", "mercenaries", 2)]


def test_unlinked_name_with_linked_parenthesis_takes_the_link():
    c = conflict_of("| combatant1 = {{flagdeco|ARM|size=23px}} 亞美尼亞民兵 ([[達什奈克楚瓊|達什奈克楚瓊]])")
    entity = c.belligerents[0].entity
    assert entity.key_title == "达什奈克楚琼"
    assert ("亞美尼亞民兵", "zh-Hant") in entity.extra_labels


@pytest.mark.parametrize("wikitext, key_lang, key_title, fate, affiliation", [
    ("{{flagdeco|ARM}} [[Tatul_Krpeyan|Tatul Krpeyan]]{{KIA}}", "zh", "Tatul Krpeyan", "killed-in-action", "亚美尼亚"),
    ("{{flagdeco|Nagorno-Karabakh|size=23px}} {{le|Monte Melkonian}}{{KIA}}", "en", "Monte Melkonian",
     "killed-in-action", "纳戈尔诺-卡拉巴赫共和国"),
    ("{{flagdeco|AFG|1992|size=23px}} {{le|Gulbuddin Hekmatyar}}{{sfn|Taarnby|2008|p=6}}", "en",
     "Gulbuddin Hekmatyar", None, "阿富汗"),
    ("[[File:Howard arms.svg|17px]] [[Thomas Howard, 2nd Duke of Norfolk|Thomas Howard, Earl of Surrey]]{{POW}}",
     "zh", "Thomas Howard, 2nd Duke of Norfolk", "prisoner-of-war", None),
])
def test_commander_line(wikitext, key_lang, key_title, fate, affiliation):
    c = conflict_of(f"| commander1 = {wikitext}")
    [cmd] = c.commanders
    assert (cmd.entity.key_lang, cmd.entity.key_title, cmd.fate) == (key_lang, key_title, fate)
    assert (cmd.affiliation.key_title if cmd.affiliation else None) == affiliation
    assert cmd.side == 1


def test_commanders_in_a_ubl_keep_their_order_and_fates():
    c = conflict_of("| commander1 = {{ubl|King [[Richard III of England|Richard III]]{{KIA}}|"
                    "[[John Howard, 1st Duke of Norfolk|John Howard]]{{KIA}}|Sir [[Richard Ratcliffe]]}}<hr>"
                    "Lord [[Thomas Stanley, 1st Earl of Derby|Thomas Stanley]]", lang="en")
    assert [(x.entity.key_title, x.fate) for x in c.commanders] == [
        ("Richard III of England", "killed-in-action"), ("John Howard, 1st Duke of Norfolk", "killed-in-action"),
        ("Richard Ratcliffe", None), ("Thomas Stanley, 1st Earl of Derby", None)]


def test_plain_text_commanders_split_on_chinese_comma_and_unknown_is_nobody():
    c = conflict_of("| commander1=楊森、夏烱、楊漢域|\n| commander2=不明")
    assert [x.entity.label for x in c.commanders] == ["楊森", "夏烱", "楊漢域"]
    assert all(x.side == 1 for x in c.commanders)


@pytest.mark.parametrize("field, expected", [
    ("| casualties1 = '''死亡:''' <br> 5,856<!-- 5856 plus 1264 --><ref name=\"AMS\">a</ref>–6,000{{sfn|de Waal|2003|p=285}}",
     [(1, "killed", 5856, 6000, None)]),
    ("| casualties2 = '''受傷:'''<br>50,000{{sfn|de Waal|2003|p=285}}<br>'''失蹤:''' <br>4,210<ref name=\"O\"/>",
     [(2, "wounded", 50000, 50000, None), (2, "missing", 4210, 4210, None)]),
    ("| casualties3 = '''Civilians missing:'''\n*400 according to Karabakh State Commission<ref name=\"O\"/>",
     [(3, "civilians-missing", 400, 400, "Karabakh State Commission")]),
    ("| casualties3 = '''Civilians displaced:'''\n*300,000–500,000 Armenians<ref name=\"W\"/><br/>from Azerbaijan",
     [(3, "displaced", 300000, 500000, None)]),
    ("| casualties2 = 100<ref name=\"pv\">x</ref><br>Stanley losses unknown", [(2, "total", 100, 100, None)]),
    ("| casualties1 = unknown<ref>Chrimes 1999, p. 49</ref>", []),
])
def test_casualty_lines(field, expected):
    c = conflict_of(field)
    got = [(f.side, f.category, f.quantity.min, f.quantity.max, f.claimant) for f in c.figures]
    assert got == expected
    assert all(f.measure == "casualties" for f in c.figures)


def test_strength_lines_keep_label_as_note_and_their_refs():
    c = conflict_of("| strength2 = 總計: 64,000<br /> 阿富汗聖戰士: 1,000–3,000{{sfn|Charalampidis|2013|p=6}}"
                    "{{sfn|Taarnby|2008|p=7}} <br/> 車臣武裝分子: 300{{sfn|Charalampidis|2013|p=3}}")
    got = [(f.quantity.min, f.quantity.max, f.note, [r.key for r in f.refs]) for f in c.figures]
    assert got == [(64000, 64000, "總計", []),
                   (1000, 3000, "阿富汗聖戰士", ["sfn:Charalampidis|2013|p=6", "sfn:Taarnby|2008|p=7"]),
                   (300, 300, "車臣武裝分子", ["sfn:Charalampidis|2013|p=3"])]


def test_strength_with_hr_gives_two_figures_on_one_side():
    c = conflict_of("| strength2 = 5,000–8,000<hr>4,000–6,000 Stanley men", lang="en")
    assert [(f.side, f.quantity.min, f.quantity.max, f.quantity.unit) for f in c.figures] == [
        (2, 5000, 8000, None), (2, 4000, 6000, "person")]


@pytest.mark.parametrize("field, start, end", [
    ("| date=1988年2月20日至1994年5月12日<br>（{{Age in years, months, weeks and days|month1=02|day1=20|year1=1988"
     "|month2=05|day2=12|year2=1994}}）", "1988-02-20", "1994-05-12"),
    ("| date = 22 August 1485", "1485-08-22", "1485-08-22"),
    ("| date={{Start date|2020|9|27}} – {{End date|2020|11|10}}", "2020-09-27", "2020-11-10"),
    ("| date=April 19, 1775{{snds}}September 3, 1783 <br />'''Ratification effective:''' May 12, 1784",
     "1775-04-19", "1783-09-03"),
    ("| date=1938年6月3－14日|", "1938-06-03", "1938-06-14"),
])
def test_dates(field, start, end):
    c = conflict_of(field)
    assert (c.dates.start.iso(), c.dates.end.iso()) == (start, end)


def test_places_links_and_coordinates():
    c = conflict_of("| place = Near [[Ambion Hill]], south of [[Market Bosworth]], [[Leicestershire]], England\n"
                    "| coordinates = {{coord|52|35|28|N|1|24|37|W|type:event_region:GB|display=title}}", lang="en")
    assert [p.entity.key_title for p in c.places] == ["Ambion Hill", "Market Bosworth", "Leicestershire", "England"]
    assert (c.lat, c.long) == (52.59111, -1.41028)


def test_file_links_are_decoration_and_never_entities():
    c = conflict_of("| combatant1 = [[File:White Rose Badge of York.svg|17px|alt=White rose]] [[House of York]]",
                    lang="en")
    assert [b.entity.key_title for b in c.belligerents] == ["House of York"]


def test_supported_by_heading_in_english():
    c = conflict_of("| combatant2 = [[House of Tudor]] ([[House of Lancaster|Lancastrian]])<br>''Supported by:'' "
                    "<br /> [[Image:Blason France moderne.svg|17px]] [[Kingdom of France]]", lang="en")
    assert [b.entity.key_title for b in c.belligerents] == ["House of Tudor"]
    assert [(s.entity.key_title, s.kind) for s in c.supporters] == [("Kingdom of France", "support")]


def test_stray_pipes_at_line_ends_are_tolerated():
    text = "{{Infobox Military Conflict|\ncampaign=|\nconflict=舒城戰鬥|\ndate=1938年6月3－14日|\n" \
           "combatant1=中華民國國民革命軍20軍|\nstrength1=16000|\ncasualties2=|\n}}"
    article = extract_article(decode_source("x.wiki", text.encode()), lang="zh")
    c = article.conflicts[0]
    assert c.figures[0].quantity.min == 16000 and c.dates.end.day == 14
    assert [b.entity.label for b in c.belligerents] == ["中華民國國民革命軍20軍"]


@pytest.mark.parametrize("name", ["Infobox Military Conflict", "infobox military conflict",
                                  "Infobox_military_conflict", "Template:Infobox military  conflict"])
def test_infobox_names_are_normalised(name):
    text = "{{" + name + "\n|conflict=X\n|combatant1=[[A]]\n}}"
    assert len(extract_article(decode_source("x.wiki", text.encode()), lang="en").conflicts) == 1


def test_duplicate_parameter_last_wins_with_a_diagnostic():
    text = "{{Infobox military conflict\n|strength1=100\n|strength1=200\n}}"
    article = extract_article(decode_source("x.wiki", text.encode()), lang="en")
    assert [f.quantity.min for f in article.conflicts[0].figures] == [200]
    assert [d.code for d in article.diagnostics] == ["duplicate-parameter"]
    assert article.diagnostics[0].line == 3


def test_bce_date_lang_label_and_coordinates_of_a_single_place():
    c = conflict_of("| conflict=Battle of Actium {{lang-la|Actiacum proelium}}\n| date=September 2, 31 BC\n"
                    "| place=[[Actium]] {{coord|38|56|N|20|44|E}}", lang="en")
    assert c.dates.start.iso() == "-0030-09-02" and c.dates.start.xsd_type == "date"
    assert ("Battle of Actium", "en") in c.labels and ("Actiacum proelium", "la") in c.labels
    [place] = c.places
    assert (place.entity.key_title, place.lat, place.long) == ("Actium", 38.93333, 20.73333)


def test_lang_template_beside_a_commander_is_a_label_of_that_commander():
    c = conflict_of("| commander1 = [[Andranik Ozanian|Andranik]] {{lang-hy|Անդրանիկ}}", lang="en")
    assert ("Անդրանիկ", "hy") in c.commanders[0].entity.extra_labels


@pytest.mark.parametrize("wrapped", [
    "{{plainlist|\n* [[Baron Stanley|Stanley]]\n* [[Kingdom of France]]}}",
    "{{Collapsible list|title=Allies|[[Baron Stanley|Stanley]]|[[Kingdom of France]]}}",
    "{{ubl|[[Baron Stanley|Stanley]]|[[Kingdom of France]]}}",
    "{{flatlist|\n* [[Baron Stanley|Stanley]]\n* [[Kingdom of France]]\n}}",
])
def test_list_wrappers_give_one_line_per_item(wrapped):
    c = conflict_of(f"| combatant2 = {wrapped}", lang="en")
    assert [b.entity.key_title for b in c.belligerents] == ["Baron Stanley", "Kingdom of France"]


def test_notes_and_small_text_are_not_entities():
    c = conflict_of("| combatant1 = [[House of York]]{{efn|Including [[Duchy of Burgundy|Burgundian]] troops}} "
                    "{{small|(Yorkists)}}", lang="en")
    assert [b.entity.key_title for b in c.belligerents] == ["House of York"]


# A `place` line as the articles write it → the places a reader takes from it (key titles, in order).
PLACE_LINES = [
    # the name outside the parentheses; the parenthesis says where that is today
    ("纳伊苏斯 (在今日的[[塞尔维亚|塞尔维亚]])", ["纳伊苏斯"]),
    # a name written onto a link: the link's place and the named one
    ("[[中國|中國]]皖西", ["中国", "中国皖西"]),
    # a generic word written onto a link is that place; 与 joins two places
    ("[[亚美尼亚|亚美尼亚]]与[[阿塞拜疆|阿塞拜疆]][[纳戈尔诺-卡拉巴赫|纳戈尔诺-卡拉巴赫]]共和国",
     ["亚美尼亚", "阿塞拜疆", "纳戈尔诺-卡拉巴赫"]),
    # unlinked names between links, without the article or the words that only locate them
    ("Eastern North America, [[Caribbean Sea]], [[Indian subcontinent]], [[Africa]], the [[Atlantic Ocean]], "
     "and the [[Indian Ocean]]",
     ["Eastern North America", "Caribbean Sea", "Indian subcontinent", "Africa", "Atlantic Ocean", "Indian Ocean"]),
    ("Near [[Ambion Hill]], south of [[Market Bosworth]], [[Leicestershire]], England",
     ["Ambion Hill", "Market Bosworth", "Leicestershire", "England"]),
    ("near Wakefield", ["Wakefield"]),
]


@pytest.mark.parametrize(("line", "expected"), PLACE_LINES, ids=[e[0][:30] for e in PLACE_LINES])
def test_place_lines(line, expected):
    lang = "en" if line.isascii() or "America" in line else "zh"
    assert [p.entity.key_title for p in conflict_of(f"| place = {line}", lang=lang).places] == expected


def test_unlinked_parties_listed_with_the_enumeration_comma_are_one_party_each():
    c = conflict_of("| combatant1=中華民國國民革命軍20軍、133師、134師\n| combatant2=日軍之中國派遣軍6師")
    assert [(b.side, b.entity.label) for b in c.belligerents] == [
        (1, "中華民國國民革命軍20軍"), (1, "133師"), (1, "134師"), (2, "日軍之中國派遣軍6師")]


ARW_CASUALTIES1 = (
    "|casualties1= '''United States:'''<br />\n<small>25,000–70,000 total dead<br />\n6,800 killed in battle<br />\n"
    "17,000 died of disease</small>\n\n'''France:'''<br />\n<small>at least 7,000 dead<br />\n"
    "(2,112 in the United States)<br />19 [[Ship of the line|ships of the line]] lost</small>\n----\n"
    "'''Total:''' 37,000–82,500+ soldiers dead")


def test_party_headings_scope_the_figures_below_and_materiel_is_never_people():
    c = conflict_of(ARW_CASUALTIES1, lang="en")
    rows = [(f.subject.label if f.subject else None, f.category, f.quantity.min, f.quantity.max) for f in c.figures]
    assert rows == [
        ("United States", "total", 25000, 70000), ("United States", "killed", 6800, 6800),
        ("United States", "died-of-disease", 17000, 17000), ("France", "killed", 7000, None),
        ("France", "killed", 2112, 2112), ("France", "equipment-lost", 19, 19), (None, "total", 37000, 82500)]
    assert c.figures[5].quantity.unit == "ship"


def test_a_service_branch_heading_is_kept_in_the_note_and_the_party_stays():
    c = conflict_of("|strength2='''Great Britain:'''<br />\n<small>'''[[British Army|Army]]:'''<br />\n"
                    "48,000 (America peak)<br />\n'''[[Royal Navy|Navy]]:'''<br />\n171,000 sailors</small>\n\n"
                    "'''[[Loyalist (American Revolution)|Loyalists]]:'''<br />\n<small>25,000 (total served)</small>\n"
                    "|casualties2='''Navy:'''<br />42,000 deserted", lang="en")
    rows = [(f.subject.label if f.subject else None, f.note, f.quantity.min) for f in c.figures if f.measure == "strength"]
    assert rows == [("Great Britain", "Army; America peak", 48000), ("Great Britain", "Navy; sailors", 171000),
                    ("Loyalists", "total served", 25000)]
    [deserted] = [f for f in c.figures if f.measure == "casualties"]
    assert (deserted.category, deserted.quantity.min) == ("deserted", 42000)


def test_a_linked_line_ending_in_a_colon_is_a_heading_and_a_list_page_is_nobody():
    c = conflict_of("|combatant2={{flag|Kingdom of Great Britain}}<br />\n[[Germans in the American Revolution"
                    "|German mercenaries]]:<br />\n*{{flagicon|Hesse}} [[Hesse-Kassel]]\n"
                    "|commander2=[[George III of the United Kingdom|George III]]<br />\n"
                    "[[List of military leaders in the American Revolutionary War|''full list...'']]", lang="en")
    assert [b.entity.label for b in c.belligerents] == ["Kingdom of Great Britain", "Hesse-Kassel"]
    assert [m.entity.label for m in c.commanders] == ["George III"]


@pytest.mark.parametrize(("note", "start", "end"), [
    ("(before 1776)", None, 1776), ("(after 1776)", 1776, None), ("(from 1778)", 1778, None),
    ("(until 1779)", None, 1779), ("(1780–84)", 1780, 1784), ("(1988–1991)", 1988, 1991), ("(1779年起)", 1779, None),
    ("(1779年以前)", None, 1779), ("(since 1991)", 1991, None)])
def test_period_notes(note, start, end):
    from graph.extract.dates import parse_period_note

    period = parse_period_note(note)
    assert (period.start.year if period.start else None, period.end.year if period.end else None) == (start, end)


@pytest.mark.parametrize("note", ["(Army)", "(2,112 in the United States)", "Hanover supplied troops", "(1779 ships)"])
def test_other_notes_are_no_period(note):
    from graph.extract.dates import parse_period_note

    assert parse_period_note(note) is None


def test_a_period_note_dates_its_line_or_the_line_above():
    c = conflict_of("|combatant1={{flagdeco|United States|1776}} '''[[Thirteen Colonies]]'''<br />"
                    "{{small|(before 1776)}}<br />\n{{flagicon|Kingdom of France}} [[Kingdom of France|French Empire]]"
                    "{{refn|[[Anglo-French War (1778–83)|(from 1778)]]}}<br />\n[[Mi'kmaq]]{{refn|(until 1779)}}<br />"
                    "[[Abenaki]]", lang="en")
    rows = [(b.entity.label, b.period.start.year if b.period and b.period.start else None,
             b.period.end.year if b.period and b.period.end else None) for b in c.belligerents]
    assert rows == [("Thirteen Colonies", None, 1776), ("French Empire", 1778, None), ("Mi'kmaq", None, 1779),
                    ("Abenaki", None, None)]


@pytest.mark.parametrize(("marker", "fate"), [
    ("{{executed}}", "executed"), ("{{Executed}}", "executed"), ("{{KIA}}", "killed-in-action"),
    ("{{POW}}", "prisoner-of-war"), ("{{WIA}}", "wounded-in-action"), ("{{DOW}}", "died-of-wounds")])
def test_fate_markers(marker, fate):
    c = conflict_of(f"| commander2 = [[Richard, 3rd Duke of York|Duke of York]]{marker}", lang="en")
    assert [(m.entity.label, m.fate) for m in c.commanders] == [("Duke of York", fate)]


# Claimant headings in every written form: the figures below them, until the next heading or ----, are the
# claimant's (as the heading writes the name), and the heading names no party.
CLAIMANT_COLUMNS = [
    # bold, colon inside, <ref> after; ---- between the blocks; X宣稱 without a colon
    ("'''據亞塞拜然：'''<ref name=\"az\">x</ref><br />2,906名士兵死亡<br />6名士兵失蹤\n----\n"
     "'''亞美尼亞宣稱'''<br />5,000名士兵死亡",
     [("亞塞拜然", "killed", 2906), ("亞塞拜然", "missing", 6), ("亞美尼亞", "killed", 5000)]),
    # the <ref> inside the bold heading, before its colon; ---- written inline
    ("'''據亞塞拜然<ref>x</ref>：'''<br />2,906名士兵死亡<br />----<br />'''亞美尼亞宣稱：'''<ref>y</ref><br />"
     "5,000名士兵死亡", [("亞塞拜然", "killed", 2906), ("亞美尼亞", "killed", 5000)]),
    # neither bold nor a colon
    ("據亞塞拜然<br />2,906名士兵死亡<br />根據亞美尼亞國防部<br />5,000名士兵死亡",
     [("亞塞拜然", "killed", 2906), ("亞美尼亞國防部", "killed", 5000)]),
    ("'''According to Azerbaijan:'''<br />2,906 killed<br />'''Armenia claims:'''<br />5,000 killed",
     [("Azerbaijan", "killed", 2906), ("Armenia", "killed", 5000)]),
    ("According to the Armenian Ministry of Defence<br />2,906 killed<br />Azerbaijani claim:<br />5,000 killed",
     [("Armenian Ministry of Defence", "killed", 2906), ("Azerbaijani", "killed", 5000)]),
    # inline, and a parenthesised claim on the line under its figure
    ("2,906 killed {{small|(Azerbaijani claim)}}<br />5,000 killed<br />(Armenian claim)",
     [("Azerbaijani", "killed", 2906), ("Armenian", "killed", 5000)]),
    # a claimant on the figure's own label
    ("據亞塞拜然：2,906名士兵死亡", [("亞塞拜然", "killed", 2906)]),
]


@pytest.mark.parametrize(("column", "expected"), CLAIMANT_COLUMNS, ids=[c[0][:30] for c in CLAIMANT_COLUMNS])
def test_claimant_headings_scope_the_figures_below_them(column, expected):
    c = conflict_of(f"| casualties1 = {column}", lang="zh" if "據" in column else "en")
    assert [(f.claimant, f.category, f.quantity.min) for f in c.figures] == expected
    assert all(f.subject is None for f in c.figures)  # a claimant heading is never a party
    assert all(f.note is None or "宣稱" not in f.note for f in c.figures)


def test_a_rule_ends_the_claimant_and_the_party_and_the_claimants_citation_supports_its_figures():
    c = conflict_of("| casualties2 = '''Armenia:'''<br />'''According to Azerbaijan:'''<ref name=\"mod\">x</ref><br />"
                    "2,906 killed<br />'''Artsakh:'''<br />300 killed\n----\n7 killed", lang="en")
    rows = [(f.subject.label if f.subject else None, f.claimant, f.quantity.min, [r.key for r in f.refs])
            for f in c.figures]
    assert rows == [("Armenia", "Azerbaijan", 2906, ["mod"]), ("Artsakh", "Azerbaijan", 300, ["mod"]),
                    (None, None, 7, [])]


@pytest.mark.parametrize(("heading", "claimant"), [
    ("據亞塞拜然：", "亞塞拜然"), ("据亚塞拜然:", "亚塞拜然"), ("據亞塞拜然宣稱：", "亞塞拜然"), ("亞美尼亞聲稱：", "亞美尼亞"),
    ("According to Azerbaijan:", "Azerbaijan"), ("Per Azerbaijan:", "Azerbaijan"), ("(Armenian claim)", "Armenian"),
    ("Azerbaijan's claims", "Azerbaijan"), ("United States:", None), ("France:", None), ("死亡:", None),
    ("據稱：", None), ("據統計：", None), ("據信：", None), ("具體數字未公布", None), ("死亡人數難以估計", None),
    ("其餘傷亡，據報導", None), ("Total:", None), ("Navy:", None)])
def test_claimant_heading_forms(heading, claimant):
    from graph.extract.headings import claimant_heading

    assert claimant_heading(heading) == claimant


# Equipment and materiel lost: its own kind with the unit counted, never people; a titled list is a block whose
# title heads its lines only.
EQUIPMENT_COLUMNS = [
    ("'''據亞塞拜然：'''<br />2,906名士兵死亡<br />{{Collapsible list|title='''裝備'''|1架直升機被擊落|24台坦克被摧毀"
     "|12輛裝甲車被摧毀|2架無人機被擊落}}<br />100名平民死亡",
     [("killed", "person", 2906), ("equipment-lost", "helicopter", 1), ("equipment-lost", "tank", 24),
      ("equipment-lost", "armoured-vehicle", 12), ("equipment-lost", "drone", 2), ("civilians-killed", "person", 100)]),
    ("'''裝備損失：'''<br />185門火炮被摧毀<br />5輛卡車被繳獲<br />3架被擊落",
     [("equipment-lost", "artillery", 185), ("equipment-lost", "vehicle", 5), ("equipment-lost", "aircraft", 3)]),
    # people under an equipment heading stay people
    ("{{Collapsible list|title=裝備|1架直升機被擊落|3名飛行員被俘}}",
     [("equipment-lost", "helicopter", 1), ("captured", "person", 3)]),
    ("2,906 killed<br />250 tanks destroyed<br />20 aircraft shot down<br />3 helicopters shot down<br />"
     "19 [[Ship of the line|ships of the line]] (1,346 guns) lost",
     [("killed", None, 2906), ("equipment-lost", "tank", 250), ("equipment-lost", "aircraft", 20),
      ("equipment-lost", "helicopter", 3), ("equipment-lost", "ship", 19)]),
    ("{{Collapsible list|title=Equipment losses|250 tanks destroyed|40 destroyed}}<br />100 killed",
     [("equipment-lost", "tank", 250), ("equipment-lost", None, 40), ("killed", None, 100)]),
]


@pytest.mark.parametrize(("column", "expected"), EQUIPMENT_COLUMNS, ids=[c[0][:30] for c in EQUIPMENT_COLUMNS])
def test_equipment_losses_count_their_unit_and_never_people(column, expected):
    c = conflict_of(f"| casualties2 = {column}", lang="en" if column.isascii() else "zh")
    assert [(f.category, f.quantity.unit, f.quantity.min) for f in c.figures] == expected
    assert all(f.subject is None for f in c.figures)  # an equipment heading or list title names no party


def test_a_list_title_heads_its_lines_only_and_the_headings_before_the_list_apply_again_after_it():
    c = conflict_of("| casualties1 = '''France:'''<br />{{Collapsible list|title='''Navy:'''|500 killed}}"
                    "<br />7,000 dead", lang="en")
    assert [(f.subject.label, f.note, f.quantity.min) for f in c.figures] == [
        ("France", "Navy; killed", 500), ("France", "dead", 7000)]


# One line, several parties (or kinds): one figure per part, each with its party.
SEVERAL_FIGURES = [
    ("80名亞美尼亞、100名亞塞拜然平民被殺<ref>x</ref>",
     [("亚美尼亚", "civilians-killed", 80, 80), ("阿塞拜疆", "civilians-killed", 100, 100)]),
    ("724,000名亞塞拜然人和30萬–50萬名亞美尼亞人流離失所",
     [("亚塞拜然人", "displaced", 724000, 724000), ("亚美尼亚人", "displaced", 300000, 500000)]),
    ("約20名亞美尼亞平民、超過100名亞塞拜然平民被殺",
     [("亚美尼亚", "civilians-killed", 20, 20), ("阿塞拜疆", "civilians-killed", 100, None)]),
    ("724,000 Azerbaijanis and 300,000–500,000 Armenians displaced",
     [("Azerbaijanis", "displaced", 724000, 724000), ("Armenians", "displaced", 300000, 500000)]),
    ("1,264 [[Armenians|Armenian]] and 167–763 [[Azerbaijanis|Azerbaijani]] civilians killed",
     [("Armenians", "civilians-killed", 1264, 1264), ("Azerbaijanis", "civilians-killed", 167, 763)]),
    # a figure per kind, no party
    ("5,856–6,000 killed, 20,000 wounded", [(None, "killed", 5856, 6000), (None, "wounded", 20000, 20000)]),
    # officers and volunteers are neither parties nor kinds: one figure, the rest its note
    ("350名官兵和上千的志願者", [(None, "total", 350, 350)]),
]


@pytest.mark.parametrize(("line", "expected"), SEVERAL_FIGURES, ids=[c[0][:30] for c in SEVERAL_FIGURES])
def test_a_line_of_several_figures_gives_one_figure_per_party(line, expected):
    c = conflict_of(f"| casualties3 = {line}", lang="zh" if not line.isascii() else "en")
    rows = [(f.subject.key_title if f.subject else None, f.category, f.quantity.min, f.quantity.max) for f in c.figures]
    assert rows == expected
    assert all(f.side == 3 and f.refs == c.figures[0].refs for f in c.figures)


ZH_PARTIES = ["亞美尼亞", "亞塞拜然", "喬治亞人", "庫爾德人", "俄羅斯"]
EN_PARTIES = ["Armenians", "Azerbaijanis", "Georgians", "Kurds", "Russian"]


@st.composite
def several_figures_line(draw) -> tuple[str, list[tuple[str, int, int]]]:
    """A line of 2–4 figures for distinct parties joined by 、/和/and, with the kind said once at its end."""
    zh = draw(st.booleans())
    n = draw(st.integers(min_value=2, max_value=4))
    parties = draw(st.permutations(ZH_PARTIES if zh else EN_PARTIES))[:n]
    figures = []
    for party in parties:
        low = draw(st.integers(min_value=1, max_value=900_000))
        high = draw(st.one_of(st.just(low), st.integers(min_value=low + 1, max_value=1_000_000)))
        figures.append((party, low, high))
    written = [(f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}") + ("名" if zh else " ") + party
               for party, lo, hi in figures]
    joiners = [draw(st.sampled_from(["、", "和", "與"] if zh else [", ", " and ", ", and "])) for _ in written[1:]]
    line = written[0] + "".join(j + w for j, w in zip(joiners, written[1:], strict=True))
    line += draw(st.sampled_from(["平民被殺", "流離失所", "死亡"] if zh else [" civilians killed", " displaced", " dead"]))
    return line, figures


@settings(max_examples=60, deadline=None)
@given(several_figures_line())
def test_a_line_of_n_figures_gives_n_figures_with_their_numbers_and_parties(case):
    line, figures = case
    c = conflict_of(f"| casualties3 = {line}", lang="en" if line.isascii() else "zh")
    assert [(f.subject.label, f.quantity.min, f.quantity.max) for f in c.figures] == figures
    assert all(f.quantity.min <= f.quantity.max for f in c.figures)
    assert len({f.category for f in c.figures}) == 1
