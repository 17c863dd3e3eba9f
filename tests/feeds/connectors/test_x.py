"""Tests for hub.feeds.connectors.x: X API v2 timeline answers read into drafts."""

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

from hub.feeds.connectors import reader, x
from hub.feeds.drafts import Draft, FeedError, finish
from hub.feeds.sanitize import ALLOWED_TAGS
from hub.model import Entry, Media

DATA = Path(__file__).resolve().parents[2] / "data" / "connectors" / "x"
PROFILE = "https://x.com/LakeviewPolice"
STATUS = "https://x.com/LakeviewPolice/status/"


def answer(name: str) -> bytes:
    return (DATA / name).read_bytes()


def document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(answer(name))
    return loaded


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode("ascii")


def read(body: bytes, profile: str | None = PROFILE) -> list[Draft]:
    return x.read(body, profile)


def post(**fields: Any) -> bytes:
    """A timeline answer of one post, its author LakeviewPolice."""
    return dumps(
        {
            "data": [{"id": "1852700000000000009", **fields}],
            "includes": {"users": [{"id": "1500000000000000000", "username": "LakeviewPolice"}]},
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
        "language": "en",
        "base": PROFILE,
    }
    return Draft(**(defaults | fields))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


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
        for text in (entry.title, entry.summary, *entry.categories, *(m.alt for m in entry.media)):
            text.encode("utf-8")  # no lone surrogate reaches a page


def read_and_finish(body: bytes, profile: str | None = PROFILE) -> list[Draft] | None:
    """The drafts of ``body``, their entries checked inert; None for a FeedError."""
    try:
        drafts = x.read(body, profile)
    except FeedError as error:
        assert str(error)
        return None
    assert all(isinstance(found, Draft) for found in drafts)
    for found in drafts:
        assert found.published is None or found.published.tzinfo is UTC
    assert_inert(finish(drafts, "https://api.x.com/2/users/1500000000000000000/tweets", None))
    return drafts


def test_the_platform_key_finds_this_reader() -> None:
    assert reader("x") is x.read


def test_a_timeline_page() -> None:
    assert read(answer("timeline.json")) == [
        draft(
            id="1852700000000000005",
            summary=(
                "<p>Road closure on Main St &amp; 5th until 18:00. Details: "
                '<a href="https://police.example/news/road-closure?id=7&amp;src=x">'
                "police.example/news/road-clo\u2026</a> #Lakeview</p>"
            ),
            link=STATUS + "1852700000000000005",
            published=utc("2026-11-02T14:05:00+00:00"),
            categories=("Lakeview",),
            media=(
                Media(
                    url="https://pbs.twimg.com/media/GbRoAdClOsUrE1.jpg",
                    alt="Map of Main Street with the closed block marked in red",
                ),
                Media(url="https://pbs.twimg.com/media/GbDeToUr2.png", alt=""),
            ),
        ),
        draft(
            id="1852700000000000004",
            summary="<p>@resident_jo Thanks, we have passed it on to the patrol &lt;3</p>",
            link=STATUS + "1852700000000000004",
            published=utc("2026-11-02T13:40:12+00:00"),
        ),
        draft(
            id="1852700000000000002",
            summary=(
                "<p>Conseils d&#x27;hiver : avant de prendre la route, déneigez entièrement"
                " votre véhicule, vérifiez vos pneus et prévoyez une trousse d&#x27;urgence.</p>"
                "<p>Les patrouilles seront renforcées sur l&#x27;autoroute 40 tout le week-end."
                " Restez prudents, réduisez votre vitesse et gardez vos distances."
                " Toutes les fermetures de routes : "
                '<a href="https://police.example/fr/routes">police.example/fr/routes</a>'
                " #SécuritéHivernale 🚓❄️<br>Merci de partager.</p>"
            ),
            link=STATUS + "1852700000000000002",
            published=utc("2026-11-01T20:30:00+00:00"),
            categories=("SécuritéHivernale",),
            language="fr",
        ),
        draft(
            id="1852700000000000001",
            summary="<p>Watch: how to lock your car in 10 seconds</p>",
            link=STATUS + "1852700000000000001",
            published=utc("2026-11-01T09:15:30+00:00"),
            media=(
                Media(
                    url="https://pbs.twimg.com/ext_tw_video_thumb/1852700000000000103/pu/img/LoCk.jpg",
                    alt="An officer locks a car door with a key fob",
                ),
            ),
        ),
        draft(
            id="1852700000000000000",
            link=STATUS + "1852700000000000000",
            published=utc("2026-10-31T23:59:59+00:00"),
            media=(Media(url="https://pbs.twimg.com/tweet_video_thumb/GiFtHuMb.jpg", alt=""),),
            language=None,
        ),
    ]


def test_the_timeline_through_finish() -> None:
    drafts = read_and_finish(answer("timeline.json"))
    assert drafts is not None
    entries = finish(drafts, "x-feed", None)
    assert [entry.id for entry in entries] == [draft.id for draft in drafts]
    first = entries[0]
    assert first.summary == (
        "<p>Road closure on Main St &amp; 5th until 18:00. Details: "
        '<a href="https://police.example/news/road-closure?id=7&amp;src=x"'
        ' rel="nofollow noopener noreferrer">police.example/news/road-clo\u2026</a>'
        " #Lakeview</p>"
    )
    assert first.published == datetime(2026, 11, 2, 14, 5, tzinfo=UTC)
    assert first.categories == ("Lakeview",)
    assert entries[2].summary.endswith("#SécuritéHivernale 🚓❄️<br>Merci de partager.</p>")


def test_a_repost_is_skipped_and_a_reply_kept() -> None:
    ids = [found.id for found in read(answer("timeline.json"))]
    assert "1852700000000000003" not in ids  # RT @CityOfLakeview: someone else's words
    assert "1852700000000000004" in ids  # the reply to @resident_jo


def test_a_long_post_is_read_whole_from_note_tweet() -> None:
    long = read(answer("timeline.json"))[2]
    assert "https://t.co/" not in long.summary
    assert "x.com/i/web/status" not in long.summary  # the short text's "show more" link
    assert long.summary.endswith("Merci de partager.</p>")


def test_links_are_found_by_address_whatever_the_indices_say() -> None:
    text = "See https://t.co/AbC123 and https://t.co/AbC1234 now"
    urls = [
        {
            "start": 999,
            "end": -4,
            "url": "https://t.co/AbC123",
            "expanded_url": "https://a.example/1",
        },
        {"url": "https://t.co/AbC1234", "expanded_url": "https://b.example/2", "display_url": "b"},
    ]
    (found,) = read(post(text=text, entities={"urls": urls}))
    assert found.summary == (
        '<p>See <a href="https://a.example/1">https://a.example/1</a>'
        ' and <a href="https://b.example/2">b</a> now</p>'
    )


def test_only_the_posts_own_media_link_is_dropped() -> None:
    text = "Ours https://t.co/Own0000001 theirs https://t.co/Other00001"
    urls = [
        {
            "url": "https://t.co/Own0000001",
            "expanded_url": "https://twitter.com/LakeviewPolice/status/1852700000000000009/video/1",
            "display_url": "pic.x.com/Own0000001",
        },
        {
            "url": "https://t.co/Other00001",
            "expanded_url": "https://x.com/CityOfLakeview/status/1852000000000000000/photo/1",
            "display_url": "pic.x.com/Other00001",
        },
    ]
    (found,) = read(post(text=text, entities={"urls": urls}))
    assert found.summary == (
        '<p>Ours  theirs <a href="https://x.com/CityOfLakeview/status/1852000000000000000/photo/1">'
        "pic.x.com/Other00001</a></p>"
    )


@pytest.mark.parametrize(
    ("profile", "users", "link"),
    [
        (PROFILE, [], STATUS + "1852700000000000009"),
        ("https://twitter.com/LakeviewPolice/", [], STATUS + "1852700000000000009"),
        ("https://x.com/@LakeviewPolice", [], STATUS + "1852700000000000009"),
        (None, [{"id": "15", "username": "Lakeview_PD"}], "https://x.com/Lakeview_PD/status/"),
        (None, [], "https://x.com/i/web/status/"),
        ("https://police.example/LakeviewPolice", [], "https://x.com/i/web/status/"),
        ("javascript:alert(1)//x.com/evil", [], "https://x.com/i/web/status/"),
        (None, [{"id": "15", "username": "../evil"}], "https://x.com/i/web/status/"),
    ],
)
def test_the_link_names_the_account(profile: str | None, users: list[Any], link: str) -> None:
    body = dumps(
        {"data": [{"id": "1852700000000000009", "text": "hi"}], "includes": {"users": users}}
    )
    (found,) = read(body, profile)
    assert found.link is not None and found.link.startswith(link)
    assert found.link.endswith("/1852700000000000009")


def test_the_author_is_found_among_several_users() -> None:
    body = dumps(
        {
            "data": [{"id": "1852700000000000009", "author_id": "2", "text": "hi"}],
            "includes": {
                "users": [{"id": "1", "username": "Other"}, {"id": "2", "username": "Own"}]
            },
        }
    )
    assert read(body, None)[0].link == "https://x.com/Own/status/1852700000000000009"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "en"), ("EN_gb", "en-gb"), ("und", None), ("zxx", None), ("qme", None),
     ("qht", None), ("<script>", None), (5, None), (None, None)],
)  # fmt: skip
def test_language(lang: object, expected: str | None) -> None:
    assert read(post(text="hi", lang=lang))[0].language == expected


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2026-11-02T14:05:00.000Z", datetime(2026, 11, 2, 14, 5, tzinfo=UTC)),
        ("2026-11-02T16:05:00+02:00", datetime(2026, 11, 2, 14, 5, tzinfo=UTC)),
        ("2026-11-02T14:05:00", datetime(2026, 11, 2, 14, 5, tzinfo=UTC)),
        ("0001-01-01T00:00:00+01:00", None),
        ("2026-13-45T00:00:00Z", None),
        ("yesterday", None),
        ("2" * 10_000, None),
        (1793628300, None),
        (None, None),
    ],
)
def test_created_at(created_at: object, expected: datetime | None) -> None:
    published = read(post(text="hi", created_at=created_at))[0].published
    assert published == expected
    assert published is None or published.tzinfo is UTC


