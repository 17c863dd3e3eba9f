"""The format-neutral half of the parse stage: drafts in, sanitized entries out.

Each feed format's reader (``hub.feeds.parse`` for RSS and Atom, ``hub.feeds.jsonfeed``)
turns its document into ``Draft`` values and the small coercions here; this
module picks the entries to keep, gives each a stable id, and sends every
text field through ``hub.feeds.sanitize``. Sanitizing is the costly step, so only
the drafts that are kept get it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from hub.feeds import posttext
from hub.feeds.sanitize import clean_html, plain_text, safe_url
from hub.model import Entry, Media

MAX_TITLE = 500
MAX_AUTHOR = 200
MAX_CATEGORY = 100
MAX_CATEGORIES = 20
MAX_MEDIA = 10
MAX_ALT = 1500
MAX_ID = 512
"""Longer ids are replaced by their hash, so a hostile guid cannot bloat the store."""
MAX_HTML = 100_000
"""Characters of a post's summary or content read: a long article is a few tens of
thousands; past this, the rest is left out (the sanitizer closes what the cut left
open), so that one post cannot bloat the store and every feed that carries it."""

_LANGUAGE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*")
_MIME = re.compile(r"[\w.+-]+/[\w.+-]+")


class FeedError(Exception):
    """One feed could not be read; the message says why, for a human."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str | None
    language: str | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Draft:
    """An entry before the costly sanitizing, which only the kept ones get."""

    id: str
    title: str
    """HTML, like summary and content; text is escaped on the way in."""
    summary: str
    content: str
    link: str | None
    published: datetime | None
    updated: datetime | None
    author: str
    categories: tuple[str, ...]
    media: tuple[Media, ...]
    language: str | None
    base: str | None

    @property
    def when(self) -> datetime | None:
        return self.published or self.updated


def finish(drafts: Iterable[Draft], source: str, max_entries: int | None) -> tuple[Entry, ...]:
    """The kept drafts as sanitized entries: first of each id, the newest ``max_entries``."""
    unique: dict[str, Draft] = {}
    for draft in drafts:
        unique.setdefault(draft.id, draft)
    kept = _newest(list(unique.values()), max_entries)
    return tuple(_entry(draft, source) for draft in kept)


def _newest(drafts: Sequence[Draft], limit: int | None) -> Sequence[Draft]:
    """The ``limit`` newest drafts, in document order.

    Undated entries rank below dated ones and, among themselves, by position:
    feeds list their newest first.
    """
    if limit is None or len(drafts) <= limit:
        return drafts
    oldest = datetime.min.replace(tzinfo=UTC)
    ranked = sorted(
        range(len(drafts)),
        key=lambda i: (drafts[i].when is not None, drafts[i].when or oldest),
        reverse=True,
    )
    return [drafts[i] for i in sorted(ranked[: max(limit, 0)])]


def _entry(draft: Draft, source: str) -> Entry:
    summary = clean_html(draft.summary[:MAX_HTML], draft.base)
    content = clean_html(draft.content[:MAX_HTML], draft.base)
    if content == summary:
        content = ""
    categories = _unique(plain_text(value, MAX_CATEGORY) for value in draft.categories)
    title = plain_text(draft.title, MAX_TITLE)
    return Entry(
        feed=source,
        id=draft.id,
        title=title,
        summary=summary,
        content=content,
        link=draft.link,
        published=draft.published,
        updated=draft.updated,
        author=plain_text(draft.author, MAX_AUTHOR) or None,
        categories=categories[:MAX_CATEGORIES],
        media=draft.media,
        language=draft.language,
        # Worked out here, in a parse worker, for the store to save with the entry.
        texts=posttext.texts_of(title, summary, content),
    )


def stable_id(guid: str, link: str | None, title: str, summary: str, published: str) -> str:
    """guid, else link, else a hash of what the entry says: the same every run."""
    guid = guid.strip()
    if guid:
        return guid if len(guid) <= MAX_ID else "sha256:" + _sha256(guid)
    if link and len(link) <= MAX_ID:
        return link
    return "sha256:" + _sha256(f"{title}\n{summary}\n{published}")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def collect_media(
    found: Iterable[tuple[str, str, str | None]], base: str | None
) -> tuple[Media, ...]:
    """Safe, distinct images from (url, alt text, MIME type) triples, at most MAX_MEDIA."""
    seen: dict[str, Media] = {}
    for url, alt, kind in found:
        safe = safe_url(url, base)
        if safe is None or safe in seen:
            continue
        mime = kind.lower() if kind and _MIME.fullmatch(kind) else None
        seen[safe] = Media(url=safe, alt=plain_text(escape(alt), MAX_ALT), type=mime)
        if len(seen) == MAX_MEDIA:
            break
    return tuple(seen.values())


def text_to_html(text: str) -> str:
    """Plain text as escaped paragraphs."""
    return paragraphs(escape(text))


def paragraphs(markup: str) -> str:
    """Tag-free markup as paragraphs, keeping the line breaks people typed."""
    parts = re.split(r"\n\s*\n", markup.strip())
    return "".join(f"<p>{'<br>'.join(p.strip().splitlines())}</p>" for p in parts if p)


def language_tag(value: object) -> str | None:
    """A language tag in lower case ("fr-ca"), or None for anything that is not one."""
    if not isinstance(value, str):
        return None
    tag = value.strip().lower().replace("_", "-")
    return tag if _LANGUAGE.fullmatch(tag) else None


def as_text(value: object) -> str:
    """A feed value as a string that can be written to a page, "" when it is not text."""
    if not isinstance(value, str):
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (JSON "\ud800") could not be written to a page later.
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def as_texts(value: object) -> list[str]:
    """A list of strings, cut short so a hostile list cannot cost much."""
    return [as_text(v) for v in value[: MAX_CATEGORIES * 2]] if isinstance(value, list) else []


def as_dicts(value: object) -> list[dict[str, Any]]:
    """The mappings in a list, as plain dicts; anything else is an empty list."""
    return [dict(v) for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        if value:
            seen.setdefault(value.casefold(), value)
    return tuple(seen.values())


def iso_moment(text: str | None) -> datetime | None:
    """An ISO 8601 time (``2026-11-02T14:05:00.000Z``) in UTC; None for anything else.

    A time without a zone is taken as UTC; a hostile length or year is None.
    """
    if not text or len(text) > 64:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None
