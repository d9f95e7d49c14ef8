"""The article body: sections, sub-events ({{Main}}), the dated timeline, lead labels."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.extract.sentence_dates import find_dates, sentences
from graph.pipeline import build
from graph.rdf.serialize import to_bytes
from graph.wikitext.read import decode_source

from .conftest import QUERIES, SEED


@pytest.fixture(scope="module")
def seed():
    result = build(decode_source("seed.wiki", SEED.read_bytes()))
    store = ox.Store()
    store.load(to_bytes(result.sink.sorted()), format=ox.RdfFormat.TURTLE)
    return result.article, store


def timeline(store) -> list[dict]:
    return [{k: (r[k].value if r[k] is not None else None) for k in ("event", "eventLabel", "start", "end", "place",
                                                                     "partOf")}
            for r in store.query((QUERIES / "events.rq").read_text(encoding="utf-8"))]


@pytest.mark.parametrize("start, words, part_of", [
    ("1992-02-26", "占领了霍贾雷", "霍贾利灭绝种族事件"),      # Khojaly captured
    ("1992-05-08", "向舒沙城发起攻击", "舒沙战役"),            # the assault on Shusha
    ("1992-05-09", "战斗于5月9日结束", "舒沙战役"),
    ("1992-05-18", "夺取拉钦城", "纳戈尔诺-卡拉巴赫战争"),     # Lachin (its section has no {{Main}})
    ("1992-07-12", "阿斯克然", "戈兰博伊行动"),                # Operation Goranboy
])
def test_the_seed_timeline_has_the_battles_of_1992(seed, start, words, part_of):
    rows = [r for r in timeline(seed[1]) if r["start"] == start and words in r["eventLabel"]]
    assert rows, f"no event on {start} about {words}"
    assert rows[0]["partOf"].endswith("/" + part_of)


def test_the_timeline_is_ordered_and_yearless_dates_are_marked_inferred(seed):
    article, store = seed
    starts = [r["start"] for r in timeline(store) if r["start"]]
    assert starts == sorted(starts)
    shusha = [e for e in article.events if e.dates.start.iso() == "1992-05-08"]
    assert shusha and shusha[0].inferred
    full = [e for e in article.events if e.dates.start.iso() == "1992-07-12"]
    assert full and not full[0].inferred


def test_the_place_of_a_sentence_and_its_sources(seed):
    article, _ = seed
    [lachin] = [e for e in article.events if e.dates.start.iso() == "1992-05-18" and "拉钦城" in e.text]
    assert lachin.place.key_title == "拉钦"
    [shusha_end] = [e for e in article.events if e.dates.start.iso() == "1992-05-09"]
    assert [r.key for r in shusha_end.refs] == ["brothersroad"]


def test_sections_and_sub_events(seed):
    article, store = seed
    titles = [(s.title, s.level) for s in article.sections]
    assert ("背景", 2) in titles and ("霍贾雷", 3) in titles and len(titles) == 20
    khojaly = next(s for s in article.sections if s.title == "霍贾雷")
    assert article.sections[khojaly.parent].title == "亚美尼亚的初期胜利"
    part_of = {r["s"].value.rsplit("/", 1)[1] for r in store.query(
        "PREFIX wkg: <https://w3id.org/wikikg/ontology#> SELECT ?s WHERE { ?s a wkg:Event ; wkg:partOf ?c . "
        "?c a wkg:Conflict . FILTER NOT EXISTS { ?s wkg:inSection ?x } }")}
    assert {"霍贾利灭绝种族事件", "舒沙战役", "戈兰博伊行动", "圆环行动"} <= part_of
    assert not part_of & {"纳戈尔诺-卡拉巴赫历史", "亚美尼亚-阿塞拜疆战争_(1918-1920)"}


def test_lead_lang_templates_label_the_conflict(seed):
    _, store = seed
    labels = {(r["l"].value, r["l"].language) for r in store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { "
        "<https://w3id.org/wikikg/resource/zh/纳戈尔诺-卡拉巴赫战争> rdfs:label ?l }")}
    assert ("Qarabağ müharibəsi", "az") in labels and ("Արցախյան ազատամարտ", "hy") in labels


@pytest.mark.parametrize("text, last_year, expected", [
    ("1992年5月8日，攻克舒沙。", None, [("1992-05-08", "1992-05-08", False)]),
    ("5月8日至9日", 1992, [("1992-05-08", "1992-05-09", True)]),
    ("2月25-26日伤亡统计", 1992, [("1992-02-25", "1992-02-26", True)]),
    ("冲突各方在1993-1994年度", None, [("1993", "1994", False)]),
    ("On 8 May 1992 the army took Shusha", None, [("1992-05-08", "1992-05-08", False)]),
    ("fighting ended on 9 May", 1992, [("1992-05-09", "1992-05-09", True)]),
    ("In May 1992 and again in July 1993", None, [("1992-05", "1992-05", False), ("1993-07", "1993-07", False)]),
    ("The siege lasted from 8 May to 9 June 1992.", None, [("1992-05-08", "1992-06-09", True)]),
    ("从12月20日至1993年1月5日", None, [("1992-12-20", "1993-01-05", True)]),
    ("1992年5月8日至6月1日", None, [("1992-05-08", "1992-06-01", True)]),
    ("a force of between 3000 and 4000 men", None, []),
    ("production increased by 250% in Peru", None, []),
    ("5月的天气", 1992, []),
    ("第366旅", 1992, []),
])
def test_find_dates(text, last_year, expected):
    got = [(f.dates.start.iso(), f.dates.end.iso(), f.dates.inferred) for f in find_dates(text, last_year)]
    assert got == expected


def test_sentences_split_on_chinese_and_english_punctuation():
    text = "甲。乙！丙 It rained. Then it stopped"
    assert [text[a:b].strip() for a, b in sentences(text)] == ["甲。", "乙！", "丙 It rained.", "Then it stopped"]


def test_an_english_article_timeline_with_an_inferred_year():
    text = ("{{Infobox military conflict\n|conflict=Siege\n|date=May 1992\n}}\n'''Siege''' was a siege.\n"
            "==Course==\nOn 8 May 1992 the army attacked [[Shusha]].<ref>a</ref> The town fell on 9 May.")
    article = build(decode_source("x.wiki", text.encode()), lang="en").article
    assert [(e.dates.start.iso(), e.inferred, e.place.key_title if e.place else None) for e in article.events] == [
        ("1992-05-08", False, None), ("1992-05-09", True, None)]
    assert [s.title for s in article.sections] == ["", "Course"]


def event_dates(text: str, lang: str = "zh") -> list[tuple[str, str]]:
    """The (start, end) of every timeline event of ``text`` as the body of a small article."""
    page = ("{{Infobox military conflict\n|conflict=War\n|date=1988年2月–1994年5月\n}}\n" if lang == "zh" else
            "{{Infobox military conflict\n|conflict=War\n|date=1450–1461\n}}\n") + text
    article = build(decode_source("x.wiki", page.encode()), lang=lang).article
    return [(e.dates.start.iso(), e.dates.end.iso()) for e in article.events]


# Real fragments of the seed, en_battle_of_wakefield and zh_naissus_battle (issue 13).
@pytest.mark.parametrize("text, lang, expected", [
    # a span: start and end
    ("纳卡战争是一场于1988年2月至1994年5月之间发生在[[阿塞拜疆]]西南的武装冲突。", "zh", [("1988-02", "1994-05")]),
    ("The war lasted from 8 May 1452 to 9 June 1453.", "en", [("1452-05-08", "1453-06-09")]),
    ("Raids went on between 1450 and 1455.", "en", [("1450", "1455")]),
    # a date in a parenthesis is another event's
    ("1991年春，戈尔巴乔夫举行全民公决。亚美尼亚和其他五个共和国抵制全民公决（亚美尼亚举行了自己的全民公决并于1991年11月21日宣布"
     "从苏联独立），阿塞拜疆则投票支持条约。", "zh", [("1991", "1991")]),
    # …unless it holds only the date, glossing the sentence's time
    ("入侵浪潮的第一波在加里恩努斯在位期间（公元267年）到来。", "zh", [("0267", "0267")]),
    # a subordinate clause tells of another event
    ("随着戈尔巴乔夫于1991年12月26日辞去苏共总书记职务，最后的几个共和国也宣布独立，苏联从1991年12月31日起停止存在。", "zh",
     [("1991-12-31", "1991-12-31")]),
    # a date that is a noun's attribute (the 1921 decision) does not date a sentence about 1988
    ("亚美尼亚人将1921年高加索局的决定视而不见，认为自己在改正一个历史错误。", "zh", []),
    # a decade is not the year it starts with
    ("1980年代后期，亚美尼亚人开始要求统一。", "zh", []),
    # yearless dates cross a year's end forward, and go back within a year
    ("York sortied on 30 December 1460. They had agreed a truce during Christmas until 6 January, the Feast of "
     "Epiphany.", "en", [("1460-12-30", "1460-12-30"), ("1460-12", "1461-01-06")]),
    ("苏联从1991年12月31日起停止存在。一个月之前的11月21日，阿塞拜疆国会撤销了卡拉巴赫的自治区地位。", "zh",
     [("1991-12-31", "1991-12-31"), ("1991-11-21", "1991-11-21")]),
    # a year alone, after a preposition, is a year-precision event; a number is not
    ("In 1452, York marched on London. He had 7,685 men.", "en", [("1452", "1452")]),
    ("York and his allies, the Nevilles, finally resorted to armed force in 1455.", "en", [("1455", "1455")]),
    # a year told from the narrative's, and a span of months in Chinese numerals
    ("至1992年7月，阿塞拜疆军队已精疲力竭。至第二年的三四月间，在纳卡国防军协助下战势逆转为前所未有的一波波反击进攻。", "zh",
     [("1992-07", "1992-07"), ("1993-03", "1993-04")]),
    # "the fighting ended on 9 May" ends the paragraph's event before it
    ("1992年5月8日，一支部队向舒沙城发起攻击。城市街道上发生了激烈巷战。舒沙的指挥部下令撤退，战斗于5月9日结束。", "zh",
     [("1992-05-08", "1992-05-09"), ("1992-05-09", "1992-05-09")]),
    # a year alone sets the narrative's year (en_battle_of_bosworth_field: after "in June 1472")
    ("Stanley married in June 1472. Henry's crossing of the English Channel in 1485 was without incident. Thirty "
     "ships sailed from Harfleur on 1 August.", "en", [("1472-06", "1472-06"), ("1485", "1485"), ("1485-08-01",
                                                                                                "1485-08-01")]),
    # the dates of the references are no events (zh_shucheng_battle_1938)
    ("1938年6月3日，战斗开始。\n==參考文獻==\n*《抗日戰史紀要》，中華民國國防部總政治作戰部，1996年4月，第117-118頁", "zh",
     [("1938-06-03", "1938-06-03")]),
    # a caption introducing a table is not an event
    ("冲突各方在1993-1994年度拥有的兵员和军用车辆估计数为：\n{| class=\"wikitable\"\n|-\n| 亚美尼亚 || 20000\n|}", "zh", []),
])
def test_the_sentence_s_own_date(text, lang, expected):
    assert event_dates(text, lang) == expected


def event_places(text: str, lang: str = "zh") -> list[str | None]:
    page = ("{{Infobox military conflict\n|conflict=War\n|date=1988年2月–1994年5月\n|commander1=[[沙米尔·巴萨耶夫]]\n}}\n"
            if lang == "zh" else "{{Infobox military conflict\n|conflict=War\n|date=1775–1783\n}}\n") + text
    article = build(decode_source("x.wiki", page.encode()), lang=lang).article
    return [e.place.key_title if e.place else None for e in article.events]


# Real fragments of the seed and en_american_revolutionary_war_2020 (issue 13).
@pytest.mark.parametrize("text, lang, expected", [
    # after a locative and a phrase ending in 的, or a verb of capture and an apposition
    ("1988年2月22日，阿塞拜疆人和亚美尼亚人在纳戈尔诺-卡拉巴赫的[[阿斯凯兰|阿斯凯兰]]市附近直接交锋。", "zh", ["阿斯凯兰"]),
    ("1992年7月4日，阿塞拜疆占领了该地区最大的城市——[[马尔达克尔特|马尔达克尔特]]。", "zh", ["马尔达克尔特"]),
    ("The British took [[Punducherry|Pondicherry]] on 19 October 1778 after a two-week siege.", "en", ["Punducherry"]),
    ("[[舒沙]]是城市。1992年5月8日，一支由几百名亚美尼亚士兵组成的部队向舒沙城发起攻击。", "zh", ["舒沙"]),
    # a name linked elsewhere in the article, unlinked here, after a locative
    ("[[巴库]]是首都。1990年1月，在巴库发生的另一场反亚美尼亚人的惨案迫使戈尔巴乔夫宣布实施紧急状态。", "zh", ["巴库"]),
    ("[[Gibraltar]] held. At Gibraltar, a major assault on 13 September 1782 was repulsed.", "en", ["Gibraltar"]),
    # of two places, the one within the other; the first of the sentence
    ("[[纳戈尔诺-卡拉巴赫]]是地区。1988年2月22日，阿塞拜疆人和亚美尼亚人在纳戈尔诺-卡拉巴赫的[[阿斯凯兰]]市附近直接交锋。", "zh",
     ["阿斯凯兰"]),
    ("[[巴库]]是首都。1991年9月20日在巴库举行和平会谈之后，双方在[[俄罗斯]]城市热列兹诺沃茨克签署公报。", "zh", ["巴库"]),
    # not a place: a mediator, a helper, the ends of a "between", troops, a war as a time, a commander of the infobox
    ("1994年5月雙方在[[俄罗斯|俄国]]斡旋下签署停火协议。", "zh", [None]),
    ("1992年2月26日，亚美尼亚军队在[[第366旅]]的装甲车帮助下发动攻击。", "zh", [None]),
    ("奥斯曼帝国在[[一战|一战]]中战败之后，英军于1919年占领南高加索。", "zh", [None]),
    ("在1992年，几百名车臣志愿者在[[沙米尔·巴萨耶夫]]和[[沙尔曼·拉杜耶夫]]指挥的战役中向我们提供了帮助。", "zh", [None]),
    ("The army fought within [[Boston]] in 1776.", "en", [None]),
    ("但是在[[亚美尼亚]]和[[阿塞拜疆]]之间进行几个月的“穿梭外交”之后，伊朗当局于1992年7月邀请两国总统。", "zh", [None]),
    ("1992年2月23日起向位于首府的[[亚美尼亚]]和俄罗斯部队进行炮击。", "zh", [None]),
])
def test_the_place_of_an_event_is_a_link_used_as_a_place(text, lang, expected):
    assert event_places(text, lang) == expected


def test_parents_by_date_not_by_heading(seed):
    rows = timeline(seed[1])

    def parent(words: str) -> str | None:
        [row] = [r for r in rows if r["eventLabel"] and words in r["eventLabel"]]
        return row["partOf"].rsplit("/", 1)[1] if row["partOf"] else None

    # background before the war (1988-02 → 1994-05) is part of nothing, whatever section tells it
    assert parent("英军于1919年占领南高加索") is None
    assert parent("于1917年11月灭亡") is None
    # the 1988 earthquake is told in the section of the Sumgait pogrom (February 1988), but is not part of it
    assert parent("毁灭性的地震") == "纳戈尔诺-卡拉巴赫战争"
    assert parent("进城驱散示威") == "苏姆盖特惨案"
    # background is still told: its section mentions it
    background = {r["e"].value for r in seed[1].query(
        "PREFIX wkg: <https://w3id.org/wikikg/ontology#> SELECT ?e WHERE { ?s a wkg:Section ; wkg:mentions ?e . "
        "?e a wkg:Event ; wkg:startDate ?d . FILTER(STR(?d) < '1988') }")}
    assert len(background) >= 4


def test_a_link_in_lower_case_is_no_participant():
    # en_american_revolutionary_war_2020: "a massive increase in [[silver mining#Americas|silver mining]]"
    text = ("{{Infobox military conflict\n|conflict=War\n|date=1775–1783\n}}\n==Finance==\nIn 1780 [[Spain]] "
            "gained from a massive increase in [[silver mining#Americas|silver mining]] in her colonies.")
    article = build(decode_source("x.wiki", text.encode()), lang="en").article
    assert [[r.key_title for r in e.involves] for e in article.events] == [["Spain"]]
    assert "Silver mining" in [r.key_title for r in article.sections[1].mentions]


def test_a_zh_common_noun_a_city_or_a_newspaper_is_mentioned_not_a_participant():
    # zh_first_nagorno_karabakh_war: "新的苏共[[总书记|总书记]][[米哈伊尔·戈尔巴乔夫|米哈伊尔·戈尔巴乔夫]]在1985年上台之后…"
    text = ("{{Infobox military conflict\n|conflict=战争\n|date=1988年—1994年\n|combatant1={{flag|Armenia}}\n}}\n"
            "==背景==\n新的苏共[[总书记|总书记]][[米哈伊尔·戈尔巴乔夫|米哈伊尔·戈尔巴乔夫]]在1985年上台之后开始着手实现他的计划。\n"
            "1989年，[[阿塞拜疆人民阵线]]封锁了通往[[亚美尼亚]]的[[铁路]]，[[巴库]]的[[波士顿环球报]]记者报道了此事。")
    article = build(decode_source("x.wiki", text.encode()), lang="zh").article
    involved = [[r.key_title for r in e.involves] for e in article.events]
    assert involved == [["米哈伊尔·戈尔巴乔夫"], ["阿塞拜疆人民阵线", "亚美尼亚"]]
    mentioned = {r.key_title for s in article.sections for r in s.mentions}
    assert {"总书记", "铁路", "巴库", "波士顿环球报"} <= mentioned
