"""Wiki tables → Table / strength Figures (graph.extract.tables), on the seed and on real-looking fragments."""

from __future__ import annotations

import pytest

from graph.extract.tables import Category, find_tables, header_category, table_figures
from graph.wikitext.page import parse_page
from graph.wikitext.read import decode_source

from .conftest import SEED


def page_of(text: str, name: str = "fragment.wiki"):
    return parse_page(decode_source(name, text.encode()))


def figures_of(text: str, lang: str) -> list:
    return [f for table in find_tables(page_of(text), lang) for f in table_figures(table, lang)]


def triples(figures) -> set[tuple[str, str, float]]:
    return {(f.subject.key_title, f.quantity.unit, f.quantity.min) for f in figures}


# --- the seed -------------------------------------------------------------------------------------

SEED_FIGURES = {
    ("纳戈尔诺-卡拉巴赫共和国", "person", 20000), ("纳戈尔诺-卡拉巴赫共和国", "artillery", 16),
    ("纳戈尔诺-卡拉巴赫共和国", "tank", 13), ("纳戈尔诺-卡拉巴赫共和国", "armoured-vehicle", 120),
    ("亚美尼亚", "person", 20000), ("亚美尼亚", "artillery", 170), ("亚美尼亚", "tank", 160),
    ("亚美尼亚", "armoured-vehicle", 240), ("亚美尼亚", "armoured-vehicle", 200),
    ("阿塞拜疆", "person", 42000), ("阿塞拜疆", "artillery", 330), ("阿塞拜疆", "tank", 280),
    ("阿塞拜疆", "armoured-vehicle", 360), ("阿塞拜疆", "armoured-vehicle", 480), ("阿塞拜疆", "aircraft", 170),
}


@pytest.fixture(scope="module")
def seed_table():
    page = parse_page(decode_source(SEED.name, SEED.read_bytes()))
    tables = find_tables(page, "zh")
    assert len(tables) == 1
    return tables[0]


def test_seed_table_shape(seed_table):
    assert seed_table.line == 368
    assert seed_table.header == ["政权", "军事人员", "火炮", "坦克", "装甲运兵车", "装甲战斗车辆", "战斗机"]
    assert [len(row) for row in seed_table.rows] == [7, 7, 7]
    assert seed_table.refs == []  # the table cites nothing itself ...


def test_seed_table_context_cites_the_caucasian_knot(seed_table):
    # ... the sentence before it ("冲突各方在1993-1994年度拥有的兵员和军用车辆估计数为：") does.
    assert [r.key for r in seed_table.context_refs] == ["CaucasianKnot"]
    assert "Caucasian Knot" in seed_table.context_refs[0].title
    assert "军事平衡" in seed_table.context_refs[0].wikitext  # the IISS "Military Balance 1993-1994" note


def test_seed_table_figures(seed_table):
    figures = table_figures(seed_table, "zh")
    assert len(figures) == 15
    assert triples(figures) == SEED_FIGURES
    column_of_line = {cell.line: col for row in seed_table.rows for col, cell in enumerate(row)}
    for f in figures:
        assert f.note == seed_table.header[column_of_line[f.line]]  # the column header as written
        assert f.measure == "strength" and f.field == "table" and f.side is None and f.category is None
        assert f.quantity.max == f.quantity.min
        assert [r.key for r in f.refs] == ["CaucasianKnot"]
        assert f.subject.origin == "flag" and f.subject.key_lang == "zh"
    by_line = {f.line: f for f in figures}
    assert by_line[375].note == "装甲运兵车" and by_line[375].source_text == "120"
    assert by_line[392].note == "装甲战斗车辆" and by_line[392].quantity.min == 480
    assert by_line[393].note == "战斗机" and by_line[393].quantity.unit == "aircraft"
    assert {f.note for f in figures} == set(seed_table.header[1:])


# --- header words ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("军事人员", Category("person")), ("軍事人員", Category("person")), ("Personnel", Category("person")),
    ("troops", Category("person")), ("火炮", Category("artillery")), ("Artillery", Category("artillery")),
    ("坦克", Category("tank")), ("Tanks", Category("tank")), ("Tanks (T-72)", Category("tank")),
    ("装甲运兵车", Category("armoured-vehicle", "APC")), ("裝甲運兵車", Category("armoured-vehicle", "APC")),
    ("APCs", Category("armoured-vehicle", "APC")), ("装甲战斗车辆", Category("armoured-vehicle", "AFV")),
    ("AFVs", Category("armoured-vehicle", "AFV")), ("IFV", Category("armoured-vehicle", "AFV")),
    ("战斗机", Category("aircraft")), ("戰鬥機", Category("aircraft")), ("Combat aircraft", Category("aircraft")),
    ("Helicopters", Category("helicopter")), ("兵力*", Category("person")),
    ("Date", None), ("Battle", None), ("Troops killed", None), ("Tanks lost", None), ("", None),
])
def test_header_category(text, expected):
    assert header_category(text) == expected


