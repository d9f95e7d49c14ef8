"""The article body: sections, sub-events ({{Main}}), the dated timeline, lead labels."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.extract.body import find_dates, sentences
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
