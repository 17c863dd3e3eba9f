"""When the events happen, as of the build: upcoming, this week, past, live now.

Pure: the events, the site's time zone and the build's clock in, the
occurrences out. Everything but "live now" goes by the site's local **day**
(``site.timezone``), so a build every 15 minutes changes the events page and
the home page's week once a day, not every run:

- an event is *upcoming* from the day it is announced to the end of its last
  day, soonest first; a weekly event shows its next occurrence (today's, all
  day, once it has started);
- *this week* is the upcoming occurrences that start from today through the
  sixth day after it: seven days;
- *past* events stay listed, newest first, for :data:`PAST_DAYS` days after
  their last day; a weekly event's past occurrences are not listed;
- a stream is *live* from its start to its end, by the build's clock: the
  banner can lag by one scheduled run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from hub.site.events import LONGEST, Event

PAST_DAYS = 60
"""Days an event stays on the events page (and in the calendars) after its last day."""
WEEK_DAYS = 7
"""The home page's window: today and the six days after it."""
HORIZON_DAYS = 365
"""How far ahead the calendars list a weekly event's occurrences."""


@dataclass(frozen=True)
class Occurrence:
    """One time an event happens, in the site's time zone."""

    event: Event
    start: datetime
    end: datetime

    @property
    def id(self) -> str:
        """Stable: the file's stem, with the day for a weekly event (``qa-20261203``)."""
        if self.event.repeat is None:
            return self.event.id
        return f"{self.event.id}-{self.start.strftime('%Y%m%d')}"

    def is_live(self, now: datetime) -> bool:
        return self.event.stream is not None and self.start <= now < self.end


@dataclass(frozen=True)
class Agenda:
    """The site's events in its time zone."""

    events: tuple[Event, ...]
    timezone: str = "UTC"

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def occurrences(self, event: Event, first: date, last: date) -> Iterator[Occurrence]:
        """The event's occurrences whose last day is ``first`` or later and that start
        on ``last`` or before, in order."""
        start, end = self._local(event.start), self._local(event.end)
        if event.repeat is None:
            if end.date() >= first and start.date() <= last:
                yield Occurrence(event, start, end)
            return
        length = end - start
        # Whole weeks of wall-clock time: 7 p.m. stays 7 p.m. across a change of offset.
        weeks = max(0, (first - end.date()).days // 7)
        day = start.date() + timedelta(weeks=weeks)
        while day <= last and (event.until is None or day <= event.until):
            begins = datetime.combine(day, start.time(), self.zone)
            ends = begins + length
            if ends.date() >= first:
                yield Occurrence(event, begins, ends.astimezone(self.zone))
            day += timedelta(weeks=1)

    def upcoming(self, now: datetime) -> tuple[Occurrence, ...]:
        """Every event not over by the end of today, soonest first; a weekly one once."""
        today = self.today(now)
        found = [next(self.occurrences(event, today, date.max), None) for event in self.events]
        return tuple(sorted((o for o in found if o is not None), key=_soonest))

    def week(self, now: datetime) -> tuple[Occurrence, ...]:
        """The occurrences of today and the six days after it, soonest first."""
        today = self.today(now)
        last = today + timedelta(days=WEEK_DAYS - 1)
        found = [o for e in self.events for o in self.occurrences(e, today, last)]
        return tuple(sorted(found, key=_soonest))

    def past(self, now: datetime) -> tuple[Occurrence, ...]:
        """One-off events whose last day was in the last :data:`PAST_DAYS` days, newest first."""
        today = self.today(now)
        first = today - timedelta(days=PAST_DAYS)
        found = [
            occurrence
            for event in self.events
            if event.repeat is None
            for occurrence in self.occurrences(event, first, today)
            if occurrence.end.date() < today
        ]
        return tuple(sorted(found, key=_soonest, reverse=True))

    def live(self, now: datetime) -> tuple[Occurrence, ...]:
        """The streams under way at ``now``."""
        today = self.today(now)
        found = [
            occurrence
            for event in self.events
            if event.stream is not None
            for occurrence in self.occurrences(event, today - LONGEST, today)
            if occurrence.is_live(now)
        ]
        return tuple(sorted(found, key=_soonest))

    def in_calendar(self, now: datetime) -> tuple[Occurrence, ...]:
        """What the .ics calendars hold: every one-off event, and a weekly event's
        occurrences from :data:`PAST_DAYS` days ago to :data:`HORIZON_DAYS` ahead."""
        today = self.today(now)
        found: list[Occurrence] = []
        for event in self.events:
            if event.repeat is None:
                found += self.occurrences(event, date.min, date.max)
            else:
                first = today - timedelta(days=PAST_DAYS)
                found += self.occurrences(event, first, today + timedelta(days=HORIZON_DAYS))
        return tuple(sorted(found, key=_soonest))

    def state(self, now: datetime) -> str:
        """What the pages and calendars show of the events at ``now``: which occurrences
        are upcoming, in the week, past, live and in the calendars. Not the day itself:
        a day on which none of these changes renders nothing. Empty without events."""
        if not self.events:
            return ""
        shown = (self.upcoming, self.week, self.past, self.live, self.in_calendar)
        return " ".join(str([o.id for o in part(now)]) for part in shown)

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self.zone)
        return moment.astimezone(self.zone)


def _soonest(occurrence: Occurrence) -> tuple[datetime, str]:
    return occurrence.start.astimezone(UTC), occurrence.id
