"""Citation templates → records, and short citations resolved to the full citation of the same article."""

from __future__ import annotations

import mwparserfromhell
import pytest

from graph.extract.bibliography import record_from_template, records_in, resolve
from graph.extract.refs import marker_from_short_citation

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