def test_ids_as_numbers_and_posts_without_a_usable_id() -> None:
    body = dumps(
        {
            "data": [
                {"id": 1852700000000000009, "text": "a number"},
                {"id": "12ab", "text": "letters"},
                {"id": True, "text": "a boolean"},
                {"id": "1" * 21, "text": "too long"},
                {"text": "none"},
            ]
        }
    )
    assert [found.id for found in read(body)] == ["1852700000000000009"]


def test_a_huge_text_is_cut() -> None:
    (found,) = read(post(text="word " * 20_000))
    assert len(found.summary) < x.MAX_TEXT + 20
    assert found.summary.endswith("\u2026</p>")


def test_an_account_without_posts() -> None:
    assert read(answer("empty_timeline.json")) == []


def test_partial_errors_beside_posts_are_not_the_answers_failure() -> None:
    assert read(answer("partial_errors.json")) == [
        draft(
            id="1852800000000000001",
            summary=(
                "<p>Quoting a post that has since been deleted "
                '<a href="https://x.com/someone/status/1852000000000000000">'
                "x.com/someone/statu\u2026</a></p>"
            ),
            link=STATUS + "1852800000000000001",
            published=utc("2026-11-03T08:00:00+00:00"),
        )
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("error_unauthorized.json", "X API error 401 Unauthorized"),
        ("error_rate_limited.json", "X API error 429 Too Many Requests"),
        (
            "error_invalid_request.json",
            "X API error Invalid Request: One or more parameters to your request was invalid.;"
            " The `id` query parameter value [LakeviewPolice] is not valid",
        ),
        (
            "error_client_forbidden.json",
            "X API error Client Forbidden: When authenticating requests to the X API v2"
            " endpoints, you must use keys and tokens from an X developer App that is attached"
            " to a Project. You can create a project via the developer portal.",
        ),
        ("not_x.json", "not an X API answer: no 'data', 'meta' or 'errors'"),
        ("not_a_timeline.json", "not an X API timeline answer: 'data' is not a list of posts"),
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
    assert message.startswith("X API error 401 Unauthorized: Bearer [hidden] is not valid")
    assert "AAAAAAAAAAAAAAAAAAAAA" not in message
    assert "0123456789" not in message
    assert "\x07" not in message
    assert len(message) <= x.MAX_MESSAGE


def test_a_long_error_is_cut() -> None:
    with pytest.raises(FeedError) as caught:
        read(dumps({"title": "Bad", "detail": "word " * 1000}))
    assert len(str(caught.value)) == x.MAX_MESSAGE


@pytest.mark.parametrize(
    "body",
    [b"", b"{not json", b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b"[]", b"5", b"null",
     b'"data"', b'{"data": null}', b'{"data": {"videos": []}}', b'{"error": {"code": "ok"}}'],
)  # fmt: skip
def test_what_is_not_a_timeline_answer(body: bytes) -> None:
    with pytest.raises(FeedError):
        read(body)


def test_hostile_values_in_every_field() -> None:
    drafts = read_and_finish(answer("hostile.json"))
    assert drafts is not None
    assert [found.id for found in drafts] == [
        "1852900000000000009",
        "1852900000000000008",
        "1852900000000000007",
        "1852900000000000006",
        "1852900000000000005",
    ]
    evil = drafts[0]
    assert evil.summary == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        " &lt;b&gt;bold&lt;/b&gt; ? javascript:alert(2)"
        ' <a href="https://t.co/EvIl000001">&lt;b&gt;click&lt;/b&gt; me</a>'
        ' <a href="https://evil.example/%22%20onmouseover=%22alert(1)">'
        "evil.example &quot; onmouseover=&quot;alert(1)</a>"
        ' <a href="https://t.co/EvIl000003">https://t.co/EvIl000003</a>'
        ' <a href="https://t.co/EvIl000004">https://t.co/EvIl000004</a>'
        " https://t.co/EvIl0000045</p>"
    )
    assert evil.link == STATUS + "1852900000000000009"
    assert evil.published is None and evil.language is None
    assert evil.categories == ("&lt;script&gt;alert(1)&lt;/script&gt;", "x?")
    assert evil.media == (
        Media(url="https://x.com/media/relative.jpg", alt=""),
        Media(
            url="https://pbs.twimg.com/media/AlT.jpg",
            alt="<script>alert(1)</script>Officers at the ? fair",
        ),
    )
    assert [found.summary for found in drafts[1:]] == [
        "",
        "<p>A post by a user whose name is not a username</p>",
        "<p>Naive time &amp;amp; an entity X escaped twice</p>",
        "",
    ]
    assert [found.language for found in drafts[1:]] == [None, "en-gb", None, None]


