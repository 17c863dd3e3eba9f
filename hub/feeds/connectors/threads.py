"""A Threads profile's posts, as the Threads API answers for them, read into drafts.

Followed: Threads API v1.0 (``graph.threads.net``, also served as
``graph.threads.com``), "Retrieve User Posts", the request being::

    GET /{threads-user-id}/threads?fields=id,media_product_type,media_type,media_url,
        permalink,owner,username,text,timestamp,shortcode,thumbnail_url,children,
        is_quote_post

and its answer ``{"data": [post, ...], "paging": {...}}`` (``paging`` is not
read: one answer is one page of the newest posts).

Fields read, per post:

- ``id``: the entry's id.
- ``text``: the text, plain, its paragraphs and line breaks kept; its first
  line, shortened, is the title; its first hashtags (without ``#``) are the
  categories, and stay text in it.
- ``permalink``: the link, when it is on Threads; else the profile URL.
- ``timestamp`` (``2026-11-02T14:05:00+0000``): the time published.
- ``media_type`` with ``media_url`` and ``thumbnail_url``: the picture is
  ``media_url`` for an IMAGE, ``thumbnail_url`` for a VIDEO, and for a
  CAROUSEL_ALBUM the first of its ``children`` that has one (``children``
  holds ids only unless the request asks ``children{media_type,media_url,
  thumbnail_url}``). A REPOST_FACADE is another account's post shown on this
  profile, not this account's words: it is left out.
- ``username``: the author.
- ``alt_text`` and ``link_attachment_url``, read when the request asks for
  them too: the picture's alt text (else none), and a last paragraph linking
  to the URL the post attached.

``media_product_type``, ``owner``, ``shortcode`` and ``is_quote_post`` are not
needed to read a post (a quote post's own text is this account's). An error
answer (``{"error": {...}}``) is a FeedError saying what the API said.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.feeds.connectors.graph import (
    link_paragraph,
    make_draft,
    media_image,
    own_link,
    posts,
    text_of,
)
from hub.feeds.drafts import MAX_AUTHOR, Draft, as_text
from hub.feeds.sanitize import safe_url

API = "Threads API"

HOSTS = ("threads.net", "threads.com")
"""Where a post's permalink may point."""

LEFT_OUT = frozenset({"REPOST_FACADE"})
"""Media types that are not this account's own post."""


def read(body: bytes, profile: str | None) -> list[Draft]:
    """The posts of one ``/{threads-user-id}/threads`` answer as drafts.

    ``profile`` is the account's address: the base of relative links and the
    link of a post without one. Raises FeedError for an answer that is not a
    list of posts, an error answer included.
    """
    base = safe_url(profile) if profile else None
    drafts = (
        _draft(post, base)
        for post in posts(body, API)
        if as_text(post.get("media_type")).upper() not in LEFT_OUT
    )
    return [draft for draft in drafts if draft is not None]


def _draft(post: Mapping[str, Any], base: str | None) -> Draft | None:
    attached = as_text(post.get("link_attachment_url"))
    return make_draft(
        item_id=post.get("id"),
        text=text_of(post.get("text")),
        own=own_link(post.get("permalink"), base, HOSTS),
        base=base,
        published=post.get("timestamp"),
        images=[(media_image(post, base), as_text(post.get("alt_text")), None)],
        appendix=link_paragraph(attached, "", base) if attached else "",
        author=as_text(post.get("username"))[:MAX_AUTHOR],
    )
