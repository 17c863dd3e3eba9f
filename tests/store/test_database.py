"""Tests for hub.store.database: a real SQLite file, and real processes killed mid-write."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.feeds import posttext
from hub.feeds.holds import HostHold
from hub.model import Entry, Media
from hub.store.database import Store
from hub.store.opening import (
    MMAP_BYTES,
    STORE_NAME,
    StoreDamaged,
    StoreError,
    StoreTooNew,
    recover,
    set_aside,
)
from hub.store.rules import BACKOFF_BASE, BACKOFF_CAP, StoreChange
from hub.store.schema import MIGRATIONS
from tests.oldstore import as_schema

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
FEED = "https://example.org/feed.xml"
OTHER = "feeds/other.xml"
HOLDS_STEP = 8
"""The schema step that added the host_holds table."""


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def entry(entry_id: str, published: datetime | None = None, **fields: Any) -> Entry:
    fields.setdefault("title", f"Post {entry_id}")
    return Entry(feed=FEED, id=entry_id, published=published, **fields)


def ids(entries: list[Entry]) -> list[str]:
    return [e.id for e in entries]


def success(
    store: Store, entries: list[Entry], now: datetime, source: str = FEED, **kw: Any
) -> StoreChange:
    kw.setdefault("etag", None)
    kw.setdefault("last_modified", None)
    kw.setdefault("content_hash", None)
    return store.record_success(source, entries, now=now, **kw)


def raw_row(path: Path, source: str, entry_id: str) -> sqlite3.Row | None:
    """Read an entry's bookkeeping columns straight from the file."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return db.execute(
            "SELECT first_seen, last_seen, withdrawn_at FROM entries WHERE source=? AND id=?",
            (source, entry_id),
        ).fetchone()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / STORE_NAME


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    with Store.open(path, rng=random.Random(7)) as opened:
        yield opened


# Opening


def test_open_creates_folder_schema_and_wal(path: Path) -> None:
    with Store.open(path) as store:
        assert store.feed_states() == {}
        assert store.entries() == []
        # Not through a memory map, which would keep every page read resident.
        assert store._db.execute("PRAGMA mmap_size").fetchone()[0] == MMAP_BYTES == 0
    assert path.is_file()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema")}
    assert {"feeds", "entries", "entries_latest", "entries_by_source", "media"} <= tables


def test_reopen_keeps_data(path: Path) -> None:
    with Store.open(path) as store:
        success(store, [entry("a", at(0))], at(1))
    with Store.open(path) as store:
        assert ids(store.entries()) == ["a"]


def filled(path: Path) -> None:
    """A store with a couple of hundred entries, closed."""
    with Store.open(path) as store:
        success(store, [entry(f"e{n}", at(n), summary="x" * 500) for n in range(200)], at(300))


def test_garbage_file_is_damaged(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"<html>this is not a database</html>\n" * 200)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(path)
    assert str(caught.value) == f"{path}: the store is damaged: it is not an SQLite database"
    assert isinstance(caught.value, StoreError)


def test_trashed_pages_are_damage(path: Path) -> None:
    filled(path)
    data = bytearray(path.read_bytes())
    # Keep the 100-byte header so SQLite recognizes the file, then trash the pages.
    data[100:] = b"\xa5" * (len(data) - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreDamaged) as caught, Store.open(path) as store:
        store.entries()
    assert str(caught.value).startswith(f"{path}: the store is damaged: ")


def test_damage_found_by_a_query_is_damage(path: Path) -> None:
    filled(path)
    with sqlite3.connect(path) as db:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    # The entries table's first page only: opening reads the schema, not every page.
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
    with Store.open(path) as store, pytest.raises(StoreDamaged, match="malformed"):
        store.entries()


def test_a_truncated_store_is_damaged(path: Path) -> None:
    filled(path)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size // 2)
    with pytest.raises(StoreDamaged, match=f"it is cut short: {size // 2} bytes of the {size}"):
        Store.open(path)


