"""Opening the store's file: its settings, its schema steps, and what to do when it is damaged.

:func:`connect` gives a connection to a store that is whole and up to date, or
raises a :class:`StoreError` saying why it cannot: a file that is not SQLite,
a truncated one, one whose tables are not the store's (:class:`StoreDamaged`),
one written by a newer version of the program (:class:`StoreTooNew`), or a
file the system will not let it read or write. Queries are
``hub.store.database``'s; the SQLite errors they meet are translated here too
(:func:`translated`), so a damaged page found in the middle of a run is a
:class:`StoreDamaged` as well. :func:`read_only` opens an existing store for
reading alone (``hub audit``), without upgrading it.

A damaged store is never deleted: :func:`set_aside` renames it (with its
``-wal`` and ``-shm`` files) to ``store.sqlite3.damaged-<UTC time>`` for
someone to look at, and the next :func:`connect` starts a fresh store.
:func:`recover` does both. A store from a newer version is not damaged: it is
refused and left alone, since the newer program can still use it.

What "whole" means is checked cheaply on every open, never by reading every
page: the file starts as SQLite files do, it is not shorter than its header
says (unless a write-ahead log holds the rest), and its tables, columns,
indexes and triggers are exactly those the schema steps made.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hub.feeds import posttext
from hub.problems import HubError, os_reason
from hub.store.schema import MIGRATIONS

STORE_NAME = "store.sqlite3"
"""The store's file name inside the cache folder."""
BUSY_TIMEOUT_SECONDS = 10.0
MMAP_BYTES = 0
"""How much of the store's file SQLite reads through a memory map: none. A build
reads every entry; mapped, every page of the file it read stays in the build's
resident memory until the end (235 MiB at 5,000 profiles, most of a gigabyte at
20,000), to save about a tenth of a second of reading (docs/performance.md)."""
COMPANIONS = ("-wal", "-shm")
"""SQLite's files beside the store: its write-ahead log and that log's index."""

_MAGIC = b"SQLite format 3\x00"
_HEADER = 100
_BUSY = "the store is busy ({error}): another program has it open; let it finish, then run again"
_HINTS = {
    sqlite3.SQLITE_BUSY: _BUSY,
    sqlite3.SQLITE_LOCKED: _BUSY,
    sqlite3.SQLITE_CANTOPEN: "cannot open the store: {error}",
    sqlite3.SQLITE_READONLY: "cannot write the store: {error}",
    sqlite3.SQLITE_FULL: "cannot write the store: the disk is full ({error})",
    sqlite3.SQLITE_IOERR: "cannot read or write the store: {error}",
    sqlite3.SQLITE_PERM: "cannot write the store: {error}",
}
"""What to tell the user, by SQLite's primary error code; other errors are bugs."""
_DAMAGED = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


class StoreError(HubError):
    """The store file cannot be used; the message says what to do."""


class StoreDamaged(StoreError):
    """The store file is not a whole store: set it aside and start a fresh one."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: the store is damaged: {self.reason}"


class StoreTooNew(StoreError):
    """The store was written by a newer version of the program: it is refused, not replaced."""


@dataclass(frozen=True)
class Recovered:
    """A damaged store that was set aside, and what was wrong with it."""

    reason: str
    kept: Path
    """Where the damaged file is now (its -wal and -shm beside it, if it had them)."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the store at ``path`` (made if missing), checked and up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise StoreError(f"{path}: cannot open the store: it is a folder; remove it or move it")
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store: {os_reason(exc)}") from exc
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
    try:
        with translated(path):
            # Checked before anything is written, so a damaged file is kept as it was found.
            reason = _truncated(path)
            if reason:
                raise StoreDamaged(path, reason)
            version = _checked_version(db, path)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            _migrate(db, path, version)
            _forget_stale_texts(db, path)
    except BaseException:
        db.close()
        raise
    return db


