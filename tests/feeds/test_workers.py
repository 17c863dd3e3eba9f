"""The parse workers are real processes here: what a feed can do to the one parsing it.

Where a test needs a feed to hang, kill its worker or meet a bug, it has the
workers parse with :func:`parse_or_misbehave` (which they import by name)
instead of the real parse.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import types
from typing import Any

import pytest

from hub.feeds import expatreader, workers
from hub.feeds.drafts import ParsedFeed
from hub.feeds.parse import parse_feed
from hub.feeds.result import FetchResult
from hub.feeds.workers import NO_WORKER, Answer, Failure, Parsers


def rss(*guids: str) -> bytes:
    """An RSS 2.0 feed with one item per guid."""
    items = "".join(
        f"<item><guid>{guid}</guid><title>Item {guid}</title>"
        f"<link>https://lakeview.example/{guid}</link>"
        f"<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>Item {guid} in detail</description></item>"
        for guid in guids
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://lakeview.example/</link>{items}</channel></rss>"
    ).encode()


def parse_or_misbehave(body: bytes, source: str, options: dict[str, Any]) -> ParsedFeed:
    """The workers' parse, but a feed holding <hang/> never ends, one holding <crash/>
    kills its worker, and one holding <bug/> raises what no feed should cause, as
    only a bug in a parser could make them."""
    if b"<hang/>" in body:
        threading.Event().wait()
    if b"<crash/>" in body:
        os.kill(os.getpid(), signal.SIGKILL)
    if b"<bug/>" in body:
        raise AttributeError("'NoneType' object has no attribute 'entries'")
    return parse_feed(body, source, **options)


def big_rss(entries: int) -> bytes:
    """A feed whose parse takes tens of megabytes: many entries of escaped HTML."""
    body = rss(*[f"a{i}" for i in range(entries)])
    return body.replace(b" in detail<", b" " + b"&lt;p&gt;word&lt;/p&gt; " * 50 + b"<")


def misbehaving(tag: bytes) -> bytes:
    return rss("a1").replace(b"<channel>", b"<channel>" + tag)


HANG = misbehaving(b"<hang/>")
CRASH = misbehaving(b"<crash/>")


def parse_all(bodies: dict[str, bytes]) -> dict[str, Answer]:
    """Each feed's answer, from a pool of workers started for these feeds alone."""
    parsers = Parsers(buffered_reader=expatreader.check() is None)
    try:
        for source, body in bodies.items():
            parsers.submit(FetchResult(source, "ok", body=body), max_entries=50)
        answers = {result.source: answer for result, answer in parsers.rest()}
    finally:
        parsers.close()
    assert parsers.workers == []
    return answers


def guids(answer: Answer) -> list[str]:
    assert isinstance(answer, ParsedFeed), answer
    return [entry.id.rsplit("/", 1)[-1] for entry in answer.entries]


@pytest.mark.parametrize(
    ("body", "message", "knobs"),
    [
        (HANG, "took longer than 1 s to parse", {"PARSE_SECONDS": 1.0}),
        (CRASH, "the parser crashed on this feed (signal 9)", {}),
        (big_rss(2000), "too large to parse within the memory limit", {}),
    ],
    ids=["hangs", "kills-its-worker", "over-the-memory-cap"],
)
def test_a_feed_that_takes_its_worker_down_fails_alone(
    monkeypatch: pytest.MonkeyPatch, body: bytes, message: str, knobs: dict[str, Any]
) -> None:
    monkeypatch.setattr(workers, "_parse_job", parse_or_misbehave)
    # Room for a feed of a few entries, not for thousands: the real parse hits the cap.
    monkeypatch.setattr(workers, "WORKER_MEMORY", 8 * 1024 * 1024)
    for name, value in knobs.items():
        monkeypatch.setattr(workers, name, value)
    bodies = {"a": body} | {name: rss(f"{name}2", f"{name}1") for name in "bcd"}

    answers = parse_all(bodies)

    assert answers["a"] == Failure(message)
    for name in "bcd":
        assert guids(answers[name]) == [f"{name}2", f"{name}1"]


def test_feeds_queued_behind_a_hung_worker_are_parsed_by_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers, "_parse_job", parse_or_misbehave)
    monkeypatch.setattr(workers, "PARSE_SECONDS", 1.0)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)  # one worker, so the rest wait

    answers = parse_all({"a": HANG, "b": CRASH, "c": rss("c1"), "d": rss("d1")})

    assert answers["a"] == Failure("took longer than 1 s to parse")
    assert answers["b"] == Failure("the parser crashed on this feed (signal 9)")
    assert guids(answers["c"]) == ["c1"] and guids(answers["d"]) == ["d1"]


def test_a_bad_feed_fails_as_its_own_and_a_bug_as_internal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers, "_parse_job", parse_or_misbehave)
    html = b"<!doctype html><html><body><p>Hello</p></body></html>"

    answers = parse_all({"good": rss("g1"), "html": html, "bug": misbehaving(b"<bug/>")})

    assert guids(answers["good"]) == ["g1"]
    failure = answers["html"]
    assert isinstance(failure, Failure) and "not a feed" in failure.message
    assert failure.internal is None
    assert answers["bug"] == Failure(
        "could not read the feed (AttributeError: 'NoneType' object has no attribute 'entries')",
        internal="AttributeError",
    )


def test_workers_that_cannot_start_fail_every_feed_with_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A parse from a module that only this process has: each worker dies as it starts.
    module = types.ModuleType("only_here")
    exec("def parse(*args): raise AssertionError('never called')", module.__dict__)
    monkeypatch.setitem(sys.modules, "only_here", module)
    monkeypatch.setattr(workers, "_parse_job", module.parse)

    answers = parse_all({"a": rss("a1"), "b": rss("b1")})

    assert answers == dict.fromkeys("ab", Failure(NO_WORKER, internal=NO_WORKER))
