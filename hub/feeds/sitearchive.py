"""The site's own archive read back: every post it published, to re-seed a lost store.

Every build publishes, beside its pages, an archive of its posts
(:mod:`hub.outputs.archive` writes it): ``archive/index.json`` lists one JSON
Feed per unit and officer, each in pages of a few hundred posts chained by
``next_url``, and each item carries a ``_hub`` object (a JSON Feed 1.1
extension) saying which of the registry's feeds the post came from, its id
there, and when the hub first saw it. This module is the format's one
definition: the names and keys both sides use, and the reading of the bytes
into entries. Fetching the documents is :mod:`hub.feeds.reseed`'s.

The published site is not trusted more than a feed: each item goes through
the JSON Feed reader's own checks (:func:`hub.feeds.jsonfeed.item_draft`)
and is sanitized by :func:`hub.feeds.drafts.finish`, like any feed's; a
value of the wrong type counts as absent, a string past its limit is cut or
hashed, and an item whose feed is not in the registry any more is left out.
Only :class:`ArchiveError` leaves this module, for a document that is no
index or no JSON Feed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

from hub.feeds.drafts import (
    MAX_MEDIA,
    Draft,
    as_dicts,
    as_text,
    collect_media,
    finish,
    iso_moment,
    stable_id,
)
from hub.feeds.jsonfeed import item_draft
from hub.model import Entry
from hub.records import record

INDEX_PATH = "archive/index.json"
"""Where the archive's index is, from the site's root."""
FORMAT = 1
"""The index's ``format``; an index of another format is not read."""
EXTENSION = "_hub"
"""The member, on each item, that ties it to the store (JSON Feed 1.1 extensions start with _)."""
MAX_ARCHIVES = 20_000
"""Archives an index may list; a longer list is cut."""
MAX_RESOLVED = 10_000
MAX_ITEMS = 1_000
"""Items read from one page; the writer puts a few hundred on each."""

_ARCHIVE_PATH = re.compile(r"archive(?:/[A-Za-z0-9_-]{1,200}){1,4}\.json")
_PAGE_NAME = re.compile(r"[0-9]{1,6}\.json")
_HEX_KEY = re.compile(r"[0-9a-f]{64}")


class ArchiveError(ValueError):
    """A document of the archive is not what it should be; the message says why."""


def feed_key(source: str) -> str:
    """A feed's name in the archive: a hash of its source, so that no feed's
    address (a local path, a URL with a query) is published as such."""
    return hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()[:16]


def url_key(url: str) -> str:
    """A post address's name in the index: the hash of its normalized form."""
    return hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()


# The index


@dataclass(frozen=True)
class Index:
    """What ``archive/index.json`` says."""

    archives: tuple[str, ...]
    """Each archive's first page, from the site's root (``archive/units/traffic/1.json``)."""
    resolved: frozenset[str] = frozenset()
    """:func:`url_key` of the posts that resolved appeal files name: no page shows them."""


def index_json(archives: Sequence[str], resolved: Sequence[str]) -> bytes:
    """The index's bytes: sorted, so that the same archive writes the same bytes."""
    data = {"format": FORMAT, "archives": sorted(archives), "resolved": sorted(set(resolved))}
    return (json.dumps(data, indent=1) + "\n").encode()


def read_index(body: bytes) -> Index:
    """The index in ``body``; ArchiveError when it is none (or of another format)."""
    data = _json_object(body, "the archive's index")
    if data.get("format") != FORMAT:
        raise ArchiveError(f"not an archive index of format {FORMAT}")
    archives = [
        a for a in _strings(data.get("archives"), MAX_ARCHIVES) if _ARCHIVE_PATH.fullmatch(a)
    ]
    resolved = [k for k in _strings(data.get("resolved"), MAX_RESOLVED) if _HEX_KEY.fullmatch(k)]
    return Index(tuple(dict.fromkeys(archives)), frozenset(resolved))


# The pages


@record
class Reseeded:
    """A post read back from the archive: an entry as its feed gave it, sanitized again."""

    entry: Entry
    """Its ``feed`` is the registry's source, its ``id`` the id it has there."""
    first_seen: datetime | None


