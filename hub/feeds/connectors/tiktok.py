"""TikTok videos, read from the video list of the TikTok Display API v2.

The answer read is that of ``POST https://open.tiktokapis.com/v2/video/list/``
(TikTok API v2, scope ``video.list``) asked for::

    fields=id,title,video_description,create_time,cover_image_url,share_url,
           embed_link,duration,width,height

that is ``{"data": {"videos": [video, ...], "cursor": <Unix milliseconds>,
"has_more": bool}, "error": {"code": "ok", "message": "", "log_id": "..."}}``,
newest first. Each video becomes one draft:

- text: ``video_description``, else ``title``; the ``title`` is the draft's
  title as well (the site shows a title only where it says more than the text).
- link: ``share_url`` on a tiktok.com host, without its query: TikTok adds
  ``utm_campaign`` and ``utm_source`` (the app's client key) to it, which a
  reader of the site has no use for. Else, from the profile URL,
  ``https://www.tiktok.com/@{handle}/video/{id}``.
- id: the video's ``id``; a video without a numeric id is skipped.
- published: ``create_time``, in Unix seconds.
- image: ``cover_image_url``. The address is signed and expires after a few
  hours; the hub copies a post's images when it fetches the feed
  (``hub/store/media.py``), and the pages show that copy.

The cover's alt text is empty. TikTok describes no cover, and the one text a
video has, its description or title, stands right beside the picture as the
post's text: as alt text a screen reader would read it twice and it would
still not say what the picture shows. Beside its text the cover is decorative,
which an empty alt says.

``embed_link`` (a player in a frame, which the site's Content-Security-Policy
does not allow), ``duration``, ``width`` and ``height`` are read by nothing
here. ``cursor`` and ``has_more`` are not followed: one answer is one page,
the newest videos.

An ``error.code`` other than ``ok`` is a FeedError that says what went wrong
and TikTok's ``log_id`` (which TikTok asks for when it is contacted), with
anything in the message that looks like a token taken out.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from hub.feeds.connectors import secrets
from hub.feeds.drafts import (
    Draft,
    FeedError,
    as_dicts,
    as_text,
    collect_media,
    stable_id,
    text_to_html,
)
from hub.feeds.sanitize import safe_url

MAX_TEXT = 5_000
"""Characters of a video's description kept (TikTok's own limit is 4,000)."""
MAX_MESSAGE = 300

_ID = re.compile(r"[0-9]{1,25}")
_HANDLE = re.compile(r"[A-Za-z0-9._]{1,23}[A-Za-z0-9_]")
"""A TikTok username: letters, digits, underscores and dots, not ending with a dot."""
_CODE = re.compile(r"[a-z0-9_]{1,64}")
_LOG_ID = re.compile(r"[A-Za-z0-9]{1,64}")
ERRORS: Mapping[str, str] = {
    "access_token_invalid": "the access token is invalid or has expired; refresh it",
    "scope_not_authorized": "the account did not grant the video.list scope",
    "scope_permission_missed": "the access token lacks a scope that a requested field needs",
    "rate_limit_exceeded": "too many requests; TikTok asks to wait before the next",
    "invalid_params": "the request's parameters were refused",
    "internal_error": "TikTok failed to answer",
}
"""What TikTok's error codes mean, for a human."""


def read(body: bytes, profile: str | None) -> list[Draft]:
    """The videos of one video list answer as drafts.

    ``profile`` is the account's profile URL (``https://www.tiktok.com/@handle``).
    Raises FeedError for an answer that is not JSON, not a video list, or an
    error answer.
    """
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise FeedError("not well-formed JSON") from None
    if not isinstance(document, dict):
        raise FeedError("not a TikTok API answer: not a JSON object")
    error = document.get("error")
    code = as_text(error.get("code")) if isinstance(error, Mapping) else ""
    if isinstance(error, Mapping) and code != "ok" and (code or "data" not in document):
        raise FeedError(_error_message(error))
    if isinstance(error, str) and error:
        # The OAuth endpoints' shape: {"error", "error_description", "log_id"}.
        raise FeedError(_error_message({**document, "code": error}))
    data = document.get("data")
    videos = data.get("videos") if isinstance(data, Mapping) else None
    if videos is None and isinstance(data, Mapping) and code == "ok":
        return []  # an account without videos
    if not isinstance(videos, list):
        raise FeedError("not a TikTok video list answer: no 'data.videos' list")
    base = safe_url(as_text(profile))
    handle = _profile_handle(base)
    drafts = (_draft(video, base, handle) for video in as_dicts(videos))
    return [draft for draft in drafts if draft is not None]


def _draft(video: Mapping[str, Any], base: str | None, handle: str | None) -> Draft | None:
    video_id = _video_id(video.get("id"))
    if video_id is None:
        return None
    title = _cut(as_text(video.get("title")).strip())
    description = _cut(as_text(video.get("video_description")).strip())
    summary = text_to_html(description or title)
    link = _share_link(as_text(video.get("share_url")))
    if link is None and handle is not None:
        link = f"https://www.tiktok.com/@{handle}/video/{video_id}"
    cover = as_text(video.get("cover_image_url"))
    return Draft(
        id=stable_id(video_id, link, title, summary, ""),
        title=escape(title) if description else "",
        summary=summary,
        content="",
        link=link,
        published=_from_unix(video.get("create_time")),
        updated=None,
        author="",
        categories=(),
        media=collect_media([(cover, "", None)], base),
        language=None,
        base=base,
    )


def _video_id(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**25:
        return str(value)
    text = as_text(value)
    return text if _ID.fullmatch(text) else None


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "\u2026"


def _share_link(url: str) -> str | None:
    """``share_url`` without its query and fragment, when it leads to tiktok.com."""
    safe = safe_url(url)
    if safe is None:
        return None
    parts = urlsplit(safe)
    host = parts.hostname or ""
    if host != "tiktok.com" and not host.endswith(".tiktok.com"):
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", "", ""))


def _profile_handle(profile: str | None) -> str | None:
    """The handle in a TikTok profile URL (``https://www.tiktok.com/@handle``)."""
    if profile is None:
        return None
    parts = urlsplit(profile)
    host = parts.hostname or ""
    if host != "tiktok.com" and not host.endswith(".tiktok.com"):
        return None
    first = parts.path.strip("/").split("/")[0]
    handle = first.removeprefix("@")
    return handle if first.startswith("@") and _HANDLE.fullmatch(handle) else None


def _from_unix(value: object) -> datetime | None:
    """Unix seconds as an aware UTC time; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _error_message(error: Mapping[str, Any]) -> str:
    """What a TikTok error answer says, for a human, with its log id."""
    code = as_text(error.get("code"))
    code = code if _CODE.fullmatch(code) else "unknown_error"
    parts = [ERRORS.get(code, "")]
    for key in ("message", "error_description"):
        said = _said(error.get(key))
        if said and said not in parts:
            parts.append(said)
    message = f"TikTok API error {code}"
    if any(parts):
        message += ": " + "; ".join(part for part in parts if part)
    log_id = as_text(error.get("log_id"))
    suffix = f" (log id {log_id})" if _LOG_ID.fullmatch(log_id) else ""
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "\u2026"
    return message + suffix


def _said(value: object) -> str:
    """A value of an error answer as one printable line, tokens taken out."""
    return secrets.said(value, MAX_MESSAGE)