def test_another_programs_database_is_damage_not_a_store(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(StoreDamaged, match="it holds notes, not a hub store"):
        Store.open(path)


def test_a_store_missing_a_table_is_damaged(path: Path) -> None:
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE media")
        db.execute("DROP TRIGGER entries_updated")
    with pytest.raises(StoreDamaged) as caught:
        Store.open(path)
    assert f"not those of schema {len(MIGRATIONS)}: missing entries_updated, media" in str(
        caught.value
    )


def test_an_older_store_is_upgraded_not_damaged(path: Path) -> None:
    filled(path)
    as_schema(path, 1)
    with Store.open(path) as store:
        assert len(store.entries()) == 200


def test_store_from_a_newer_version_is_refused(path: Path) -> None:
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreTooNew, match="newer version") as caught:
        Store.open(path)
    assert not isinstance(caught.value, StoreDamaged)
    assert "left as it is" in str(caught.value)


def test_recover_sets_a_damaged_store_aside_with_its_log(path: Path) -> None:
    filled(path)
    data = path.read_bytes()
    path.write_bytes(b"\0" * len(data))
    Path(f"{path}-wal").write_bytes(b"log")
    Path(f"{path}-shm").write_bytes(b"index")
    recovered = recover(path, datetime(2026, 12, 7, 14, 5, 1, tzinfo=UTC))
    assert recovered is not None
    assert recovered.reason == "it is not an SQLite database"
    assert recovered.kept == path.with_name("store.sqlite3.damaged-20261207T140501Z")
    assert recovered.kept.read_bytes() == b"\0" * len(data)
    assert Path(f"{recovered.kept}-wal").read_bytes() == b"log"
    assert Path(f"{recovered.kept}-shm").read_bytes() == b"index"
    assert not path.exists()
    assert not Path(f"{path}-wal").exists()
    with Store.open(path) as store:
        assert store.entries() == []


def test_recover_leaves_a_whole_or_newer_store_alone(path: Path) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    assert recover(path, now) is None  # none yet: a fresh one is made
    filled(path)
    assert recover(path, now) is None
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreTooNew):
        recover(path, now)
    assert path.is_file()
    assert [p.name for p in path.parent.iterdir() if "damaged" in p.name] == []


def test_set_aside_never_overwrites_an_earlier_damaged_copy(path: Path) -> None:
    now = datetime(2026, 12, 7, 14, 5, 1, tzinfo=UTC)
    path.parent.mkdir(parents=True)
    for n in range(3):
        path.write_bytes(f"copy {n}".encode())
        set_aside(path, now)
    kept = sorted(path.parent.iterdir())
    assert [p.name for p in kept] == [
        "store.sqlite3.damaged-20261207T140501Z",
        "store.sqlite3.damaged-20261207T140501Z-2",
        "store.sqlite3.damaged-20261207T140501Z-3",
    ]
    assert [p.read_bytes() for p in kept] == [b"copy 0", b"copy 1", b"copy 2"]


