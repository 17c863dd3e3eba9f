"""A rebuild with nothing new renders nothing: the store's revision and hub.publish.buildstate."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub import pipeline
from hub.model import Entry, Registry
from hub.publish import buildstate
from hub.registry import load as registry
from hub.site import model as site
from hub.site.content import Content, load_content
from hub.store.database import Store
from tests.oldstore import as_schema

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FEED = "https://example.org/feed.xml"

REGISTRY = f"""\
site:
  name: {{en: Test Police, fr: Police test}}
  url: https://police.test.example
  languages: [en, fr]
  contact: {{emergency: "911"}}
units:
  - id: comms
    name: {{en: Communications, fr: Communications}}
    kind: office
    accounts:
      - {{platform: mastodon, handle: "@comms@social.test.example", feed: "{FEED}"}}
"""


def post(number: int, when: datetime) -> Entry:
    return Entry(feed=FEED, id=f"post-{number}", title=f"Post number {number}", published=when)


def record(store: Store, entries: list[Entry], now: datetime) -> None:
    store.record_success(FEED, entries, now=now, etag=None, last_modified=None, content_hash=None)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "store.sqlite3") as opened:
        yield opened


def test_a_new_store_starts_at_zero_with_its_own_id(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.sqlite3") as a, Store.open(tmp_path / "b.sqlite3") as b:
        first, second = a.revision(T0), b.revision(T0)
    assert first.endswith(":0") and second.endswith(":0")
    assert first != second


def test_every_change_to_entries_moves_the_revision(store: Store) -> None:
    later = T0 + timedelta(days=1)
    older, newer = post(1, T0 - timedelta(hours=1)), post(2, T0)
    before = store.revision(later)
    record(store, [older, newer], T0)
    added = store.revision(later)
    assert added != before
    record(store, [older, newer], T0 + timedelta(minutes=10))
    assert store.revision(later) == added, "the same entries again change nothing shown"
    edited = Entry(feed=FEED, id="post-2", title="Post number 2, corrected", published=T0)
    record(store, [older, edited], T0 + timedelta(minutes=20))
    corrected = store.revision(later)
    assert corrected != added
    record(store, [older], T0 + timedelta(minutes=30))  # the newer post is withdrawn
    assert [e.id for e in store.entries(now=later)] == ["post-1"]
    assert store.revision(later) != corrected


def test_a_304_keeps_the_revision(store: Store) -> None:
    record(store, [post(1, T0)], T0)
    later = T0 + timedelta(days=1)
    before = store.revision(later)
    store.record_not_modified(FEED, now=T0 + timedelta(hours=1))
    assert store.revision(later) == before


def test_the_moment_counts_while_the_newest_entry_is_fresh(store: Store) -> None:
    record(store, [post(1, T0)], T0)
    # Within the clock-skew grace, dates are capped at "now": the moment matters.
    assert store.revision(T0) != store.revision(T0 + timedelta(minutes=1))
    # Later, nothing about the entries depends on the moment.
    assert store.revision(T0 + timedelta(hours=1)) == store.revision(T0 + timedelta(hours=2))


def test_an_older_store_gains_the_revision_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with Store.open(path) as store:
        record(store, [post(1, T0)], T0)
    as_schema(path, 2)  # as a store from before the revision table
    with Store.open(path) as store:
        assert store.revision(T0 + timedelta(days=1)).endswith(":0")
        record(store, [post(1, T0), post(2, T0)], T0 + timedelta(hours=1))
        assert not store.revision(T0 + timedelta(days=1)).endswith(":0")


def site_in(folder: Path) -> Registry:
    (folder / "themes").symlink_to(Path(__file__).resolve().parents[2] / "themes")
    path = folder / "sources.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return registry.load(path).registry


def site_with_a_post(folder: Path) -> tuple[Registry, Content, Path, Path]:
    """The test site with one stored post: its registry, content, cache and output folder."""
    reg = site_in(folder)
    content = load_content(folder / "content", reg.site.languages)
    cache, out = folder / "cache", folder / "public"
    with Store.open(cache / "store.sqlite3") as store:
        record(store, [post(1, T0)], T0)
    return reg, content, cache, out


def test_a_rebuild_with_nothing_new_renders_nothing_and_a_new_post_renders(
    tmp_path: Path,
) -> None:
    reg, content, cache, out = site_with_a_post(tmp_path)
    now = T0 + timedelta(hours=2)
    first = pipeline.build(reg, content, cache, out, now=now)
    assert first.publish is not None and first.publish.written > 0
    home = (out / "en" / "index.html").read_bytes()

    again = pipeline.build(reg, content, cache, out, now=now + timedelta(minutes=5))
    assert again.publish is not None and again.publish.written == 0
    assert "render" in again.seconds and again.seconds["publish"] == 0.0, "nothing was rendered"
    assert (out / "en" / "index.html").read_bytes() == home

    with Store.open(cache / "store.sqlite3") as store:
        record(store, [post(1, T0), post(2, now)], now + timedelta(minutes=6))
    newer = pipeline.build(reg, content, cache, out, now=now + timedelta(minutes=20))
    assert newer.publish is not None and newer.publish.written > 0
    assert b"Post number 2" in (out / "en" / "index.html").read_bytes()


def test_a_lost_output_folder_is_rebuilt(tmp_path: Path) -> None:
    reg, content, cache, out = site_with_a_post(tmp_path)
    now = T0 + timedelta(hours=2)
    pipeline.build(reg, content, cache, out, now=now)
    other = tmp_path / "elsewhere"
    result = pipeline.build(reg, content, cache, other, now=now)
    assert result.publish is not None and result.publish.written > 0
    assert (other / "en" / "index.html").is_file()


def test_rebuilds_in_one_process_keep_no_earlier_model(tmp_path: Path) -> None:
    """``hub serve`` rebuilds in one process. Each build's model, which Jinja's
    environments hold in reference cycles, goes with the next build: it is
    not frozen along with the next build's objects and kept."""
    reg, content, cache, _ = site_with_a_post(tmp_path)
    for number in range(3):
        pipeline.build(reg, content, cache, tmp_path / f"public-{number}", now=T0)
        assert gc.get_freeze_count() == 0
        assert sum(1 for o in gc.get_objects() if type(o) is site.SiteModel) <= 1


def test_a_file_that_cannot_be_read_counts_as_changed_and_stops_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "feeds").mkdir(parents=True)
    (content / "feeds" / "chief.xml").write_text("<rss/>", encoding="utf-8")
    first = buildstate.files_digest([content])
    assert buildstate.files_digest([content]) == first
    # Unreadable: read as a folder, it fails as an unreadable file would, and differs
    # at every build, so that whatever reads it for the site says why.
    unreadable = buildstate._file_digest(content / "feeds")
    assert unreadable.startswith(b"unreadable ")
    assert buildstate._file_digest(content / "feeds") != unreadable
