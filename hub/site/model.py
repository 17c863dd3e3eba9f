"""Assembles the site model from the registry, the stored entries and content/.

Pure: no I/O. It answers the questions templates would otherwise work out
over and over: who owns an account, which posts belong to whom, which units
sit under which, who has left, which posts are the same post cross-posted.
Posts that ``content/curation.yaml`` takes down, holds or mutes are left out
here (:mod:`hub.site.moderation`), so no page or file of the build shows them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn

from hub import parallel
from hub.feeds import posttext
from hub.feeds.sanitize import shorten
from hub.model import Account, Entry, Officer, Registry, Unit
from hub.problems import Problem
from hub.records import record
from hub.registry import platforms
from hub.registry.platforms import PLATFORMS
from hub.site import moderation, resolution
from hub.site.agenda import Agenda
from hub.site.content import Content
from hub.site.curation import Mute
from hub.site.moderation import HeldPost, Screen
from hub.site.resolution import Appeals

if TYPE_CHECKING:
    from hub.site.daypages import Day

CROSS_POST_WINDOW = timedelta(hours=48)

Profile = Officer | Unit


@record
class Post:
    """An entry as the site shows it: with the account and profile it came from."""

    entry: Entry
    account: Account
    owner: str
    """``officer:<id>`` or ``unit:<id>``."""
    when: datetime | None
    excerpt: str
    """Plain text, short: the title when the post has none."""
    also: tuple[Account, ...] = ()
    """Other accounts of the same owner where the same post appeared."""
    fingerprint: str = field(default="", compare=False, repr=False)
    """What makes two posts the same post (see :func:`fingerprint`); worked out if empty."""

    @cached_property
    def heading(self) -> str:
        """The post's title where it says more than the excerpt does; else empty.

        Without what the platform wrote around it (``/u/name on``: see
        :func:`hub.feeds.posttext.title_of`)."""
        title = posttext.title_of(self.entry.title)
        if not title or title == self.excerpt or self.excerpt.startswith(title.rstrip(".…")):
            return ""
        return title


@dataclass(frozen=True)
class SiteModel:
    registry: Registry
    content: Content
    built_at: datetime
    posts: tuple[Post, ...]
    """Every post, newest first, cross-posts merged."""
    units: Mapping[str, Unit]
    officers: Mapping[str, Officer]
    children: Mapping[str, tuple[Unit, ...]]
    members: Mapping[str, tuple[Officer, ...]]
    """Unit id -> its current officers."""
    former: tuple[Officer, ...]
    posts_by_owner: Mapping[str, tuple[Post, ...]]
    posts_by_unit: Mapping[str, tuple[Post, ...]]
    """Unit id -> the posts of the unit and of its officers."""
    platforms: tuple[str, ...]
    """Platforms that have at least one account, in table order."""
    topics: tuple[str, ...]
    river: tuple[Post, ...] = ()
    """The home page's posts: the pinned ones first, then the others newest first."""
    pinned: tuple[Post, ...] = ()
    """The posts ``curation.yaml`` pins to the top of the home page today."""
    held: tuple[HeldPost, ...] = ()
    """The posts a ``hold:`` phrase keeps off the site until they are approved."""
    muted: Mapping[str, Mute] = field(default_factory=dict)
    """Account key -> its mute in force: its posts are not shown."""
    notes: tuple[Problem, ...] = ()
    """Warnings about ``curation.yaml`` that only the posts could show (a pin that pins nothing)."""
    appeals: Appeals = field(default_factory=Appeals)
    """``content/appeals/`` and the posts that are appeals, resolved: :mod:`hub.site.resolution`."""
    channel_names: Mapping[str, str] = field(default_factory=dict)
    """Account key -> the name its feed gives it, for the accounts without a label
    whose handle is an id no reader recognises (:func:`channel_names`)."""
    merged: tuple[Post, ...] = ()
    """Cross-posts shown as another account's post (its ``also``), newest first: no
    page shows them on their own; the site's archive keeps them (:mod:`hub.outputs.archive`)."""

    @property
    def today(self) -> date:
        """The day of the build in the site's time zone: who has left, by then."""
        return moderation.local_day(self.built_at, self.registry.site.timezone)

    @cached_property
    def days(self) -> tuple[Day, ...]:
        """The pages of latest activity after the home page, the newest first
        (:mod:`hub.site.daypages`): the pages and the sitemap both ask."""
        from hub.site import daypages  # it reads this module's Post and SiteModel

        return daypages.days(self)

    @cached_property
    def agenda(self) -> Agenda:
        """``content/events/`` in the site's time zone (:mod:`hub.site.agenda`)."""
        return Agenda(self.content.events, self.registry.site.timezone)

    @property
    def official(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units.values() if u.official)

    def suspended(self, account: Account) -> bool:
        """Whether ``curation.yaml`` mutes the account today: its posts are not shown."""
        return account.key in self.muted

    def profile(self, owner: str) -> Profile:
        kind, _, key = owner.partition(":")
        return self.officers[key] if kind == "officer" else self.units[key]

    def unit_of(self, officer: Officer) -> Unit:
        return self.units[officer.unit]

    def units_of_kind(self, kind: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units.values() if u.kind == kind)

    def accounts_on(self, platform: str) -> tuple[tuple[Profile, Account], ...]:
        return tuple(
            (self.profile(a.owner), a) for a in self.registry.accounts() if a.platform == platform
        )

    def with_topic(self, topic: str) -> tuple[Profile, ...]:
        people: list[Profile] = [u for u in self.units.values() if topic in u.topics]
        people += [o for o in self.current_officers() if topic in o.topics]
        return tuple(people)

    def current_officers(self) -> tuple[Officer, ...]:
        return tuple(o for o in self.officers.values() if not o.is_former(self.today))

    def has_left(self, profile: Profile) -> bool:
        """Whether ``profile`` is an officer who has left: their accounts are no longer official."""
        return isinstance(profile, Officer) and profile.id in self._former_ids

    @cached_property
    def _former_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.former)

    def ancestors(self, unit: Unit) -> tuple[Unit, ...]:
        chain: list[Unit] = []
        while unit.parent is not None and unit.parent in self.units:
            unit = self.units[unit.parent]
            chain.insert(0, unit)
        return tuple(chain)


