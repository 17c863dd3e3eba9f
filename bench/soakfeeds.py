"""The soak's feeds (bench/soak.py): what each one serves, the faults it answers with,
the registry that lists them, and a model of what the store must hold of each.

Each feed belongs to one unit or officer and carries that profile's posts.
Between runs posts are added, edited and deleted; a feed serves its newest
few posts (:attr:`Feed.window`), newest first, or oldest first as some
publishing tools write them. In a run a feed answers with its posts, or
fails in one of the ways of :data:`KINDS`.

The model is the store's rules (``hub/store/rules.py``) applied to what
each feed served, written again here from the outside: a successful fetch
adds and edits the posts it lists, withdraws the stored posts it no longer
lists that are newer than the oldest it lists (older ones merely left the
feed), and keeps the newest ``max_entries``; an empty feed withdraws
nothing; a fetch that fails changes nothing. A run killed after a feed was
answered may or may not have stored it, so each feed has a set of possible
states (:attr:`Feed.expected`), which the next answers narrow again.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from tests.feedserver import FeedServer

KINDS = (
    "timeout",
    "http-500",
    "garbage",
    "truncated",
    "empty-body",
    "empty-feed",
    "gone-410",
    "held-429",
)
"""The ways a feed fails: no answer in time, a server error, bytes that are no feed
(random bytes, an HTML page), a feed cut off part way (served whole, with its
length), an empty body, a well-formed feed with no posts (a success that lists
nothing), 410 Gone, and 429 with a Retry-After (the host is held)."""
RARE = {"gone-410": 0.25}
"""Kinds answered less often than the others, by how much: the hub asks a feed that
answered 410 again only a day later, and a soak whose feeds are mostly waiting a
day tests little."""
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
"""The feeds' hosts: a host held after a 429 keeps only its own feeds waiting."""
HOLD_SECONDS = 1200
"""The Retry-After of a 429: the next run (15 minutes later) still finds the host held."""

_VERSION = re.compile(r"version (\d+)\.$")

Row = tuple[str, str, int]
"""A post as a feed lists it and the store keeps it: (guid, effective time, version)."""
State = frozenset[Row]
"""The live posts the store holds of one feed."""


def stamp(moment: datetime) -> str:
    """A time as the site's JSON Feeds write it; the soak's times are whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Post:
    guid: str
    number: int
    when: datetime
    version: int = 1
    deleted: bool = False


def text(owner: str, number: int, version: int) -> str:
    """A post's words: its number and version are in them, so the site shows which it has."""
    return f"Notice {number} of {owner}, version {version}."


