"""Feeds out: Atom 1.0 and JSON Feed 1.1 of the site's posts, and one OPML list of feeds.

Pure: the site model in, files out (:func:`feed_files`, :func:`opml_file`),
which :mod:`hub.render.pages` publishes. This module picks each feed's posts and
turns them into :class:`~hub.outputs.feedmodel.FeedEntry` values; :mod:`hub.outputs.feedmodel` says
which feeds exist and what they are called, :mod:`hub.outputs.feedwriters` writes
Atom and JSON Feed, :mod:`hub.outputs.opml` the OPML list. Each language has its own
feeds (title, subtitle and links in that language; the entries are the same
posts):

- ``/{lang}/feed.xml`` and ``feed.json``: all activity, like the home page;
- ``feed.xml`` and ``feed.json`` in a unit's folder: the unit and its officers,
  like the unit page; where both have feeds, ``own-feed.xml`` and
  ``own-feed.json`` too: the unit alone;
- ``feed.xml`` and ``feed.json`` in an officer's folder: that officer.

The site's feeds carry its newest 50 posts; a unit's or a profile's its
newest 20, the posts its page shows.

A profile has feeds when one of its accounts has a feed (for a unit's page,
one of its officers' accounts will do). ``/{lang}/opml.xml`` lists the
accounts' own public feeds and this site's feeds, grouped by unit, in that
language; ``/opml.xml`` is the default language's. Choices worth knowing:

- Output depends on the posts, never on the clock: a feed's ``updated`` is
  its newest entry's time, so a rebuild with nothing new writes the same
  bytes and a deploy uploads nothing. A feed with no entries yet says
  1970-01-01 for the same reason. The OPML carries no date at all.
- An entry's id is a name-based ``urn:uuid:`` (RFC 9562, version 5) of its
  source feed and its id there: the same in every build and language, unique
  even where a source feed gives every item the same link, and with no date
  to invent, as a ``tag:`` URI would need.
- Posts with no date at all are left out: a reader could not place them.
- Text is escaped and stripped of what XML 1.0 forbids by the writers
  (:mod:`hub.outputs.feedwriters`); entry HTML has already passed the sanitizer.
- A feed loads nothing from another host, as no page does: an entry's
  enclosure (a JSON Feed attachment) is the site's own copy of the post's
  picture, the one its page shows, and an ``<img>`` of its HTML that is not
  on the site is left out. A reader of the feed tells no platform, and no
  tracker a post carried, that it is reading.
- Titles are translated with the same messages the templates use for the
  pages' feed links (``feed_title`` in ``_macros.html``) and descriptions.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from html import unescape
from itertools import count, islice

from hub import imaging
from hub.feeds.sanitize import shorten
from hub.feeds.sitearchive import feed_key
from hub.model import RECENT, Entry, Media
from hub.outputs.feedmodel import (
    ON_PLATFORM,
    PROFILE_SUBTITLE,
    PROFILE_TITLE,
    SITE_SUBTITLE,
    SITE_TITLE,
    UNIT_TITLE,
    Edition,
    Feed,
    FeedEntry,
    FeedLink,
    Origin,
    Person,
    all_feed_links,
    feed_links,
    feed_titles,
)
from hub.outputs.feedwriters import (
    ATOM_NS,
    ATOM_TYPE,
    JSON_FEED_TYPE,
    JSON_FEED_VERSION,
    EntryWriter,
    atom,
    json_feed,
)
from hub.outputs.opml import LABELLED, OPML_TITLE, OURS_GROUP, SOURCES_GROUP, opml
from hub.registry import platforms
from hub.site.model import Post, SiteModel
from hub.site.urls import Urls

__all__ = [
    "ATOM_NS",
    "ATOM_TYPE",
    "ENTRY_IDS",
    "JSON_FEED_TYPE",
    "JSON_FEED_VERSION",
    "MAX_ENTRIES",
    "MESSAGES",
    "OPML_PATH",
    "PROFILE_ENTRIES",
    "TITLE_LIMIT",
    "Catalogs",
    "Feed",
    "FeedEntry",
    "FeedLink",
    "Person",
    "atom",
    "build_feed",
    "entry_id",
    "feed_links",
    "json_feed",
    "opml_path",
]
"""What the pages (:mod:`hub.render.renderer`) and the tests use of the feeds, some of it
defined in :mod:`hub.outputs.feedmodel` and :mod:`hub.outputs.feedwriters`."""

MAX_ENTRIES = 50
"""The newest posts the site's feed carries, like the home page's first page."""
PROFILE_ENTRIES = RECENT
"""The newest posts a unit's or a profile's feed carries, like its page."""
TITLE_LIMIT = 100
"""Characters of the excerpt that titles a post that has no title."""
OPML_PATH = "/opml.xml"
ENTRY_IDS = uuid.UUID("7f2cd9d1-02b7-4dab-adf3-428c329f90be")
"""Namespace of the entries' name-based UUIDs. Changing it changes every entry's id."""
_ENTRY_IDS_BYTES = ENTRY_IDS.bytes

# Every message the feeds and the OPML translate (tests/test_syndication.py checks
# that the templates use each, which is how they are extracted into the catalogs).
MESSAGES = (
    SITE_TITLE,
    UNIT_TITLE,
    PROFILE_TITLE,
    SITE_SUBTITLE,
    PROFILE_SUBTITLE,
    OPML_TITLE,
    SOURCES_GROUP,
    OURS_GROUP,
    ON_PLATFORM,
    LABELLED,
)

Catalogs = Callable[[str], gettext.NullTranslations]
"""Language code -> its message catalog (:func:`hub.render.i18n.translations`)."""


# The posts of each feed


def _posts(site: SiteModel, link: FeedLink) -> tuple[Post, ...]:
    key = link.owner.partition(":")[2]
    if link.kind == "site":
        posts, count = site.posts, MAX_ENTRIES
    elif link.kind == "unit":
        posts, count = site.posts_by_unit.get(key, ()), PROFILE_ENTRIES
    else:
        posts, count = site.posts_by_owner.get(link.owner, ()), PROFILE_ENTRIES
    return tuple(islice((p for p in posts if p.when is not None), count))


# The model as feeds


File = tuple[str, bytes, str]
"""An output path, its bytes, and what produced it."""


FEEDS_PER_TURN = 32
"""Feeds (of every language) a process writes each time it takes a turn."""


def feed_files(
    site: SiteModel,
    urls: Urls,
    media: Mapping[str, str],
    catalogs: Catalogs,
    turns: Callable[[], int] | None = None,
    keep: Callable[[FeedLink, tuple[Post, ...]], bool] | None = None,
) -> Iterator[File]:
    """The Atom and JSON Feed files of the site's feeds, in every language.

    ``turns`` hands out turn numbers (:class:`hub.parallel.Turns`), each once
    among the processes writing feeds: this call writes the feeds of the turns
    it takes, :data:`FEEDS_PER_TURN` a turn, until none are left. Without it,
    every feed. One profile's feeds in every language come in one turn, so
    each post's entry is written once. ``keep(link, posts)`` true means the
    previous build's files of that feed stand as they are (an incremental
    build, :mod:`hub.render.inputs`): they are not written.
    """
    writer = EntryWriter()
    languages = site.registry.site.languages
    editions = [edition_for(site, urls, media, catalogs, lang) for lang in languages]
    # The feeds of every language come in the same order.
    links = [list(all_feed_links(site, urls, lang)) for lang in languages]
    # A post is in several feeds of one language (the site's, its unit's,
    # its profile's): turn it into an entry once, and once more per language.
    made: dict[tuple[str, str], FeedEntry] = {}
    entry_of = [_once_per_post(edition, made) for edition in editions]
    take = turns or count().__next__
    while (start := take() * FEEDS_PER_TURN) < len(links[0]):
        for number, edition in enumerate(editions):
            for link in links[number][start : start + FEEDS_PER_TURN]:
                if keep is not None and keep(link, _posts(site, link)):
                    continue
                feed = build_feed(link, edition, entry_of[number])
                yield link.atom.lstrip("/"), atom(feed, writer.atom), f"the Atom feed {link.atom}"
                yield (
                    link.json.lstrip("/"),
                    json_feed(feed, writer.json),
                    f"the JSON feed {link.json}",
                )


def opml_path(lang: str | None) -> str:
    """Where the OPML list of ``lang`` is: ``/en/opml.xml``; None: ``/opml.xml``, the
    default language's, where it was before each language had its own."""
    return OPML_PATH if lang is None else f"/{lang}{OPML_PATH}"


