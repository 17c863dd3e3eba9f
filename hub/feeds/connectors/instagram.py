"""An Instagram professional account's media, as the Instagram Graph API answers for them.

Followed: the Instagram Platform's IG Media, Graph API v26.0 (on
``graph.facebook.com`` with Facebook Login, or ``graph.instagram.com`` with
Instagram Login; the answer is the same), the request being::

    GET /{ig-user-id}/media?fields=id,caption,media_type,media_url,thumbnail_url,
        permalink,timestamp,username,children{media_type,media_url,thumbnail_url}

and its answer ``{"data": [media, ...], "paging": {...}}`` (``paging`` is not
read: one answer is one page of the newest media).

Fields read, per media object:

- ``id``: the entry's id.
- ``caption``: the text, plain, its paragraphs and line breaks kept; its
  first line, shortened, is the title; its first hashtags (without ``#``)
  are the categories, and stay text in it.
- ``permalink``: the link, when it is on Instagram; else the profile URL.
- ``timestamp`` (``2026-11-02T14:05:00+0000``): the time published.
- ``media_type`` with ``media_url`` and ``thumbnail_url``: the picture is
  ``media_url`` for an IMAGE, ``thumbnail_url`` for a VIDEO, and for a
  CAROUSEL_ALBUM the first of its ``children`` that has one. The API gives
  no alt text: it is empty.
- ``username``: the author.

An error answer (``{"error": {...}}``) is a FeedError saying what the API said.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.feeds.connectors.graph import make_draft, media_image, own_link, posts, text_of
from hub.feeds.drafts import MAX_AUTHOR, Draft, as_text
from hub.feeds.sanitize import safe_url

API = "Instagram Graph API"

HOSTS = ("instagram.com",)
"""Where a post's permalink may point."""


def read(body: bytes, profile: str | None) -> list[Draft]:
    """The media of one ``/{ig-user-id}/media`` answer as drafts.

    ``profile`` is the account's address: the base of relative links and the
    link of a post without one. Raises FeedError for an answer that is not a
    list of media, an error answer included.
    """
    base = safe_url(profile) if profile else None
    drafts = (_draft(media, base) for media in posts(body, API))
    return [draft for draft in drafts if draft is not None]


def _draft(media: Mapping[str, Any], base: str | None) -> Draft | None:
    return make_draft(
        item_id=media.get("id"),
        text=text_of(media.get("caption")),
        own=own_link(media.get("permalink"), base, HOSTS),
        base=base,
        published=media.get("timestamp"),
        images=[(media_image(media, base), "", None)],
        author=as_text(media.get("username"))[:MAX_AUTHOR],
    )
