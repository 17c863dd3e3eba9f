"""JSON Feed 1.0 and 1.1, which feedparser 6 does not read, read with the json module.

Produces the same ``Draft`` values as the RSS and Atom reader, so the entries
are chosen and sanitized by the same rules (``hub.feeds.drafts``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import escape
from typing import Any

from hub.feeds.drafts import (
    MAX_MEDIA,
    MAX_TITLE,
    Draft,
    FeedError,
    ParsedFeed,
    as_dicts,
    as_text,
    as_texts,
    collect_media,
    finish,
    language_tag,
    stable_id,
    text_to_html,
)
from hub.feeds.sanitize import plain_text, safe_url


def parse_json_feed(
    body: bytes, source: str, document_base: str | None, max_entries: int | None
) -> ParsedFeed:
    """Read a JSON Feed document; raises FeedError for JSON that is not one."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise FeedError("not well-formed JSON") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise FeedError("not a feed: JSON without a JSON Feed version")
    items = document.get("items", [])
    if not isinstance(items, list):
        raise FeedError("not a feed: JSON Feed 'items' is not a list")
    feed_link = safe_url(as_text(document.get("home_page_url")), document_base)
    base = document_base or feed_link
    language = language_tag(document.get("language"))
    feed_authors = _authors(document)
    drafts = (
        item_draft(item, base, language, feed_authors) for item in items if isinstance(item, dict)
    )
    return ParsedFeed(
        title=plain_text(escape(as_text(document.get("title"))), MAX_TITLE),
        link=feed_link,
        language=language,
        entries=finish(drafts, source, max_entries),
    )


def item_draft(
    item: Mapping[str, Any], base: str | None, feed_language: str | None, feed_authors: str
) -> Draft:
    """One item as a draft, every value checked for its type; sanitized later, by ``finish``."""
    title = escape(as_text(item.get("title")))
    summary = text_to_html(as_text(item.get("summary")))
    content = as_text(item.get("content_html")) or text_to_html(as_text(item.get("content_text")))
    link = safe_url(as_text(item.get("url")) or as_text(item.get("external_url")), base)
    raw_id = item.get("id")
    identity = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
    images: list[tuple[str, str, str | None]] = [
        (as_text(item.get(key)), "", None) for key in ("image", "banner_image")
    ]
    for attachment in as_dicts(item.get("attachments"))[:MAX_MEDIA]:
        kind = as_text(attachment.get("mime_type"))
        if kind.startswith("image/"):
            images.append((as_text(attachment.get("url")), as_text(attachment.get("title")), kind))
    return Draft(
        id=stable_id(identity, link, title, summary, as_text(item.get("date_published"))),
        title=title,
        summary=summary,
        content=content,
        link=link,
        published=_from_rfc3339(item.get("date_published")),
        updated=_from_rfc3339(item.get("date_modified")),
        author=escape(_authors(item) or feed_authors),
        categories=tuple(escape(tag) for tag in as_texts(item.get("tags"))),
        media=collect_media(images, base),
        language=language_tag(item.get("language")) or feed_language,
        base=base,
    )


def _authors(owner: Mapping[str, Any]) -> str:
    """Names from JSON Feed 1.1 ``authors`` or 1.0 ``author``."""
    authors = as_dicts(owner.get("authors")) or as_dicts([owner.get("author")])
    return ", ".join(name for name in (as_text(a.get("name")) for a in authors[:5]) if name)


def _from_rfc3339(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        # Some JSON feeds carry RSS-style dates ("Tue, 02 Jan 2024 10:00:00 GMT").
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None
