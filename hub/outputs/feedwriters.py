"""Atom 1.0 (RFC 4287) and JSON Feed 1.1 of one :class:`~hub.outputs.feedmodel.Feed`.

A feed in, bytes out.

- Text is escaped after the characters XML 1.0 forbids are removed. Entry
  HTML has already passed the sanitizer and goes in as escaped text of a
  ``type="html"`` element.
- JSON Feed strings lose the same characters (JSON could carry them escaped,
  but readers that turn items into XML or HTML would choke on them), and
  fields a feed does not have are left out rather than written empty. Each
  item is one line.
- Each entry is written on its own (:func:`atom_entry`, :func:`json_item`), so
  a caller writing many feeds can write an entry once and reuse it
  (:class:`EntryWriter`).
- An entry's language is written only where it is a well-formed language tag.
- Every JSON Feed item carries a ``_hub`` member (a JSON Feed 1.1 extension)
  with what the store needs to take the post back from the site's archive
  (:mod:`hub.feeds.sitearchive`, :mod:`hub.outputs.archive`); a feed with a
  next page says so in ``next_url``.

:func:`add`, :func:`clean` and :func:`xml_bytes` write :mod:`hub.outputs.opml`'s XML too.
"""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from hub.feeds.sitearchive import EXTENSION
from hub.model import Media
from hub.outputs.feedmodel import NO_ENTRIES, Feed, FeedEntry, Origin, Person

ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"

_to_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)``, without making an encoder every time."""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")

Parts = tuple[bytes, bytes]
"""An entry as a feed takes it: its body and its authors, in UTF-8 (:class:`EntryWriter`)."""


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (controls, lone surrogates)."""
    return _NOT_XML.sub("", text)


def _language(tag: str | None) -> str | None:
    return tag if tag and _LANGUAGE_TAG.fullmatch(tag) else None


@functools.lru_cache(maxsize=1 << 16)
def _rfc3339(moment: datetime) -> str:
    # Cached: a post's dates are written in both formats, and updated is often published.
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# Atom 1.0 (RFC 4287)
#
# Written as text, not through ElementTree: a build writes thousands of feeds
# and most entries appear in more than one, so a caller can pass ``entry_xml``
# to reuse each entry's XML rather than write it again for every feed.


def atom(feed: Feed, entry_xml: Callable[[FeedEntry], Parts] | None = None) -> bytes:
    """The Atom document; ``entry_xml`` (an :class:`EntryWriter`'s) may reuse
    entries written for other feeds."""
    write = entry_xml or EntryWriter().atom
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        f'<feed xmlns="{ATOM_NS}" xml:lang="{_attribute(feed.lang)}">\n',
        _element("  ", "id", feed.atom_url),
        _element("  ", "title", feed.title),
        _element("  ", "subtitle", feed.subtitle) if feed.subtitle else "",
        _link("  ", feed.atom_url, "self", ATOM_TYPE),
        _link("  ", feed.page_url, "alternate", "text/html"),
        _link("  ", feed.json_url, "alternate", JSON_FEED_TYPE),
        _element("  ", "updated", _rfc3339(feed.updated)),
        _person("  ", "author", feed.author),
        _element("  ", "icon", feed.icon) if feed.icon else "",
    ]
    parts = [clean("".join(head)).encode()]
    for entry in feed.entries:
        parts += write(entry)
    parts.append(b"</feed>\n")
    return b"".join(parts)


def atom_entry(entry: FeedEntry) -> str:
    """One ``<entry>`` element, indented to sit in a ``<feed>``, cleaned."""
    return atom_entry_body(entry) + atom_entry_authors(entry)


