"""Calendars: a date before the Gregorian reform is Julian, with its calendar model and Gregorian equivalent, as
Wikidata gives them; {{OldStyleDate}} reads its New Style (Gregorian) date."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.extract.calendars import calendar_of, gregorian_equivalent
from graph.extract.model import PartialDate
from graph.pipeline import extract_article
from graph.wikitext.read import source_from_text

from .conftest import shared_path

JULIAN = "http://www.wikidata.org/entity/Q1985786"


@pytest.mark.parametrize(("date", "calendar"), [
    (PartialDate(1485, 8, 22), "julian"), (PartialDate(1582, 10, 4), "julian"), (PartialDate(1582, 10, 15), "gregorian"),
    (PartialDate(1582, 10), "gregorian"),  # October 1582 is partly Gregorian: not all of it is Julian
    (PartialDate(1460), "julian"), (PartialDate(1988, 2, 20), "gregorian"), (PartialDate(-30), "julian"),
])
def test_the_calendar_of_a_date(date, calendar):
    assert calendar_of(date) == calendar


def test_the_gregorian_equivalent_to_the_day_only():
    assert gregorian_equivalent(PartialDate(1485, 8, 22)) == PartialDate(1485, 8, 31)  # Bosworth
    assert gregorian_equivalent(PartialDate(1460, 12, 30)) == PartialDate(1461, 1, 8)  # Wakefield, into next year
    assert gregorian_equivalent(PartialDate(1485, 8)) is None


def test_bosworth_carries_its_calendar_as_wikidata_does(tmp_path):
    from graph.cli.main import main

    out = tmp_path / "bosworth.ttl"
    assert main(["build", str(shared_path("fixtures", "en_battle_of_bosworth_field.wiki")), "-o", str(out), "-q"]) == 0
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    [row] = store.query("""PREFIX wkg: <https://w3id.org/wikikg/ontology#>
        SELECT ?written ?calendar ?gregorian WHERE {
          <https://w3id.org/wikikg/resource/en/Battle_of_Bosworth_Field> wkg:startDate ?written ; wkg:dateValue ?v .
          ?v wkg:dateProperty wkg:startDate ; wkg:timeValue ?written ; wkg:calendarModel ?calendar ;
             wkg:gregorianDate ?gregorian }""")
    assert (row["written"].value, row["calendar"].value, row["gregorian"].value) == ("1485-08-22", JULIAN, "1485-08-31")


def test_old_style_date_reads_the_new_style_date():
    text = "{{Infobox military conflict\n|conflict=Battle of X\n|date={{OldStyleDate|3 September|1752|23 August}}\n}}"
    article = extract_article(source_from_text("x.wiki", text), "en", "Battle of X")
    assert article.conflicts[0].dates.start == PartialDate(1752, 9, 3)
