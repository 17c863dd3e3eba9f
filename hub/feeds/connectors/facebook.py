"""A Facebook Page's posts, as the Graph API answers for them, read into drafts.

Followed: Graph API v26.0 (the fields read are the same since v3.3, when
``link``, ``type`` and their kin left the Page post), the request being::

    GET /{page-id}/posts?fields=id,message,created_time,updated_time,permalink_url,
        full_picture,attachments{media_type,type,url,unshimmed_url,title,
        description,media{image{src,width,height}},subattachments},status_type

and its answer ``{"data": [post, ...], "paging": {"cursors": {...}, "next": ...}}``
(``paging`` is not read: one answer is one page of the newest posts).

Fields read, per post:

- ``id``: the entry's id.
- ``message``: the text, plain, its paragraphs and line breaks kept; links
  and hashtags in it stay text (hashtags also become categories). No title.
- ``permalink_url``: the link, when it is on Facebook's own hosts; else the
  Page's profile URL.
- ``created_time`` and ``updated_time`` (``2026-11-02T14:05:00+0000``).
- ``full_picture``: the picture, its alt text the first attachment's
  ``description``, else its ``title``, else none (none too when that only
  repeats the post's text); without ``full_picture``,
  the first attachment's ``media.image.src``. An album's further photos
  (the first attachment's ``subattachments``) follow, each with its own
  ``description`` as alt text.
- ``attachments``: the first of ``type: share`` becomes a last paragraph
  linking to what was shared, its ``unshimmed_url`` (else ``url``, without
  Facebook's ``l.facebook.com/l.php?u=`` shim) named by its ``title``.

``status_type`` and ``media_type`` are not needed to read a post. An error
answer (``{"error": {...}}``) is a FeedError saying what the API said.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.feeds.connectors.graph import (
    dig,
    edge,
    link_paragraph,
    make_draft,
    own_link,
    posts,
    text_of,
)
from hub.feeds.drafts import MAX_MEDIA, Draft, as_text
from hub.feeds.sanitize import safe_url

API = "Graph API"

HOSTS = ("facebook.com", "fb.com", "fb.watch")
"""Where a post's permalink may point: Facebook's own hosts."""


def read(body: bytes, profile: str | None) -> list[Draft]:
    """The posts of one ``/{page-id}/posts`` answer as drafts.

    ``profile`` is the Page's address: the base of relative links and the
    link of a post without one. Raises FeedError for an answer that is not a
    list of posts, an error answer included.
    """
    base = safe_url(profile) if profile else None
    drafts = (_draft(post, base) for post in posts(body, API))
    return [draft for draft in drafts if draft is not None]


def _draft(post: Mapping[str, Any], base: str | None) -> Draft | None:
    attachments = edge(post.get("attachments"))[:MAX_MEDIA]
    text = text_of(post.get("message"))
    return make_draft(
        item_id=post.get("id"),
        text=text,
        own=own_link(post.get("permalink_url"), base, HOSTS),
        base=base,
        published=post.get("created_time"),
        updated=post.get("updated_time"),
        images=_images(post, attachments, text),
        appendix=_shared_link(attachments, base),
    )


def _images(
    post: Mapping[str, Any], attachments: list[dict[str, Any]], text: str
) -> list[tuple[str, str, str | None]]:
    first: Mapping[str, Any] = attachments[0] if attachments else {}
    alt = _alt(as_text(first.get("description")) or as_text(first.get("title")), text)
    picture = as_text(post.get("full_picture"))
    images = [(picture or _source(first), alt, None)]
    album = edge(first.get("subattachments"))[:MAX_MEDIA]
    # full_picture is the album's first photo, in another size: the rest follow it.
    for photo in album[1:] if images[0][0] else album:
        images.append((_source(photo), _alt(as_text(photo.get("description")), text), None))
    return images


def _alt(description: str, text: str) -> str:
    """An attachment's description as alt text, unless it only repeats the post's text.

    The Graph API has no alt text; a photo's description is often the post
    itself, which a screen reader would then read twice.
    """
    words = " ".join(description.split())
    return "" if not words or words in " ".join(text.split()) else description


def _source(attachment: Mapping[str, Any]) -> str:
    return as_text(dig(attachment, "media", "image", "src"))


def _shared_link(attachments: list[dict[str, Any]], base: str | None) -> str:
    """The first shared link as a paragraph, "" when the post shares none."""
    for attachment in attachments:
        if as_text(attachment.get("type")) != "share":
            continue
        title = as_text(attachment.get("title"))
        for key in ("unshimmed_url", "url"):
            paragraph = link_paragraph(as_text(attachment.get(key)), title, base)
            if paragraph:
                return paragraph
        return ""
    return ""
