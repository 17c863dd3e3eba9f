"""The XML reader feedparser parses with: the standard library's expat reader, text buffered.

Expat hands a text node to the reader piece by piece, one piece per entity
or character reference, and feedparser does a dictionary's worth of work for
each piece. An RSS description is escaped HTML (``&lt;p&gt;...``), so one
description arrives in dozens of pieces. With ``buffer_text`` expat hands
the text over in one piece; what feedparser builds from it is the same.

feedparser asks ``xml.sax.make_parser`` for a reader, trying the modules in
``feedparser.api.PREFERRED_XML_PARSERS`` first; :func:`use` puts this one
there. Everything else (no external entities, namespaces) is expat's as
feedparser configures it.

That list, and the expat parser inside the standard library's reader, are
not promised to stay as they are. :func:`check` parses a small feed the way
:mod:`hub.feeds.parse` does, with this reader and without it: unless this
reader was used, buffered its text and read the same, feedparser goes back
to its own choice of reader (:func:`stop_using`), with one warning.
"""

from __future__ import annotations

import functools
import io
import warnings
from typing import Any
from xml.sax.expatreader import ExpatParser

import feedparser.api

_PROBE = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
    b"<title>Lakeview &amp; district</title><link>https://lakeview.example/</link>"
    b"<item><guid>https://lakeview.example/1</guid><title>Road &lt;closed&gt; &#8211; A1</title>"
    b"<description>&lt;p&gt;Use &lt;b&gt;Main St&lt;/b&gt; &amp;amp; Elm&lt;/p&gt;</description>"
    b"<pubDate>Sun, 22 Nov 2026 09:30:00 +0000</pubDate><category>traffic</category>"
    b'<media:content url="https://lakeview.example/1.jpg" medium="image"/></item>'
    b"</channel></rss>"
)
"""A feed with what feedparser reads in pieces: references, escaped HTML, namespaces."""


class BufferedExpatParser(ExpatParser):
    buffered = 0
    """How many readers (in this process) had their text buffered: :func:`check` counts."""

    def reset(self) -> None:
        super().reset()
        self._parser.buffer_text = True
        if self._parser.buffer_text:
            BufferedExpatParser.buffered += 1


def create_parser(*args: Any, **kwargs: Any) -> BufferedExpatParser:
    """The entry point ``xml.sax.make_parser`` looks for in a reader's module."""
    return BufferedExpatParser(*args, **kwargs)


def use() -> None:
    """Make this module feedparser's first choice of XML reader (where it still has that list)."""
    preferred = getattr(feedparser.api, "PREFERRED_XML_PARSERS", None)
    if isinstance(preferred, list) and __name__ not in preferred:
        preferred.insert(0, __name__)


def stop_using() -> None:
    """Leave feedparser's choice of XML reader as it is without this module."""
    preferred = getattr(feedparser.api, "PREFERRED_XML_PARSERS", None)
    while isinstance(preferred, list) and __name__ in preferred:
        preferred.remove(__name__)


@functools.cache
def check() -> str | None:
    """Whether feedparser reads with this reader, and the same as without; once per process.

    None when it does. Otherwise what went wrong, after :func:`stop_using`,
    and the first caller is warned (``RuntimeWarning``). A millisecond.
    """
    use()
    problem = _problem()
    if problem is None:
        return None
    stop_using()
    message = (
        f"the buffered XML reader failed its start-up check ({problem}): feeds are parsed "
        "with feedparser's own choice of reader, at normal speed"
    )
    warnings.warn(message, RuntimeWarning, stacklevel=2)
    return message


def _problem() -> str | None:
    before = BufferedExpatParser.buffered
    try:
        ours = _read()
    except Exception as error:
        return f"feedparser raised {type(error).__name__}: {error}"
    if BufferedExpatParser.buffered == before:
        return "feedparser did not read with it"
    stop_using()
    try:
        theirs = _read()
    except Exception as error:  # pragma: no cover - feedparser failing on its own
        return f"feedparser raised {type(error).__name__} without it: {error}"
    finally:
        use()
    if ours != theirs:
        return "feedparser read the test feed otherwise with it than without"
    return None


def _read() -> tuple[Any, ...]:
    """What feedparser makes of the probe, as :mod:`hub.feeds.parse` asks for it."""
    result = feedparser.parse(
        io.BytesIO(_PROBE),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    error = result.get("bozo_exception")
    return (
        result.get("version"),
        result.get("bozo"),
        type(error).__name__ if error is not None else None,
        result.get("feed"),
        result.get("entries"),
    )
