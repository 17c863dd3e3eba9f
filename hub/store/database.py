"""The store: feed state and entries in SQLite, the only database I/O in the project.

The store is one file, ``store.sqlite3`` in the cache folder. It remembers each
feed's state (validators, content hash, errors, backoff, 410s and permanent
redirects) keyed by ``FeedRef.source``, and every entry read from it keyed by
``(source, id)``, so that a failed fetch never loses the last good entries and
``hub build --offline`` can render from the store alone. It also remembers,
per feed image URL, the copy ``hub.feeds.images`` saved in the cache or why it could
not, so an image is downloaded once and a failing one is retried daily at most;
and, per account read through its API, what its next read needs (never a token);
the hosts held until a time they gave (:mod:`hub.feeds.holds`);
and the audit trail of every post (``Store.history``, :mod:`hub.store.history`).

This module owns the queries and the transactions; what they write (effective
times, withdrawal, retention, backoff, rows) is decided in ``hub.store.rules``,
and opening the file (its settings, schema steps, and what a damaged or newer
file gets) is ``hub.store.opening``'s. Every write method is one transaction:
killing the process at any moment leaves either the whole ``record_success``
call or none of it. Datetimes are stored as fixed-width ISO-8601 UTC text, so
text order is time order and the indexes serve ``ORDER BY`` directly.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hub.feeds.holds import HostHold
from hub.feeds.result import ApiState
from hub.feeds.sitearchive import Reseeded
from hub.model import Entry, MediaFile
from hub.store import history, reseed
from hub.store.opening import STORE_NAME as STORE_NAME
from hub.store.opening import StoreError as StoreError
from hub.store.opening import connect, transaction, translated
from hub.store.rules import (
    ENTRY_FIELDS,
    ENTRY_INSERT,
    FUTURE_GRACE,
    EntryRow,
    FeedState,
    StoreChange,
    check_aware,
    count_changes,
    distinct_entries,
    entry_rows,
    from_iso,
    iso,
    next_attempt,
    row_entries,
    row_feed_state,
    to_prune,
    to_withdraw,
)

MEDIA_RETRY = timedelta(days=1)
"""How long a feed image that could not be saved is left alone before another try."""

_ENTRY_COLUMNS = ", ".join(EntryRow._fields)
_SHOWN_COLUMNS = ", ".join(ENTRY_FIELDS)
_FEED_COLUMNS = ", ".join(field.name for field in fields(FeedState))
_UPSERT_ENTRY = f"""
    {ENTRY_INSERT}
    ON CONFLICT (source, id) DO UPDATE SET
        title = excluded.title, summary = excluded.summary, content = excluded.content,
        link = excluded.link, published = excluded.published, updated = excluded.updated,
        author = excluded.author, categories = excluded.categories, media = excluded.media,
        language = excluded.language, last_seen = excluded.last_seen,
        withdrawn_at = NULL, effective = excluded.effective,
        excerpt = excluded.excerpt, fingerprint = excluded.fingerprint
