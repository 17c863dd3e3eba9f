"""YouTube @handles, end to end: the channel looked up once through the Data API, then its feed.

A local server answers as the YouTube Data API v3 does (``/yt/v3``) and
serves the channel feeds (``HUB_FEED_BASE_YOUTUBE``); ``hub.store.update``
reads the account with real parse workers and a real store. The key goes
in the ``X-Goog-Api-Key`` header only, the id found is kept so that later
runs ask the Data API nothing, and every failure is the account's alone,
its last posts kept and the key hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hub.feeds.connectors import youtube
from hub.feeds.connectors.limits import quota_reset
from hub.model import Entry
from hub.registry import platforms
from hub.store.database import Store
from tests.feeds.connectors.apiserver import (
    SOURCES,
    TOKENS,
    YOUTUBE_FEEDS,
    ApiServer,
    FakeApis,
    ago,
    outcome,
    query,
)

SOURCE = SOURCES["youtube"]
KEY = TOKENS["HUB_YOUTUBE_KEY"]
CHANNEL = "UCq3Ci-h945sbEYXpVlw7rJg"
LOCAL = "{api_interval: 0, allow_private_addresses: true}"
"""The channel feed is a feed like any other: on the loopback server, it needs this."""


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    with ApiServer() as server:
        yield FakeApis(server, tmp_path, monkeypatch)


@pytest.fixture
def store(apis: FakeApis) -> Iterator[Store]:
    yield from apis.store()


def channel_list(*ids: str) -> dict[str, Any]:
    """A channels.list answer, as the Data API gives it for part=id."""
    answer: dict[str, Any] = {
        "kind": "youtube#channelListResponse",
        "etag": "RuuXzTIr0OoDqI4S0RU6n4FqKEM",
        "pageInfo": {"totalResults": len(ids), "resultsPerPage": 5},
    }
    if ids:
        answer["items"] = [{"kind": "youtube#channel", "etag": "e", "id": i} for i in ids]
    return answer


def google_error(status: int, reason: str, message: str) -> dict[str, Any]:
    """Google's error object, as the Data API answers a refused request."""
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
        }
    }


def video(n: int, hours: float) -> str:
    when = ago(hours).isoformat(timespec="seconds")
    return (
        f"<entry><id>yt:video:Video{n:07d}</id><yt:videoId>Video{n:07d}</yt:videoId>"
        f"<yt:channelId>{CHANNEL}</yt:channelId><title>Safety video {n}</title>"
        f'<link rel="alternate" href="https://www.youtube.com/watch?v=Video{n:07d}"/>'
        f"<author><name>Lakeview Police</name></author>"
        f"<published>{when}</published><updated>{when}</updated>"
        f"<media:group><media:title>Safety video {n}</media:title>"
        f'<media:thumbnail url="https://i1.ytimg.com/vi/Video{n:07d}/hqdefault.jpg" '
        f'width="480" height="360"/><media:description>Tips, part {n}.</media:description>'
        f"</media:group></entry>"
    )


def channel_feed(*videos: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">'
        f"<id>yt:channel:{CHANNEL}</id><yt:channelId>{CHANNEL}</yt:channelId>"
        f'<title>Lakeview Police</title><link rel="alternate" '
        f'href="https://www.youtube.com/channel/{CHANNEL}"/>{"".join(videos)}</feed>'
    ).encode()


def serve_channel(apis: FakeApis) -> None:
    apis.route("youtube", "/channels", channel_list(CHANNEL))
    apis.server.route(
        YOUTUBE_FEEDS,
        body=channel_feed(video(1, 1), video(2, 30)),
        headers={"Content-Type": "application/atom+xml; charset=UTF-8"},
        etag='"v1"',
    )


def keep_old_posts(store: Store) -> None:
    """Posts the account showed before, without the channel id kept."""
    old = Entry(SOURCE, "yt:video:Old0000001", "An older video", published=ago(48))
    store.record_success(
        SOURCE, [old], now=datetime.now(UTC), etag=None, last_modified=None, content_hash="h"
    )


