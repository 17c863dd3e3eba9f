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
"""

from __future__ import annotations

from typing import Any
from xml.sax.expatreader import ExpatParser

import feedparser.api


class BufferedExpatParser(ExpatParser):
    def reset(self) -> None:
        super().reset()
        self._parser.buffer_text = True


def create_parser(*args: Any, **kwargs: Any) -> BufferedExpatParser:
    """The entry point ``xml.sax.make_parser`` looks for in a reader's module."""
    return BufferedExpatParser(*args, **kwargs)


def use() -> None:
    """Make this module feedparser's first choice of XML reader."""
    preferred = feedparser.api.PREFERRED_XML_PARSERS
    if __name__ not in preferred:
        preferred.insert(0, __name__)
