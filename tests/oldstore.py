"""Turn a store file into one as an older version of the program wrote it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from hub.store.schema import MIGRATIONS

_CREATED = re.compile(r"\s*CREATE (TABLE|TRIGGER|INDEX) (\w+)")
_ADDED = re.compile(r"\s*ALTER TABLE (\w+) ADD COLUMN (\w+)")


def as_schema(path: Path, version: int) -> None:
    """Drop what the schema steps after ``version`` created, and say ``version``."""
    with sqlite3.connect(path) as db:
        for steps in reversed(MIGRATIONS[version:]):
            for step in reversed(steps):
                created = _CREATED.match(step)
                added = _ADDED.match(step)
                if created is not None:
                    db.execute(f"DROP {created[1]} IF EXISTS {created[2]}")
                elif added is not None:
                    db.execute(f"ALTER TABLE {added[1]} DROP COLUMN {added[2]}")
        db.execute(f"PRAGMA user_version = {version}")