def atom_entry_body(entry: FeedEntry) -> str:
    """All of an entry but its authors (the part that is the same in every language)."""
    language = _language(entry.language)
    parts = [
        f'  <entry xml:lang="{_attribute(language)}">\n' if language else "  <entry>\n",
        _element("    ", "id", entry.id),
        _element("    ", "title", entry.title),
    ]
    if entry.link:
        parts.append(_link("    ", entry.link, "alternate", "text/html"))
    parts += [_link("    ", item.url, "enclosure", item.type) for item in entry.media]
    if entry.published is not None:
        parts.append(f"    <published>{_rfc3339(entry.published)}</published>\n")
    updated = entry.updated or entry.published or NO_ENTRIES
    parts.append(f"    <updated>{_rfc3339(updated)}</updated>\n")
    parts += [f'    <category term="{_attribute(term)}" />\n' for term in entry.categories]
    if entry.summary_html:
        parts.append(f'    <summary type="html">{_text(entry.summary_html)}</summary>\n')
    if entry.content_html:
        parts.append(f'    <content type="html">{_text(entry.content_html)}</content>\n')
    else:
        parts.append(f'    <content type="text">{_text(entry.text or entry.title)}</content>\n')
    return clean("".join(parts))


def atom_entry_authors(entry: FeedEntry) -> str:
    """The entry's authors and its end tag (Atom does not order an entry's children)."""
    authors = "".join(_person("    ", "author", person) for person in entry.authors)
    return clean(authors) + "  </entry>\n"


# The helpers escape; the caller cleans the text they make as a whole, once
# (escaping never adds a character that cleaning removes).
def _attribute(value: str) -> str:
    """Escaped for a double-quoted attribute; tabs and newlines survive.

    A chain of replacements, ``&`` first: a few times quicker than
    ``str.translate``, which looks every character up in a table.
    """
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _element(indent: str, tag: str, text: str | None) -> str:
    if not text:
        return f"{indent}<{tag} />\n"
    return f"{indent}<{tag}>{_text(text)}</{tag}>\n"


def _link(indent: str, href: str, rel: str, media_type: str | None) -> str:
    kind = f' type="{_attribute(media_type)}"' if media_type and "/" in media_type else ""
    return f'{indent}<link rel="{rel}" href="{_attribute(href)}"{kind} />\n'


def _person(indent: str, tag: str, person: Person) -> str:
    inner = indent + "  "
    uri = _element(inner, "uri", person.url) if person.url else ""
    return f"{indent}<{tag}>\n{_element(inner, 'name', person.name)}{uri}{indent}</{tag}>\n"


# XML through ElementTree, for the OPML list (:mod:`hub.outputs.opml`)


def add(parent: ET.Element, tag: str, text: str | None, **attributes: str) -> None:
    """A child element; ElementTree escapes its text and attributes when writing."""
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attributes.items()})
    element.text = clean(text) if text is not None else None


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# JSON Feed 1.1 (https://jsonfeed.org/version/1.1)


def json_feed(feed: Feed, item_json: Callable[[FeedEntry], Parts] | None = None) -> bytes:
    """The feed, one item a line; ``item_json`` (an :class:`EntryWriter`'s) may
    reuse items written for other feeds."""
    write = item_json or EntryWriter().json
    head = _present(
        {
            "version": JSON_FEED_VERSION,
            "title": clean(feed.title),
            "home_page_url": clean(feed.page_url),
            "feed_url": clean(feed.json_url),
            "description": clean(feed.subtitle),
            "icon": clean(feed.icon or ""),
            "favicon": clean(feed.icon or ""),
            "language": clean(feed.lang),
            "authors": [_json_person(feed.author)],
            "next_url": clean(feed.next_url or ""),
        }
    )
    text = _to_json(head)
    # ``text`` is an object: the items go in before its closing brace.
    parts = [f'{text[:-1]}, "items": ['.encode()]
    for number, entry in enumerate(feed.entries):
        parts.append(b",\n" if number else b"\n")
        parts += write(entry)
    parts.append(b"\n]}\n" if feed.entries else b"]}\n")
    return b"".join(parts)


def json_item(entry: FeedEntry) -> str:
    """One item of a JSON Feed, as JSON text."""
    return json_item_body(entry) + json_item_authors(entry)


