"""What a post shows of its text, and what makes two posts the same post.

Both depend on the entry alone, so the store works them out once, when it
saves an entry (:mod:`hub.store.rules`), and a build reads them back instead
of parsing every entry's HTML again; entries stored before, or by another
:data:`VERSION` of these rules, get them worked out by the build
(:mod:`hub.site.model`).
"""

from __future__ import annotations

import re

from hub.feeds.sanitize import plain_text
from hub.model import Entry

VERSION = 1
"""Raise this whenever :func:`excerpt` or :func:`fingerprint` (or ``plain_text``, which
excerpts are made with) would give other text: a store whose texts were made by
another version forgets them (``Store.open``)."""

EXCERPT_LIMIT = 280
"""Characters of a post's text shown in lists."""


def texts(entry: Entry) -> tuple[str, str]:
    """``entry``'s excerpt and fingerprint."""
    return texts_of(entry.title, entry.summary, entry.content)


def texts_of(title: str, summary: str, content: str) -> tuple[str, str]:
    """The excerpt and fingerprint of an entry with this title, summary and content."""
    text = _excerpt(title, summary, content, EXCERPT_LIMIT)
    return text, fingerprint(title, text)


def excerpt(entry: Entry, limit: int = EXCERPT_LIMIT) -> str:
    """Plain text, short: the summary's (else the content's), or the title when both are empty."""
    return _excerpt(entry.title, entry.summary, entry.content, limit)


def _excerpt(title: str, summary: str, content: str, limit: int) -> str:
    return plain_text(summary or content, limit=limit) or title


_LINKS = re.compile(r"(?:https?://|www\.)\S*")
"""Links in lower-cased text."""
_NOT_WORDS = re.compile(r"\W+")
_ASCII_WORDS = bytes(c if re.fullmatch(rb"\w", bytes([c])) else 32 for c in range(256))
"""Bytes table: an ASCII word character (``\\w``) stays, anything else becomes a space."""


def fingerprint(title: str, text: str) -> str:
    """What makes two posts the same post: their words, not their markup or links.

    The words, lower-cased, with one space between them; links left out.
    """
    words = (title + " " + text).lower()
    if "://" in words or "www." in words:
        words = _LINKS.sub(" ", words)
    if "…" in words:
        # Not a word character, and the end of every shortened excerpt.
        words = words.replace("…", " ")
    if words.isascii():
        # The same as the regular expression below, several times faster.
        kept = words.encode("ascii").translate(_ASCII_WORDS).split()
        return b" ".join(kept).decode("ascii")[:200]
    return _NOT_WORDS.sub(" ", words).strip()[:200]
