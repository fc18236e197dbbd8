"""Dates as the pages write them after ``Start activities`` and ``End activities``: day first, with
``-``, ``/`` or ``.`` between the parts, days and months with one digit or two (``16-09-2024``,
``04/07/2025``, ``4.7.2025``); also ``2024-09-16`` and ``16 September 2024``. A month or a year alone
gives a year and no day; text that is no calendar date gives neither, and is kept as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from graph.vocab import load_dating

_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([^\W\d_]+)\.?,?\s+(\d{4})$")
_YEAR = re.compile(r"^((?:19|20)\d{2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class ReadDate:
    """What a date as written says: the calendar day, or only a year, and what is wrong with it."""

    date: date | None
    year: int | None
    problem: str = ""  # why no calendar day was read ("" when one was)


def read_date(text: str) -> ReadDate:
    """The date ``text`` writes (see the module's note)."""
    written = " ".join(text.split()).strip(" .,;")
    day = month = year = None
    for pattern, order in ((_DAY_FIRST, (0, 1, 2)), (_YEAR_FIRST, (2, 1, 0))):
        found = pattern.match(written)
        if found:
            parts = [int(found.group(k)) for k in (1, 2, 3)]
            day, month, year = (parts[i] for i in order)
            break
    else:
        found = _WORDS.match(written)
        months = load_dating().months
        if found and found.group(2).casefold() in months:
            month, year = months[found.group(2).casefold()], int(found.group(3))
            if found.group(1) is None:
                return ReadDate(None, year, "a month, not a day")
            day = int(found.group(1))
        elif _YEAR.match(written):
            return ReadDate(None, int(written), "a year, not a day")
        elif (found := _MONTH_YEAR.match(written)) and 1 <= int(found.group(1)) <= 12:
            return ReadDate(None, int(found.group(2)), "a month, not a day")
        elif (found := _YEAR_MONTH.match(written)) and 1 <= int(found.group(2)) <= 12:
            return ReadDate(None, int(found.group(1)), "a month, not a day")
        else:
            return ReadDate(None, None, "not a date")
    try:
        return ReadDate(date(year, month, day), year)
    except ValueError:
        return ReadDate(None, None, "not a calendar date")
