"""The typed model every stage shares: the registry (site, units, officers,
accounts) and the entries read from their feeds.

Everything here is a frozen dataclass (entries are made with
:func:`hub.records.record`, which is quicker to make). Stages pass these
along one way (registry -> fetch -> parse -> store -> site -> render ->
publish) and never mutate them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from hub.contact import ServiceLink, Station, TextTip
from hub.records import record

UnitKind = Literal["office", "division", "unit", "committee", "partner"]
UNIT_KINDS: tuple[UnitKind, ...] = ("office", "division", "unit", "committee", "partner")
"""In the directory's order. ``partner``: an organization outside the service that
works with it (Crime Stoppers, victim services), listed with the service's units."""

NEUTRAL = ""
"""The language key of a plain string: text that reads the same in every language."""


@dataclass(frozen=True)
class Text:
    """Public text: a plain string, or one string per language."""

    values: Mapping[str, str]

    @classmethod
    def plain(cls, value: str) -> Text:
        return cls({NEUTRAL: value})

    def pick(self, lang: str, fallback: str) -> tuple[str, str | None]:
        """The text for ``lang`` and the language it is really in.

        Falls back to ``fallback`` (the site's default language), then to any
        language given. The language is None for a plain string, which needs
        no ``lang`` attribute on any page.
        """
        for candidate in (lang, fallback):
            if candidate in self.values:
                return self.values[candidate], candidate
        if NEUTRAL in self.values:
            return self.values[NEUTRAL], None
        first = next(iter(self.values))
        return self.values[first], first

    def get(self, lang: str, fallback: str) -> str:
        return self.pick(lang, fallback)[0]


@dataclass(frozen=True)
class FeedRef:
    """Where an account's public feed is read from.

    ``source`` is the feed's identity in the store: the http(s) URL, or the
    path relative to the registry's folder exactly as written (POSIX form).
    ``path`` is set for a local file and is always inside the registry's folder.
    """

    source: str
    url: str | None = None
    path: Path | None = None
    platform: str | None = field(default=None, compare=False)
    """The account's platform: a document that is no feed is read as its answer
    (:mod:`hub.feeds.connectors`). Not part of the feed's identity."""
    profile: str | None = field(default=None, compare=False)
    """The account's public profile URL, where its posts' links lead."""
    token: str | None = field(default=None, compare=False)
    """For an account read through its platform's API (``source`` is
    ``api:<platform>:<handle>``), the NAME of the environment variable that holds
    its token; never the token itself. For a YouTube @handle
    (``api:youtube:@handle``), the variable of the Data API key its channel is
    looked up with before its public feed is read."""

    @property
    def is_local(self) -> bool:
        return self.path is not None

    @property
    def is_api(self) -> bool:
        """Read through the platform's API with a token, not from a feed."""
        return self.token is not None and self.url is None and self.path is None


@dataclass(frozen=True)
class Account:
    """One official account on one platform."""

    platform: str
    """Canonical key in the platform table (``x``, never the alias ``twitter``)."""
    handle: str | None
    url: str
    """The public profile URL."""
    feed: FeedRef | None
    owner: str
    """The profile that owns the account: ``officer:<id>`` or ``unit:<id>``."""
    label: Text | None = None
    """Overrides the platform's label (a blog's name, say)."""
    language: str | None = None
    """The language its posts are written in (``en``, ``fr``...), when the registry says:
    it wins over what a feed claims."""

    @property
    def key(self) -> str:
        """Identity used to spot the same account listed twice."""
        return f"{self.platform}:{(self.handle or self.url).lower()}"


@dataclass(frozen=True)
class Tips:
    name: Text
    phone: str | None = None
    url: str | None = None
    text: TextTip | None = None
    online: str | None = None
    """The https address of the tip line's online form."""


@dataclass(frozen=True)
class Contact:
    emergency: str
    non_emergency: str | None = None
    tips: Tips | None = None


@dataclass(frozen=True)
class Colors:
    primary: str = "#0b3d91"
    accent: str = "#ffd200"


