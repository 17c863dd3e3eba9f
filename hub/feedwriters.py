"""Atom 1.0 (RFC 4287) and JSON Feed 1.1 of one :class:`~hub.feedmodel.Feed`: a feed in, bytes out.

- Text goes through ElementTree, which escapes it, after the characters XML
  1.0 forbids are removed. Entry HTML has already passed the sanitizer and
  goes in as escaped text of a ``type="html"`` element.
- JSON Feed strings lose the same characters, and fields a feed does not have
  are left out rather than written empty.
- An entry's language is written only where it is a well-formed language tag.

:func:`add`, :func:`clean` and :func:`xml_bytes` write :mod:`hub.opml`'s XML too.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from hub.feedmodel import Feed, FeedEntry, Person

ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (controls, lone surrogates)."""
    return _NOT_XML.sub("", text)


def _language(tag: str | None) -> str | None:
    return tag if tag and _LANGUAGE_TAG.fullmatch(tag) else None


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# Atom 1.0 (RFC 4287)


def atom(feed: Feed) -> bytes:
    root = ET.Element("feed", {"xmlns": ATOM_NS, _XML_LANG: feed.lang})
    add(root, "id", feed.atom_url)
    add(root, "title", feed.title)
    if feed.subtitle:
        add(root, "subtitle", feed.subtitle)
    _add_link(root, feed.atom_url, "self", ATOM_TYPE)
    _add_link(root, feed.page_url, "alternate", "text/html")
    _add_link(root, feed.json_url, "alternate", JSON_FEED_TYPE)
    add(root, "updated", _rfc3339(feed.updated))
    _add_person(root, "author", feed.author)
    if feed.icon:
        add(root, "icon", feed.icon)
    for entry in feed.entries:
        root.append(_atom_entry(entry))
    return xml_bytes(root)


def _atom_entry(entry: FeedEntry) -> ET.Element:
    language = _language(entry.language)
    element = ET.Element("entry", {_XML_LANG: language} if language else {})
    add(element, "id", entry.id)
    add(element, "title", entry.title)
    if entry.link:
        _add_link(element, entry.link, "alternate", "text/html")
    for item in entry.media:
        _add_link(element, item.url, "enclosure", item.type)
    if entry.published is not None:
        add(element, "published", _rfc3339(entry.published))
    add(element, "updated", _rfc3339(entry.updated))
    for person in entry.authors:
        _add_person(element, "author", person)
    for term in entry.categories:
        add(element, "category", None, term=term)
    if entry.summary_html:
        add(element, "summary", entry.summary_html, type="html")
    if entry.content_html:
        add(element, "content", entry.content_html, type="html")
    else:
        add(element, "content", entry.text or entry.title, type="text")
    return element


def add(parent: ET.Element, tag: str, text: str | None, **attributes: str) -> None:
    """A child element; ElementTree escapes its text and attributes when writing."""
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attributes.items()})
    element.text = clean(text) if text is not None else None


def _add_link(parent: ET.Element, href: str, rel: str, media_type: str | None) -> None:
    if media_type and "/" in media_type:
        add(parent, "link", None, rel=rel, href=href, type=media_type)
    else:
        add(parent, "link", None, rel=rel, href=href)


def _add_person(parent: ET.Element, tag: str, person: Person) -> None:
    element = ET.SubElement(parent, tag)
    add(element, "name", person.name)
    if person.url:
        add(element, "uri", person.url)


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# JSON Feed 1.1 (https://jsonfeed.org/version/1.1)


def json_feed(feed: Feed) -> bytes:
    document = _present(
        {
            "version": JSON_FEED_VERSION,
            "title": feed.title,
            "home_page_url": feed.page_url,
            "feed_url": feed.json_url,
            "description": feed.subtitle,
            "icon": feed.icon,
            "favicon": feed.icon,
            "language": feed.lang,
            "authors": [_json_person(feed.author)],
            "items": [_json_item(entry) for entry in feed.entries],
        }
    )
    text = json.dumps(_clean_json(document), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _json_item(entry: FeedEntry) -> dict[str, Any]:
    attachments = [{"url": item.url, "mime_type": item.type} for item in entry.media if item.type]
    return _present(
        {
            "id": entry.id,
            "url": entry.link,
            "title": entry.title,
            "content_html": entry.content_html,
            "content_text": None if entry.content_html else entry.text or entry.title,
            "summary": entry.text if entry.summary_html else None,
            "date_published": _rfc3339(entry.published) if entry.published else None,
            "date_modified": _rfc3339(entry.updated),
            "authors": [_json_person(person) for person in entry.authors],
            "tags": list(entry.categories),
            "language": _language(entry.language),
            "attachments": attachments,
        }
    )


def _json_person(person: Person) -> dict[str, Any]:
    return _present({"name": person.name, "url": person.url})


def _clean_json(value: Any) -> Any:
    """Every string of the document without the characters :func:`clean` drops.

    JSON could carry them escaped, but readers that turn items into XML or HTML
    would choke on them just the same.
    """
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: _clean_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_json(item) for item in value]
    return value


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that have a value: JSON Feed leaves out what a feed does not have."""
    return {key: value for key, value in fields.items() if value not in (None, "", [])}