def json_item_body(entry: FeedEntry) -> str:
    """All of an item but its authors (the same in every language), left open.

    Written as text, member by member, as ``json.dumps`` would write the
    object (a build writes tens of thousands); tests check the two agree.
    """
    members = [
        _member("id", entry.id),
        _member("url", entry.link or ""),
        _member("title", entry.title),
        _member("content_html", entry.content_html),
        "" if entry.content_html else _member("content_text", entry.text or entry.title),
        _member("summary", entry.text) if entry.summary_html else "",
    ]
    if entry.published:
        members.append(f'"date_published": "{_rfc3339(entry.published)}"')
    if entry.updated:
        members.append(f'"date_modified": "{_rfc3339(entry.updated)}"')
    if entry.categories:
        tags = ", ".join(_string(clean(term)) for term in entry.categories)
        members.append(f'"tags": [{tags}]')
    language = _language(entry.language)
    if language:
        members.append(f'"language": "{language}"')
    attachments = [item for item in entry.media if item.type]
    if attachments:
        members.append(f'"attachments": {_to_json([_attachment(item) for item in attachments])}')
    if entry.origin is not None:
        members.append(f'"{EXTENSION}": {_to_json(_origin(entry.origin))}')
    # An object without its closing brace: json_item_authors ends it.
    return "{" + ", ".join(member for member in members if member)


_string = encode_basestring
"""A JSON string literal, as ``json.dumps(text, ensure_ascii=False)`` writes it."""


def _member(name: str, text: str) -> str:
    """``"name": "text"``, cleaned; empty where the cleaned text is (the member is left out)."""
    text = clean(text)
    return f'"{name}": {_string(text)}' if text else ""


def _attachment(item: Media) -> dict[str, str]:
    return {"url": clean(item.url), "mime_type": clean(item.type or "")}


def _origin(origin: Origin) -> dict[str, Any]:
    """The item's ``_hub`` member: what the store needs to take the post back
    (:mod:`hub.feeds.sitearchive`); members without a value are left out."""
    media = [
        _present({"url": clean(m.url), "alt": clean(m.alt), "type": clean(m.type or "")})
        for m in origin.media
    ]
    found: dict[str, Any] = {
        "feed": origin.feed,
        "id": clean(origin.id),
        "first_seen": _rfc3339(origin.first_seen) if origin.first_seen else "",
        "author": clean(origin.author or ""),
        "media": media,
        "summary": clean(origin.summary or ""),
    }
    if origin.title is not None:
        found["title"] = clean(origin.title)
    return {k: v for k, v in found.items() if k == "title" or v not in ("", [])}


def json_item_authors(entry: FeedEntry) -> str:
    """The item's authors, as the end of the object :func:`json_item_body` begins."""
    authors = [_json_person(person) for person in entry.authors]
    return f', "authors": {_to_json(authors)}}}' if authors else "}"


class _Reused:
    """Writes entries in one format, each entry's body and each list of authors once.

    Both are kept encoded: a feed is its head and these parts joined as
    bytes, with no text made and encoded again for every feed that has them.
    """

    def __init__(
        self, body: Callable[[FeedEntry], str], authors: Callable[[FeedEntry], str]
    ) -> None:
        self._write_body = body
        self._write_authors = authors
        self._bodies: dict[tuple[str, str], bytes] = {}
        # One profile's posts have the same authors: write them once too.
        self._authors: dict[tuple[Person, ...], bytes] = {}

    def __call__(self, entry: FeedEntry) -> Parts:
        key = (entry.id, entry.title)
        body = self._bodies.get(key)
        if body is None:
            body = self._bodies[key] = self._write_body(entry).encode()
        authors = self._authors.get(entry.authors)
        if authors is None:
            authors = self._authors[entry.authors] = self._write_authors(entry).encode()
        return body, authors


class EntryWriter:
    """Writes entries for many feeds, each entry's shared part once.

    An entry is in several feeds (the site's, its unit's, its profile's) and
    in every language; only its authors (named and linked in the feed's
    language) and, for a post with no text at all, its title differ. The rest
    is written the first time and reused. ``atom`` and ``json`` write one
    entry each, as :func:`atom_entry` and :func:`json_item` do, in UTF-8 and
    in two parts (:data:`Parts`).
    """

    def __init__(self) -> None:
        self.atom = _Reused(atom_entry_body, atom_entry_authors)
        self.json = _Reused(json_item_body, json_item_authors)


def _json_person(person: Person) -> dict[str, Any]:
    return _present({"name": clean(person.name), "url": clean(person.url or "")})


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that have a value: JSON Feed leaves out what a feed does not have."""
    return {key: value for key, value in fields.items() if value not in (None, "", [])}