def channel_names(registry: Registry, newest: Callable[[str], Sequence[Entry]]) -> dict[str, str]:
    """Account key -> the name its feed gives it (its newest post's author).

    Only for the accounts with a feed, no label, and a handle that is an id
    (a YouTube channel id, a Flickr NSID): the directory shows that name
    where it would show a handle, never the id. ``newest(source)`` is the
    feed's newest stored entry, or nothing (``Store.entries([source], limit=1)``).
    """
    names: dict[str, str] = {}
    for account in registry.accounts():
        if account.label or account.feed is None or not platforms.opaque_handle(account):
            continue
        found = newest(account.feed.source)
        author = found[0].author if found else None
        if author:
            names[account.key] = shorten(author, NAME_LIMIT)
    return names


NAME_LIMIT = 60
"""Characters of a name a feed gives its account."""


def build(
    registry: Registry,
    entries: Sequence[Entry],
    content: Content,
    built_at: datetime,
    *,
    workers: int = 1,
    names: Mapping[str, str] | None = None,
    withdrawn: Mapping[str, datetime] | None = None,
) -> SiteModel:
    """The model of the site; ``workers`` processes share the per-post text work.

    ``names`` are the accounts' :func:`channel_names`; none without them.
    """
    units = {u.id: u for u in registry.units}
    officers = {o.id: o for o in registry.officers}
    today = moderation.local_day(built_at, registry.site.timezone)
    children: dict[str, list[Unit]] = defaultdict(list)
    for unit in registry.units:
        if unit.parent is not None:
            children[unit.parent].append(unit)
    members: dict[str, list[Officer]] = defaultdict(list)
    for officer in registry.officers:
        if not officer.is_former(today):
            members[officer.unit].append(officer)
    screen = Screen(content.curation, moderation.local_day(built_at, registry.site.timezone))
    owners = moderation.feed_owners(registry)
    shown, held = screen.screen(entries, owners)
    # ``withdrawn``: the addresses of the posts the store marked withdrawn, with
    # when (Store.withdrawn), which resolve appeals. A resolved appeal's post
    # is the person's details too: it leaves the site.
    appeals = resolution.resolve(
        content.appeals, entries, shown, withdrawn or {}, owners, registry.site.timezone
    )
    if appeals.kept_off:
        shown = [e for e in shown if (e.feed, e.id) not in appeals.kept_off]
    posts, merged = _merge_cross_posts(_posts(registry, shown, workers))
    ranked = [
        (rank, i) for i, p in enumerate(posts) if (rank := screen.pin_rank(p.entry)) is not None
    ]
    pinned = [posts[i] for _, i in sorted(ranked)]
    on_top = {i for _, i in ranked}
    by_owner: dict[str, list[Post]] = defaultdict(list)
    by_unit: dict[str, list[Post]] = defaultdict(list)
    unit_of = {f"unit:{u.id}": u.id for u in registry.units}
    unit_of.update((f"officer:{o.id}", o.unit) for o in registry.officers)
    for post in posts:
        by_owner[post.owner].append(post)
        by_unit[unit_of[post.owner]].append(post)
    used = {a.platform for a in registry.accounts()}
    return SiteModel(
        registry=registry,
        content=content,
        built_at=built_at,
        posts=tuple(posts),
        units=units,
        officers=officers,
        children={k: tuple(v) for k, v in children.items()},
        members={k: tuple(v) for k, v in members.items()},
        former=tuple(o for o in registry.officers if o.is_former(today)),
        posts_by_owner={k: tuple(v) for k, v in by_owner.items()},
        posts_by_unit={k: tuple(v) for k, v in by_unit.items()},
        platforms=tuple(p.key for p in PLATFORMS if p.key in used),
        topics=tuple(sorted({t for p in (*registry.units, *registry.officers) for t in p.topics})),
        river=(*pinned, *(post for i, post in enumerate(posts) if i not in on_top)),
        pinned=tuple(pinned),
        held=tuple(held),
        muted=screen.muted,
        notes=(*screen.notes(entries, (post.entry for post in pinned)), *appeals.notes),
        appeals=appeals,
        channel_names=dict(names or {}),
        merged=tuple(merged),
    )