"""


class Store:
    """An open store. Use as a context manager, from one thread."""

    def __init__(self, db: sqlite3.Connection, path: Path, rng: random.Random) -> None:
        self._db = db
        self._path = path
        self._rng = rng

    @classmethod
    def open(cls, path: Path, *, rng: random.Random | None = None) -> Store:
        """Open (or create) the store at ``path``; ``rng`` jitters the backoff.

        A file unfit to be the store raises a :class:`~hub.store.opening.StoreError`.
        """
        path = Path(path)
        return cls(connect(path), path, rng or random.Random())

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Feed state

    def feed_state(self, source: str) -> FeedState | None:
        with self._translated():
            row = self._db.execute(
                f"SELECT {_FEED_COLUMNS} FROM feeds WHERE source = ?", (source,)
            ).fetchone()
        return None if row is None else row_feed_state(row)

    def feed_states(self) -> dict[str, FeedState]:
        with self._translated():
            rows = self._db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds").fetchall()
        return {row[0]: row_feed_state(row) for row in rows}

    def is_due(self, source: str, now: datetime) -> bool:
        """Whether the feed may be fetched now (never tried, or its backoff is over)."""
        check_aware(now)
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
        keep_history: bool = True,
    ) -> StoreChange:
        """Store a successful fetch: upsert its entries, withdraw deleted ones, prune.

        Entries are stored under ``source`` whatever their ``feed`` says; an id seen
        twice in one fetch keeps its first occurrence. The audit trail records
        the changes, with ``keep_history``.
        """
        check_aware(now)
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        stamp = iso(now)
        fetched = distinct_entries(entries)
        with self._transaction():
            stored = self._stored(source)
            rows = entry_rows(source, fetched, stored, now)
            self._db.executemany(_UPSERT_ENTRY, rows)
            withdrawn = to_withdraw(stored, rows)
            self._db.executemany(
                "UPDATE entries SET withdrawn_at = ? WHERE source = ? AND id = ?",
                [(stamp, source, entry_id) for entry_id in withdrawn],
            )
            # Live entries past max_entries, and long-withdrawn ones.
            doomed = to_prune(stored, rows, withdrawn, max_entries, now)
            self._db.executemany(
                "DELETE FROM entries WHERE source = ? AND id = ?",
                [(source, entry_id) for entry_id in doomed],
            )
            if keep_history:
                history.record_fetch(self._db, source, stamp, stored, rows, withdrawn)
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
        return count_changes(stored, rows, len(withdrawn), len(doomed))

    def record_not_modified(
        self,
        source: str,
        *,
        now: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """The feed answered 304 (or the same bytes): it is alive, its entries still stand."""
        check_aware(now)
        stamp = iso(now)
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
        check_aware(now)
        if retry_after is not None:
            check_aware(retry_after)
        stamp = iso(now)
        with self._transaction():
            row = self._db.execute(
                "SELECT error_count FROM feeds WHERE source = ?", (source,)
            ).fetchone()
            errors = (row[0] if row else 0) + 1
            retry = next_attempt(now, errors, gone=gone, retry_after=retry_after, rng=self._rng)
            status = "gone" if gone else "error"
            self._db.execute(
                f"""INSERT INTO feeds ({_FEED_COLUMNS}) VALUES
                    (?, ?, ?, NULL, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?)
                ON CONFLICT (source) DO UPDATE SET
                    status = excluded.status, last_attempt = excluded.last_attempt,
                    last_error = excluded.last_error, last_error_at = excluded.last_error_at,
                    error_count = excluded.error_count, next_attempt = excluded.next_attempt,
                    gone = excluded.gone""",
                (source, status, stamp, error, stamp, errors, iso(retry), int(gone)),
            )

    def record_media(
        self,
        url: str,
        *,
        now: datetime,
        saved: MediaFile | None = None,
        error: str | None = None,
    ) -> None:
        """How downloading the feed image at ``url`` went: ``saved``, or ``error``."""
        check_aware(now)
        if (saved is None) == (error is None):
            raise ValueError("record_media needs exactly one of saved and error")
        file, width, height = (saved.file, saved.width, saved.height) if saved else (None,) * 3
        with self._transaction():
            self._db.execute(
                """INSERT OR REPLACE INTO media (url, file, width, height, error, attempted_at)
                VALUES (?, ?, ?, ?, ?, ?)""",
                (url, file, width, height, error, iso(now)),
            )

    def forget_media(self, keep: Iterable[str]) -> set[str]:
        """Forget every feed image but those at ``keep``; the files no longer recorded."""
        with self._transaction():
            before = {row[0] for row in self._db.execute("SELECT DISTINCT file FROM media")}
            self._db.execute(
                "DELETE FROM media WHERE url NOT IN (SELECT value FROM json_each(?))",
                (json.dumps(list(keep)),),
            )
            after = {row[0] for row in self._db.execute("SELECT DISTINCT file FROM media")}
        return {file for file in before - after if file is not None}

    def record_api_state(self, source: str, state: ApiState) -> None:
        """What the next read of an account through its platform's API needs."""
        moments = [None if m is None else iso(m) for m in (state.not_before, state.full_read)]
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO api_accounts VALUES (?, ?, ?, ?, ?)",
                (source, state.account_id, state.cursor, *moments),
            )

    def record_host_hold(self, hold: HostHold) -> None:
        """Keep a host's hold; one it already has that lasts longer stands."""
        check_aware(hold.until)
        check_aware(hold.said)
        row = (hold.host, iso(hold.until), hold.status, hold.why, iso(hold.said), hold.source)
        with self._transaction():
            self._db.execute(
                """INSERT INTO host_holds (host, until, status, why, said, source)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (host) DO UPDATE SET
                    until = excluded.until, status = excluded.status, why = excluded.why,
                    said = excluded.said, source = excluded.source
                WHERE excluded.until > host_holds.until""",
                row,
            )

    def drop_host_holds(self, now: datetime) -> None:
        """Forget the holds that are over at ``now``."""
        with self._transaction():
            self._db.execute("DELETE FROM host_holds WHERE until <= ?", (iso(now),))

    def reseed(
        self,
        found: Sequence[Reseeded],
        resolved: Sequence[str],
        *,
        now: datetime,
        origin: str,
        keep_history: bool = True,
    ) -> int:
        """Fill the store, if it is still empty, with posts read back from the published
        site (:mod:`hub.store.reseed`); how many were written."""
        check_aware(now)
        with self._transaction():
            return reseed.write(
                self._db, found, resolved, now=now, origin=origin, keep_history=keep_history
            )

    @property
    def history(self) -> history.History:
        """The audit trail: each post's versions, withdrawals and curation events."""
        return history.History(self._db, self._path)

    # Reads

    def api_states(self) -> dict[str, ApiState]:
        """Per account read through its platform's API, what its next read needs."""
        with self._translated():
            rows = self._db.execute("SELECT * FROM api_accounts").fetchall()
        times = [[m and from_iso(m) for m in row[3:5]] for row in rows]
        return {row[0]: ApiState(*row[1:3], *when) for row, when in zip(rows, times, strict=True)}

    def host_holds(self, now: datetime) -> dict[str, HostHold]:
        """The host holds in force at ``now``, by host."""
        with self._translated():
            rows = self._db.execute(
                "SELECT host, until, status, why, said, source FROM host_holds WHERE until > ?",
                (iso(now),),
            ).fetchall()
        return {
            host: HostHold(host, from_iso(until), status, why, from_iso(said), source)
            for host, until, status, why, said, source in rows
        }

    def media_map(self) -> dict[str, MediaFile]:
        """Every feed image saved in the cache, by its URL."""
        with self._translated():
            rows = self._db.execute(
                "SELECT url, file, width, height FROM media WHERE file IS NOT NULL"
            ).fetchall()
        return {url: MediaFile(file, width, height) for url, file, width, height in rows}

    def media_due(self, urls: Iterable[str], now: datetime) -> list[str]:
        """Of ``urls``, in order, those to download: never tried, or failed a day ago or more."""
        check_aware(now)
        wanted = list(dict.fromkeys(urls))
        with self._translated():
            rows = self._db.execute(
                """SELECT w.value FROM json_each(?) AS w LEFT JOIN media ON media.url = w.value
                WHERE media.url IS NULL OR (media.file IS NULL AND media.attempted_at <= ?)
                ORDER BY w.key""",
                (json.dumps(wanted), iso(now - MEDIA_RETRY)),
            ).fetchall()
        return [row[0] for row in rows]

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
        wanted = None if sources is None else set(sources)
        if wanted is not None and limit is not None:
            clauses.append("source IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(wanted)))
        if now is not None:
            check_aware(now)
            clauses.append("first_seen <= ?")
            params.append(iso(now))
        sql = (
            f"SELECT {_SHOWN_COLUMNS} FROM entries WHERE {' AND '.join(clauses)}"
            " ORDER BY effective DESC, source, id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._translated():
            rows = self._db.execute(sql, params).fetchall()
        if wanted is not None and limit is None:
            # Picked here rather than in SQL, which then reads the newest-first
            # index in order instead of sorting every row again.
            rows = [row for row in rows if row[0] in wanted]
        return row_entries(rows, now)

    def is_empty(self) -> bool:
        """Whether the store holds no entry at all, live or withdrawn: a new store, or
        one whose every feed has failed since it was made (what a re-seed fills)."""
        with self._translated():
            return self._db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None

    def latest_published(self) -> dict[str, datetime]:
        """Per source, the effective time of its newest live entry."""
        with self._translated():
            rows = self._db.execute(
                "SELECT source, max(effective) FROM entries"
                " WHERE withdrawn_at IS NULL GROUP BY source"
            ).fetchall()
        return {source: from_iso(latest) for source, latest in rows}

    def withdrawn(self) -> dict[str, datetime]:
        """The addresses (link, and id when it is one) of the entries withdrawn and
        not yet deleted, with when: what resolves the appeals their posts made."""
        with self._translated():
            rows = self._db.execute(
                "SELECT id, link, withdrawn_at FROM entries WHERE withdrawn_at IS NOT NULL"
            ).fetchall()
        found: dict[str, datetime] = {}
        for entry_id, link, stamp in rows:
            for url in (link, entry_id):
                if url and url.startswith(("https://", "http://")):
                    found[url] = from_iso(stamp)
        return found

    def revision(self, now: datetime) -> str:
        """Changes whenever what ``entries(now=now)`` returns may have changed.

        The store's id and its count of writes to entries, and ``now`` itself
        while the newest entry is recent enough for ``now`` to matter (entries
        first seen after ``now`` are left out, dates are capped at ``now``).
        """
        check_aware(now)
        with self._translated():
            store, number = self._db.execute("SELECT store, number FROM revision").fetchone()
            (newest,) = self._db.execute("SELECT max(first_seen) FROM entries").fetchone()
        recent = newest is not None and from_iso(newest) + FUTURE_GRACE >= now
        return f"{store}:{number}" + (f"@{iso(now)}" if recent else "")

    def counts(self) -> dict[str, int]:
        """Per source, how many live entries it has (sources with none are absent)."""
        with self._translated():
            rows = self._db.execute(
                "SELECT source, count(*) FROM entries WHERE withdrawn_at IS NULL GROUP BY source"
            ).fetchall()
        return dict(rows)

    # Internals

    def _transaction(self) -> AbstractContextManager[None]:
        return transaction(self._db, self._path)

    def _translated(self) -> AbstractContextManager[None]:
        """SQLite's damaged-file, locked-file and disk errors, as a StoreError."""
        return translated(self._path)

    def _stored(self, source: str) -> dict[str, EntryRow]:
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source = ?", (source,)
        ).fetchall()
        return {row[1]: EntryRow._make(row) for row in rows}