def test_the_handle_is_looked_up_once_and_its_channel_feed_is_read(
    apis: FakeApis, store: Store
) -> None:
    serve_channel(apis)
    registry = apis.registry("youtube", fetch=LOCAL)
    first = apis.run(registry, store)
    assert outcome(first, "youtube").status == "ok"
    assert outcome(first, "youtube").new == 2
    (asked,) = apis.requests("youtube", "/channels")
    assert query(asked) == {"part": "id", "forHandle": "@LakeviewPolice"}
    assert asked.headers["x-goog-api-key"] == KEY
    assert KEY not in asked.path and "authorization" not in asked.headers
    (fed,) = apis.server.requests_for(YOUTUBE_FEEDS)
    assert query(fed) == {"channel_id": CHANNEL}
    assert "x-goog-api-key" not in fed.headers
    # The posts are the account's, under its own source; the id is kept.
    entries = store.entries([SOURCE])
    assert [e.title for e in entries] == ["Safety video 1", "Safety video 2"]
    assert entries[0].link == "https://www.youtube.com/watch?v=Video0000001"
    assert store.api_states()[SOURCE].account_id == CHANNEL

    second = apis.run(registry, store)
    assert outcome(second, "youtube").status == "not_modified"
    assert len(apis.requests("youtube", "/channels")) == 1, "no Data API request after the first"
    again = apis.server.requests_for(YOUTUBE_FEEDS)[-1]
    assert query(again) == {"channel_id": CHANNEL}
    assert again.headers["if-none-match"] == '"v1"'


def test_the_kept_id_is_read_back_from_the_store_file(apis: FakeApis, store: Store) -> None:
    serve_channel(apis)
    apis.run(apis.registry("youtube", fetch=LOCAL), store)
    apis.server.route(
        YOUTUBE_FEEDS, body=channel_feed(video(3, 0.5), video(1, 1), video(2, 30)), etag='"v2"'
    )
    # A new registry and a new store connection: only the file remembers the id.
    with Store.open(apis.folder / "cache" / "store.sqlite3") as reopened:
        report = apis.run(apis.registry("youtube", fetch=LOCAL), reopened)
        assert outcome(report, "youtube").new == 1
        assert [e.title for e in reopened.entries([SOURCE])] == [
            "Safety video 3",
            "Safety video 1",
            "Safety video 2",
        ]
    assert len(apis.requests("youtube", "/channels")) == 1


def test_an_unknown_handle_is_the_accounts_error(apis: FakeApis, store: Store) -> None:
    apis.route("youtube", "/channels", channel_list())
    report = apis.run(apis.registry("youtube", fetch=LOCAL), store)
    failed = outcome(report, "youtube")
    assert failed.status == "failed"
    assert failed.message == (
        "the YouTube Data API knows no channel @LakeviewPolice: check handle:"
    )
    assert apis.server.requests_for(YOUTUBE_FEEDS) == []
    assert SOURCE not in store.api_states()
    assert store.feed_state(SOURCE) is not None
    assert store.feed_state(SOURCE).error_count == 1


@pytest.mark.parametrize(
    ("status", "reason", "said", "expected"),
    [
        (
            400,
            "keyInvalid",
            f"API key not valid. Please pass a valid API key. ({KEY})",
            "the key in HUB_YOUTUBE_KEY was refused: it is wrong or was deleted "
            "(HTTP 400 keyInvalid): make an API key restricted to the YouTube Data API v3",
        ),
        (
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
            "the daily quota of the Google Cloud project of the key in HUB_YOUTUBE_KEY is "
            "used up (HTTP 403 quotaExceeded): next try after ",
        ),
        (
            403,
            "accessNotConfigured",
            "YouTube Data API v3 has not been used in project 1234 before or it is disabled.",
            "the YouTube Data API v3 is not enabled in the Google Cloud project of the key "
            "in HUB_YOUTUBE_KEY (HTTP 403 accessNotConfigured)",
        ),
        (
            500,
            "backendError",
            f"Backend Error key={KEY}",
            "the YouTube Data API answered with an error (HTTP 500 backendError: "
            "Backend Error key=[hidden])",
        ),
    ],
)
def test_a_refused_look_up_is_the_accounts_error_and_its_posts_stay(
    apis: FakeApis, store: Store, status: int, reason: str, said: str, expected: str
) -> None:
    keep_old_posts(store)
    apis.route("youtube", "/channels", google_error(status, reason, said), status=status)
    report = apis.run(apis.registry("youtube", fetch=LOCAL), store)
    failed = outcome(report, "youtube")
    assert failed.status == "failed"
    assert failed.message is not None and failed.message.startswith(expected)
    assert KEY not in failed.message
    assert [e.title for e in store.entries([SOURCE])] == ["An older video"]
    assert SOURCE not in store.api_states()
    assert apis.server.requests_for(YOUTUBE_FEEDS) == []
    assert KEY.encode() not in (apis.folder / "cache" / "store.sqlite3").read_bytes()


