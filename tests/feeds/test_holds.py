"""Tests for hub.feeds.holds: what a hold is, how long it lasts, and how it reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.feeds.holds import (
    HOLD_CAP,
    HostHold,
    api_key,
    held_line,
    hold_for,
    host_key,
    key_of,
    not_asked,
    relative,
)
from hub.model import FeedRef

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
FEED = "https://feeds.example/a.xml"


def said(retry_after: datetime, at: datetime = NOW) -> HostHold | None:
    return hold_for(
        "feeds.example:443",
        retry_after,
        said=at,
        status=429,
        why="HTTP 429 Too Many Requests",
        source=FEED,
    )


def test_a_hold_lasts_until_the_time_given() -> None:
    hold = said(NOW + timedelta(hours=1))
    assert hold == HostHold(
        "feeds.example:443",
        NOW + timedelta(hours=1),
        429,
        "HTTP 429 Too Many Requests",
        NOW,
        FEED,
    )


def test_a_hold_far_in_the_future_lasts_the_cap_only() -> None:
    hold = said(NOW + timedelta(days=30))
    assert hold is not None and hold.until == NOW + HOLD_CAP == NOW + timedelta(hours=24)
    kept = said(NOW + HOLD_CAP - timedelta(seconds=1))
    assert kept is not None and kept.until == NOW + HOLD_CAP - timedelta(seconds=1)


@pytest.mark.parametrize("ago", [timedelta(0), timedelta(seconds=1), timedelta(days=400)])
def test_a_time_already_past_holds_nothing(ago: timedelta) -> None:
    assert said(NOW - ago) is None


def test_hosts_are_keyed_as_the_fetch_counts_them() -> None:
    assert host_key("https://Feeds.Example/a.xml") == "feeds.example:443"
    assert host_key("http://feeds.example/a.xml") == "feeds.example:80"
    assert host_key("https://feeds.example:8443/a.xml") == "feeds.example:8443"
    assert host_key("http://127.0.0.2:5000/a.xml") == "127.0.0.2:5000"


def test_which_hold_keeps_a_feed_waiting() -> None:
    assert key_of(FeedRef(FEED, url=FEED)) == "feeds.example:443"
    api = FeedRef("api:x:lakeview", platform="x", token="HUB_X_BEARER")
    assert key_of(api) == api_key("x", "HUB_X_BEARER") == "api:x:HUB_X_BEARER"
    assert key_of(FeedRef("feeds/local.xml", path=Path("feeds/local.xml"))) is None


def test_relative_times_read_in_minutes_and_hours() -> None:
    assert relative(NOW + timedelta(minutes=50), NOW) == "in 50 min"
    assert relative(NOW + timedelta(seconds=30), NOW) == "in 1 min"
    assert relative(NOW + timedelta(hours=23, minutes=5), NOW) == "in 23 h 5 min"
    assert relative(NOW, NOW) == "over"
    assert relative(NOW - timedelta(hours=1), NOW) == "over"


def test_a_held_host_reads_as_one_line() -> None:
    hold = said(NOW + timedelta(hours=1))
    assert hold is not None
    assert held_line(hold, 3, NOW + timedelta(minutes=10)) == (
        "feeds.example:443 held until 2026-11-20 13:00 UTC (in 50 min): 3 feeds wait "
        f"(HTTP 429 Too Many Requests, in answer to {FEED})"
    )
    assert "(in 1 h 0 min): 1 feed waits (HTTP 429" in held_line(hold, 1, NOW)
    assert not_asked(hold) == (
        "not asked: feeds.example:443 is held until 2026-11-20 13:00:00 UTC "
        f"(HTTP 429 Too Many Requests, in answer to {FEED})"
    )


def test_an_api_hold_names_the_platform_and_the_token_variable() -> None:
    hold = HostHold(
        api_key("x", "HUB_X_BEARER"),
        NOW + timedelta(minutes=15),
        429,
        "rate limited by the X API (HTTP 429)",
        NOW,
        "api:x:lakeview",
    )
    assert held_line(hold, 2, NOW).startswith(
        "the X API (token HUB_X_BEARER) held until 2026-11-20 12:15 UTC (in 15 min): 2 feeds wait"
    )
