"""The feeds' model: which feeds a page has, what they are called, what a feed holds.

:func:`feed_links` says which of this site's feeds a page has: the pages link
them, :mod:`hub.outputs.syndication` writes them and :mod:`hub.outputs.opml` lists them.
:func:`feed_titles` names a feed in one language, with the same messages the
templates use for the pages' feed links (``feed_title`` in ``_macros.html``)
and descriptions. :class:`Feed`, :class:`FeedEntry` and :class:`Person` are
plain values that :mod:`hub.outputs.syndication` builds and :mod:`hub.outputs.feedwriters`
turns into bytes; :class:`Edition` is what every feed of one language shares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from hub.model import Media, Unit, profile_name
from hub.records import record
from hub.site.model import Profile, SiteModel
from hub.site.urls import Route, Urls

NO_ENTRIES = datetime(1970, 1, 1, tzinfo=UTC)
"""The ``updated`` of a feed with no entries: any real time would change between builds."""

# The catalogs translate these; the templates use the same messages, which is how
# they are extracted (tests/test_syndication.py checks that they still are).
SITE_TITLE = "%(service)s — latest activity"
UNIT_TITLE = "%(name)s and its officers — %(service)s"
PROFILE_TITLE = "%(name)s — %(service)s"
SITE_SUBTITLE = "%(service)s: official social media accounts and their latest posts."
PROFILE_SUBTITLE = "%(name)s: official social media accounts (%(service)s)."
ON_PLATFORM = "%(name)s on %(platform)s"

FeedKind = Literal["site", "unit", "profile"]


@dataclass(frozen=True)
class FeedLink:
    """One of this site's feeds in one language, with root-relative paths."""

    kind: FeedKind
    """``site``: every post; ``unit``: a unit and its officers; ``profile``: one profile."""
    owner: str
    """``unit:<id>`` or ``officer:<id>``; empty for the site's feed."""
    page: str
    """The HTML page showing the same posts."""
    atom: str
    json: str


class Person(NamedTuple):
    """A feed's or an entry's author. A named tuple: writers look each list of
    authors up by value, tens of thousands of times a build."""

    name: str
    url: str | None = None


@record
class Origin:
    """Where a post came from, for the store to take it back from the site's archive:
    the ``_hub`` member of its JSON Feed item (:mod:`hub.feeds.sitearchive`)."""

    feed: str
    """The :func:`~hub.feeds.sitearchive.feed_key` of its feed's source."""
    id: str
    """Its id in that feed."""
    first_seen: datetime | None
    title: str | None
    """Its own title where the item's is made up (a post with no title: ``""``); else None."""
    author: str | None
    """The author its feed names, if any."""
    media: tuple[Media, ...]
    """Its images as stored, with their alt text and type."""
    summary: str | None = None
    """Its summary (sanitized HTML) where it has content besides, which JSON Feed's
    ``summary`` (the excerpt) does not carry; else None."""


@record
class FeedEntry:
    """A post as feeds carry it. The writers escape and clean every text."""

    id: str
    title: str
    """Plain text."""
    link: str | None
    published: datetime | None
    updated: datetime | None
    """The later of its dates; None only for a post with none, which only the archive carries."""
    authors: tuple[Person, ...]
    categories: tuple[str, ...]
    content_html: str
    """Sanitized HTML: the post's content, else its summary."""
    summary_html: str
    """Sanitized HTML: the summary, where the post has content besides."""
    text: str
    """Plain text: the excerpt, for JSON Feed's ``summary`` and posts with no HTML."""
    language: str | None
    """Written only where it is a well-formed language tag."""
    media: tuple[Media, ...]
    origin: Origin | None = None
    """Written as the JSON Feed item's ``_hub`` member, where set."""


@dataclass(frozen=True)
class Feed:
    lang: str
    title: str
    subtitle: str
    atom_url: str
    json_url: str
    page_url: str
    icon: str | None
    author: Person
    entries: tuple[FeedEntry, ...]
    next_url: str | None = None
    """JSON Feed's next page, older posts (the archive's pages: :mod:`hub.outputs.archive`)."""

    @property
    def updated(self) -> datetime:
        dates = (entry.updated for entry in self.entries if entry.updated is not None)
        return max(dates, default=NO_ENTRIES)