def test_directory_in_the_way_is_a_clear_error(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(StoreError, match=f"{path}: cannot open the store: it is a folder"):
        Store.open(path)


def test_a_file_in_place_of_the_cache_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder")
    with pytest.raises(StoreError, match=f"{tmp_path / 'cache'} is a file, not a folder"):
        Store.open(tmp_path / "cache" / STORE_NAME)


# record_success


def test_entries_round_trip_every_field(store: Store) -> None:
    original = Entry(
        feed=FEED,
        id="tag:example.org,2024:1",
        title="Missing person: Jane <Doe>",
        summary="<p>Have you seen her?</p>",
        content="<p>Long text, école</p>",
        link="https://example.org/posts/1",
        published=at(0),
        updated=at(3),
        author="Const. Smith",
        categories=("appeal", "missing"),
        media=(Media("https://example.org/a.jpg", "Jane", "image/jpeg"), Media("https://x/b")),
        language="fr",
    )
    change = success(store, [original], at(10))
    assert change == StoreChange(new=1, updated=0, withdrawn=0, pruned=0)
    [back] = store.entries()
    assert back == original
    assert back.published is not None and back.published.tzinfo is not None
    assert back.published.utcoffset() == timedelta(0)


# An entry's texts (hub.feeds.posttext), saved with it


def test_a_saved_entry_comes_back_with_its_texts(store: Store) -> None:
    saved = entry("a", at(0), summary="<p>Road <b>closed</b></p>")
    success(store, [saved], at(1))
    [back] = store.entries()
    assert back.texts == posttext.texts(saved) == ("Road closed", "post a road closed")


def test_an_edited_entry_gets_new_texts(store: Store) -> None:
    success(store, [entry("a", at(0), summary="<p>Road closed</p>")], at(1))
    success(store, [entry("a", at(0), summary="<p>Road open</p>")], at(2))
    [back] = store.entries()
    assert back.texts == ("Road open", "post a road open")


def test_texts_made_by_another_version_are_forgotten_then_made_again(path: Path) -> None:
    saved = entry("a", at(0), summary="<p>Road closed</p>")
    with Store.open(path) as store:
        success(store, [saved], at(1))
        revision = store.revision(at(2))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE derived SET texts = ?", (posttext.VERSION + 1,))
        db.execute("UPDATE entries SET excerpt = 'made by other rules'")
    with Store.open(path) as store:
        assert [e.texts for e in store.entries()] == [None]
        # What the entries say did not change: a build need not think otherwise.
        assert store.revision(at(2)) == revision
        success(store, [saved], at(3))
        assert [e.texts for e in store.entries()] == [posttext.texts(saved)]


def test_a_store_from_before_texts_were_kept_gets_them_at_the_next_fetch(path: Path) -> None:
    saved = entry("a", at(0), summary="<p>Road closed</p>")
    with Store.open(path) as store:
        success(store, [saved], at(1))
    as_schema(path, 3)
    with Store.open(path) as store:
        assert [e.texts for e in store.entries()] == [None]
        success(store, [saved], at(2))
        assert [e.texts for e in store.entries()] == [posttext.texts(saved)]


def test_datetimes_in_other_zones_come_back_as_utc(store: Store) -> None:
    eastern = datetime(2024, 5, 1, 8, 0, tzinfo=__import__("zoneinfo").ZoneInfo("America/Toronto"))
    success(store, [entry("a", eastern)], at(60))
    [back] = store.entries()
    assert back.published == at(0)
    assert back.published is not None and back.published.tzinfo == UTC


def test_existing_entry_keeps_first_seen_and_updates_fields(store: Store, path: Path) -> None:
    success(store, [entry("a", at(0)), entry("b", at(1))], at(10))
    change = success(store, [entry("a", at(0), title="Edited"), entry("b", at(1))], at(20))
    assert change == StoreChange(new=0, updated=1, withdrawn=0, pruned=0)
    row = raw_row(path, FEED, "a")
    assert row is not None
    assert row["first_seen"] == at(10).isoformat(timespec="microseconds")
    assert row["last_seen"] == at(20).isoformat(timespec="microseconds")
    assert {e.id: e.title for e in store.entries()} == {"a": "Edited", "b": "Post b"}


def test_same_id_twice_in_one_fetch_is_stored_once(store: Store) -> None:
    change = success(store, [entry("a", at(1), title="first"), entry("a", at(0))], at(10))
    assert change.new == 1
    assert [(e.id, e.title) for e in store.entries()] == [("a", "first")]


def test_entries_are_stored_under_the_source_given(store: Store) -> None:
    success(store, [entry("a", at(0))], at(10), source=OTHER)
    assert [e.feed for e in store.entries()] == [OTHER]
    assert store.counts() == {OTHER: 1}


def test_write_that_fails_midway_leaves_nothing(store: Store) -> None:
    success(store, [entry("old", at(0))], at(5), content_hash="one")
    unbindable = entry("bad", at(2), author=object())  # type: ignore[arg-type]
    with pytest.raises(sqlite3.Error):
        success(store, [entry("new", at(3)), unbindable], at(10), content_hash="two")
    assert ids(store.entries()) == ["old"]
    state = store.feed_state(FEED)
    assert state is not None
    assert state.content_hash == "one"
    assert state.last_success == at(5)


# Withdrawal


def test_missing_newer_entry_is_withdrawn_and_older_one_aged_out(store: Store, path: Path) -> None:
    success(store, [entry(n, at(i)) for i, n in enumerate(["old", "mid", "appeal", "new"])], at(10))
    # The feed now starts at "mid": "appeal" was deleted, "old" merely scrolled off.
    change = success(store, [entry("mid", at(1)), entry("new", at(3))], at(20))
    assert change.withdrawn == 1
    assert ids(store.entries()) == ["new", "mid", "old"]
    row = raw_row(path, FEED, "appeal")
    assert row is not None
    assert row["withdrawn_at"] == at(20).isoformat(timespec="microseconds")


def test_withdrawn_entry_that_reappears_comes_back(store: Store) -> None:
    success(store, [entry("a", at(0)), entry("b", at(1)), entry("c", at(2))], at(10))
    success(store, [entry("a", at(0)), entry("c", at(2))], at(20))
    assert ids(store.entries()) == ["c", "a"]
    change = success(store, [entry("a", at(0)), entry("b", at(1)), entry("c", at(2))], at(30))
    assert change == StoreChange(new=0, updated=1, withdrawn=0, pruned=0)
    assert ids(store.entries()) == ["c", "b", "a"]


def test_empty_fetch_withdraws_nothing(store: Store) -> None:
    success(store, [entry("a", at(0)), entry("b", at(1))], at(10))
    change = success(store, [], at(20))
    assert change == StoreChange(new=0, updated=0, withdrawn=0, pruned=0)
    assert ids(store.entries()) == ["b", "a"]


def test_undated_entries_are_compared_by_first_seen(store: Store) -> None:
    success(store, [entry("early")], at(0))
    success(store, [entry("early"), entry("deleted")], at(10))
    # The fetch's oldest entry was first seen at 0; "deleted" (first seen at 10) is newer.
    change = success(store, [entry("early"), entry("later")], at(20))
    assert change.withdrawn == 1
    assert ids(store.entries()) == ["later", "early"]


# Retention


def test_only_the_newest_max_entries_are_kept(store: Store) -> None:
    success(store, [entry(f"e{n}", at(n)) for n in range(5)], at(10), max_entries=5)
    change = success(store, [entry(f"e{n}", at(n)) for n in range(5, 8)], at(20), max_entries=5)
    assert change.new == 3
    assert change.pruned == 3
    assert ids(store.entries()) == ["e7", "e6", "e5", "e4", "e3"]
    assert store.counts() == {FEED: 5}


def test_withdrawn_entries_are_deleted_after_30_days(store: Store, path: Path) -> None:
    success(store, [entry("a", at(0)), entry("gone", at(1)), entry("c", at(2))], at(10))
    success(store, [entry("a", at(0)), entry("c", at(2))], at(20))
    assert raw_row(path, FEED, "gone") is not None
    change = success(store, [entry("a", at(0)), entry("c", at(2))], at(20) + timedelta(days=29))
    assert change.pruned == 0
    change = success(store, [entry("a", at(0)), entry("c", at(2))], at(21) + timedelta(days=30))
    assert change.pruned == 1
    assert raw_row(path, FEED, "gone") is None


def test_max_entries_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError, match="max_entries"):
        success(store, [entry("a", at(0))], at(1), max_entries=0)