def opml_file(
    site: SiteModel,
    urls: Urls,
    media: Mapping[str, str],
    catalogs: Catalogs,
    lang: str | None = None,
) -> File:
    """The OPML list of every feed, in ``lang`` (None: the default language's, at
    :data:`OPML_PATH`)."""
    edition = edition_for(site, urls, media, catalogs, lang or site.registry.site.default_language)
    return opml_path(lang).lstrip("/"), opml(edition), "the OPML list of feeds"


def edition_for(
    site: SiteModel, urls: Urls, media: Mapping[str, str], catalogs: Catalogs, lang: str
) -> Edition:
    """What every feed of ``lang`` shares."""
    reg = site.registry
    base = reg.site.url.rstrip("/")
    logo = media.get(reg.site.logo) if reg.site.logo else None
    icon = f"{base}/{logo}" if logo else None
    return Edition(site, urls, lang, base, icon, catalogs(lang).gettext, media)


def build_feed(
    link: FeedLink, edition: Edition, entry_of: Callable[[Post], FeedEntry] | None = None
) -> Feed:
    title, subtitle = feed_titles(link, edition)
    entry_of = entry_of or functools.partial(post_entry, edition=edition)
    return Feed(
        lang=edition.lang,
        title=title,
        subtitle=subtitle,
        atom_url=edition.absolute(link.atom),
        json_url=edition.absolute(link.json),
        page_url=edition.absolute(link.page),
        icon=edition.icon,
        author=Person(edition.service, edition.absolute(f"/{edition.lang}/")),
        entries=tuple(entry_of(post) for post in _posts(edition.site, link)),
    )


