"""fetch -> parse -> store against a real local server and a real SQLite store.

The parse workers are real processes. Where a test needs a feed to kill its
worker or meet a bug, it has the workers parse with a function of these tests
(which they import by name) instead of the real parse; what the workers do
with each kind of feed is tests/feeds/test_workers.py.
"""

from __future__ import annotations

import socket
import sys
import types
import warnings
import xml.sax
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from hub import pipeline
from hub.cli.main import main
from hub.feeds import expatreader, workers
from hub.feeds.drafts import ParsedFeed
from hub.feeds.holds import HOLD_CAP
from hub.feeds.result import FetchResult, describe
from hub.model import FetchSettings, Registry
from hub.registry import load as registry
from hub.store import update as updating
from hub.store.database import Store
from hub.store.update import update
from tests.feeds.test_workers import CRASH, parse_or_misbehave
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


def make_registry(tmp_path: Path, urls: list[str], per_host: int = 2) -> Registry:
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
  fetch: {{allow_private_addresses: true, total_timeout: 5, read_timeout: 2, connect_timeout: 2,
    per_host: {per_host}}}
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


@pytest.fixture
def two_hosts() -> Iterator[FeedServer]:
    with FeedServer(hosts=("127.0.0.1", "127.0.0.2")) as server:
        yield server


def asked(server: FeedServer, host: str) -> list[str]:
    return [r.path for r in server.requests if r.host == host]


def outcomes(report: updating.UpdateReport, urls: list[str]) -> list[updating.FeedOutcome]:
    """The run's outcomes in the order of ``urls`` (they come as the feeds finish)."""
    found = {outcome.source: outcome for outcome in report.outcomes}
    return [found[url] for url in urls]


def test_a_host_that_asked_for_an_hour_is_asked_nothing_in_later_runs(
    two_hosts: FeedServer, tmp_path: Path
) -> None:
    """Run 1 gets a 429 with Retry-After: 3600 for feed 1 of host A; run 2, ten minutes
    later, asks host A nothing (feeds 1, 2 and 3 keep their posts and wait); run 3,
    after the hour, asks it again."""
    host_a = f"127.0.0.1:{two_hosts.port()}"
    for n in (1, 2, 3):
        two_hosts.route(f"/{n}.xml", body=rss((f"p{n}", f"Post {n}")))
    two_hosts.route("/b.xml", body=rss(("b1", "Post B")))
    urls = [two_hosts.url(f"/{n}.xml") for n in (1, 2, 3)]
    urls.append(two_hosts.url("/b.xml", host="127.0.0.2"))
    reg = make_registry(tmp_path, urls, per_host=1)
    cache = tmp_path / "cache"
    assert pipeline.fetch(reg, cache, now=NOW).counts == {"ok": 4}

    two_hosts.route("/1.xml", status=429, headers={"Retry-After": "3600"})
    two_hosts.reset()
    first = pipeline.fetch(reg, cache, now=NOW + timedelta(minutes=15))

    assert [o.status for o in outcomes(first, urls)] == [
        "failed",
        "waiting",
        "waiting",
        "not_modified",
    ]
    assert asked(two_hosts, "127.0.0.1") == ["/1.xml"]
    assert [(h.hold.host, h.hold.status, h.hold.source, h.feeds) for h in first.held] == [
        (host_a, 429, urls[0], 3)
    ]
    until = first.held[0].hold.until
    assert NOW + timedelta(minutes=75) <= until <= NOW + timedelta(minutes=76)

    two_hosts.reset()
    second = pipeline.fetch(reg, cache, now=NOW + timedelta(minutes=25))

    assert asked(two_hosts, "127.0.0.1") == []
    assert asked(two_hosts, "127.0.0.2") == ["/b.xml"]
    assert [o.status for o in outcomes(second, urls)] == ["waiting"] * 3 + ["not_modified"]
    for outcome in outcomes(second, urls)[:3]:
        assert outcome.held == host_a
        assert outcome.message == (
            f"not asked: {host_a} is held until {until:%Y-%m-%d %H:%M:%S} UTC "
            f"(HTTP 429 Too Many Requests, in answer to {urls[0]})"
        )
    assert [(h.hold.host, h.hold.until, h.feeds) for h in second.held] == [(host_a, until, 3)]
    with Store.open(cache / "store.sqlite3") as store:
        assert [by_source(store, url) for url in urls] == [["p1"], ["p2"], ["p3"], ["b1"]]
        states = [store.feed_state(url) for url in urls[1:3]]
        # Waiting on their host is no failure of theirs: no error counted, no back-off.
        assert all(s is not None and (s.status, s.error_count) == ("ok", 0) for s in states)
        assert all(s is not None and s.next_attempt is None for s in states)

    two_hosts.route("/1.xml", body=rss(("p1", "Post 1")))
    two_hosts.reset()
    third = pipeline.fetch(reg, cache, now=NOW + timedelta(minutes=80))

    assert sorted(asked(two_hosts, "127.0.0.1")) == ["/1.xml", "/2.xml", "/3.xml"]
    assert third.held == ()
    assert "waiting" not in third.counts
    with Store.open(cache / "store.sqlite3") as store:
        assert store.host_holds(NOW) == {}  # over, and dropped


