"""Readers of the platforms' own answers: what an account posted, as the same drafts a feed gives.

Facebook, Instagram, X, Threads and TikTok publish no feed; a service reads
its own accounts through each platform's API, and Telegram channels through
their public web preview. Each module here reads one platform's answer (the
JSON its API returns, or the preview's HTML) into
:class:`~hub.feeds.drafts.Draft` values, so sanitizing, the store, withdrawals,
images and the publish gate treat those posts as they treat a feed's.

:func:`reader` gives the reader for a platform key; :func:`hub.feeds.parse.parse_feed`
calls it for a feed whose account is on that platform, unless the document
is an RSS, Atom or JSON Feed document after all. Readers are pure: bytes in,
drafts out, and every value in an answer is treated as written by a stranger.

Beside the readers, the live reads with the service's tokens (``api``,
``apireads``, ``session``, ``limits``, ``secrets``), and the one look-up of
a YouTube @handle's channel through the Data API, whose public feed is then
read like any feed (``youtube``).
"""

from __future__ import annotations

from collections.abc import Callable

from hub.feeds.connectors import facebook, instagram, telegram, threads, tiktok, x
from hub.feeds.drafts import Draft

Reader = Callable[[bytes, str | None], list[Draft]]
"""A platform's reader: the answer's bytes and the account's profile URL (for
links the answer leaves relative) in, drafts out; raises FeedError."""

READERS: dict[str, Reader] = {
    "facebook": facebook.read,
    "instagram": instagram.read,
    "threads": threads.read,
    "x": x.read,
    "tiktok": tiktok.read,
    "telegram": telegram.read,
}
"""Platform key -> the reader of its answers."""


def reader(platform: str | None) -> Reader | None:
    """The reader of ``platform``'s answers, None for a platform without one."""
    return READERS.get(platform or "")
