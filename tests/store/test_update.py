"""fetch -> parse -> store against a real local server and a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.model import Registry
from hub.registry import load as registry
from hub.store.database import Store
from hub.store.update import update
from tests.feedserver import FeedServer

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def rss(*items: tuple[str, str], hours: tuple[int, ...] = ()) -> bytes:
    """An RSS 2.0 feed with (guid, title) items, newest first, an hour apart."""
    parts = []
    for i, (guid, title) in enumerate(items):
        ago = hours[i] if hours else i + 1
        when = (NOW - timedelta(hours=ago)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        parts.append(
            f"<item><guid>{guid}</guid><title>{title}</title>"
            f"<link>https://lakeview.example/{guid}</link><pubDate>{when}</pubDate>"
            f"<description>{title} in detail</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://lakeview.example/</link>{''.join(parts)}</channel></rss>"
    ).encode()


def make_registry(tmp_path: Path, urls: list[str]) -> Registry:
    (tmp_path / "themes" / "default").mkdir(parents=True, exist_ok=True)
    accounts = "\n".join(
        f"      - {{platform: website, url: 'https://lakeview.example/{i}', feed: '{url}'}}"
        for i, url in enumerate(urls)
    )
    text = f"""
site:
  name: Lakeview Police
  url: https://connect.lakeview.example
  languages: [en]
  contact: {{emergency: "911"}}
  fetch: {{allow_private_addresses: true, total_timeout: 5, read_timeout: 2, connect_timeout: 2}}
units:
  - id: comms
    name: Communications
    kind: office
    accounts:
{accounts}
"""
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return registry.load(path).registry


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "cache" / "store.sqlite3") as opened:
        yield opened


def by_source(store: Store, source: str) -> list[str]:
    return [e.id.rsplit("/", 1)[-1] for e in store.entries([source])]


def test_first_run_stores_every_feed(feed_server: FeedServer, tmp_path: Path, store: Store):
    feed_server.route("/a.xml", body=rss(("a1", "One"), ("a2", "Two")))
    feed_server.route("/b.xml", body=rss(("b1", "Three")))
    reg = make_registry(tmp_path, [feed_server.url("/a.xml"), feed_server.url("/b.xml")])

    report = update(reg, store, now=NOW)

    assert report.counts == {"ok": 2}
    assert sum(o.new for o in report.outcomes) == 3
    assert by_source(store, feed_server.url("/a.xml")) == ["a1", "a2"]


def test_unchanged_feed_is_not_reparsed(feed_server: FeedServer, tmp_path: Path, store: Store):
    feed_server.route("/a.xml", body=rss(("a1", "One")), etag='"v1"')
    reg = make_registry(tmp_path, [feed_server.url("/a.xml")])
    update(reg, store, now=NOW)

    report = update(reg, store, now=NOW + timedelta(minutes=15))

    assert report.counts == {"not_modified": 1}
    assert feed_server.requests[-1].headers.get("if-none-match") == '"v1"'
    assert by_source(store, feed_server.url("/a.xml")) == ["a1"]


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({"status": 500}, "HTTP 500"),
        (
            {
                "body": b"<!doctype html><html><body><p>Hello</p></body></html>",
                "headers": {"Content-Type": "text/html"},
            },
            "not a feed",
        ),
        (
            {
                "body": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss>&b;</rss>'
            },
            "entit",
        ),
        ({"body": b""}, ""),
    ],
)
def test_a_failing_feed_keeps_its_last_good_entries(
    feed_server: FeedServer, tmp_path: Path, store: Store, route: dict, message: str
):
    url = feed_server.url("/a.xml")
    feed_server.route("/a.xml", body=rss(("a1", "One"), ("a2", "Two")))
    reg = make_registry(tmp_path, [url])
    update(reg, store, now=NOW)

    feed_server.route("/a.xml", **route)
    report = update(reg, store, now=NOW + timedelta(hours=1))

    assert report.counts == {"failed": 1}
    assert message.lower() in (report.outcomes[0].message or "").lower()
    assert by_source(store, url) == ["a1", "a2"]
    state = store.feed_state(url)
    assert state is not None and state.error_count == 1 and state.last_error


def test_a_failed_feed_backs_off(feed_server: FeedServer, tmp_path: Path, store: Store):
    feed_server.route("/a.xml", status=503)
    reg = make_registry(tmp_path, [feed_server.url("/a.xml")])
    update(reg, store, now=NOW)
    asked = len(feed_server.requests)

    report = update(reg, store, now=NOW + timedelta(seconds=30))

    assert report.counts == {"waiting": 1}
    assert len(feed_server.requests) == asked
    later = update(reg, store, now=NOW + timedelta(days=1, minutes=1))
    assert later.counts == {"failed": 1}


def test_a_deleted_post_is_withdrawn(feed_server: FeedServer, tmp_path: Path, store: Store):
    url = feed_server.url("/a.xml")
    feed_server.route("/a.xml", body=rss(("a1", "Found"), ("a2", "Missing: appeal"), ("a3", "Old")))
    reg = make_registry(tmp_path, [url])
    update(reg, store, now=NOW)

    feed_server.route("/a.xml", body=rss(("a1", "Found"), ("a3", "Old"), hours=(1, 3)))
    report = update(reg, store, now=NOW + timedelta(minutes=20))

    assert report.outcomes[0].withdrawn == 1
    assert by_source(store, url) == ["a1", "a3"]


def test_gone_feed_is_reported(feed_server: FeedServer, tmp_path: Path, store: Store):
    feed_server.route("/a.xml", status=410)
    reg = make_registry(tmp_path, [feed_server.url("/a.xml")])

    report = update(reg, store, now=NOW)

    assert report.counts == {"gone": 1}
    state = store.feed_state(feed_server.url("/a.xml"))
    assert state is not None and state.gone


def test_hostile_feed_is_stored_inert(feed_server: FeedServer, tmp_path: Path, store: Store):
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>'
        b"<guid>x1</guid><title>&lt;script&gt;alert(1)&lt;/script&gt;Hi</title>"
        b"<link>javascript:alert(1)</link>"
        b"<description>&lt;img src=x onerror=alert(1)&gt;&lt;a href='javascript:alert(2)'"
        b"&gt;x&lt;/a&gt;</description></item></channel></rss>"
    )
    feed_server.route("/a.xml", body=body)
    reg = make_registry(tmp_path, [feed_server.url("/a.xml")])

    update(reg, store, now=NOW)

    [entry] = store.entries()
    assert entry.link is None
    assert "onerror" not in entry.summary and "javascript" not in entry.summary
    assert "<script" not in entry.title


def test_local_feed_files_need_no_network(tmp_path: Path, store: Store):
    feeds = tmp_path / "content" / "feeds"
    feeds.mkdir(parents=True)
    (feeds / "a.xml").write_bytes(rss(("a1", "Local")))
    reg = make_registry(tmp_path, ["content/feeds/a.xml"])

    report = update(reg, store, now=NOW)

    assert report.counts == {"ok": 1}
    assert by_source(store, "content/feeds/a.xml") == ["a1"]
