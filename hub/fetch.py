"""The fetch stage: reads every feed's bytes, over HTTP or from a local file.

This is the only module that touches the network. It owns the politeness and
safety rules for talking to strangers' servers:

- one pooled ``httpx.AsyncClient``; at most ``concurrency`` requests in flight
  and at most ``per_host`` per host:port, a feed waiting for its host never
  holding one of the shared slots;
- connect and read timeouts, plus a whole-request deadline that covers the body;
- conditional GET (ETag, Last-Modified), and an unchanged 200 (same sha256)
  counted as a 304;
- a cap on the decoded body size, decoded here so that a gzip bomb is stopped
  after ``max_bytes`` of output rather than after one huge inflated chunk;
- redirects followed by hand, each hop checked again; a chain of permanent
  redirects is reported as ``moved_to`` so the registry can be updated;
- 410 reported as ``gone``; a 429/503 Retry-After honoured for the rest of the
  run on that host;
- no connection to a loopback, private, link-local, CGNAT, multicast or
  reserved address (nor an IPv6 form that embeds one) unless the settings allow
  private addresses. Every host is resolved here and the connection is made to
  the address that was vetted, so DNS rebinding between check and connect is
  not possible. Proxies from the environment are not used: through a proxy the
  address check would be meaningless.

Every per-feed failure comes back as a FetchResult with outcome ``error`` and a
short message; nothing raises out of ``fetch_feeds`` for one feed's problem.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import httpcore
import httpx

from hub.model import FeedRef, FetchSettings

Outcome = Literal["ok", "not_modified", "error", "gone"]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/xml;q=0.9, */*;q=0.8"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_LATER = frozenset({429, 503})
_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Validators:
    """What the store remembers from a feed's last good fetch."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """How fetching one feed went."""

    source: str
    """The FeedRef.source fetched."""
    outcome: Outcome
    body: bytes | None = None
    """The decoded body, set only when the outcome is ``ok``."""
    headers: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    """Headers of the final response, names in lower case."""
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    """sha256 hex of the body."""
    moved_to: str | None = None
    """Where a chain of permanent redirects (301/308) led: update sources.yaml."""
    retry_after: datetime | None = None
    """When a 429/503 asked to come back, in UTC."""
    status_code: int | None = None
    error: str | None = None
    """A short message for the user when the outcome is ``error``."""
    elapsed: float = 0.0
    """Seconds spent fetching, not counting time queued behind other feeds."""

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified, self.content_hash)


class FetchError(Exception):
    """One feed's failure whose message is already fit for the user."""


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
) -> list[FetchResult]:
    """Fetch every feed; one result per feed, in the order given.

    ``validators`` maps FeedRef.source to what the last good fetch returned.
    ``on_result`` is called on the event loop as each feed finishes.
    ``allowed_networks`` (CIDR strings) are exempt from the private-address
    refusal, for an intranet feed server without allowing every private address.
    """
    policy = AddressPolicy(
        settings.allow_private_addresses,
        tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks),
    )
    results: list[FetchResult | None] = [None] * len(feeds)
    async with _Run(settings, validators or {}, user_agent, policy) as run:

        async def fetch_one(index: int, feed: FeedRef) -> None:
            results[index] = result = await run.fetch(feed)
            if on_result is not None:
                on_result(result)

        await asyncio.gather(*(fetch_one(i, feed) for i, feed in enumerate(feeds)))
    return [result for result in results if result is not None]


