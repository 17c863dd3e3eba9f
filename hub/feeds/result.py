"""What fetching one feed comes to: the result, the user's error, and how to get there.

Owns the values the fetch stage hands on (``FetchResult``, ``Validators``,
``ApiState`` for an account read through its API), the one exception whose
message is shown to the user as is (``FetchError``), and the pure rules
that turn a final response or an exception into a result: an unchanged body
counts as a 304, 410 is ``gone``, a 429/503 Retry-After is read, and every
failure gets a short message saying which kind it was. A feed whose host is
held (:mod:`hub.feeds.holds`) comes back ``held``: it was not asked.
"""

from __future__ import annotations

import hashlib
import ssl
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import MappingProxyType
from typing import Any, Literal

import httpx

from hub.feeds.holds import HostHold
from hub.model import FetchSettings

Outcome = Literal["ok", "not_modified", "error", "gone", "held"]

RETRY_LATER = frozenset({429, 503})
_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Validators:
    """What the store remembers from a feed's last good fetch."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None


@dataclass(frozen=True)
class ApiState:
    """What is remembered between runs of an account read through its platform's API."""

    account_id: str | None = None
    """The platform's own id for the account, where a read needs it: X's user id, the
    channel id (``UC...``) of a YouTube @handle."""
    cursor: str | None = None
    """Where the next read starts: X's newest post id read, its next ``since_id``."""
    not_before: datetime | None = None
    """No read before then: a rate limit came near its ceiling (UTC)."""
    full_read: datetime | None = None
    """When the account was last read whole rather than from its cursor (UTC)."""


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
    api: ApiState | None = None
    """For an account read through its platform's API, what the next read needs."""
    hold: HostHold | None = None
    """The host hold behind this result: the one its answer set (a 429 or 503 with
    a Retry-After), or, when the outcome is ``held``, the one that kept it from being asked."""

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified, self.content_hash)


class FetchError(Exception):
    """One feed's failure whose message is already fit for the user."""


class Deadline(Exception):
    """The whole-request deadline passed."""


@dataclass(frozen=True)
class Hop:
    """One response on the way to the feed."""

    url: httpx.URL
    status: int
    headers: Mapping[str, str]
    body: bytes | None = None


def from_body(source: str, body: bytes, old: Validators, **fields: Any) -> FetchResult:
    """An ok result, or not_modified when the body hashes the same as last time."""
    digest = hashlib.sha256(body).hexdigest()
    if digest == old.content_hash:
        return FetchResult(source, "not_modified", content_hash=digest, **fields)
    return FetchResult(source, "ok", body=body, content_hash=digest, **fields)


def from_response(source: str, hop: Hop, old: Validators, now: datetime) -> FetchResult:
    """The result of a final, non-redirect response."""
    fields: dict[str, Any] = {
        "headers": hop.headers,
        "final_url": str(hop.url),
        "status_code": hop.status,
        "etag": hop.headers.get("etag"),
        "last_modified": hop.headers.get("last-modified"),
    }
    if hop.body is not None:
        return from_body(source, hop.body, old, **fields)
    if hop.status == 304:
        fields["etag"] = fields["etag"] or old.etag
        fields["last_modified"] = fields["last_modified"] or old.last_modified
        return FetchResult(source, "not_modified", content_hash=old.content_hash, **fields)
    if hop.status == 410:
        return FetchResult(source, "gone", **fields)
    message = f"HTTP {hop.status} {_phrase(hop.status)}"
    if hop.status in RETRY_LATER:
        fields["retry_after"] = moment = parse_retry_after(hop.headers.get("retry-after"), now)
        message += f" (retry after {when(moment)})" if moment else ""
    return FetchResult(source, "error", error=message, **fields)


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """A Retry-After header (delta-seconds or an HTTP date) as a UTC datetime."""
    value = (value or "").strip()
    try:
        if value.isdigit():
            return now + timedelta(seconds=int(value))
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)


def when(moment: datetime) -> str:
    """A moment as the user reads it in a message."""
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(unknown status)"


def describe(error: BaseException, settings: FetchSettings, where: str = "the server") -> str:
    """A short message for the user, saying which kind of failure this was.

    ``where`` names the host:port talked to, when there was one.
    """
    match error:
        case FetchError():
            return str(error)
        case Deadline():
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