# --- fragments ------------------------------------------------------------------------------------

EN_SORTABLE = """The balance of forces in 1993 was as follows:<ref name="iiss">{{cite book |title=The Military Balance 1993–1994 |year=1993}}</ref>

{| class="wikitable sortable"
|+ Military strength, 1993
! Country !! Personnel !! Tanks<ref name="tanks">Tank counts exclude reserves.</ref> !! APCs !! Notes
|-
| {{flagicon|ARM}} [[Armenia]] || 20,000 || 160 || N/A || regular army only
|-
| {{flag|Azerbaijan}} || 42,000<ref name="az">Army and air force.</ref> || 280 || — ||
|-
| Total || 62,000 || 440 || ? ||
|}
"""


def test_en_sortable_table_with_caption_and_inline_cells():
    tables = find_tables(page_of(EN_SORTABLE), "en")
    assert len(tables) == 1
    table = tables[0]
    assert table.caption == "Military strength, 1993"
    assert table.header == ["Country", "Personnel", "Tanks", "APCs", "Notes"]
    assert {r.key for r in table.refs} == {"tanks", "az"}
    assert [r.key for r in table.context_refs] == ["iiss"]
    figures = table_figures(table, "en")
    assert triples(figures) == {("Armenia", "person", 20000), ("Armenia", "tank", 160),
                                ("Azerbaijan", "person", 42000), ("Azerbaijan", "tank", 280)}
    refs = {(f.subject.key_title, f.quantity.unit): [r.key for r in f.refs] for f in figures}
    assert refs[("Azerbaijan", "person")] == ["az", "iiss"]  # the cell's own marker, then the paragraph's
    assert refs[("Armenia", "person")] == ["iiss"]  # another row's marker does not spread
    assert refs[("Armenia", "tank")] == ["tanks", "iiss"]  # a header marker backs its column
    assert {f.note for f in figures} == {"Personnel", "Tanks"}


ZH_ONE_PER_LINE = """各方兵力如下表：<ref>《軍事平衡》，1993年。</ref>
{| class="wikitable"
! 國家
! 軍事人員
! 戰車
! 裝甲運兵車
|-
| [[亞美尼亞]]
| 約20,000人
| 160
| 不明
|-
| [[亞塞拜然]]
| 42,000
| N/A
| 360
|}
"""


def test_zh_traditional_headers_one_per_line():
    table = find_tables(page_of(ZH_ONE_PER_LINE), "zh")[0]
    figures = table_figures(table, "zh")
    assert triples(figures) == {("亚美尼亚", "person", 20000), ("亚美尼亚", "tank", 160),
                                ("阿塞拜疆", "person", 42000), ("阿塞拜疆", "armoured-vehicle", 360)}
    approximate = next(f for f in figures if f.source_text == "約20,000人")
    assert approximate.quantity.approximate and approximate.note == "軍事人員"
    assert all(len(f.refs) == 1 and "軍事平衡" in f.refs[0].wikitext for f in figures)


COLSPAN = """{| class="wikitable"
! rowspan="2" | Side !! colspan="2" | Tanks !! Aircraft
|-
! T-72 !! T-55 !! Fighters
|-
| rowspan="2" | [[Armenia]] || 100 || 60 || 3
|-
| colspan="2" | 150 || 5
|-
| [[Azerbaijan]] || 200 || 80 || 40
|}
"""


def test_spans_keep_columns_aligned():
    table = find_tables(page_of(COLSPAN), "en")[0]
    assert table.header == ["Side", "Tanks", "Tanks", "Aircraft"]  # colspan heads every column it covers
    assert len(table.rows) == 3  # the second all-`!` row is a header line, not a body row
    assert all(len(row) == 4 for row in table.rows)
    figures = table_figures(table, "en")
    # The rowspan'd name covers the second Armenia row; the colspan'd 150 gives nothing (one figure for two
    # columns), and the 5 after it still lands under Aircraft.
    assert sorted((f.subject.key_title, f.quantity.unit, f.quantity.min) for f in figures) == sorted([
        ("Armenia", "tank", 100), ("Armenia", "tank", 60), ("Armenia", "aircraft", 3),
        ("Armenia", "aircraft", 5),
        ("Azerbaijan", "tank", 200), ("Azerbaijan", "tank", 80), ("Azerbaijan", "aircraft", 40)])


