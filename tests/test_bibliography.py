"""Citation templates → records, and short citations resolved to the full citation of the same article."""

from __future__ import annotations

import re

import mwparserfromhell
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Text
from mwparserfromhell.wikicode import Wikicode

from graph.extract.bibliography import field_text, params_of, record_from_template, records_in, resolve
from graph.extract.refs import marker_from_short_citation
from graph.wikitext.text import clean_spaces

DEWAAL = ("{{cite book\n  | last =de Waal \n  | first = Thomas \n  | authorlink = 托马斯·德·瓦尔\n"
          "  | title = Black Garden: Armenia and Azerbaijan Through Peace and War\n"
          "  | publisher = New York University Press\n  | year = 2003 \n  | location = New York\n"
          "  | isbn =  0-8147-1945-7}}")


def template(text: str):
    return mwparserfromhell.parse(text).filter_templates()[0]


def test_record_from_a_cite_book_of_the_seed():
    record = record_from_template(template(DEWAAL))
    assert record.authors == ("de Waal",)
    assert (record.year, record.isbn, record.publisher) == ("2003", "0-8147-1945-7", "New York University Press")
    assert record.title == "Black Garden: Armenia and Azerbaijan Through Peace and War"


@pytest.mark.parametrize("text, authors, year, isbn", [
    ("{{cite book|last1=Dekmejian|first1=Richard Hrair|last2=Simonian|first2=Hovann H.|title=Troubled Waters|"
     "year=2003|ISBN=9781860649226|page=125}}", ("Dekmejian", "Simonian"), "2003", "9781860649226"),
    ("{{Cite web|last1=Murinson|title=The Ties|date=October 2014|archiveurl=https://web.archive.org/x}}",
     ("Murinson",), "2014", None),
    ("{{citation|editor1-last=Brzezinski|editor2-last=Sullivan|title=Russia and the CIS|year=1997}}",
     ("Brzezinski", "Sullivan"), "1997", None),
])
def test_parameter_spellings(text, authors, year, isbn):
    record = record_from_template(template(text))
    assert (record.authors, record.year, record.isbn) == (authors, year, isbn)


def test_sfn_resolves_to_the_full_citation_with_the_same_author_and_year():
    records = records_in(mwparserfromhell.parse("<ref name=dewaal>" + DEWAAL + "</ref>"))
    marker = marker_from_short_citation(template('{{sfn|de Waal|2003|p=200|ps=: "Yet it is not entirely clear"}}'))
    assert (marker.authors, marker.year, marker.page, marker.quote) == (("de Waal",), "2003", "200",
                                                                        "Yet it is not entirely clear")
    assert resolve(marker, records).isbn == "0-8147-1945-7"


@pytest.mark.parametrize("sfn", ["{{sfn|Taarnby|2008|p=6}}", "{{sfn|de Waal|2004|p=1}}", "{{sfn|Waal}}"])
def test_sfn_without_a_matching_full_citation_stays_unresolved(sfn):
    records = records_in(mwparserfromhell.parse(DEWAAL))
    assert resolve(marker_from_short_citation(template(sfn)), records) is None


def test_sfn_with_two_authors():
    records = records_in(mwparserfromhell.parse("{{cite book|last1=Jones|last2=Underwood|year=1993|title=The King's Mother}}"))
    marker = marker_from_short_citation(template("{{sfn|Jones|Underwood|1993|p=64}}"))
    assert resolve(marker, records).title == "The King's Mother"


def uses(name: str):
    from graph.pipeline import extract_article
    from graph.wikitext.read import read_source

    from .conftest import SEED, shared_path

    path = SEED if name == "seed" else shared_path("fixtures", f"{name}.wiki")
    article = extract_article(read_source(str(path)))
    counts: dict[str, int] = {}
    for marker in article.ref_uses:
        counts[marker.kind] = counts.get(marker.kind, 0) + 1
    return article, counts


