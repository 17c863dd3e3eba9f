"""The site's archive read back: what the writer publishes is read into the same entries,
and what someone else wrote there is read as any feed is, or not at all."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from hub.feeds.drafts import MAX_ALT, MAX_ID, MAX_TITLE
from hub.feeds.jsonfeed import parse_json_feed
from hub.feeds.sitearchive import (
    FORMAT,
    MAX_ITEMS,
    ArchiveError,
    Harvest,
    feed_key,
    index_json,
    read_index,
    read_page,
)

SOURCE = "https://traffic.example/feed.xml"
SOURCES = {feed_key(SOURCE): SOURCE}
SEEN = "2026-11-20T08:00:00Z"


def page(*items: Any, **document: Any) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "T",
            "items": list(items),
            **document,
        }
    ).encode()


def ours(entry_id: str = "road-1", **fields: Any) -> dict[str, Any]:
    return {"feed": feed_key(SOURCE), "id": entry_id, "first_seen": SEEN, **fields}


def read(*items: Any, max_entries: int = 200) -> list[Any]:
    harvest = Harvest(10_000)
    harvest.add(read_page(page(*items), SOURCES))
    return harvest.entries(max_entries)


def test_an_item_becomes_the_entry_its_feed_gave() -> None:
    item = {
        "id": "urn:uuid:0f",
        "url": "https://traffic.example/road-1",
        "title": "Main Street closed",
        "content_html": "<p>Detour through <b>Elm</b>.</p>",
        "summary": "Detour through Elm.",
        "date_published": "2026-11-20T07:00:00Z",
        "date_modified": "2026-11-20T07:30:00Z",
        "tags": ["roads"],
        "language": "fr-CA",
        "authors": [{"name": "Traffic Unit"}, {"name": "Cst Ada"}],
        "_hub": ours(
            author="Cst Ada",
            summary="<p>Detour.</p>",
            media=[
                {"url": "https://img.example/a.jpg", "alt": "A detour sign", "type": "image/jpeg"}
            ],
        ),
    }
    [found] = read(item)
    entry = found.entry
    assert (entry.feed, entry.id) == (SOURCE, "road-1")
    assert found.first_seen == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert entry.title == "Main Street closed"
    assert entry.link == "https://traffic.example/road-1"
    assert entry.content == "<p>Detour through <b>Elm</b>.</p>"
    assert entry.summary == "<p>Detour.</p>"
    assert entry.published == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert entry.updated == datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
    assert entry.categories == ("roads",)
    assert entry.language == "fr-ca"
    assert entry.author == "Cst Ada"
    assert [(m.url, m.alt, m.type) for m in entry.media] == [
        ("https://img.example/a.jpg", "A detour sign", "image/jpeg")
    ]


def test_a_made_up_title_is_not_kept_and_the_page_language_is_not_the_posts() -> None:
    [found] = read(
        {"id": "x", "title": "Traffic on X", "content_text": "Hi", "_hub": ours(title="")}
    )
    assert found.entry.title == ""
    assert found.entry.language is None
    assert found.entry.author is None


def test_items_of_other_feeds_or_without_the_extension_are_left_out() -> None:
    items = [
        {"id": "a", "content_text": "no extension"},
        {"id": "b", "content_text": "another feed", "_hub": {**ours(), "feed": feed_key("x")}},
        {"id": "c", "content_text": "no id", "_hub": ours(entry_id="")},
        {"id": "d", "content_text": "an id that is no text", "_hub": ours(entry_id=7)},
        {"id": "e", "content_text": "an extension that is no object", "_hub": ["x"]},
        "not an item",
        {"id": "f", "content_text": "kept", "_hub": ours("kept")},
    ]
    parsed = read_page(page(*items), SOURCES)
    assert [draft.id for _, draft, _ in parsed.items] == ["kept"]
    assert parsed.skipped == 6


def test_hostile_text_is_sanitized_as_a_feeds_is() -> None:
    item = {
        "id": "x",
        "url": "javascript:alert(1)",
        "title": "<script>alert(2)</script>Title " + "T" * 100_000,
        "content_html": '<p onclick="a()">Hi<script>b()</script><a href="javascript:c()">l</a></p>',
        "tags": ["<b>ok</b>", {"no": "tag"}, 3],
        "_hub": ours(
            "i" * (MAX_ID + 1),
            author=["not", "text"],
            summary="<iframe src='https://evil.example'></iframe><p>kept</p>",
            media=[
                {"url": "javascript:alert(3)", "alt": "x"},
                {"url": "https://img.example/a.jpg", "alt": "y" * 10_000, "type": "text/html<"},
                "not a picture",
            ],
            first_seen="yesterday",
        ),
    }
    [found] = read(item)
    entry = found.entry
    assert entry.id.startswith("sha256:")
    assert entry.link is None
    # A JSON Feed title is text: shown escaped, as any feed's is, and cut to length.
    assert entry.title.startswith("<script>alert(2)</script>Title T")
    assert len(entry.title) <= MAX_TITLE
    # The same as the JSON Feed reader makes of the item in any feed.
    [foreign] = parse_json_feed(page(item), SOURCE, None, None).entries
    assert (entry.title, entry.content, entry.link, entry.categories) == (
        foreign.title,
        foreign.content,
        foreign.link,
        foreign.categories,
    )
    assert entry.content == '<p>Hi<a rel="nofollow noopener noreferrer">l</a></p>'
    assert entry.summary == "<p>kept</p>"
    assert entry.categories == ("<b>ok</b>",)  # text, as a tag in any JSON Feed
    assert entry.author is None
    [picture] = entry.media
    assert (picture.url, picture.type) == ("https://img.example/a.jpg", None)
    assert len(picture.alt) <= MAX_ALT
    assert found.first_seen is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"items": []}',
        b'{"version": "x", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}',
        b"[" * 100_000,
    ],
)
def test_a_page_that_is_no_json_feed_is_an_archive_error(body: bytes) -> None:
    with pytest.raises(ArchiveError):
        read_page(body, SOURCES)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("https://police.example/archive/units/traffic/2.json", "2.json"),
        ("https://elsewhere.example/x/17.json", "17.json"),
        ("https://police.example/archive/units/traffic/../secret.json", None),
        ("https://police.example/archive/units/traffic/2.json/", None),
        ("/etc/passwd", None),
        (["2.json"], None),
        ("https://p.example/" + "1" * 3000 + ".json", None),
    ],
)
def test_the_next_page_is_a_file_name_in_the_same_folder(
    next_url: Any, expected: str | None
) -> None:
    assert read_page(page(next_url=next_url), SOURCES).next == expected


def test_a_page_is_read_only_so_far() -> None:
    items = [
        {"id": str(n), "content_text": "t", "_hub": ours(str(n))} for n in range(MAX_ITEMS + 5)
    ]
    parsed = read_page(page(*items), SOURCES)
    assert len(parsed.items) == MAX_ITEMS


def test_a_harvest_keeps_each_feeds_newest_and_stops_when_full() -> None:
    items = [
        {
            "id": str(n),
            "content_text": f"post {n}",
            "date_published": f"2026-11-{n + 1:02d}T00:00:00Z",
            "_hub": ours(str(n)),
        }
        for n in range(5)
    ]
    assert [found.entry.id for found in read(*items, max_entries=2)] == ["3", "4"]
    harvest = Harvest(3)
    harvest.add(read_page(page(*items), SOURCES))
    assert (harvest.count, harvest.full) == (3, True)


def test_the_index_written_is_read_back() -> None:
    body = index_json(["archive/units/b/1.json", "archive/units/a/1.json"], ["f" * 64, "f" * 64])
    assert json.loads(body) == {
        "format": FORMAT,
        "archives": ["archive/units/a/1.json", "archive/units/b/1.json"],
        "resolved": ["f" * 64],
    }
    index = read_index(body)
    assert index.archives == ("archive/units/a/1.json", "archive/units/b/1.json")
    assert index.resolved == frozenset({"f" * 64})


def test_an_index_keeps_only_paths_inside_the_archive() -> None:
    archives = [
        "archive/units/a/1.json",
        "../archive/units/a/1.json",
        "archive/../../etc/passwd.json",
        "/archive/units/a/1.json",
        "archive/units/a/1.json",
        "https://evil.example/archive/1.json",
        "archive/units/a b/1.json",
        7,
    ]
    index = read_index(
        json.dumps({"format": 1, "archives": archives, "resolved": [1, "zz"]}).encode()
    )
    assert index.archives == ("archive/units/a/1.json",)
    assert index.resolved == frozenset()


@pytest.mark.parametrize("body", [b"{}", b'{"format": 2, "archives": []}', b"[]", b"nope"])
def test_an_index_of_another_format_is_an_archive_error(body: bytes) -> None:
    with pytest.raises(ArchiveError):
        read_index(body)
