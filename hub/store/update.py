"""Fetch -> parse -> store for every feed in the registry: ``hub fetch``.

Fetching is asynchronous I/O in this process; parsing runs in worker
processes as soon as each body arrives, so parsing overlaps fetching and uses
every core. A worker also bounds what one hostile feed can cost: a memory
ceiling per worker and a time limit per feed, after which the worker is
replaced and the feed gets an error. Only the store is written, one
transaction per feed, so a failed feed keeps its last good entries.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import time
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from hub.feeds.drafts import FeedError, ParsedFeed
from hub.feeds.fetch import fetch_all, user_agent
from hub.feeds.parse import parse_feed
from hub.feeds.result import FetchResult, Validators
from hub.model import FeedRef, Registry
from hub.store.database import Store

Status = Literal["ok", "not_modified", "failed", "gone", "waiting"]

PARSE_SECONDS = 20.0
"""Longest one feed may take to parse before it counts as that feed's error."""
WORKER_MEMORY = 1024 * 1024 * 1024
"""Address-space ceiling of a parse worker: a hostile feed fails, the build does not."""


@dataclass(frozen=True)
class FeedOutcome:
    """What happened to one feed in this run."""

    source: str
    status: Status
    message: str | None = None
    """Why it failed, or when it will be tried again."""
    new: int = 0
    withdrawn: int = 0
    moved_to: str | None = None
    """A permanent redirect: the registry should name the new address."""


@dataclass(frozen=True)
class UpdateReport:
    outcomes: tuple[FeedOutcome, ...]
    seconds: float
    counts: Mapping[Status, int] = field(default_factory=dict)

    @property
    def failed(self) -> tuple[FeedOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status in ("failed", "gone"))


def _limit_memory() -> None:
    # A lower hard limit already in force is stricter still: keep it.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))


def _parse_job(
    body: bytes, source: str, headers: dict[str, str], base_url: str | None, max_entries: int
) -> ParsedFeed:
    try:
        return parse_feed(body, source, headers=headers, base_url=base_url, max_entries=max_entries)
    except MemoryError:
        raise FeedError("too large to parse within the memory limit") from None


class _Parsers:
    """A pool of parse workers that can be replaced when one hangs."""

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("forkserver")
        # A new worker first imports the main module (the hub command,
        # build.py) and all it imports: up to half a second of CPU each. Imported
        # once in the fork server that forks them, they are inherited instead.
        # (No effect once this process's fork server runs: it has them already.)
        self.context.set_forkserver_preload(["hub.cli.main", "hub.store.update"])
        # Started now, it imports them while the first feeds download; started
        # by the first submit, it would hold up the fetching until it is ready.
        multiprocessing.forkserver.ensure_running()
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        workers = max(1, min(4, os.cpu_count() or 1))
        return ProcessPoolExecutor(workers, mp_context=self.context, initializer=_limit_memory)

    def submit(self, result: FetchResult, max_entries: int) -> Future[ParsedFeed]:
        assert result.body is not None
        return self.pool.submit(
            _parse_job,
            result.body,
            result.source,
            dict(result.headers),
            result.final_url,
            max_entries,
        )

    def reset(self) -> None:
        """Kill the workers (one is stuck on a feed) and start afresh."""
        for process in list(getattr(self.pool, "_processes", {}).values()):
            process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def update(
    registry: Registry,
    store: Store,
    *,
    now: datetime,
    on_outcome: Callable[[FeedOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> UpdateReport:
    """Fetch every due feed, parse what changed, record it all in the store."""
    started = time.monotonic()
    settings = registry.site.fetch
    feeds = registry.feeds()
    states = store.feed_states()
    due: list[FeedRef] = []
    outcomes: list[FeedOutcome] = []

    def done(outcome: FeedOutcome) -> None:
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    if on_start is not None:
        on_start(len(feeds))
    for feed in feeds:
        if store.is_due(feed.source, now):
            due.append(feed)
        else:
            state = states[feed.source]
            until = state.next_attempt.isoformat(timespec="minutes") if state.next_attempt else ""
            done(
                FeedOutcome(
                    feed.source,
                    "waiting",
                    f"backing off after {state.error_count} failures "
                    f"(last: {state.last_error}); next try {until}",
                )
            )
    validators = {
        source: Validators(s.etag, s.last_modified, s.content_hash)
        for source, s in states.items()
        if not s.gone
    }
    parsers = _Parsers()
    pending: dict[str, tuple[FetchResult, Future[ParsedFeed]]] = {}

    def fetched(result: FetchResult) -> None:
        if result.outcome == "ok" and result.body is not None:
            pending[result.source] = (result, parsers.submit(result, settings.max_entries))
        else:
            done(_record_unparsed(store, result, now))

    try:
        fetch_all(
            due,
            settings,
            validators=validators,
            user_agent=user_agent(registry.site.url),
            on_result=fetched,
        )
        for result, future in pending.values():
            done(_record_parsed(store, parsers, result, future, now, settings.max_entries))
    finally:
        parsers.close()
    counts: dict[Status, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return UpdateReport(tuple(outcomes), time.monotonic() - started, counts)


def _record_unparsed(store: Store, result: FetchResult, now: datetime) -> FeedOutcome:
    if result.outcome == "not_modified":
        store.record_not_modified(
            result.source, now=now, etag=result.etag, last_modified=result.last_modified
        )
        return FeedOutcome(result.source, "not_modified", moved_to=result.moved_to)
    gone = result.outcome == "gone"
    message = result.error or ("gone (HTTP 410): remove it from sources.yaml" if gone else "failed")
    store.record_failure(result.source, message, now=now, retry_after=result.retry_after, gone=gone)
    return FeedOutcome(result.source, "gone" if gone else "failed", message)


def _record_parsed(
    store: Store,
    parsers: _Parsers,
    result: FetchResult,
    future: Future[ParsedFeed],
    now: datetime,
    max_entries: int,
) -> FeedOutcome:
    try:
        parsed = _wait(parsers, result, future, max_entries)
    except FeedError as exc:
        store.record_failure(result.source, str(exc), now=now)
        return FeedOutcome(result.source, "failed", str(exc))
    change = store.record_success(
        result.source,
        parsed.entries,
        now=now,
        etag=result.etag,
        last_modified=result.last_modified,
        content_hash=result.content_hash,
        moved_to=result.moved_to,
        max_entries=max_entries,
    )
    return FeedOutcome(
        result.source, "ok", new=change.new, withdrawn=change.withdrawn, moved_to=result.moved_to
    )


def _wait(
    parsers: _Parsers, result: FetchResult, future: Future[ParsedFeed], max_entries: int
) -> ParsedFeed:
    """The parsed feed; a FeedError when this feed hangs or crashes its worker.

    When a worker dies, every queued feed's future fails with it, so a feed
    whose pool broke is parsed once more on its own before it is blamed.
    """
    for attempt in (1, 2):
        try:
            return future.result(timeout=PARSE_SECONDS)
        except FutureTimeout:
            parsers.reset()
            raise FeedError(f"took longer than {PARSE_SECONDS:g} s to parse") from None
        except (BrokenProcessPool, CancelledError):
            if attempt == 2:
                raise FeedError("the parser crashed on this feed") from None
            parsers.reset()
            future = parsers.submit(result, max_entries)
    raise AssertionError("unreachable")