@dataclass(frozen=True)
class Edition:
    """What every feed of one language shares."""

    site: SiteModel
    urls: Urls
    lang: str
    base: str
    """The site's URL without a final slash."""
    icon: str | None
    gettext: Callable[[str], str]
    copies: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """An image's key (a registry path, a feed image's URL) -> where the site publishes
    its copy (no leading slash): the logo, and the posts' pictures."""
    _people: dict[str, Person] = field(default_factory=dict, compare=False, repr=False)

    def absolute(self, path: str) -> str:
        return self.base + path

    def person(self, owner: str) -> Person:
        """The officer or unit behind ``owner`` as an author: name and page, in this language."""
        found = self._people.get(owner)
        if found is None:
            profile = self.site.profile(owner)
            found = self._people[owner] = Person(self.name(profile), self.page(profile))
        return found

    def name(self, profile: Profile) -> str:
        return profile_name(profile, self.lang, self.default)

    def page(self, profile: Profile) -> str:
        kind = "unit" if isinstance(profile, Unit) else "officer"
        return self.absolute(self.urls.path(Route(kind, profile.id), self.lang))

    @property
    def default(self) -> str:
        return self.site.registry.site.default_language

    @property
    def service(self) -> str:
        return self.site.registry.site.name.get(self.lang, self.default)


# Which feeds exist


def feed_links(site: SiteModel, urls: Urls, route: Route | None, lang: str) -> tuple[FeedLink, ...]:
    """The feeds of the page at ``route``, the page's own first; none for most pages."""
    if route is None:
        return ()
    if route.name == "home":
        return (_link("site", "", urls.path(Route("home"), lang)),)
    if route.name == "officer" and route.key in site.officers:
        officer = site.officers[route.key]
        if not _has_feed(officer):
            return ()
        return (_link("profile", f"officer:{officer.id}", urls.path(route, lang)),)
    if route.name == "unit" and route.key in site.units:
        return _unit_links(site, site.units[route.key], urls.path(route, lang))
    return ()


def all_feed_links(site: SiteModel, urls: Urls, lang: str) -> Iterator[FeedLink]:
    yield from feed_links(site, urls, Route("home"), lang)
    for unit in site.units.values():
        yield from feed_links(site, urls, Route("unit", unit.id), lang)
    for officer in site.officers.values():
        yield from feed_links(site, urls, Route("officer", officer.id), lang)


def _unit_links(site: SiteModel, unit: Unit, page: str) -> tuple[FeedLink, ...]:
    own = _has_feed(unit)
    officers = any(_has_feed(o) for o in site.officers.values() if o.unit == unit.id)
    owner = f"unit:{unit.id}"
    if own and officers:
        return (_link("unit", owner, page), _link("profile", owner, page, "own-feed"))
    if officers:
        return (_link("unit", owner, page),)
    # Without officers' feeds the page's feed is the unit's own, and says so.
    return (_link("profile", owner, page),) if own else ()


def _link(kind: FeedKind, owner: str, page: str, stem: str = "feed") -> FeedLink:
    return FeedLink(kind, owner, page, f"{page}{stem}.xml", f"{page}{stem}.json")


def _has_feed(profile: Profile) -> bool:
    return any(account.feed is not None for account in profile.accounts)


# What they are called


def feed_titles(link: FeedLink, edition: Edition) -> tuple[str, str]:
    """The feed's title and subtitle in the edition's language."""
    _ = edition.gettext
    service = edition.service
    if link.kind == "site":
        return _(SITE_TITLE) % {"service": service}, _(SITE_SUBTITLE) % {"service": service}
    profile = edition.site.profile(link.owner)
    name = edition.name(profile)
    words = {"name": name, "service": service}
    subtitle = _(PROFILE_SUBTITLE) % words
    if isinstance(profile, Unit) and profile.description is not None:
        subtitle = profile.description.get(edition.lang, edition.default)
    title = _(UNIT_TITLE if link.kind == "unit" else PROFILE_TITLE) % words
    return title, subtitle