# Feed state


def test_success_resets_errors_and_stores_validators(store: Store) -> None:
    store.record_failure(FEED, "HTTP 500", now=at(0))
    store.record_failure(FEED, "HTTP 410", now=at(1), gone=True)
    success(
        store,
        [entry("a", at(0))],
        at(30),
        etag='"v1"',
        last_modified="Wed, 01 May 2024 12:00:00 GMT",
        content_hash="sha256:abc",
        moved_to="https://example.org/new.xml",
    )
    state = store.feed_state(FEED)
    assert state is not None
    assert (state.status, state.error_count, state.next_attempt, state.gone) == (
        "ok",
        0,
        None,
        False,
    )
    assert (state.etag, state.last_modified) == ('"v1"', "Wed, 01 May 2024 12:00:00 GMT")
    assert (state.content_hash, state.moved_to) == ("sha256:abc", "https://example.org/new.xml")
    assert state.last_success == at(30)
    assert state.last_attempt == at(30)
    # The last error stays on record for the report, with its time.
    assert (state.last_error, state.last_error_at) == ("HTTP 410", at(1))


def test_not_modified_keeps_entries_and_refreshes_last_seen(store: Store, path: Path) -> None:
    success(store, [entry("a", at(0)), entry("b", at(1)), entry("c", at(2))], at(10), etag="e1")
    success(store, [entry("a", at(0)), entry("c", at(2))], at(15), etag="e1", content_hash="h")
    before = store.entries()
    store.record_failure(FEED, "timeout", now=at(20))
    store.record_not_modified(FEED, now=at(30), last_modified="Thu")
    state = store.feed_state(FEED)
    assert state is not None
    assert (state.status, state.error_count, state.next_attempt) == ("not_modified", 0, None)
    assert (state.etag, state.last_modified, state.content_hash) == ("e1", "Thu", "h")
    assert state.last_success == at(30)
    assert store.entries() == before
    live, withdrawn = raw_row(path, FEED, "a"), raw_row(path, FEED, "b")
    assert live is not None and withdrawn is not None
    assert live["last_seen"] == at(30).isoformat(timespec="microseconds")
    assert withdrawn["last_seen"] == at(10).isoformat(timespec="microseconds")
    store.record_not_modified(FEED, now=at(40), etag="e2")
    state = store.feed_state(FEED)
    assert state is not None
    assert (state.etag, state.last_modified) == ("e2", "Thu")


