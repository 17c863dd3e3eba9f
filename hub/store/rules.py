"""The store's rules, kept apart from its SQL: pure functions over rows and times.

``hub.store.database`` runs the queries and transactions; this module decides what
they write:

- One notion of time orders entries everywhere (listing, withdrawal,
  retention): the *effective time*, which is ``published``, else ``updated``,
  else when we first saw the entry. A post dated in the future is shown as of
  when we first saw it: a date more than five minutes after ``first_seen`` is
  clamped to ``first_seen``, so nobody can pin a post to the top of the home
  page by dating it next year.
- Entries read back have ``published`` and ``updated`` clamped the same way,
  and ``published=None`` for an entry whose feed gave no date; such an entry
  is still sorted by its effective time.
- An entry missing from a successful fetch is withdrawn (a resolved appeal, a
  deleted post) only when it is newer than the oldest entry in that fetch;
  older ones merely aged out of the feed and stay. An empty fetch withdraws
  nothing: an empty answer is suspicious, not proof of deletion.
- Each feed keeps its newest ``max_entries`` live entries; withdrawn entries
  are deleted 30 days after withdrawal (the audit trail, :mod:`hub.store.history`,
  keeps their text for ``site.audit.keep_days``).
- A failing feed backs off exponentially with jitter but is retried at least
  daily, so a feed that comes back (even after a 410) is picked up again.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from hub.feeds import posttext
from hub.model import Entry, Media

FUTURE_GRACE = timedelta(minutes=5)
"""How far past first sight a date may run before it is clamped (clock skew)."""
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_CAP = timedelta(hours=24)
WITHDRAWN_KEPT = timedelta(days=30)
"""Withdrawn entries are kept this long, then deleted."""

_json_encode = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class FeedState:
    source: str
    status: str
    """``new``, ``ok``, ``not_modified``, ``error`` or ``gone``."""
    last_attempt: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    error_count: int
    next_attempt: datetime | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    moved_to: str | None
    """Where a permanent redirect said the feed now lives (for the user to fix)."""
    gone: bool


@dataclass(frozen=True)
class StoreChange:
    """What one successful fetch changed."""

    new: int
    updated: int
    """Entries already stored whose fields changed, or that came back."""
    withdrawn: int
    pruned: int
    """Entries deleted: over ``max_entries``, or withdrawn long ago."""


class EntryRow(NamedTuple):
    """One row of the entries table, in column order, as SQLite stores it."""

    source: str
    id: str
    title: str
    summary: str
    content: str
    link: str | None
    published: str | None
    updated: str | None
    author: str | None
    categories: str
    media: str
    language: str | None
    first_seen: str
    last_seen: str
    withdrawn_at: str | None
    effective: str
    """The sort key: published, else updated, else first_seen, clamped (see above)."""
    excerpt: str | None
    fingerprint: str | None
    """The entry's texts (:mod:`hub.feeds.posttext`); NULL in rows saved before they were kept."""

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def payload(self) -> tuple[Any, ...]:
        """The fields that came from the feed, to tell an edited entry."""
        return self[2:12]


# Failures


def next_attempt(
    now: datetime,
    errors: int,
    *,
    gone: bool,
    retry_after: datetime | None,
    rng: random.Random,
) -> datetime:
    """When to try a feed again after ``errors`` failures in a row.

    A Retry-After later than the backoff is honoured, but never past a day.
    """
    delay = BACKOFF_CAP if gone else _backoff(errors, rng)
    when = now + delay
    if retry_after is not None and retry_after > when:
        when = min(retry_after, now + BACKOFF_CAP)
    return when


def _backoff(errors: int, rng: random.Random) -> timedelta:
    """How long to wait after ``errors`` failures in a row: doubling, jittered, capped."""
    doubling = 2 ** min(errors - 1, 16)
    return min(BACKOFF_BASE * doubling * rng.uniform(0.5, 1.0), BACKOFF_CAP)


# Withdrawal and retention


def to_withdraw(stored: dict[str, EntryRow], rows: list[EntryRow]) -> list[str]:
    """Live stored entries missing from the fetch yet newer than its oldest entry."""
    if not rows:
        return []
    oldest = min(row.effective for row in rows)
    fetched = {row.id for row in rows}
    return [
        entry_id
        for entry_id, old in stored.items()
        if entry_id not in fetched and not old.withdrawn and old.effective > oldest
    ]


def to_prune(
    stored: dict[str, EntryRow],
    rows: list[EntryRow],
    withdrawn: list[str],
    max_entries: int,
    now: datetime,
) -> list[str]:
    """Ids of live entries past ``max_entries`` and of long-withdrawn ones."""
    live = {row.id: row.effective for row in rows}
    gone = set(withdrawn)
    for entry_id, old in stored.items():
        if entry_id not in live and not old.withdrawn and entry_id not in gone:
            live[entry_id] = old.effective
    # Ties broken by id so the same store always prunes the same entries.
    newest_first = sorted(sorted(live), key=live.__getitem__, reverse=True)
    doomed = newest_first[max_entries:]
    cutoff = iso(now - WITHDRAWN_KEPT)
    doomed += [
        entry_id
        for entry_id, old in stored.items()
        if entry_id not in live and old.withdrawn_at is not None and old.withdrawn_at < cutoff
    ]
    return doomed


def count_changes(
    stored: dict[str, EntryRow], rows: list[EntryRow], withdrawn: int, pruned: int
) -> StoreChange:
    """Counts of what a fetch's rows did to what was stored."""
    new = updated = 0
    for row in rows:
        old = stored.get(row.id)
        if old is None:
            new += 1
        elif old.withdrawn or old.payload != row.payload:
            updated += 1
    return StoreChange(new=new, updated=updated, withdrawn=withdrawn, pruned=pruned)