@dataclass(frozen=True)
class FetchSettings:
    """Limits for fetching feeds; ``site.fetch`` in sources.yaml."""

    concurrency: int = 32
    per_host: int = 2
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_private_addresses: bool = False
    max_entries: int = 200
    """Entries kept per feed in the store."""
    api_interval: Mapping[str, float] = field(default_factory=dict)
    """Minutes between two reads of one account through its platform's API, by
    platform key; ``*`` for every platform not named. See :meth:`minutes_between_reads`."""

    def minutes_between_reads(self, platform: str) -> float:
        """The least time, in minutes, between two API reads of one account on ``platform``."""
        if platform in self.api_interval:
            return self.api_interval[platform]
        if "*" in self.api_interval:
            return self.api_interval["*"]
        return API_INTERVALS.get(platform, DEFAULT_API_INTERVAL)


API_INTERVALS: Mapping[str, float] = {"x": 60.0}
"""Minutes between API reads of one account where ``site.fetch.api_interval`` says
nothing: X's reads cost money and its limits are tight."""
DEFAULT_API_INTERVAL = 15.0
"""Minutes between API reads of one account on the other platforms."""


@dataclass(frozen=True)
class PublishSettings:
    """The publish gate's thresholds; ``site.publish`` in sources.yaml.

    Each is the smallest share of the published site's number that a new
    build may have and still replace it; 0 turns that check off.
    """

    min_entries_ratio: float = 0.5
    """Posts on the new site, against the published site's."""
    min_profiles_ratio: float = 0.8
    """Units and officers, against the published site's."""
    min_feeds_ratio: float = 0.5
    """Feeds with at least one post, against the published site's."""


