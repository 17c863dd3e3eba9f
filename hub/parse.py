"""Turns the bytes of one feed into sanitized entries.

This module owns the parse stage: bytes in, ``Entry`` values out, with no
network and no files. RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go through
feedparser; JSON Feed 1.0/1.1 (which feedparser 6 does not read) is read here
with the json module. Every text field leaves through ``hub.sanitize``.

A feed is written by a stranger, so whatever the bytes are, the only
exception that leaves ``parse_feed`` is ``FeedError``, with a message a
webmaster can act on. Documents that declare DTD entities are refused before
any XML parser sees them: feedparser's lenient fallback expands entities
that the strict parser refused, and a small document can grow a huge title.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
import time
import xml.sax
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import escape
from typing import Any
from xml.etree import ElementTree

import feedparser

from hub.model import Entry, Media
from hub.sanitize import clean_html, plain_text, safe_url

MAX_TITLE = 500
MAX_AUTHOR = 200
MAX_CATEGORY = 100
MAX_CATEGORIES = 20
MAX_MEDIA = 10
MAX_ALT = 1500
MAX_ID = 512
"""Longer ids are replaced by their hash, so a hostile guid cannot bloat the store."""

_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_XML_ENCODING = re.compile(
    rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
)
_XML_DECLARATION = re.compile(r"\A<\?xml[^>]{0,500}?\?>")
_UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_LANGUAGE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*")
_MIME = re.compile(r"[\w.+-]+/[\w.+-]+")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
_PLAIN_TYPES = frozenset({"text/plain", "text", "plain"})
_MRSS = ("{http://search.yahoo.com/mrss/}", "{http://search.yahoo.com/mrss}")
_CHUNK = 1 << 16

_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# XML spec appendix F: how "<" or "<?xm" looks in encodings without a BOM.
_UNMARKED_ENCODINGS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
)


class FeedError(Exception):
    """One feed could not be read; the message says why, for a human."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str | None
    language: str | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class _Draft:
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


@dataclass(frozen=True)
class _MediaNotes:
    """What feedparser loses from Media RSS: which text describes which image."""

    alt: Mapping[str, str] = field(default_factory=dict)
    nested: frozenset[str] = frozenset()
    """Descriptions nested in media:content, which feedparser files as content."""


@dataclass(frozen=True)
class _Context:
    """What every entry of one XML document shares."""

    base: str | None
    language: str | None
    notes: _MediaNotes
    typed_titles: bool


def parse_feed(
    body: bytes,
    source: str,
    *,
    headers: Mapping[str, str] | None = None,
    base_url: str | None = None,
    max_entries: int | None = None,
) -> ParsedFeed:
    """Read one RSS, Atom or JSON Feed document.

    ``source`` becomes each ``Entry.feed``. Relative links resolve against
    ``base_url``, else ``source`` when it is an http(s) URL, else the feed's
    own link. With ``max_entries``, only that many of the newest entries are
    kept. Raises ``FeedError`` and nothing else.
    """
    try:
        lowered = {str(key).lower(): str(value) for key, value in (headers or {}).items()}
        return _parse(body, source, lowered, base_url, max_entries)
    except FeedError:
        raise
    except MemoryError:
        raise FeedError("too large to parse within the memory limit") from None
    except Exception as error:
        # A parser bug or exhaustion on hostile input is still one feed's problem.
        raise FeedError(f"could not read the feed ({type(error).__name__})") from None


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
        return _parse_json(body, source, document_base, max_entries)
    text = _decode(body, headers.get("content-type", "")).lstrip()
    doctype = _DOCTYPE.search(text)
    if doctype and _ENTITY.search(text, doctype.start()):
        raise FeedError("refused: the document declares DTD entities")
    # Every reader downstream gets UTF-8, so the declaration must say UTF-8.
    data = _XML_DECLARATION.sub(_UTF8_DECLARATION, text, count=1).encode("utf-8", "replace")
    return _parse_xml(data, source, headers, document_base, max_entries)


# Encodings


