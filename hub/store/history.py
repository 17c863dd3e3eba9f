"""The audit trail: what each post said and when, and what became of it; never published.

Corporate Communications must be able to say what an account posted, changed
and deleted, and what the site did with it (``hub audit``). The store's
entries table holds each post's current text only, and forgets a withdrawn
post 30 days on; the ``history`` table keeps the rest, one row per event:
``(source, id, at, event, title, summary, content, link, published, reason)``.

- ``first_seen``: a fetch stores the post for the first time; its text then.
- ``edited``: a fetch finds its title, text or link changed; the text BEFORE
  the change (the entries table has the text after).
- ``withdrawn``: the post is gone from its feed, deleted on the platform
  (:func:`hub.store.rules.to_withdraw`); its text as it was.
- ``restored``: a withdrawn post is back in its feed; its text as it came back.
- ``reseeded``: a build put the post in an empty store from the published
  site's archive (:mod:`hub.store.reseed`); its text as the site published
  it, and in ``reason`` where the site was read. It stands for
  ``first_seen``; the first fetch of its feed afterwards records no
  ``edited`` for it, since the published copy differs from the feed's own
  in form (a summary that was the excerpt, headings demoted twice), not in
  what the post says.
- ``hidden``, ``held``, ``muted``: a published build leaves the post out, for
  ``hide:``, a ``hold:`` phrase not approved, or its account in ``mute:``.
- ``approved``: a held post is back on the site, its URL in ``approve:``.
- ``shown``: any other post back on the site (its hide removed, its mute
  over, the phrase gone).

Every curation event keeps the post's text as it stood then, and a
``reason``: the ``reason:`` of the hide or the mute, the phrase that held the
post, or why it is back. ``at`` is the clock of the fetch or build that saw it.

The first four are written by ``Store.record_success`` in the same
transaction as the entries, with set-based SQL: one ``INSERT ... SELECT`` for
the earlier versions (from the rows the fetch read before writing), one
copying the entries table's rows for the rest; so the trail and the entries
never disagree. The curation events are
written at each published build (``hub.pipeline.build``) from what
:mod:`hub.site.screening` finds changed since the ``screened`` table's record
of the last one: an event when a post leaves the site and one when it comes
back, never one per build.

The trail only copies entry text, which is sanitized and redacted before it
is stored, so it never holds a token. No build reads it: nothing published
comes from it. Events older than ``site.audit.keep_days`` are deleted each
time the store is updated (and at each build that records curation events);
``0`` keeps none.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from hub.store.opening import StoreError, read_only, transaction, translated
from hub.store.rules import EntryRow, check_aware, from_iso, iso
from hub.store.schema import MIGRATIONS

EVENTS = (
    "first_seen",
    "edited",
    "withdrawn",
    "restored",
    "reseeded",
    "hidden",
    "held",
    "muted",
    "approved",
    "shown",
)
"""Every event the trail records, in the order the list above gives them."""
SCREENED = ("hidden", "held", "muted")
"""The curation events that take a post off the site; ``approved`` and ``shown`` end them."""
SINCE_STEP = next(
    number
    for number, steps in enumerate(MIGRATIONS, start=1)
    if any(step.startswith("CREATE TABLE history") for step in steps)
)
"""The schema step that made the history table: older stores have no trail."""

_TEXT = "title, summary, content, link, published"
_COPY = f"""
    INSERT INTO history (source, id, at, event, {_TEXT})
    SELECT e.source, e.id, ?, j.value ->> 1, e.title, e.summary, e.content, e.link, e.published
    FROM json_each(?) AS j JOIN entries AS e ON e.source = ? AND e.id = j.value ->> 0
    ORDER BY j.key
"""
"""Copies each post's stored text into an event, in order: a JSON list of [entry id, event]."""


class Event(NamedTuple):
    """One row of the trail, oldest first."""

    source: str
    id: str
    at: datetime
    event: str
    title: str | None
    summary: str | None
    content: str | None
    link: str | None
    published: datetime | None
    reason: str | None


class Screening(NamedTuple):
    """A change to what curation does to one stored post, found at a build."""

    source: str
    id: str
    event: str
    """One of :data:`SCREENED`, ``approved`` or ``shown``."""
    reason: str


# Fetches: Store.record_success calls this inside its transaction


def record_fetch(
    db: sqlite3.Connection,
    source: str,
    stamp: str,
    stored: Mapping[str, EntryRow],
    rows: Sequence[EntryRow],
    withdrawn: Sequence[str],
) -> None:
    """The events of one fetch of ``source`` at ``stamp``, once its ``rows`` are written
    and ``withdrawn`` marked: what was ``stored`` before tells edits and returns."""
    edited: list[list[str | None]] = []
    copied: dict[str, str] = {}
    reseeded = bool(stored) and _never_fetched(db, source)
    for row in rows:
        old = stored.get(row.id)
        if old is None:
            copied[row.id] = "first_seen"
            continue
        # title, summary, content, link: what the post says, not its dates or tags
        if old[2:6] != row[2:6] and not reseeded:
            edited.append([old.id, old.title, old.summary, old.content, old.link, old.published])
        if old.withdrawn_at is not None:
            copied[row.id] = "restored"
    copied.update(dict.fromkeys(withdrawn, "withdrawn"))
    if edited:
        # The earlier text is gone from the entries table: it comes from ``stored``.
        db.execute(
            f"""INSERT INTO history (source, id, at, event, {_TEXT})
            SELECT ?, j.value ->> 0, ?, 'edited', j.value ->> 1, j.value ->> 2,
                j.value ->> 3, j.value ->> 4, j.value ->> 5
            FROM json_each(?) AS j ORDER BY j.key""",
            (source, stamp, json.dumps(edited)),
        )
    if copied:
        db.execute(_COPY, (stamp, json.dumps(list(copied.items())), source))


