"""Which stored posts the site shows: ``content/curation.yaml`` applied to them.

Pure: entries and the curation in, the entries to show out. The site model
(:mod:`hub.site.model`) screens the entries here before it groups them, so
every page, feed, the sitemap and any other file a build writes agree:

- a post whose URL is in ``hide:`` is gone, on every build while the entry is there;
- a post of an account in ``mute:`` is left out until the mute's last day passes;
- a post whose text says a ``hold:`` phrase (case, accents and the spaces
  between words aside, as whole words) is left out until its URL is in
  ``approve:``. Every such post is held, however long the store has had it:
  a phrase added today also takes older posts off the site. :func:`held_posts`
  lists what is waiting, for the people who approve;
- a post whose URL is in ``pin:`` comes first on the home page until its last day.

Days are the site's (``site.timezone``), counted from the build's clock, and
a last day is included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.feeds.sanitize import plain_text
from hub.model import Account, Entry, Registry
from hub.problems import Problem
from hub.site.curation import Curation, Mute, normalize_url


def local_day(moment: datetime, timezone: str) -> date:
    """The day it is at ``moment`` in the site's time zone (UTC if the name is unknown)."""
    try:
        zone: ZoneInfo | type[UTC] = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return moment.astimezone(zone).date()


def feed_owners(registry: Registry) -> dict[str, Account]:
    """Feed source -> the account it is the feed of: the first account listing it."""
    owners: dict[str, Account] = {}
    for account in registry.accounts():
        if account.feed is not None:
            owners.setdefault(account.feed.source, account)
    return owners


def post_urls(entry: Entry) -> tuple[str, ...]:
    """The addresses a post is known by, normalized: its link, and its id when that is a URL."""
    urls = [entry.link] if entry.link else []
    if entry.id != entry.link and entry.id.startswith(("https://", "http://")):
        urls.append(entry.id)
    return tuple(normalize_url(url) for url in urls)


def fold(text: str) -> str:
    """Text as hold phrases are matched: lower case, without accents."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class HeldPost:
    """A post kept off the site by a ``hold:`` phrase, waiting for ``approve:``."""

    account: Account
    url: str | None
    """The post's link, which ``approve:`` takes; None for a post without one."""
    phrase: str
    """The first ``hold:`` phrase the post says, as the file writes it."""
    seen: datetime | None
    """The post's time as the site dates it: when it was published, never later
    than when the store first saw it."""

    @property
    def account_name(self) -> str:
        """``platform:handle``, as ``mute:`` writes it."""
        return f"{self.account.platform}:{self.account.handle or self.account.url}"


class Verdict(NamedTuple):
    """What curation does to one post."""

    state: str | None
    """``hidden``, ``held`` or ``muted``; None for a post the site shows."""
    reason: str = ""
    """Why, for the audit trail; for a shown post, non-empty only when ``approve:`` is
    what lets it on."""
    phrase: str = ""
    """The ``hold:`` phrase it says, if any."""


SHOWN = Verdict(None)