@pytest.mark.parametrize("name, ref_tags, short", [
    ("seed", 115, 9),                                    # every <ref> of the seed: 69 defining, 46 reuses
    ("en_american_revolutionary_war_2020", 697, 8),      # two of them are so malformed the parser reads them as text
    ("en_battle_of_bosworth_field", 36, 240),            # 229 {{sfn}} and 11 {{harvnb}} (one more sits in a comment)
])
def test_every_citation_marker_is_accounted_for(name, ref_tags, short):
    article, counts = uses(name)
    assert counts.get("ref", 0) + counts.get("named-ref-use", 0) == ref_tags
    assert counts.get("sfn", 0) + counts.get("harv", 0) == short


def test_named_refs_never_defined_are_diagnosed_and_kept_unresolved():
    article, _ = uses("seed")
    undefined = sorted(d.message.split("'")[1] for d in article.diagnostics if d.code == "undefined-ref")
    assert undefined == ["OhanyanVelikhanova", "melkonian"]
    infobox_names = {m.name for c in article.conflicts for f in [*c.belligerents, *c.supporters, *c.commanders,
                                                                 *c.figures] for m in f.refs if m.name}
    assert infobox_names - set(article.refs) == {"OhanyanVelikhanova"}


def test_sources_rank_de_waal_first_and_every_casualty_figure_has_a_source(seed_build):
    import pyoxigraph as ox

    from .conftest import QUERIES

    path, _ = seed_build
    store = ox.Store()
    store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE)
    rows = list(store.query((QUERIES / "sources.rq").read_text(encoding="utf-8")))
    assert rows[0]["sourceTitle"].value.startswith("Black Garden") and rows[0]["isbn"].value == "9780814719459"
    assert int(rows[0]["timesCited"].value) > int(rows[1]["timesCited"].value)
    unsourced = list(store.query("""PREFIX wkg: <https://w3id.org/wikikg/ontology#>
        SELECT ?f WHERE { ?f a wkg:Casualties FILTER NOT EXISTS { ?f wkg:basedOn ?c } }"""))
    assert unsourced == []
    at_285 = [r for r in store.query((QUERIES / "citations.rq").read_text(encoding="utf-8"))
              if r["page"] is not None and r["page"].value == "285"]
    assert len(at_285) == 3  # {{sfn|de Waal|2003|p=285}} backs three casualty figures
    assert all(r["isbn"].value == "9780814719459" and r["sourceTitle"].value.startswith("Black Garden")
               for r in at_285)


def test_an_invalid_isbn_is_kept_as_written_and_flagged():
    from graph.pipeline import build
    from graph.wikitext.read import decode_source

    text = ("{{Infobox military conflict\n|combatant1=[[A]]<ref>{{cite book|last=X|title=T|year=2000|"
            "isbn=0-8147-1945-8}}</ref>\n}}")
    triples = build(decode_source("x.wiki", text.encode()), lang="en").sink.sorted()
    values = {t.predicate.value.rsplit("#", 1)[1]: t.object.value for t in triples if "/work/" in t.subject.value}
    assert values["isbnAsWritten"] == "0-8147-1945-8" and values["invalidIsbn"] == "true" and "isbn" not in values


