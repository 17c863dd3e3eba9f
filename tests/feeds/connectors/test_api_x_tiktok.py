"""Live reads through the X API v2 and the TikTok API v2, end to end.

X: the user id looked up once, then only posts after the newest read
(``since_id``), pages followed by ``next_token``, its rate-limit headers.
TikTok: the video list POSTed, pages followed by ``cursor`` while ``has_more``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.store.database import Store
from tests.feeds.connectors.apiserver import (
    SOURCES,
    TOKENS,
    ApiServer,
    FakeApis,
    ago,
    outcome,
    query,
)
from tests.feedserver import Recorded

X = SOURCES["x"]
TT = SOURCES["tiktok"]
X_TOKEN = TOKENS["HUB_TOKEN_X_MAIN"]
TT_TOKEN = TOKENS["HUB_TOKEN_TT_MAIN"]
USER = {"data": {"id": "2244994945", "name": "Lakeview Police", "username": "LakeviewPS"}}


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    with ApiServer() as server:
        yield FakeApis(server, tmp_path, monkeypatch)


@pytest.fixture
def store(apis: FakeApis) -> Iterator[Store]:
    yield from apis.store()


def tweet(n: int, hours: float) -> dict[str, Any]:
    return {
        "id": str(1_900_000_000_000_000_000 + n),
        "text": f"Collision cleared on Highway {n}",
        "created_at": ago(hours).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "author_id": "2244994945",
        "edit_history_tweet_ids": [str(1_900_000_000_000_000_000 + n)],
    }


def timeline(posts: list[dict[str, Any]], next_token: str | None = None) -> dict[str, Any]:
    if not posts:
        return {"meta": {"result_count": 0}}
    meta: dict[str, Any] = {
        "result_count": len(posts),
        "newest_id": posts[0]["id"],
        "oldest_id": posts[-1]["id"],
    }
    if next_token:
        meta["next_token"] = next_token
    users = [{"id": "2244994945", "name": "Lakeview Police", "username": "LakeviewPS"}]
    return {"data": posts, "includes": {"users": users}, "meta": meta}


def test_x_reads_only_what_is_new(apis: FakeApis, store: Store) -> None:
    apis.route("x", "/users/by/username/LakeviewPS", USER)

    def answer(request: Recorded) -> dict[str, Any]:
        asked = query(request)
        if "since_id" in asked:
            newer = [t for t in [tweet(5, 0.1)] if int(t["id"]) > int(asked["since_id"])]
            return timeline(newer)
        if asked.get("pagination_token") == "7140dibdnow9c7btw3w29":
            return timeline([tweet(2, 2), tweet(1, 3)])
        return timeline([tweet(4, 0.5), tweet(3, 1)], next_token="7140dibdnow9c7btw3w29")

    apis.route("x", "/users/2244994945/tweets", answer)
    registry = apis.registry("x")
    first = outcome(apis.run(registry, store), "x")
    assert (first.status, first.new) == ("ok", 4)
    sent = apis.server.requests
    assert [r.path.split("?")[0] for r in sent] == [
        "/x/2/users/by/username/LakeviewPS",
        "/x/2/users/2244994945/tweets",
        "/x/2/users/2244994945/tweets",
    ]
    for request in sent:
        assert request.headers["authorization"] == f"Bearer {X_TOKEN}"
    asked = query(sent[1])
    assert asked["max_results"] == "100" and asked["exclude"] == "retweets"
    assert asked["expansions"] == "attachments.media_keys,author_id"
    assert "since_id" not in asked
    state = store.api_states()[X]
    assert (state.account_id, state.cursor) == ("2244994945", tweet(4, 0)["id"])
    entry = store.entries([X])[0]
    assert entry.link == f"https://x.com/LakeviewPS/status/{tweet(4, 0)['id']}"

    apis.server.reset()
    second = outcome(apis.run(registry, store), "x")
    assert (second.status, second.new, second.withdrawn) == ("ok", 1, 0)
    (request,) = apis.server.requests  # the id is kept: no second look-up
    assert query(request)["since_id"] == tweet(4, 0)["id"]
    assert store.api_states()[X].cursor == tweet(5, 0)["id"]
    assert len(store.entries([X])) == 5

    apis.server.reset()
    third = outcome(apis.run(registry, store), "x")
    assert third.status in ("ok", "not_modified") and third.withdrawn == 0
    assert len(store.entries([X])) == 5


def test_x_with_nothing_new_keeps_its_cursor(apis: FakeApis, store: Store) -> None:
    apis.route("x", "/users/by/username/LakeviewPS", USER)
    apis.route("x", "/users/2244994945/tweets", timeline([]))
    registry = apis.registry("x")
    assert outcome(apis.run(registry, store), "x").status == "ok"
    assert store.api_states()[X].cursor is None
    assert store.entries([X]) == []


def test_x_unknown_handle(apis: FakeApis, store: Store) -> None:
    apis.route(
        "x",
        "/users/by/username/LakeviewPS",
        {"errors": [{"detail": "Could not find user with username: [LakeviewPS].",
                     "title": "Not Found Error"}]},
    )  # fmt: skip
    failed = outcome(apis.run(apis.registry("x"), store), "x")
    assert failed.message == "the X API knows no account @LakeviewPS: check handle:"


def test_x_401_says_how_to_renew_without_the_token(apis: FakeApis, store: Store) -> None:
    apis.route(
        "x",
        "/users/by/username/LakeviewPS",
        {"title": "Unauthorized", "type": "about:blank", "status": 401,
         "detail": f"Unauthorized: {X_TOKEN}"},
        status=401,
    )  # fmt: skip
    failed = outcome(apis.run(apis.registry("x"), store), "x")
    assert failed.message == (
        "the token in HUB_TOKEN_X_MAIN was refused: it is wrong, has expired or was revoked "
        "(HTTP 401 Unauthorized): make a new bearer token in the X developer portal "
        "(docs/connectors.md#x), and put it in the secret HUB_TOKEN_X_MAIN; the account's "
        "last posts are kept"
    )


def test_x_rate_limit_headers(apis: FakeApis, store: Store) -> None:
    reset = int(time.time()) + 600
    limit = {"x-rate-limit-limit": "5", "x-rate-limit-remaining": "0",
             "x-rate-limit-reset": str(reset)}  # fmt: skip
    apis.route("x", "/users/by/username/LakeviewPS", USER)
    apis.route("x", "/users/2244994945/tweets", timeline([tweet(1, 1)]), headers=limit)
    registry = apis.registry("x")
    assert outcome(apis.run(registry, store), "x").new == 1
    state = store.api_states()[X]
    assert state.not_before == datetime.fromtimestamp(reset, UTC)
    waiting = outcome(apis.run(registry, store), "x")
    assert waiting.status == "waiting"
    assert waiting.message and "a rate limit of the X API is near its ceiling" in waiting.message


def test_x_429_waits_until_the_reset(apis: FakeApis, store: Store) -> None:
    reset = int(time.time()) + 900
    apis.route("x", "/users/by/username/LakeviewPS", USER)
    apis.route(
        "x",
        "/users/2244994945/tweets",
        {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
        status=429,
        headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
    )
    failed = outcome(apis.run(apis.registry("x"), store), "x")
    assert failed.message and failed.message.startswith("rate limited by the X API (HTTP 429)")
    state = store.feed_state(X)
    assert state is not None and state.next_attempt == datetime.fromtimestamp(reset, UTC)
    # The user id looked up before the limit was met is kept.
    assert store.api_states()[X].account_id == "2244994945"


def video(n: int, hours: float) -> dict[str, Any]:
    return {
        "id": str(7_300_000_000_000_000_000 + n),
        "title": f"Meet the K9 unit, part {n}",
        "video_description": f"Meet the K9 unit, part {n} #k9",
        "create_time": int((datetime.now(UTC) - timedelta(hours=hours)).timestamp()),
        "cover_image_url": f"https://p16-sign.tiktokcdn.example/cover{n}.jpeg?x-expires=1",
        "share_url": f"https://www.tiktok.com/@lakeviewpolice/video/{n}?utm_source=x",
    }


def video_list(videos: list[dict[str, Any]], cursor: int, more: bool) -> dict[str, Any]:
    return {
        "data": {"videos": videos, "cursor": cursor, "has_more": more},
        "error": {"code": "ok", "message": "", "log_id": "20261120120000ABCDEF"},
    }


def test_tiktok_pages_by_cursor(apis: FakeApis, store: Store) -> None:
    def answer(request: Recorded) -> dict[str, Any]:
        assert request.method == "POST"
        if len(server.posted) == 1:
            return video_list([video(3, 1), video(2, 2)], cursor=1700000000000, more=True)
        return video_list([video(1, 3)], cursor=1600000000000, more=False)

    server = apis.server
    assert isinstance(server, ApiServer)
    apis.route("tiktok", "/video/list/", answer)
    report = apis.run(apis.registry("tiktok"), store)
    assert outcome(report, "tiktok").new == 3
    assert [json.loads(body) for body in server.posted] == [
        {"max_count": 20},
        {"max_count": 20, "cursor": 1700000000000},
    ]
    sent = apis.requests("tiktok", "/video/list/")
    assert len(sent) == 2
    assert sent[0].headers["authorization"] == f"Bearer {TT_TOKEN}"
    assert sent[0].headers["content-type"].startswith("application/json")
    assert query(sent[0])["fields"].startswith("id,title,video_description,create_time")
    entry = store.entries([TT])[0]
    assert entry.link == "https://www.tiktok.com/@lakeviewpolice/video/3"


def test_tiktok_expired_token(apis: FakeApis, store: Store) -> None:
    apis.route(
        "tiktok",
        "/video/list/",
        {"data": {}, "error": {"code": "access_token_invalid",
                               "message": f"The access token {TT_TOKEN} is invalid",
                               "log_id": "20261120ABC"}},
        status=401,
    )  # fmt: skip
    failed = outcome(apis.run(apis.registry("tiktok"), store), "tiktok")
    assert failed.message and failed.message.startswith(
        "the token in HUB_TOKEN_TT_MAIN was refused: it is wrong, has expired or was revoked "
        "(TikTok API error access_token_invalid): get a new access token with the refresh token"
    )
    assert TT_TOKEN not in failed.message


def test_tiktok_missing_scope_is_said_even_with_http_401(apis: FakeApis, store: Store) -> None:
    """TikTok answers a token without video.list with 401 too: the code tells them apart."""
    apis.route(
        "tiktok",
        "/video/list/",
        {"data": {}, "error": {"code": "scope_not_authorized",
                               "message": "The user did not authorize the scope required.",
                               "log_id": "20261120ABD"}},
        status=401,
    )  # fmt: skip
    failed = outcome(apis.run(apis.registry("tiktok"), store), "tiktok")
    assert failed.message and failed.message.startswith(
        "the token in HUB_TOKEN_TT_MAIN lacks the video.list scope "
        "(TikTok API error scope_not_authorized): authorize the app again with video.list"
    )


def test_x_is_read_whole_once_a_day_so_deleted_posts_are_withdrawn(
    apis: FakeApis, store: Store
) -> None:
    apis.route("x", "/users/by/username/LakeviewPS", USER)
    posts = [tweet(3, 1), tweet(2, 2), tweet(1, 3)]

    def answer(request: Recorded) -> dict[str, Any]:
        since = query(request).get("since_id")
        return timeline([t for t in posts if not since or int(t["id"]) > int(since)])

    apis.route("x", "/users/2244994945/tweets", answer)
    registry = apis.registry("x")
    apis.run(registry, store)
    del posts[1]  # deleted on X
    apis.run(registry, store)
    assert len(store.entries([X])) == 3  # read after the newest: the deletion is not seen
    state = store.api_states()[X]
    assert state.full_read is not None
    store.record_api_state(X, replace(state, full_read=state.full_read - timedelta(days=1)))
    apis.server.reset()
    report = apis.run(registry, store)
    assert "since_id" not in query(apis.server.requests[0])
    assert outcome(report, "x").withdrawn == 1
    assert [e.id for e in store.entries([X])] == [tweet(3, 0)["id"], tweet(1, 0)["id"]]
    assert store.api_states()[X].full_read > state.full_read