def test_failure_keeps_entries_and_counts_errors(store: Store) -> None:
    success(store, [entry("a", at(0))], at(1))
    store.record_failure(FEED, "HTTP 503", now=at(10))
    store.record_failure(FEED, "connection refused", now=at(20))
    state = store.feed_state(FEED)
    assert state is not None
    assert (state.status, state.error_count, state.gone) == ("error", 2, False)
    assert (state.last_error, state.last_error_at) == ("connection refused", at(20))
    assert state.last_success == at(1)
    assert ids(store.entries()) == ["a"]


@pytest.mark.parametrize("seed", range(5))
def test_backoff_doubles_with_jitter_and_caps_at_a_day(path: Path, seed: int) -> None:
    with Store.open(path, rng=random.Random(seed)) as store:
        for errors in range(1, 16):
            now = at(errors * 10_000)
            store.record_failure(FEED, "HTTP 500", now=now)
            state = store.feed_state(FEED)
            assert state is not None and state.next_attempt is not None
            assert state.error_count == errors
            wait = state.next_attempt - now
            full = min(BACKOFF_BASE * 2 ** (errors - 1), BACKOFF_CAP)
            assert min(full / 2, BACKOFF_CAP) <= wait <= full


def test_jitter_spreads_retries(path: Path) -> None:
    waits = set()
    for seed in range(5):
        with Store.open(path, rng=random.Random(seed)) as store:
            store.record_failure(f"feed{seed}", "HTTP 500", now=T0)
            state = store.feed_state(f"feed{seed}")
            assert state is not None and state.next_attempt is not None
            waits.add(state.next_attempt)
    assert len(waits) > 1


