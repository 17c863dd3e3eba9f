"""Tests for hub.feeds.connectors.threads: answers of the Threads API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.feeds.connectors import reader, threads
from hub.feeds.drafts import Draft, FeedError, finish
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

PROFILE = "https://www.threads.net/@examplepolice"

KINDS = (
    st.sampled_from(["TEXT_POST", "IMAGE", "VIDEO", "CAROUSEL_ALBUM", "AUDIO", "REPOST_FACADE"])
    | TEXT
)
POST = fields(
    id=TEXT,
    media_product_type=TEXT,
    media_type=KINDS,
    media_url=TEXT,
    permalink=TEXT,
    owner=fields(id=TEXT),
    username=TEXT,
    text=TEXT,
    timestamp=TEXT,
    shortcode=TEXT,
    thumbnail_url=TEXT,
    children=edge(fields(id=TEXT, media_type=KINDS, media_url=TEXT, thumbnail_url=TEXT)),
    is_quote_post=st.booleans(),
    alt_text=TEXT,
    link_attachment_url=TEXT,
)


def draft(**values: Any) -> Draft:
    defaults: dict[str, Any] = {
        "title": "",
        "summary": "",
        "content": "",
        "link": PROFILE,
        "published": None,
        "updated": None,
        "author": "examplepolice",
        "categories": (),
        "media": (),
        "language": None,
        "base": PROFILE,
    }
    return Draft(**(defaults | values))


def read(body: bytes, profile: str | None = PROFILE) -> list[Draft]:
    return threads.read(body, profile)


def cdn(path: str) -> str:
    return "https://scontent.cdninstagram.com/" + path


def test_the_platform_key_finds_this_reader() -> None:
    assert reader("threads") is threads.read


def test_a_profile_with_several_posts() -> None:
    drafts = read(answer("threads", "threads.json"))
    assert drafts == [
        draft(
            id="18050206876707110",
            title="",
            summary=(
                "<p>Power cut at the station: the front desk is closed until 16:00.<br>"
                "Call 101 for anything that is not an emergency. #Update</p>"
            ),
            link="https://www.threads.net/@examplepolice/post/DAbCdEfGhIj",
            published=utc("2026-11-02T14:05:00+00:00"),
            categories=("Update",),
        ),
        # threads.com is Threads too; alt_text is read when the request asks for it.
        draft(
            id="18050206876707111",
            title="",
            summary="<p>Our recruitment evening is on 12 November.</p>",
            link="https://www.threads.com/@examplepolice/post/DAbCdEfGhIk",
            published=utc("2026-11-01T11:00:00+00:00"),
            media=(
                Media(
                    url=cdn("v/t51.2885-15/poster.jpg"),
                    alt="Poster: recruitment evening, 12 November, 18:00, headquarters.",
                ),
            ),
        ),
        draft(
            id="18050206876707112",
            title="",
            summary="<p>How we search a building, in 60 seconds.</p>",
            link="https://www.threads.net/@examplepolice/post/DAbCdEfGhIl",
            published=utc("2026-10-31T09:30:00+00:00"),
            media=(Media(url=cdn("v/t51.2885-15/clip_thumb.jpg")),),
        ),
        # An album whose children are ids only: no picture.
        draft(
            id="18050206876707113",
            title="",
            summary="<p>Found property this week: is any of it yours?</p>",
            link="https://www.threads.net/@examplepolice/post/DAbCdEfGhIm",
            published=utc("2026-10-30T15:00:00+00:00"),
        ),
        # A quote post with an attached link, unwrapped from Threads' shim.
        draft(
            id="18050206876707114",
            title="",
            summary=(
                "<p>Worth reading before you buy a used car.</p>"
                '<p><a href="https://consumer.example/used-cars">'
                "https://consumer.example/used-cars</a></p>"
            ),
            link="https://www.threads.net/@examplepolice/post/DAbCdEfGhIn",
            published=utc("2026-10-29T08:00:00+00:00"),
        ),
        # The REPOST_FACADE, another account's post, is left out.
    ]
    assert_inert(finish(drafts, PROFILE, None))


def test_an_error_190_is_a_readable_feed_error_without_the_token() -> None:
    with pytest.raises(FeedError) as caught:
        read(answer("threads", "error_190.json"))
    assert str(caught.value) == (
        "the API answered with an error: (#190) Error validating access token: The session "
        "has been invalidated because the user changed their password. access_token=[hidden]"
    )


def test_hostile_values_give_clean_drafts_or_none() -> None:
    drafts = read_and_finish(threads.read, answer("threads", "hostile.json"), PROFILE)
    assert drafts is not None
    assert len(drafts) == 4  # a lower-case repost, an empty object and false are no posts
    first, listed, album, lone = drafts

    assert first.id == "hostile-1"
    assert first.title == ""
    assert first.summary == (
        "<p>&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;</p>"
        "<p>&lt;svg onload=alert(1)&gt;</p>"
    )
    assert first.link == PROFILE  # a look-alike host
    assert first.media == ()  # a javascript: image, its alt text with it
    assert first.published == utc("2026-11-02T14:05:00+00:00")

    assert listed.id.startswith("sha256:")  # a list as id
    assert listed.link == PROFILE  # an object as permalink
    assert listed.published is None  # +25:00 is no offset
    assert listed.media == (Media(url=cdn("unknown-type.jpg")),)  # alt text not text

    assert album.id == "hostile-3"
    assert album.summary == "<p>Children of every wrong type #ok</p>"  # a data: link dropped
    assert album.media == (Media(url=cdn("second-child.jpg")),)
    assert album.categories == ("ok",)

    assert lone.id == "hostile-5"
    assert lone.summary == "<p>\U000103ff?</p>"  # a pair is a character; the lone one is not
    assert lone.author == "?&lt;b&gt;"
    assert lone.published is None


@pytest.mark.parametrize(
    "body",
    [b"", b"true", b'{"threads": []}', b'{"data": "posts"}', b'{"data": {"0": {}}}'],
)
def test_answers_that_are_not_ours(body: bytes) -> None:
    with pytest.raises(FeedError, match=r"^not an answer of the Threads API: "):
        read(body)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_value_gives_drafts_or_a_feed_error(value: object) -> None:
    read_and_finish(threads.read, dumps(value), PROFILE)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(answers(POST), st.sampled_from([PROFILE, None, "javascript:alert(1)"]))
def test_answers_of_our_shape_give_inert_entries(value: object, profile: str | None) -> None:
    read_and_finish(threads.read, dumps(value), profile)


def test_the_fixtures_are_the_documented_shape() -> None:
    requested = {
        "id",
        "media_product_type",
        "media_type",
        "media_url",
        "permalink",
        "owner",
        "username",
        "text",
        "timestamp",
        "shortcode",
        "thumbnail_url",
        "children",
        "is_quote_post",
    }
    for post in json.loads(answer("threads", "threads.json"))["data"]:
        assert set(post) <= requested | {"alt_text", "link_attachment_url"}
