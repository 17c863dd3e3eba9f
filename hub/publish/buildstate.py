"""What the last build was made from, so a rebuild with nothing changed does no work.

A build's inputs are the registry, content/, the theme chain, the stored
entries (known by the store's revision, which changes with every write to
them, so a build need not read them to know), the code that renders them and
what of the day the pages depend on (the alerts active, the officers who have
left, the pins and mutes in force: ``hub.pipeline._moment``). Never the hour:
no page shows a time relative to the build. Their digest is kept in the
cache folder with the build's counts. When the next build finds the same
digest and its output folder still in place, it renders and writes nothing:
a scheduled run with no new posts, in whatever hour, leaves every file, and
every mtime, as it was.

When something did change, the ledger (``build-files.json``) says what each
file of the output folder was made from (:mod:`hub.render.inputs`), so that
only the files whose inputs changed are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from hub.wholefiles import write_whole

STATE_NAME = "build-state.json"
LEDGER_NAME = "build-files.json"
"""What each file of the output folder was made from, for an incremental build."""
CODE_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BuildState:
    digest: str
    out: str
    """The output folder, resolved."""
    pages: int
    posts: int
    files: int


def _files(folders: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append(folder)
        elif folder.is_dir():
            found.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return found


def files_digest(inputs: Sequence[Path]) -> str:
    """A digest of the code and of every file in ``inputs``."""
    h = hashlib.sha256()
    code = [p for p in _files([CODE_ROOT]) if p.suffix in (".py", ".po", ".json")]
    for path in (*code, *_files(inputs)):
        h.update(str(path).encode())
        h.update(b"\0")
        h.update(_file_digest(path))
        h.update(b"\0")
    return h.hexdigest()


def _file_digest(path: Path) -> bytes:
    """A file's digest, read a piece at a time (a video put under content/ is no reason
    to hold it whole); one that cannot be read counts as changed, never as a failure:
    what reads it for the site says why."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError as error:
        return f"unreadable {error.errno} {time.time_ns()}".encode()


def digest(*parts: str) -> str:
    """One digest of ``parts``: :func:`files_digest`, the store's revision, the moment..."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def load_ledger(cache: Path, out: Path) -> object:
    """What the files in ``out`` were made from (:class:`hub.render.inputs.Ledger`), as
    saved; None when nothing was saved, or it was saved for another output folder."""
    try:
        data = json.loads((cache / LEDGER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("out") != str(out.resolve()):
        return None
    return data.get("ledger")


def save_ledger(cache: Path, out: Path, ledger: object) -> None:
    """Keep ``ledger`` for the next build into ``out``: compact, it lists every file."""
    data = {"out": str(out.resolve()), "ledger": ledger}
    write_whole(cache / LEDGER_NAME, json.dumps(data, separators=(",", ":")).encode())


def forget_ledger(cache: Path) -> None:
    """Before the output folder changes: a build killed before the new ledger is
    saved leaves none, so that the next one compares with nothing stale."""
    (cache / LEDGER_NAME).unlink(missing_ok=True)


def load(cache: Path) -> BuildState | None:
    try:
        data = json.loads((cache / STATE_NAME).read_text(encoding="utf-8"))
        return BuildState(**data)
    except (OSError, ValueError, TypeError):
        return None


def save(cache: Path, state: BuildState) -> None:
    write_whole(cache / STATE_NAME, (json.dumps(asdict(state), indent=2) + "\n").encode())


def is_current(state: BuildState | None, current: str, out: Path, marker: str) -> bool:
    """Whether ``out`` still holds the build that ``state`` describes."""
    return (
        state is not None
        and state.digest == current
        and state.out == str(out.resolve())
        and (out / marker).is_file()
    )
