"""Tests for hub.feeds.connectors.facebook and the Graph API helpers it shares (graph)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.feeds.connectors import facebook, graph, reader
from hub.feeds.drafts import MAX_ID, Draft, FeedError, finish
from hub.model import Media
from tests.feeds.connectors import (
    JSON,
    TEXT,
    answer,
    answers,
    assert_inert,
    dumps,
    edge,
    fields,
    read_and_finish,
    utc,
)

PROFILE = "https://www.facebook.com/examplepolice"

ATTACHMENT = fields(
    media_type=TEXT,
    type=st.sampled_from(["share", "photo", "album"]) | TEXT,
    url=TEXT,
    unshimmed_url=TEXT,
    title=TEXT,
    description=TEXT,
    media=fields(image=fields(src=TEXT, width=JSON, height=JSON)),
    subattachments=edge(fields(description=TEXT, media=fields(image=fields(src=TEXT)))),
)
POST = fields(
    id=TEXT,
    message=TEXT,
    created_time=TEXT,
    updated_time=TEXT,
    permalink_url=TEXT,
    full_picture=TEXT,
    attachments=edge(ATTACHMENT),
    status_type=TEXT,
)
FIELDS = {
    "id", "message", "created_time", "updated_time", "permalink_url", "full_picture",
    "attachments", "status_type",
}  # fmt: skip
"""The fields the request asks for."""


def draft(**fields: Any) -> Draft:
    defaults: dict[str, Any] = {
        "title": "",
        "summary": "",
        "content": "",
        "link": PROFILE,
        "published": None,
        "updated": None,
        "author": "",
        "categories": (),
        "media": (),
        "language": None,
        "base": PROFILE,
    }
    return Draft(**(defaults | fields))


def read(body: bytes, profile: str | None = PROFILE) -> list[Draft]:
    return facebook.read(body, profile)


def test_the_platform_key_finds_this_reader() -> None:
    assert reader("facebook") is facebook.read


def test_a_page_with_several_posts() -> None:
    drafts = read(answer("facebook", "page_posts.json"))
    assert drafts == [
        draft(
            id="104857600000001_912345678901234",
            title="",
            summary=(
                "<p>Road closure on Main Street tonight</p>"
                "<p>Main Street is closed between 1st and 3rd Avenue from 22:00 for a"
                " collision investigation.<br>Use King Street instead.</p>"
                "<p>Updates: https://police.example/traffic #Traffic #MainStreet</p>"
            ),
            link="https://www.facebook.com/examplepolice/posts/pfbid02AbCdEf",
            published=utc("2026-11-02T14:05:00+00:00"),
            updated=utc("2026-11-02T15:30:12+00:00"),
            categories=("Traffic", "MainStreet"),
        ),
        draft(
            id="104857600000001_912345678901235",
            title="",
            summary=(
                "<p>Our winter driving tips are out.</p>"
                '<p><a href="https://police.example/winter-driving?utm_source=facebook&amp;lang=en">'
                "Winter driving: 5 things to check &lt;before&gt; you leave</a></p>"
            ),
            link="https://www.facebook.com/examplepolice/posts/pfbid02GhIjKl",
            published=utc("2026-11-01T09:00:00+00:00"),
            updated=utc("2026-11-01T09:00:00+00:00"),
            media=(
                Media(
                    url="https://scontent.xx.fbcdn.net/v/t39.30808-6/winter_n.jpg"
                    "?stp=dst-jpg&_nc_cat=1&oh=00_AbC&oe=6730A1B2",
                    alt="Tyres, lights & a clear windscreen.",
                ),
            ),
        ),
        draft(
            id="104857600000001_912345678901236",
            title="",
            summary="<p>Have you seen this bike? It was stolen from Park Lane on 30 October.</p>",
            link="https://www.facebook.com/photo.php?fbid=912345678901236&set=a.1&type=3",
            published=utc("2026-10-31T18:45:00+00:00"),
            updated=utc("2026-10-31T18:45:00+00:00"),
            media=(
                Media(
                    url="https://scontent.xx.fbcdn.net/v/t39.30808-6/bike_n.jpg?_nc_cat=2",
                    alt="A red mountain bike with a black saddle, leaning on a wall.",
                ),
            ),
        ),
        # No message: no title, no text; the album's picture and its further photos.
        draft(
            id="104857600000001_912345678901237",
            link="https://www.facebook.com/examplepolice/photos/a.1/912345678901237/",
            published=utc("2026-10-30T12:00:00+00:00"),
            updated=utc("2026-10-30T12:00:00+00:00"),
            media=(
                Media(
                    url="https://scontent.xx.fbcdn.net/v/t39.30808-6/open_day_n.jpg",
                    alt="Open day 2026",
                ),
                Media(
                    url="https://scontent.xx.fbcdn.net/v/t39.30808-6/open_day_2.jpg",
                    alt="The dog unit's demonstration.",
                ),
            ),
        ),
        # No permalink: the Page's address is its link.
        draft(
            id="104857600000001_912345678901238",
            title="",
            summary="<p>Thank you to everyone who came to the community meeting.</p>",
            published=utc("2026-10-29T20:15:00+00:00"),
        ),
    ]
    assert_inert(finish(drafts, PROFILE, None))


def test_the_sanitized_entries_keep_the_text_and_the_shared_link() -> None:
    entries = finish(read(answer("facebook", "page_posts.json")), PROFILE, None)
    shared = entries[1]
    assert shared.title == ""  # text alone, as on X: cross-posts are seen as one post
    assert shared.summary.startswith("<p>Our winter driving tips are out.")
    assert 'href="https://police.example/winter-driving?utm_source=facebook&amp;lang=en"' in (
        shared.summary
    )
    assert 'rel="nofollow noopener noreferrer"' in shared.summary
    # Links typed in the text stay text: the sanitizer links nothing.
    assert "<a" not in entries[0].summary
    assert "https://police.example/traffic" in entries[0].summary


def test_an_error_190_is_a_readable_feed_error_without_the_token() -> None:
    with pytest.raises(FeedError) as caught:
        read(answer("facebook", "error_190.json"))
    message = str(caught.value)
    assert message.startswith(
        "the API answered with an error: (#190) Error validating access token: "
        "Session has expired on Monday, 02-Nov-26 14:00:00 PST."
    )
    assert "EAAJZB" not in message
    assert "[hidden]" in message


def test_hostile_values_give_clean_drafts_or_none() -> None:
    drafts = read_and_finish(facebook.read, answer("facebook", "hostile.json"), PROFILE)
    assert drafts is not None
    by_id = {d.id: d for d in drafts}
    # Empty objects, non-objects and an object of nulls are no posts.
    assert len(drafts) == 5

    first = by_id["hostile-1"]
    assert first.title == ""
    assert first.summary == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>"
        "&lt;img src=x onerror=alert(1)&gt; &amp;lt;b&amp;gt; javascript:alert(1)</p>"
    )
    assert first.link == PROFILE  # a javascript: permalink
    assert (first.published, first.updated, first.media) == (None, None, ())

    numbered = by_id["912345678901240"]  # a number as id; a number as message
    assert (numbered.title, numbered.summary, numbered.media) == ("", "", ())
    assert numbered.link == PROFILE  # a permalink on another host
    assert (numbered.published, numbered.updated) == (None, None)  # a Unix time; an overflow

    quoted = next(d for d in drafts if d.id.startswith("sha256:"))  # "id": true
    assert quoted.summary == (
        "<p>Shared &quot;quoted&quot; link</p>"
        '<p><a href="https://police.example/a%22onmouseover=%22alert(1)">'
        "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a></p>"
    )
    assert quoted.link == PROFILE  # a user name in the permalink
    assert quoted.media == (
        Media(
            url="https://scontent.xx.fbcdn.net/protocol-relative.jpg",
            alt="<b onclick=alert(1)>alt</b>",
        ),
    )

    lone = by_id["?lone?"]
    assert lone.title == ""
    assert "Lone ? surrogates ? here #tag?" in lone.summary
    assert lone.categories == ("tag",)
    assert lone.published == utc("2026-11-02T08:35:00+00:00")
    assert lone.link == "https://www.facebook.com/examplepolice/posts/?"

    blank = by_id["hostile-5"]
    assert blank.title == ""
    # Nested shims unwrapped; a relative permalink resolved against the Page.
    assert blank.summary == (
        '<p><a href="https://police.example/nested">https://police.example/nested</a></p>'
    )
    assert blank.link == "https://www.facebook.com/examplepolice/posts/5"
    assert blank.media == (Media(url="https://scontent.xx.fbcdn.net/padded.jpg", alt=""),)


def test_without_a_profile_relative_links_are_dropped() -> None:
    body = dumps(
        {
            "data": [
                {
                    "id": "1",
                    "message": "hi",
                    "permalink_url": "/examplepolice/posts/1",
                    "full_picture": "/picture.jpg",
                }
            ]
        }
    )
    [only] = read(body, None)
    assert (only.link, only.base, only.media) == (None, None, ())


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"", "not well-formed JSON"),
        (b"<html>login</html>", "not well-formed JSON"),
        (b"\xff\xfe\x00garbage", "not well-formed JSON"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "not well-formed JSON", id="deep"),
        pytest.param(
            b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "not well-formed JSON",
            id="deep-data",
        ),
        (b"[]", "not an object"),
        (b'"data"', "not an object"),
        (b"{}", "no 'data' list"),
        (b'{"data": {"id": "1"}}', "no 'data' list"),
        (b'{"items": []}', "no 'data' list"),
        (b'{"error": "bad request"}', "the API answered with an error: bad request"),
        (b'{"error": {"code": "190"}}', "the API answered with an error: no message"),
        (b'{"error": {"code": true, "type": "OAuthException"}}', "error: OAuthException"),
        (b'{"error": [1, 2]}', "the API answered with an error: no message"),
    ],
)
def test_answers_that_are_not_ours(body: bytes, says: str) -> None:
    with pytest.raises(FeedError) as caught:
        read(body)
    assert says in str(caught.value)
    assert str(caught.value).startswith(("not an answer of the Graph API: ", "the API answered"))


def test_an_empty_page() -> None:
    assert read(b'{"data": [], "paging": {}}') == []


def test_error_messages_hide_tokens_and_stay_one_short_line() -> None:
    message = graph.error_message(
        {
            "message": "(#100) Bad token EAABwzLixnjYBOZBZCxyz0123456789abcdefABCDEF\n"
            "see /me?access_token=EAAB123&x=1\x00now " + "x" * 5000,
            "code": 100,
        }
    )
    assert message == (
        "the API answered with an error: "
        "(#100) Bad token [hidden] see /me?access_token=[hidden]&x=1 now"
    )
    assert "EAAB" not in message
    assert "(#100) (#100)" not in message
    assert "\n" not in message and "\x00" not in message
    assert len(message) < 400


def test_a_token_at_the_cut_of_a_long_message_stays_hidden() -> None:
    token = "EAAB" + "Zx9" * 40
    # Hidden tokens shorten the message, so what was far along comes into view.
    for filler in range(0, 130, 7):
        text = f"{token} " * 8 + "x" * filler + " " + token + " tail" * 100
        message = graph.error_message({"message": text, "code": 190})
        assert "EAAB" not in message and "Zx9" not in message
        assert message.startswith("the API answered with an error: (#190) [hidden] [hidden]")


def test_huge_values_are_cut() -> None:
    post = {
        "id": "x" * (MAX_ID + 1),
        "message": "word " * 100_000,
        "permalink_url": "https://www.facebook.com/" + "a" * 100_000,
    }
    [only] = read(dumps({"data": [post]}))
    assert only.id.startswith("sha256:")
    assert only.title == ""
    assert len(only.summary) < graph.MAX_TEXT + 100
    assert len(read(dumps({"data": [{"id": str(n)} for n in range(1000)]}))) == graph.MAX_POSTS


@pytest.mark.parametrize(
    ("wrapped", "target"),
    [
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fa.example%2Fx%3Fy%3D1&h=AT0", "https://a.example/x?y=1"),
        ("https://lm.facebook.com/l.php?u=https%3A%2F%2Fa.example%2F", "https://a.example/"),
        ("https://www.facebook.com/l.php?u=https%3A%2F%2Fa.example%2F", "https://a.example/"),
        ("https://www.facebook.com/events/1?u=https%3A%2F%2Fa.example%2F", "https://www.facebook.com/events/1?u=https%3A%2F%2Fa.example%2F"),
        ("https://l.facebook.com/l.php?h=AT0", "https://l.facebook.com/l.php?h=AT0"),
        ("https://l.instagram.com/?u=https%3A%2F%2Fa.example%2F", "https://a.example/"),
        ("https://evil.example/l.php?u=https%3A%2F%2Fa.example%2F", "https://evil.example/l.php?u=https%3A%2F%2Fa.example%2F"),
        ("http://[::1", "http://[::1"),
    ],
)  # fmt: skip
def test_link_shims_are_unwrapped(wrapped: str, target: str) -> None:
    assert graph.unwrap(wrapped) == target


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-02T14:05:00+0000", "2026-11-02T14:05:00+00:00"),
        ("2026-11-02T14:05:00-0500", "2026-11-02T19:05:00+00:00"),
        ("2026-11-02T14:05:00Z", "2026-11-02T14:05:00+00:00"),
        ("2026-11-02T14:05:00", "2026-11-02T14:05:00+00:00"),
        ("2026-11-02T14:05:00+2500", None),
        ("9999-12-31T23:59:59-2359", None),
        ("Mon, 02 Nov 2026 14:05:00 GMT", None),
        ("2026-11-02T14:05:00+0000" + " " * 100, None),
        (1793628300, None),
        (None, None),
        (["2026-11-02T14:05:00+0000"], None),
    ],
)
def test_times(value: object, expected: str | None) -> None:
    moment = graph.moment(value)
    assert moment == (utc(expected) if expected else None)
    assert moment is None or moment.tzinfo is not None


def test_hashtags() -> None:
    text = (
        "#One two #one #2026 #Café a#b &#35;x http://x.example/#frag #Two #Three #Four #Five #Six"
    )
    assert graph.hashtags(text) == ("One", "Café", "Two", "Three", "Four")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_value_gives_drafts_or_a_feed_error(value: object) -> None:
    read_and_finish(facebook.read, dumps(value), PROFILE)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(answers(POST), st.sampled_from([PROFILE, None, "javascript:alert(1)"]))
def test_answers_of_our_shape_give_inert_entries(value: object, profile: str | None) -> None:
    read_and_finish(facebook.read, dumps(value), profile)


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_any_bytes_give_drafts_or_a_feed_error(body: bytes) -> None:
    read_and_finish(facebook.read, body, PROFILE)


def test_the_fixtures_are_the_documented_shape() -> None:
    page = json.loads(answer("facebook", "page_posts.json"))
    assert set(page) == {"data", "paging"}
    for post in page["data"]:
        assert set(post) <= FIELDS


def test_a_photo_described_by_the_post_itself_has_no_alt_text() -> None:
    # The Graph API has no alt text; a description that only repeats the post
    # would be read twice by a screen reader.
    text = "Road closure on Main Street tonight.\nUse King Street instead."
    photo = {"type": "photo", "media": {"image": {"src": "https://scontent.example/a.jpg"}}}
    repeated = {**photo, "description": "Road closure on Main Street tonight. Use King Street"}
    described = {**photo, "description": "A police car blocks Main Street at night."}
    posts = [
        {"id": "1_1", "message": text, "attachments": {"data": [repeated]}},
        {"id": "1_2", "message": text, "attachments": {"data": [described]}},
    ]
    first, second = read(dumps({"data": posts}))
    assert [m.alt for m in first.media] == [""]
    assert [m.alt for m in second.media] == ["A police car blocks Main Street at night."]
