"""X posts, read from the user timeline of the X API v2.

The answer read is that of ``GET https://api.x.com/2/users/:id/tweets`` (X API
v2) asked for::

    tweet.fields=created_at,entities,attachments,lang,referenced_tweets,note_tweet
    expansions=attachments.media_keys,author_id
    media.fields=url,preview_image_url,alt_text,type,width,height
    user.fields=username

that is ``{"data": [post, ...], "includes": {"media": [...], "users": [...]},
"meta": {"result_count", "newest_id", "oldest_id", "next_token"}}``, newest
first; an account without posts answers with ``meta`` alone. Each post becomes
one draft:

- text: ``note_tweet.text`` for a long post, else ``text``. X escapes ``&``,
  ``<`` and ``>`` in it; they are unescaped, then the text is escaped once.
  Each t.co link of ``entities.urls`` (and ``note_tweet.entities.urls``)
  becomes a link to its ``expanded_url`` showing its ``display_url``, and the
  t.co link X adds for the post's own photo or video is dropped. Links are
  found by their t.co address in the text rather than by ``start`` and
  ``end``, so an index that is off, or counted in other units, cannot cut a
  word in two.
- link: ``https://x.com/{username}/status/{id}``, the username being the
  post's author's in ``includes.users``, else the one in the profile URL, else
  ``https://x.com/i/web/status/{id}``, which X resolves without one.
- id: the post's ``id``; a post without a numeric id is skipped.
- published: ``created_at``.
- media: ``attachments.media_keys`` looked up in ``includes.media``: a photo's
  ``url``, a video's or GIF's ``preview_image_url``, with ``alt_text``.
- language: ``lang``; X's ``und`` (undetermined), ``zxx`` (no text) and its
  private ``qaa``-``qtz`` codes (only links, hashtags, mentions...) are none.
- categories: the hashtags.

Reposts (``referenced_tweets`` of type ``retweeted``) are skipped: they are
someone else's words. Replies and quotes are kept. ``meta.next_token`` is not
followed: one answer is one page, the newest posts.

An error answer, ``{"title", "detail", "status", "type"}`` or
``{"errors": [...], "title", "detail"}`` without ``data``, is a FeedError that
says what X said, with anything that looks like a token taken out. ``errors``
beside ``data`` are partial errors (a referenced post not found) and the posts
are read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import urlsplit

from hub.feeds.connectors import secrets
from hub.feeds.drafts import (
    MAX_CATEGORIES,
    MAX_MEDIA,
    Draft,
    FeedError,
    as_dicts,
    as_text,
    collect_media,
    iso_moment,
    language_tag,
    paragraphs,
    stable_id,
)
from hub.feeds.sanitize import safe_url

MAX_TEXT = 25_000
"""Characters of a post's text kept: X's long posts stop there."""
MAX_LINKS = 50
"""Links of one post turned into links; more are left as they are written."""
MAX_SHOWN = 200
"""Characters of a link's ``display_url`` shown."""
MAX_TARGET = 2048
"""A longer ``expanded_url`` is not linked to; its t.co address is."""
MAX_MESSAGE = 300

_ID = re.compile(r"[0-9]{1,20}")
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")
_SHORT_LINK = re.compile(r"https?://[^\s<>\"'&]{1,100}")
_ESCAPED = re.compile(r"&(amp|lt|gt);")
_UNESCAPED = {"amp": "&", "lt": "<", "gt": ">"}
_NO_LANGUAGE = re.compile(r"und|zxx|q[a-t][a-z]")
_OWN_MEDIA = re.compile(
    r"https?://(?:[\w-]+\.)*(?:x|twitter)\.com/[^/?#]+/status/([0-9]+)/(?:photo|video)/[0-9]+/?"
)
_X_HOSTS = frozenset(
    {"x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.x.com", "mobile.twitter.com"}
)
Media = Mapping[str, tuple[str, str]]
"""media_key -> (image URL, alt text)."""


