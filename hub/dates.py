"""Dates and times as the pages show them, in one language, with babel.

A large site shows tens of thousands of posts, each with a date, a time and
"3 days ago"; babel takes tens of microseconds for each. The text only ever
depends on a few things (the day; the hour and minute; the unit and number of
"ago"), so each is formatted once per build and language and then reused.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    TIMEDELTA_UNITS,
    format_date,
    format_time,
    format_timedelta,
    get_datetime_format,
)


class Moment(NamedTuple):
    """A moment as a post shows it (a named tuple: one is made for every post shown)."""

    iso: str
    """For ``<time datetime>``: to the second, as HTML accepts."""
    full: str
    """Date and time, medium: "Nov 2, 2026, 8:05 AM"."""
    ago: str
    """Relative to the build: "3 days ago"."""
    day: str
    """The date, medium: "Nov 2, 2026"."""


AGO_THRESHOLD = 1.0
"""Use the largest unit of which there is at least one: "1 week ago", not "9 days ago"."""


class DateFormats:
    """Formats dates in ``lang`` and the time zone ``zone``, relative times to ``as_of``."""

    def __init__(self, lang: str, zone: ZoneInfo, as_of: datetime) -> None:
        self.locale = Locale.parse(lang.replace("-", "_"))
        self.zone = zone
        self.as_of = as_of
        self._dates: dict[tuple[Date, str], str] = {}
        self._times: dict[tuple[int, int], str] = {}
        self._full: dict[tuple[Date, int, int, str], str] = {}
        self._ago: dict[tuple[bool, str, int], str] = {}
        self._patterns: dict[str, str] = {}

    def date(self, moment: datetime | Date | None, fmt: str = "long") -> str:
        """The day, in the site's time zone: "November 2, 2026"."""
        if moment is None:
            return ""
        day = moment.astimezone(self.zone).date() if isinstance(moment, datetime) else moment
        return self._day(day, fmt)

    def datetime(self, moment: datetime | None, fmt: str = "medium") -> str:
        """Day and time to the minute, in the site's time zone: "Nov 2, 2026, 8:05 AM"."""
        if moment is None:
            return ""
        return self._day_and_time(moment.astimezone(self.zone), fmt)

    def moment(self, moment: datetime) -> Moment:
        """All a post shows of its time, in one call: see :class:`Moment`."""
        local = moment.astimezone(self.zone)
        # Whole seconds, which HTML accepts; most feeds' dates have no fraction.
        iso = moment.isoformat(timespec="seconds") if moment.microsecond else moment.isoformat()
        return Moment(
            iso,
            self._day_and_time(local, "medium"),
            self.ago(moment),
            self._day(local.date(), "medium"),
        )

    def _day(self, day: Date, fmt: str) -> str:
        key = (day, fmt)
        text = self._dates.get(key)
        if text is None:
            text = self._dates[key] = format_date(day, fmt, locale=self.locale)
        return text

    def _day_and_time(self, local: datetime, fmt: str) -> str:
        day = local.date()
        key = (day, local.hour, local.minute, fmt)
        text = self._full.get(key)
        if text is None:
            clock = self._times.get(key[1:3])
            if clock is None:
                clock = self._times[key[1:3]] = format_time(
                    time(local.hour, local.minute), "short", locale=self.locale
                )
            pattern = self._patterns.get(fmt)
            if pattern is None:
                pattern = get_datetime_format(fmt, locale=self.locale).replace("'", "")
                self._patterns[fmt] = pattern
            # As babel.dates.format_datetime joins the two.
            text = pattern.replace("{0}", clock).replace("{1}", self._day(day, fmt))
            self._full[key] = text
        return text

    def ago(self, moment: datetime | None) -> str:
        """``moment`` relative to ``as_of``: "3 days ago", "in 2 hours"."""
        if moment is None:
            return ""
        delta = moment - self.as_of
        key = _ago_key(delta.days * 86400 + delta.seconds)
        text = self._ago.get(key)
        if text is None:
            text = self._ago[key] = format_timedelta(
                delta, add_direction=True, threshold=AGO_THRESHOLD, locale=self.locale
            )
        return text


def _ago_key(seconds: int) -> tuple[bool, str, int]:
    """What babel's relative text depends on: direction, unit, rounded number.

    The same choice as ``babel.dates.format_timedelta`` makes (tests/test_dates.py
    checks that the two agree), so its text for one delta serves every delta
    with the same key.
    """
    for unit, per_unit in TIMEDELTA_UNITS:
        value = abs(seconds) / per_unit
        if value >= AGO_THRESHOLD:
            return seconds >= 0, unit, round(value)
    return seconds >= 0, "second", 0
