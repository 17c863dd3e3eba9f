"""Dates and times as the pages show them, in one language, with babel.

A large site shows tens of thousands of posts, each with a date, a time and
"3 days ago"; babel takes tens of microseconds for each. The text only ever
depends on a few things (the day; the hour and minute; the unit and number of
"ago"), so each is formatted once per build and language and then reused.
Posts rarely share a minute, so :meth:`DateFormats.moment` puts a post's
texts together from those pieces rather than keeping a text per minute.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from datetime import date as Date
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


_TWO = tuple(f"{number:02d}" for number in range(60))
"""Hours, minutes and seconds as ISO 8601 writes them."""


AGO_THRESHOLD = 1.0
"""Use the largest unit of which there is at least one: "1 week ago", not "9 days ago"."""


class DateFormats:
    """Formats dates in ``lang`` and the time zone ``zone``, relative times to ``as_of``."""

    def __init__(self, lang: str, zone: ZoneInfo, as_of: datetime) -> None:
        self.locale = Locale.parse(lang.replace("-", "_"))
        self.zone = zone
        self.as_of = as_of
        self._dates: dict[tuple[Date, str], str] = {}
        self._times: list[str | None] = [None] * (24 * 60)
        """The short time of day, by minute of the day."""
        self._ago: dict[tuple[bool, str, int], str] = {}
        self._ago_buckets: dict[tuple[bool, int, bool], str] = {}
        self._patterns: dict[str, str] = {}
        self._iso_days: dict[Date, str] = {}
        self._medium: dict[Date, tuple[str, str]] = {}

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
        if moment.tzinfo is UTC:  # as the store gives them: the ISO text is put together
            prefix = self._iso_days.get(moment.date())
            if prefix is None:
                prefix = self._iso_days[moment.date()] = moment.date().isoformat() + "T"
            iso = f"{prefix}{_TWO[moment.hour]}:{_TWO[moment.minute]}:{_TWO[moment.second]}+00:00"
        else:  # whole seconds, which HTML accepts; most feeds' dates have no fraction
            iso = moment.isoformat(timespec="seconds") if moment.microsecond else moment.isoformat()
        day = local.date()
        texts = self._medium.get(day)
        if texts is None:
            # The day's text, and the day with time (still to be put in) in the pattern.
            text = self._day(day, "medium")
            texts = self._medium[day] = (text, self._pattern("medium").replace("{1}", text))
        return Moment(iso, texts[1].replace("{0}", self._clock(local)), self.ago(moment), texts[0])

    def _day(self, day: Date, fmt: str) -> str:
        key = (day, fmt)
        text = self._dates.get(key)
        if text is None:
            text = self._dates[key] = format_date(day, fmt, locale=self.locale)
        return text

    def _day_and_time(self, local: datetime, fmt: str) -> str:
        # As babel.dates.format_datetime joins the two.
        day = self._day(local.date(), fmt)
        return self._pattern(fmt).replace("{0}", self._clock(local)).replace("{1}", day)

    def _clock(self, local: datetime) -> str:
        """The time of day, short: "8:05 AM"."""
        minute = local.hour * 60 + local.minute
        text = self._times[minute]
        if text is None:
            text = self._times[minute] = format_time(
                time(local.hour, local.minute), "short", locale=self.locale
            )
        return text

    def _pattern(self, fmt: str) -> str:
        """How ``fmt`` joins a date ({1}) and a time ({0})."""
        pattern = self._patterns.get(fmt)
        if pattern is None:
            pattern = get_datetime_format(fmt, locale=self.locale).replace("'", "")
            self._patterns[fmt] = pattern
        return pattern

    def ago(self, moment: datetime | None) -> str:
        """``moment`` relative to ``as_of``: "3 days ago", "in 2 hours"."""
        if moment is None:
            return ""
        delta = moment - self.as_of
        seconds = delta.days * 86400 + delta.seconds
        span = abs(seconds)
        if span >= 3600:
            # An hour or more: the text is the same for a whole half-hour (see
            # _ago_key), but for the first second of some.
            bucket = (seconds > 0, span // 1800, span % 1800 == 0)
            text = self._ago_buckets.get(bucket)
            if text is None:
                text = self._ago_buckets[bucket] = self._ago_text(seconds, delta)
            return text
        return self._ago_text(seconds, delta)

    def _ago_text(self, seconds: int, delta: timedelta) -> str:
        key = _ago_key(seconds)
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

    From an hour up, every unit is a whole number of half-hours, and so is
    every point where the rounded number changes (half a unit, an even number
    of half-hours): the key is the same for every delta within a half-hour,
    though the half-hour's first second may round the other way.
    """
    for unit, per_unit in TIMEDELTA_UNITS:
        value = abs(seconds) / per_unit
        if value >= AGO_THRESHOLD:
            return seconds >= 0, unit, round(value)
    return seconds >= 0, "second", 0
