"""The audit trail in the store: real fetches from a local server into a real SQLite file.

A post is edited and deleted by changing what the feed server serves, and
``hub fetch``'s own update (:func:`hub.store.update.update`) stores it, as a
scheduled run would; the trail is then read back through
:class:`hub.store.history.History`, also opened read-only as ``hub audit``
opens it. Curation events (``record_screening``) are written as a published
build writes them; tests/test_audit_trail.py has them from real builds.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.model import Registry
from hub.registry import load as registry
from hub.store.database import STORE_NAME, Store
from hub.store.history import SINCE_STEP, History, Screening
from hub.store.opening import StoreError
from hub.store.update import update
from tests.feedserver import FeedServer
from tests.oldstore import as_schema

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Post = tuple[str, str, str]
"""guid, title, text."""

ROAD = ("road", "Main Street closed", "Detour through Elm Avenue until noon.")
ROAD_EDITED = ("road", "Main Street closed", "Detour through Oak Street until noon.")
APPEAL = ("appeal", "Missing person", "Have you seen Rowan Quillfeather?")
OLD = ("old", "Bike registration", "Register your bike at any station.")


def url(guid: str) -> str:
    """A post's address, which is also its id."""
    return f"https://traffic.example/{guid}"


AGE = {"road": 1, "appeal": 2, "old": 3}
"""Days before NOW each post was published: the same whatever else the feed holds."""


def rss(*posts: Post) -> bytes:
    """An RSS feed of ``posts``, newest first."""
    items = "".join(
        f"<item><guid>https://traffic.example/{guid}</guid><title>{title}</title>"
        f"<link>https://traffic.example/{guid}</link>"
        f"<pubDate>{(NOW - timedelta(days=AGE[guid])):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"<description>{text}</description></item>"
        for guid, title, text in posts
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Traffic</title>'
        f"<link>https://traffic.example/</link>{items}</channel></rss>"
    ).encode()


def make_registry(tmp_path: Path, feed: str, keep_days: int | None = None) -> Registry:
    (tmp_path / "themes" / "default").mkdir(parents=True, exist_ok=True)
    audit = f"  audit: {{keep_days: {keep_days}}}\n" if keep_days is not None else ""
    (tmp_path / "sources.yaml").write_text(
        "site:\n"
        "  name: Lakeview Police\n"
        "  url: https://connect.lakeview.example\n"
        "  languages: [en]\n"
        '  contact: {emergency: "911"}\n'
        "  fetch: {allow_private_addresses: true, total_timeout: 5, read_timeout: 2,"
        " connect_timeout: 2}\n"
        f"{audit}"
        "units:\n"
        "  - id: traffic\n"
        "    name: Traffic Services\n"
        "    kind: unit\n"
        "    accounts:\n"
        f"      - {{platform: website, url: 'https://traffic.example/', feed: '{feed}'}}\n",
        encoding="utf-8",
    )
    return registry.load(tmp_path / "sources.yaml").registry


class Service:
    """One feed on the local server, and the store scheduled runs fill from it."""

    def __init__(self, tmp_path: Path, server: FeedServer, keep_days: int | None = None) -> None:
        self.server = server
        self.feed = server.url("/traffic.xml")
        self.registry = make_registry(tmp_path, self.feed, keep_days)
        self.path = tmp_path / "cache" / STORE_NAME

    def run(self, at: datetime, *posts: Post) -> None:
        """The feed serves ``posts`` now; a scheduled run at ``at`` fetches it."""
        self.server.route("/traffic.xml", body=rss(*posts))
        with Store.open(self.path) as store:
            report = update(self.registry, store, now=at)
        assert report.counts.keys() <= {"ok", "not_modified"}, report.outcomes

    def events(self) -> list[tuple[datetime, str, str, str | None]]:
        with Store.open(self.path) as store:
            found = store.history.events()
        return [(e.at, e.event, e.id.rsplit("/", 1)[-1], e.summary) for e in found]


def stored_ids(service: Service) -> set[str]:
    """Every entry the store holds, withdrawn or not."""
    with sqlite3.connect(service.path) as db:
        return {row[0] for row in db.execute("SELECT id FROM entries")}


@pytest.fixture
def service(tmp_path: Path, feed_server: FeedServer) -> Service:
    return Service(tmp_path, feed_server)


