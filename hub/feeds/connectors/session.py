"""The requests of one account's read through its platform's API, and where they may go.

Every request goes to the platform's API (:func:`base_of`:
``https://graph.facebook.com/v26.0``... or the address in
``HUB_API_BASE_<PLATFORM>``) and to nowhere else: a URL on another origin
(a ``paging.next`` that leads elsewhere, say) is refused before anything is
sent, so a token only ever travels to the API it belongs to. It travels in
an ``Authorization: Bearer`` header, never in a URL: any ``access_token``
parameter is taken out of a URL before it is requested. (The YouTube Data
API's key travels in Google's ``X-Goog-Api-Key`` header instead, through
the same :class:`Client`: :mod:`hub.feeds.connectors.youtube`.)

Connections go through the vetted transport (:mod:`hub.feeds.transport`), one
pool per API origin, with the run's timeouts, a whole-request deadline and
the body cap. The private-address rule holds for every API but one whose
address was given in ``HUB_API_BASE_<PLATFORM>`` (a test server, a proxy):
that host, on that port only, may be private.

A rate limit (or a 503 with a Retry-After) holds every account read with the
same token until the time the API gave (:mod:`hub.feeds.holds`): the
:class:`Client` keeps the run's holds, and a request of a held account is not
sent (:class:`ApiHeld`).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import httpx

from hub.feeds.bodycap import read_capped
from hub.feeds.connectors import limits
from hub.feeds.holds import HostHold, api_key, hold_for
from hub.feeds.netguard import AddressPolicy, IPAddress
from hub.feeds.result import ApiState, Deadline
from hub.feeds.transport import VettedTransport
from hub.model import FeedRef, FetchSettings

BASES: Mapping[str, str] = MappingProxyType(
    {
        "facebook": "https://graph.facebook.com/v26.0",
        "instagram": "https://graph.instagram.com/v26.0",
        "threads": "https://graph.threads.net/v1.0",
        "x": "https://api.x.com/2",
        "tiktok": "https://open.tiktokapis.com/v2",
        "youtube": "https://www.googleapis.com/youtube/v3",
    }
)
"""Each platform's API, where ``HUB_API_BASE_<PLATFORM>`` does not say otherwise."""

ERROR_BYTES = 64 * 1024
"""The most of an error answer that is read."""

Origin = tuple[str, str, int]


class ApiFailure(Exception):
    """One account's read failed; the message is fit for the user and names no token."""

    def __init__(self, message: str, retry_after: datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class ApiHeld(Exception):
    """Not sent: the account's token is held (:mod:`hub.feeds.holds`)."""

    def __init__(self, hold: HostHold) -> None:
        super().__init__(hold.host)
        self.hold = hold


@dataclass(frozen=True)
class Base:
    """Where a platform's API is: every request of its accounts goes under ``url``."""

    url: httpx.URL
    given: bool = False
    """Given in HUB_API_BASE_<PLATFORM>: its host:port may be a private address."""

    @property
    def origin(self) -> Origin:
        return origin(self.url)

    @property
    def host(self) -> str:
        return f"{self.url.host}:{self.origin[2]}"


FACEBOOK_LOGIN = "https://graph.facebook.com/v26.0"
"""Where an Instagram account is read with a token from Facebook Login (``EAA...``)."""


def facebook_login(platform: str, token: str) -> bool:
    """Whether an Instagram token comes from Facebook Login rather than Instagram Login.

    Facebook Login's tokens (a system user's, a Page's) start with ``EAA``;
    Instagram Login's with ``IG``.
    """
    return platform == "instagram" and token.startswith("EAA")


def base_of(platform: str, environ: Mapping[str, str] | None = None, token: str = "") -> Base:
    """The API of ``platform``: its own address, or the one HUB_API_BASE_<PLATFORM> gives."""
    name = f"HUB_API_BASE_{platform.upper()}"
    given = (os.environ if environ is None else environ).get(name, "").strip()
    default = FACEBOOK_LOGIN if facebook_login(platform, token) else BASES.get(platform, "")
    try:
        url = httpx.URL(given or default)
    except httpx.InvalidURL:
        url = httpx.URL()
    if url.scheme not in ("http", "https") or not url.host:
        raise ApiFailure(f"{name} is not an http(s) URL such as {default}")
    return Base(url.copy_with(query=None, fragment=None), bool(given))


def origin(url: httpx.URL) -> Origin:
    return (url.scheme, url.host.lower(), url.port or (443 if url.scheme == "https" else 80))


@dataclass(frozen=True)
class OneHostPolicy(AddressPolicy):
    """The run's policy, except that ``host`` may be at any address (a given API base)."""

    host: str = ""

    def refusal(self, host: str, address: IPAddress) -> str | None:
        if host.strip("[]").lower() == self.host:
            return None
        return super().refusal(host, address)


@dataclass(frozen=True)
class Call:
    """One request: a GET, or a POST of ``json``."""

    url: httpx.URL
    json: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Page:
    """One answer: its status, headers (names in lower case), body, and JSON object if any."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    document: dict[str, Any] | None


class Client:
    """The connections of one run's API reads: one vetted pool per API origin."""

    def __init__(
        self,
        settings: FetchSettings,
        agent: str,
        transport: type[VettedTransport],
        holds: Mapping[str, HostHold] | None = None,
    ) -> None:
        self.settings = settings
        self.agent = agent
        self.transport = transport
        self.holds: dict[str, HostHold] = dict(holds or {})
        """The holds of this run, by :func:`hub.feeds.holds.api_key`: those in force
        as it started, and those its answers set."""
        self.pools: dict[Origin, VettedTransport] = {}
        self.slots: dict[Origin, asyncio.Semaphore] = {}
        self.timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.total_timeout,
        ).as_dict()

    def _transport(self, base: Base) -> VettedTransport:
        pool = self.pools.get(base.origin)
        if pool is None:
            allow = self.settings.allow_private_addresses
            policy = AddressPolicy(allow)
            if base.given:
                policy = OneHostPolicy(allow, host=base.url.host.lower())
            sizes = httpx.Limits(max_connections=self.settings.per_host)
            pool = self.pools[base.origin] = self.transport(policy, sizes)
        return pool

    def hold(self, hold: HostHold) -> None:
        """Hold ``hold.host`` for the rest of the run (a longer hold it has stands)."""
        kept = self.holds.get(hold.host)
        if kept is None or kept.until < hold.until:
            self.holds[hold.host] = hold

    async def send(
        self,
        base: Base,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        body: bytes | None,
        held: str | None = None,
    ) -> Page:
        """One request; ApiHeld, with nothing sent, while the hold ``held`` names is on."""
        if origin(url) != base.origin:
            raise ApiFailure(
                f"refused: {url.host} is not the API's host ({base.url.host}): nothing was sent"
            )
        pool = self._transport(base)
        slot = self.slots.setdefault(base.origin, asyncio.Semaphore(self.settings.per_host))
        async with slot:
            hold = self.holds.get(held) if held is not None else None
            if hold is not None and hold.until > datetime.now(UTC):
                raise ApiHeld(hold)
            try:
                async with asyncio.timeout(self.settings.total_timeout):
                    return await self._exchange(pool, method, url, headers, body)
            except TimeoutError:
                raise Deadline() from None

    async def _exchange(
        self,
        pool: VettedTransport,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        body: bytes | None,
    ) -> Page:
        request = httpx.Request(
            method, url, headers=headers, content=body, extensions={"timeout": self.timeout}
        )
        response = await pool.handle_async_request(request)
        try:
            status = response.status_code
            cap = self.settings.max_bytes if 200 <= status < 300 else ERROR_BYTES
            data = await read_capped(response, cap)
            received = {k.lower(): v for k, v in response.headers.items()}
        finally:
            await response.aclose()
        return Page(status, MappingProxyType(received), data, _document(data))

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()
        self.pools.clear()