@pytest.mark.parametrize("name", sorted(path.name for path in DATA.glob("*.json")))
def test_every_recorded_answer_gives_inert_entries_or_a_feed_error(name: str) -> None:
    read_and_finish(answer(name))
    read_and_finish(answer(name), None)


# --- Property tests ---------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "data", "includes", "meta", "errors", "title", "detail", "status", "id", "text",
        "created_at", "lang", "author_id", "entities", "urls", "hashtags", "url",
        "expanded_url", "display_url", "media_key", "tag", "attachments", "media_keys",
        "note_tweet", "referenced_tweets", "type", "media", "users", "username",
        "preview_image_url", "alt_text", "message",
    ]
)  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(
        [
            "https://t.co/AbCdEf1234", "javascript:alert(1)", "java\tscript:alert(1)",
            "https://user@evil.example/", "//evil.example/a.jpg", "/relative.jpg",
            "2026-11-02T14:05:00.000Z", "0001-01-01T00:00:00+01:00", "retweeted", "quoted",
            "photo", "video", "animated_gif", "und", "qme", "1852700000000000009",
            "3_1", "LakeviewPolice", "<script>alert(1)</script>", '"><img src=x onerror=a()>',
            "&amp;lt;script&amp;gt;", "\ud800", "line\n\nline\u2028line",
            "https://x.com/LakeviewPolice/status/1852700000000000009/photo/1",
        ]
    ),
    st.text(max_size=30),
)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | TEXT, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_value_gives_drafts_or_a_feed_error(value: Any) -> None:
    read_and_finish(dumps(value))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(KEYS | TEXT, max_size=8), JSON, st.sampled_from([PROFILE, None, "javascript:x"]))
def test_any_json_value_inside_an_answer_gives_drafts_or_a_feed_error(
    path: list[Any], value: Any, profile: str | None
) -> None:
    answer_ = document("timeline.json")
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
        target["text"] = value
    elif isinstance(target, list):
        target.append(value)
