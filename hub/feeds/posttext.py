"""What a post shows of its text, and what makes two posts the same post.

Both depend on the entry alone, so the store works them out once, when it
saves an entry (:mod:`hub.store.rules`), and a build reads them back instead
of parsing every entry's HTML again; entries stored before, or by another
:data:`VERSION` of these rules, get them worked out by the build
(:mod:`hub.site.model`).

What platforms and bridges write around a post is not the post: Flickr's and
Facebook bridges' "Lakeview Police posted a photo:", "... shared a link.",
Reddit's "submitted by /u/name [link] [comments]" and its comment titles
"/u/name on <thread>", an Instagram bridge's "lakeviewpolice on Instagram:
“...”". :func:`trimmed` takes it off the text and :func:`title_of` off the
title, before the excerpt is cut to length.
"""

from __future__ import annotations

import re

from hub.feeds.sanitize import plain_text, shorten
from hub.model import Entry

VERSION = 2
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
    """Plain text, short: the summary's (else the content's), or the title when both are empty,
    without the platform's words around the post (:func:`trimmed`)."""
    return _excerpt(entry.title, entry.summary, entry.content, limit)


def _excerpt(title: str, summary: str, content: str, limit: int) -> str:
    text = trimmed(plain_text(summary or content)) or title_of(title)
    return shorten(text, limit)


_NAME = r"[^\n:“”\"]{1,80}?"
"""Who the platform says posted: a page's or a person's name, up to 80 characters."""
_LEADS = re.compile(
    # Flickr, Facebook and its bridges: "Lakeview Police posted a photo:",
    # "... shared a link.", "... added 3 new photos to the album Graduation:".
    rf"^{_NAME} (?:posted|shared|added|uploaded|updated) (?:a|an|\d+ new|their|his|her) "
    r"(?:photos?|videos?|links?|posts?|events?|albums?|reels?|status|memory|cover photo)"
    rf"(?: to (?:the album )?{_NAME})?\s*[:.](?:\s+|$)"
    # Instagram bridges: "Lakeview Police (@lakeviewpolice) on Instagram: “...”".
    rf"|^{_NAME} on Instagram\s*:(?:\s+|$)"
)
_REDDIT_TAIL = re.compile(
    r"\s*submitted by\s+/?u/[\w-]{1,40}\s*(?:\[link\]\s*)?(?:\[comments\]\s*)?$"
)
_REDDIT_TITLE = re.compile(r"^/?u/[\w-]{1,40} on (?=\S)")
_QUOTES = {"“": "”", '"': '"', "«": "»"}


def trimmed(text: str) -> str:
    """``text`` (plain) without what the platform wrote around the post: empty when
    that was all of it (a photo posted without a word)."""
    lead = _LEADS.match(text)
    if lead is not None:
        text = _unquoted(text[lead.end() :])
    if "submitted by" in text:
        text = _REDDIT_TAIL.sub("", text)
    return text.strip()


def title_of(title: str) -> str:
    """A post's title without what the platform wrote around it (see :func:`trimmed`),
    or the title as it is when that was all of it."""
    title = title.strip()
    if title.startswith(("/u/", "u/")):
        title = _REDDIT_TITLE.sub("", title)
    return trimmed(title) or title


def _unquoted(text: str) -> str:
    """``“text”`` -> ``text``, where the quotes wrap the whole of it."""
    text = text.strip()
    close = _QUOTES.get(text[:1])
    if close and len(text) > 2 and text.endswith(close) and close not in text[1:-1]:
        return text[1:-1].strip()
    return text


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