def test_an_edit_keeps_the_earlier_text_and_a_deletion_the_last(service: Service) -> None:
    first, edit, gone, back = (NOW + timedelta(hours=h) for h in (0, 1, 2, 3))
    service.run(first, ROAD, APPEAL, OLD)
    service.run(edit, ROAD_EDITED, APPEAL, OLD)
    service.run(gone, ROAD_EDITED, OLD)  # the appeal deleted on the platform
    service.run(back, ROAD_EDITED, APPEAL, OLD)

    assert service.events() == [
        (first, "first_seen", "road", ROAD[2]),
        (first, "first_seen", "appeal", APPEAL[2]),
        (first, "first_seen", "old", OLD[2]),
        (edit, "edited", "road", ROAD[2]),  # the text before the edit
        (gone, "withdrawn", "appeal", APPEAL[2]),
        (back, "restored", "appeal", APPEAL[2]),
    ]
    with Store.open(service.path) as store:
        (road,) = [e for e in store.entries() if e.id == url("road")]
        (edited,) = [e for e in store.history.events() if e.event == "edited"]
    assert road.summary == ROAD_EDITED[2]  # the entries table has the text after it
    assert edited.link == "https://traffic.example/road"
    assert (edited.source, edited.title, edited.reason) == (service.feed, ROAD[1], None)
    assert edited.published == NOW - timedelta(days=1)


def test_an_unchanged_feed_and_a_post_aging_out_record_nothing(service: Service) -> None:
    service.run(NOW, ROAD, APPEAL, OLD)
    service.run(NOW + timedelta(hours=1), ROAD, APPEAL, OLD)
    # Only the oldest post leaves the feed: it aged out, it was not deleted.
    service.run(NOW + timedelta(hours=2), ROAD, APPEAL)
    assert [event for _, event, _, _ in service.events()] == ["first_seen"] * 3


def test_a_withdrawn_post_the_store_forgets_stays_in_the_trail(service: Service) -> None:
    service.run(NOW, ROAD, APPEAL, OLD)
    service.run(NOW + timedelta(hours=1), ROAD, OLD)
    # Withdrawn entries are deleted 30 days on; the trail keeps the post.
    service.run(NOW + timedelta(days=31), ROAD_EDITED, OLD)
    assert stored_ids(service) == {url("road"), url("old")}
    assert ("withdrawn", "appeal", APPEAL[2]) in [e[1:] for e in service.events()]


