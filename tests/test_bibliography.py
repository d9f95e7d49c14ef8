"""Citation templates → records, and short citations resolved to the full citation of the same article."""

from __future__ import annotations

import mwparserfromhell
import pytest

from graph.bibliography import record_from_template, records_in, resolve
from graph.refs import marker_from_short_citation

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
