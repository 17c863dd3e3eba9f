"""Host holds: a server that answered "come back at T" is asked nothing before T.

A 429 or 503 whose ``Retry-After`` names a time holds the host that answered
(as :func:`host_key` names hosts: ``host:port``, so a redirect's target is held,
not the address the feed was listed under): none of its feeds is asked until
then, in this run and, through the store, in later runs. An account read
through its platform's API that is rate limited with a time to come back holds
every account read with the same token (:func:`api_key`), since the platforms
count their limits per app and token, not per account.

A hold never runs past :data:`HOLD_CAP` from when it was said; a time already
past holds nothing. This module is pure: it decides what a hold is and how it
reads; the fetch code applies holds and the store keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from hub.model import FeedRef
from hub.registry import platforms

HOLD_CAP = timedelta(hours=24)
"""The longest a host is held, whatever its Retry-After says.

A day, as long as one feed's own back-off may last: a scheduled run every
fifteen minutes then asks nothing of a host that asked for an hour, yet a
Retry-After of a month (a server misconfigured, or one that would keep the
service's news off its own site) costs a day of new posts from that host at
most, its feeds keeping their posts meanwhile."""


@dataclass(frozen=True)
class HostHold:
    """A host (or an API's token) that said when to come back."""

    host: str
    """:func:`host_key` of the server that answered, or :func:`api_key` of an API read."""
    until: datetime
    """Asked nothing before then (UTC), at most :data:`HOLD_CAP` after ``said``."""
    status: int
    """The HTTP status of the answer that said it: 429 or 503 (for an API, its status)."""
    why: str
    """What the answer said, in a few words: ``HTTP 429 Too Many Requests``."""
    said: datetime
    """When the answer came (UTC)."""
    source: str
    """The feed (``FeedRef.source``) whose request got that answer."""


def host_key(url: httpx.URL | str) -> str:
    """The host a hold applies to, as the fetch code counts hosts: ``host:port``."""
    url = httpx.URL(url) if isinstance(url, str) else url
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host}:{port}"


def api_key(platform: str, variable: str) -> str:
    """The hold of the accounts read through ``platform``'s API with the token in ``variable``."""
    return f"api:{platform}:{variable}"


def key_of(feed: FeedRef) -> str | None:
    """The hold that keeps ``feed`` waiting, if one is in force; None for a file."""
    if feed.url is not None:
        try:
            return host_key(feed.url)
        except httpx.InvalidURL:
            return None
    if feed.is_api and feed.platform and feed.token:
        return api_key(feed.platform, feed.token)
    return None


def hold_for(
    host: str, retry_after: datetime, *, said: datetime, status: int, why: str, source: str
) -> HostHold | None:
    """The hold an answer at ``said`` asking to come back at ``retry_after`` sets.

    Clamped to :data:`HOLD_CAP` after ``said``; None when ``retry_after`` is not
    after ``said`` (a time already past holds nothing).
    """
    if retry_after <= said:
        return None
    return HostHold(host, min(retry_after, said + HOLD_CAP), status, why, said, source)


def not_asked(hold: HostHold) -> str:
    """Why a feed was not asked: its host is held."""
    return (
        f"not asked: {named(hold.host)} is held until {hold.until:%Y-%m-%d %H:%M:%S} UTC "
        f"({hold.why}, in answer to {hold.source})"
    )


def named(host: str) -> str:
    """A hold's key as people read it: ``host:port``, or ``the X API (token X_BEARER)``."""
    kind, _, rest = host.partition(":")
    if kind != "api":
        return host
    platform, _, variable = rest.partition(":")
    known = platforms.get(platform)
    return f"the {known.label if known else platform} API (token {variable})"


def relative(until: datetime, now: datetime) -> str:
    """How far ``until`` is from ``now``: ``in 50 min``, ``in 23 h 5 min``, ``over``."""
    minutes = int((until - now).total_seconds() + 59) // 60
    if minutes <= 0:
        return "over"
    hours, minutes = divmod(minutes, 60)
    return f"in {hours} h {minutes} min" if hours else f"in {minutes} min"


def held_line(hold: HostHold, waiting: int, now: datetime) -> str:
    """One line for a held host: which, until when (UTC and from ``now``), how many
    feeds wait, and why."""
    feeds = "1 feed waits" if waiting == 1 else f"{waiting} feeds wait"
    return (
        f"{named(hold.host)} held until {hold.until:%Y-%m-%d %H:%M} UTC "
        f"({relative(hold.until, now)}): {feeds} ({hold.why}, in answer to {hold.source})"
    )