def test_history_older_than_keep_days_is_pruned_when_the_store_is_updated(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    service = Service(tmp_path, feed_server, keep_days=10)
    service.run(NOW, ROAD, APPEAL, OLD)
    service.run(NOW + timedelta(days=5), ROAD_EDITED, APPEAL, OLD)
    assert len(service.events()) == 4
    # Eleven days on, the first sightings are past keep_days; the edit is not.
    later = NOW + timedelta(days=11)
    service.run(later, ROAD_EDITED, APPEAL, OLD)
    assert service.events() == [(NOW + timedelta(days=5), "edited", "road", ROAD[2])]
    service.run(NOW + timedelta(days=16), ROAD_EDITED, APPEAL, OLD)
    assert service.events() == []


def test_keep_days_0_keeps_no_history(tmp_path: Path, feed_server: FeedServer) -> None:
    service = Service(tmp_path, feed_server, keep_days=0)
    service.run(NOW, ROAD, APPEAL, OLD)
    service.run(NOW + timedelta(hours=1), ROAD_EDITED, OLD)
    assert service.events() == []
    with Store.open(service.path) as store:
        assert {e.id for e in store.entries()} == {url("road"), url("old")}
        store.history.record_screening(
            [Screening(service.feed, url("road"), "hidden", "CC-1")], now=NOW, keep_days=0
        )
        assert store.history.events() == []
        assert store.history.screened() == {(service.feed, url("road")): "hidden"}


def test_curation_events_follow_the_screened_record(service: Service) -> None:
    service.run(NOW, ROAD, APPEAL, OLD)
    feed = service.feed
    with Store.open(service.path) as store:
        trail = store.history
        trail.record_screening(
            [
                Screening(feed, url("road"), "hidden", "CC-1"),
                Screening(feed, url("appeal"), "held", "x"),
            ],
            now=NOW + timedelta(hours=1),
            keep_days=730,
        )
        assert trail.screened() == {(feed, url("road")): "hidden", (feed, url("appeal")): "held"}
        trail.record_screening(
            [Screening(feed, url("appeal"), "approved", "approve: lists it")],
            now=NOW + timedelta(hours=2),
            keep_days=730,
        )
        assert trail.screened() == {(feed, url("road")): "hidden"}
        events = trail.events(since=NOW + timedelta(minutes=1))
    assert [(e.event, e.id, e.reason, e.summary) for e in events] == [
        ("hidden", url("road"), "CC-1", ROAD[2]),
        ("held", url("appeal"), "x", APPEAL[2]),
        ("approved", url("appeal"), "approve: lists it", APPEAL[2]),
    ]


def test_the_record_of_a_post_the_store_forgot_goes_with_it(service: Service) -> None:
    service.run(NOW, ROAD, APPEAL, OLD)
    with Store.open(service.path) as store:
        store.history.record_screening(
            [Screening(service.feed, url("appeal"), "hidden", "CC-1")], now=NOW, keep_days=730
        )
    service.run(NOW + timedelta(hours=1), ROAD, OLD)
    service.run(NOW + timedelta(days=31), ROAD_EDITED, OLD)  # the withdrawn appeal is deleted
    assert stored_ids(service) == {url("road"), url("old")}
    with Store.open(service.path) as store:
        store.history.record_screening([], now=NOW + timedelta(days=31), keep_days=730)
        assert store.history.screened() == {}


def test_the_trail_changes_nothing_the_site_shows(service: Service) -> None:
    """The revision (what makes a build work again) ignores the trail's writes."""
    service.run(NOW, ROAD, APPEAL, OLD)
    later = NOW + timedelta(days=40)
    with Store.open(service.path) as store:
        before = store.revision(later)
        store.history.record_screening(
            [Screening(service.feed, url("road"), "hidden", "CC-1")], now=later, keep_days=730
        )
        store.history.prune(later + timedelta(days=2), 1)
        assert store.revision(later) == before
        assert store.history.events() == []


def test_events_are_filtered_by_time_and_source(service: Service) -> None:
    service.run(NOW, ROAD, APPEAL, OLD)
    service.run(NOW + timedelta(hours=1), ROAD_EDITED, APPEAL, OLD)
    with Store.open(service.path) as store:
        trail = store.history
        assert len(trail.events(since=NOW)) == 4
        assert [e.event for e in trail.events(since=NOW + timedelta(minutes=1))] == ["edited"]
        assert len(trail.events(until=NOW + timedelta(hours=1))) == 3
        assert len(trail.events(sources={service.feed})) == 4
        assert trail.events(sources={"https://elsewhere.example/feed"}) == []


def test_only_added_says_whether_the_posts_only_grew_after_a_moment(service: Service) -> None:
    edit = NOW + timedelta(hours=2)
    service.run(NOW, ROAD, APPEAL)
    service.run(NOW + timedelta(hours=1), ROAD, APPEAL, OLD)  # a post added
    with Store.open(service.path) as store:
        assert store.history.only_added(NOW)
    service.run(edit, ROAD_EDITED, APPEAL, OLD)
    with Store.open(service.path) as store:
        assert not store.history.only_added(NOW)
        assert not store.history.only_added(edit - timedelta(microseconds=1))
        assert store.history.only_added(edit)  # after the moment itself: nothing since


def test_hub_audit_reads_the_store_without_writing_it(service: Service) -> None:
    service.run(NOW, ROAD, APPEAL, OLD)
    store_bytes = service.path.read_bytes()
    trail = History.read_only(service.path)
    try:
        assert len(trail.events()) == 3
        with pytest.raises(StoreError, match="readonly"):
            trail.prune(NOW + timedelta(days=1000), 1)
    finally:
        trail.close()
    assert service.path.read_bytes() == store_bytes


def test_hub_audit_reads_while_a_run_writes(service: Service) -> None:
    service.run(NOW, ROAD, APPEAL, OLD)
    writer = sqlite3.connect(service.path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM history")
        trail = History.read_only(service.path)
        try:
            assert len(trail.events()) == 3  # the run's write is not committed yet
        finally:
            trail.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_reading_a_missing_or_older_store_says_so(tmp_path: Path, service: Service) -> None:
    with pytest.raises(StoreError, match="no store here yet"):
        History.read_only(tmp_path / "nowhere" / STORE_NAME)
    assert not (tmp_path / "nowhere").exists()
    service.run(NOW, ROAD)
    as_schema(service.path, SINCE_STEP - 1)
    with pytest.raises(StoreError, match="no audit trail yet"):
        History.read_only(service.path)
    # The next run upgrades the store, and the trail starts.
    service.run(NOW + timedelta(hours=1), ROAD_EDITED)
    assert [e[1] for e in service.events()] == ["edited"]