# -- address safety --------------------------------------------------------------------

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def address_problem(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_problem(embedded)
    checks = (
        ("an unspecified", address.is_unspecified),
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a shared (CGNAT)", address in _CGNAT),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private or address in _NAT64_LOCAL),
        ("a non-public", not address.is_global),
    )
    return next((f"{kind} address" for kind, failed in checks if failed), None)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition form carries, which is where packets go."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which resolved addresses a connection may go to."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    def refusal(self, host: str, address: IPAddress) -> str | None:
        if self.allow_private or any(address in net for net in self.allowed_networks):
            return None
        problem = address_problem(address)
        if problem is None:
            return None
        if _literal_address(host) == address:
            return f"refused: {host} is {problem}"
        return f"refused: {host} resolves to {problem} {address}"


class _VettedBackend(httpcore.AsyncNetworkBackend):
    """Resolves each host itself and connects only to an address the policy accepts.

    httpx resolves names inside the socket connect; doing it here instead lets us
    check every address and then connect to exactly the one we checked.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve(host, port, timeout)
        for address in addresses:
            if refusal := self._policy.refusal(host, address):
                raise FetchError(refusal)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("refused: unix sockets are never fetched from")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None  # a name, or an odd spelling of an address ("0x7f.1") only a resolver reads


async def _resolve(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    if (literal := _literal_address(host)) is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s (resolving {host})") from None
    except (OSError, UnicodeError) as error:
        raise FetchError(f"could not resolve host {host}") from error
    found = [ipaddress.ip_address(info[4][0]) for info in infos]
    return list(dict.fromkeys(found))


class _Transport(httpx.AsyncHTTPTransport):
    """httpx's transport with our network backend.

    httpx has no public hook for the backend, so the pool it builds is replaced
    by one built the same way; the exception mapping and streams are httpx's.
    """

    def __init__(self, backend: httpcore.AsyncNetworkBackend, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


# -- one run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hop:
    """One response on the way to the feed."""

    url: httpx.URL
    status: int
    headers: Mapping[str, str]
    body: bytes | None = None


class _Run:
    """The client, the slots and the per-host back-off shared by one fetch run."""

    def __init__(
        self,
        settings: FetchSettings,
        validators: Mapping[str, Validators],
        agent: str,
        policy: AddressPolicy,
    ) -> None:
        self.settings = settings
        self.validators = validators
        # The semaphores bound the requests in flight; the pool only bounds idle
        # connections, kept generously because feeds cycle through many hosts and
        # a fresh connection per feed costs more than the request itself.
        limits = httpx.Limits(
            max_connections=None, max_keepalive_connections=4 * settings.concurrency
        )
        self.client = httpx.AsyncClient(
            transport=_Transport(_VettedBackend(policy), limits),
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.total_timeout,
            ),
            headers={"User-Agent": agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,
        )
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.host_slots: dict[str, asyncio.Semaphore] = {}
        self.retry_after: dict[str, datetime] = {}

    async def __aenter__(self) -> _Run:
        await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def fetch(self, feed: FeedRef) -> FetchResult:
        old = self.validators.get(feed.source, Validators())
        try:
            if feed.path is not None:
                return await self._fetch_local(feed.source, feed.path, old)
            return await self._fetch_remote(feed, old)
        except Exception as error:  # one feed's failure must never stop the run
            return FetchResult(feed.source, "error", error=_describe(error, self.settings))

    async def _fetch_local(self, source: str, path: Path, old: Validators) -> FetchResult:
        started = time.monotonic()
        try:
            body = await asyncio.to_thread(_read_file, path, self.settings.max_bytes)
        except FetchError as error:
            return FetchResult(source, "error", error=str(error))
        return replace(_from_body(source, body, old), elapsed=time.monotonic() - started)

    async def _fetch_remote(self, feed: FeedRef, old: Validators) -> FetchResult:
        url = httpx.URL(feed.url or "")
        moved_to: str | None = None
        permanent = True
        clock = _Stopwatch()
        for _ in range(self.settings.max_redirects + 1):
            try:
                hop = await self._hop(url, old, clock)
            except Exception as error:
                message = _describe(error, self.settings, url)
                until = error.until if isinstance(error, _Skipped) else None
                return FetchResult(
                    feed.source, "error", error=message, retry_after=until, elapsed=clock.spent
                )
            if hop.status not in REDIRECTS:
                result = _from_response(feed.source, hop, old, self._now())
                self._remember_back_off(url, result)
                return replace(result, moved_to=moved_to, elapsed=clock.spent)
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

    async def _hop(self, url: httpx.URL, old: Validators, clock: _Stopwatch) -> _Hop:
        """One request, made once this host and the run both have a free slot."""
        if url.scheme not in ("http", "https"):
            raise FetchError(_scheme_refusal(url))
        host = _host_key(url)
        async with self.host_slots.setdefault(host, asyncio.Semaphore(self.settings.per_host)):
            if (until := self.retry_after.get(host)) and until > self._now():
                raise _Skipped(host, until)
            budget = max(self.settings.total_timeout - clock.spent, 0.0)
            async with self.slots:
                try:
                    with clock.running():
                        async with asyncio.timeout(budget):
                            return await self._exchange(url, old)
                except TimeoutError:
                    raise _Deadline() from None

    async def _exchange(self, url: httpx.URL, old: Validators) -> _Hop:
        headers = {}
        if old.etag:
            headers["If-None-Match"] = old.etag
        if old.last_modified:
            headers["If-Modified-Since"] = old.last_modified
        async with self.client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            received = MappingProxyType({k.lower(): v for k, v in response.headers.items()})
            body = None
            if 200 <= status < 300:
                body = await _read_capped(response, self.settings.max_bytes)
            return _Hop(url, status, received, body)

    def _remember_back_off(self, url: httpx.URL, result: FetchResult) -> None:
        if result.retry_after is not None and result.retry_after > self._now():
            self.retry_after[_host_key(url)] = result.retry_after

    def _now(self) -> datetime:
        return datetime.now(UTC)


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


class _Deadline(Exception):
    """The whole-request deadline passed."""


class _Skipped(FetchError):
    """Not requested: the host asked, earlier in this run, to be left alone for a while."""

    def __init__(self, host: str, until: datetime) -> None:
        super().__init__(f"skipped: {host} asked to retry after {_when(until)}")
        self.until = until


def _host_key(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host}:{port}"


# -- bodies ----------------------------------------------------------------------------


class _TooLarge(FetchError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {_size(limit)}")


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise _TooLarge(limit)
    decoder = _Decoder(response.headers.get("content-encoding", ""))
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        for part in decoder.decode(chunk, limit - size):
            size += len(part)
            parts.append(part)
    for part in decoder.flush(limit - size):
        parts.append(part)
    return b"".join(parts)


class _Decoder:
    """Undoes gzip or deflate without ever producing more than the caller has room for.

    httpx inflates each network chunk in one go, so a 64 KiB chunk of a bomb
    becomes ~64 MiB in memory before any cap can look at it.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"unsupported Content-Encoding {content_encoding!r}")
        self.coding = codings[0] if codings else None
        # 32 + MAX_WBITS reads a gzip or a zlib header, whichever is there.
        self._inflate = zlib.decompressobj(32 + zlib.MAX_WBITS) if self.coding else None
        self._started = False

    def decode(self, data: bytes, room: int) -> Iterator[bytes]:
        if self._inflate is None:
            if len(data) > room:
                raise _TooLarge(room)
            yield data
            return
        try:
            out = self._inflate.decompress(data, room + 1)
        except zlib.error:
            if self._started or self.coding != "deflate":
                raise
            # Some servers send raw deflate without the zlib header.
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflate.decompress(data, room + 1)
        self._started = True
        if len(out) > room:
            raise _TooLarge(room)
        yield out

    def flush(self, room: int) -> Iterator[bytes]:
        if self._inflate is not None:
            yield from self.decode(b"", room)


