"""Live reads of the service's own accounts through each platform's API, with its tokens.

An account whose registry entry names a token variable (``token:``, or
``site.api.x_bearer_token`` for X) has a FeedRef whose ``source`` is
``api:<platform>:<handle>``. :func:`read_accounts` reads each one that is due
through its platform's API (:mod:`hub.feeds.connectors.apireads` says what is
asked, :mod:`hub.feeds.connectors.session` how and where), merges the pages
into one answer of the API's documented shape, and hands it on as an ``ok``
:class:`~hub.feeds.result.FetchResult`: the parse workers read it with the
platform's reader as they read any feed, and the store keeps its posts, edits
and withdrawals as it does a feed's. The same bytes twice count as unchanged.

Each account fails alone: an expired or revoked token, a rate limit (with
the time to come back), a timeout, an answer too large. Its message names
the token's variable, never the token, and passes through
:func:`hub.feeds.connectors.secrets.redact`, as does the answer itself.

When an account is due (:func:`waiting`): not before a rate limit near its
ceiling has room again, and not sooner after its last read than
``site.fetch.api_interval`` says (X 60 minutes, the others 15, by default).
Before the first request of a run, the transport proves that its
private-address guard is on (:func:`hub.feeds.transport.prove`). An
account rate limited by its API holds every account read with the same
token (:mod:`hub.feeds.holds`): those not yet read in the run are not asked,
and come back ``held``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from hub.feeds.connectors import secrets
from hub.feeds.connectors.apireads import READS
from hub.feeds.connectors.limits import API_NAMES
from hub.feeds.connectors.session import ApiFailure, ApiHeld, Client, Session, base_of
from hub.feeds.holds import HostHold, not_asked
from hub.feeds.result import ApiState, FetchResult, Validators, describe, from_body, when
from hub.feeds.transport import VettedTransport, prove
from hub.model import FeedRef, FetchSettings


@dataclass(frozen=True)
class ApiRead:
    """One account to read, with what the store remembers of it."""

    feed: FeedRef
    validators: Validators = field(default_factory=Validators)
    state: ApiState = field(default_factory=ApiState)
    newest: datetime | None = None
    """The newest post stored for the account."""


def waiting(
    feed: FeedRef,
    last_attempt: datetime | None,
    state: ApiState | None,
    settings: FetchSettings,
    now: datetime,
) -> str | None:
    """Why the account is not read this run; None when it is due."""
    platform = feed.platform or ""
    if state is not None and state.not_before is not None and state.not_before > now:
        name = API_NAMES.get(platform, "API")
        until = when(state.not_before)
        return f"a rate limit of the {name} is near its ceiling: next read after {until}"
    minutes = settings.minutes_between_reads(platform)
    if last_attempt is not None and minutes > 0:
        due = last_attempt + timedelta(minutes=minutes)
        if due > now:
            return (
                f"read through its API at most every {minutes:g} minutes "
                f"(site.fetch.api_interval): next read after {when(due)}"
            )
    return None


async def read_accounts(
    reads: Sequence[ApiRead],
    settings: FetchSettings,
    *,
    user_agent: str,
    on_result: Callable[[FetchResult], None] | None = None,
    transport: type[VettedTransport] = VettedTransport,
    environ: Mapping[str, str] | None = None,
    holds: Mapping[str, HostHold] | None = None,
) -> list[FetchResult]:
    """Read every account; one result per account, in the order given.

    ``on_result`` is called on the event loop as each account's read ends.
    GuardError (the transport's guard could not be shown to work) is the one
    failure that stops them all, before anything is sent. ``holds`` are the
    holds in force as the run starts (:func:`hub.feeds.holds.api_key`).
    """
    if not reads:
        return []
    await prove(transport)
    client = Client(settings, user_agent, transport, holds)
    results: list[FetchResult | None] = [None] * len(reads)

    async def one(index: int, read: ApiRead) -> None:
        results[index] = result = await _read(client, read, environ)
        if on_result is not None:
            on_result(result)

    try:
        await asyncio.gather(*(one(i, read) for i, read in enumerate(reads)))
    finally:
        await client.aclose()
    return [result for result in results if result is not None]


async def _read(client: Client, read: ApiRead, environ: Mapping[str, str] | None) -> FetchResult:
    feed = read.feed
    started = time.monotonic()
    variable = feed.token or ""
    token = secrets.value_of(variable, environ)
    if token is None:
        return FetchResult(feed.source, "error", error=f"{variable} is not set")
    read_with = READS.get(feed.platform or "")
    if read_with is None:
        return FetchResult(feed.source, "error", error="this platform is not read through an API")
    try:
        base = base_of(feed.platform or "", environ, token)
    except ApiFailure as failure:
        return FetchResult(feed.source, "error", error=failure.message)
    session = Session(
        client,
        base,
        feed,
        token,
        newest=read.newest,
        account_id=read.state.account_id,
        cursor=read.state.cursor,
        full_read=read.state.full_read,
    )
    try:
        answer = await read_with(session)
        body = answer if isinstance(answer, bytes) else _encoded(answer)
    except ApiHeld as held:
        hold = held.hold
        message = not_asked(hold)
        return FetchResult(feed.source, "held", error=message, retry_after=hold.until, hold=hold)
    except ApiFailure as failure:
        return _failed(session, failure.message, failure.retry_after, started)
    except Exception as error:  # one account's failure must never stop the others
        return _failed(session, describe(error, client.settings, base.host), None, started)
    result = from_body(feed.source, secrets.redact_bytes(body), read.validators, status_code=200)
    return replace(
        result, api=session.state(), elapsed=time.monotonic() - started, hold=session.hold
    )


def _failed(
    session: Session, message: str, retry_after: datetime | None, started: float
) -> FetchResult:
    return FetchResult(
        session.feed.source,
        "error",
        error=secrets.redact(message),
        retry_after=retry_after,
        api=session.state(),
        elapsed=time.monotonic() - started,
        hold=session.hold,
    )


def _encoded(answer: object) -> bytes:
    """The merged answer as JSON bytes: the same answer always makes the same bytes.

    ASCII only, so that a lone surrogate the API escaped stays an escape.
    """
    return json.dumps(answer, separators=(",", ":")).encode()