def test_retry_after_is_honoured_up_to_a_day(store: Store) -> None:
    store.record_failure(FEED, "HTTP 429", now=T0, retry_after=T0 + timedelta(hours=3))
    state = store.feed_state(FEED)
    assert state is not None
    assert state.next_attempt == T0 + timedelta(hours=3)
    store.record_failure(FEED, "HTTP 429", now=T0, retry_after=T0 + timedelta(days=9))
    state = store.feed_state(FEED)
    assert state is not None
    assert state.next_attempt == T0 + BACKOFF_CAP
    # An earlier Retry-After does not shorten the backoff (third error: 30-60 min).
    store.record_failure(FEED, "HTTP 429", now=T0, retry_after=T0 + timedelta(seconds=1))
    state = store.feed_state(FEED)
    assert state is not None and state.next_attempt is not None
    assert state.next_attempt >= T0 + timedelta(minutes=30)


def test_gone_feed_keeps_entries_and_is_retried_daily(store: Store) -> None:
    success(store, [entry("a", at(0))], at(1))
    store.record_failure(FEED, "HTTP 410 Gone", now=at(10), gone=True)
    state = store.feed_state(FEED)
    assert state is not None
    assert (state.status, state.gone) == ("gone", True)
    assert state.next_attempt == at(10) + BACKOFF_CAP
    assert ids(store.entries()) == ["a"]
    assert not store.is_due(FEED, at(10) + timedelta(hours=23))
    assert store.is_due(FEED, at(10) + BACKOFF_CAP)


def test_is_due(store: Store) -> None:
    assert store.is_due(FEED, T0)
    store.record_failure(FEED, "HTTP 500", now=T0)
    assert not store.is_due(FEED, T0 + timedelta(minutes=7))
    assert store.is_due(FEED, T0 + timedelta(minutes=15))
    success(store, [], T0 + timedelta(minutes=15))
    assert store.is_due(FEED, T0 + timedelta(minutes=15))


def test_feed_states_lists_every_feed(store: Store) -> None:
    success(store, [], at(0))
    store.record_failure(OTHER, "not found", now=at(0))
    states = store.feed_states()
    assert {source: state.status for source, state in states.items()} == {
        FEED: "ok",
        OTHER: "error",
    }
    assert store.feed_state("https://unknown.example/feed") is None


# Host holds (hub.feeds.holds)


def hold(host: str, until: datetime, said: datetime, source: str = FEED) -> HostHold:
    return HostHold(host, until, 429, "HTTP 429 Too Many Requests", said, source)


def test_a_host_hold_is_kept_until_it_is_over(store: Store) -> None:
    kept = hold("example.org:443", at(60), at(0))
    store.record_host_hold(kept)
    assert store.host_holds(at(10)) == {"example.org:443": kept}
    assert store.host_holds(at(60)) == {}
    store.drop_host_holds(at(59))
    assert store.host_holds(at(10)) == {"example.org:443": kept}
    store.drop_host_holds(at(60))
    assert store.host_holds(at(10)) == {}


def test_a_longer_hold_stands_and_a_later_one_replaces_it(store: Store) -> None:
    long = hold("example.org:443", at(120), at(0), source=FEED)
    store.record_host_hold(long)
    store.record_host_hold(hold("example.org:443", at(30), at(5), source=OTHER))
    assert store.host_holds(at(10)) == {"example.org:443": long}
    longer = hold("example.org:443", at(180), at(6), source=OTHER)
    store.record_host_hold(longer)
    store.record_host_hold(hold("other.example:80", at(30), at(6)))
    assert store.host_holds(at(10)) == {
        "example.org:443": longer,
        "other.example:80": hold("other.example:80", at(30), at(6)),
    }


def test_host_holds_come_back_after_the_store_is_closed(path: Path) -> None:
    kept = hold("example.org:443", at(60), at(0))
    with Store.open(path) as store:
        store.record_host_hold(kept)
    with Store.open(path) as store:
        assert store.host_holds(at(1)) == {"example.org:443": kept}


