"""The report's sections about posts: images without alt text, former officers'
accounts still posting, and posts held for approval.

Pure functions over the account rows, the stored posts and the curation's
screening (:mod:`hub.site.moderation`), with the run's day passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from hub.governance import wording
from hub.governance.collect import finding, ordered
from hub.governance.model import AccountRow, Section
from hub.model import Entry, Registry
from hub.site.moderation import HeldPost, feed_owners, local_day


def post_url(entry: Entry) -> str:
    """The address a post is known by: its link, else its id when that is one."""
    if entry.link:
        return entry.link
    return entry.id if entry.id.startswith(("https://", "http://")) else ""


def undescribed(entry: Entry) -> int:
    """How many of the post's images have no alt text (videos aside)."""
    return sum(
        1
        for media in entry.media
        if not media.alt.strip() and not (media.type or "").startswith("video/")
    )


@dataclass
class _Posts:
    count: int = 0
    images: int = 0
    last: date | None = None
    urls: list[str] = field(default_factory=list)


def alt_text(registry: Registry, rows: Sequence[AccountRow], shown: Iterable[Entry]) -> Section:
    """Per account, the posts the site shows with images that have no alt text.

    ``shown`` are the stored posts once ``curation.yaml`` applies (nothing
    hidden, held or muted), newest first.
    """
    owners = feed_owners(registry)
    per_account: dict[str, _Posts] = {}
    with_images = 0
    for entry in shown:
        account = owners.get(entry.feed)
        if account is None or not entry.media:
            continue
        with_images += 1
        missing = undescribed(entry)
        if missing:
            posts = per_account.setdefault(account.key, _Posts())
            posts.count += 1
            posts.images += missing
            if url := post_url(entry):
                posts.urls.append(url)
    found = [
        finding(
            row,
            "alt-missing",
            wording.alt_missing(posts.count, posts.images),
            urls=tuple(posts.urls),
            facts={"posts": posts.count, "images": posts.images},
        )
        for row in rows
        if (posts := per_account.pop(row.key, None)) is not None
    ]
    return ordered("alt-text", found, with_images)


def former(
    registry: Registry,
    rows: Sequence[AccountRow],
    entries: Iterable[Entry],
    today: date,
) -> Section:
    """Accounts of officers who have left (``until`` passed) with posts dated after that day."""
    timezone = registry.site.timezone
    left: dict[str, tuple[date, str]] = {}
    for officer in registry.officers:
        if officer.until is None or not officer.is_former(today):
            continue
        for account in officer.accounts:
            if account.feed is not None:
                left.setdefault(account.feed.source, (officer.until, account.key))
    per_account: dict[str, _Posts] = {}
    for entry in entries:
        if entry.feed not in left:
            continue
        moment = entry.published or entry.updated
        until, key = left[entry.feed]
        if moment is None or local_day(moment, timezone) <= until:
            continue
        posts = per_account.setdefault(key, _Posts())
        posts.count += 1
        day = local_day(moment, timezone)
        posts.last = max(posts.last or day, day)
        if url := post_url(entry):
            posts.urls.append(url)
    until_of = {key: until for until, key in left.values()}
    found = [
        finding(
            row,
            "former-posting",
            wording.former(until_of[row.key], posts.count, posts.last or until_of[row.key]),
            when=posts.last,
            urls=tuple(posts.urls),
            facts={"until": until_of[row.key].isoformat(), "posts": posts.count},
        )
        for row in rows
        if (posts := per_account.pop(row.key, None)) is not None
    ]
    return ordered("former", found, len(left))


def held(posts: Sequence[HeldPost], rows: Sequence[AccountRow], timezone: str) -> Section:
    """The posts ``hold:`` keeps off the site until their address is in ``approve:``."""
    by_key = {row.key: row for row in rows}
    found = []
    for post in posts:
        row = by_key.get(post.account.key)
        if row is None:
            continue
        day = local_day(post.seen, timezone) if post.seen is not None else None
        found.append(
            finding(
                row,
                "held",
                wording.held(post.phrase, day),
                when=day,
                urls=(post.url,) if post.url else (),
                facts={"phrase": post.phrase},
            )
        )
    return ordered("held", found, len(posts))
