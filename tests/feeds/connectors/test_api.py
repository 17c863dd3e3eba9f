"""Live reads through the Graph API (Facebook Pages, Instagram, Threads), end to end.

A local server answers as the API does; ``hub.store.update`` reads the
accounts through it with real parse workers and a real store: pagination,
edits and deletions, an expired token, rate limits, and where a token may go.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.feeds.connectors import secrets
from hub.feeds.connectors.api import ApiRead, read_accounts, waiting
from hub.feeds.connectors.session import Base, Client, OneHostPolicy, base_of
from hub.feeds.netguard import AddressRefused
from hub.feeds.result import ApiState
from hub.feeds.transport import VettedTransport
from hub.model import FeedRef, FetchSettings
from hub.registry import load as registry_loader
from hub.store.database import Store
from tests.feeds.connectors.apiserver import (
    ACCOUNTS,
    SOURCES,
    TOKENS,
    ApiServer,
    FakeApis,
    ago,
    graph_time,
    outcome,
    query,
    sources_text,
)
from tests.feedserver import FeedServer, Recorded

FB = SOURCES["facebook"]
FB_TOKEN = TOKENS["HUB_TOKEN_FB_MAIN"]


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    with ApiServer() as server:
        yield FakeApis(server, tmp_path, monkeypatch)


@pytest.fixture
def store(apis: FakeApis) -> Iterator[Store]:
    yield from apis.store()


def post(n: int, hours: float, message: str | None = None) -> dict[str, Any]:
    return {
        "id": f"4242_{n}",
        "message": message or f"Post number {n}\nRoad closed on Main Street.",
        "created_time": graph_time(ago(hours)),
        "permalink_url": f"https://www.facebook.com/LakeviewPoliceService/posts/{n}",
    }


def pages(apis: FakeApis, first: list[dict[str, Any]], second: list[dict[str, Any]]) -> None:
    """/LakeviewPoliceService/posts in two pages, the first leading to the second."""
    leak = apis.url("facebook", "/4242/posts") + f"?access_token={FB_TOKEN}&limit=2&after=QVFI"

    def answer(request: Recorded) -> dict[str, Any]:
        if query(request).get("after") == "QVFI":
            return {"data": second, "paging": {"cursors": {"before": "b", "after": "c"}}}
        return {"data": first, "paging": {"cursors": {"after": "QVFI"}, "next": leak}}

    apis.route("facebook", "/LakeviewPoliceService/posts", answer)
    apis.route("facebook", "/4242/posts", answer)


def test_pages_are_followed_with_the_token_in_a_header_only(apis: FakeApis, store: Store) -> None:
    pages(apis, [post(1, 1), post(2, 2)], [post(3, 3), post(4, 4)])
    report = apis.run(apis.registry("facebook"), store)
    assert outcome(report, "facebook").status == "ok"
    assert outcome(report, "facebook").new == 4
    ids = [e.id for e in store.entries([FB])]
    assert ids == ["4242_1", "4242_2", "4242_3", "4242_4"]
    sent = apis.server.requests
    assert len(sent) == 2
    for request in sent:
        assert request.headers["authorization"] == f"Bearer {FB_TOKEN}"
        assert FB_TOKEN not in request.path and "access_token" not in request.path
    first = query(sent[0])
    assert first["fields"].startswith("id,message,created_time,updated_time,permalink_url")
    assert first["limit"] == "50"
    assert query(sent[1])["after"] == "QVFI"
    entry = store.entries([FB])[0]
    assert entry.link == "https://www.facebook.com/LakeviewPoliceService/posts/1"
    assert "Road closed on Main Street." in entry.summary + entry.content


def test_pages_older_than_the_newest_stored_are_not_read(apis: FakeApis, store: Store) -> None:
    pages(apis, [post(1, 1), post(2, 2)], [post(3, 3)])
    registry = apis.registry("facebook")
    apis.run(registry, store)
    apis.server.reset()
    # A new post; the page also holds one already stored: no second page.
    pages(apis, [post(0, 0.5), post(1, 1)], [post(2, 2)])
    report = apis.run(registry, store)
    assert outcome(report, "facebook").new == 1
    assert len(apis.server.requests) == 1
    apis.server.reset()
    # Two new posts fill the first page: the second is read.
    pages(apis, [post(-2, 0.1), post(-1, 0.2)], [post(0, 0.5), post(1, 1)])
    apis.run(registry, store)
    assert len(apis.server.requests) == 2


def test_an_edited_post_is_updated_and_a_deleted_one_withdrawn(
    apis: FakeApis, store: Store
) -> None:
    registry = apis.registry("facebook")
    apis.route("facebook", "/LakeviewPoliceService/posts", {"data": [post(1, 1), post(2, 2)]})
    apis.run(registry, store)
    edited = post(1, 1, "Road reopened on Main Street.")
    apis.route("facebook", "/LakeviewPoliceService/posts", {"data": [edited, post(3, 3)]})
    report = apis.run(registry, store)
    assert outcome(report, "facebook").withdrawn == 1
    live = {e.id: e for e in store.entries([FB])}
    assert sorted(live) == ["4242_1", "4242_3"]
    assert "Road reopened" in live["4242_1"].summary + live["4242_1"].content
    assert "Road closed" not in live["4242_1"].summary + live["4242_1"].content


def test_the_same_answer_again_is_unchanged(apis: FakeApis, store: Store) -> None:
    registry = apis.registry("facebook")
    apis.route("facebook", "/LakeviewPoliceService/posts", {"data": [post(1, 1)]})
    apis.run(registry, store)
    assert outcome(apis.run(registry, store), "facebook").status == "not_modified"


def test_an_expired_token_fails_the_account_and_keeps_its_posts(
    apis: FakeApis, store: Store
) -> None:
    registry = apis.registry("facebook", "instagram")
    apis.route("facebook", "/LakeviewPoliceService/posts", {"data": [post(1, 1)]})
    apis.route("instagram", "/me/media", {"data": []})
    apis.run(registry, store)
    expired = {
        "error": {
            "message": f"Error validating access token: Session has expired. {FB_TOKEN}",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
            "fbtrace_id": "AbCdEf",
        }
    }
    apis.route("facebook", "/LakeviewPoliceService/posts", expired, status=400)
    report = apis.run(registry, store)
    failed = outcome(report, "facebook")
    assert failed.status == "failed"
    assert failed.message is not None
    assert failed.message.startswith(
        "the token in HUB_TOKEN_FB_MAIN was refused: it is wrong, has expired or was revoked "
        "(Graph API error 190): make a new Page access token"
    )
    assert "HUB_TOKEN_FB_MAIN" in failed.message and FB_TOKEN not in failed.message
    assert outcome(report, "instagram").status == "not_modified"
    assert [e.id for e in store.entries([FB])] == ["4242_1"]
    state = store.feed_state(FB)
    assert state is not None and state.last_error == failed.message


def test_429_with_retry_after_waits(apis: FakeApis, store: Store) -> None:
    registry = apis.registry("facebook")
    apis.route(
        "facebook",
        "/LakeviewPoliceService/posts",
        {"error": {"message": "(#32) Page request limit reached", "code": 32}},
        status=429,
        headers={"Retry-After": "3600"},
    )
    before = datetime.now(UTC)
    report = apis.run(registry, store)
    failed = outcome(report, "facebook")
    assert failed.status == "failed"
    assert failed.message and failed.message.startswith(
        "rate limited by the Graph API (Graph API error 32): next read after "
    )
    state = store.feed_state(FB)
    assert state is not None and state.next_attempt is not None
    assert timedelta(minutes=59) < state.next_attempt - before < timedelta(minutes=62)
    assert outcome(apis.run(registry, store), "facebook").status == "waiting"


def test_a_rate_limit_holds_every_account_of_the_token(apis: FakeApis, store: Store) -> None:
    """Two Pages read with one token: the first is rate limited with an hour to wait; the
    second is not asked in that run, and neither is in the next, which reports the hold."""
    traffic = "{platform: facebook, handle: LakeviewTraffic, token: HUB_TOKEN_FB_MAIN}"
    path = apis.folder / "sources.yaml"
    accounts = [ACCOUNTS["facebook"], traffic]
    path.write_text(sources_text(accounts, "{api_interval: 0, per_host: 1}"), encoding="utf-8")
    registry = registry_loader.load(path).registry
    apis.route(
        "facebook",
        "/LakeviewPoliceService/posts",
        {"error": {"message": "(#4) Application request limit reached", "code": 4}},
        status=400,
        headers={"Retry-After": "3600"},
    )
    apis.route("facebook", "/LakeviewTraffic/posts", {"data": [post(1, 1)]})
    key = "api:facebook:HUB_TOKEN_FB_MAIN"

    first = apis.run(registry, store)

    assert outcome(first, "facebook").status == "failed"
    second = next(o for o in first.outcomes if o.source == "api:facebook:LakeviewTraffic")
    assert (second.status, second.held) == ("waiting", key)
    assert second.message and second.message.startswith(
        "not asked: the Facebook API (token HUB_TOKEN_FB_MAIN) is held until "
    )
    assert apis.requests("facebook", "/LakeviewTraffic/posts") == []
    [held] = first.held
    assert (held.hold.host, held.hold.status, held.hold.source, held.feeds) == (key, 400, FB, 2)
    assert held.hold.why == "rate limited by the Graph API (Graph API error 4)"
    assert held.hold.until == held.hold.said + timedelta(hours=1)
    assert store.host_holds(datetime.now(UTC)) == {key: held.hold}

    again = apis.run(registry, store)

    assert [o.status for o in again.outcomes] == ["waiting", "waiting"]
    assert [(h.hold, h.feeds) for h in again.held] == [(held.hold, 2)]
    assert len(apis.server.requests) == 1
    assert FB_TOKEN not in repr(again)


def test_a_limit_near_its_ceiling_keeps_the_answer_and_waits(apis: FakeApis, store: Store) -> None:
    usage = '{"call_count": 96, "total_cputime": 20, "total_time": 30}'
    business = (
        '{"4242": [{"type": "pages", "call_count": 40, "total_cputime": 5, "total_time": 5, '
        '"estimated_time_to_regain_access": 42}]}'
    )
    pages(apis, [post(1, 1), post(2, 2)], [post(3, 3)])
    apis.route(
        "facebook",
        "/LakeviewPoliceService/posts",
        {"data": [post(1, 1)], "paging": {"next": apis.url("facebook", "/4242/posts")}},
        headers={"X-App-Usage": usage, "X-Business-Use-Case-Usage": business},
    )
    registry = apis.registry("facebook")
    report = apis.run(registry, store)
    assert outcome(report, "facebook").new == 1
    assert len(apis.server.requests) == 1  # no second page near the ceiling
    state = store.api_states()[FB]
    assert state.not_before is not None
    assert timedelta(minutes=40) < state.not_before - datetime.now(UTC) < timedelta(minutes=43)
    again = outcome(apis.run(registry, store), "facebook")
    assert again.status == "waiting"
    assert again.message and "a rate limit of the Graph API is near its ceiling" in again.message
    assert len(apis.server.requests) == 1


def test_the_interval_between_reads(apis: FakeApis, store: Store) -> None:
    registry = apis.registry("facebook", fetch="{api_interval: {facebook: 30}}")
    apis.route("facebook", "/LakeviewPoliceService/posts", {"data": [post(1, 1)]})
    assert outcome(apis.run(registry, store), "facebook").status == "ok"
    second = outcome(apis.run(registry, store), "facebook")
    assert second.status == "waiting"
    assert second.message and second.message.startswith(
        "read through its API at most every 30 minutes (site.fetch.api_interval)"
    )
    assert len(apis.server.requests) == 1


def test_waiting_rules() -> None:
    feed = FeedRef("api:x:LakeviewPS", platform="x", token="HUB_TOKEN_X")
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    settings = FetchSettings()
    assert waiting(feed, None, None, settings, now) is None
    assert waiting(feed, now - timedelta(minutes=61), None, settings, now) is None
    assert waiting(feed, now - timedelta(minutes=59), None, settings, now)
    later = ApiState(not_before=now + timedelta(minutes=5))
    assert "near its ceiling" in (waiting(feed, None, later, settings, now) or "")
    assert waiting(feed, None, ApiState(not_before=now), settings, now) is None


def test_a_next_page_elsewhere_is_not_followed(apis: FakeApis, store: Store) -> None:
    with FeedServer(("127.0.0.2",)) as elsewhere:
        elsewhere.route("/posts", body=b'{"data": []}')
        target = elsewhere.url("/posts") + f"?access_token={FB_TOKEN}"
        apis.route(
            "facebook",
            "/LakeviewPoliceService/posts",
            {"data": [post(1, 1)], "paging": {"next": target}},
        )
        report = apis.run(apis.registry("facebook"), store)
        assert elsewhere.requests == []
    assert outcome(report, "facebook").new == 1


def test_a_next_page_on_the_official_api_is_asked_of_the_given_base(
    apis: FakeApis, store: Store
) -> None:
    """Meta writes graph.facebook.com into paging.next; behind HUB_API_BASE_FACEBOOK
    the same path and query go to the given base, the token still in a header only."""
    official = f"https://graph.facebook.com/v26.0/4242/posts?access_token={FB_TOKEN}&after=QVFI"
    apis.route(
        "facebook",
        "/LakeviewPoliceService/posts",
        {"data": [post(1, 1)], "paging": {"next": official}},
    )
    apis.route("facebook", "/4242/posts", {"data": [post(2, 2)]})
    report = apis.run(apis.registry("facebook"), store)
    assert outcome(report, "facebook").new == 2
    (second,) = apis.requests("facebook", "/4242/posts")
    assert query(second) == {"after": "QVFI"}
    assert second.headers["authorization"] == f"Bearer {FB_TOKEN}"


def test_an_instagram_token_must_be_the_accounts_own(apis: FakeApis, store: Store) -> None:
    media = {
        "id": "17900",
        "caption": "Bike rodeo this Saturday #community",
        "media_type": "IMAGE",
        "media_url": "https://scontent.cdninstagram.example/v/t51/1.jpg",
        "permalink": "https://www.instagram.com/p/Cabc/",
        "timestamp": graph_time(ago(1)),
        "username": "lakeviewpolice",
    }
    apis.route("instagram", "/me/media", {"data": [media]})
    registry = apis.registry("instagram")
    assert outcome(apis.run(registry, store), "instagram").new == 1
    (sent,) = apis.requests("instagram", "/me/media")
    assert sent.headers["authorization"] == f"Bearer {TOKENS['HUB_TOKEN_IG_MAIN']}"
    assert "username" in query(sent)["fields"].split(",")
    collab = {**media, "id": "17901", "username": "lakeview_fire"}
    apis.route("instagram", "/me/media", {"data": [collab, media]})
    assert outcome(apis.run(registry, store), "instagram").new == 1  # a collaboration
    apis.route("instagram", "/me/media", {"data": [{**media, "username": "someone_else"}]})
    failed = outcome(apis.run(registry, store), "instagram")
    assert failed.message == (
        "the token in HUB_TOKEN_IG_MAIN is @someone_else's, not @lakeviewpolice's: "
        "give each account a token of its own"
    )


def test_instagram_with_a_facebook_login_token(
    apis: FakeApis, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A system user's token (EAA...) reads the account linked to one of its Pages."""
    monkeypatch.setenv("HUB_TOKEN_IG_MAIN", "EAAsystemusertokenFORinstagram1")
    ours = {"id": "1785", "username": "LakeviewPolice"}
    linked = {
        "data": [
            {"id": "101", "instagram_business_account": {"id": "1784", "username": "other"}},
            {"id": "102"},
            {"id": "103", "instagram_business_account": ours},
        ]
    }
    apis.route("instagram", "/me/accounts", linked)
    apis.route("instagram", "/1785/media", {"data": []})
    registry = apis.registry("instagram")
    assert outcome(apis.run(registry, store), "instagram").status == "ok"
    assert store.api_states()[SOURCES["instagram"]].account_id == "1785"
    apis.server.reset()
    apis.run(registry, store)
    assert [r.path.split("?")[0] for r in apis.server.requests] == ["/ig/v26.0/1785/media"]
    apis.route("instagram", "/me/accounts", {"data": linked["data"][:2]})
    monkeypatch.setenv("HUB_TOKEN_IG_MAIN", "EAAsystemusertokenFORinstagram2")
    with Store.open(apis.folder / "other.sqlite3") as fresh:
        failed = outcome(apis.run(registry, fresh), "instagram")
    assert failed.message == (
        "no Page that the token in HUB_TOKEN_IG_MAIN manages has the Instagram account "
        "@lakeviewpolice linked to it: link it to the Page, or give the token that Page"
    )


