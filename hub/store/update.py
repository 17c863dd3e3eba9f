"""Fetch -> parse -> store for every feed in the registry: ``hub fetch``.

Fetching is asynchronous I/O in this process; parsing runs in worker
processes (:mod:`hub.feeds.workers`) as soon as each body arrives, so parsing
overlaps fetching and uses every core, and a feed that hangs or kills its
worker fails alone. Only the store is written, one transaction per feed, so a
failed feed keeps its last good entries; each transaction also records what
changed in the audit trail (:mod:`hub.store.history`), whose events older than
``site.audit.keep_days`` are deleted as the run starts.

Accounts read through their platform's API (``api:<platform>:<handle>``)
are read alongside, by :mod:`hub.feeds.connectors.api`, when they are due
(a rate limit near its ceiling, ``site.fetch.api_interval``); their answers
are parsed and stored like feeds, and what their next read needs (X's
``since_id``) is kept. A host that answered 429 or 503 with a Retry-After
(or an API token rate limited with a time to come back) is held
(:mod:`hub.feeds.holds`): the hold is kept in the store, and until it is
over no feed of that host is asked, in this run or a later one; those feeds
keep their posts and wait, neither failing nor backing off further. A
YouTube account listed by @handle is fetched as its channel's public feed,
under its own source, once
:mod:`hub.feeds.connectors.youtube` has found the channel's id through the
Data API: in the first run only, since the store keeps the id. Every message
stored, printed or reported passes through
:func:`hub.feeds.connectors.secrets.redact` first.

A failure no feed should cause (an unexpected exception while fetching or
parsing) is that feed's when only some feeds have it: hostile input finds
bugs. When every feed tried fails with the same one, the bug is ours: the
report says so (:attr:`UpdateReport.internal_error`), and those failures are
not held against the feeds, which would otherwise back off for hours after
the fix.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from hub.feeds import expatreader, holds
from hub.feeds.connectors import api, secrets, youtube
from hub.feeds.fetch import fetch_feeds, user_agent
from hub.feeds.holds import HostHold
from hub.feeds.result import ApiState, FetchResult, Validators
from hub.feeds.workers import Answer, Failure, Parsers
from hub.model import FeedRef, Registry
from hub.store.database import Store

Status = Literal["ok", "not_modified", "failed", "gone", "waiting"]

_UNEXPECTED_FETCH = re.compile(r"unexpected (\w+): ")
"""How :func:`hub.feeds.result.describe` words an exception it does not know."""


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
    internal: str | None = None
    """For a failure no network, server or feed should cause (an unexpected
    exception while fetching or parsing), the exception's class."""
    http_status: int | None = None
    """The final response's HTTP status, when the feed was asked for over HTTP."""
    seconds: float | None = None
    """Time spent fetching it (not queued, not parsing); None when it was not fetched."""
    held: str | None = None
    """The host (:attr:`HostHold.host`) whose hold kept it waiting, or that its answer held."""


@dataclass(frozen=True)
class HeldHost:
    """A host held in this run, and how many of the run's feeds it kept waiting."""

    hold: HostHold
    feeds: int
    """The feeds not asked because of it, and the one whose answer set it."""


@dataclass(frozen=True)
class UpdateReport:
    outcomes: tuple[FeedOutcome, ...]
    seconds: float
    counts: Mapping[Status, int] = field(default_factory=dict)
    held: tuple[HeldHost, ...] = ()
    """The hosts held that kept some feed of this run waiting, by host."""

    @property
    def failed(self) -> tuple[FeedOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status in ("failed", "gone"))

    @property
    def internal_error(self) -> str | None:
        """What to tell when every feed tried failed with the same internal error: a bug.

        None otherwise, and always when some feed was fetched, or failed for
        a reason of its own (every feed unreachable is the network's fault).
        """
        return _broken(self.outcomes)


def _broken(outcomes: Sequence[FeedOutcome]) -> str | None:
    tried = [o for o in outcomes if o.status != "waiting"]
    kinds = {o.internal for o in tried}
    if len(kinds) != 1 or None in kinds:
        return None
    first = tried[0]
    feeds = "the one feed tried" if len(tried) == 1 else f"all {len(tried)} feeds tried"
    return (
        f"{feeds} failed with the same internal error, {first.internal}: a bug in the hub, "
        "not a problem with the feeds, whose stored entries are kept and are not held "
        f"to account (the first: {first.source}: {first.message})"
    )


