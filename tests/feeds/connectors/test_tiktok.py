"""Tests for hub.feeds.connectors.tiktok: TikTok Display API v2 video lists read into drafts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.feeds.connectors import reader, tiktok
from hub.feeds.drafts import Draft, FeedError, finish
from hub.feeds.sanitize import ALLOWED_TAGS
from hub.model import Entry, Media

DATA = Path(__file__).resolve().parents[2] / "data" / "connectors" / "tiktok"
PROFILE = "https://www.tiktok.com/@lakeviewpolice"
VIDEO = "https://www.tiktok.com/@lakeviewpolice/video/"
COVER = "https://p16-sign-va.tiktokcdn.com/tos-maliva-p-0068/"


def answer(name: str) -> bytes:
    return (DATA / name).read_bytes()


def document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(answer(name))
    return loaded


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode("ascii")


def read(body: bytes, profile: str | None = PROFILE) -> list[Draft]:
    return tiktok.read(body, profile)


def videos(*found: Any) -> bytes:
    """A video list answer of these videos."""
    return dumps(
        {
            "data": {"videos": list(found), "cursor": 1793628300000, "has_more": False},
            "error": {"code": "ok", "message": "", "log_id": "202611021405000102030405060708AA"},
        }
    )


def draft(**fields: Any) -> Draft:
    defaults: dict[str, Any] = {
        "title": "",
        "summary": "",
        "content": "",
        "published": None,
        "updated": None,
        "author": "",
        "categories": (),
        "media": (),
        "language": None,
        "base": PROFILE,
    }
    return Draft(**(defaults | fields))


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)


def _web(url: str | None) -> bool:
    return url is not None and url.startswith(("http://", "https://"))


def assert_inert(entries: Iterable[Entry]) -> None:
    """No script, no handler, no tag off the allow-list, only http(s) addresses."""
    for entry in entries:
        markup = _Markup()
        markup.feed(entry.summary + entry.content)
        markup.close()
        assert set(markup.tags) <= ALLOWED_TAGS, entry
        assert "script" not in markup.tags
        for name, value in markup.attributes:
            assert not name.startswith("on") and name != "style", entry
            if name in ("href", "src", "cite"):
                assert _web(value), (name, value)
        assert entry.link is None or _web(entry.link), entry.link
        assert all(_web(media.url) for media in entry.media), entry.media
        for text in (entry.title, entry.summary, *(m.alt for m in entry.media)):
            text.encode("utf-8")  # no lone surrogate reaches a page


def read_and_finish(body: bytes, profile: str | None = PROFILE) -> list[Draft] | None:
    """The drafts of ``body``, their entries checked inert; None for a FeedError."""
    try:
        drafts = tiktok.read(body, profile)
    except FeedError as error:
        assert str(error)
        return None
    assert all(isinstance(found, Draft) for found in drafts)
    for found in drafts:
        assert found.published is None or found.published.tzinfo is UTC
    assert_inert(finish(drafts, "https://open.tiktokapis.com/v2/video/list/", None))
    return drafts


def test_the_platform_key_finds_this_reader() -> None:
    assert reader("tiktok") is tiktok.read


def test_a_page_of_videos_with_more_to_come() -> None:
    assert read(answer("video_list.json")) == [
        draft(
            id="7432000000000000003",
            title="Bike safety week",
            summary="<p>Bike safety week: lights on after dark! #BikeSafety #Lakeview</p>",
            link=VIDEO + "7432000000000000003",
            published=datetime(2026, 11, 2, 14, 5, tzinfo=UTC),
            media=(
                Media(
                    url=COVER + "oQbAzEfGhIjK~tplv-dmt-logom:tos-maliva-i-0068/oABCDEF.image"
                    "?x-expires=1793649900&x-signature=Zm9vYmFyYmF6cXV4%3D",
                    alt="",
                ),
            ),
        ),
        draft(
            id="7432000000000000002",
            summary=(
                "<p>Meet our new K9 officer, Juno 🐕</p>"
                "<p>She starts patrols on Monday &amp; she&#x27;s very good.</p>"
            ),
            link=VIDEO + "7432000000000000002",
            published=datetime(2026, 11, 1, 18, 30, tzinfo=UTC),
            media=(
                Media(
                    url=COVER + "juNoCoVeR~tplv-photomode-zoomcover:720:720.jpeg"
                    "?x-expires=1793649900&x-signature=YmFyYmF6%3D",
                    alt="",
                ),
            ),
        ),
        draft(
            id="7432000000000000001",
            summary="<p>Station open house</p>",
            link=VIDEO + "7432000000000000001",
            published=datetime(2026, 10, 30, 10, 0, tzinfo=UTC),
            media=(
                Media(
                    url="https://p19-sign.tiktokcdn-us.com/obj/tos-useast5-p-0068-tx/"
                    "oPeNhOuSe.jpeg?x-expires=1793649900&x-signature=cXV4%3D",
                    alt="",
                ),
            ),
        ),
    ]


def test_the_page_through_finish() -> None:
    drafts = read_and_finish(answer("video_list.json"))
    assert drafts is not None
    entries = finish(drafts, "tiktok-feed", None)
    assert [(entry.title, entry.summary) for entry in entries] == [
        (
            "Bike safety week",
            "<p>Bike safety week: lights on after dark! #BikeSafety #Lakeview</p>",
        ),
        (
            "",
            "<p>Meet our new K9 officer, Juno 🐕</p>"
            "<p>She starts patrols on Monday &amp; she's very good.</p>",
        ),
        ("", "<p>Station open house</p>"),
    ]
    assert [entry.published for entry in entries] == [
        datetime(2026, 11, 2, 14, 5, tzinfo=UTC),
        datetime(2026, 11, 1, 18, 30, tzinfo=UTC),
        datetime(2026, 10, 30, 10, 0, tzinfo=UTC),
    ]
    assert all(entry.link and "utm_" not in entry.link for entry in entries)


@pytest.mark.parametrize(
    ("share_url", "profile", "link"),
    [
        (VIDEO + "1?utm_campaign=tt4d_open_api&utm_source=aw1#x", PROFILE, VIDEO + "1"),
        ("HTTPS://WWW.TIKTOK.COM/@lakeviewpolice/video/1", None, "https://www.tiktok.com/@lakeviewpolice/video/1"),
        ("https://vm.tiktok.com/ZMabcdef/", None, "https://vm.tiktok.com/ZMabcdef/"),
        ("https://tiktok.com", None, "https://tiktok.com/"),
        ("https://www.tiktok.com.evil.example/@lakeviewpolice/video/1", PROFILE, VIDEO + "1"),
        ("https://evil.example/", "https://tiktok.com/@lakeviewpolice/", VIDEO + "1"),
        ("javascript:alert(1)", PROFILE, VIDEO + "1"),
        (None, PROFILE, VIDEO + "1"),
        (None, "https://www.tiktok.com/lakeviewpolice", None),
        (None, "https://www.tiktok.com/@../video", None),
        (None, "https://evil.example/@lakeviewpolice", None),
        (None, None, None),
    ],
)  # fmt: skip
def test_the_link(share_url: object, profile: str | None, link: str | None) -> None:
    (found,) = read(videos({"id": "1", "share_url": share_url}), profile)
    assert found.link == link


@pytest.mark.parametrize(
    ("create_time", "expected"),
    [
        (1793628300, datetime(2026, 11, 2, 14, 5, tzinfo=UTC)),
        (1793628300.5, datetime(2026, 11, 2, 14, 5, 0, 500_000, tzinfo=UTC)),
        ("1793628300", None),
        (True, None),
        (0, None),
        (-5, None),
        (1e300, None),
        (10**40, None),
        (None, None),
    ],
)
def test_create_time(create_time: object, expected: datetime | None) -> None:
    (found,) = read(videos({"id": "1", "create_time": create_time}))
    assert found.published == expected


@pytest.mark.parametrize(
    ("title", "description", "draft_title", "summary"),
    [
        ("Title", "Description", "Title", "<p>Description</p>"),
        ("Title", "", "", "<p>Title</p>"),
        ("", "Description", "", "<p>Description</p>"),
        ("  ", "  ", "", ""),
        (["no"], {"no": 1}, "", ""),
        ("<b>T</b>", "<i>D</i>", "&lt;b&gt;T&lt;/b&gt;", "<p>&lt;i&gt;D&lt;/i&gt;</p>"),
    ],
)
def test_text_and_title(title: object, description: object, draft_title: str, summary: str) -> None:
    (found,) = read(videos({"id": "1", "title": title, "video_description": description}))
    assert (found.title, found.summary) == (draft_title, summary)


def test_the_cover_is_the_image_with_no_alt_text() -> None:
    cover = "https://p16-sign-va.tiktokcdn.com/a.jpeg?x-expires=1&x-signature=s%3D"
    (found,) = read(videos({"id": "1", "title": "Open house", "cover_image_url": cover}))
    assert found.media == (Media(url=cover, alt=""),)


def test_ids_as_numbers_and_videos_without_a_usable_id() -> None:
    body = videos(
        {"id": 7432000000000000009},
        {"id": "7432abc"},
        {"id": True},
        {"id": "../../evil"},
        {"id": "1" * 26},
        {"title": "none"},
    )
    assert [found.id for found in read(body)] == ["7432000000000000009"]


def test_a_huge_description_is_cut() -> None:
    (found,) = read(videos({"id": "1", "video_description": "word " * 5_000}))
    assert len(found.summary) < tiktok.MAX_TEXT + 20
    assert found.summary.endswith("\u2026</p>")


@pytest.mark.parametrize("name", ["empty_list.json", "no_videos_key.json"])
def test_an_account_without_videos(name: str) -> None:
    assert read(answer(name)) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "error_access_token_invalid.json",
            "TikTok API error access_token_invalid: the access token is invalid or has expired;"
            " refresh it; The access token is invalid or not found in the request."
            " (log id 202611021405000102030405060708AB)",
        ),
        (
            "error_scope_not_authorized.json",
            "TikTok API error scope_not_authorized: the account did not grant the video.list"
            " scope; The user did not authorize the scope required for completing this request."
            " (log id 202611021405000102030405060708AC)",
        ),
        (
            "error_rate_limit_exceeded.json",
            "TikTok API error rate_limit_exceeded: too many requests; TikTok asks to wait before"
            " the next; API rate limit exceeded, please retry later."
            " (log id 202611021405000102030405060708AD)",
        ),
        (
            "error_oauth.json",
            "TikTok API error invalid_grant: The refresh token is invalid or has expired."
            " (log id 202611021405000102030405060708AE)",
        ),
        ("not_tiktok.json", "not a TikTok video list answer: no 'data.videos' list"),
    ],
)
def test_answers_that_are_errors(name: str, message: str) -> None:
    with pytest.raises(FeedError) as caught:
        read(answer(name))
    assert str(caught.value) == message


def test_an_error_never_echoes_a_token() -> None:
    with pytest.raises(FeedError) as caught:
        read(answer("error_echoes_token.json"))
    message = str(caught.value)
    assert message == (
        "TikTok API error access_token_invalid: the access token is invalid or has expired;"
        " refresh it; Token [hidden] is expired client_secret=[hidden]"
    )


@pytest.mark.parametrize(
    "error",
    [
        {"code": "internal_error", "message": "", "log_id": ""},
        {"code": "something_new", "message": "Something new went wrong"},
        {"code": "<script>alert(1)</script>", "message": "x" * 5_000, "log_id": "a" * 65},
        {"code": 5},
        {},
    ],
)
def test_other_errors(error: dict[str, Any]) -> None:
    with pytest.raises(FeedError) as caught:
        read(dumps({"error": error}))
    message = str(caught.value)
    assert message.startswith("TikTok API error ")
    assert "<script>" not in message
    assert len(message) <= tiktok.MAX_MESSAGE


@pytest.mark.parametrize(
    "body",
    [b"", b"{not json", b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b"[]", b"5", b"null",
     b'{"data": []}', b'{"data": {"videos": {}}}', b'{"data": {"videos": "x"}}',
     b'{"error": {"code": "ok"}}', b'{"meta": {"result_count": 0}}'],
)  # fmt: skip
def test_what_is_not_a_video_list(body: bytes) -> None:
    with pytest.raises(FeedError):
        read(body)


def test_hostile_values_in_every_field() -> None:
    drafts = read_and_finish(answer("hostile.json"))
    assert drafts == [
        draft(
            id="7432900000000000009",
            title="&lt;script&gt;alert(1)&lt;/script&gt;",
            summary=(
                "<p>&lt;img src=x onerror=alert(1)&gt; javascript:alert(2) ? &amp;amp;"
                " &lt;a href=&quot;javascript:alert(3)&quot;&gt;tap&lt;/a&gt;</p>"
            ),
            link=VIDEO + "7432900000000000009",
        ),
        draft(id="7432900000000000008", link=VIDEO + "7432900000000000008"),
        draft(
            id="7432900000000000007",
            title="Phishing link",
            summary="<p>Same text as the title? No.</p>",
            link=VIDEO + "7432900000000000007",
        ),
        draft(
            id="7432900000000000006",
            summary="<p>A time that is not a number</p>",
            link=VIDEO + "7432900000000000006",
            media=(Media(url="https://www.tiktok.com/relative/cover.jpg", alt=""),),
        ),
        draft(
            id="7432900000000000005",
            summary="<p>Huge time</p>",
            link="https://vm.tiktok.com/ZMabcdef/",
        ),
    ]


@pytest.mark.parametrize("name", sorted(path.name for path in DATA.glob("*.json")))
def test_every_recorded_answer_gives_inert_entries_or_a_feed_error(name: str) -> None:
    read_and_finish(answer(name))
    read_and_finish(answer(name), None)


# --- Property tests ---------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "data", "videos", "cursor", "has_more", "error", "code", "message", "log_id", "id",
        "title", "video_description", "create_time", "cover_image_url", "share_url",
        "embed_link", "duration", "width", "height", "error_description",
    ]
)  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(
        [
            "ok", "access_token_invalid", "javascript:alert(1)", "java\tscript:alert(1)",
            "https://user@evil.example/", "//evil.example/a.jpg", "/relative.jpg",
            "https://www.tiktok.com/@lakeviewpolice/video/1?utm_source=x",
            "https://p16-sign-va.tiktokcdn.com/a.jpeg?x-expires=1", "7432000000000000003",
            "<script>alert(1)</script>", '"><img src=x onerror=a()>', "\ud800",
            "line\n\nline\u2028line",
        ]
    ),
    st.text(max_size=30),
)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | TEXT, inner, max_size=5),
    max_leaves=30,
)
VIDEO_LIST = st.fixed_dictionaries(
    {"data": st.fixed_dictionaries({"videos": st.lists(JSON, max_size=4)})},
    optional={"error": st.fixed_dictionaries({"code": st.just("ok")}) | JSON},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON | VIDEO_LIST)
def test_any_json_value_gives_drafts_or_a_feed_error(value: Any) -> None:
    read_and_finish(dumps(value))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(KEYS | TEXT, max_size=8), JSON, st.sampled_from([PROFILE, None, "javascript:x"]))
def test_any_json_value_inside_an_answer_gives_drafts_or_a_feed_error(
    path: list[Any], value: Any, profile: str | None
) -> None:
    answer_ = document("video_list.json")
    put(answer_, path, value)
    read_and_finish(dumps(answer_), profile)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_give_drafts_or_a_feed_error(body: bytes) -> None:
    read_and_finish(body)


def put(target: Any, path: list[Any], value: Any) -> None:
    """``value`` in place of something ``path`` leads to, down through the answer.

    Each step picks a key or an item (the step's own if the container has it,
    else one chosen by the step), so every path ends deep inside the answer.
    """
    for step in path:
        if isinstance(target, dict) and target:
            key = step if step in target else sorted(target)[len(str(step)) % len(target)]
            if not isinstance(target[key], dict | list) or not target[key]:
                target[key] = value
                return
            target = target[key]
        elif isinstance(target, list) and target:
            index = len(str(step)) % len(target)
            if not isinstance(target[index], dict | list) or not target[index]:
                target[index] = value
                return
            target = target[index]
    if isinstance(target, dict):
        target["title"] = value
    elif isinstance(target, list):
        target.append(value)
