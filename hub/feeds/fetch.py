"""The fetch stage: reads every feed's bytes, over HTTP or from a local file.

This stage is the only code that touches the network. It owns the politeness
and safety rules for talking to strangers' servers:

- a vetted transport (httpcore connection pools, one per host, kept alive)
  (``hub.feeds.hostpools``); at most ``concurrency`` requests in flight and at most
  ``per_host`` per host:port, a feed waiting for its host never holding one of
  the shared slots;
- connect and read timeouts, plus a whole-request deadline that covers the body;
- conditional GET (ETag, Last-Modified), and an unchanged 200 (same sha256)
  counted as a 304 (``hub.feeds.result``);
- a cap on the decoded body size, so that a gzip bomb is stopped after
  ``max_bytes`` of output (``hub.feeds.bodycap``);
- redirects followed by hand, each hop checked again; a chain of permanent
  redirects is reported as ``moved_to`` so the registry can be updated;
- 410 reported as ``gone``; a 429/503 with a Retry-After holds the host that
  answered (``hub.feeds.holds``): no feed of it is asked until then, and the
  hold comes back on the result for the store to keep, so that later runs
  (which hand the holds in force to :func:`fetch_feeds`) ask nothing of it either;
- no connection to a non-public address unless the settings allow private
  addresses, checked on the address actually connected to (``hub.feeds.netguard``);
- before anything is fetched, the proof that this check is on
  (``hub.feeds.transport``): the transport must refuse a loopback socket that
  would have answered, or the run stops with ``GuardError`` and nothing
  fetched (the feed fetch and the image download both start here; the
  baseline download's transport proves itself the same way).

Every per-feed failure comes back as a FetchResult with outcome ``error`` and a
short message; nothing raises out of ``fetch_feeds`` for one feed's problem.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

import httpx

from hub.feeds.bodycap import read_capped, read_file
from hub.feeds.holds import HostHold, hold_for, host_key, not_asked
from hub.feeds.hostpools import HostPools
from hub.feeds.netguard import AddressPolicy
from hub.feeds.result import (
    RETRY_LATER,
    Deadline,
    FetchError,
    FetchResult,
    Hop,
    Validators,
    describe,
    from_body,
    from_response,
)
from hub.feeds.transport import VettedTransport, prove
from hub.model import FeedRef, FetchSettings

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/xml;q=0.9, */*;q=0.8"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})


def user_agent(site_url: str) -> str:
    """The User-Agent every request sends: who we are and where to read about us."""
    try:
        version = metadata.version("police-social-hub")
    except metadata.PackageNotFoundError:
        version = "0.1.0"
    return f"police-social-hub/{version} (+{site_url})"


def fetch_all(
    feeds: Sequence[FeedRef],
    settings: FetchSettings,
    *,
    validators: Mapping[str, Validators] | None = None,
    user_agent: str,
    on_result: Callable[[FetchResult], None] | None = None,
    allowed_networks: Sequence[str] = (),
    transport: type[VettedTransport] = VettedTransport,
    holds: Mapping[str, HostHold] | None = None,
    now: datetime | None = None,
) -> list[FetchResult]:
    """``fetch_feeds`` for callers without an event loop."""
    return asyncio.run(
        fetch_feeds(
            feeds,
            settings,
            validators=validators,
            user_agent=user_agent,
            on_result=on_result,
            allowed_networks=allowed_networks,
            transport=transport,
            holds=holds,
            now=now,
        )
    )


async def fetch_feeds(
    feeds: Sequence[FeedRef],
    settings: FetchSettings,
    *,
    validators: Mapping[str, Validators] | None = None,
    user_agent: str,
    on_result: Callable[[FetchResult], None] | None = None,
    allowed_networks: Sequence[str] = (),
    transport: type[VettedTransport] = VettedTransport,
    holds: Mapping[str, HostHold] | None = None,
    now: datetime | None = None,
) -> list[FetchResult]:
    """Fetch every feed; one result per feed, in the order given.

    ``validators`` maps FeedRef.source to what the last good fetch returned.
    ``on_result`` is called on the event loop as each feed finishes.
    ``allowed_networks`` (CIDR strings) are exempt from the private-address
    refusal, for an intranet feed server without allowing every private address.
    ``transport`` is the class every connection goes through; it proves its
    guard first (:func:`hub.feeds.transport.prove`), and GuardError, raised
    before anything is read, is the one failure that stops the whole run.
    ``holds`` are the hosts held as the run starts, by ``host_key``: a feed
    (or a redirect) that leads to one is not asked before its time, and comes
    back ``held``. ``now`` is the run's clock as it starts (the time of day if
    None), from which a Retry-After counts as the run goes on.
    """
    await prove(transport)
    policy = AddressPolicy(
        settings.allow_private_addresses,
        tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks),
    )
    results: list[FetchResult | None] = [None] * len(feeds)
    clock = _Clock(now)
    run = _Run(settings, validators or {}, user_agent, policy, transport, holds or {}, clock)
    async with run:

        async def fetch_one(index: int, feed: FeedRef) -> None:
            results[index] = result = await run.fetch(feed)
            if on_result is not None:
                on_result(result)

        await asyncio.gather(*(fetch_one(i, feed) for i, feed in enumerate(feeds)))
    return [result for result in results if result is not None]


# -- one run ---------------------------------------------------------------------------


class _Run:
    """The connections, the slots and the host holds shared by one fetch run.

    Requests go straight to the transport: httpx's client would only add what
    this stage does not want (a cookie jar shared between feeds, redirects,
    proxies from the environment) at a cost in CPU on every request.
    """

    def __init__(
        self,
        settings: FetchSettings,
        validators: Mapping[str, Validators],
        agent: str,
        policy: AddressPolicy,
        transport: type[VettedTransport],
        holds: Mapping[str, HostHold],
        clock: _Clock,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.validators = validators
        # The semaphores bound the requests in flight; the pools only bound idle
        # connections, kept generously because feeds cycle through many hosts and
        # a fresh connection per feed costs more than the request itself.
        self.transport = HostPools(
            policy,
            per_origin=settings.per_host,
            max_origins=2 * settings.concurrency,
            transport=transport,
        )
        self.timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.total_timeout,
        ).as_dict()
        self.headers = {"User-Agent": agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.host_slots: dict[str, asyncio.Semaphore] = {}
        self.holds: dict[str, HostHold] = dict(holds)

    async def __aenter__(self) -> _Run:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.transport.aclose()

    async def fetch(self, feed: FeedRef) -> FetchResult:
        old = self.validators.get(feed.source, Validators())
        try:
            if feed.path is not None:
                return await self._fetch_local(feed.source, feed.path, old)
            return await self._fetch_remote(feed, old)
        except Exception as error:  # one feed's failure must never stop the run
            return FetchResult(feed.source, "error", error=describe(error, self.settings))

    async def _fetch_local(self, source: str, path: Path, old: Validators) -> FetchResult:
        started = time.monotonic()
        try:
            body = await asyncio.to_thread(read_file, path, self.settings.max_bytes)
        except FetchError as error:
            return FetchResult(source, "error", error=str(error))
        return replace(from_body(source, body, old), elapsed=time.monotonic() - started)

    async def _fetch_remote(self, feed: FeedRef, old: Validators) -> FetchResult:
        url = httpx.URL(feed.url or "")
        moved_to: str | None = None
        permanent = True
        clock = _Stopwatch()
        for _ in range(self.settings.max_redirects + 1):
            try:
                hop = await self._hop(url, old, clock)
            except _Held as held:
                hold = held.hold
                return FetchResult(
                    feed.source,
                    "held",
                    error=str(held),
                    retry_after=hold.until,
                    hold=hold,
                    moved_to=moved_to,
                    elapsed=clock.spent,
                )
            except Exception as error:
                message = describe(error, self.settings, host_key(url))
                return FetchResult(feed.source, "error", error=message, elapsed=clock.spent)
            if hop.status not in REDIRECTS:
                answered = self.clock.now()
                result = from_response(feed.source, hop, old, answered)
                hold = self._hold(url, result, answered)
                return replace(result, moved_to=moved_to, elapsed=clock.spent, hold=hold)
            location = hop.headers.get("location")
            if not location:
                message = f"HTTP {hop.status} redirect without a Location header"
                return FetchResult(feed.source, "error", error=message, elapsed=clock.spent)
            url = url.join(location)
            permanent = permanent and hop.status in PERMANENT_REDIRECTS
            moved_to = str(url) if permanent else moved_to
        message = f"too many redirects (more than {self.settings.max_redirects})"
        return FetchResult(
            feed.source, "error", error=message, moved_to=moved_to, elapsed=clock.spent
        )

    async def _hop(self, url: httpx.URL, old: Validators, clock: _Stopwatch) -> Hop:
        """One request, made once this host and the run both have a free slot."""
        if url.scheme not in ("http", "https"):
            raise FetchError(_scheme_refusal(url))
        host = host_key(url)
        async with self.host_slots.setdefault(host, asyncio.Semaphore(self.settings.per_host)):
            if (hold := self.holds.get(host)) and hold.until > self.clock.now():
                raise _Held(hold)
            budget = max(self.settings.total_timeout - clock.spent, 0.0)
            async with self.slots:
                try:
                    with clock.running():
                        async with asyncio.timeout(budget):
                            return await self._exchange(url, old)
                except TimeoutError:
                    raise Deadline() from None

    async def _exchange(self, url: httpx.URL, old: Validators) -> Hop:
        headers = dict(self.headers)
        if old.etag:
            headers["If-None-Match"] = old.etag
        if old.last_modified:
            headers["If-Modified-Since"] = old.last_modified
        request = httpx.Request("GET", url, headers=headers, extensions={"timeout": self.timeout})
        response = await self.transport.handle_async_request(request)
        response.request = request
        try:
            status = response.status_code
            received = MappingProxyType({k.lower(): v for k, v in response.headers.items()})
            body = None
            if 200 <= status < 300:
                body = await read_capped(response, self.settings.max_bytes)
            elif status == 304:
                # A 304 has no body by definition; reading its end lets httpcore
                # put the connection back in the pool instead of closing it.
                await response.aread()
            return Hop(url, status, received, body)
        finally:
            await response.aclose()

    def _hold(self, url: httpx.URL, result: FetchResult, answered: datetime) -> HostHold | None:
        """The hold a 429 or 503 with a Retry-After sets on the host that answered it."""
        if result.status_code not in RETRY_LATER or result.retry_after is None:
            return None
        host = host_key(url)
        why = (result.error or "").split(" (", 1)[0]
        status = result.status_code or 0
        hold = hold_for(
            host,
            result.retry_after,
            said=answered,
            status=status,
            why=why,
            source=result.source,
        )
        if hold is not None:
            kept = self.holds.get(host)
            if kept is None or kept.until < hold.until:
                self.holds[host] = hold
        return hold


def _scheme_refusal(url: httpx.URL) -> str:
    if url.scheme:
        return f"refused: only http and https URLs are fetched, not {url.scheme}:"
    return f"refused: {str(url)!r} is not an absolute http or https URL"


class _Stopwatch:
    """Time a feed spent in requests, summed over its hops; queueing is not counted."""

    def __init__(self) -> None:
        self.spent = 0.0

    @contextmanager
    def running(self) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.spent += time.monotonic() - started


class _Clock:
    """The run's time: where it started (the time of day unless given), moving on
    as the run does, so a Retry-After counts from the moment it was answered."""

    def __init__(self, start: datetime | None) -> None:
        self.start = start or datetime.now(UTC)
        self.started = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.started)


class _Held(Exception):
    """Not requested: the host said when to come back, and that time has not come."""

    def __init__(self, hold: HostHold) -> None:
        super().__init__(not_asked(hold))
        self.hold = hold