class Screen:
    """``curation.yaml`` as it stands on ``day``: what it keeps off the site, what it pins."""

    def __init__(self, curation: Curation, day: date) -> None:
        self.curation = curation
        self.hidden = frozenset(normalize_url(hide.url) for hide in curation.hide)
        self.approved = frozenset(normalize_url(url) for url in curation.approve)
        self.muted: Mapping[str, Mute] = {
            mute.account: mute for mute in curation.mute if mute.until is None or day <= mute.until
        }
        self.pins = {
            normalize_url(pin.url): rank
            for rank, pin in reversed(list(enumerate(curation.pin)))
            if day <= pin.until
        }
        self.phrases = _phrases(curation.hold)
        self.reasons = {normalize_url(hide.url): hide.reason for hide in reversed(curation.hide)}
        # What a hidden address keeps as written (its path and query): a post whose link
        # and id have none of these is not hidden, and its addresses need no parsing.
        tails = {url[url.find("/") :] if "/" in url else "" for url in self.hidden}
        self.tails = None if "" in tails else tuple(tails)

    def verdict(self, entry: Entry, account: Account) -> Verdict:
        """Whether the post is off the site, and why: a mute first, then a hide, then a
        ``hold:`` phrase that ``approve:`` does not let through."""
        mute = self.muted.get(account.key)
        if mute is not None:
            return Verdict("muted", mute.reason)
        if self.hidden and self._may_be_hidden(entry):
            hidden = [url for url in post_urls(entry) if url in self.hidden]
            if hidden:
                return Verdict("hidden", self.reasons.get(hidden[0], ""))
        phrase = self.phrase_in(entry) if self.phrases else None
        if phrase is None:
            return SHOWN
        if not self.approved or self.approved.isdisjoint(post_urls(entry)):
            return Verdict("held", f'says "{phrase}" (hold:)', phrase)
        return Verdict(None, f'says "{phrase}" (hold:), and approve: lists it', phrase)

    def _may_be_hidden(self, entry: Entry) -> bool:
        if self.tails is None:
            return True
        link = entry.link or ""
        return any(tail in link or tail in entry.id for tail in self.tails)

    def screen(
        self, entries: Iterable[Entry], owners: Mapping[str, Account]
    ) -> tuple[list[Entry], list[HeldPost]]:
        """The entries the site shows, in their order, and those held back.

        Entries of a feed that ``owners`` lacks (no longer in the registry) are
        not shown; with nothing to screen, they are left for the caller to drop.
        """
        if not (self.hidden or self.muted or self.phrases):
            return list(entries), []
        shown: list[Entry] = []
        held: list[HeldPost] = []
        for entry in entries:
            account = owners.get(entry.feed)
            if account is None:
                continue
            verdict = self.verdict(entry, account)
            if verdict.state is None:
                shown.append(entry)
            elif verdict.state == "held":
                when = entry.published or entry.updated
                held.append(HeldPost(account, entry.link, verdict.phrase, when))
        return shown, held

    def phrase_in(self, entry: Entry) -> str | None:
        """The first ``hold:`` phrase the entry's title or text says, else None."""
        if self.phrases is None:
            return None
        text = " ".join(
            (entry.title, plain_text(entry.summary), plain_text(entry.content), *entry.categories)
        )
        found = self.phrases.search(fold(text))
        if found is None or found.lastindex is None:
            return None
        return self.curation.hold[found.lastindex - 1]

    def pin_rank(self, entry: Entry) -> int | None:
        """Where the post comes among the pinned ones; None when it is not pinned."""
        if not self.pins:
            return None
        ranks = [self.pins[url] for url in post_urls(entry) if url in self.pins]
        return min(ranks) if ranks else None

    def notes(self, stored: Iterable[Entry], pinned: Iterable[Entry]) -> tuple[Problem, ...]:
        """Warnings only the posts can tell: a pin in force that pins nothing."""
        if not self.pins:
            return ()
        kept = {url for entry in stored for url in post_urls(entry)}
        shown = {url for entry in pinned for url in post_urls(entry)}
        notes = []
        for rank, pin in enumerate(self.curation.pin):
            url = normalize_url(pin.url)
            if self.pins.get(url) != rank or url in shown:
                continue
            why = (
                "no stored post has this URL: check it against the post's link on the site"
                if url not in kept
                else "the post is not on the site (muted, held, or shown as a cross-post "
                "of another): nothing is pinned"
            )
            file, (line, col) = self.curation.file, pin.mark
            notes.append(Problem(file, line, col, f"pin[{rank}].url", why, "warning"))
        return tuple(notes)


def _phrases(hold: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for every phrase, each in a group of its own, matched as whole words."""
    if not hold:
        return None
    groups = ("(" + r"\s+".join(re.escape(w) for w in fold(p).split()) + ")" for p in hold)
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)")


def in_force(curation: Curation, day: date) -> str:
    """What of the curation holds on ``day``, for the fingerprint of a build's inputs:
    a pin or a mute that ends changes it."""
    screen = Screen(curation, day)
    return f"pins={sorted(screen.pins.values())} mutes={sorted(screen.muted)}"


def held_posts(
    registry: Registry, entries: Iterable[Entry], curation: Curation, now: datetime
) -> tuple[HeldPost, ...]:
    """The posts ``hold:`` keeps off the site at ``now``, in the order of ``entries``.

    For the governance report: the account, the post's URL, the phrase and
    the post's time. ``entries`` are the store's (newest first, as
    ``Store.entries`` gives them); as on the site, those of a feed no longer
    in the registry, those taken down and those of muted accounts are not
    listed. The same list is the site model's ``held``.
    """
    owners = feed_owners(registry)
    screen = Screen(curation, local_day(now, registry.site.timezone))
    return tuple(screen.screen(entries, owners)[1])