BATTLES = """== Battles ==
{| class="wikitable"
! Battle !! Date !! Result
|-
| [[Battle of Shusha]] || 8–9 May 1992 || Armenian victory
|-
| [[Battle of Kalbajar]] || 27 March – 5 April 1993 || 12,000 displaced
|}
"""


def test_non_strength_table_gives_no_figures():
    tables = find_tables(page_of(BATTLES), "en")
    assert len(tables) == 1 and tables[0].header == ["Battle", "Date", "Result"]
    assert len(tables[0].rows) == 2
    assert table_figures(tables[0], "en") == []
    assert tables[0].context_refs == []  # a heading, not a paragraph, comes before it


NO_HEADER = """{|
| [[Armenia]] || 20,000
|}
"""


def test_table_without_header_row():
    table = find_tables(page_of(NO_HEADER), "en")[0]
    assert table.header == [] and len(table.rows) == 1
    assert table_figures(table, "en") == []


@pytest.mark.parametrize(("text", "tables", "figures"), [
    # unclosed: not a table (test_unclosed_table_is_not_returned)
    ("Forces:\n{| class=wikitable\n! Country !! Troops\n|-\n| [[Armenia]] || 20,000\n", 0, set()),
    ("{|\n!a!!b\n|-\n|x||1\n", 0, set()),
    ("{| class=wikitable\n! Country !! Tanks\n|-\n| {{flag|Armenia}} || 5\n|-\n| [[Broken link || 3\n", 0, set()),
    # empty: a table without rows or figures
    ("{| \n|+\n|}\n", 1, set()),
    ("{|\n|}\n", 1, set()),
    # a huge rowspan carries X down to the last row; an unreadable colspan is ignored, not fatal
    ("{|\n! Country !! Tanks\n|-\n| rowspan=999999 | X || colspan=abc | 1\n|-\n| 2\n|}\n", 1,
     {("X", "tank", 1), ("X", "tank", 2)}),
])
def test_malformed_tables_never_raise(text, tables, figures):
    assert len(find_tables(page_of(text), "en")) == tables
    assert triples(figures_of(text, "en")) == figures


def test_unclosed_table_is_not_returned():
    assert find_tables(page_of("Forces:\n{| class=wikitable\n! Country !! Troops\n|-\n| [[Armenia]] || 20,000\n"),
                       "en") == []


def test_tables_inside_templates_and_refs_are_not_body_tables():
    text = ("{{Navbox|list1=\n{|\n! Country !! Troops\n|-\n| A || 1\n|}\n}}\n"
            "Text<ref>\n{|\n! Country !! Troops\n|-\n| B || 2\n|}\n</ref>\n")
    assert find_tables(page_of(text), "en") == []


def test_context_is_only_the_paragraph_just_before():
    text = ("Earlier paragraph.<ref name=old>Old.</ref>\n\n"
            "Strength by country:<ref name=new>New.</ref> {{sfn|Smith|2001|p=5}}\n\n\n"
            "<center>\n{| class=wikitable\n! Country !! Troops\n|-\n| [[Armenia]] || 20,000\n|}</center>\n")
    table = find_tables(page_of(text), "en")[0]
    assert [r.key for r in table.context_refs] == ["new", "sfn:Smith|2001|p=5"]
    figure = table_figures(table, "en")[0]
    assert [r.key for r in figure.refs] == ["new", "sfn:Smith|2001|p=5"]
    assert figure.line == 10  # the line of the "20,000" cell


def test_row_header_cells_and_total_rows():
    text = ("{| class=wikitable\n! scope=col | Country !! scope=col | Troops\n|-\n"
            "! scope=row | [[Armenia]]\n| 20,000\n|-\n! Total || 62,000\n|}\n")
    figures = figures_of(text, "en")
    assert triples(figures) == {("Armenia", "person", 20000)}  # the Total row names nobody


def test_the_seed_strength_table_reaches_the_graph():
    import pyoxigraph as ox

    from graph.pipeline import build
    from graph.rdf.serialize import to_bytes
    from graph.wikitext.read import decode_source

    from .conftest import QUERIES, SEED

    store = ox.Store()
    store.load(to_bytes(build(decode_source("seed.wiki", SEED.read_bytes())).sink.sorted()),
               format=ox.RdfFormat.TURTLE)
    rows = list(store.query((QUERIES / "strengths_by_party.rq").read_text(encoding="utf-8")))
    assert len(rows) == 15 and all(r["source"].value.endswith("/CaucasianKnot") for r in rows)
    side_rows = list(store.query((QUERIES / "strengths.rq").read_text(encoding="utf-8")))
    assert all(r["side"] is not None for r in side_rows)  # per-party figures stay out of the per-side question