@pytest.mark.parametrize("ref, expected", [
    ('<ref>"[http://www.euronews.net/2009/11/28/x/ Winds of Change in Nagorno Karabakh ] {{webarchive|'
     'url=https://web.archive.org/web/20111206040424/http://www.euronews.net/x/ |date=2011-12-06 }}." '
     "''Euronews''. 28 November 2009.</ref>",
     {"url": "http://www.euronews.net/2009/11/28/x/", "kind": "web",
      "archive_url": "https://web.archive.org/web/20111206040424/http://www.euronews.net/x/"}),
    ("<ref name=\"AMS\">{{ru icon}} Melik-Shahnazarov, Arsen. ''[http://www.sumgait.info/x.htm Нагорный Карабах: "
     "факты против лжи]''.</ref>", {"language": "ru", "url": "http://www.sumgait.info/x.htm"}),
    ("<ref>{{cite news | last = Goldberg | first = Carey | title = Azerbaijan Troops Launch Karabakh Offensive | "
     "publisher = 洛杉矶时报 | date = 1992年7月14日 | url = http://www.latimes.com/ }}</ref>",
     {"kind": "news", "year": "1992", "authors": ("Goldberg",), "publisher": "洛杉矶时报"}),
    ("<ref>{{cite journal|title=Strategic impact|issue=4|year=2010|pages=35|language=en}}</ref>",
     {"kind": "journal", "page": "35", "language": "en"}),
    ("<ref>Yamskov, A. N. \"''Ethnic Conflict in the Transcausasus''\". Theory and Society, Vol. 20, 1991, 659.</ref>",
     {"kind": "text", "year": "1991"}),
])
def test_citation_families_on_real_fragments(ref, expected):
    from graph.extract.refs import marker_from_ref

    tag = mwparserfromhell.parse(ref).filter_tags()[0]
    record = marker_from_ref(tag).record
    assert {k: getattr(record, k) for k in expected} == expected


def test_refs_defined_in_reflist_are_found():
    from graph.pipeline import extract_article
    from graph.wikitext.read import decode_source

    text = ("{{Infobox military conflict\n|strength1=100<ref name=\"a\"/>\n}}\n'''X''' was a war.\n"
            "{{reflist|refs=\n<ref name=\"a\">{{cite book|last=Ross|title=Richard III|year=1999}}</ref>\n}}")
    article = extract_article(decode_source("x.wiki", text.encode()), lang="en")
    assert article.refs["a"].record.title == "Richard III"
    assert not [d for d in article.diagnostics if d.code == "undefined-ref"]


# --- issue 13: sources a historian can cite (every fragment quoted from the articles) ---

@pytest.mark.parametrize("text, authors, year, page, title", [
    ("Rowse, p. 143", ("Rowse",), None, "143", None),                                 # Wakefield
    ("Clark (2016), pp.120-125", ("Clark",), "2016", "120-125", None),               # Wakefield
    ("Howarth 1991, p. 16", ("Howarth",), "1991", "16", None),                       # Revolutionary War
    ("Savas and Dameron (2006), p. xli", ("Savas", "Dameron"), "2006", "xli", None),  # Revolutionary War
    ("Mackesy (1964), pp. 6, 176 (British seamen).", ("Mackesy",), "1964", "6, 176", None),
    ("Weir, pp. 232–233", ("Weir",), None, "232–233", None),                         # Wakefield
    ("David S. Potter, p.232–233", ("Potter",), None, "232–233", None),              # Naissus
    ("G. Syncellus, p.717", ("Syncellus",), None, "717", None),                      # Naissus
    ("Zosimus, 1.43", ("Zosimus",), None, "1.43", None),                             # Naissus: book.chapter
    ("总计7,709km²或8.9%： de Waal. ''Black Garden'', p. 286.", ("de Waal",), None, "286", "Black Garden"),  # seed
])
def test_hand_written_short_citations(text, authors, year, page, title):
    from graph.extract.bibliography import pointer_of

    found = pointer_of(text)
    assert (found["authors"], found["year"], found["page"], found["title"]) == (authors, year, page, title)


@pytest.mark.parametrize("text", [
    "Hicks, Michael. ''The Wars of the Roses'', (Yale University Press, 2010), 153.",  # a full reference
    "Baku had 1.5 million inhabitants",
    "值得注意的是在苏联解体时，美国政府承认莫洛托夫—里宾特洛甫条约",
])
def test_text_that_is_no_short_citation(text):
    from graph.extract.bibliography import pointer_of

    assert pointer_of(text) is None