def test_threads_reads_its_own_posts(apis: FakeApis, store: Store) -> None:
    thread = {
        "id": "1801",
        "text": "Safety tip of the day",
        "media_type": "TEXT_POST",
        "permalink": "https://www.threads.net/@lakeviewpolice/post/Cx",
        "timestamp": graph_time(ago(2)),
        "username": "lakeviewpolice",
    }
    apis.route("threads", "/me/threads", {"data": [thread]})
    assert outcome(apis.run(apis.registry("threads"), store), "threads").new == 1


def test_an_answer_that_is_no_json_is_the_readers_to_judge(apis: FakeApis, store: Store) -> None:
    apis.route("facebook", "/LakeviewPoliceService/posts", b"<html>maintenance</html>")
    failed = outcome(apis.run(apis.registry("facebook"), store), "facebook")
    assert failed.status == "failed"
    assert failed.message and "JSON" in failed.message


def test_a_variable_emptied_after_the_registry_was_read(
    apis: FakeApis, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = apis.registry("facebook")
    monkeypatch.setenv("HUB_TOKEN_FB_MAIN", "")
    failed = outcome(apis.run(registry, store), "facebook")
    assert (failed.status, failed.message) == ("failed", "HUB_TOKEN_FB_MAIN is not set")
    assert apis.server.requests == []


def test_a_bad_base_address(apis: FakeApis, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_API_BASE_FACEBOOK", "ftp://example.invalid/")
    failed = outcome(apis.run(apis.registry("facebook"), store), "facebook")
    assert failed.message == (
        "HUB_API_BASE_FACEBOOK is not an http(s) URL such as https://graph.facebook.com/v26.0"
    )


def test_the_bases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUB_API_BASE_X", raising=False)
    assert base_of("x", {}) == Base(httpx.URL("https://api.x.com/2"), False)
    given = base_of("tiktok", {"HUB_API_BASE_TIKTOK": "http://127.0.0.1:8080/tt/v2?x=1"})
    assert given == Base(httpx.URL("http://127.0.0.1:8080/tt/v2"), True)
    assert given.host == "127.0.0.1:8080"
    instagram = base_of("instagram", {}, "IGAAtoken")
    assert str(instagram.url) == "https://graph.instagram.com/v26.0"
    assert str(base_of("instagram", {}, "EAAtoken").url) == "https://graph.facebook.com/v26.0"


def test_only_a_given_api_host_may_be_private(feed_server: FeedServer) -> None:
    """The exemption is the given host's, on its port: no other API, no other address."""
    feed_server.route("/v2/x", body=b"{}")
    url = httpx.URL(feed_server.url("/v2/x"))
    loopback = ipaddress.ip_address("127.0.0.1")
    policy = OneHostPolicy(False, host="127.0.0.1")
    assert policy.refusal("127.0.0.1", loopback) is None
    assert policy.refusal("localhost", loopback)

    async def send(base: Base) -> int:
        client = Client(FetchSettings(), "test", VettedTransport)
        try:
            page = await client.send(base, "GET", url, {}, None)
        finally:
            await client.aclose()
        return page.status

    assert asyncio.run(send(Base(url.copy_with(path="/v2"), True))) == 200
    with pytest.raises(AddressRefused):
        asyncio.run(send(Base(url.copy_with(path="/v2"), False)))


def test_read_accounts_with_nothing_to_read_sends_nothing() -> None:
    assert asyncio.run(read_accounts([], FetchSettings(), user_agent="test")) == []


def test_the_read_result_is_redacted(feed_server: FeedServer) -> None:
    """An answer that echoes the token is handed on without it."""
    feed_server.route(
        "/fb/v26.0/LakeviewPoliceService/posts",
        body=json.dumps(
            {
                "data": [
                    {
                        "id": "1",
                        "message": f"echo {FB_TOKEN} and access_token=other-secret-value",
                        "created_time": "2026-11-02T14:05:00+0000",
                    }
                ]
            }
        ).encode(),
    )
    feed = FeedRef(FB, platform="facebook", token="HUB_TOKEN_FB_MAIN")
    environ = {
        "HUB_TOKEN_FB_MAIN": FB_TOKEN,
        "HUB_API_BASE_FACEBOOK": feed_server.url("/fb/v26.0"),
    }
    (result,) = asyncio.run(
        read_accounts([ApiRead(feed)], FetchSettings(), user_agent="t", environ=environ)
    )
    assert result.outcome == "ok" and result.body is not None
    assert FB_TOKEN.encode() not in result.body
    assert b"other-secret-value" not in result.body
    assert secrets.HIDDEN.encode() in result.body