def _document(data: bytes) -> dict[str, Any] | None:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None


@dataclass
class Session:
    """One account's read: its requests, and what it learns for the next read."""

    client: Client
    base: Base
    feed: FeedRef
    token: str = field(repr=False)
    newest: datetime | None = None
    """The newest post stored for the account: older pages are not read."""
    account_id: str | None = None
    cursor: str | None = None
    not_before: datetime | None = None
    full_read: datetime | None = None
    near_ceiling: bool = False
    """A rate limit is near its ceiling: read no further page."""
    hold: HostHold | None = None
    """The hold an answer of this read set on every account read with its token."""

    @property
    def platform(self) -> str:
        return self.feed.platform or ""

    @property
    def handle(self) -> str:
        return self.feed.source.split(":", 2)[-1]

    @property
    def variable(self) -> str:
        return self.feed.token or ""

    @property
    def max_entries(self) -> int:
        return self.client.settings.max_entries

    def url(self, path: str, **params: str | int) -> httpx.URL:
        """``path`` under the API's base, with ``params``."""
        root = self.base.url.copy_with(path=self.base.url.path.rstrip("/") + "/" + path)
        return root.copy_merge_params(params) if params else root

    def wait_until(self, moment: datetime) -> None:
        self.not_before = max(moment, self.not_before or moment)

    def state(self) -> ApiState:
        return ApiState(self.account_id, self.cursor, self.not_before, self.full_read)

    async def send(self, call: Call) -> Page:
        """One request with the token in its header (never in the URL): the answer as it came."""
        url = call.url.copy_remove_param("access_token")
        headers = {
            "User-Agent": self.client.agent,
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
            "Authorization": f"Bearer {self.token}",
        }
        body = None
        if call.json is not None:
            body = json.dumps(call.json).encode()
            headers["Content-Type"] = "application/json; charset=UTF-8"
        method = "POST" if body else "GET"
        return await self.client.send(self.base, method, url, headers, body, self.held_by)

    def _hold(self, failed: limits.Failure, status: int, now: datetime) -> None:
        """A rate limit holds every account read with this token, for the rest of the
        run (through the client) and for later runs (through the result, kept in the store)."""
        if failed.why is None or failed.retry_after is None:
            return
        hold = hold_for(
            self.held_by,
            failed.retry_after,
            said=now,
            status=status,
            why=failed.why,
            source=self.feed.source,
        )
        if hold is not None:
            self.client.hold(hold)
            self.hold = hold

    @property
    def held_by(self) -> str:
        """The hold this account's requests wait for: its platform's, with its token."""
        return api_key(self.platform, self.variable)

    async def call(self, call: Call) -> Page:
        """One request with the token; ApiFailure for an answer that says the read failed."""
        page = await self.send(call)
        now = datetime.now(UTC)
        if (until := limits.pause(self.platform, page.headers, now)) is not None:
            self.wait_until(until)
            self.near_ceiling = True
        failed = limits.failure(
            self.platform, page.status, page.headers, page.document, self.variable, now
        )
        if failed is not None:
            if failed.retry_after is not None:
                self.wait_until(failed.retry_after)
                self._hold(failed, page.status, now)
            raise ApiFailure(failed.message, failed.retry_after)
        if not 200 <= page.status < 300:
            raise ApiFailure(f"HTTP {page.status}: an API's answer is not followed elsewhere")
        return page