def test_a_footnote_with_several_short_citations_cites_each():
    from graph.extract.refs import marker_from_ref

    tag = mwparserfromhell.parse("<ref>John Bray, p.284–285, Pat Southern, p.109. Also see Alaric Watson, p.215, "
                                 "David S. Potter, p.266, H. Wolfram, p.54</ref>").filter_tags()[0]
    marker = marker_from_ref(tag)
    assert marker.pointer and (marker.authors, marker.page) == (("Bray",), "284–285")
    assert [(m.authors[0], m.page) for m in marker.also] == [("Southern", "109"), ("Watson", "215"),
                                                             ("Potter", "266"), ("Wolfram", "54")]


@pytest.mark.parametrize("entry, authors, year, title, isbn", [
    ("[[Jeremy Black (historian)|Black, Jeremy]]. ''War for America: The Fight for Independence, 1775–1783''. 2001. "
     "Analysis from a noted British military historian.", ("Black",), "2001",
     "War for America: The Fight for Independence, 1775–1783", None),
    ("Boatner, Mark Mayo, III. ''Encyclopedia of the American Revolution.'' 1966; revised 1974. {{ISBN|0811705781}}.",
     ("Boatner",), "1966", "Encyclopedia of the American Revolution.", "0811705781"),
    ("[[Piers Mackesy|Mackesy, Piers]]. [https://www.questia.com/library/book/x.jsp ''The War for America: "
     "1775–1783'']. London, 1964. Reprinted [[University of Nebraska Press]], 1993. {{ISBN|0803281927}}.",
     ("Mackesy",), "1964", "The War for America: 1775–1783", "0803281927"),
    ('Stephenson, Orlando W. "The Supply of Gunpowder in 1776", \'\'American Historical Review\'\', 30#2 (1925), '
     "pp.&nbsp;271–81", ("Stephenson",), "1925", "The Supply of Gunpowder in 1776", None),
    ("[[David Hackett Fischer]]. ''[[Washington's Crossing (book)|Washington's Crossing]]''. New York: Oxford "
     "University Press, 2004. {{ISBN|0195170342}}.", ("David Hackett Fischer",), "2004", "Washington's Crossing", "0195170342"),
    ("Bray, John.，《Gallienus: A Study in Reformist and Sexual Politics》，Wakefield Press, 1997. ISBN 1-862-54337-2",
     ("Bray",), "1997", "Gallienus: A Study in Reformist and Sexual Politics", "1-862-54337-2"),
    ("Herwig Wolfram|Wolfram, Herwig，《History of the Goths》， (Thomas J. Dunlap翻译成英语), 加州大学出版, 1988. "
     "ISBN 0-520-06983-8", ("Wolfram",), "1988", "History of the Goths", "0-520-06983-8"),
    ("[[中華民國|中華民國]][[國防大學_(臺灣)|國防大學]]編，《中國現代軍事史主要戰役表》", ("中華民國國防大學",), None,
     "中國現代軍事史主要戰役表", None),
    ("《抗日戰史紀要》，中華民國國防部總政治作戰部，1996年4月，第117-118頁", (), "1996", "抗日戰史紀要", None),
    ("T. Forgiarini, ''A propos de Claude II: Les invasion gothiques de 269–270 et le role de l' empereur'', in "
     "''Les empereurs illyriens'', Frezouls et Jouffroy, p.81–86.", ("T. Forgiarini",), None,
     "A propos de Claude II: Les invasion gothiques de 269–270 et le role de l' empereur", None),
])
def test_written_references(entry, authors, year, title, isbn):
    from graph.extract.bibliography import written_record

    record = written_record(entry)
    assert (record.authors, record.year, record.title, record.isbn) == (authors, year, title, isbn)