@dataclass(frozen=True)
class Page:
    """One page of an archive, read."""

    items: tuple[tuple[str, Draft, datetime | None], ...]
    """(source, draft, first seen) of each item that names a feed of the registry."""
    skipped: int
    """Items left out: no ``_hub``, a feed not in the registry, no id."""
    next: str | None
    """The next page's file name, in the same folder (``2.json``); None on the last."""


def read_page(body: bytes, sources: Mapping[str, str]) -> Page:
    """One archive page; ``sources`` maps :func:`feed_key` to the registry's sources.

    ArchiveError when ``body`` is no JSON Feed. Nothing is sanitized yet:
    :class:`Harvest` does that once every page of a feed is in.
    """
    document = _json_object(body, "an archive page")
    version = document.get("version")
    items = document.get("items")
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise ArchiveError("not a JSON Feed: no JSON Feed version")
    if not isinstance(items, list):
        raise ArchiveError("not a JSON Feed: 'items' is not a list")
    found = []
    for item in items[:MAX_ITEMS]:
        read = _item(item, sources) if isinstance(item, dict) else None
        if read is not None:
            found.append(read)
    skipped = min(len(items), MAX_ITEMS) - len(found)
    return Page(tuple(found), skipped, _next_page(document.get("next_url")))


def _item(
    item: Mapping[str, Any], sources: Mapping[str, str]
) -> tuple[str, Draft, datetime | None] | None:
    ours = item.get(EXTENSION)
    if not isinstance(ours, Mapping):
        return None
    source = sources.get(as_text(ours.get("feed")))
    identity = as_text(ours.get("id")).strip()
    if source is None or not identity:
        return None
    # No base: an archive's addresses are absolute, and a relative one is refused. The
    # item's own language only: the page's is the site's, not the post's.
    draft = item_draft(item, None, None, "")
    title = ours.get("title")
    summary = ours.get("summary")
    media = [
        (as_text(m.get("url")), as_text(m.get("alt")), as_text(m.get("type")) or None)
        for m in as_dicts(ours.get("media"))[:MAX_MEDIA]
    ]
    draft = replace(
        draft,
        # Ids as the feed parsers make them: one too long for the store is hashed.
        id=stable_id(identity, draft.link, draft.title, draft.summary, ""),
        title=escape(as_text(title)) if isinstance(title, str) else draft.title,
        # The item's summary is the excerpt: the post's own, where it has one, is ours;
        # and its text without HTML was made from the title or the excerpt.
        summary=as_text(summary) if isinstance(summary, str) else "",
        content=as_text(item.get("content_html")),
        # The item's authors name the profile first: the feed's own author is ours.
        author=escape(as_text(ours.get("author"))),
        media=collect_media(media, None),
    )
    return source, draft, iso_moment(as_text(ours.get("first_seen")))


def _next_page(value: object) -> str | None:
    """The file name of ``next_url``, when it names a page as the writer names them."""
    text = as_text(value)
    if not text or len(text) > 2000:
        return None
    try:
        name = urlsplit(text).path.rpartition("/")[2]
    except ValueError:
        return None
    return name if _PAGE_NAME.fullmatch(name) else None


class Harvest:
    """The pages of every archive, read, then made into sanitized entries at once.

    Each feed's drafts go through :func:`hub.feeds.drafts.finish` together, as
    a fetch's do: first of each id, the newest ``max_entries``, every text
    sanitized. At most ``limit`` drafts are kept in all; :attr:`full` says
    when more were offered.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._drafts: dict[str, list[Draft]] = {}
        self._seen: dict[tuple[str, str], datetime | None] = {}
        self.count = 0
        self.full = False

    def add(self, page: Page) -> None:
        for source, draft, first_seen in page.items:
            if self.count >= self._limit:
                self.full = True
                return
            self._drafts.setdefault(source, []).append(draft)
            self._seen.setdefault((source, draft.id), first_seen)
            self.count += 1

    def entries(self, max_entries: int) -> list[Reseeded]:
        """Every post read, sanitized, the newest ``max_entries`` of each feed."""
        return [
            Reseeded(entry, self._seen.get((source, entry.id)))
            for source, drafts in self._drafts.items()
            for entry in finish(drafts, source, max_entries)
        ]


def _json_object(body: bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ArchiveError(f"{what} is not well-formed JSON") from None
    if not isinstance(data, dict):
        raise ArchiveError(f"{what} is not a JSON object")
    return data


def _strings(value: object, limit: int) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item for item in value[:limit] if isinstance(item, str)]
