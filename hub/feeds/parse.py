"""Turns the bytes of one feed into sanitized entries.

This module owns the parse stage: bytes in, ``Entry`` values out, with no
network and no files. RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go through
feedparser here; JSON Feed 1.0/1.1 (which feedparser 6 does not read) is
read by ``hub.feeds.jsonfeed``. Both readers produce drafts that ``hub.feeds.drafts``
turns into entries, every text field leaving through ``hub.feeds.sanitize``.

A feed is written by a stranger, so whatever the bytes are, the only
exception that leaves ``parse_feed`` is ``FeedError``, with a message a
webmaster can act on; one that no feed should cause is an
``UnexpectedError``, which says what it was. Documents that declare DTD
entities are refused before any XML parser sees them: feedparser's lenient
fallback expands entities that the strict parser refused, and a small
document can grow a huge title. A document cut off part way is refused
too, not read as far as it goes: its first entries are not the whole feed.
The patterns that look through a whole document take time in proportion to
its length, whatever it holds.
"""

from __future__ import annotations

import codecs
import io
import re
import time
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

import feedparser

from hub.feeds import connectors, expatreader
from hub.feeds.drafts import (
    MAX_TITLE,
    Draft,
    FeedError,
    ParsedFeed,
    as_dicts,
    as_text,
    collect_media,
    finish,
    language_tag,
    paragraphs,
    stable_id,
    text_to_html,
)
from hub.feeds.encoding import decode
from hub.feeds.jsonfeed import parse_json_feed
from hub.feeds.mediarss import MediaNotes, media_notes
from hub.feeds.sanitize import plain_text, safe_url
from hub.model import Media

_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A<\?xml[^>]{0,500}?\?>")
_UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_BASE_ATTRIBUTE = re.compile(rb"\bbase\s*=", re.IGNORECASE)
# feedparser resolves an Atom id, and an RSS guid unless its isPermaLink is
# other than "true": only a guid saying "false" may be passed over. A start
# tag ends before the next "<" (none is allowed inside one): a search that
# ran on to the end from every "<guid" would take time in the square of
# the document's length.
_ID_ELEMENT = re.compile(
    rb"<(?:[\w.-]+:)?(?:guid|id)\b(?![^<>]*ispermalink\s*=\s*[\"']false[\"'])[^<>]*>",
    re.IGNORECASE,
)
_ABSOLUTE_URL = re.compile(rb"\s*[A-Za-z][A-Za-z0-9+.-]*:")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
_PLAIN_TYPES = frozenset({"text/plain", "text", "plain"})
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")

expatreader.use()


@dataclass(frozen=True)
class _Context:
    """What every entry of one XML document shares."""

    base: str | None
    language: str | None
    notes: MediaNotes
    typed_titles: bool


def parse_feed(
    body: bytes,
    source: str,
    *,
    headers: Mapping[str, str] | None = None,
    base_url: str | None = None,
    max_entries: int | None = None,
    platform: str | None = None,
    profile: str | None = None,
) -> ParsedFeed:
    """Read one RSS, Atom or JSON Feed document, or an answer of ``platform``'s own.

    ``source`` becomes each ``Entry.feed``. Relative links resolve against
    ``base_url``, else ``source`` when it is an http(s) URL, else the feed's
    own link. With ``max_entries``, only that many of the newest entries are
    kept. A document that is none of the three feed formats, from an account
    on a platform with a reader (:mod:`hub.feeds.connectors`), is read by that
    reader; ``profile`` is the account's profile URL. Raises ``FeedError`` and
    nothing else.
    """
    try:
        lowered = {str(key).lower(): str(value) for key, value in (headers or {}).items()}
        read = connectors.reader(platform)
        if read is not None and not _is_feed(body):
            return _platform_answer(read, body, source, profile, max_entries)
        return _parse(body, source, lowered, base_url, max_entries)
    except FeedError:
        raise
    except MemoryError:
        raise FeedError("too large to parse within the memory limit") from None
    except Exception as error:
        # A parser bug or exhaustion on hostile input is still one feed's problem,
        # unless every feed has it (hub.store.update tells).
        raise UnexpectedError.of(error) from None


class UnexpectedError(FeedError):
    """A feed the reader failed on with an exception that no feed should cause.

    Hostile input finds a parser's bugs, so for one feed it is that feed's
    failure; when every feed fails with the same ``kind``, the bug is ours.
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        self.kind = kind
        """The exception's class."""
        self.detail = detail
        super().__init__(f"could not read the feed ({kind}{': ' if detail else ''}{detail})")

    def __reduce__(self) -> tuple[type[UnexpectedError], tuple[str, str]]:
        return type(self), (self.kind, self.detail)

    @classmethod
    def of(cls, error: BaseException) -> UnexpectedError:
        # Its text may quote the feed: printable characters only, and not many.
        detail = _UNPRINTABLE.sub("?", str(error))
        return cls(type(error).__name__, detail if len(detail) <= 160 else detail[:159] + "…")


_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf", b"jsonfeed.org/version")


