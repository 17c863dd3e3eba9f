"""Re-seeds an empty store from the published site's archive, before a build fetches.

A CI cache evicted while a platform is down would otherwise lose the site's
history for good: what the feeds no longer carry cannot be fetched again,
and the publish gate refuses the smaller site until the feeds answer. But
the published site keeps its posts in its archive (:mod:`hub.outputs.archive`).
When the store holds no entry at all, live or withdrawn (a new store, or one
whose every feed has failed since it was made), ``hub build`` reads that
archive where the gate reads its baseline (:mod:`hub.feeds.reseed`) and puts
each post in the store as a fetch would, with three differences:

- its first sight is the one the archive gives (never later than now), so
  the pages order and date it as before;
- the audit trail records a ``reseeded`` event with its text as published,
  and where it came from, instead of ``first_seen``
  (:mod:`hub.store.history`);
- only posts of feeds still in the registry, each feed's newest
  ``site.fetch.max_entries``.

The posts that resolved appeal files name (resolved by the file, or by the
post: deleted on the platform, or saying the person was found) are not in
the archive, since no page shows them: the index lists a hash of their
addresses, and each appeal file whose ``post:`` matches gets a withdrawn
entry under :data:`RESOLVED_SOURCE`, so the appeal stays resolved, its
photo and details off the site, until its post is fetched again.

Then the build fetches as usual: a feed that answers updates and withdraws
its re-seeded posts as it would its own, one that fails keeps them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from hub.feeds.reseed import read_archive
from hub.feeds.sitearchive import Reseeded, feed_key
from hub.model import Registry
from hub.store.rules import ENTRY_INSERT, EntryRow, entry_rows, iso

if TYPE_CHECKING:
    from hub.store.database import Store

RESEEDED = "reseeded"
"""The audit trail's event for a post put in the store from the published archive."""
RESOLVED_SOURCE = "reseeded:appeals"
"""The store's name for the withdrawn entries that keep appeals resolved; no registry
feed has it (a feed's source is an address or a path)."""

_INSERT = f"{ENTRY_INSERT} ON CONFLICT (source, id) DO NOTHING"


@dataclass(frozen=True)
class ReseedReport:
    """What re-seeding the store did, or why it did not."""

    where: str
    """The published site read: a folder, or an address ending in ``/``."""
    posts: int = 0
    accounts: int = 0
    """Accounts of the registry with at least one post re-seeded."""
    resolved: int = 0
    """Appeal files kept resolved."""
    documents: int = 0
    """Documents read: the archive's index and pages."""
    problems: tuple[str, ...] = ()
    """The first documents that could not be read, with why."""
    unread: int = 0
    missing: str | None = None
    """Why nothing could be read, when nothing could."""

    @property
    def line(self) -> str:
        """One line for the log, the report and the summary."""
        if self.missing is not None:
            return f"the store is empty; not re-seeded from {self.where}: {self.missing}"
        line = (
            f"the store was empty: re-seeded from {self.where} with {_count(self.posts, 'post')} "
            f"of {_count(self.accounts, 'account')}"
        )
        if self.resolved:
            line += f", {_count(self.resolved, 'appeal')} kept resolved"
        if self.unread:
            line += f" ({_count(self.unread, 'document')} of the archive could not be read)"
        return line


def reseed(
    store: Store,
    registry: Registry,
    where: str,
    appeal_posts: Mapping[str, str],
    *,
    now: datetime,
) -> ReseedReport:
    """Read the archive published at ``where`` into ``store``, which should be empty.

    ``appeal_posts`` maps :func:`~hub.feeds.sitearchive.url_key` of each appeal
    file's normalized ``post:`` to the address as the file writes it.
    """
    sources = {feed_key(feed.source): feed.source for feed in registry.feeds()}
    settings = registry.site.fetch
    reading = read_archive(
        where, registry.site, sources, limit=settings.max_entries * max(1, len(sources))
    )
    if reading.index is None:
        return ReseedReport(where, documents=reading.documents, missing=reading.missing)
    found = reading.harvest.entries(settings.max_entries)
    resolved = sorted({url for key, url in appeal_posts.items() if key in reading.index.resolved})
    posts = store.reseed(
        found, resolved, now=now, origin=where, keep_history=registry.site.audit_days > 0
    )
    kept = {item.entry.feed for item in found} if posts else set()
    accounts = sum(1 for a in registry.accounts() if a.feed is not None and a.feed.source in kept)
    return ReseedReport(
        where,
        posts,
        accounts,
        len(resolved) if posts else 0,
        reading.documents,
        reading.problems,
        reading.unread,
    )


def write(
    db: sqlite3.Connection,
    found: Sequence[Reseeded],
    resolved: Sequence[str],
    *,
    now: datetime,
    origin: str,
    keep_history: bool,
) -> int:
    """Within a transaction: the posts ``found`` and the appeal posts ``resolved``,
    if the store is still empty; how many posts were written."""
    if db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None:
        return 0
    stamp = iso(now)
    rows = [_row(item, now, stamp) for item in found]
    db.executemany(_INSERT, rows)
    if keep_history and rows:
        # The store was empty: every live entry is one of these.
        db.execute(
            """INSERT INTO history
                (source, id, at, event, title, summary, content, link, published, reason)
            SELECT source, id, ?, ?, title, summary, content, link, published, ?
            FROM entries WHERE withdrawn_at IS NULL ORDER BY effective, source, id""",
            (stamp, RESEEDED, f"re-seeded from the published site {origin}"),
        )
    # No page shows them and nothing fetches them: they only resolve appeals.
    db.executemany(_INSERT, [_resolved_row(url, stamp) for url in resolved])
    return len(rows)


def _row(item: Reseeded, now: datetime, stamp: str) -> EntryRow:
    """The post's row as a fetch would write it, first seen when the archive says."""
    first = item.first_seen if item.first_seen is not None and item.first_seen <= now else now
    (row,) = entry_rows(item.entry.feed, [item.entry], {}, first)
    return row._replace(last_seen=stamp)


def _resolved_row(url: str, stamp: str) -> EntryRow:
    """A withdrawn entry at ``url``: what tells :mod:`hub.site.resolution` its post is gone."""
    return EntryRow(
        source=RESOLVED_SOURCE,
        id=url,
        title="",
        summary="",
        content="",
        link=url,
        published=None,
        updated=None,
        author=None,
        categories="[]",
        media="[]",
        language=None,
        first_seen=stamp,
        last_seen=stamp,
        withdrawn_at=stamp,
        effective=stamp,
        excerpt=None,
        fingerprint=None,
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
