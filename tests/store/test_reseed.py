"""Re-seeding an empty store: the posts read back from the published archive written into a
real SQLite store, then fetched as usual from a real local feed server."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hub.feeds.sitearchive import Reseeded, feed_key, index_json, url_key
from hub.model import Entry
from hub.store.database import STORE_NAME, Store
from hub.store.reseed import RESEEDED, RESOLVED_SOURCE, reseed
from hub.store.update import update
from tests.feedserver import FeedServer
from tests.store.test_history import (
    AGE,
    APPEAL,
    NOW,
    OLD,
    ROAD,
    ROAD_EDITED,
    Post,
    make_registry,
    rss,
    url,
)

FIRST_SEEN = NOW - timedelta(hours=1)
SITE = "https://connect.lakeview.example/"


def published(feed: str, post: Post) -> Reseeded:
    """A post as the archive gives it back: its summary the excerpt, in a paragraph."""
    guid, title, text = post
    entry = Entry(
        feed=feed,
        id=url(guid),
        title=title,
        summary="",
        content=f"<p>{text}</p>",
        link=url(guid),
        published=NOW - timedelta(days=AGE[guid]),
    )
    return Reseeded(entry, FIRST_SEEN)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / STORE_NAME) as opened:
        yield opened


def test_an_empty_store_takes_the_posts_as_published(store: Store) -> None:
    feed = "https://traffic.example/feed.xml"
    assert store.is_empty()
    later = Reseeded(published(feed, OLD).entry, NOW + timedelta(days=1))
    unknown = Reseeded(published(feed, APPEAL).entry, None)
    written = store.reseed([published(feed, ROAD), later, unknown], [], now=NOW, origin=SITE)
    assert written == 3
    assert not store.is_empty()
    entries = {e.id: e for e in store.entries(now=NOW)}
    assert entries.keys() == {url("road"), url("old"), url("appeal")}
    # First sight as published, never later than now: the pages order and date them as before.
    assert entries[url("road")].first_seen == FIRST_SEEN
    assert entries[url("old")].first_seen == NOW
    assert entries[url("appeal")].first_seen == NOW
    events = store.history.events()
    assert {(e.id, e.event, e.at) for e in events} == {
        (url(guid), RESEEDED, NOW) for guid in ("road", "old", "appeal")
    }
    assert {e.reason for e in events} == {f"re-seeded from the published site {SITE}"}


def test_a_store_that_is_not_empty_is_left_alone(store: Store) -> None:
    feed = "https://traffic.example/feed.xml"
    store.record_success(feed, [], now=NOW, etag=None, last_modified=None, content_hash=None)
    assert store.is_empty()  # a feed fetched empty: still nothing to show
    store.record_success(
        feed,
        [published(feed, OLD).entry],
        now=NOW,
        etag=None,
        last_modified=None,
        content_hash=None,
    )
    assert not store.is_empty()
    assert store.reseed([published(feed, ROAD)], [url("x")], now=NOW, origin=SITE) == 0
    assert [e.id for e in store.entries()] == [url("old")]
    assert store.withdrawn() == {}


def test_a_withdrawn_entry_alone_is_not_an_empty_store(store: Store) -> None:
    store.reseed([], ["https://x.com/a/status/1"], now=NOW, origin=SITE)
    assert not store.is_empty()


def test_resolved_appeal_posts_are_withdrawn_entries_no_page_shows(store: Store) -> None:
    post = "https://x.com/LakeviewPolice/status/42"
    assert store.reseed([], [post], now=NOW, origin=SITE) == 0
    assert store.withdrawn() == {post: NOW}
    assert store.entries() == []
    assert store.history.events() == []


def test_no_trail_when_the_site_keeps_none(store: Store) -> None:
    feed = "https://traffic.example/feed.xml"
    store.reseed([published(feed, ROAD)], [], now=NOW, origin=SITE, keep_history=False)
    assert store.history.events() == []


def test_then_the_feed_updates_and_withdraws_as_usual(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed = feed_server.url("/traffic.xml")
    registry = make_registry(tmp_path, feed)
    path = tmp_path / "cache" / STORE_NAME
    with Store.open(path) as store:
        store.reseed([published(feed, p) for p in (ROAD, APPEAL, OLD)], [], now=NOW, origin=SITE)

    def run(at: datetime, status: int = 200, *posts: Post) -> None:
        feed_server.route("/traffic.xml", status=status, body=rss(*posts))
        with Store.open(path) as store:
            update(registry, store, now=at)

    # The feed fails: the re-seeded posts stay.
    run(NOW + timedelta(hours=1), 500)
    with Store.open(path) as store:
        assert len(store.entries()) == 3
    # It answers without the appeal (deleted meanwhile) and with the road post as the feed
    # writes it: the appeal is withdrawn; the road post's form is not an edit.
    run(NOW + timedelta(hours=2), 200, ROAD, OLD)
    # Then a real edit.
    run(NOW + timedelta(hours=3), 200, ROAD_EDITED, OLD)
    with Store.open(path) as store:
        events = [(e.event, e.id.rsplit("/", 1)[-1]) for e in store.history.events()]
        first_seen = {e.id: e.first_seen for e in store.entries()}
    assert events == [
        (RESEEDED, "old"),
        (RESEEDED, "appeal"),
        (RESEEDED, "road"),
        ("withdrawn", "appeal"),
        ("edited", "road"),
    ]
    assert first_seen == {url("road"): FIRST_SEEN, url("old"): FIRST_SEEN}


def test_reseed_reads_a_folder_and_keeps_appeals_resolved(tmp_path: Path) -> None:
    feed = "https://traffic.example/feed.xml"
    registry = make_registry(tmp_path, feed)
    site = tmp_path / "public"
    (site / "archive/units/traffic").mkdir(parents=True)
    resolved = "https://x.com/LakeviewPolice/status/42"
    other = "https://x.com/LakeviewPolice/status/43"
    (site / "archive/index.json").write_bytes(
        index_json(["archive/units/traffic/1.json"], [url_key("x.com/LakeviewPolice/status/42")])
    )
    (site / "archive/units/traffic/1.json").write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "items": ['
        '{"id": "u1", "content_text": "Road closed", "date_published": "2026-03-01T08:00:00Z",'
        ' "_hub": {"feed": "'
        + feed_key(feed)
        + '", "id": "road", "first_seen": "2026-03-01T08:05:00Z"}}]}',
        encoding="utf-8",
    )
    appeals = {url_key("x.com/LakeviewPolice/status/42"): resolved, url_key("x.com/b"): other}
    with Store.open(tmp_path / STORE_NAME) as store:
        report = reseed(store, registry, str(site), appeals, now=NOW)
        assert [e.id for e in store.entries()] == ["road"]
        assert store.withdrawn() == {resolved: NOW}
        assert [e.feed for e in store.entries()] == [feed]
    assert (report.posts, report.accounts, report.resolved, report.documents) == (1, 1, 1, 2)
    assert report.line == (
        f"the store was empty: re-seeded from {site} with 1 post of 1 account, "
        "1 appeal kept resolved"
    )
    with Store.open(tmp_path / STORE_NAME) as store:
        # Under a name of their own, which no feed of the registry has.
        assert store.feed_state(RESOLVED_SOURCE) is None


def test_no_archive_is_said_in_one_line(tmp_path: Path) -> None:
    registry = make_registry(tmp_path, "https://traffic.example/feed.xml")
    with Store.open(tmp_path / STORE_NAME) as store:
        report = reseed(store, registry, str(tmp_path), {}, now=NOW)
        assert store.is_empty()
    assert report.posts == 0
    assert report.line.startswith(f"the store is empty; not re-seeded from {tmp_path}: no archive")