def read(body: bytes, profile: str | None) -> list[Draft]:
    """The posts of one timeline answer as drafts, reposts left out.

    ``profile`` is the account's profile URL (``https://x.com/LakeviewPolice``).
    Raises FeedError for an answer that is not JSON, not a timeline answer, or
    an error answer.
    """
    document = _load(body)
    posts = document.get("data")
    if posts is None:
        if any(key in document for key in ("errors", "title", "detail", "status")):
            raise FeedError(_error_message(document))
        if isinstance(document.get("meta"), Mapping):
            return []
        raise FeedError("not an X API answer: no 'data', 'meta' or 'errors'")
    if not isinstance(posts, list):
        raise FeedError("not an X API timeline answer: 'data' is not a list of posts")
    includes = document.get("includes")
    if not isinstance(includes, Mapping):
        includes = {}
    media = _media(includes.get("media"))
    users = _usernames(includes.get("users"))
    base = safe_url(as_text(profile))
    # The author of a timeline's posts is the account itself: the only user
    # included, else the one the profile URL names.
    only = next(iter(users.values())) if len(users) == 1 else None
    account = only or _profile_username(base)
    drafts = (_draft(post, media, users, account, base) for post in as_dicts(posts))
    return [draft for draft in drafts if draft is not None]


def _load(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise FeedError("not well-formed JSON") from None
    if not isinstance(document, dict):
        raise FeedError("not an X API answer: not a JSON object")
    return document


def _draft(
    post: Mapping[str, Any],
    media: Media,
    users: Mapping[str, str],
    account: str | None,
    base: str | None,
) -> Draft | None:
    post_id = _post_id(post.get("id"))
    if post_id is None or _is_repost(post):
        return None
    text, entities = _text_and_entities(post)
    keys = _media_keys(post.get("attachments"))
    summary = _linked(text, entities, post_id, keys)
    username = users.get(as_text(post.get("author_id"))) or account
    path = f"{username}/status" if username else "i/web/status"
    link = f"https://x.com/{path}/{post_id}"
    created = as_text(post.get("created_at"))
    return Draft(
        id=stable_id(post_id, link, "", summary, created),
        title="",
        summary=summary,
        content="",
        link=link,
        published=iso_moment(created),
        updated=None,
        author="",
        categories=_hashtags(entities),
        media=collect_media(
            ((url, alt, None) for url, alt in (media[key] for key in keys if key in media)),
            base,
        ),
        language=_language(post.get("lang")),
        base=base,
    )


def _post_id(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**20:
        return str(value)
    text = as_text(value)
    return text if _ID.fullmatch(text) else None


def _is_repost(post: Mapping[str, Any]) -> bool:
    return any(
        reference.get("type") == "retweeted"
        for reference in as_dicts(post.get("referenced_tweets"))
    )


def _text_and_entities(post: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The post's whole text, and the entities that may describe it, best first.

    A long post's ``text`` is its first 280 characters; ``note_tweet`` has all
    of it, with entities of its own. The short text's entities come after the
    note's: a t.co link is found by its address, wherever it stands.
    """
    note = post.get("note_tweet")
    whole = as_text(note.get("text")) if isinstance(note, Mapping) else ""
    sources = [note.get("entities"), post.get("entities")] if whole else [post.get("entities")]
    text = whole or as_text(post.get("text"))
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + "\u2026"
    entities = [dict(found) for found in sources if isinstance(found, Mapping)]
    return text, entities


def _media_keys(attachments: object) -> list[str]:
    keys = attachments.get("media_keys") if isinstance(attachments, Mapping) else None
    if not isinstance(keys, list):
        return []
    return [text for text in (as_text(key) for key in keys[: MAX_MEDIA * 2]) if text]


def _linked(text: str, entities: list[dict[str, Any]], post_id: str, keys: list[str]) -> str:
    """The text as HTML paragraphs, its t.co links as links to where they lead."""
    text = _ESCAPED.sub(lambda m: _UNESCAPED[m.group(1)], text)
    anchors: dict[str, str] = {}
    for found in entities:
        for entity in _first(found.get("urls"), MAX_LINKS):
            short = as_text(entity.get("url"))
            if len(anchors) < MAX_LINKS and _SHORT_LINK.fullmatch(short):
                anchors.setdefault(short, _anchor(entity, short, post_id, keys))
    if not anchors:
        return paragraphs(escape(text))
    # Longest first, and never the start of a longer address.
    alternatives = "|".join(re.escape(short) for short in sorted(anchors, key=len, reverse=True))
    pieces: list[str] = []
    end = 0
    for match in re.finditer(f"(?:{alternatives})(?![A-Za-z0-9])", text):
        pieces += [escape(text[end : match.start()]), anchors[match.group()]]
        end = match.end()
    pieces.append(escape(text[end:]))
    return paragraphs("".join(pieces))


def _anchor(entity: Mapping[str, Any], short: str, post_id: str, keys: list[str]) -> str:
    """The markup that replaces a t.co link: a link, its text alone, or nothing."""
    expanded = as_text(entity.get("expanded_url"))
    key = as_text(entity.get("media_key"))
    own = _OWN_MEDIA.fullmatch(expanded)
    if (key and key in keys) or (own is not None and own.group(1) == post_id):
        return ""
    target = _target(expanded) or _target(short)
    if target is None:
        return escape(short)
    shown = " ".join(as_text(entity.get("display_url")).split())[:MAX_SHOWN] or target
    return f'<a href="{escape(target)}">{escape(shown)}</a>'


def _target(url: str) -> str | None:
    """``url`` when it is a safe http(s) link that can stand in an attribute."""
    safe = safe_url(url)
    if safe is None or len(safe) > MAX_TARGET or any(c.isspace() for c in safe):
        return None
    return safe


def _hashtags(entities: list[dict[str, Any]]) -> tuple[str, ...]:
    tags = (
        as_text(hashtag.get("tag"))
        for found in entities
        for hashtag in _first(found.get("hashtags"), MAX_CATEGORIES)
    )
    return tuple(dict.fromkeys(escape(tag) for tag in tags if tag))[:MAX_CATEGORIES]


def _first(value: object, count: int) -> list[dict[str, Any]]:
    """The mappings among the first ``count`` items of a list, however long it is."""
    return as_dicts(value[:count]) if isinstance(value, list) else []


def _media(value: object) -> dict[str, tuple[str, str]]:
    """``includes.media`` by media_key: the image to show and its alt text."""
    found: dict[str, tuple[str, str]] = {}
    for item in as_dicts(value):
        key = as_text(item.get("media_key"))
        kind = item.get("type")
        photo, preview = as_text(item.get("url")), as_text(item.get("preview_image_url"))
        if kind == "photo":
            image = photo
        elif kind in ("video", "animated_gif"):
            image = preview
        else:
            image = photo or preview
        if key and image:
            found.setdefault(key, (image, as_text(item.get("alt_text"))))
    return found


def _usernames(value: object) -> dict[str, str]:
    """``includes.users``: user id -> username, for usernames X could have given."""
    found: dict[str, str] = {}
    for user in as_dicts(value):
        user_id, username = as_text(user.get("id")), as_text(user.get("username"))
        if user_id and _USERNAME.fullmatch(username):
            found.setdefault(user_id, username)
    return found


def _profile_username(profile: str | None) -> str | None:
    """The username in an X profile URL (``https://x.com/LakeviewPolice``)."""
    if profile is None:
        return None
    parts = urlsplit(profile)
    if (parts.hostname or "") not in _X_HOSTS:
        return None
    first = parts.path.strip("/").split("/")[0].removeprefix("@")
    return first if _USERNAME.fullmatch(first) else None


def _language(value: object) -> str | None:
    tag = language_tag(value)
    if tag is None or _NO_LANGUAGE.fullmatch(tag.split("-")[0]):
        return None
    return tag


def _error_message(document: Mapping[str, Any]) -> str:
    """What an X API error answer says, for a human: status, title and details."""
    status = document.get("status")
    title = _said(document.get("title"))
    head = "X API error"
    if isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599:
        head += f" {status}"
    if title:
        head += f" {title}"
    details: list[str] = []
    for said in [document.get("detail")] + [
        error.get(key)
        for error in _first(document.get("errors"), 3)
        for key in ("message", "detail", "title")
    ]:
        text = _said(said)
        if text and text != title and text not in details:
            details.append(text)
    message = f"{head}: {'; '.join(details)}" if details else head
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "\u2026"


def _said(value: object) -> str:
    """A value of an error answer as one printable line, tokens taken out."""
    return secrets.said(value, MAX_MESSAGE)