# Rows and values


def distinct_entries(entries: Sequence[Entry]) -> list[Entry]:
    """The entries with an id seen twice keeping its first occurrence."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.id, entry)
    return list(seen.values())


ENTRY_INSERT = (
    f"INSERT INTO entries ({', '.join(EntryRow._fields)}) "
    f"VALUES ({', '.join('?' * len(EntryRow._fields))})"
)
"""An entry row written as a whole; the writer adds what to do ``ON CONFLICT``."""


def entry_rows(
    source: str, entries: Sequence[Entry], stored: dict[str, EntryRow], now: datetime
) -> list[EntryRow]:
    """The rows to write for a fetch's ``entries`` at ``now``; ``stored`` is what was there."""
    stamp = iso(now)
    return [_entry_row(source, entry, stored.get(entry.id), now, stamp) for entry in entries]


def _entry_row(
    source: str, entry: Entry, old: EntryRow | None, now: datetime, stamp: str
) -> EntryRow:
    """The row to write for ``entry``, fetched at ``now`` (``stamp`` is ``iso(now)``)."""
    published, updated = _iso_or_none(entry.published), _iso_or_none(entry.updated)
    first_seen, first_stamp = (from_iso(old.first_seen), old.first_seen) if old else (now, stamp)
    dated = entry.published if entry.published is not None else entry.updated
    effective = first_seen if dated is None else _clamp(dated, first_seen)
    media = [{"url": m.url, "alt": m.alt, "type": m.type} for m in entry.media]
    # The parser works an entry's texts out (hub.feeds.drafts); other entries get them here.
    text, words = entry.texts or posttext.texts(entry)
    return EntryRow(
        source=source,
        id=entry.id,
        title=entry.title,
        summary=entry.summary,
        content=entry.content,
        link=entry.link,
        published=published,
        updated=updated,
        author=entry.author,
        categories=_json(list(entry.categories)),
        media=_json(media),
        language=entry.language,
        first_seen=first_stamp,
        last_seen=stamp,
        withdrawn_at=None,
        # _clamp hands back first_seen itself when it clamps: its text is known.
        effective=first_stamp if effective is first_seen else iso(effective),
        excerpt=text,
        fingerprint=words,
    )


def _clamp(moment: datetime, first_seen: datetime) -> datetime:
    """A date well after first sight is shown as of first sight."""
    return first_seen if moment > first_seen + FUTURE_GRACE else moment


ENTRY_FIELDS = (
    "source",
    "id",
    "title",
    "summary",
    "content",
    "link",
    "published",
    "updated",
    "author",
    "categories",
    "media",
    "language",
    "excerpt",
    "fingerprint",
    "first_seen",
)
"""The columns :func:`row_entries` reads, in the order it reads them: an
:class:`EntryRow` without what only the store's own bookkeeping uses."""


def row_entries(rows: Iterable[Sequence[Any]], now: datetime | None) -> list[Entry]:
    """The entries the rows (of :data:`ENTRY_FIELDS`) hold, their dates clamped,
    and none later than ``now``."""
    # The entries of one fetch share their first sight: read each such time once.
    seen: dict[str, datetime] = {}
    entries = []
    # Unpacked in place, not through a named tuple and helpers: a build reads
    # every stored entry, 100,000 for a large service.
    for (
        source,
        entry_id,
        title,
        summary,
        content,
        link,
        published,
        updated,
        author,
        categories,
        media,
        language,
        excerpt,
        fingerprint,
        stamp,
    ) in rows:
        first_seen = seen.get(stamp)
        if first_seen is None:
            first_seen = seen[stamp] = from_iso(stamp)
        when = None if published is None else _shown(published, first_seen, now)
        if updated == published:  # often: no update time, or the same
            changed = when
        else:
            changed = None if updated is None else _shown(updated, first_seen, now)
        # Positional arguments, in Entry's field order.
        entries.append(
            Entry(
                source,
                entry_id,
                title,
                summary,
                content,
                link,
                when,
                changed,
                author,
                () if categories == "[]" else tuple(json.loads(categories)),
                () if media == "[]" else tuple(Media(**item) for item in json.loads(media)),
                language,
                None if excerpt is None else (excerpt, fingerprint or ""),
                first_seen,
            )
        )
    return entries


def _shown(moment: str, first_seen: datetime, now: datetime | None) -> datetime:
    """A stored date as pages show it: clamped to first sight, and never after ``now``."""
    shown = _clamp(from_iso(moment), first_seen)
    return shown if now is None or shown <= now else now


def _json(items: list[Any]) -> str:
    # Most entries have no categories or media: skip the encoder for them.
    return _json_encode(items) if items else "[]"


def row_feed_state(row: tuple[Any, ...]) -> FeedState:
    """A row of the feeds table, whose columns are FeedState's fields in order."""
    state = FeedState(*row)
    return replace(
        state,
        last_attempt=_from_iso_or_none(row[2]),
        last_success=_from_iso_or_none(row[3]),
        last_error_at=_from_iso_or_none(row[5]),
        next_attempt=_from_iso_or_none(row[7]),
        gone=bool(state.gone),
    )


def check_aware(moment: datetime) -> None:
    """Refuse a naive datetime, which would be stored as the wrong moment."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the store needs timezone-aware times")


def iso(moment: datetime) -> str:
    """A moment as the store writes it."""
    check_aware(moment)
    # Fixed width (always microseconds, always +00:00), so text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def from_iso(text: str) -> datetime:
    """A moment as the store wrote it, in UTC."""
    moment = datetime.fromisoformat(text)
    # The store writes UTC ("+00:00"), which reads back as UTC itself.
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _from_iso_or_none(text: str | None) -> datetime | None:
    return None if text is None else from_iso(text)
