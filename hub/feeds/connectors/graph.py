"""What the answers of Meta's APIs share: Facebook's Graph API, Instagram's and Threads'.

All three answer a list request with the same envelope, ``{"data": [...],
"paging": {...}}``, and a failed one with the same error object,
``{"error": {"message": ..., "type": ..., "code": ..., "fbtrace_id": ...}}``;
all three write times as ``2026-11-02T14:05:00+0000``. This module reads that
envelope (:func:`posts`), says what an error object means without repeating
a token it may quote (:func:`error_message`), and builds the drafts the
three readers share (:func:`make_draft`): the text as paragraphs and no
title (as X, Bluesky and Mastodon posts, so a post cross-posted from one to
another is seen as one), the hashtags as categories, the link checked
against the platform's own hosts.

Every value is treated as written by a stranger: a value of the wrong type is
taken as missing, text is cut at :data:`MAX_TEXT` characters, an answer holds
at most :data:`MAX_POSTS` posts, and only ``FeedError`` leaves :func:`posts`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from hub.feeds.drafts import (
    MAX_MEDIA,
    Draft,
    FeedError,
    as_dicts,
    as_text,
    collect_media,
    stable_id,
    text_to_html,
)
from hub.feeds.sanitize import safe_url, shorten

MAX_POSTS = 500
"""Posts read from one answer; the APIs page at 100 at most, so more is not theirs."""

MAX_TEXT = 70_000
"""Characters of a post's text kept: a Facebook post holds 63,206, a caption 2,200."""

TITLE_LIMIT = 100
"""Characters of the first line that make a post's title."""

MAX_HASHTAGS = 5
"""Hashtags of a post kept as its categories."""

_MAX_TIME = 64
_MAX_ERROR = 300

_HASHTAG = re.compile(r"(?<![\w#&/])#(\w{1,100})")
# Access tokens (EAA..., IGQ..., THQ..., "app-id|secret") and anything else as
# long and as shapeless; a readable message has no word of 32 letters.
_TOKEN = re.compile(r"[A-Za-z0-9_\-|.%+/=]{32,}")
_TOKEN_PARAMETER = re.compile(r"(access_token|token|code|client_secret)=[^\s&\"']*", re.I)
_CODE_PREFIX = re.compile(r"\(#\d+\)")

REDIRECTORS = frozenset(
    {
        "l.facebook.com",
        "lm.facebook.com",
        "www.facebook.com",
        "m.facebook.com",
        "facebook.com",
        "l.instagram.com",
        "l.threads.net",
        "l.threads.com",
    }
)
"""Hosts whose ``?u=`` links lead elsewhere after a warning page: Meta's link shims."""


def posts(body: bytes, api: str) -> list[dict[str, Any]]:
    """The post objects of one answer of ``api``; FeedError for anything else.

    An error object becomes a FeedError that says what the API said, without
    any token its message quotes.
    """
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        raise FeedError(f"not an answer of the {api}: not well-formed JSON") from None
    if not isinstance(answer, dict):
        raise FeedError(f"not an answer of the {api}: the JSON is not an object")
    if answer.get("error") is not None:
        raise FeedError(error_message(answer["error"]))
    data = answer.get("data")
    if not isinstance(data, list):
        raise FeedError(f"not an answer of the {api}: no 'data' list")
    return as_dicts(data[:MAX_POSTS])


def error_message(error: object) -> str:
    """``the API answered with an error: (#190) ...``: code and message, tokens hidden."""
    details = error if isinstance(error, Mapping) else {"message": error}
    code = details.get("code")
    message = as_text(details.get("message")) or as_text(details.get("type"))
    message = _readable(message) or "no message"
    numbered = isinstance(code, int) and not isinstance(code, bool) and 0 <= code < 10**9
    prefix = f"(#{code}) " if numbered and not _CODE_PREFIX.match(message) else ""
    return f"the API answered with an error: {prefix}{message}"


def _readable(text: str) -> str:
    """``text`` on one line, printable, short, with anything like a token hidden."""
    if len(text) > _MAX_ERROR * 4:
        # Cut between words, so that no token is left too short to be recognized.
        text = text[: _MAX_ERROR * 4]
        text = text[: max(text.rfind(" "), 0)]
    text = _TOKEN_PARAMETER.sub(lambda m: m.group(1) + "=[hidden]", text)
    text = _TOKEN.sub("[hidden]", text)
    text = "".join(c if c.isprintable() else " " for c in text)
    return shorten(" ".join(text.split()), _MAX_ERROR)


def moment(value: object) -> datetime | None:
    """``2026-11-02T14:05:00+0000`` (or any ISO 8601 time) as an aware UTC datetime."""
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TIME:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