def test_a_503_without_retry_after_holds_no_host(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/1.xml", status=503)
    feed_server.route("/2.xml", body=rss(("p2", "Post 2")))
    urls = [feed_server.url("/1.xml"), feed_server.url("/2.xml")]
    reg = make_registry(tmp_path, urls, per_host=1)
    cache = tmp_path / "cache"

    first = pipeline.fetch(reg, cache, now=NOW)
    # Within the shortest back-off after one failure (7.5 minutes).
    second = pipeline.fetch(reg, cache, now=NOW + timedelta(minutes=5))

    assert [o.status for o in outcomes(first, urls)] == ["failed", "ok"]
    assert first.held == () and second.held == ()
    # The failing feed backs off alone; its host's other feed is asked again.
    backing_off = outcomes(second, urls)[0].message
    assert backing_off and backing_off.startswith("backing off after 1 failures")
    assert [r.path for r in feed_server.requests] == ["/1.xml", "/2.xml", "/2.xml"]
    with Store.open(cache / "store.sqlite3") as store:
        assert store.host_holds(NOW) == {}


def test_a_retry_after_of_thirty_days_holds_the_host_for_a_day(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.route("/1.xml", status=429, headers={"Retry-After": str(30 * 24 * 3600)})
    feed_server.route("/2.xml", body=rss(("p2", "Post 2")))
    reg = make_registry(tmp_path, [feed_server.url("/1.xml"), feed_server.url("/2.xml")], 1)
    cache = tmp_path / "cache"

    [held] = pipeline.fetch(reg, cache, now=NOW).held

    assert held.hold.until == held.hold.said + HOLD_CAP
    assert pipeline.fetch(reg, cache, now=NOW + timedelta(hours=23)).counts == {"waiting": 2}
    feed_server.reset()
    feed_server.route("/1.xml", body=rss(("p1", "Post 1")))
    after = pipeline.fetch(reg, cache, now=NOW + timedelta(hours=24, minutes=1))
    assert after.counts == {"ok": 2}


def test_a_retry_after_date_holds_the_host_until_then(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    until = NOW + timedelta(hours=2)
    retry = {"Retry-After": format_datetime(until, usegmt=True)}
    feed_server.route("/1.xml", status=503, headers=retry)
    reg = make_registry(tmp_path, [feed_server.url("/1.xml")])

    [held] = pipeline.fetch(reg, tmp_path / "cache", now=NOW).held

    assert (held.hold.until, held.hold.status) == (until, 503)
    assert held.hold.why == "HTTP 503 Service Unavailable"


def test_a_deleted_post_is_withdrawn(feed_server: FeedServer, tmp_path: Path, store: Store):
    url = feed_server.url("/a.xml")
    feed_server.route("/a.xml", body=rss(("a1", "Found"), ("a2", "Missing: appeal"), ("a3", "Old")))
    reg = make_registry(tmp_path, [url])
    update(reg, store, now=NOW)

    feed_server.route("/a.xml", body=rss(("a1", "Found"), ("a3", "Old"), hours=(1, 3)))
    report = update(reg, store, now=NOW + timedelta(minutes=20))

    assert report.outcomes[0].withdrawn == 1
    assert by_source(store, url) == ["a1", "a3"]


def test_a_feed_cut_off_part_way_keeps_every_post_and_its_words(
    feed_server: FeedServer, tmp_path: Path, store: Store
) -> None:
    # Listed oldest first, as some publishing tools write feeds: cut off part way, the
    # document lacks the newest posts, and read as far as it goes it would withdraw
    # them as deleted and store the post it ends in without its words.
    url = feed_server.url("/a.xml")
    whole = rss(("a3", "Three"), ("a2", "Two"), ("a1", "One"), hours=(3, 2, 1))
    feed_server.route("/a.xml", body=whole)
    reg = make_registry(tmp_path, [url])
    update(reg, store, now=NOW)

    feed_server.route("/a.xml", body=whole[: whole.index(b"Two in detail") + 3])
    report = update(reg, store, now=NOW + timedelta(minutes=15))

    assert report.counts == {"failed": 1}
    assert "cut off" in (report.outcomes[0].message or "")
    words = {e.id.rsplit("/", 1)[-1]: e.summary for e in store.entries([url])}
    assert words == {"a1": "One in detail", "a2": "Two in detail", "a3": "Three in detail"}


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


# -- when a parse worker goes down ---------------------------------------------------------


def test_a_feed_that_kills_its_worker_fails_alone_and_keeps_its_entries(
    feed_server: FeedServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "_parse_job", parse_or_misbehave)
    message = "the parser crashed on this feed (signal 9)"
    urls = [feed_server.url(f"/{name}.xml") for name in "abcd"]
    for name in "abcd":
        feed_server.route(f"/{name}.xml", body=rss((f"{name}1", "One")))
    reg = make_registry(tmp_path, urls)
    update(reg, store, now=NOW)

    feed_server.route("/a.xml", body=CRASH)
    for name in "bcd":
        feed_server.route(f"/{name}.xml", body=rss((f"{name}2", "Two"), (f"{name}1", "One")))
    report = update(reg, store, now=NOW + timedelta(hours=1))

    outcomes = {o.source: o for o in report.outcomes}
    assert outcomes[urls[0]].status == "failed"
    assert outcomes[urls[0]].message == message
    assert outcomes[urls[0]].internal is None
    assert report.internal_error is None
    assert by_source(store, urls[0]) == ["a1"]
    state = store.feed_state(urls[0])
    assert state is not None and state.error_count == 1 and state.last_error == message
    for url, name in zip(urls[1:], "bcd", strict=True):
        assert outcomes[url].status == "ok" and outcomes[url].new == 1
        assert by_source(store, url) == [f"{name}2", f"{name}1"]


def test_workers_that_cannot_start_fail_every_feed_with_an_internal_error(
    feed_server: FeedServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A parse from a module that only this process has: each worker dies as it starts.
    module = types.ModuleType("only_here")
    exec("def parse(*args): raise AssertionError('never called')", module.__dict__)
    monkeypatch.setitem(sys.modules, "only_here", module)
    monkeypatch.setattr(workers, "_parse_job", module.parse)
    reg, _ = two_feeds(feed_server, tmp_path)

    report = update(reg, store, now=NOW)

    assert report.counts == {"failed": 2}
    assert {o.message for o in report.outcomes} == {"no parse worker would start"}
    assert report.internal_error is not None
    assert "same internal error, no parse worker would start" in report.internal_error


# -- a bug that fails every feed ----------------------------------------------------------


def two_feeds(feed_server: FeedServer, tmp_path: Path) -> tuple[Registry, list[str]]:
    urls = [feed_server.url("/a.xml"), feed_server.url("/b.xml")]
    feed_server.route("/a.xml", body=rss(("a1", "One")))
    feed_server.route("/b.xml", body=rss(("b1", "One")))
    return make_registry(tmp_path, urls), urls


def always_broken(*args: Any) -> ParsedFeed:
    """A parse with a bug that every feed runs into."""
    raise AttributeError("'NoneType' object has no attribute 'entries'")


def broken_on_b(body: bytes, *args: Any) -> ParsedFeed:
    """A parse with a bug that only feed b runs into."""
    if b"<guid>b" in body:
        raise AttributeError("'NoneType' object has no attribute 'entries'")
    return parse_or_misbehave(body, *args)


def test_every_feed_failing_with_the_same_bug_is_told_and_held_against_none(
    feed_server: FeedServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg, urls = two_feeds(feed_server, tmp_path)
    update(reg, store, now=NOW)
    for name in "ab":
        feed_server.route(f"/{name}.xml", body=rss((f"{name}2", "Two"), (f"{name}1", "One")))
    monkeypatch.setattr(workers, "_parse_job", always_broken)

    report = update(reg, store, now=NOW + timedelta(hours=1))

    assert report.counts == {"failed": 2}
    assert {o.internal for o in report.outcomes} == {"AttributeError"}
    assert report.internal_error is not None
    assert "all 2 feeds tried failed with the same internal error, AttributeError" in (
        report.internal_error
    )
    assert "'NoneType' object has no attribute 'entries'" in report.internal_error
    # Not the feeds' fault: no error counted, no back-off, their entries kept.
    for url in urls:
        state = store.feed_state(url)
        assert state is not None and state.error_count == 0 and store.is_due(url, NOW)
    assert by_source(store, urls[0]) == ["a1"]


def test_a_bug_is_not_told_while_some_feed_is_unchanged(
    feed_server: FeedServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An unchanged feed is a feed that works: one hostile feed must not stop the builds.
    reg, urls = two_feeds(feed_server, tmp_path)
    update(reg, store, now=NOW)
    feed_server.route("/a.xml", body=rss(("a2", "Two"), ("a1", "One")))
    monkeypatch.setattr(workers, "_parse_job", always_broken)

    report = update(reg, store, now=NOW + timedelta(hours=1))

    assert report.counts == {"failed": 1, "not_modified": 1}
    assert report.internal_error is None
    state = store.feed_state(urls[0])
    assert state is not None and state.error_count == 1


def test_a_bug_only_some_feeds_meet_is_theirs(
    feed_server: FeedServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg, urls = two_feeds(feed_server, tmp_path)
    monkeypatch.setattr(workers, "_parse_job", broken_on_b)

    report = update(reg, store, now=NOW)

    assert report.counts == {"ok": 1, "failed": 1}
    assert report.internal_error is None
    state = store.feed_state(urls[1])
    assert state is not None and state.error_count == 1
    assert state.last_error == (
        "could not read the feed (AttributeError: 'NoneType' object has no attribute 'entries')"
    )


def test_an_unexpected_exception_while_fetching_is_internal(store: Store) -> None:
    message = describe(AttributeError("boom"), FetchSettings())
    result = FetchResult("https://lakeview.example/a.xml", "error", error=message)

    outcome = updating._record_unparsed(store, result, NOW)

    assert outcome.status == "failed" and outcome.internal == "AttributeError"
    assert store.feed_state(result.source) is None  # recorded at the run's end, if at all
    network = FetchResult(result.source, "error", error="connection refused by 127.0.0.1:1")
    assert updating._record_unparsed(store, network, NOW).internal is None


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(command: str, tmp_path: Path) -> list[str]:
    """The command line of ``hub COMMAND`` on the registry in tmp_path, with the real theme."""
    theme = tmp_path / "themes" / "default"
    if not theme.exists():
        theme.parent.mkdir(parents=True, exist_ok=True)
        theme.symlink_to(Path(__file__).resolve().parents[2] / "themes" / "default")
    words = [
        command,
        "--sources",
        str(tmp_path / "sources.yaml"),
        "--cache",
        str(tmp_path / "cache"),
    ]
    # Only a build writes a site: hub fetch takes no --out.
    return [*words, "--out", str(tmp_path / "public")] if command == "build" else words


@pytest.mark.parametrize("command", ["fetch", "build"])
def test_a_run_where_a_bug_fails_every_feed_exits_1_naming_it(
    feed_server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    arguments = cli(command, tmp_path)
    two_feeds(feed_server, tmp_path)
    monkeypatch.setattr(workers, "_parse_job", always_broken)

    code = main(arguments)

    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert code == 1
    assert len(errors) == 1 and "same internal error, AttributeError" in errors[0]
    assert not (tmp_path / "public").exists()  # a stale site is not published as new


@pytest.mark.parametrize("command", ["fetch", "build"])
def test_every_feed_unreachable_is_not_a_bug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    urls = [f"http://127.0.0.1:{unused_port()}/{name}.xml" for name in "ab"]
    arguments = cli(command, tmp_path)
    make_registry(tmp_path, urls)

    code = main(arguments)

    assert code == 0, capsys.readouterr().err
    assert "internal error" not in capsys.readouterr().err
    with Store.open(tmp_path / "cache" / "store.sqlite3") as store:
        for url in urls:
            state = store.feed_state(url)
            assert state is not None and state.error_count == 1


# -- the buffered XML reader ---------------------------------------------------------------


@pytest.fixture
def reader_checked_afresh() -> Any:
    """expatreader.check() as if in a new process; as it was, afterwards."""
    expatreader.check.cache_clear()
    yield
    expatreader.use()
    expatreader.check.cache_clear()


def test_a_run_checks_the_xml_reader_and_warns_once_when_feedparser_ignores_it(
    feed_server: FeedServer,
    tmp_path: Path,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    reader_checked_afresh: None,
) -> None:
    # As if feedparser no longer took its readers from PREFERRED_XML_PARSERS.
    make_parser = xml.sax.make_parser
    monkeypatch.setattr(xml.sax, "make_parser", lambda parser_list=(): make_parser([]))
    reg, urls = two_feeds(feed_server, tmp_path)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = update(reg, store, now=NOW)
        feed_server.route("/a.xml", body=rss(("a2", "Two"), ("a1", "One")))
        second = update(reg, store, now=NOW + timedelta(hours=1))

    told = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert told == [
        "the buffered XML reader failed its start-up check (feedparser did not read with it): "
        "feeds are parsed with feedparser's own choice of reader, at normal speed"
    ]
    assert first.counts == {"ok": 2} and second.counts == {"ok": 1, "not_modified": 1}
    assert by_source(store, urls[0]) == ["a2", "a1"]


def test_a_run_on_the_installed_feedparser_reads_with_the_buffered_reader(
    feed_server: FeedServer, tmp_path: Path, store: Store, reader_checked_afresh: None
) -> None:
    reg, _ = two_feeds(feed_server, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        report = update(reg, store, now=NOW)
    assert report.counts == {"ok": 2}
    assert expatreader.check() is None
