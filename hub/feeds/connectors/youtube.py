"""YouTube channels listed by @handle: their channel id, looked up once through the Data API.

A YouTube account listed by its channel id (``UC`` and 22 characters) feeds
the site through the channel's public feed. One listed by ``@handle`` does
too once ``site.api.youtube_key`` names a variable that holds an API key:
the registry gives it the FeedRef ``api:youtube:@handle`` (:func:`by_handle`),
and :func:`look_up` asks the YouTube Data API v3 for the handle's channel,
``GET /channels?part=id&forHandle=@handle``, with the key in Google's
``X-Goog-Api-Key`` header, never in a URL. The request goes through the
same client as the other API reads (:mod:`hub.feeds.connectors.session`):
only to the API's origin (``HUB_API_BASE_YOUTUBE`` may replace it, and only
that host may then be private), over the vetted transport, with the run's
timeouts and the body cap.

The store keeps the id found (``ApiState.account_id``), so a handle costs
one unit of quota, once; no later run asks the Data API anything. From
then on :func:`channel_feed` makes the account's FeedRef the channel's
public feed under the account's own source, and the fetch stage reads it as
any feed: conditional GET, the private-address rule, parse, sanitize,
store. ``HUB_FEED_BASE_YOUTUBE`` replaces the feed's address
(``https://www.youtube.com/feeds/videos.xml``), for a test server.

An unknown handle, a key refused, the daily quota used up (tried again
after midnight Pacific time, when Google resets it) or an answer of the
wrong shape is that account's failure alone, as a
:class:`~hub.feeds.result.FetchResult` whose message names the key's
variable, never the key (:func:`hub.feeds.connectors.limits.failure`,
then :func:`hub.feeds.connectors.secrets.redact`).
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import httpx

from hub.feeds.connectors import limits, secrets
from hub.feeds.connectors.session import ApiFailure, Base, Client, base_of
from hub.feeds.result import ApiState, FetchResult, describe
from hub.feeds.transport import VettedTransport, prove
from hub.model import FeedRef, FetchSettings

FEED_BASE = "https://www.youtube.com/feeds/videos.xml"
"""A channel's public feed, given ``channel_id``."""
FEED_BASE_VARIABLE = "HUB_FEED_BASE_YOUTUBE"
"""The variable that replaces :data:`FEED_BASE` (a test server)."""
CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")

Found = str | FetchResult
"""What a look-up comes to: the channel's id, or the account's failure."""


def by_handle(feed: FeedRef) -> bool:
    """Whether ``feed`` is a YouTube @handle whose channel the Data API finds."""
    return feed.platform == "youtube" and feed.is_api


def kept_id(state: ApiState | None) -> str | None:
    """The channel id the store keeps for an @handle, if it is one."""
    found = state.account_id if state is not None else None
    return found if found is not None and CHANNEL_ID.fullmatch(found) else None


def feed_url(channel_id: str, environ: Mapping[str, str] | None = None) -> str:
    """The public feed of the channel ``channel_id``."""
    given = (os.environ if environ is None else environ).get(FEED_BASE_VARIABLE, "").strip()
    base = httpx.URL(given or FEED_BASE)
    return str(base.copy_set_param("channel_id", channel_id))


def channel_feed(
    feed: FeedRef, channel_id: str, environ: Mapping[str, str] | None = None
) -> FeedRef:
    """The account, read from its channel's public feed under its own source."""
    return replace(feed, url=feed_url(channel_id, environ), token=None)


async def look_up(
    feeds: Sequence[FeedRef],
    settings: FetchSettings,
    *,
    user_agent: str,
    transport: type[VettedTransport] = VettedTransport,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Found]:
    """Each @handle's channel id, or its failure, by the account's source.

    GuardError (the transport's guard could not be shown to work) is the one
    failure that stops them all, before anything is sent.
    """
    if not feeds:
        return {}
    await prove(transport)
    client = Client(settings, user_agent, transport)
    try:
        found = await asyncio.gather(*(_look_up(client, feed, environ) for feed in feeds))
    finally:
        await client.aclose()
    return {feed.source: result for feed, result in zip(feeds, found, strict=True)}


async def _look_up(client: Client, feed: FeedRef, environ: Mapping[str, str] | None) -> Found:
    started = time.monotonic()
    variable = feed.token or ""
    handle = feed.source.split(":", 2)[-1]
    key = secrets.value_of(variable, environ)
    if key is None:
        return _failed(feed, f"{variable} is not set", started)
    try:
        base = base_of("youtube", environ)
    except ApiFailure as failure:
        return _failed(feed, failure.message, started)
    try:
        return await _ask(client, base, handle, key, variable)
    except ApiFailure as failure:
        return _failed(feed, failure.message, started, failure.retry_after)
    except Exception as error:  # one account's failure must never stop the others
        return _failed(feed, describe(error, client.settings, base.host), started)


async def _ask(client: Client, base: Base, handle: str, key: str, variable: str) -> str:
    """The channel id of ``handle``; ApiFailure when the API says why not."""
    url = base.url.copy_with(path=base.url.path.rstrip("/") + "/channels")
    url = url.copy_merge_params({"part": "id", "forHandle": handle})
    headers = {
        "User-Agent": client.agent,
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate",
        "X-Goog-Api-Key": key,
    }
    page = await client.send(base, "GET", url, headers, None)
    now = datetime.now(UTC)
    failed = limits.failure("youtube", page.status, page.headers, page.document, variable, now)
    if failed is not None:
        raise ApiFailure(failed.message, failed.retry_after)
    if not 200 <= page.status < 300 or page.document is None:
        raise ApiFailure(
            f"the YouTube Data API's answer is not a channel list (HTTP {page.status})"
        )
    items = page.document.get("items")
    if items is None or items == []:
        raise ApiFailure(f"the YouTube Data API knows no channel {handle}: check handle:")
    first = items[0] if isinstance(items, list) else None
    found = first.get("id") if isinstance(first, dict) else None
    if not isinstance(found, str) or not CHANNEL_ID.fullmatch(found):
        raise ApiFailure(
            "the YouTube Data API's answer holds no channel id (UC followed by 22 characters)"
        )
    return found


def _failed(
    feed: FeedRef, message: str, started: float, retry_after: datetime | None = None
) -> FetchResult:
    return FetchResult(
        feed.source,
        "error",
        error=secrets.redact(message),
        retry_after=retry_after,
        elapsed=time.monotonic() - started,
    )