@dataclass
class Feed:
    """One profile's feed: its posts, how it lists them, and what the store may hold."""

    owner: str
    """The unit's or officer's name."""
    profile: str
    """``unit:<id>`` or ``officer:<id>``."""
    slug: str
    host: str
    oldest_first: bool
    etag: bool
    window: int
    """How many of the newest posts the feed lists."""
    posts: list[Post] = field(default_factory=list)
    expected: set[State] = field(default_factory=lambda: {frozenset()})
    source: str = ""
    """Its address, as sources.yaml gives it."""

    @property
    def path(self) -> str:
        return f"/feeds/{self.slug}.xml"

    def listed(self) -> list[Post]:
        """The posts the feed lists now: its newest ``window`` that were not deleted."""
        return [post for post in self.posts if not post.deleted][-self.window :]

    def rows(self) -> list[Row]:
        return [(post.guid, stamp(post.when), post.version) for post in self.listed()]

    def add(self, now: datetime, rng: random.Random) -> Post:
        number = len(self.posts)
        when = now - timedelta(seconds=rng.randint(30, 14 * 60))
        if self.posts and when <= self.posts[-1].when:
            when = self.posts[-1].when + timedelta(seconds=1)
        post = Post(f"https://news.example/{self.slug}/{number}", number, when)
        self.posts.append(post)
        return post

    def edit(self, rng: random.Random) -> Post | None:
        listed = self.listed()
        if not listed:
            return None
        post = rng.choice(listed)
        post.version += 1
        return post

    def delete(self, rng: random.Random) -> Post | None:
        """Delete a listed post, never the oldest listed: a successful fetch can then
        tell it was deleted (it stays older than what the feed lists only while no
        more than ``window`` posts are added before the next one)."""
        listed = self.listed()
        if len(listed) < 2:
            return None
        post = rng.choice(listed[1:])
        post.deleted = True
        return post

    def body(self, *, items: bool = True) -> bytes:
        listed = self.listed() if items else []
        ordered = listed if self.oldest_first else listed[::-1]
        entries = "".join(
            f"<item><title>{self.owner} notice {post.number}</title>"
            f"<link>{post.guid}</link><guid>{post.guid}</guid>"
            f"<pubDate>{format_datetime(post.when)}</pubDate>"
            f"<description>{text(self.owner, post.number, post.version)}</description></item>"
            for post in ordered
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{self.owner}</title><link>https://news.example/{self.slug}/</link>"
            f"<description>News from {self.owner}</description>{entries}</channel></rss>\n"
        ).encode()

    def answer(self, kind: str | None, rng: random.Random, timeout: float) -> dict[str, Any]:
        """The FeedServer route's options for this run: the feed, or a fault of ``kind``."""
        body = self.body()
        if kind is None:
            tag = f'"{hashlib.sha256(body).hexdigest()[:16]}"' if self.etag else None
            return {"body": body, "etag": tag}
        html = {"Content-Type": "text/html; charset=utf-8"}
        if kind == "timeout":
            return {"body": body, "delay": timeout + 0.5}
        if kind == "http-500":
            return {"status": 500, "body": b"<h1>Internal Server Error</h1>", "headers": html}
        if kind == "garbage":
            if rng.random() < 0.5:
                return {"body": rng.randbytes(rng.randint(1, 4096))}
            page = b"<!DOCTYPE html><html><body><form>Sign in to the network</form></body></html>"
            return {"body": page, "headers": html}
        if kind == "truncated":
            start = body.index(b"<item>")
            return {"body": body[: rng.randint(start, len(body) - 20)]}
        if kind == "empty-body":
            return {"body": b""}
        if kind == "empty-feed":
            return {"body": self.body(items=False)}
        if kind == "gone-410":
            return {"status": 410, "body": b"Gone", "headers": html}
        if kind == "held-429":
            return {
                "status": 429,
                "body": b"Slow down",
                "headers": {"Retry-After": str(HOLD_SECONDS)},
            }
        raise ValueError(f"unknown fault {kind!r}")

    def served(self, kind: str | None, max_entries: int, *, certain: bool) -> None:
        """The feed answered ``kind`` (None: its posts) in a run; the store's states after it.

        ``certain`` is False when the run was killed: the answer may not have been stored.
        """
        rows = self.rows() if kind is None else [] if kind == "empty-feed" else None
        if rows is None:
            return
        after = {stored_after(state, rows, max_entries) for state in self.expected}
        self.expected = after if certain else self.expected | after

    def text_of(self, row: Row) -> str:
        return text(self.owner, self.number_of(row[0]), row[2])

    def number_of(self, guid: str) -> int:
        return int(guid.rsplit("/", 1)[1])

    def is_deleted(self, guid: str) -> bool:
        number = self.number_of(guid)
        return number < len(self.posts) and self.posts[number].deleted


def state_shown(posts: Mapping[str, tuple[str, str]]) -> State:
    """The state a site's posts of one feed (guid -> (time, words)) show: what a store
    re-seeded from it holds. Words that are none of the feed's give version 0."""
    versions = {guid: _VERSION.search(words) for guid, (_, words) in posts.items()}
    return frozenset(
        (guid, when, int(found.group(1)) if (found := versions[guid]) else 0)
        for guid, (when, _) in posts.items()
    )


def stored_after(state: State, rows: Sequence[Row], max_entries: int) -> State:
    """What the store holds of a feed after a fetch that listed ``rows``.

    The rules of ``hub/store/rules.py`` (``to_withdraw``, ``to_prune``): the posts
    listed are stored; those stored before and not listed are withdrawn when newer
    than the oldest listed (an empty list withdraws nothing); the newest
    ``max_entries`` are kept, ties broken by id.
    """
    live = {guid: (when, version) for guid, when, version in state}
    if rows:
        oldest = min(when for _, when, _ in rows)
        listed = {guid for guid, _, _ in rows}
        for guid, (when, _) in list(live.items()):
            if guid not in listed and when > oldest:
                del live[guid]
        for guid, when, version in rows:
            live[guid] = (when, version)
    newest = sorted(sorted(live), key=lambda guid: live[guid][0], reverse=True)
    return frozenset((guid, *live[guid]) for guid in newest[:max_entries])