@pytest.mark.parametrize("ref, year, authors", [
    ("<ref>Yamskov, A. N. \"''Ethnic Conflict in the Transcausasus: The Case of Nagorno-Karabakh''\". Theory and "
     "Society, Vol. 20, No. 5, Special Issue on Ethnic Conflict in the Soviet Union October 1991, 659. "
     "2007年2月13日查阅。</ref>", "1991", ("Yamskov",)),
    ("<ref>{{ru icon}} Kulish, O. and Melikov, D. ''Социалистическая индустрия'' (社会主义工业). March 27, 1988. "
     "2008年3月30日查。</ref>", "1988", ("Kulish", "Melikov")),
    ("<ref>{{cite web|last=Quinn-Judge|title=Armenians killed 1000|date=|accessdate=2007-03-02}}</ref>", None,
     ("Quinn-Judge",)),
])
def test_the_year_of_a_work_is_never_its_access_date(ref, year, authors):
    from graph.extract.refs import marker_from_ref

    record = marker_from_ref(mwparserfromhell.parse(ref).filter_tags()[0]).record
    assert (record.year, record.authors) == (year, authors)


def test_a_template_inside_a_citation_field_is_read_as_text():
    record = record_from_template(template("{{cite book|editor1-last=Brzezinski|title=Russia and the Commonwealth of "
                                           "Independent States|year=1997|publisher={{le|M. E. Sharpe}}}}"))
    assert record.publisher == "M. E. Sharpe"


@pytest.mark.parametrize("ref", [
    "<ref>值得注意的是在[[苏联解体|苏联解体]]时，美国政府承认莫洛托夫—里宾特洛甫条约</ref>",  # seed: no signal
    "<ref group=N>The colony of Georgia joined later.</ref>",                                   # group=N
    "<ref group=\"note\">Wiltshire was almost certainly not present.</ref>",
    "<ref>The ''Historia Augusta'' mentions Scythians, Greuthungi, Tervingi, Gepids.</ref>",    # prose naming a title
])
def test_explanatory_footnotes_are_notes(ref):
    from graph.extract.refs import marker_from_ref

    marker = marker_from_ref(mwparserfromhell.parse(ref).filter_tags()[0])
    assert marker.record is None and marker.note and not marker.pointer


WAKEFIELD_REFERENCES = """==Footnotes==
{{reflist}}

==References==
{{refbegin|indent=y}}
* {{cite book |last=Clark |date=7 September 2016 |first=Karen L. |title=The Nevills of Middleham |isbn=978-0-7509-6365-7}}
* {{cite book |last=Haigh |year=1995 |first=Philip A. |title=Military Campaigns of the Wars of the Roses}}
* {{cite book |last=Haigh |year=1996 |first=Philip A. |title=The Battle of Wakefield 1460}}
* {{cite book|last=Rowse|first=A.L.|title=Bosworth Field & the Wars of the Roses|year=1966|isbn=1-85326-691-4}}
{{refend}}

==External links==
* {{cite web|title=Not a source of the article|url=http://example.org/x}}
"""


def test_bibliography_sections_are_read_and_short_citations_resolve_to_them():
    from dataclasses import replace

    from graph.extract.bibliography import listed_records
    from graph.extract.model import RefMarker

    listed = listed_records(WAKEFIELD_REFERENCES)
    assert [r.authors[0] for r in listed] == ["Clark", "Haigh", "Haigh", "Rowse"]
    rowse = RefMarker(key="x", kind="ref", authors=("Rowse",), page="143", pointer=True)
    assert resolve(rowse, listed).isbn == "1-85326-691-4"  # no year: the one work of Rowse
    assert resolve(replace(rowse, authors=("Clark",), year="2016"), listed).title == "The Nevills of Middleham"
    assert resolve(replace(rowse, authors=("Haigh",)), listed) is None  # two works of Haigh and no year
    assert resolve(replace(rowse, authors=("Weir",), year="1995"), listed) is None  # not in the article


def build_fixture(name: str):
    import pyoxigraph as ox

    from graph.pipeline import build
    from graph.wikitext.read import read_source

    from .conftest import QUERIES, SEED, shared_path

    path = SEED if name == "seed" else shared_path("fixtures", f"{name}.wiki")
    store = ox.Store()
    for t in build(read_source(str(path))).sink.sorted():
        store.add(ox.Quad(t.subject, t.predicate, t.object))
    return store, QUERIES, path.read_text(encoding="utf-8")


