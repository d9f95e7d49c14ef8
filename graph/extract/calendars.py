"""Which calendar a date of an article is in, and its Gregorian equivalent (graph/data/calendars.yaml)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from graph.data.vocab import load
from graph.extract.model import PartialDate


@cache
def gregorian_from() -> PartialDate:
    day = load("calendars")["gregorian_from"]
    day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    return PartialDate(day.year, day.month, day.day)


def calendar_of(date: PartialDate) -> str:
    """``julian`` for a date before the Gregorian reform (to its precision), else ``gregorian``."""
    switch = gregorian_from()
    known = (date.year, date.month or 12, date.day or 31)  # a year or month is Julian only when all of it is
    return "julian" if known < (switch.year, switch.month, switch.day) else "gregorian"


def calendar_model(calendar: str) -> str:
    """The Wikidata item of a calendar (what ``wikibase:timeCalendarModel`` names)."""
    return load("calendars")["models"][calendar]


def gregorian_equivalent(date: PartialDate) -> PartialDate | None:
    """The Gregorian date of a Julian date known to the day; None when it is known to the month or year only."""
    if date.day is None or date.month is None:
        return None
    return PartialDate(*julian_to_gregorian(date.year, date.month, date.day))


def julian_to_gregorian(year: int, month: int, day: int) -> tuple[int, int, int]:
    """Proleptic Julian → proleptic Gregorian date, astronomical years, through the Julian day number."""
    a = (14 - month) // 12
    y, m = year + 4800 - a, month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    # Gregorian calendar from the JDN (Richards' algorithm)
    f = jdn + 1401 + (((4 * jdn + 274277) // 146097) * 3) // 4 - 38
    e = 4 * f + 3
    h = 5 * ((e % 1461) // 4) + 2
    g_day = (h % 153) // 5 + 1
    g_month = (h // 153 + 2) % 12 + 1
    g_year = e // 1461 - 4716 + (12 + 2 - g_month) // 12
    return g_year, g_month, g_day