@dataclass(frozen=True)
class Site:
    name: Text
    url: str
    languages: tuple[str, ...]
    contact: Contact
    theme: str = "default"
    logo: str | None = None
    """Path relative to the registry's folder."""
    colors: Colors = field(default_factory=Colors)
    disclaimer: Text | None = None
    fetch: FetchSettings = field(default_factory=FetchSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    timezone: str = "UTC"
    """IANA name (America/Toronto): the clock the site's dates are shown in."""
    api: Mapping[str, str] = field(default_factory=dict)
    """``site.api``: shared API keys, each the NAME of the environment variable that
    holds it (``x_bearer_token`` -> ``HUB_X_BEARER_TOKEN``, ``youtube_key`` ->
    ``HUB_YOUTUBE_KEY``); never a value."""
    audit_days: int = 730
    """``site.audit.keep_days``: how long the audit trail keeps earlier versions,
    withdrawals and curation events (``hub audit``); 0 keeps none."""
    search_refresh: int = 0
    """``site.search.refresh_minutes``: how long the search index may stay behind new
    posts (``hub.publish.search.Lag``); 0 keeps it current at every build."""
    links: tuple[ServiceLink, ...] = ()
    """``site.links``: complaints, commendations, records requests, oversight..."""
    topics: Mapping[str, Text] = field(default_factory=dict)
    """``site.topics``: a topic's name in each language, by the topic's key."""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def base_path(self) -> str:
        """The path the site is served under, without its final slash: ``""`` for
        ``https://connect.lakeview.example``, ``"/hub"`` for ``https://org.github.io/hub/``.
        Every link a page writes starts with it; the site's files do not."""
        return urlsplit(self.url).path.rstrip("/")


@dataclass(frozen=True)
class Unit:
    id: str
    name: Text
    kind: UnitKind
    parent: str | None = None
    official: bool = False
    description: Text | None = None
    photo: str | None = None
    monitoring: Text | None = None
    topics: tuple[str, ...] = ()
    accounts: tuple[Account, ...] = ()
    station: Station | None = None
    slug: Mapping[str, str] = field(default_factory=dict)
    """Language -> the page's address word in that language, where it is not ``id``."""


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    unit: str
    rank: Text | None = None
    """As the registry gives it, with the languages :mod:`hub.registry.ranks` knows."""
    title: Text | None = None
    photo: str | None = None
    """Path relative to the registry's folder."""
    bio: Text | None = None
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    monitoring: Text | None = None
    accounts: tuple[Account, ...] = ()
    slug: Mapping[str, str] = field(default_factory=dict)
    """Language -> the profile's address word in that language, where it is not ``id``."""

    def is_former(self, today: date) -> bool:
        """An officer whose ``until`` has passed is archived, not deleted."""
        return self.until is not None and self.until < today

    @property
    def display_name(self) -> str:
        """The name and the rank as the registry writes it, "Sgt Jack West": see :meth:`name_in`."""
        if self.rank is None:
            return self.name
        ranks = self.rank.values
        return f"{ranks.get(NEUTRAL) or next(iter(ranks.values()))} {self.name}"

    def name_in(self, lang: str, default: str) -> str:
        """The display name on a page in ``lang``: "S.é.-m. Anneke Visser" in French."""
        return f"{self.rank.get(lang, default)} {self.name}" if self.rank else self.name


def profile_name(profile: Unit | Officer, lang: str, default: str) -> str:
    """An officer's display name, or a unit's name, in ``lang`` (else in ``default``)."""
    if isinstance(profile, Unit):
        return profile.name.get(lang, default)
    return profile.name_in(lang, default)


@dataclass(frozen=True)
class Admin:
    """Who answers for a unit, an officer or an account (``admin:``): never published."""

    owner: str | None = None
    """The person or office responsible, e.g. "S/Sgt Dana Ruiz, 52 Division"."""
    contact: str | None = None
    trained: date | None = None
    """When the person running it completed the social-media training."""
    approved_by: str | None = None
    approved: date | None = None
    review_by: date | None = None
    """When the account must next be reviewed; ``hub check`` warns once it has passed."""
    notes: str | None = None


@dataclass(frozen=True)
class Registry:
    """A validated sources.yaml."""

    path: Path
    site: Site
    units: tuple[Unit, ...]
    officers: tuple[Officer, ...]
    admin: Mapping[str, Admin] = field(default_factory=dict, compare=False, repr=False)
    """``admin:`` blocks by ``unit:<id>``, ``officer:<id>`` or account key
    (``x:lakeviewps``), from sources.yaml and sources.admin.yaml. For the
    governance report only: nothing that builds the public site reads it."""

    @property
    def root(self) -> Path:
        """The registry's folder: relative paths in it resolve from here."""
        return self.path.parent

    def accounts(self) -> Iterator[Account]:
        for unit in self.units:
            yield from unit.accounts
        for officer in self.officers:
            yield from officer.accounts

    def feeds(self) -> tuple[FeedRef, ...]:
        """Every distinct feed, in registry order."""
        seen: dict[str, FeedRef] = {}
        for account in self.accounts():
            if account.feed is not None:
                seen.setdefault(account.feed.source, account.feed)
        return tuple(seen.values())


@dataclass(frozen=True)
class Media:
    """An image or video attached to an entry."""

    url: str
    alt: str = ""
    type: str | None = None
    """MIME type where the feed says, e.g. ``image/jpeg``."""


@record
class Entry:
    """One post from one feed, normalized and sanitized.

    ``title``, ``author`` and ``categories`` are plain text: escape them when
    rendering. ``summary`` and ``content`` are HTML that already passed the
    sanitizer's allow-list. All datetimes are timezone-aware UTC.
    """

    feed: str
    """The FeedRef.source it came from."""
    id: str
    """Stable within its feed: guid, else link, else a content hash."""
    title: str
    summary: str = ""
    content: str = ""
    link: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()
    language: str | None = None
    texts: tuple[str, str] | None = field(default=None, compare=False, repr=False)
    """Its excerpt and fingerprint (:mod:`hub.feeds.posttext`) as stored, else None."""
    first_seen: datetime | None = field(default=None, compare=False, repr=False)
    """When the store first saw it, as stored; None for an entry not read from the store."""


PAGE_SIZE = 50
"""Posts per page of the home page."""
HOME_PAGES = 20
"""Pages of latest activity: older posts stay on their profile and unit pages."""
RECENT = 20
"""Posts on a profile or unit page."""


@dataclass(frozen=True)
class MediaFile:
    """A feed image saved in the cache: its file name there and its size in pixels."""

    file: str
    width: int
    height: int


@dataclass(frozen=True)
class Thumbnails:
    """The feed images saved in the cache: what a build may publish."""

    folder: Path
    files: Mapping[str, MediaFile]
    """Feed image URL -> its copy in ``folder``."""