def _decode(body: bytes, content_type: str) -> str:
    """The document as text, trusting the bytes over labels that disagree.

    Valid UTF-8 with non-ASCII characters is almost never really Latin-1, so
    UTF-8 wins over a declared single-byte encoding; bytes that are not UTF-8
    try the HTTP charset, the XML declaration, then Windows-1252.
    """
    for marker, encoding in _BYTE_ORDER_MARKS:
        if body.startswith(marker):
            return body[len(marker) :].decode(encoding, "replace")
    for marker, encoding in _UNMARKED_ENCODINGS:
        if body.startswith(marker):
            return body.decode(encoding, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _XML_ENCODING.match(body)
    labels = (_charset(content_type), declared.group(1).decode("ascii") if declared else "")
    for label in labels:
        codec = _ascii_compatible(label)
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode("windows-1252", "replace")


def _charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _ascii_compatible(label: str) -> str | None:
    """The codec for ``label`` if it reads markup like ASCII (never UTF-7 or UTF-16)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
        probe = "<?xml encoding='x'?>"
        return name if probe.encode(name) == probe.encode("ascii") else None
    except (LookupError, UnicodeError):
        return None


# XML: RSS and Atom through feedparser


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
    # the next, so give it the document's address when there is one.
    if document_base:
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
    feed = result.get("feed") or {}
    feed_link = safe_url(_string(feed.get("link")), document_base)
    base = document_base or feed_link
    language = _language(feed.get("language"))
    context = _Context(
        base=base,
        language=language,
        notes=_media_notes(data) if b"search.yahoo.com/mrss" in data else _MediaNotes(),
        typed_titles=_string(result.get("version")).startswith("atom"),
    )
    drafts = (_xml_draft(entry, context) for entry in entries)
    return ParsedFeed(
        title=plain_text(_title(feed, context), MAX_TITLE),
        link=feed_link,
        language=language,
        entries=_finish(drafts, source, max_entries),
    )


def _reject_empty(result: Mapping[str, Any], data: bytes) -> None:
    """Raise unless an entry-less result is a real, well-formed, empty feed."""
    if result.get("version"):
        broken = isinstance(result.get("bozo_exception"), xml.sax.SAXException)
        if broken:
            raise FeedError("not well-formed and no entries found")
        return
    head = _COMMENT.sub("", data[:65536].decode("utf-8", "replace"))
    root = _ROOT.search(head)
    name = root.group(1) if root else ""
    if _HTML_DOCTYPE.search(head) or name.lower().rpartition(":")[2] == "html":
        raise FeedError("not a feed: got an HTML page")
    if name:
        raise FeedError(f"not a feed: the document is <{name[:40]}>, not RSS, Atom or JSON Feed")
    raise FeedError("not a feed: no RSS, Atom or JSON Feed found")


def _title(owner: Mapping[str, Any], context: _Context) -> str:
    # Only Atom says whether a title is text or HTML. RSS titles carry
    # escaped markup by convention, which feedparser often calls plain text.
    detail = owner.get("title_detail") if context.typed_titles else None
    return _html_of(owner.get("title"), detail)


def _xml_draft(parsed: Mapping[str, Any], context: _Context) -> _Draft:
    # A plain dict: FeedParserDict.get is slow and answers a missing
    # updated_parsed with published_parsed.
    entry = dict(parsed)
    notes = context.notes
    title = _title(entry, context)
    summary, summary_base = _xml_summary(entry, notes)
    content, content_base = _xml_content(entry, notes)
    # feedparser applied xml:base to the link; content and media need it from here.
    base = safe_url(summary_base or content_base, context.base) or context.base
    link = safe_url(_string(entry.get("link")), context.base)
    published = _from_struct(entry.get("published_parsed"))
    author = entry.get("author_detail") or {}
    return _Draft(
        id=_identity(
            _string(entry.get("id")), link, title, summary, _string(entry.get("published"))
        ),
        title=title,
        summary=summary,
        content=content,
        link=link,
        published=published,
        updated=_from_struct(entry.get("updated_parsed")),
        author=_string(author.get("name")) or _string(entry.get("author")),
        categories=tuple(
            _string(tag.get("label")) or _string(tag.get("term"))
            for tag in _dicts(entry.get("tags"))
        ),
        media=_xml_media(entry, notes.alt, base),
        language=_entry_language(entry) or context.language,
        base=base,
    )


def _xml_summary(entry: Mapping[str, Any], notes: _MediaNotes) -> tuple[str, str]:
    value = _string(entry.get("summary"))
    detail = entry.get("summary_detail") or {}
    if _collapse(value) in notes.nested:
        return "", ""
    # feedparser overwrites summary_detail with a later media:description;
    # then its type describes that, not the summary.
    if detail.get("value") != value:
        detail = {"type": "text/html"}
    return _html_of(value, detail), _string(detail.get("base"))


def _xml_content(entry: Mapping[str, Any], notes: _MediaNotes) -> tuple[str, str]:
    for detail in _dicts(entry.get("content")):
        value = _string(detail.get("value"))
        if value and _collapse(value) not in notes.nested:
            return _html_of(value, detail), _string(detail.get("base"))
    return "", ""


def _entry_language(entry: Mapping[str, Any]) -> str | None:
    details = [entry.get("title_detail"), entry.get("summary_detail")]
    details.extend(_dicts(entry.get("content")))
    candidates = [entry.get("language"), *(d.get("language") for d in details if d)]
    return next(filter(None, map(_language, candidates)), None)


def _xml_media(
    entry: Mapping[str, Any], alt: Mapping[str, str], base: str | None
) -> tuple[Media, ...]:
    found: list[tuple[str, str | None]] = []
    for item in _dicts(entry.get("media_content")):
        url, kind = _string(item.get("url")), _string(item.get("type"))
        if _is_image(url, kind, _string(item.get("medium"))):
            found.append((url, kind))
    for link in _dicts(entry.get("links")):
        kind = _string(link.get("type"))
        if link.get("rel") == "enclosure" and kind.startswith("image/"):
            found.append((_string(link.get("href")), kind))
    # A thumbnail is usually a smaller copy of an image already found.
    if not found:
        thumbnails = _dicts(entry.get("media_thumbnail"))
        found.extend((_string(item.get("url")), None) for item in thumbnails)
    return _media(((url, alt.get(url, ""), kind) for url, kind in found), base)


def _is_image(url: str, kind: str, medium: str) -> bool:
    if medium or kind:
        return medium == "image" or kind.startswith("image/")
    return url.lower().split("?")[0].endswith(_IMAGE_SUFFIXES)


def _media_notes(data: bytes) -> _MediaNotes:
    """Alt text per image URL from a second, strict pass over Media RSS.

    Best effort: a document expat cannot read simply has no alt text.
    """
    alt: dict[str, str] = {}
    nested: set[str] = set()
    parser = ElementTree.XMLPullParser(events=("end",))
    try:
        for start in range(0, len(data), _CHUNK):
            parser.feed(data[start : start + _CHUNK])
            for _, element in parser.read_events():
                _note_media(element, alt, nested)
        parser.close()
    except ElementTree.ParseError:
        pass
    return _MediaNotes(alt, frozenset(nested))


def _note_media(element: ElementTree.Element, alt: dict[str, str], nested: set[str]) -> None:
    name = element.tag if isinstance(element.tag, str) else ""
    local = name.rpartition("}")[2]
    if local in ("item", "entry"):
        element.clear()
    if not name.startswith(_MRSS):
        return
    if local in ("content", "thumbnail"):
        description = _mrss_text(element, "description")
        if description:
            nested.add(_collapse(_mrss_child(element, "description").text or ""))
        text = description or _mrss_text(element, "title")
        if text and element.get("url"):
            alt.setdefault(element.get("url", ""), text)
    elif local == "group":
        # In a group (YouTube) the description is the video's; its title names the image.
        title = _mrss_text(element, "title")
        for child in element:
            url = child.get("url")
            if title and url and child.tag.endswith(("}content", "}thumbnail")):
                alt.setdefault(url, title)


def _mrss_child(element: ElementTree.Element, local: str) -> ElementTree.Element:
    for prefix in _MRSS:
        child = element.find(prefix + local)
        if child is not None:
            return child
    return ElementTree.Element(local)


def _mrss_text(element: ElementTree.Element, local: str) -> str:
    child = _mrss_child(element, local)
    value = child.text or ""
    if child.get("type", "plain") == "html":
        return plain_text(value, MAX_ALT)
    return plain_text(escape(value), MAX_ALT)


# JSON Feed


def _parse_json(
    body: bytes, source: str, document_base: str | None, max_entries: int | None
) -> ParsedFeed:
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
    feed_link = safe_url(_string(document.get("home_page_url")), document_base)
    base = document_base or feed_link
    language = _language(document.get("language"))
    feed_authors = _json_authors(document)
    drafts = (
        _json_draft(item, base, language, feed_authors) for item in items if isinstance(item, dict)
    )
    return ParsedFeed(
        title=plain_text(escape(_string(document.get("title"))), MAX_TITLE),
        link=feed_link,
        language=language,
        entries=_finish(drafts, source, max_entries),
    )


def _json_draft(
    item: Mapping[str, Any], base: str | None, feed_language: str | None, feed_authors: str
) -> _Draft:
    title = escape(_string(item.get("title")))
    summary = _text_to_html(_string(item.get("summary")))
    content = _string(item.get("content_html")) or _text_to_html(_string(item.get("content_text")))
    link = safe_url(_string(item.get("url")) or _string(item.get("external_url")), base)
    raw_id = item.get("id")
    identity = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
    images: list[tuple[str, str, str | None]] = [
        (_string(item.get(key)), "", None) for key in ("image", "banner_image")
    ]
    for attachment in _dicts(item.get("attachments"))[:MAX_MEDIA]:
        kind = _string(attachment.get("mime_type"))
        if kind.startswith("image/"):
            images.append((_string(attachment.get("url")), _string(attachment.get("title")), kind))
    return _Draft(
        id=_identity(identity, link, title, summary, _string(item.get("date_published"))),
        title=title,
        summary=summary,
        content=content,
        link=link,
        published=_from_rfc3339(item.get("date_published")),
        updated=_from_rfc3339(item.get("date_modified")),
        author=escape(_json_authors(item) or feed_authors),
        categories=tuple(escape(tag) for tag in _strings(item.get("tags"))),
        media=_media(images, base),
        language=_language(item.get("language")) or feed_language,
        base=base,
    )


def _json_authors(owner: Mapping[str, Any]) -> str:
    """Names from JSON Feed 1.1 ``authors`` or 1.0 ``author``."""
    authors = _dicts(owner.get("authors")) or _dicts([owner.get("author")])
    return ", ".join(name for name in (_string(a.get("name")) for a in authors[:5]) if name)


def _text_to_html(text: str) -> str:
    return _paragraphs(escape(text))


def _paragraphs(markup: str) -> str:
    """Tag-free markup as paragraphs, keeping the line breaks people typed."""
    paragraphs = re.split(r"\n\s*\n", markup.strip())
    return "".join(f"<p>{'<br>'.join(p.strip().splitlines())}</p>" for p in paragraphs if p)


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


# Shared: identity, selection and sanitizing


def _finish(drafts: Iterable[_Draft], source: str, max_entries: int | None) -> tuple[Entry, ...]:
    unique: dict[str, _Draft] = {}
    for draft in drafts:
        unique.setdefault(draft.id, draft)
    kept = _newest(list(unique.values()), max_entries)
    return tuple(_entry(draft, source) for draft in kept)


def _newest(drafts: Sequence[_Draft], limit: int | None) -> Sequence[_Draft]:
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


def _entry(draft: _Draft, source: str) -> Entry:
    summary = clean_html(draft.summary, draft.base)
    content = clean_html(draft.content, draft.base)
    if content == summary:
        content = ""
    categories = _unique(plain_text(value, MAX_CATEGORY) for value in draft.categories)
    return Entry(
        feed=source,
        id=draft.id,
        title=plain_text(draft.title, MAX_TITLE),
        summary=summary,
        content=content,
        link=draft.link,
        published=draft.published,
        updated=draft.updated,
        author=plain_text(draft.author, MAX_AUTHOR) or None,
        categories=categories[:MAX_CATEGORIES],
        media=draft.media,
        language=draft.language,
    )


def _identity(guid: str, link: str | None, title: str, summary: str, published: str) -> str:
    """guid, else link, else a hash of what the entry says: the same every run."""
    guid = guid.strip()
    if guid:
        return guid if len(guid) <= MAX_ID else "sha256:" + _sha256(guid)
    if link and len(link) <= MAX_ID:
        return link
    return "sha256:" + _sha256(f"{title}\n{summary}\n{published}")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _media(found: Iterable[tuple[str, str, str | None]], base: str | None) -> tuple[Media, ...]:
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


def _html_of(value: object, detail: object) -> str:
    """A feed text construct as HTML: text is escaped, markup kept for the sanitizer."""
    text = _string(value)
    kind = _string(detail.get("type")) if isinstance(detail, Mapping) else ""
    if kind in _PLAIN_TYPES:
        return _text_to_html(text) if "\n" in text.strip() else escape(text)
    # RSS says description is HTML, but many (Bluesky, YouTube) send plain
    # text with line breaks, which HTML would run together.
    if "<" not in text and "\n" in text.strip():
        return _paragraphs(text)
    return text


def _language(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    tag = value.strip().lower().replace("_", "-")
    return tag if _LANGUAGE.fullmatch(tag) else None


def _from_struct(value: object) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _string(value: object) -> str:
    if not isinstance(value, str):
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (JSON "\ud800") could not be written to a page later.
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _strings(value: object) -> list[str]:
    return [_string(v) for v in value[: MAX_CATEGORIES * 2]] if isinstance(value, list) else []


def _dicts(value: object) -> list[dict[str, Any]]:
    return [dict(v) for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        if value:
            seen.setdefault(value.casefold(), value)
    return tuple(seen.values())
