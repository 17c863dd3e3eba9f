"""The store: feed state and entries in SQLite, the only database I/O in the project.

The store is one file, ``store.sqlite3`` in the cache folder. It remembers each
feed's state (validators, content hash, errors, backoff, 410s and permanent
redirects) keyed by ``FeedRef.source``, and every entry read from it keyed by
``(source, id)``, so that a failed fetch never loses the last good entries and
``hub build --offline`` can render from the store alone.

Choices worth knowing:

- Every write method is one transaction. Killing the process at any moment
  leaves either the whole ``record_success`` call or none of it.
- One notion of time orders entries everywhere (listing, withdrawal,
  retention): the *effective time*, which is ``published``, else ``updated``,
  else when we first saw the entry. A post dated in the future is shown as of
  when we first saw it: a date more than five minutes after ``first_seen`` is
  clamped to ``first_seen``, so nobody can pin a post to the top of the home
  page by dating it next year.
- ``entries()`` returns ``published`` and ``updated`` clamped the same way, and
  ``published=None`` for an entry whose feed gave no date; such an entry is
  still sorted by its effective time.
- An entry missing from a successful fetch is withdrawn (a resolved appeal, a
  deleted post) only when it is newer than the oldest entry in that fetch;
  older ones merely aged out of the feed and stay. An empty fetch withdraws
  nothing: an empty answer is suspicious, not proof of deletion.
- Each feed keeps its newest ``max_entries`` live entries; withdrawn entries
  are deleted 30 days after withdrawal.
- A failing feed backs off exponentially with jitter but is retried at least
  daily, so a feed that comes back (even after a 410) is picked up again.
- Datetimes are stored as fixed-width ISO-8601 UTC text, so text order is time
  order and the indexes serve ``ORDER BY`` directly.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from hub.model import Entry, Media

STORE_NAME = "store.sqlite3"
"""The store's file name inside the cache folder."""

FUTURE_GRACE = timedelta(minutes=5)
"""How far past first sight a date may run before it is clamped (clock skew)."""
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_CAP = timedelta(hours=24)
WITHDRAWN_KEPT = timedelta(days=30)
"""Withdrawn entries are kept this long, then deleted."""
BUSY_TIMEOUT_SECONDS = 10.0