def text_of(value: object) -> str:
    """A text field as a string, cut at MAX_TEXT; "" when it is not text."""
    text = as_text(value)
    return shorten(text, MAX_TEXT) if len(text) > MAX_TEXT else text


def title_of(text: str) -> str:
    """The first line of ``text``, shortened, as escaped HTML; "" for no text."""
    for line in text.splitlines():
        words = " ".join(line.split())
        if words:
            return escape(shorten(words, TITLE_LIMIT))
    return ""


def hashtags(text: str) -> tuple[str, ...]:
    """The first MAX_HASHTAGS distinct hashtags of ``text``, without '#'."""
    found: dict[str, str] = {}
    for match in _HASHTAG.finditer(text):
        tag = match.group(1)
        if not tag.isdigit():
            found.setdefault(tag.casefold(), tag)
            if len(found) == MAX_HASHTAGS:
                break
    return tuple(found.values())


def graph_id(value: object) -> str:
    """An object's ``id`` (text or a number) as text; "" for anything else."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return as_text(value).strip()


def edge(value: object) -> list[dict[str, Any]]:
    """The objects of an edge (``{"data": [...]}``), or of a plain list."""
    if isinstance(value, Mapping):
        value = value.get("data")
    return as_dicts(value)


def dig(value: object, *keys: str) -> object:
    """``value[k1][k2]...`` through mappings only; None where the path breaks."""
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def unwrap(url: str) -> str:
    """``url`` without Meta's link shim: ``l.facebook.com/l.php?u=X`` is X."""
    for _ in range(3):
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return url
        if host not in REDIRECTORS:
            return url
        if host.endswith("facebook.com") and parts.path != "/l.php":
            return url
        target = next((v for k, v in parse_qsl(parts.query) if k == "u"), "")
        if not target:
            return url
        url = target
    return url


def own_link(value: object, base: str | None, hosts: Iterable[str]) -> str | None:
    """A post's permalink when it is a safe URL on one of ``hosts`` (or below one)."""
    url = safe_url(as_text(value), base)
    if url is None:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return url if any(host == h or host.endswith("." + h) for h in hosts) else None


def link_paragraph(url: str, title: str, base: str | None) -> str:
    """``<p><a href=URL>title</a></p>`` for a shared link, "" when it is not safe."""
    safe = safe_url(unwrap(url), base)
    if safe is None:
        return ""
    words = " ".join(title.split()) or safe
    return f'<p><a href="{escape(safe)}">{escape(shorten(words, TITLE_LIMIT))}</a></p>'


def media_image(item: Mapping[str, Any], base: str | None) -> str:
    """An Instagram or Threads media object's picture: the image, a video's thumbnail.

    An album shows its first child that has one that is safe (albums hold no
    albums); "" when there is none.
    """
    if as_text(item.get("media_type")).upper() != "CAROUSEL_ALBUM":
        return _single_image(item)
    for child in edge(item.get("children"))[: MAX_MEDIA * 2]:
        found = _single_image(child)
        if safe_url(found, base):
            return found
    return ""


def _single_image(item: Mapping[str, Any]) -> str:
    kind = as_text(item.get("media_type")).upper()
    if kind == "IMAGE":
        return as_text(item.get("media_url"))
    if kind == "VIDEO":
        return as_text(item.get("thumbnail_url"))
    # Anything newer: a thumbnail is an image; a media_url may be a video,
    # which the image download refuses by its bytes.
    return as_text(item.get("thumbnail_url")) or as_text(item.get("media_url"))


def make_draft(
    *,
    item_id: object,
    text: str,
    own: str | None,
    base: str | None,
    published: object,
    updated: object = None,
    images: Iterable[tuple[str, str, str | None]] = (),
    appendix: str = "",
    author: str = "",
) -> Draft | None:
    """One post as a draft; None for an object that has nothing to show or name it by.

    ``text`` is plain text; ``appendix`` is HTML built here (a shared link);
    ``own`` is the post's permalink, ``base`` the profile it falls back to.
    """
    identity = graph_id(item_id)
    summary = text_to_html(text) + appendix
    media = collect_media(images, base)
    if not (identity or own or summary or media):
        return None
    # No title: like X, Bluesky and Mastodon posts, these are text alone, so
    # the same words posted on two platforms are seen as one post.
    return Draft(
        id=stable_id(identity, own, title_of(text), summary, as_text(published)),
        title="",
        summary=summary,
        content="",
        link=own or base,
        published=moment(published),
        updated=moment(updated),
        author=escape(author),
        categories=tuple(escape(tag) for tag in hashtags(text)),
        media=media,
        language=None,
        base=base,
    )
