"""hub.render.dates: absolute dates and times in the house style, in the site's time zone,
formatted once per day and minute; never relative to the build."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from hypothesis import given
from hypothesis import strategies as st

from hub.render.dates import NBSP, DateFormats

ZONE = ZoneInfo("America/Toronto")


@pytest.mark.parametrize(
    ("lang", "moment", "text"),
    [
        # The examples: 19:05 UTC is 14:05 in Toronto in December.
        ("en", datetime(2026, 12, 7, 19, 5, tzinfo=UTC), "December 7, 2026, 2:05\u00a0p.m."),
        ("fr", datetime(2026, 12, 7, 19, 5, tzinfo=UTC), "7 décembre 2026 à 14\u00a0h\u00a005"),
        ("fr-CA", datetime(2026, 12, 7, 19, 5, tzinfo=UTC), "7 décembre 2026 à 14\u00a0h\u00a005"),
        # Noon, midnight and on the hour.
        ("en", datetime(2026, 7, 1, 16, 0, tzinfo=UTC), "July 1, 2026, 12:00\u00a0p.m."),
        ("en", datetime(2026, 7, 1, 4, 30, tzinfo=UTC), "July 1, 2026, 12:30\u00a0a.m."),
        ("fr", datetime(2026, 7, 1, 13, 0, tzinfo=UTC), "1er juillet 2026 à 9\u00a0h"),
        ("fr", datetime(2026, 7, 2, 4, 7, tzinfo=UTC), "2 juillet 2026 à 0\u00a0h\u00a007"),
        # 02:30 UTC on the 3rd is still the 2nd in Toronto.
        ("en", datetime(2026, 11, 3, 2, 30, 41, tzinfo=UTC), "November 2, 2026, 9:30\u00a0p.m."),
    ],
)
def test_a_moment_is_the_date_and_time_in_the_house_style(
    lang: str, moment: datetime, text: str
) -> None:
    formats = DateFormats(lang, ZONE)
    shown = formats.moment(moment)
    assert shown.full == text == formats.datetime(moment)
    assert shown.day == formats.date(moment) == text.split(" à ")[0].rsplit(", ", 1)[0]
    assert shown.iso == moment.isoformat(timespec="seconds")


def test_a_moment_is_in_utc_to_the_second_whatever_its_zone() -> None:
    formats = DateFormats("en", ZONE)
    paris = datetime(2026, 12, 7, 20, 5, 59, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    assert formats.moment(paris).iso == "2026-12-07T19:05:59+00:00"
    assert formats.moment(paris).full == "December 7, 2026, 2:05\u00a0p.m."


def test_a_time_never_breaks_from_its_unit() -> None:
    """A no-break space between the number and a.m. or h: never "2:05" at a line's end."""
    moment = datetime(2026, 12, 7, 19, 5, tzinfo=UTC)
    for lang in ("en", "fr"):
        clock = DateFormats(lang, ZONE).moment(moment).full.rsplit(" ", 1)[-1]
        assert NBSP in clock and " " not in clock


def test_another_language_gets_babels_long_date_and_short_time() -> None:
    moment = datetime(2026, 12, 7, 19, 5, tzinfo=UTC)
    shown = DateFormats("de", ZONE).moment(moment)
    local = moment.astimezone(ZONE)
    pattern = get_datetime_format("long", locale="de").replace("'", "")
    clock = format_time(local.time(), "short", locale="de")
    day = format_date(local.date(), "long", locale="de")
    assert shown.full == pattern.replace("{0}", clock).replace("{1}", day)


@pytest.mark.parametrize("lang", ["en", "fr", "fr-CA"])
@pytest.mark.parametrize("fmt", ["short", "medium", "long"])
def test_date_is_babels_in_the_sites_time_zone(lang: str, fmt: str) -> None:
    formats = DateFormats(lang, ZONE)
    # 02:30 UTC on the 3rd is still the 2nd in Toronto.
    moment = datetime(2026, 11, 3, 2, 30, tzinfo=UTC)
    locale = lang.replace("-", "_")
    assert formats.date(moment, fmt) == format_date(date(2026, 11, 2), fmt, locale=locale)
    assert formats.date(date(2026, 1, 5), fmt) == format_date(date(2026, 1, 5), fmt, locale=locale)
    assert formats.date(None) == ""


def test_the_first_of_the_month_is_1er_in_french_long_dates_only() -> None:
    first = date(2026, 12, 1)
    assert DateFormats("fr", ZONE).date(first) == "1er décembre 2026"
    assert DateFormats("fr", ZONE).date(first, "medium") == format_date(
        first, "medium", locale="fr"
    )
    assert DateFormats("en", ZONE).date(first) == "December 1, 2026"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_short_datetime_is_babels(lang: str) -> None:
    formats = DateFormats(lang, ZONE)
    moment = datetime(2026, 11, 3, 2, 30, 41, tzinfo=UTC)
    assert formats.datetime(moment, "short") == format_datetime(
        moment, "short", tzinfo=ZONE, locale=lang
    )
    assert formats.datetime(None) == ""


def test_a_medium_datetime_shows_the_time_to_the_minute() -> None:
    moment = datetime(2026, 11, 2, 13, 5, 59, tzinfo=UTC)
    assert DateFormats("en", ZONE).datetime(moment, "medium") == "Nov 2, 2026, 8:05\u202fAM"
    assert DateFormats("fr", ZONE).datetime(moment, "medium") == "2 nov. 2026, 08:05"


@pytest.mark.parametrize("lang", ["en", "fr"])
@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2027, 12, 31),
        timezones=st.sampled_from([UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/Toronto")]),
    )
)
def test_a_moment_pieced_together_is_the_same_as_made_whole(lang: str, moment: datetime) -> None:
    """Texts put together from the day's and the minute's pieces, made before for
    another moment of the same day, are those a fresh formatter makes."""
    warm = DateFormats(lang, ZONE)
    warm.moment(moment - timedelta(seconds=61))
    warm.moment(moment + timedelta(hours=1))
    shown = warm.moment(moment)
    fresh = DateFormats(lang, ZONE)
    local = moment.astimezone(ZONE)
    assert shown == fresh.moment(moment)
    assert shown.iso == moment.astimezone(UTC).isoformat(timespec="seconds")
    assert shown.day == fresh.date(local.date())
    assert shown.full.startswith(shown.day)