FIXTURES = ["seed", "en_american_revolutionary_war_2020", "en_battle_of_bosworth_field", "en_battle_of_wakefield",
            "zh_naissus_battle", "zh_shucheng_battle_1938"]


@pytest.mark.parametrize("name", FIXTURES)
def test_no_work_has_a_year_outside_its_plausible_range(name):
    """Printing begins about 1450 and no work is from after the build: a year outside is a page, a count or an
    access date read as the year, unless the article writes that year as a date (year=, date=)."""
    import datetime

    store, queries, text = build_fixture(name)
    rows = list(store.query((queries / "sources.rq").read_text(encoding="utf-8")))
    assert rows
    for row in rows:
        year = row["year"].value if row["year"] is not None else None
        if year is None or 1450 <= int(year) <= datetime.date.today().year:
            continue
        assert re.search(rf"\|\s*(?:year|date)\s*=[^|}}]*\b{year}\b", text), (name, row["sourceTitle"].value, year)


def test_a_work_listed_and_never_cited_is_kept_and_marked_listed():
    store, queries, _ = build_fixture("zh_naissus_battle")
    rows = {r["sourceTitle"].value: int(r["timesCited"].value)
            for r in store.query((queries / "sources.rq").read_text(encoding="utf-8"))}
    assert rows["群史摘要"] == 0  # Zonaras' Epitome: listed under 参考文献, cited by no footnote
    assert rows["Gallienus: A Study in Reformist and Sexual Politics"] == 6  # "John Bray, p.279" and five more


def test_sfn_resolves_through_the_anchor_a_citation_declares():
    records = records_in(mwparserfromhell.parse(  # Bosworth: a corporate author, named only in the anchor
        "{{cite web |url=http://www.english-heritage.org.uk/x |title=English Heritage Battlefield Report: Bosworth "
        "Field 1471 |accessdate=15 November 2010 |year=1995 |publisher=[[English Heritage]] "
        "|ref={{harvid|English Heritage|1995}}}}"))
    marker = marker_from_short_citation(template("{{sfn|English Heritage|1995|pp=4, 7}}"))
    assert resolve(marker, records).title.startswith("English Heritage Battlefield Report")


@pytest.mark.parametrize("ref, title, year, page", [
    ("<ref>Ramaswami, N.S. (1984). Political History of Carnatic under the Nawabs. New Delhi: Abhinav Publications. "
     "p. 225</ref>", None, "1984", "225"),                                          # Revolutionary War
    ("<ref>Glenn Foard & Anne Curry (2013). ''Bosworth 1485: A Battlefield Rediscovered''. Oxford: Oxbow Books. "
     "pp. 195–198. {{JSTOR|j.ctt14bs19c}}</ref>", "Bosworth 1485: A Battlefield Rediscovered", "2013", "195–198"),
])
def test_a_full_written_reference_ending_in_a_page_is_a_work_and_no_short_citation(ref, title, year, page):
    from graph.extract.refs import marker_from_ref

    marker = marker_from_ref(mwparserfromhell.parse(ref).filter_tags()[0])
    assert not marker.pointer and (marker.record.year, marker.record.page) == (year, page)
    assert title is None or marker.record.title == title


@pytest.mark.parametrize("ref, authors, year, page", [  # Revolutionary War: references written without marks
    ("<ref>Calhoon, Robert M. The Loyalists in Revolutionary America, 1760–1781 (1973)</ref>", ("Calhoon",), "1973",
     None),
    ("<ref>Gerald Newman and Leslie Ellen Brown, Britain in the Hanoverian age, 1714–1837 (1997) p. 533</ref>",
     ("Gerald Newman", "Leslie Ellen Brown"), "1997", "533"),
    ("<ref>Lohuizen, Jan (1961). The Dutch East India Company and Mysore, 1762–1790. 's-Gravenhage: M. Nijhoff, "
     "p. 117</ref>", ("Lohuizen",), "1961", "117"),
])
def test_a_reference_written_without_marks_is_a_work_of_its_publication_year(ref, authors, year, page):
    from graph.extract.refs import marker_from_ref

    marker = marker_from_ref(mwparserfromhell.parse(ref).filter_tags()[0])
    assert marker.note is None and (marker.record.authors, marker.record.year, marker.record.page) == (authors, year,
                                                                                                     page)