class PostsNotLoaded(Exception):
    """A page rendered from :func:`directory` looked at the posts, which it lacks."""


class _NotLoaded:
    """Stands for the posts in a :func:`directory` model: any use of it raises."""

    def _refuse(self, *_: object) -> NoReturn:
        raise PostsNotLoaded("this model has no posts: it was made before they were loaded")

    __getattr__ = __iter__ = __len__ = __bool__ = __getitem__ = __contains__ = _refuse


def directory(
    registry: Registry,
    content: Content,
    built_at: datetime,
    names: Mapping[str, str] | None = None,
) -> SiteModel:
    """The model without its posts, for the pages that list accounts only.

    Pages such as the directory can be rendered from it while the entries are
    still being read. Any look at its posts raises :class:`PostsNotLoaded`, so
    a page (or a theme's version of it) that does show posts is never
    rendered without them: it waits for the whole model.
    """
    model = build(registry, (), content, built_at, names=names)
    missing: Any = _NotLoaded()
    return replace(
        model,
        posts=missing,
        posts_by_owner=missing,
        posts_by_unit=missing,
        river=missing,
        pinned=missing,
        held=missing,
        appeals=missing,
        merged=missing,
    )


def _posts(registry: Registry, entries: Iterable[Entry], workers: int = 1) -> list[Post]:
    """Entries joined to their account; the first account listing a feed owns it."""
    owners = moderation.feed_owners(registry)
    spoken = _sole_languages(registry)
    # A feed removed from the registry: its entries are no longer published.
    shown = [entry for entry in entries if entry.feed in owners]
    # The store keeps each entry's texts; entries stored without them get them here.
    worked_out = iter(_texts([entry for entry in shown if entry.texts is None], workers))
    posts = []
    for entry in shown:
        text, words = entry.texts or next(worked_out)
        account = owners[entry.feed]
        if account.language is not None and entry.language != account.language:
            entry = replace(entry, language=account.language)  # the registry knows best
        elif entry.language is None and account.language is None and account.owner in spoken:
            entry = replace(entry, language=spoken[account.owner])
        when = entry.published or entry.updated
        # Positional, in field order (also, fingerprint): one is made for every entry.
        posts.append(Post(entry, account, account.owner, when, text, (), words))
    epoch = datetime.min.replace(tzinfo=UTC)
    posts.sort(key=lambda p: p.when or epoch, reverse=True)
    return posts


def _sole_languages(registry: Registry) -> dict[str, str]:
    """``officer:<id>`` -> the one language of an officer whose ``languages:`` names one.

    Their posts are in it when neither the account nor the post says otherwise:
    an English-only officer's post on a French page is marked ``lang="en"``.
    """
    return {f"officer:{o.id}": o.languages[0] for o in registry.officers if len(o.languages) == 1}


def _texts(entries: Sequence[Entry], workers: int) -> list[tuple[str, str]]:
    """Each entry's excerpt and fingerprint, for entries stored without them."""
    if len(entries) < _WORTH_FORKING:
        workers = 1
    size = -(-len(entries) // max(1, workers))
    chunks = [entries[start : start + size] for start in range(0, len(entries), size or 1)]
    return [texts for part in parallel.run(_texts_of, chunks, workers) for texts in part]


_WORTH_FORKING = 2000
"""Fewer entries than this are quicker to work out here than in forked workers."""


def _texts_of(entries: Sequence[Entry]) -> list[tuple[str, str]]:
    return [posttext.texts(entry) for entry in entries]


def _fingerprint(post: Post) -> str:
    return post.fingerprint or posttext.fingerprint(post.entry.title, post.excerpt)


def _merge_cross_posts(posts: list[Post]) -> tuple[list[Post], list[Post]]:
    """One owner posting the same text on two platforms shows as one post: the posts
    kept, and those merged into one of them (in its ``also``)."""
    kept: list[Post] = []
    merged: list[Post] = []
    seen: dict[tuple[str, str], int] = {}
    ids: set[tuple[str, str | None]] = set()
    for post in posts:
        # The same guid and link from two feeds (a feed listed under two URLs) is
        # one post. Without a link a guid means something only in its own feed.
        entry = post.entry
        identity = (entry.id, entry.link) if entry.link else (entry.feed, entry.id)
        if identity in ids:
            continue
        ids.add(identity)
        key = (post.owner, _fingerprint(post))
        index = seen.get(key)
        if index is not None and key[1]:
            first = kept[index]
            close = (
                first.when is None
                or post.when is None
                or abs(first.when - post.when) <= CROSS_POST_WINDOW
            )
            if close and post.account != first.account:
                if post.account not in first.also:
                    kept[index] = replace(first, also=(*first.also, post.account))
                merged.append(post)
                continue
            if close and post.entry.id == first.entry.id:
                continue
        seen[key] = len(kept)
        kept.append(post)
    return kept, merged
