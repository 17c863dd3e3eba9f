"""Alt text for Media RSS images, which feedparser loses.

feedparser keeps media URLs but not which description or title belongs to
which image, and it files a description nested in media:content as the
entry's content. A second, strict pass over the document recovers both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from xml.etree import ElementTree

from hub.feeds.drafts import MAX_ALT
from hub.feeds.sanitize import plain_text

_MRSS = ("{http://search.yahoo.com/mrss/}", "{http://search.yahoo.com/mrss}")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class MediaNotes:
    """What feedparser loses from Media RSS: which text describes which image."""

    alt: Mapping[str, str] = field(default_factory=dict)
    nested: frozenset[str] = frozenset()
    """Descriptions nested in media:content, which feedparser files as content."""

    def describes_media(self, text: str) -> bool:
        """Whether ``text`` is a nested media description rather than the entry's own."""
        return bool(self.nested) and _collapse(text) in self.nested


def media_notes(data: bytes) -> MediaNotes:
    """Alt text per image URL from a second, strict pass over Media RSS.

    Best effort: a document expat cannot read simply has no alt text.
    """
    if b"search.yahoo.com/mrss" not in data:
        return MediaNotes()  # most feeds have no Media RSS; spare them the second parse
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
    return MediaNotes(alt, frozenset(nested))


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


def _collapse(text: str) -> str:
    return " ".join(text.split())
