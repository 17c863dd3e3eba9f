"""Tests for hub.feeds.connectors.instagram: IG Media answers of the Instagram Graph API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.feeds.connectors import graph, instagram, reader
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

PROFILE = "https://www.instagram.com/examplepolice/"

KINDS = st.sampled_from(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"]) | TEXT
CHILD = fields(id=TEXT, media_type=KINDS, media_url=TEXT, thumbnail_url=TEXT)
MEDIA = fields(
    id=TEXT,
    caption=TEXT,
    media_type=KINDS,
    media_url=TEXT,
    thumbnail_url=TEXT,
    permalink=TEXT,
    timestamp=TEXT,
    username=TEXT,
    children=edge(CHILD),
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
    return instagram.read(body, profile)


def cdn(path: str) -> str:
    return "https://scontent.cdninstagram.com/" + path


def test_the_platform_key_finds_this_reader() -> None:
    assert reader("instagram") is instagram.read


def test_an_image_a_video_and_albums() -> None:
    drafts = read(answer("instagram", "media.json"))
    assert drafts == [
        draft(
            id="17895695668004550",
            title="",
            summary=(
                "<p>Meet Constable Rivera and Ace, our newest dog team! 🐕</p>"
                "<p>Ace finished training last week.<br>#K9 #PoliceDogs #k9</p>"
            ),
            link="https://www.instagram.com/p/C9xYzAbCdEf/",
            published=utc("2026-11-02T14:05:00+00:00"),
            # Hashtags stay text, and the first of each (in any case) is a category.
            categories=("K9", "PoliceDogs"),
            media=(
                Media(
                    url=cdn(
                        "v/t51.29350-15/ace_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.com"
                    )
                ),
            ),
        ),
        # A video shows its thumbnail, never the video.
        draft(
            id="17895695668004551",
            title="",
            summary="<p>Winter tyres: when and why. Watch to the end.</p>",
            link="https://www.instagram.com/reel/C9xYzAbCdEg/",
            published=utc("2026-11-01T10:30:00+00:00"),
            media=(Media(url=cdn("v/t51.29350-15/tyres_thumb.jpg")),),
        ),
        # An album shows its first child.
        draft(
            id="17895695668004552",
            title="",
            summary=(
                "<p>Highlights from the open day. Thank you for coming!</p>"
                "<p>#OpenDay2026 #Community</p>"
            ),
            link="https://www.instagram.com/p/C9xYzAbCdEh/",
            published=utc("2026-10-30T16:00:00+00:00"),
            categories=("OpenDay2026", "Community"),
            media=(Media(url=cdn("v/t51.29350-15/open_day_1.jpg")),),
        ),
        # No caption; the first child is a video: its thumbnail.
        draft(
            id="17895695668004553",
            link="https://www.instagram.com/p/C9xYzAbCdEi/",
            published=utc("2026-10-29T08:00:00+00:00"),
            media=(Media(url=cdn("v/t51.29350-15/first_thumb.jpg")),),
        ),
    ]
    entries = finish(drafts, PROFILE, None)
    assert_inert(entries)
    assert entries[0].categories == ("K9", "PoliceDogs")
    assert entries[0].author == "examplepolice"
    assert all(media.alt == "" for entry in entries for media in entry.media)


def test_an_error_190_is_a_readable_feed_error() -> None:
    with pytest.raises(FeedError) as caught:
        read(answer("instagram", "error_190.json"))
    assert str(caught.value) == (
        "the API answered with an error: (#190) "
        "Invalid OAuth access token - Cannot parse access token"
    )


def test_hostile_values_give_clean_drafts_or_none() -> None:
    drafts = read_and_finish(instagram.read, answer("instagram", "hostile.json"), PROFILE)
    assert drafts is not None
    by_id = {d.id: d for d in drafts}
    assert list(by_id) == ["hostile-1", "17895695668004570", "hostile-3", "hostile-4", "hostile-5"]

    first = by_id["hostile-1"]
    assert first.summary == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href=&quot;javascript:alert(1)&quot;"
        "&gt;click&lt;/a&gt;<br>#&lt;b&gt;bold&lt;/b&gt; #ok&amp;#35;not a#tag</p>"
    )
    assert first.categories == ("ok",)
    assert first.link == PROFILE  # a permalink off Instagram
    assert first.media == ()  # a javascript: image
    assert first.author == "&lt;img src=x onerror=alert(1)&gt;"
    assert first.published == utc("2026-11-02T14:05:00+00:00")  # a space for the T

    numbered = by_id["17895695668004570"]
    assert (numbered.title, numbered.summary, numbered.author) == ("", "", "")
    assert numbered.link == "https://WWW.INSTAGRAM.COM/p/Upper/"
    assert numbered.media == ()  # a video whose thumbnail is an object: not the video
    assert numbered.published is None

    album = by_id["hostile-3"]
    assert album.categories == ("a", "b", "c", "d", "e")  # numbers are no hashtags; five
    assert album.link == PROFILE  # a user name in the permalink
    assert album.published is None  # out of range once in UTC
    assert album.media == (Media(url=cdn("lowercase-type.jpg")),)  # the first safe child

    lone = by_id["hostile-4"]
    assert lone.title == ""
    assert "Lone ? surrogate #t?ag" in lone.summary
    assert lone.media == (Media(url=cdn("thumb-?.jpg")),)  # media_type not text
    assert lone.published == utc("2026-11-02T19:05:00.123456+00:00")

    relative = by_id["hostile-5"]
    assert relative.link == "https://www.instagram.com/p/relative/"
    assert relative.media == ()


def test_without_a_profile() -> None:
    body = dumps({"data": [{"id": "1", "permalink": "/p/x/", "caption": "Hi"}]})
    [only] = read(body, None)
    assert (only.link, only.base) == (None, None)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"[1]",
        b'{"media": []}',
        b'{"data": null}',
        pytest.param(b"{" * 50_000, id="deep"),
    ],
)
def test_answers_that_are_not_ours(body: bytes) -> None:
    with pytest.raises(FeedError, match=r"^not an answer of the Instagram Graph API: "):
        read(body)


def test_captions_are_cut() -> None:
    caption = "#first " + "x" * (graph.MAX_TEXT * 2)
    [only] = read(dumps({"data": [{"id": "1", "caption": caption}]}))
    assert only.categories == ("first",)
    assert len(only.title) <= graph.TITLE_LIMIT
    assert len(only.summary) < graph.MAX_TEXT + 100


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_value_gives_drafts_or_a_feed_error(value: object) -> None:
    read_and_finish(instagram.read, dumps(value), PROFILE)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(answers(MEDIA), st.sampled_from([PROFILE, None, "javascript:alert(1)"]))
def test_answers_of_our_shape_give_inert_entries(value: object, profile: str | None) -> None:
    read_and_finish(instagram.read, dumps(value), profile)


def test_the_fixtures_are_the_documented_shape() -> None:
    documented = {
        "id",
        "caption",
        "media_type",
        "media_url",
        "thumbnail_url",
        "permalink",
        "timestamp",
        "username",
        "children",
    }
    for media in json.loads(answer("instagram", "media.json"))["data"]:
        assert set(media) <= documented
        for child in media.get("children", {}).get("data", []):
            assert set(child) <= {"id", "media_type", "media_url", "thumbnail_url"}