def test_a_quota_used_up_waits_for_midnight_pacific_time(apis: FakeApis, store: Store) -> None:
    apis.route(
        "youtube",
        "/channels",
        google_error(403, "quotaExceeded", "You have exceeded your quota."),
        status=403,
    )
    registry = apis.registry("youtube", fetch=LOCAL)
    before = datetime.now(UTC)
    failed = outcome(apis.run(registry, store), "youtube")
    assert failed.message is not None and "midnight Pacific time" in failed.message
    state = store.feed_state(SOURCE)
    assert state is not None and state.next_attempt is not None
    assert state.next_attempt >= quota_reset(before)
    # Until then, the account waits: no request spends more of the quota.
    waiting = outcome(apis.run(registry, store), "youtube")
    assert waiting.status == "waiting"
    assert len(apis.requests("youtube", "/channels")) == 1


def test_the_quota_resets_at_midnight_pacific_time() -> None:
    winter = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 04:00 PST
    assert quota_reset(winter) == datetime(2026, 11, 21, 8, 5, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 6, 59, tzinfo=UTC)  # 23:59 PDT, June 30
    assert quota_reset(summer) == datetime(2026, 7, 1, 7, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "answer",
    [
        {"kind": "youtube#channelListResponse", "items": [{"kind": "youtube#channel"}]},
        {"kind": "youtube#channelListResponse", "items": [{"id": "javascript:alert(1)"}]},
        {"kind": "youtube#channelListResponse", "items": "UCq3Ci-h945sbEYXpVlw7rJg"},
        ["UCq3Ci-h945sbEYXpVlw7rJg"],
    ],
)
def test_an_answer_without_a_channel_id_is_the_accounts_error(
    apis: FakeApis, store: Store, answer: Any
) -> None:
    apis.route("youtube", "/channels", answer)
    failed = outcome(apis.run(apis.registry("youtube", fetch=LOCAL), store), "youtube")
    assert failed.status == "failed"
    assert failed.message is not None and "YouTube Data API's answer" in failed.message
    assert SOURCE not in store.api_states()


def test_the_channel_feed_keeps_the_private_address_rule(apis: FakeApis, store: Store) -> None:
    serve_channel(apis)
    report = apis.run(apis.registry("youtube"), store)
    # HUB_API_BASE_YOUTUBE's host may be private; the feed, like every feed, may not.
    assert store.api_states()[SOURCE].account_id == CHANNEL
    failed = outcome(report, "youtube")
    assert failed.status == "failed"
    assert failed.message is not None and failed.message.startswith("refused: 127.0.0.1")
    assert apis.server.requests_for(YOUTUBE_FEEDS) == []


def test_a_key_unset_at_run_time_is_the_accounts_error(
    apis: FakeApis, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = apis.registry("youtube", fetch=LOCAL)
    monkeypatch.delenv("HUB_YOUTUBE_KEY")
    failed = outcome(apis.run(registry, store), "youtube")
    assert failed.message == "HUB_YOUTUBE_KEY is not set"
    assert apis.requests("youtube", "/channels") == []


def test_the_feed_address_is_a_channel_ids_feed() -> None:
    # The same address a channel listed by its id is read from.
    assert youtube.feed_url(CHANNEL, {}) == platforms.BY_KEY["youtube"].feed(CHANNEL)
    given = {"HUB_FEED_BASE_YOUTUBE": "http://127.0.0.1:8080/feeds/videos.xml"}
    assert youtube.feed_url(CHANNEL, given) == (
        f"http://127.0.0.1:8080/feeds/videos.xml?channel_id={CHANNEL}"
    )