def _is_feed(body: bytes) -> bool:
    """Whether the document's start says it is RSS, Atom, RDF or JSON Feed."""
    return any(mark in body[:4096].lower() for mark in _FEED_MARKS)


def _platform_answer(
    read: connectors.Reader, body: bytes, source: str, profile: str | None, limit: int | None
) -> ParsedFeed:
    if not body.strip():
        raise FeedError("empty document")
    link = safe_url(profile)
    return ParsedFeed(
        title="", link=link, language=None, entries=finish(read(body, link), source, limit)
    )


def _parse(
    body: bytes,
    source: str,
    headers: Mapping[str, str],
    base_url: str | None,
    max_entries: int | None,
) -> ParsedFeed:
    if not body.removeprefix(codecs.BOM_UTF8).strip():
        raise FeedError("empty document")
    document_base = safe_url(base_url) or safe_url(source)
    if body.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{"):
        return parse_json_feed(body, source, document_base, max_entries)
    text = decode(body, headers.get("content-type", "")).lstrip()
    doctype = _DOCTYPE.search(text)
    if doctype and _ENTITY.search(text, doctype.start()):
        raise FeedError("refused: the document declares DTD entities")
    # Every reader downstream gets UTF-8, so the declaration must say UTF-8.
    data = _XML_DECLARATION.sub(_UTF8_DECLARATION, text, count=1).encode("utf-8", "replace")
    return _parse_xml(data, source, headers, document_base, max_entries)


def _parse_xml(
    data: bytes,
    source: str,
    headers: Mapping[str, str],
    document_base: str | None,
    max_entries: int | None,
) -> ParsedFeed:
    # The bytes are UTF-8 now; say so, or feedparser re-guesses from stale labels.
    response_headers = {"content-type": "application/xml; charset=utf-8"}
    if "content-language" in headers:
        response_headers["content-language"] = headers["content-language"]
    # Without a starting base feedparser lets one entry's xml:base leak into
    # the next, so give it the document's address when there is one and the
    # document could need it (see _needs_base).
    if document_base and _needs_base(data):
        response_headers["content-location"] = document_base
    result = feedparser.parse(
        io.BytesIO(data),
        response_headers=response_headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = result.get("entries") or []
    if not entries:
        _reject_empty(result, data)
    elif result.get("bozo"):
        _reject_cut_off(data)
    feed = result.get("feed") or {}
    feed_link = safe_url(as_text(feed.get("link")), document_base)
    base = document_base or feed_link
    language = language_tag(feed.get("language"))
    context = _Context(
        base=base,
        language=language,
        notes=media_notes(data),
        typed_titles=as_text(result.get("version")).startswith("atom"),
    )
    drafts = (_draft(entry, context) for entry in entries)
    return ParsedFeed(
        title=plain_text(_title(feed, context), MAX_TITLE),
        link=feed_link,
        language=language,
        entries=finish(drafts, source, max_entries),
    )


def _needs_base(data: bytes) -> bool:
    """Whether feedparser must know the document's address to read it right.

    With a base URL, feedparser joins it with each element's base at every
    start tag, which costs about a sixth of its time. It is needed only for
    xml:base (or base) attributes, and for a relative guid or Atom id, which
    feedparser resolves and which becomes the entry's id: ids must not change.
    Every other relative URL (links, enclosures, the HTML's) is resolved here
    against the same address anyway.
    """
    if _BASE_ATTRIBUTE.search(data):
        return True
    return any(not _ABSOLUTE_URL.match(data, found.end()) for found in _ID_ELEMENT.finditer(data))


def _reject_empty(result: Mapping[str, Any], data: bytes) -> None:
    """Raise unless an entry-less result is a real, well-formed, empty feed."""
    if result.get("version"):
        broken = isinstance(result.get("bozo_exception"), xml.sax.SAXException)
        if broken:
            raise FeedError("not well-formed and no entries found")
        return
    head = _without_comments(data[:65536].decode("utf-8", "replace"))
    root = _ROOT.search(head)
    name = root.group(1) if root else ""
    if _HTML_DOCTYPE.search(head) or name.lower().rpartition(":")[2] == "html":
        raise FeedError("not a feed: got an HTML page")
    if name:
        raise FeedError(f"not a feed: the document is <{name[:40]}>, not RSS, Atom or JSON Feed")
    raise FeedError("not a feed: no RSS, Atom or JSON Feed found")


def _reject_cut_off(data: bytes) -> None:
    """Raise when a document that is not well-formed ends inside its root element.

    feedparser reads what it can of a feed cut off part way (a file served
    while it was being written, a disk that filled up), and hands back its
    first entries, the last one cut. Stored as a feed, that would cut the
    last entry's text and, where a feed lists its oldest entries first,
    withdraw its newest as if deleted. As a failure, the feed keeps its last
    good entries. A feed that is merely not well-formed (a bare ``&``) still
    ends with its root element's end tag, and is read.
    """
    text = _without_comments(data.decode("utf-8", "replace"))
    root = _ROOT.search(text)
    if root is None:
        return
    name = root.group(1)
    if re.compile(rf"</\s*{re.escape(name)}\s*>").search(text, root.end()) is None:
        raise FeedError(
            f"not well-formed: the document ends inside its <{name[:40]}> element (cut off?)"
        )


def _without_comments(text: str) -> str:
    """``text`` without its ``<!-- -->`` comments; from an unclosed one on, as it is."""
    kept = []
    start = 0
    while (opened := text.find("<!--", start)) != -1:
        closed = text.find("-->", opened + 4)
        if closed == -1:
            break
        kept.append(text[start:opened])
        start = closed + 3
    kept.append(text[start:])
    return "".join(kept)


def _title(owner: Mapping[str, Any], context: _Context) -> str:
    # Only Atom says whether a title is text or HTML. RSS titles carry
    # escaped markup by convention, which feedparser often calls plain text.
    detail = owner.get("title_detail") if context.typed_titles else None
    return _html_of(owner.get("title"), detail)


def _draft(parsed: Mapping[str, Any], context: _Context) -> Draft:
    # A plain dict: FeedParserDict.get is slow and answers a missing
    # updated_parsed with published_parsed.
    entry = dict(parsed)
    notes = context.notes
    title = _title(entry, context)
    summary, summary_base = _summary(entry, notes)
    content, content_base = _content(entry, notes)
    # feedparser applied xml:base to the link; content and media need it from here.
    base = safe_url(summary_base or content_base, context.base) or context.base
    link = safe_url(as_text(entry.get("link")), context.base)
    published = _from_struct(entry.get("published_parsed"))
    author = entry.get("author_detail") or {}
    return Draft(
        id=stable_id(
            as_text(entry.get("id")), link, title, summary, as_text(entry.get("published"))
        ),
        title=title,
        summary=summary,
        content=content,
        link=link,
        published=published,
        updated=_from_struct(entry.get("updated_parsed")),
        author=as_text(author.get("name")) or as_text(entry.get("author")),
        categories=tuple(
            as_text(tag.get("label")) or as_text(tag.get("term"))
            for tag in as_dicts(entry.get("tags"))
        ),
        media=_media(entry, notes.alt, base),
        language=_entry_language(entry) or context.language,
        base=base,
    )


def _summary(entry: Mapping[str, Any], notes: MediaNotes) -> tuple[str, str]:
    value = as_text(entry.get("summary"))
    detail = entry.get("summary_detail") or {}
    if notes.describes_media(value):
        return "", ""
    # feedparser overwrites summary_detail with a later media:description;
    # then its type describes that, not the summary.
    if detail.get("value") != value:
        detail = {"type": "text/html"}
    return _html_of(value, detail), as_text(detail.get("base"))


def _content(entry: Mapping[str, Any], notes: MediaNotes) -> tuple[str, str]:
    for detail in as_dicts(entry.get("content")):
        value = as_text(detail.get("value"))
        if value and not notes.describes_media(value):
            return _html_of(value, detail), as_text(detail.get("base"))
    return "", ""


def _entry_language(entry: Mapping[str, Any]) -> str | None:
    details = [entry.get("title_detail"), entry.get("summary_detail")]
    details.extend(as_dicts(entry.get("content")))
    candidates = [entry.get("language"), *(d.get("language") for d in details if d)]
    return next(filter(None, map(language_tag, candidates)), None)


def _media(entry: Mapping[str, Any], alt: Mapping[str, str], base: str | None) -> tuple[Media, ...]:
    found: list[tuple[str, str | None]] = []
    for item in as_dicts(entry.get("media_content")):
        url, kind = as_text(item.get("url")), as_text(item.get("type"))
        if _is_image(url, kind, as_text(item.get("medium"))):
            found.append((url, kind))
    for link in as_dicts(entry.get("links")):
        kind = as_text(link.get("type"))
        if link.get("rel") == "enclosure" and kind.startswith("image/"):
            found.append((as_text(link.get("href")), kind))
    # A thumbnail is usually a smaller copy of an image already found.
    if not found:
        thumbnails = as_dicts(entry.get("media_thumbnail"))
        found.extend((as_text(item.get("url")), None) for item in thumbnails)
    return collect_media(((url, alt.get(url, ""), kind) for url, kind in found), base)


def _is_image(url: str, kind: str, medium: str) -> bool:
    if medium or kind:
        return medium == "image" or kind.startswith("image/")
    return url.lower().split("?")[0].endswith(_IMAGE_SUFFIXES)


def _html_of(value: object, detail: object) -> str:
    """A feed text construct as HTML: text is escaped, markup kept for the sanitizer."""
    text = as_text(value)
    kind = as_text(detail.get("type")) if isinstance(detail, Mapping) else ""
    if kind in _PLAIN_TYPES:
        return text_to_html(text) if "\n" in text.strip() else escape(text)
    # RSS says description is HTML, but many (Bluesky, YouTube) send plain
    # text with line breaks, which HTML would run together.
    if "<" not in text and "\n" in text.strip():
        return paragraphs(text)
    return text


def _from_struct(value: object) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
