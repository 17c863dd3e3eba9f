"""Dates and times as the pages show them, in one language, with babel.

Every time a page shows is absolute: the date and time in the site's time
zone, in the page's language, in the house style (:data:`HOUSE`), never
relative to the build. "2 hours ago" is the business of the theme's script
(``time.js``), in the reader's browser: so the same store renders the same
bytes at any hour, and a run with nothing new has nothing to render.

A large site shows tens of thousands of posts, each with a date and a time;
babel takes tens of microseconds for each. The text only ever depends on the
day and on the hour and minute, so each is formatted once per build and
language and then reused: :meth:`DateFormats.moment` puts a post's text
together from those pieces rather than keeping a text per minute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from datetime import date as Date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format

NBSP = "\u00a0"
"""Between a number and its unit ("2:05 p.m.", "14 h 05"): they never part at a line's end."""


class Moment(NamedTuple):
    """A moment as a post shows it (a named tuple: one is made for every post shown)."""

    iso: str
    """For ``<time datetime>``: in UTC, to the second, as HTML accepts."""
    full: str
    """Date and time in the house style: "December 7, 2026, 2:05 p.m."."""
    day: str
    """The date alone, long: "December 7, 2026"."""


def _english_clock(hour: int, minute: int) -> str:
    """The Canadian Press style: "2:05 p.m.", "12:00 p.m." (noon), "12:30 a.m."."""
    return f"{hour % 12 or 12}:{minute:02d}{NBSP}{'a.m.' if hour < 12 else 'p.m.'}"


def _french_clock(hour: int, minute: int) -> str:
    """The Office québécois de la langue française's style: "14 h 05", "9 h"."""
    return f"{hour}{NBSP}h{NBSP}{minute:02d}" if minute else f"{hour}{NBSP}h"


class House(NamedTuple):
    """How one language writes a time of day, and a date with its time."""

    clock: Callable[[int, int], str]
    joined: str
    """``{day}`` and ``{time}``."""


HOUSE = {
    "en": House(_english_clock, "{day}, {time}"),
    "fr": House(_french_clock, "{day} à {time}"),
}
"""The house style of the languages the default theme ships, by language (``fr``
serves ``fr-CA`` too). Another language writes babel's long date and short time,
joined as its locale joins them."""


_TWO = tuple(f"{number:02d}" for number in range(60))
"""Hours, minutes and seconds as ISO 8601 writes them."""


class DateFormats:
    """Formats dates and times in ``lang``, in the time zone ``zone``."""

    def __init__(self, lang: str, zone: ZoneInfo) -> None:
        self.locale = Locale.parse(lang.replace("-", "_"))
        self.zone = zone
        self.house = HOUSE.get(self.locale.language)
        self._dates: dict[tuple[Date, str], str] = {}
        self._times: list[str | None] = [None] * (24 * 60)
        """The time of day in the house style, by minute of the day."""
        self._patterns: dict[str, str] = {}
        self._iso_days: dict[Date, str] = {}
        self._full: dict[Date, tuple[str, str]] = {}

    def date(self, moment: datetime | Date | None, fmt: str = "long") -> str:
        """The day, in the site's time zone: "December 7, 2026", "1er décembre 2026"."""
        if moment is None:
            return ""
        day = moment.astimezone(self.zone).date() if isinstance(moment, datetime) else moment
        return self._day(day, fmt)

    def datetime(self, moment: datetime | None, fmt: str = "long") -> str:
        """Day and time to the minute, in the site's time zone.

        ``long`` (the default) is the house style, what posts show:
        "December 7, 2026, 2:05 p.m.", "7 décembre 2026 à 14 h 05". Other
        formats are babel's: "Dec 7, 2026, 2:05 PM" for ``medium``.
        """
        if moment is None:
            return ""
        local = moment.astimezone(self.zone)
        if fmt == "long":
            return self._full_text(local.date()).replace("{time}", self.clock(local))
        # As babel.dates.format_datetime joins the two.
        day = self._day(local.date(), fmt)
        pattern = self._pattern(fmt)
        clock = format_time(time(local.hour, local.minute), "short", locale=self.locale)
        return pattern.replace("{0}", clock).replace("{1}", day)

    def moment(self, moment: datetime) -> Moment:
        """All a post shows of its time, in one call: see :class:`Moment`."""
        if moment.tzinfo is not UTC:
            moment = moment.astimezone(UTC)
        # As the store gives them, in UTC: the ISO text is put together.
        prefix = self._iso_days.get(moment.date())
        if prefix is None:
            prefix = self._iso_days[moment.date()] = moment.date().isoformat() + "T"
        iso = f"{prefix}{_TWO[moment.hour]}:{_TWO[moment.minute]}:{_TWO[moment.second]}+00:00"
        local = moment.astimezone(self.zone)
        day = local.date()
        full = self._full_text(day).replace("{time}", self.clock(local))
        return Moment(iso, full, self._day(day, "long"))

    def _full_text(self, day: Date) -> str:
        """The day's date and time, with ``{time}`` still to be put in."""
        texts = self._full.get(day)
        if texts is None:
            text = self._day(day, "long")
            if self.house is not None:
                joined = self.house.joined.replace("{day}", text)
            else:
                joined = self._pattern("long").replace("{1}", text).replace("{0}", "{time}")
            texts = self._full[day] = (text, joined)
        return texts[1]

    def _day(self, day: Date, fmt: str) -> str:
        key = (day, fmt)
        text = self._dates.get(key)
        if text is None:
            text = format_date(day, fmt, locale=self.locale)
            if fmt == "long" and day.day == 1 and self.locale.language == "fr":
                # "1er décembre", as French writes the first of the month.
                text = text.replace("1", "1er", 1)
            self._dates[key] = text
        return text

    def clock(self, local: datetime) -> str:
        """The time of day, in the house style: "2:05 p.m.", "14 h 05"."""
        minute = local.hour * 60 + local.minute
        text = self._times[minute]
        if text is None:
            if self.house is not None:
                text = self.house.clock(local.hour, local.minute)
            else:
                text = format_time(time(local.hour, local.minute), "short", locale=self.locale)
            self._times[minute] = text
        return text

    def _pattern(self, fmt: str) -> str:
        """How ``fmt`` joins a date ({1}) and a time ({0})."""
        pattern = self._patterns.get(fmt)
        if pattern is None:
            pattern = get_datetime_format(fmt, locale=self.locale).replace("'", "")
            self._patterns[fmt] = pattern
        return pattern