def _read_file(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as file:
            body = file.read(limit + 1)
    except FileNotFoundError:
        raise FetchError(f"file not found: {path}") from None
    except OSError as error:
        raise FetchError(f"cannot read {path}: {error.strerror}") from None
    if len(body) > limit:
        raise _TooLarge(limit)
    return body


def _size(count: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} bytes"


# -- outcomes --------------------------------------------------------------------------


def _from_body(source: str, body: bytes, old: Validators, **fields: Any) -> FetchResult:
    """An ok result, or not_modified when the body hashes the same as last time."""
    digest = hashlib.sha256(body).hexdigest()
    if digest == old.content_hash:
        return FetchResult(source, "not_modified", content_hash=digest, **fields)
    return FetchResult(source, "ok", body=body, content_hash=digest, **fields)


def _from_response(source: str, hop: _Hop, old: Validators, now: datetime) -> FetchResult:
    fields: dict[str, Any] = {
        "headers": hop.headers,
        "final_url": str(hop.url),
        "status_code": hop.status,
        "etag": hop.headers.get("etag"),
        "last_modified": hop.headers.get("last-modified"),
    }
    if hop.body is not None:
        return _from_body(source, hop.body, old, **fields)
    if hop.status == 304:
        fields["etag"] = fields["etag"] or old.etag
        fields["last_modified"] = fields["last_modified"] or old.last_modified
        return FetchResult(source, "not_modified", content_hash=old.content_hash, **fields)
    if hop.status == 410:
        return FetchResult(source, "gone", **fields)
    message = f"HTTP {hop.status} {_phrase(hop.status)}"
    if hop.status in RETRY_LATER:
        fields["retry_after"] = when = parse_retry_after(hop.headers.get("retry-after"), now)
        message += f" (retry after {_when(when)})" if when else ""
    return FetchResult(source, "error", error=message, **fields)


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """A Retry-After header (delta-seconds or an HTTP date) as a UTC datetime."""
    value = (value or "").strip()
    try:
        if value.isdigit():
            return now + timedelta(seconds=int(value))
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return when.replace(tzinfo=when.tzinfo or UTC).astimezone(UTC)


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(unknown status)"


def _describe(error: BaseException, settings: FetchSettings, url: httpx.URL | None = None) -> str:
    """A short message for the user, saying which kind of failure this was."""
    where = _host_key(url) if url is not None else "the server"
    match error:
        case FetchError():
            return str(error)
        case _Deadline():
            return f"timed out after {settings.total_timeout:g} s (whole request)"
        case httpx.ConnectTimeout():
            return f"timed out after {settings.connect_timeout:g} s (connect)"
        case httpx.ReadTimeout():
            return f"timed out after {settings.read_timeout:g} s (read)"
        case httpx.WriteTimeout():
            return f"timed out after {settings.read_timeout:g} s (write)"
        case httpx.PoolTimeout():
            return "timed out waiting for a free connection"
        case httpx.ConnectError():
            return _connect_failure(error, where)
        case httpx.RemoteProtocolError():
            return f"{where} broke the HTTP protocol: {error}"
        case httpx.TransportError():
            return f"connection to {where} failed: {error or type(error).__name__}"
        case zlib.error():
            return f"body is not valid gzip/deflate: {error}"
        case httpx.InvalidURL():
            return f"invalid URL: {error}"
    return f"unexpected {type(error).__name__}: {error}"


def _connect_failure(error: BaseException, where: str) -> str:
    for cause in _causes(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate of {where} rejected: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error with {where}: {cause.reason or cause}"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {where}"
    detail = str(error) or "no detail"
    if "refused" in detail.lower():
        return f"connection refused by {where}"
    return f"could not connect to {where}: {detail}"


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
