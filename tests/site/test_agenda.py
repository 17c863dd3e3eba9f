"""Tests for hub.site.agenda: upcoming, this week, past and live, with the clock passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from hub.model import Text
from hub.site.agenda import PAST_DAYS, Agenda
from hub.site.events import Event

TORONTO = ZoneInfo("America/Toronto")


def event(name: str, start: datetime, minutes: int = 90, **extra: object) -> Event:
    fields: dict[str, object] = dict(
        id=name,
        title=Text.plain(name),
        summary=MappingProxyType({}),
        unit=None,
        start=start,
        end=start + timedelta(minutes=minutes),
        place=Text.plain("Hall"),
        map=None,
        stream=None,
        languages=("en",),
        repeat=None,
        until=None,
        source=Path(f"{name}.md"),
    )
    fields.update(extra)
    return Event(**fields)  # type: ignore[arg-type]


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TORONTO)


def ids(occurrences: tuple) -> list[str]:  # type: ignore[type-arg]
    return [o.id for o in occurrences]


AGENDA = Agenda(
    (
        event("later", datetime(2026, 12, 20, 19, 0)),
        event("soon", datetime(2026, 12, 8, 9, 0)),
        event("this-morning", datetime(2026, 12, 7, 8, 0)),
        event("last-week", datetime(2026, 11, 30, 19, 0)),
        event("long-ago", datetime(2026, 9, 1, 19, 0)),
        # A time with an offset: 1 a.m. UTC on December 14 is December 13 in Toronto.
        event("sunday-night", datetime(2026, 12, 14, 1, 0, tzinfo=UTC)),
    ),
    "America/Toronto",
)


def test_upcoming_soonest_first_past_newest_first_by_the_local_day() -> None:
    now = local(2026, 12, 7, 23, 30)  # the morning's event is over, but today is not
    assert ids(AGENDA.upcoming(now)) == ["this-morning", "soon", "sunday-night", "later"]
    assert ids(AGENDA.past(now)) == ["last-week"]  # long-ago is past PAST_DAYS
    assert (date(2026, 12, 7) - date(2026, 9, 1)).days > PAST_DAYS


def test_the_week_is_today_and_the_six_days_after_it_in_the_sites_time_zone() -> None:
    # Monday December 7, 00:05 in Toronto (05:05 UTC): through Sunday December 13.
    assert ids(AGENDA.week(local(2026, 12, 7, 0, 5))) == ["this-morning", "soon", "sunday-night"]
    # December 8 in UTC is still December 7 in Toronto: the window goes by the local day.
    late = datetime(2026, 12, 8, 4, 59, tzinfo=UTC)
    assert ids(AGENDA.week(late)) == ["this-morning", "soon", "sunday-night"]
    # Monday December 14 in Toronto: sunday-night (December 13 there) has left the week.
    assert ids(AGENDA.week(local(2026, 12, 14, 12, 0))) == ["later"]


def test_the_pages_depend_on_the_day_and_the_live_streams_never_the_hour() -> None:
    assert AGENDA.state(local(2026, 12, 7, 8, 0)) == AGENDA.state(local(2026, 12, 7, 23, 59))
    assert AGENDA.state(local(2026, 12, 7, 8, 0)) != AGENDA.state(local(2026, 12, 8, 0, 0))
    assert Agenda(()).state(local(2026, 12, 7)) == ""
    # A new day on which no event changes place (none enters or leaves the week, the
    # past or the calendars) leaves the pages as they were.
    far = Agenda(tuple(e for e in AGENDA.events if e.id == "later"), AGENDA.timezone)
    assert far.state(local(2026, 12, 7, 8, 0)) == far.state(local(2026, 12, 8, 8, 0))


STREAM = event(
    "qa",
    datetime(2026, 11, 26, 19, 0),
    45,
    stream="https://video.example/live",
    place=None,
    repeat="weekly",
    until=date(2027, 3, 25),
)


def test_the_live_banner_by_the_clock_passed_in() -> None:
    agenda = Agenda((STREAM, AGENDA.events[0]), "America/Toronto")
    assert ids(agenda.live(local(2026, 12, 3, 18, 59))) == []
    assert ids(agenda.live(local(2026, 12, 3, 19, 0))) == ["qa-20261203"]
    assert ids(agenda.live(local(2026, 12, 3, 19, 44))) == ["qa-20261203"]
    assert ids(agenda.live(local(2026, 12, 3, 19, 45))) == []
    assert ids(agenda.live(local(2026, 12, 20, 19, 30))) == []  # later has no stream
    assert agenda.state(local(2026, 12, 3, 19, 0)) != agenda.state(local(2026, 12, 3, 20, 0))


def test_a_weekly_event_keeps_its_local_time_across_a_change_of_offset() -> None:
    agenda = Agenda((STREAM,), "America/Toronto")
    # Daylight time ends on November 1 and starts again on March 14, 2027.
    (before,) = agenda.week(local(2026, 12, 3, 12, 0))
    (after,) = agenda.week(local(2027, 3, 18, 12, 0))
    assert (before.start.hour, after.start.hour) == (19, 19)
    assert before.start.utcoffset() != after.start.utcoffset()
    assert ids(agenda.upcoming(local(2026, 12, 4, 12, 0))) == ["qa-20261210"]
    assert ids(agenda.upcoming(local(2027, 3, 26, 12, 0))) == []  # past until:
    assert ids(agenda.past(local(2026, 12, 4, 12, 0))) == []  # a weekly event's are not listed
    calendar = agenda.in_calendar(local(2026, 12, 4, 12, 0))
    assert calendar[0].id == "qa-20261126" and calendar[-1].id == "qa-20270325"
    assert len({o.id for o in calendar}) == len(calendar) == 18