def test_a_store_from_before_host_holds_is_upgraded(path: Path) -> None:
    filled(path)
    as_schema(path, HOLDS_STEP - 1)
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "host_holds" not in tables
    with Store.open(path) as store:
        assert len(store.entries()) == 200
        assert store.host_holds(at(0)) == {}
        store.record_host_hold(hold("example.org:443", at(60), at(0)))
        assert list(store.host_holds(at(1))) == ["example.org:443"]


# Reading


def test_entries_newest_first_filtered_and_limited(store: Store) -> None:
    success(store, [entry("f1", at(1)), entry("f3", at(3))], at(10))
    success(store, [entry("o2", at(2)), entry("o4", at(4))], at(10), source=OTHER)
    assert ids(store.entries()) == ["o4", "f3", "o2", "f1"]
    assert ids(store.entries(limit=2)) == ["o4", "f3"]
    assert ids(store.entries([FEED])) == ["f3", "f1"]
    assert ids(store.entries(iter([OTHER]), limit=1)) == ["o4"]
    assert store.entries(["https://unknown.example/feed"]) == []


def test_future_dated_entry_is_shown_as_of_first_sight(store: Store) -> None:
    success(store, [entry("honest", at(0))], at(10))
    success(store, [entry("pinned", T0 + timedelta(days=365))], at(20), source=OTHER)
    success(store, [entry("skewed", at(33))], at(30), source="skew.xml")
    assert ids(store.entries()) == ["skewed", "pinned", "honest"]
    by_id = {e.id: e for e in store.entries()}
    assert by_id["pinned"].published == at(20)
    # Within five minutes of first sight is clock skew, not an attempt to pin.
    assert by_id["skewed"].published == at(33)
    assert store.latest_published()[OTHER] == at(20)


def test_undated_entries_sort_by_updated_then_first_seen(store: Store) -> None:
    success(store, [entry("dated", at(5)), entry("updated", updated=at(7)), entry("bare")], at(6))
    entries = store.entries()
    assert ids(entries) == ["updated", "bare", "dated"]
    assert [e.published for e in entries] == [None, None, at(5)]
    assert entries[0].updated == at(7)


def test_entries_as_of_a_moment(store: Store) -> None:
    success(store, [entry("a", at(0))], at(10))
    success(store, [entry("b", at(12))], at(10), source=OTHER)
    success(store, [entry("c", at(20))], at(20), source="third.xml")
    as_of = store.entries(now=at(11))
    assert ids(as_of) == ["b", "a"]
    assert as_of[0].published == at(11)


def test_latest_published_and_counts_ignore_withdrawn(store: Store) -> None:
    success(store, [entry("a", at(0)), entry("b", at(1)), entry("c", at(2))], at(10))
    success(store, [entry("a", at(0)), entry("b", at(1))], at(20))
    success(store, [entry("x", at(-5))], at(20), source=OTHER)
    assert store.latest_published() == {FEED: at(1), OTHER: at(-5)}
    assert store.counts() == {FEED: 2, OTHER: 1}


def test_naive_datetimes_are_refused(store: Store) -> None:
    naive = datetime(2024, 5, 1, 12, 0)
    with pytest.raises(ValueError, match="naive"):
        success(store, [], naive)
    with pytest.raises(ValueError, match="naive"):
        success(store, [entry("a", naive)], at(0))
    with pytest.raises(ValueError, match="naive"):
        store.record_failure(FEED, "x", now=at(0), retry_after=naive)
    with pytest.raises(ValueError, match="naive"):
        store.record_not_modified(FEED, now=naive)
    with pytest.raises(ValueError, match="naive"):
        store.is_due(FEED, naive)
    with pytest.raises(ValueError, match="naive"):
        store.entries(now=naive)
    assert store.entries() == []
    assert store.feed_states() == {}


# Scale: indexes, not timings


def _plans(store: Store, read: Any) -> list[str]:
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        read()
    finally:
        store._db.set_trace_callback(None)
    plans = []
    for sql in statements:
        rows = store._db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        plans.append(" | ".join(row[-1] for row in rows))
    return plans