def _never_fetched(db: sqlite3.Connection, source: str) -> bool:
    """Whether ``source`` has never been fetched into this store: its stored entries
    were re-seeded from the published site (before this fetch is recorded)."""
    row = db.execute("SELECT last_success FROM feeds WHERE source = ?", (source,)).fetchone()
    return row is None or row[0] is None


# The store's side of the trail


class History:
    """The trail of an open store (``Store.history``), or of one opened to read it."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self._path = path

    @classmethod
    def read_only(cls, path: Path) -> History:
        """The trail of the store at ``path``, opened read-only: no lock that a run
        waits for, no schema step, nothing written. Close it with :meth:`close`."""
        db, version = read_only(path)
        if version < SINCE_STEP:
            db.close()
            raise StoreError(
                f"{path}: this store has no audit trail yet (an older hub wrote it): "
                "the next hub fetch or hub build adds one"
            )
        return cls(db, path)

    def close(self) -> None:
        self._db.close()

    def prune(self, now: datetime, keep_days: int) -> int:
        """Delete the events more than ``keep_days`` days before ``now``; how many."""
        check_aware(now)
        with self._transaction():
            return self._prune(now, keep_days)

    def screened(self) -> dict[tuple[str, str], str]:
        """(source, entry id) -> hidden, held or muted, as the last published build left it."""
        with translated(self._path):
            rows = self._db.execute("SELECT source, id, state FROM screened").fetchall()
        return {(source, entry_id): state for source, entry_id, state in rows}

    def record_screening(
        self, changes: Sequence[Screening], *, now: datetime, keep_days: int
    ) -> None:
        """A published build's curation ``changes`` at ``now``: an event each (none when
        ``keep_days`` is 0), and the ``screened`` record brought up to date."""
        check_aware(now)
        if not changes:
            with translated(self._path):
                if self._db.execute("SELECT 1 FROM screened LIMIT 1").fetchone() is None:
                    return
        rows = json.dumps([list(change) for change in changes])
        with self._transaction():
            if keep_days > 0 and changes:
                self._db.execute(
                    f"""INSERT INTO history (source, id, at, event, {_TEXT}, reason)
                    SELECT e.source, e.id, ?, j.value ->> 2, e.title, e.summary, e.content,
                        e.link, e.published, j.value ->> 3
                    FROM json_each(?) AS j JOIN entries AS e
                        ON e.source = j.value ->> 0 AND e.id = j.value ->> 1
                    ORDER BY j.key""",
                    (iso(now), rows),
                )
            marks = ", ".join("?" * len(SCREENED))
            self._db.execute(
                f"""INSERT OR REPLACE INTO screened (source, id, state)
                SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(?) AS j
                WHERE j.value ->> 2 IN ({marks})""",
                (rows, *SCREENED),
            )
            self._db.execute(
                f"""DELETE FROM screened WHERE (source, id) IN (
                    SELECT j.value ->> 0, j.value ->> 1 FROM json_each(?) AS j
                    WHERE j.value ->> 2 NOT IN ({marks}))""",
                (rows, *SCREENED),
            )
            # Posts the store no longer has: a post seen again later starts afresh.
            self._db.execute(
                """DELETE FROM screened WHERE NOT EXISTS (SELECT 1 FROM entries AS e
                WHERE e.source = screened.source AND e.id = screened.id)"""
            )
            self._prune(now, keep_days)

    def only_added(self, since: datetime) -> bool:
        """Whether every event after ``since`` (excluded) is a post first seen or
        re-seeded: the posts only grew since then."""
        with translated(self._path):
            row = self._db.execute(
                """SELECT 1 FROM history WHERE at > ?
                AND event NOT IN ('first_seen', 'reseeded') LIMIT 1""",
                (iso(since),),
            ).fetchone()
        return row is None

    def events(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        sources: Collection[str] | None = None,
    ) -> list[Event]:
        """The events from ``since`` (included) to ``until`` (excluded), of ``sources``
        if given, oldest first (those of one moment in the order they were written)."""
        clauses, params = ["1"], []
        for moment, clause in ((since, "at >= ?"), (until, "at < ?")):
            if moment is not None:
                clauses.append(clause)
                params.append(iso(moment))
        if sources is not None:
            clauses.append("source IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(sources)))
        with translated(self._path):
            rows = self._db.execute(
                f"""SELECT source, id, at, event, {_TEXT}, reason FROM history
                WHERE {" AND ".join(clauses)} ORDER BY at, seq""",
                params,
            ).fetchall()
        return [
            Event(*row[:2], from_iso(row[2]), *row[3:8], row[8] and from_iso(row[8]), row[9])
            for row in rows
        ]

    def _prune(self, now: datetime, keep_days: int) -> int:
        cutoff = iso(now - timedelta(days=max(keep_days, 0)))
        return self._db.execute("DELETE FROM history WHERE at < ?", (cutoff,)).rowcount

    def _transaction(self) -> AbstractContextManager[None]:
        return transaction(self._db, self._path)
