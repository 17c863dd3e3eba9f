"""The sections about accounts, each against the real store of the Test Bay world.

The clock is the test's (``world.NOW``), passed in; the token and profile
sections are fed the values the platforms' checks return.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hub.feeds.connectors.tokenmodel import TokenCheck, TokenUse
from hub.feeds.holds import HostHold, host_key
from hub.governance import collect, wording
from hub.governance.backlinks import Backlink
from hub.governance.model import Finding
from hub.model import FeedRef
from tests.governance import world
from tests.governance.conftest import World

NOW = world.NOW
TODAY = NOW.date()


def summary(findings: tuple[Finding, ...]) -> list[tuple[str, str]]:
    return [(f.code, f.account) for f in findings]


def test_reviews_passed_and_due_within_30_days_training_and_owners(testbay: World) -> None:
    section = collect.review(testbay.rows, TODAY)
    assert section.id == "review" and section.checked == 10
    assert summary(section.findings) == [
        ("review-passed", "website:https://traffic.testbay.example/"),
        ("review-passed", "website:https://old.testbay.example/"),
        ("review-passed", "website:https://broken.testbay.example/"),
        ("review-passed", "website:https://never.testbay.example/"),
        ("review-due", "blog:https://jackwest.testbay.example/"),
        ("untrained", "website:https://youth.testbay.example/"),
        ("untrained", "x:testbayyouth"),
        ("unowned", "website:https://youth.testbay.example/"),
        ("unowned", "x:testbayyouth"),
    ]
    passed, due = section.findings[0], section.findings[4]
    assert passed.text == "its review date, 2026-11-01, passed 21 days ago"
    assert (passed.owner, passed.contact) == (world.TRAFFIC_OWNER, world.TRAFFIC_PHONE)
    assert passed.when == date(2026, 11, 1)
    assert due.text == "due for review by 2026-12-10 (in 18 days)"
    assert (due.owner, due.contact, due.profile) == (world.OWNER, world.OWNER_MAIL, "officer:west")


def test_a_review_31_days_away_is_not_due_and_one_today_is(testbay: World) -> None:
    west = testbay.row("blog:https://jackwest.testbay.example/")
    later = collect.review([west], date(2026, 12, 10) - timedelta(days=31))
    assert [f.code for f in later.findings] == []
    today = collect.review([west], date(2026, 12, 10))
    assert [f.text for f in today.findings] == ["due for review by 2026-12-10 (today)"]


def test_quiet_for_90_days_for_30_and_never_posted(testbay: World) -> None:
    section = collect.quiet(testbay.rows, testbay.stored.states, NOW, "UTC")
    assert section.checked == 9  # the X account has no feed
    assert summary(section.findings) == [
        ("quiet-90", "website:https://old.testbay.example/"),
        ("quiet-30", "website:https://traffic.testbay.example/"),
        ("never-posted", "website:https://never.testbay.example/"),
        ("never-posted", "website:https://youth.testbay.example/"),
    ]
    texts = [f.text for f in section.findings]
    assert texts == [
        "no post for 90 days: the last on 2026-05-01",
        "no post for 30 days: the last on 2026-10-01",
        "its feed has never given a post; it has never been read",
        "its feed has never given a post",
    ]
    assert section.findings[0].when == date(2026, 5, 1)


def test_quiet_counts_days_from_the_clock_it_is_given(testbay: World) -> None:
    earlier = collect.quiet(testbay.rows, testbay.stored.states, NOW - timedelta(days=60), "UTC")
    assert [f.code for f in earlier.findings if f.code.startswith("quiet")] == ["quiet-90"]
    assert earlier.findings[0].account == "website:https://old.testbay.example/"


def test_failing_since_after_the_last_success_or_never_succeeded(testbay: World) -> None:
    section = collect.failing(testbay.rows, testbay.stored.states, "UTC")
    assert section.checked == 9
    assert summary(section.findings) == [
        ("feed-failing", "website:https://broken.testbay.example/"),
        ("feed-failing", "website:https://never.testbay.example/"),
    ]
    broken, never = section.findings
    assert broken.text == (
        "failing since after its last success on 2026-11-20, 1 failed attempt: "
        "HTTP 500 Internal Server Error"
    )
    assert broken.when == date(2026, 11, 20)
    assert broken.facts["failed_attempts"] == 1
    assert broken.facts["last_success"] == world.FIRST_RUN.isoformat()
    assert broken.facts["last_error_at"] == world.SECOND_RUN.isoformat()
    assert never.text == "never succeeded, 2 failed attempts: HTTP 404 Not Found"
    assert (never.owner, never.contact) == (world.OWNER, world.OWNER_MAIL)


def test_a_gone_or_moved_feed_says_what_to_do(testbay: World) -> None:
    source = testbay.row("website:https://broken.testbay.example/").feed or ""
    state = testbay.stored.states[source]
    states = {
        **testbay.stored.states,
        source: replace(state, status="gone", last_error="HTTP 410 Gone", moved_to=None),
    }
    found = collect.failing(testbay.rows, states, "UTC").findings
    [gone] = [f for f in found if f.account == "website:https://broken.testbay.example/"]
    assert gone.code == "feed-gone"
    assert gone.text.startswith("gone: the server says the feed no longer exists (HTTP 410 Gone)")
    states[source] = replace(state, moved_to="https://broken.testbay.example/new.xml")
    moved = collect.failing(testbay.rows, states, "UTC").findings[0]
    assert moved.text.endswith(
        "; it has moved to https://broken.testbay.example/new.xml: write that address in feed:"
    )


def test_a_feed_whose_host_is_held_is_listed_as_waiting(testbay: World) -> None:
    traffic = testbay.row("website:https://traffic.testbay.example/").feed or ""
    broken = testbay.row("website:https://broken.testbay.example/").feed or ""
    hold = HostHold(
        host_key(traffic),
        NOW + timedelta(minutes=50),
        429,
        "HTTP 429 Too Many Requests",
        NOW - timedelta(minutes=10),
        broken,
    )
    section = collect.failing(
        testbay.rows, testbay.stored.states, "UTC", {traffic: hold, broken: hold}
    )
    # The feed whose own request failed stays failing; the other waits for its host.
    assert summary(section.findings) == [
        ("feed-failing", "website:https://broken.testbay.example/"),
        ("feed-failing", "website:https://never.testbay.example/"),
        ("feed-held", "website:https://traffic.testbay.example/"),
    ]
    held = section.findings[-1]
    assert held.text == (
        f"not asked until 2026-11-22 12:50 UTC: {hold.host} answered HTTP 429 Too Many "
        f"Requests to {broken} and asked to be left alone until then (a day at most); its "
        "posts stay on the site"
    )
    assert held.when == TODAY
    assert held.facts["until"] == hold.until.isoformat()
    assert (held.facts["host"], held.facts["status"], held.facts["said_to"]) == (
        hold.host,
        429,
        broken,
    )
    assert wording.CODES["feed-held"] == "waiting for its host"


def token(row_feed: str, status: str, **found: object) -> TokenCheck:
    use = TokenUse(FeedRef(row_feed, platform="facebook", token="HUB_TOKEN_FB"), "unit:comms")
    return TokenCheck(use, status, **found)  # type: ignore[arg-type]


def test_tokens_refused_expiring_unset_and_unchecked(testbay: World) -> None:
    feed = testbay.row("website:https://testbay.example/").feed or ""
    checks = [
        token(feed, "valid", expires_at=NOW + timedelta(days=10, hours=1)),
        token(feed, "valid", expires_at=NOW + timedelta(days=45)),
        token(feed, "valid"),
        token(feed, "refused", message="the token in HUB_TOKEN_FB was refused"),
        token(feed, "not_set", message="map the secret"),
        token(feed, "unchecked", message="timed out"),
    ]
    section = collect.tokens(checks, testbay.rows, NOW, "UTC")
    assert section.checked == 6 and section.skipped is None
    assert [(f.code, f.text) for f in section.findings] == [
        ("token-refused", "HUB_TOKEN_FB: the token in HUB_TOKEN_FB was refused"),
        ("token-expiring", "HUB_TOKEN_FB: expires on 2026-12-02 (in 10 days)"),
        ("token-not-set", "HUB_TOKEN_FB: map the secret"),
        ("token-unchecked", "HUB_TOKEN_FB: timed out"),
    ]
    assert section.findings[0].owner == world.OWNER


def test_sections_not_checked_say_why(testbay: World) -> None:
    tokens = collect.tokens(None, testbay.rows, NOW, "UTC", wording.OFFLINE)
    links = collect.backlinks(None, testbay.rows, wording.OFFLINE)
    assert (tokens.skipped, tokens.findings) == ("--offline", ())
    assert (links.skipped, links.findings) == ("--offline", ())


def test_profiles_that_do_not_point_back(testbay: World) -> None:
    masto, bsky = "mastodon:testbay@social.testbay.example", "bluesky:testbay.bsky.social"
    results = [
        Backlink(masto, "unverified", "https://connect.testbay.example/en/", "https://m/@t"),
        Backlink(bsky, "missing", profile="https://bsky.app/profile/testbay.bsky.social"),
        Backlink(masto, "unchecked", "HTTP 503"),
        Backlink(bsky, "ok"),
    ]
    section = collect.backlinks(results, testbay.rows)
    assert section.checked == 4
    assert [(f.code, f.account, f.text) for f in section.findings] == [
        ("no-backlink", bsky, wording.no_backlink("bluesky")),
        (
            "backlink-unverified",
            masto,
            "a profile field links to https://connect.testbay.example/en/, but Mastodon has "
            "not verified it",
        ),
        ("backlink-unchecked", masto, "could not check: HTTP 503"),
    ]
    assert section.findings[0].facts["profile"] == "https://bsky.app/profile/testbay.bsky.social"