@pytest.mark.parametrize("text, authors, year, title, page", [  # Revolutionary War: shortened notes
    ("Maier, American Scripture, 33–34", ("Maier",), None, "American Scripture", "33–34"),
    ("Trevelyan (1912), vol. 1, pp. 4–5", ("Trevelyan",), "1912", None, "4–5"),
    ("Trevelyan, Volume III, p. 6; Volume IV, p. 158", ("Trevelyan",), None, None, "6"),
    ("Duncan, History of the Royal Regiment of Artillery, Volume 2, p. 15", ("Duncan",), None,
     "History of the Royal Regiment of Artillery", "15"),
    ("Dull, (1985) p. 244", ("Dull",), "1985", None, "244"),
    ("Edler 2001, 181–89", ("Edler",), "2001", None, "181–89"),
    ("Buchanan, 327", ("Buchanan",), None, None, "327"),
])
def test_shortened_notes(text, authors, year, title, page):
    from graph.extract.bibliography import pointer_of

    found = pointer_of(text)
    assert (found["authors"], found["year"], found["title"], found["page"]) == (authors, year, title, page)


@pytest.mark.parametrize("text", [
    "Colonial Office Papers. Manuscripts in the Public Record Office, 5:92, Dartmouth to Howe, 5 Sept. 1775",
    "Calhoon, Robert M. The Loyalists in Revolutionary America, 1760–1781 (1973)",
    "Paul Kennedy, The Rise and Fall of the Great Powers (1987) pp. 81, 119",
    "Stedman, Charles, History of the American War (London, 1794), Volume I, p. 309",
    "Castex (p. 315) calls this a French victory, on account of more severe damage to Hughes' fleet.",
    "Boston, 1775.",
])
def test_full_references_and_prose_are_no_shortened_notes(text):
    from graph.extract.bibliography import pointer_of

    assert pointer_of(text) is None


def test_a_shortened_note_resolves_by_its_short_title():
    from graph.extract.bibliography import pointer_of
    from graph.extract.model import RefMarker

    records = records_in(mwparserfromhell.parse(
        "{{cite book|last=Stedman|title=The History of the Origin, Progress, and Termination of the American War|"
        "year=1794}} {{cite book|last=Stedman|title=Another Book|year=1800}}"))
    found = pointer_of("Stedman, American War, Volume I, p. 287")
    marker = RefMarker(key="x", kind="ref", authors=found["authors"], title=found["title"], page=found["page"],
                       pointer=True)
    assert resolve(marker, records).year == "1794"


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["a", "Title", " ", "\n", "\n\n\n", "\u00a0", "\t", "x y"]), min_size=1, max_size=8))
def test_a_field_of_text_alone_reads_as_its_stripped_tree(pieces):
    """field_text's shortcut for text nodes is clean_spaces(strip_code()) of the field."""
    value = Wikicode([Text(p) for p in pieces])
    assert field_text(value) == clean_spaces(value.strip_code())


@pytest.mark.parametrize("text", [DEWAAL, "{{cite book|ref={{harvid|A|1995}}|title=T}}", "{{cite web| ref =x|ref=y}}",
                                  "{{citation|Ref=x|1=ref}}", "{{cite book|ref}}", "{{cite news|ref=|title=t}}"])
def test_the_ref_parameter_met_on_the_way_is_the_templates(text):
    tpl = template(text)
    assert params_of(tpl)[1] is (tpl.get("ref") if tpl.has("ref") else None)
