"""Before a publish writes anything: which folder it may replace, and what killed builds left.

:mod:`hub.publish.tree` writes the new tree and swaps it in; this module
decides whether it may, and clears the way. Choices worth knowing:

- Every published tree holds a ``.hub-output`` marker. A non-empty folder
  without one is never replaced: a typo such as ``--out docs`` must not delete
  a folder of the user's. Nor is the root, the home folder, the current folder
  or anything containing them (or a path the caller protects).
- A mount point is refused: it cannot be swapped for another folder in one step.
- Builds into the same folder take turns (an ``flock`` on the parent folder),
  so one never deletes another's tree.
- Leftovers of killed builds (``.<name>.new-<pid>``, ``.old-``, ``.trash-``)
  are removed, and a site a build was killed in the middle of swapping (its
  ``.old-`` tree, with nothing at the output folder) is put back first.
- The old tree a swap leaves is deleted by another process (:class:`Removal`),
  which a build does not wait for: the site is already the new one.
- A system error is a :class:`HubError` naming the output folder and the file,
  in words (:func:`hub.problems.os_reason`): a full disk says so.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from hub.outputs.files import MARKER
from hub.problems import HubError, os_reason

if sys.platform != "win32":
    import fcntl

_HINT = "choose an output folder such as public/"


@contextmanager
def failing_as(out_dir: Path, *, unchanged: bool = False) -> Iterator[None]:
    """A system error while publishing, as a :class:`HubError` naming the output folder.

    ``unchanged`` adds that the output folder was left as it was, where that is so.
    """
    try:
        yield
    except OSError as err:
        left = f"; {out_dir}/ is unchanged" if unchanged else ""
        raise HubError(f"could not publish into {out_dir}/: {os_reason(err)}{left}") from err


def checked_target(out_dir: Path, protect: Iterable[Path]) -> Path:
    """The real path of ``out_dir``, after refusing folders whose loss would hurt."""
    # A symlinked output folder is followed, so the swap happens where the link points
    # and the link keeps working.
    try:
        target = Path(out_dir).resolve()
    except RuntimeError as err:  # before Python 3.13, a loop; then ELOOP, an OSError
        raise HubError(f"cannot publish into {out_dir}: a loop of symbolic links") from err
    except OSError as err:
        raise HubError(f"cannot publish into {out_dir}: {os_reason(err)}") from err
    if target.parent == target:
        raise HubError(f"refusing to publish into {out_dir}: {_HINT}")
    precious = [(Path.cwd(), "the current folder")]
    with suppress(RuntimeError):  # no home folder known: nothing to protect there
        precious.append((Path.home(), "your home folder"))
    precious.extend((Path(p), str(p)) for p in protect)
    for path, name in precious:
        if path.resolve().is_relative_to(target):
            raise HubError(
                f"refusing to publish into {out_dir}: publishing replaces the whole folder, "
                f"which would delete {name}; {_HINT}"
            )
    return target


def refuse_foreign(target: Path, shown: Path) -> None:
    """Refuse to replace a folder we did not publish, or one we cannot swap."""
    if not target.exists():
        return
    if not target.is_dir():
        raise HubError(f"cannot publish into {shown}: it exists and is not a folder")
    if target.stat().st_dev != target.parent.stat().st_dev:
        raise HubError(
            f"cannot publish into {shown}: it is a mount point, so it cannot be replaced in one "
            f"step; publish into a folder inside it instead, e.g. --out {shown}/site"
        )
    if not (target / MARKER).is_file() and any(target.iterdir()):
        raise HubError(
            f"refusing to replace {shown}: it is not empty and has no {MARKER} file, so it was "
            f"not published by hub, and publishing would delete everything in it. "
            f"Choose another folder with --out, or empty this one first"
        )


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so that builds publishing there take turns."""
    fd: int | None = None
    if sys.platform != "win32":
        try:
            fd = os.open(folder, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # some network filesystems refuse locks; publish unlocked, as on Windows
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def leftovers(target: Path) -> list[tuple[str, Path]]:
    """(kind, path) of every folder an interrupted publish into ``target`` left behind."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(new|old|trash)-\d+(?:-\d+)?")
    found = []
    for entry in os.scandir(target.parent):
        match = pattern.fullmatch(entry.name)
        if match:
            found.append((match.group(1), Path(entry.path)))
    return found


def recover(target: Path, busy: Collection[Path] = ()) -> None:
    """Undo what a killed publish left: restore a displaced site, remove temp trees
    (but those in ``busy``, which a :class:`Removal` of this process is deleting)."""
    found = [(kind, path) for kind, path in leftovers(target) if path not in busy]
    if not os.path.lexists(target):
        # Killed between the two renames of the fallback swap: an ".old-" tree is always
        # a whole previous site (it is renamed to ".trash-" before being deleted).
        olds = [p for kind, p in found if kind == "old" and p.is_dir() and not p.is_symlink()]
        if olds:
            newest = max(olds, key=lambda p: p.stat().st_mtime_ns)
            os.rename(newest, target)
    for _, path in found:
        if os.path.lexists(path):
            remove(path)


def remove(path: Path) -> None:
    """Delete ``path``, a tree or a file. What vanishes meanwhile is fine: the old tree
    of a build killed just after its swap may still be going in its
    :class:`Removal`'s process."""
    if not path.is_dir() or path.is_symlink():
        with suppress(FileNotFoundError):
            path.unlink()
    elif sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=_vanished)
    else:
        shutil.rmtree(path, onerror=lambda function, name, info: _vanished(function, name, info[1]))


def _vanished(function: object, name: str, error: BaseException) -> None:
    if not isinstance(error, FileNotFoundError):
        raise error


_trash_numbers = itertools.count()


def trash_name(target: Path) -> Path:
    """A name beside ``target`` for an old tree to delete, used once in this process
    (a build in the same process may start while the last one's is still going)."""
    return target.parent / f".{target.name}.trash-{os.getpid()}-{next(_trash_numbers)}"


_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


class Removal:
    """The deletion of a tree in another process, started at once.

    Deleting the old tree after a swap is tens of thousands of system calls;
    the build need not make them one by one, nor wait for them (the site is
    already the new one). Where no process can be started, it is deleted here
    and then; a tree that resists is left to the next publish's :func:`recover`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-c", _REMOVE, os.fspath(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._child = None
            with suppress(OSError):
                remove(path)

    def done(self) -> bool:
        return self._child is None or self._child.poll() is not None

    def wait(self) -> None:
        if self._child is not None:
            self._child.wait()
        with suppress(OSError):
            remove(self.path)