def mismatch(feed: Feed, shown: Mapping[str, tuple[str, str]], states: Iterable[State]) -> str:
    """Why what the site shows of ``feed`` (guid -> (time, words)) is none of ``states``;
    empty when it is one of them."""
    states = list(states)
    for state in states:
        wanted = {guid: (when, feed.text_of((guid, when, v))) for guid, when, v in state}
        if wanted == dict(shown):
            return ""
    in_all = set.intersection(*({row[0] for row in state} for state in states))
    in_any = {row[0]: row for state in states for row in state}
    lost = sorted(in_all - set(shown), key=feed.number_of)
    if lost:
        return f"lost: {', '.join(lost)} (every state the store may be in holds them)"
    extra = sorted(set(shown) - set(in_any), key=feed.number_of)
    resurrected = [guid for guid in extra if feed.is_deleted(guid)]
    if resurrected:
        return f"resurrected after deletion: {', '.join(resurrected)}"
    if extra:
        return f"shown though no state holds them: {', '.join(extra)}"
    for guid, (when, words) in sorted(shown.items()):
        seen = {(row[1], feed.text_of(row)) for state in states for row in state if row[0] == guid}
        if (when, words) not in seen:
            wanted = " or ".join(repr(w) for _, w in sorted(seen))
            return f"{guid}: shows {words!r} dated {when}; the last fetched: {wanted}"
    return "the posts shown are of no one state the store may be in"


def registry(feeds: Sequence[Feed], site_url: str, *, timeout: float, max_entries: int) -> str:
    """``sources.yaml`` of the soak's site: a unit or officer per feed, and an officer
    without one; its address is where the deployed site is served."""
    lines = [
        "site:",
        "  name: Soak Bay Police",
        f"  url: {site_url}",
        "  languages: [en]",
        '  contact: {emergency: "911"}',
        "  fetch:",
        "    allow_private_addresses: true",
        "    connect_timeout: 1",
        f"    read_timeout: {timeout}",
        f"    total_timeout: {timeout}",
        f"    max_entries: {max_entries}",
        "units:",
    ]
    for feed in feeds:
        if feed.profile.startswith("unit:"):
            lines += [
                f"  - id: {feed.slug}",
                f"    name: {feed.owner}",
                "    kind: unit",
                "    accounts:",
                f'      - {{platform: website, url: "https://news.example/{feed.slug}/", '
                f'feed: "{feed.source}"}}',
            ]
    lines += [
        "officers:",
        "  - id: officer-x",
        "    name: Officer Xavier",
        f"    unit: {feeds[0].slug}",
        "    accounts:",
        "      - {platform: x, handle: OfficerXavier}",
    ]
    for feed in feeds:
        if feed.profile.startswith("officer:"):
            lines += [
                f"  - id: {feed.slug}",
                f"    name: {feed.owner}",
                f"    unit: {feeds[0].slug}",
                "    accounts:",
                f'      - {{platform: website, url: "https://news.example/{feed.slug}/", '
                f'feed: "{feed.source}"}}',
            ]
    return "\n".join(lines) + "\n"


def make_feeds(
    count: int, window: int, server: FeedServer, rng: random.Random, start: datetime
) -> list[Feed]:
    """``count`` feeds, every fourth an officer's and the others units', on :data:`HOSTS`;
    some list oldest first. Each has a few posts from the hours before ``start``."""
    feeds = []
    for n in range(count):
        officer = n % 4 == 3
        feed = Feed(
            owner=f"Officer Number{n}" if officer else f"Unit {n}",
            profile=f"officer:officer-{n}" if officer else f"unit:unit-{n}",
            slug=f"officer-{n}" if officer else f"unit-{n}",
            host=HOSTS[n % len(HOSTS)],
            oldest_first=rng.random() < 0.25,
            etag=n % 2 == 0,
            window=window,
        )
        feed.source = server.url(feed.path, feed.host)
        posts = rng.randint(2, window + 2)
        for k in range(posts):
            feed.add(start - timedelta(hours=3 * (posts - k)), rng)
        feeds.append(feed)
    return feeds