_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE feeds (
            source TEXT PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'new',
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            next_attempt TEXT,
            etag TEXT,
            last_modified TEXT,
            content_hash TEXT,
            moved_to TEXT,
            gone INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE entries (
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL,
            content TEXT NOT NULL,
            link TEXT,
            published TEXT,
            updated TEXT,
            author TEXT,
            categories TEXT NOT NULL,
            media TEXT NOT NULL,
            language TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            withdrawn_at TEXT,
            effective TEXT NOT NULL,
            PRIMARY KEY (source, id)
        )""",
        # The home page reads the newest live entries of everything.
        """CREATE INDEX entries_latest ON entries (effective DESC, source, id)
            WHERE withdrawn_at IS NULL""",
        # Per-source pages, counts and latest dates.
        """CREATE INDEX entries_by_source ON entries (source, effective DESC)
            WHERE withdrawn_at IS NULL""",
    ),
)
"""Schema steps; the store's ``PRAGMA user_version`` is how many have run."""

_AFRESH = "{error}; the store is only a cache: delete it to start afresh"
_BUSY = "the store is busy ({error}); is another fetch running?"
_HINTS = {
    sqlite3.SQLITE_NOTADB: "not a usable store: " + _AFRESH,
    sqlite3.SQLITE_CORRUPT: "the store is damaged: " + _AFRESH,
    sqlite3.SQLITE_BUSY: _BUSY,
    sqlite3.SQLITE_LOCKED: _BUSY,
    sqlite3.SQLITE_CANTOPEN: "cannot open the store: {error}",
    sqlite3.SQLITE_READONLY: "cannot write the store: {error}",
    sqlite3.SQLITE_FULL: "cannot write the store: {error}",
    sqlite3.SQLITE_IOERR: "cannot read or write the store: {error}",
}
"""What to tell the user, by SQLite's primary error code; other errors are bugs."""


class StoreError(Exception):
    """The store file cannot be used; the message says what to do."""


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


class _EntryRow(NamedTuple):
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

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def payload(self) -> tuple[Any, ...]:
        """The fields that came from the feed, to tell an edited entry."""
        return self[2:12]


_ENTRY_COLUMNS = ", ".join(_EntryRow._fields)
_json_encode = json.JSONEncoder(ensure_ascii=False).encode
_FEED_COLUMNS = ", ".join(field.name for field in fields(FeedState))
_MARKS = ", ".join("?" * len(_EntryRow._fields))
_UPSERT_ENTRY = f"""
    INSERT INTO entries ({_ENTRY_COLUMNS}) VALUES ({_MARKS})
    ON CONFLICT (source, id) DO UPDATE SET
        title = excluded.title, summary = excluded.summary, content = excluded.content,
        link = excluded.link, published = excluded.published, updated = excluded.updated,
        author = excluded.author, categories = excluded.categories, media = excluded.media,
        language = excluded.language, last_seen = excluded.last_seen,
        withdrawn_at = NULL, effective = excluded.effective
"""


class Store:
    """An open store. Use as a context manager, from one thread."""

    def __init__(self, db: sqlite3.Connection, path: Path, rng: random.Random) -> None:
        self._db = db
        self._path = path
        self._rng = rng

    @classmethod
    def open(cls, path: Path, *, rng: random.Random | None = None) -> Store:
        """Open (or create) the store at ``path``; ``rng`` jitters the backoff."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc
        store = cls(db, path, rng or random.Random())
        try:
            with store._translated():
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                store._migrate()
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Feed state

    def feed_state(self, source: str) -> FeedState | None:
        with self._translated():
            row = self._db.execute(
                f"SELECT {_FEED_COLUMNS} FROM feeds WHERE source = ?", (source,)
            ).fetchone()
        return None if row is None else _feed_state(row)

    def feed_states(self) -> dict[str, FeedState]:
        with self._translated():
            rows = self._db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds").fetchall()
        return {row[0]: _feed_state(row) for row in rows}

    def is_due(self, source: str, now: datetime) -> bool:
        """Whether the feed may be fetched now (never tried, or its backoff is over)."""
        _check_aware(now)
        state = self.feed_state(source)
        return state is None or state.next_attempt is None or state.next_attempt <= now

    # Writes: each one is a single transaction

    def record_success(
        self,
        source: str,
        entries: Sequence[Entry],
        *,
        now: datetime,
        etag: str | None,
        last_modified: str | None,
        content_hash: str | None,
        moved_to: str | None = None,
        max_entries: int = 200,
    ) -> StoreChange:
        """Store a successful fetch: upsert its entries, withdraw deleted ones, prune.

        Entries are stored under ``source`` whatever their ``feed`` says; an id seen
        twice in one fetch keeps its first occurrence.
        """
        _check_aware(now)
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        stamp = _iso(now)
        fetched = _unique(entries)
        with self._transaction():
            stored = self._stored(source)
            rows = [_entry_row(source, entry, stored.get(entry.id), now) for entry in fetched]
            self._db.executemany(_UPSERT_ENTRY, rows)
            withdrawn = _to_withdraw(stored, rows)
            self._db.executemany(
                "UPDATE entries SET withdrawn_at = ? WHERE source = ? AND id = ?",
                [(stamp, source, entry_id) for entry_id in withdrawn],
            )
            pruned = self._prune(source, stored, rows, withdrawn, max_entries, now)
            self._db.execute(
                f"""INSERT INTO feeds ({_FEED_COLUMNS}) VALUES
                    (?, 'ok', ?, ?, NULL, NULL, 0, NULL, ?, ?, ?, ?, 0)
                ON CONFLICT (source) DO UPDATE SET
                    status = 'ok', last_attempt = excluded.last_attempt,
                    last_success = excluded.last_success, error_count = 0,
                    next_attempt = NULL, etag = excluded.etag,
                    last_modified = excluded.last_modified,
                    content_hash = excluded.content_hash, moved_to = excluded.moved_to,
                    gone = 0""",
                (source, stamp, stamp, etag, last_modified, content_hash, moved_to),
            )
        return _change(stored, rows, len(withdrawn), pruned)

    def record_not_modified(
        self,
        source: str,
        *,
        now: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """The feed answered 304 (or the same bytes): it is alive, its entries still stand."""
        _check_aware(now)
        stamp = _iso(now)
        with self._transaction():
            self._db.execute(
                f"""INSERT INTO feeds ({_FEED_COLUMNS}) VALUES
                    (?, 'not_modified', ?, ?, NULL, NULL, 0, NULL, ?, ?, NULL, NULL, 0)
                ON CONFLICT (source) DO UPDATE SET
                    status = 'not_modified', last_attempt = excluded.last_attempt,
                    last_success = excluded.last_success, error_count = 0,
                    next_attempt = NULL, gone = 0,
                    etag = coalesce(excluded.etag, etag),
                    last_modified = coalesce(excluded.last_modified, last_modified)""",
                (source, stamp, stamp, etag, last_modified),
            )
            self._db.execute(
                "UPDATE entries SET last_seen = ? WHERE source = ? AND withdrawn_at IS NULL",
                (stamp, source),
            )

    def record_failure(
        self,
        source: str,
        error: str,
        *,
        now: datetime,
        retry_after: datetime | None = None,
        gone: bool = False,
    ) -> None:
        """A fetch failed: keep every entry, count the error, back off."""
        _check_aware(now)
        if retry_after is not None:
            _check_aware(retry_after)
        stamp = _iso(now)
        with self._transaction():
            row = self._db.execute(
                "SELECT error_count FROM feeds WHERE source = ?", (source,)
            ).fetchone()
            errors = (row[0] if row else 0) + 1
            delay = BACKOFF_CAP if gone else _backoff(errors, self._rng)
            next_attempt = now + delay
            if retry_after is not None and retry_after > next_attempt:
                next_attempt = min(retry_after, now + BACKOFF_CAP)
            self._db.execute(
                f"""INSERT INTO feeds ({_FEED_COLUMNS}) VALUES
                    (?, ?, ?, NULL, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?)
                ON CONFLICT (source) DO UPDATE SET
                    status = excluded.status, last_attempt = excluded.last_attempt,
                    last_error = excluded.last_error, last_error_at = excluded.last_error_at,
                    error_count = excluded.error_count, next_attempt = excluded.next_attempt,
                    gone = excluded.gone""",
                (
                    source,
                    "gone" if gone else "error",
                    stamp,
                    error,
                    stamp,
                    errors,
                    _iso(next_attempt),
                    int(gone),
                ),
            )

    # Reads

    def entries(
        self,
        sources: Iterable[str] | None = None,
        *,
        limit: int | None = None,
        now: datetime | None = None,
    ) -> list[Entry]:
        """Live entries, newest first by effective time.

        ``now`` renders the store as of that moment: entries first seen later are
        left out, and no returned date is later than it.
        """
        clauses = ["withdrawn_at IS NULL"]
        params: list[Any] = []
        if sources is not None:
            clauses.append("source IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(sources)))
        if now is not None:
            _check_aware(now)
            clauses.append("first_seen <= ?")
            params.append(_iso(now))
        sql = (
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE {' AND '.join(clauses)}"
            " ORDER BY effective DESC, source, id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._translated():
            rows = self._db.execute(sql, params).fetchall()
        return [_entry(_EntryRow(*row), now) for row in rows]

    def latest_published(self) -> dict[str, datetime]:
        """Per source, the effective time of its newest live entry."""
        with self._translated():
            rows = self._db.execute(
                "SELECT source, max(effective) FROM entries"
                " WHERE withdrawn_at IS NULL GROUP BY source"
            ).fetchall()
        return {source: _parse(latest) for source, latest in rows}

    def counts(self) -> dict[str, int]:
        """Per source, how many live entries it has (sources with none are absent)."""
        with self._translated():
            rows = self._db.execute(
                "SELECT source, count(*) FROM entries WHERE withdrawn_at IS NULL GROUP BY source"
            ).fetchall()
        return dict(rows)

    # Internals

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(_MIGRATIONS):
            raise StoreError(
                f"{self._path}: written by a newer version of this program "
                f"(schema {version}, this one knows {len(_MIGRATIONS)}); "
                "upgrade, or delete it to start afresh"
            )
        for number, steps in enumerate(_MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for step in steps:
                    self._db.execute(step)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._translated():
            # IMMEDIATE takes the write lock up front, so a read-then-write
            # (error_count + 1) cannot race another process.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Turn SQLite's damaged-file and locked-file errors into a StoreError."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            # Extended codes (SQLITE_IOERR_SHORT_READ, ...) carry the primary in the low byte.
            hint = _HINTS.get(code & 0xFF) if isinstance(code, int) else None
            if hint is None:
                raise
            raise StoreError(f"{self._path}: {hint.format(error=exc)}") from exc

    def _stored(self, source: str) -> dict[str, _EntryRow]:
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source = ?", (source,)
        ).fetchall()
        return {row[1]: _EntryRow(*row) for row in rows}

    def _prune(
        self,
        source: str,
        stored: dict[str, _EntryRow],
        rows: list[_EntryRow],
        withdrawn: list[str],
        max_entries: int,
        now: datetime,
    ) -> int:
        """Delete live entries past ``max_entries`` and long-withdrawn ones."""
        live = {row.id: row.effective for row in rows}
        gone = set(withdrawn)
        for entry_id, old in stored.items():
            if entry_id not in live and not old.withdrawn and entry_id not in gone:
                live[entry_id] = old.effective
        # Ties broken by id so the same store always prunes the same entries.
        newest_first = sorted(sorted(live), key=live.__getitem__, reverse=True)
        doomed = newest_first[max_entries:]
        cutoff = _iso(now - WITHDRAWN_KEPT)
        doomed += [
            entry_id
            for entry_id, old in stored.items()
            if entry_id not in live and old.withdrawn_at is not None and old.withdrawn_at < cutoff
        ]
        self._db.executemany(
            "DELETE FROM entries WHERE source = ? AND id = ?",
            [(source, entry_id) for entry_id in doomed],
        )
        return len(doomed)


def _backoff(errors: int, rng: random.Random) -> timedelta:
    """How long to wait after ``errors`` failures in a row: doubling, jittered, capped."""
    doubling = 2 ** min(errors - 1, 16)
    return min(BACKOFF_BASE * doubling * rng.uniform(0.5, 1.0), BACKOFF_CAP)


def _to_withdraw(stored: dict[str, _EntryRow], rows: list[_EntryRow]) -> list[str]:
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


def _change(
    stored: dict[str, _EntryRow], rows: list[_EntryRow], withdrawn: int, pruned: int
) -> StoreChange:
    new = updated = 0
    for row in rows:
        old = stored.get(row.id)
        if old is None:
            new += 1
        elif old.withdrawn or old.payload != row.payload:
            updated += 1
    return StoreChange(new=new, updated=updated, withdrawn=withdrawn, pruned=pruned)


def _unique(entries: Sequence[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.id, entry)
    return list(seen.values())


def _entry_row(source: str, entry: Entry, old: _EntryRow | None, now: datetime) -> _EntryRow:
    published, updated = _iso_or_none(entry.published), _iso_or_none(entry.updated)
    first_seen = _parse(old.first_seen) if old else now
    dated = entry.published if entry.published is not None else entry.updated
    effective = first_seen if dated is None else _clamp(dated, first_seen)
    media = [{"url": m.url, "alt": m.alt, "type": m.type} for m in entry.media]
    return _EntryRow(
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
        first_seen=_iso(first_seen),
        last_seen=_iso(now),
        withdrawn_at=None,
        effective=_iso(effective),
    )


def _clamp(moment: datetime, first_seen: datetime) -> datetime:
    """A date well after first sight is shown as of first sight."""
    return first_seen if moment > first_seen + FUTURE_GRACE else moment


def _entry(row: _EntryRow, now: datetime | None) -> Entry:
    first_seen = _parse(row.first_seen)

    def shown(moment: str | None) -> datetime | None:
        if moment is None:
            return None
        clamped = _clamp(_parse(moment), first_seen)
        return clamped if now is None else min(clamped, now)

    return Entry(
        feed=row.source,
        id=row.id,
        title=row.title,
        summary=row.summary,
        content=row.content,
        link=row.link,
        published=shown(row.published),
        updated=shown(row.updated),
        author=row.author,
        categories=tuple(_unjson(row.categories)),
        media=tuple(Media(**item) for item in _unjson(row.media)),
        language=row.language,
    )


def _json(items: list[Any]) -> str:
    # Most entries have no categories or media: skip the encoder for them.
    return _json_encode(items) if items else "[]"


def _unjson(text: str) -> list[Any]:
    return json.loads(text) if text != "[]" else []


def _feed_state(row: tuple[Any, ...]) -> FeedState:
    # The feeds table's columns are FeedState's fields, in order.
    state = FeedState(*row)
    return replace(
        state,
        last_attempt=_parse_or_none(row[2]),
        last_success=_parse_or_none(row[3]),
        last_error_at=_parse_or_none(row[5]),
        next_attempt=_parse_or_none(row[7]),
        gone=bool(state.gone),
    )


def _check_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the store needs timezone-aware times")


def _iso(moment: datetime) -> str:
    _check_aware(moment)
    # Fixed width (always microseconds, always +00:00), so text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else _iso(moment)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _parse_or_none(text: str | None) -> datetime | None:
    return None if text is None else _parse(text)