# -- the run ----------------------------------------------------------------------------


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
    secrets.remember_registry(registry)
    settings = registry.site.fetch
    keep_days = registry.site.audit_days
    store.history.prune(now, keep_days)
    store.drop_host_holds(now)
    held = store.host_holds(now)
    feeds = registry.feeds()
    by_source = {feed.source: feed for feed in feeds}
    states = store.feed_states()
    api_states = store.api_states()
    due: list[FeedRef] = []
    outcomes: list[FeedOutcome] = []
    # Failures no feed should cause: recorded when the run is over, unless every
    # feed had the same (a bug, not theirs).
    internal: list[FeedOutcome] = []

    def done(outcome: FeedOutcome) -> None:
        outcome = replace(outcome, message=secrets.redact_optional(outcome.message))
        outcomes.append(outcome)
        if outcome.internal is not None:
            internal.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    if on_start is not None:
        on_start(len(feeds))
    for feed in feeds:
        key = holds.key_of(feed)
        if key is not None and key in held:
            done(FeedOutcome(feed.source, "waiting", holds.not_asked(held[key]), held=key))
        elif store.is_due(feed.source, now):
            last = states[feed.source].last_attempt if feed.source in states else None
            kept = api_states.get(feed.source)
            wait = api.waiting(feed, last, kept, settings, now) if _read(feed) else None
            if wait:
                done(FeedOutcome(feed.source, "waiting", wait))
            else:
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
    # The workers read with the buffered XML reader only where this process
    # found that feedparser reads with it, and the same (it warns once if not).
    # A new worker would import the command line and this module as it starts:
    # the fork server imports them once instead.
    parsers = Parsers(
        buffered_reader=expatreader.check() is None, preload=("hub.cli.main", __name__)
    )

    latest = store.latest_published()
    reads = [
        api.ApiRead(
            feed,
            validators.get(feed.source, Validators()),
            api_states.get(feed.source, ApiState()),
            latest.get(feed.source),
        )
        for feed in due
        if _read(feed)
    ]
    # A YouTube @handle's channel is looked up once; then its id is the store's.
    handles = [feed for feed in due if youtube.by_handle(feed)]
    unknown = [feed for feed in handles if youtube.kept_id(api_states.get(feed.source)) is None]

    def record(answers: Iterator[tuple[FetchResult, Answer]]) -> None:
        for result, answer in answers:
            outcome = _record_parsed(
                store, result, answer, now, settings.max_entries, keep_days > 0
            )
            done(_fetched(outcome, result))
            _remember_api(store, result, api_states, parsed=not isinstance(answer, Failure))

    def fetched(result: FetchResult) -> None:
        result = replace(result, error=secrets.redact_optional(result.error))
        if result.hold is not None and result.outcome != "held":
            store.record_host_hold(result.hold)
            kept = held.get(result.hold.host)
            if kept is None or kept.until < result.hold.until:
                held[result.hold.host] = result.hold
        if result.outcome == "ok" and result.body is not None:
            ref = by_source.get(result.source)
            platform, profile = (ref.platform, ref.profile) if ref else (None, None)
            parsers.submit(result, settings.max_entries, platform, profile)
        else:
            done(_fetched(_record_unparsed(store, result, now), result))
            _remember_api(store, result, api_states, parsed=False)
        record(parsers.finished())

    async def fetch() -> None:
        parsers.watch(asyncio.get_running_loop(), lambda: record(parsers.finished()))
        agent = user_agent(registry.site.url)
        try:
            found = await youtube.look_up(unknown, settings, user_agent=agent)
            channels = _channel_feeds(store, handles, api_states, found, fetched)
            await asyncio.gather(
                fetch_feeds(
                    [*(feed for feed in due if not feed.is_api), *channels],
                    settings,
                    validators=validators,
                    user_agent=agent,
                    on_result=fetched,
                    holds=held,
                    now=now,
                ),
                api.read_accounts(reads, settings, user_agent=agent, on_result=fetched, holds=held),
            )
        finally:
            parsers.watch(None, lambda: None)

    try:
        asyncio.run(fetch())
        record(parsers.rest())
    finally:
        parsers.close()
    if _broken(outcomes) is None:
        for outcome in internal:
            store.record_failure(outcome.source, outcome.message or "failed", now=now)
    counts: dict[Status, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    seconds = time.monotonic() - started
    return UpdateReport(tuple(outcomes), seconds, counts, _held_hosts(outcomes, held))


def _held_hosts(
    outcomes: Sequence[FeedOutcome], held: Mapping[str, HostHold]
) -> tuple[HeldHost, ...]:
    """The holds that kept some of ``outcomes`` waiting, with how many, by host."""
    waiting: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.held is not None:
            waiting[outcome.held] = waiting.get(outcome.held, 0) + 1
    return tuple(HeldHost(held[host], waiting[host]) for host in sorted(waiting) if host in held)


def _read(feed: FeedRef) -> bool:
    """Whether the account is read through its platform's API (a YouTube @handle is not)."""
    return feed.is_api and not youtube.by_handle(feed)


def _channel_feeds(
    store: Store,
    handles: Sequence[FeedRef],
    kept: Mapping[str, ApiState],
    found: Mapping[str, youtube.Found],
    failed: Callable[[FetchResult], None],
) -> list[FeedRef]:
    """The YouTube @handles as their channels' feeds, the ids just found kept in the store.

    A handle whose look-up failed is that account's failure, handed to ``failed``.
    """
    feeds = []
    for feed in handles:
        result = found.get(feed.source)
        if isinstance(result, FetchResult):
            failed(result)
            continue
        if result is not None:
            store.record_api_state(feed.source, ApiState(account_id=result))
        channel = result or youtube.kept_id(kept.get(feed.source))
        if channel is not None:
            feeds.append(youtube.channel_feed(feed, channel))
    return feeds


def _remember_api(
    store: Store, result: FetchResult, before: Mapping[str, ApiState], *, parsed: bool
) -> None:
    """What the next read of an account through its API needs; its cursor moves once stored."""
    if result.api is None:
        return
    state = result.api
    if not parsed and result.outcome != "not_modified":
        old = before.get(result.source, ApiState())
        state = replace(state, cursor=old.cursor, full_read=old.full_read)
    store.record_api_state(result.source, state)


def _fetched(outcome: FeedOutcome, result: FetchResult) -> FeedOutcome:
    """``outcome`` with what fetching it recorded: the HTTP status, the time taken, and
    the hold its answer set."""
    if result.outcome == "held":  # not asked
        return outcome
    held = result.hold.host if result.hold is not None else None
    return replace(outcome, http_status=result.status_code, seconds=result.elapsed, held=held)


def failure_message(result: FetchResult) -> str:
    """What the store records, and the run prints, for a fetch that brought no feed."""
    gone = result.outcome == "gone"
    return result.error or ("gone (HTTP 410): remove it from sources.yaml" if gone else "failed")


def _record_unparsed(store: Store, result: FetchResult, now: datetime) -> FeedOutcome:
    if result.outcome == "held":  # not asked: the feed's state stays as it was
        held = result.hold.host if result.hold is not None else None
        return FeedOutcome(result.source, "waiting", result.error, held=held)
    if result.outcome == "not_modified":
        store.record_not_modified(
            result.source, now=now, etag=result.etag, last_modified=result.last_modified
        )
        return FeedOutcome(result.source, "not_modified", moved_to=result.moved_to)
    gone = result.outcome == "gone"
    message = failure_message(result)
    unexpected = _UNEXPECTED_FETCH.match(message) if result.outcome == "error" else None
    if unexpected is not None:  # recorded at the end of the run, if at all
        return FeedOutcome(result.source, "failed", message, internal=unexpected.group(1))
    store.record_failure(result.source, message, now=now, retry_after=result.retry_after, gone=gone)
    return FeedOutcome(result.source, "gone" if gone else "failed", message)


def _record_parsed(
    store: Store,
    result: FetchResult,
    answer: Answer,
    now: datetime,
    max_entries: int,
    keep_history: bool,
) -> FeedOutcome:
    if isinstance(answer, Failure):
        message = secrets.redact(answer.message)
        if answer.internal is None:
            store.record_failure(result.source, message, now=now)
        return FeedOutcome(result.source, "failed", message, internal=answer.internal)
    change = store.record_success(
        result.source,
        answer.entries,
        now=now,
        etag=result.etag,
        last_modified=result.last_modified,
        content_hash=result.content_hash,
        moved_to=result.moved_to,
        max_entries=max_entries,
        keep_history=keep_history,
    )
    return FeedOutcome(
        result.source, "ok", new=change.new, withdrawn=change.withdrawn, moved_to=result.moved_to
    )