def read_only(path: Path) -> tuple[sqlite3.Connection, int]:
    """A read-only connection to the store at ``path``, and its schema version.

    For reports that read a store while a run may be writing it: no schema
    step runs, nothing is written, and a write-ahead-log store lets a run
    write meanwhile. A missing store is a :class:`StoreError`, not a new one.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(
            f"{path}: no store here yet: hub fetch or hub build makes it "
            "(or name the cache folder with --cache)"
        )
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
    try:
        with translated(path):
            reason = _truncated(path)
            if reason:
                raise StoreDamaged(path, reason)
            version = _checked_version(db, path)
    except BaseException:
        db.close()
        raise
    return db, version


def recover(path: Path, now: datetime) -> Recovered | None:
    """Make sure the store at ``path`` can be opened: a damaged one is set aside.

    None when it was fine (or absent); otherwise what was wrong and where the
    damaged file was kept. Raises :class:`StoreError` for what setting aside
    cannot cure: a newer store, a folder in the way, a file it may not write.
    """
    try:
        connect(path).close()
    except StoreDamaged as damaged:
        return Recovered(damaged.reason, set_aside(path, now))
    return None


def set_aside(path: Path, now: datetime) -> Path:
    """Rename the store at ``path`` and its companions to ``NAME.damaged-<UTC time>``."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while any(os.path.lexists(f"{kept}{suffix}") for suffix in ("", *COMPANIONS)):
        number += 1
        kept = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        # The log and its index first: a store file without them is still a
        # file SQLite reads, whereas the log left behind would be replayed
        # into the fresh store.
        for suffix in COMPANIONS:
            if os.path.lexists(f"{path}{suffix}"):
                os.rename(f"{path}{suffix}", f"{kept}{suffix}")
        os.rename(path, kept)
    except OSError as exc:
        raise StoreError(
            f"{path}: the store is damaged and cannot be moved aside: {os_reason(exc)}"
        ) from exc
    return kept


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Turn SQLite's damaged-file, locked-file and disk errors into a StoreError."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        # Extended codes (SQLITE_IOERR_SHORT_READ, ...) carry the primary in the low byte.
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in _DAMAGED:
            raise StoreDamaged(path, str(exc)) from exc
        hint = _HINTS.get(primary) if primary is not None else None
        if hint is None:
            raise
        raise StoreError(f"{path}: {hint.format(error=exc)}") from exc


@contextmanager
def transaction(db: sqlite3.Connection, path: Path) -> Iterator[None]:
    """One write transaction, rolled back if the block fails."""
    with translated(path):
        # IMMEDIATE takes the write lock up front, so a read-then-write
        # (error_count + 1) cannot race another process.
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _truncated(path: Path) -> str | None:
    """Why the file is not an SQLite file, or is shorter than its header says; else None.

    The header's page count is trusted only when SQLite marked it valid, and
    not while a write-ahead log holds pages that were never copied back.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            return None  # new: SQLite writes it
        with open(path, "rb") as f:
            header = f.read(_HEADER)
        wal = Path(f"{path}-wal")
        logged = wal.exists() and wal.stat().st_size > 0
    except FileNotFoundError:
        return None
    if len(header) < _HEADER or not header.startswith(_MAGIC):
        return "it is not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    if valid and not logged and pages * page_size > size:
        return f"it is cut short: {size} bytes of the {pages * page_size} its header gives"
    return None


def _checked_version(db: sqlite3.Connection, path: Path) -> int:
    """The schema version; StoreTooNew if newer than this program, StoreDamaged if not ours."""
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreTooNew(
            f"{path}: written by a newer version of hub (schema {version}; this one "
            f"knows {len(MIGRATIONS)}): upgrade hub, or give this version a cache folder "
            "of its own with --cache; the store was left as it is"
        )
    found = _schema(db)
    expected = _expected_schema(version)
    if found != expected:
        raise StoreDamaged(path, _difference(found, expected, version))
    return version


Schema = dict[str, tuple[str, tuple[str, ...]]]
"""Object name -> (type, column names): a table's columns, nothing for indexes and triggers."""


def _schema(db: sqlite3.Connection) -> Schema:
    rows = db.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    found: Schema = {}
    for kind, name in rows:
        columns: tuple[str, ...] = ()
        if kind == "table":
            quoted = name.replace('"', '""')
            columns = tuple(row[1] for row in db.execute(f'PRAGMA table_info("{quoted}")'))
        found[name] = (kind, columns)
    return found


@functools.cache
def _expected_schema(version: int) -> Schema:
    """What the first ``version`` schema steps make, made in memory."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for steps in MIGRATIONS[:version]:
            for step in steps:
                db.execute(step)
        return _schema(db)
    finally:
        db.close()


def _difference(found: Schema, expected: Schema, version: int) -> str:
    if version == 0:
        names = ", ".join(sorted(found))
        return f"it is an SQLite database of something else: it holds {names}, not a hub store"
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(n for n in set(found) & set(expected) if found[n] != expected[n])
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if changed:
        parts.append(f"{', '.join(changed)} not as the schema makes them")
    if extra:
        parts.append(f"unknown {', '.join(extra)}")
    return f"its tables are not those of schema {version}: " + "; ".join(parts)


def _migrate(db: sqlite3.Connection, path: Path, version: int) -> None:
    for number, steps in enumerate(MIGRATIONS[version:], start=version + 1):
        with transaction(db, path):
            for step in steps:
                db.execute(step)
            db.execute(f"PRAGMA user_version = {number}")


def _forget_stale_texts(db: sqlite3.Connection, path: Path) -> None:
    """Drop texts made by another version of hub.feeds.posttext: saving makes them anew."""
    (made_by,) = db.execute("SELECT texts FROM derived").fetchone()
    if made_by == posttext.VERSION:
        return
    with transaction(db, path):
        db.execute(
            "UPDATE entries SET excerpt = NULL, fingerprint = NULL WHERE excerpt IS NOT NULL"
        )
        db.execute("UPDATE derived SET texts = ?", (posttext.VERSION,))