def _once_per_post(
    edition: Edition, made_before: dict[tuple[str, str], FeedEntry]
) -> Callable[[Post], FeedEntry]:
    """A post's entry in ``edition``'s language, made once however many feeds carry it.

    ``made_before`` holds each post's entry in the first language that made it;
    the others change only what differs between languages (:func:`_retold`).
    """
    made: dict[tuple[str, str], FeedEntry] = {}

    def entry_of(post: Post) -> FeedEntry:
        key = (post.entry.feed, post.entry.id)
        found = made.get(key)
        if found is None:
            other = made_before.get(key)
            if other is None:
                found = made_before[key] = post_entry(post, edition)
            else:
                found = _retold(other, post, edition)
            made[key] = found
        return found

    return entry_of


def post_entry(post: Post, edition: Edition) -> FeedEntry:
    """The post as ``edition``'s feeds carry it."""
    entry = post.entry
    dates = [d for d in (entry.published, entry.updated) if d is not None]
    separate_summary = entry.content and entry.summary != entry.content
    return FeedEntry(
        id=entry_id(post),
        title=_entry_title(post, edition),
        link=entry.link,
        published=entry.published,
        updated=max(dates, default=None),
        authors=_authors(post, edition),
        categories=tuple(dict.fromkeys(c for c in entry.categories if c.strip())),
        content_html=_own_images(entry.content or entry.summary, edition),
        summary_html=_own_images(entry.summary, edition) if separate_summary else "",
        text=post.excerpt,
        language=entry.language,
        media=_own_copy(entry, edition),
        origin=_origin(entry),
    )


_COPY_TYPES = {imaging.EXTENSION[fmt]: imaging.MIME[fmt] for fmt in imaging.MIME}
"""The media type of a copy the site makes, by its file's extension."""
_IMAGE = re.compile(r"<img\b[^>]*>")
_SOURCE = re.compile(r'\ssrc="([^"]*)"')


def _own_images(html: str, edition: Edition) -> str:
    """``html`` without the images that are not on the site itself."""
    if "<img" not in html:
        return html
    own = edition.base + "/"

    def kept(match: re.Match[str]) -> str:
        source = _SOURCE.search(match.group())
        return match.group() if source and unescape(source.group(1)).startswith(own) else ""

    return _IMAGE.sub(kept, html)


def _own_copy(entry: Entry, edition: Edition) -> tuple[Media, ...]:
    """The site's copy of the post's picture, the one its page shows; none without one."""
    if not entry.media:
        return ()
    first = entry.media[0]
    path = edition.copies.get(first.url)
    if path is None:
        return ()
    kind = _COPY_TYPES.get(path.rpartition(".")[2])
    return (Media(url=edition.absolute(f"/{path}"), alt=first.alt, type=kind),)


def _origin(entry: Entry) -> Origin:
    """What the store needs to take the post back from the site's archive."""
    return Origin(
        feed_key(entry.feed),
        entry.id,
        entry.first_seen,
        "" if not entry.title.strip() else None,
        entry.author,
        entry.media,
        entry.summary if entry.content and entry.summary != entry.content else None,
    )


def _retold(entry: FeedEntry, post: Post, edition: Edition) -> FeedEntry:
    """``entry``, made in another language, in ``edition``'s: its authors, and the
    title of a post with no words of its own, are all that differ."""
    words = post.entry.title.strip() or post.excerpt
    return FeedEntry(
        entry.id,
        entry.title if words else _entry_title(post, edition),
        entry.link,
        entry.published,
        entry.updated,
        _authors(post, edition),
        entry.categories,
        entry.content_html,
        entry.summary_html,
        entry.text,
        entry.language,
        entry.media,
        entry.origin,
    )


def _authors(post: Post, edition: Edition) -> tuple[Person, ...]:
    """The profile the post came from, then the feed's own author where it names another."""
    owner = edition.person(post.owner)
    author = post.entry.author
    if author and author.strip() and author != owner.name:
        return (owner, Person(author))
    return (owner,)


def entry_id(post: Post) -> str:
    """Stable and unique: a UUID named by the source feed and the entry's id in it.

    ``uuid.uuid5(ENTRY_IDS, name).urn``, spelled out as RFC 4122 (section 4.3)
    makes it: the standard library's checks and conversions take four fifths
    of its time, and a build names every post of its feeds.
    """
    name = f"{post.entry.feed}\n{post.entry.id}".encode()
    digest = bytearray(hashlib.sha1(_ENTRY_IDS_BYTES + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _entry_title(post: Post, edition: Edition) -> str:
    title = post.entry.title.strip() or shorten(post.excerpt, TITLE_LIMIT)
    if title:
        return title
    platform = edition.gettext(platforms.BY_KEY[post.account.platform].label)
    name = edition.name(edition.site.profile(post.owner))
    return edition.gettext(ON_PLATFORM) % {"name": name, "platform": platform}