def test_latest_entries_read_from_an_index(store: Store) -> None:
    for feed in range(50):
        success(
            store,
            [entry(f"{feed}-{n}", at(feed + n)) for n in range(20)],
            at(100),
            source=f"f{feed}",
        )
    [plan] = _plans(store, lambda: store.entries(limit=50))
    assert "entries_latest" in plan
    assert "TEMP B-TREE" not in plan
    # A build reads every entry of the registry's feeds, newest first: in index order too.
    sources = [f"f{feed}" for feed in range(0, 50, 2)]
    [plan] = _plans(store, lambda: store.entries(sources, now=at(200)))
    assert "entries_latest" in plan
    assert "TEMP B-TREE" not in plan
    found = store.entries(sources, now=at(200))
    assert {e.feed for e in found} == set(sources)
    assert len(found) == 25 * 20
    [plan] = _plans(store, lambda: store.latest_published())
    assert "entries_by_source" in plan


def test_record_success_costs_one_statement_per_entry_plus_a_few(store: Store) -> None:
    statements: list[str] = []
    success(store, [entry(f"old{n}", at(n)) for n in range(20)], at(30))
    store._db.set_trace_callback(statements.append)
    success(store, [entry(f"new{n}", at(n + 0.5)) for n in range(20)], at(40))
    store._db.set_trace_callback(None)
    # 20 upserts and 19 withdrawals, executed as two executemany batches. The
    # revision triggers run inside those statements, which the trace repeats.
    assert len(set(statements)) <= 20 + 19 + 8


def test_two_handles_on_one_store(path: Path) -> None:
    with Store.open(path) as first, Store.open(path) as second:
        success(first, [entry("a", at(0))], at(1))
        success(second, [entry("b", at(2))], at(3), source=OTHER)
        assert ids(first.entries()) == ["b", "a"]


# Crash safety

WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.model import Entry
from hub.store.database import Store

path, start = Path(sys.argv[1]), int(sys.argv[2])
base = datetime(2024, 1, 1, tzinfo=UTC)
with Store.open(path) as store:
    print("ready", flush=True)
    for batch in range(start, start + 10_000_000):
        for feed in ("a", "b", "c"):
            # Every batch replaces the previous one: its entries get withdrawn, and
            # the "anchor" (the oldest, kept every time) carries the batch's title.
            tag = f"batch {batch}"
            entries = [Entry(feed=feed, id="anchor", title=tag, published=base)]
            entries += [
                Entry(feed=feed, id=f"{batch}-{k}", title=tag,
                      published=base + timedelta(minutes=k + 1))
                for k in range(20)
            ]
            store.record_success(
                feed, entries, now=base + timedelta(days=1, seconds=batch), etag=None,
                last_modified=None, content_hash=tag,
            )
"""


def assert_whole_batches(path: Path) -> int:
    """Check the store after a kill; return how many feeds it holds."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(path) as store:
        states = store.feed_states()
        for source, state in states.items():
            live = store.entries([source])
            # One whole batch: the anchor and its 20 posts, matching the feed state.
            assert len(live) == 21
            assert {e.title for e in live} == {state.content_hash}
    return len(states)


def test_killing_a_writer_at_any_moment_leaves_a_usable_store(path: Path) -> None:
    delays = random.Random(1234)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(10):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(run * 1_000_000)],
            stdout=subprocess.PIPE,
            env=env,
        )
        try:
            assert writer.stdout is not None
            assert writer.stdout.readline() == b"ready\n"
            time.sleep(delays.uniform(0.0, 0.15))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait()
            if writer.stdout is not None:
                writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL
        assert_whole_batches(path)

    assert assert_whole_batches(path) == 3, "the writer never finished a batch per feed"
    with Store.open(path) as store:
        success(store, [entry("after", at(0))], at(1))
        assert "after" in ids(store.entries([FEED]))
