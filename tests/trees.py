"""What a published output folder holds, for tests that check a run changed nothing."""

from __future__ import annotations

import time
from pathlib import Path

Snapshot = dict[str, tuple[bytes, int] | None]


def snapshot(out: Path) -> Snapshot:
    """Every path under ``out`` (bytes and mtime of each file) and every ``.public…``
    entry beside it, keyed relative to ``out``'s parent.

    A build leaves the tree it replaced to be deleted in the background, under a
    ``.public.trash-…`` name of its own; the snapshot is taken once those are gone,
    so two snapshots differ only by what a run did, not by how far a deletion got.
    """
    root = out.parent
    deadline = time.monotonic() + 60
    while any(root.glob(".public.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    found: Snapshot = {p.name: None for p in root.iterdir() if p.name.startswith(".public")}
    for path in sorted(out.rglob("*")):
        key = path.relative_to(root).as_posix()
        found[key] = (path.read_bytes(), path.stat().st_mtime_ns) if path.is_file() else None
    return found
