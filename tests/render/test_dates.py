"""hub.render.dates: the same text as babel, formatted once per day, minute and "ago"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    format_timedelta,
    get_datetime_format,
)
from hypothesis import given
from hypothesis import strategies as st

from hub.render.dates import DateFormats

ZONE = ZoneInfo("America/Toronto")
AS_OF = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("lang", ["en", "fr"])
@given(seconds=st.integers(min_value=-3 * 365 * 86400, max_value=400 * 86400))
def test_ago_is_babels_text_for_every_delta(lang: str, seconds: int) -> None:
    formats = DateFormats(lang, ZONE, AS_OF)
    # Warm the cache with the neighbours, which share or border the delta's key.
    for near in (seconds - 1, seconds + 1, seconds // 2, seconds * 2):
        formats.ago(AS_OF + timedelta(seconds=near))
    moment = AS_OF + timedelta(seconds=seconds)
    expected = format_timedelta(moment - AS_OF, add_direction=True, threshold=1.0, locale=lang)
    assert formats.ago(moment) == expected


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "in 0 seconds"),
        (-59, "59 seconds ago"),
        (-90, "2 minutes ago"),
        (-3 * 3600, "3 hours ago"),
        (-6 * 86400 - 14 * 3600, "7 days ago"),
        (-9 * 86400, "1 week ago"),
        (2 * 3600, "in 2 hours"),
    ],
)
def test_ago_in_english(seconds: int, text: str) -> None:
    formats = DateFormats("en", ZONE, AS_OF)
    assert formats.ago(AS_OF + timedelta(seconds=seconds)) == text


def test_ago_in_french() -> None:
    formats = DateFormats("fr", ZONE, AS_OF)
    assert formats.ago(AS_OF - timedelta(days=3)) == "il y a 3 jours"


@pytest.mark.parametrize("lang", ["en", "fr", "fr-CA"])
@pytest.mark.parametrize("fmt", ["short", "medium", "long"])
def test_date_is_babels_in_the_sites_time_zone(lang: str, fmt: str) -> None:
    formats = DateFormats(lang, ZONE, AS_OF)
    # 02:30 UTC on the 3rd is still the 2nd in Toronto.
    moment = datetime(2026, 11, 3, 2, 30, tzinfo=UTC)
    locale = lang.replace("-", "_")
    assert formats.date(moment, fmt) == format_date(date(2026, 11, 2), fmt, locale=locale)
    assert formats.date(date(2026, 1, 5), fmt) == format_date(date(2026, 1, 5), fmt, locale=locale)
    assert formats.date(None) == ""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_short_datetime_is_babels(lang: str) -> None:
    formats = DateFormats(lang, ZONE, AS_OF)
    moment = datetime(2026, 11, 3, 2, 30, 41, tzinfo=UTC)
    expected = format_datetime(moment, "short", tzinfo=ZONE, locale=lang)
    assert formats.datetime(moment, "short") == expected
    assert formats.datetime(None) == ""


def test_longer_datetimes_show_the_time_to_the_minute() -> None:
    moment = datetime(2026, 11, 2, 13, 5, 59, tzinfo=UTC)
    assert DateFormats("en", ZONE, AS_OF).datetime(moment) == "Nov 2, 2026, 8:05\u202fAM"
    assert DateFormats("fr", ZONE, AS_OF).datetime(moment) == "2 nov. 2026, 08:05"


def test_a_moment_is_the_four_texts_a_post_shows() -> None:
    formats = DateFormats("fr", ZONE, AS_OF)
    moment = datetime(2026, 11, 17, 13, 5, 59, 12, tzinfo=UTC)
    shown = formats.moment(moment)
    assert shown.iso == "2026-11-17T13:05:59+00:00"
    assert shown.full == formats.datetime(moment) == "17 nov. 2026, 08:05"
    assert shown.ago == formats.ago(moment) == "il y a 3 jours"
    assert shown.day == formats.date(moment, "medium") == "17 nov. 2026"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("direction", [-1, 1])
def test_ago_at_every_half_hour_edge_is_babels(lang: str, direction: int) -> None:
    """Deltas of an hour or more share their text by half-hour: the edges, checked
    in both orders (the edge first, then its neighbours, and the other way round)."""
    edges = [1800 * k for k in range(2, 120)] + [86400 * k + 43200 for k in range(1, 60)]
    edges += [604800 * k + 302400 for k in range(1, 10)] + [
        2592000 * k + 1296000 for k in range(12)
    ]
    edges += [31536000 + 15768000, 2 * 31536000 + 15768000]
    for order in (1, -1):
        formats = DateFormats(lang, ZONE, AS_OF)
        for edge in edges:
            for offset in (-1, 0, 1, 899, 1799)[::order]:
                delta = timedelta(seconds=direction * (edge + offset))
                expected = format_timedelta(delta, add_direction=True, threshold=1.0, locale=lang)
                assert formats.ago(AS_OF + delta) == expected, (edge, offset)


@pytest.mark.parametrize("lang", ["en", "fr"])
@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2027, 12, 31),
        timezones=st.sampled_from([UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/Toronto")]),
    )
)
def test_a_moment_is_babels_texts_for_any_time(lang: str, moment: datetime) -> None:
    formats = DateFormats(lang, ZONE, AS_OF)
    formats.moment(moment - timedelta(seconds=61))  # the same day's texts, made before
    shown = formats.moment(moment)
    assert shown.iso == moment.isoformat(timespec="seconds")
    local = moment.astimezone(ZONE)
    # Babel's medium date and time, with the time to the minute.
    joined = get_datetime_format("medium", locale=lang).replace("'", "")
    clock = format_time(local.time(), "short", locale=lang)
    day = format_date(local.date(), "medium", locale=lang)
    assert shown.full == joined.replace("{0}", clock).replace("{1}", day)
    delta = moment - AS_OF
    assert shown.ago == format_timedelta(delta, add_direction=True, threshold=1.0, locale=lang)
    assert shown.day == day
