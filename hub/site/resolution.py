"""Appeals as the site shows them: each file's, resolved against the posts, and the posts' own.

Pure: the appeal files, the stored posts and the posts the store marked
withdrawn in, the appeals out, open ones first. An appeal is **resolved** when

- its file says ``status: resolved``;
- its ``post:`` was withdrawn: deleted on the platform, so gone from the
  account's feed (:func:`hub.store.rules.to_withdraw`);
- its ``post:``, or the post it is, now says the person was found: one of
  :data:`RESOLVED_WORDS` ("located", "found", "retrouvé(e)", "arrested",
  "arrêté(e)"), as a whole word, not after "if" ("if located, call...").

A post of a service's account carrying one of :data:`HASHTAGS` is an appeal
of its own (``#missingperson``, ``#wanted``, ``#appeal``...), unless a file
names it or ``curation.yaml`` keeps it off the site.

Once resolved, an appeal keeps its kind, date, unit, title and summary; its
photo, its ``person:`` details and its link are gone, and so is its post,
from every page, feed and file, since the post's text and picture are the
person's details too. A post-made appeal, whose title is the post's text,
keeps no title either.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from hub.feeds.sanitize import plain_text
from hub.model import Account, Entry, Text
from hub.problems import Problem
from hub.site.appeals import AppealFile, Kind, Person, Photo
from hub.site.curation import normalize_url
from hub.site.moderation import fold, post_urls

Resolution = Literal["file", "withdrawn", "edited"]

HASHTAGS: Mapping[str, Kind] = {
    "missingperson": "missing",
    "missing": "missing",
    "personnedisparue": "missing",
    "disparu": "missing",
    "disparue": "missing",
    "wanted": "wanted",
    "mostwanted": "wanted",
    "appeal": "information",
    "witnessappeal": "information",
    "appelatemoins": "information",
}
"""The hashtags that make a post an appeal, as :func:`~hub.site.moderation.fold`
writes them (``#AppelÀTémoins`` is ``appelatemoins``)."""

RESOLVED_WORDS = re.compile(r"(?<!\w)(located|found|retrouvee?s?|arrested|arretee?s?)(?!\w)")
"""Words that resolve an appeal whose post says them, once folded (no accents)."""
_CONDITIONS = frozenset({"if", "once", "when", "until", "unless", "si", "s'il", "quand", "lorsque"})
"""Words that, among the three before, make the word a wish, not news: "if located"."""
_HASHTAG = re.compile(r"#(\w+)")


@dataclass(frozen=True)
class Appeal:
    """One appeal, as every page shows it."""

    id: str
    """The file's stem, or ``post-`` and a hash of the post's feed and id."""
    kind: Kind
    resolved: Resolution | None
    """None while open; else what resolved it."""
    date: datetime
    """Timezone-aware."""
    unit: str | None
    title: Text | None
    """None only for a resolved post-made appeal: its title was the post's text."""
    summary: Mapping[str, str] = field(default_factory=dict)
    link: str | None = None
    """The post the appeal was published in; None once resolved."""
    photo: Photo | None = None
    person: Person | None = None
    account: Account | None = None
    """The account that posted a post-made appeal."""
    source: Path | None = None

    @property
    def is_open(self) -> bool:
        return self.resolved is None


@dataclass(frozen=True)
class Appeals:
    """Every appeal: open ones first, newest first, then resolved ones, newest first."""

    items: tuple[Appeal, ...] = ()
    kept_off: frozenset[tuple[str, str]] = frozenset()
    """(feed, id) of the posts of resolved appeals: no page, feed or file shows them."""
    notes: tuple[Problem, ...] = ()
    """Warnings only the posts can show: a file whose post resolved it, a post not found."""

    @property
    def open(self) -> tuple[Appeal, ...]:
        return tuple(a for a in self.items if a.is_open)

    @property
    def resolved(self) -> tuple[Appeal, ...]:
        return tuple(a for a in self.items if not a.is_open)

    def photos(self) -> tuple[Photo, ...]:
        """The photos the site publishes: the open appeals'."""
        return tuple(a.photo for a in self.items if a.photo is not None and a.is_open)


def says_resolved(text: str) -> bool:
    """Whether ``text`` says the person was found or arrested (see :data:`RESOLVED_WORDS`)."""
    folded = fold(text)
    for match in RESOLVED_WORDS.finditer(folded):
        before = re.findall(r"[\w']+", folded[: match.start()])[-3:]
        if _CONDITIONS.isdisjoint(before):
            return True
    return False


def hashtag_kind(entry: Entry) -> Kind | None:
    """The kind of appeal a post's hashtags make it, or None."""
    tags = [fold(tag).lstrip("#") for tag in entry.categories]
    if any("#" in part for part in (entry.title, entry.summary, entry.content)):
        # Raw HTML may hide a "#" in an entity (&#35;), never lose one.
        tags += [fold(tag) for tag in _HASHTAG.findall(_text(entry))]
    return next((HASHTAGS[tag] for tag in tags if tag in HASHTAGS), None)


def resolve(
    files: Sequence[AppealFile],
    entries: Sequence[Entry],
    shown: Iterable[Entry],
    withdrawn: Mapping[str, datetime],
    owners: Mapping[str, Account],
    timezone: str,
) -> Appeals:
    """The site's appeals.

    ``entries``: every live stored post; ``shown``: those ``curation.yaml``
    lets on the site (only they can be post-made appeals); ``withdrawn``:
    the addresses of the posts the store marked withdrawn, with when;
    ``owners``: each feed's account.
    """
    zone = ZoneInfo(timezone)
    live: dict[str, Entry] = {}
    if any(appeal.post for appeal in files):  # else no file names a post to look up
        for entry in entries:
            for url in post_urls(entry):
                live.setdefault(url, entry)
    gone = {normalize_url(url): moment for url, moment in withdrawn.items()}
    items: list[Appeal] = []
    kept_off: set[tuple[str, str]] = set()
    notes: list[Problem] = []
    named: set[str] = set()
    for appeal in files:
        url = normalize_url(appeal.post) if appeal.post else None
        entry = live.get(url) if url else None
        resolved: Resolution | None = "file" if appeal.status == "resolved" else None
        if url is not None:
            named.add(url)
            if entry is None and url not in gone:
                notes.append(_note(appeal, "is not among the stored posts: check the address"))
            elif resolved is None and entry is None:
                resolved = "withdrawn"
                notes.append(_note(appeal, f"was deleted on the platform ({_KEEP})"))
            elif resolved is None and entry is not None and says_resolved(_text(entry)):
                resolved = "edited"
                notes.append(_note(appeal, f"says the person was found ({_KEEP})"))
        if resolved is not None and entry is not None:
            kept_off.add((entry.feed, entry.id))
        items.append(_from_file(appeal, resolved, zone))
    for entry in shown:
        kind = hashtag_kind(entry)
        if kind is None or entry.feed not in owners:
            continue
        urls = post_urls(entry)
        if not named.isdisjoint(urls):
            continue
        named.update(urls)
        account = owners[entry.feed]
        resolved = "edited" if says_resolved(_text(entry)) else None
        if resolved is not None:
            kept_off.add((entry.feed, entry.id))
        items.append(_from_post(entry, kind, account, resolved))
    items.sort(key=lambda a: (not a.is_open, -a.date.timestamp(), a.id))
    return Appeals(tuple(items), frozenset(kept_off), tuple(notes))


def _from_file(appeal: AppealFile, resolved: Resolution | None, zone: ZoneInfo) -> Appeal:
    when = appeal.date if appeal.date.tzinfo else appeal.date.replace(tzinfo=zone)
    shown = Appeal(
        appeal.id,
        appeal.kind,
        resolved,
        when,
        appeal.unit,
        appeal.title,
        appeal.summary,
        source=appeal.source,
    )
    if resolved is not None:
        return shown
    return replace(shown, link=appeal.post, photo=appeal.photo, person=appeal.person)


def _from_post(entry: Entry, kind: Kind, account: Account, resolved: Resolution | None) -> Appeal:
    when = entry.published or entry.updated or datetime.min.replace(tzinfo=UTC)
    number = hashlib.sha256(f"{entry.feed} {entry.id}".encode()).hexdigest()[:10]
    if resolved is not None:
        return Appeal(f"post-{number}", kind, resolved, when, None, None, account=account)
    title = Text.plain(plain_text(entry.title or _text(entry), 200))
    return Appeal(f"post-{number}", kind, None, when, None, title, link=entry.link, account=account)


def _text(entry: Entry) -> str:
    parts = (entry.title, entry.summary, entry.content)
    return " ".join(plain_text(part) for part in parts if part)


_KEEP = "the appeal shows as resolved: write status: resolved in the file to keep it so"


def _note(appeal: AppealFile, what: str) -> Problem:
    name, line, col = appeal.position
    return Problem(name, line, col, "post", f"the post {appeal.post} {what}", "warning")
