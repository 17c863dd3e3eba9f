"""Publishing: the only code that writes the output folder.

Everything a build publishes is written into a complete new tree beside the
output folder, which is swapped in at the end. :func:`publish` does both for
an :class:`Output` (pages as bytes, assets and photos as files to copy). A
build opens the new tree first (:func:`staging`), so that its render
processes write each page there as soon as it is rendered
(:meth:`Stage.put`), then hands the Output, which records those pages too, to
:meth:`Stage.finish`. Choices worth knowing:

- The swap is atomic. On Linux, ``renameat2(RENAME_EXCHANGE)`` exchanges the
  new tree and the old one in one step. Elsewhere (or on a filesystem that
  cannot exchange) the old tree is renamed to ``.<name>.old-<pid>`` and the
  new one into place; a build killed between those two renames is repaired by
  the next :func:`publish`, which puts the ``.old-`` tree back first. Killing a
  build at any moment leaves the previous site or the new one, whole.
- Which folder may be replaced at all (never one hub did not publish, nor
  the current or home folder), builds into one folder taking turns, and the
  clearing of what killed builds left are :mod:`hub.publish.safety`'s.
- A file whose bytes did not change is hard-linked from the previous tree, not
  rewritten, so it keeps its mtime and deploy tools that compare mtimes upload
  only what changed. New and changed files get a fresh mtime, even when copied
  from an older source file, so "newer than the remote" tools see them.
- A file that cannot be written (a full disk, say) stops the publish before
  the swap, with an error that says what the system said, which file, and
  that the output folder is unchanged.
- Files are 0644 and folders 0755 whatever the umask: a CDN origin or web
  server reading them as another user must be able to.
- An empty :class:`Output` is refused: replacing a site with nothing is never
  what a build means to do.
- Every path is checked before it is written: a plain relative path inside
  the new tree (``hub.outputs.files``). Two outputs writing one path, even from two
  processes, are refused by the Output both are planned in, before the swap.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from hub.outputs.files import MARKER, Output, Planned, Staged, UnsafeOutputPathError, unsafe_reason
from hub.problems import HubError, os_reason
from hub.publish.safety import (
    Removal,
    checked_target,
    failing_as,
    locked,
    recover,
    refuse_foreign,
    remove,
    trash_name,
)

MARKER_TEXT = (
    b"This folder is written by hub build and replaced as a whole on every build.\n"
    b"Do not keep your own files here: they would be deleted.\n"
)
FILE_MODE = 0o644
DIR_MODE = 0o755

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_CHUNK = 1 << 20
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
"""Errors of the file being written, whichever file the system names."""


@dataclass(frozen=True)
class PublishReport:
    written: int
    """Files whose bytes are new or changed."""
    unchanged: int
    """Files identical to the previous site (linked, so their mtime is kept)."""
    removed: int
    """Files of the previous site that are gone."""
    out_dir: Path

    @property
    def changed(self) -> bool:
        """Whether the site is not the previous one: a file written or one gone."""
        return self.written > 0 or self.removed > 0


def publish(
    output: Output, out_dir: Path, *, exchange: bool = True, protect: Iterable[Path] = ()
) -> PublishReport:
    """Replace ``out_dir`` with exactly the files in ``output``, atomically.

    ``exchange=False`` skips ``renameat2`` and uses the two-rename swap that other
    systems get. ``protect`` names paths (the registry, the content folder, the
    cache) that ``out_dir`` must not contain, since publishing replaces it whole.
    """
    with staging(out_dir, protect=protect) as stage:
        return stage.finish(output, exchange=exchange)


_behind: list[Removal] = []
"""Old trees still being deleted, that their builds did not wait for."""


def settle() -> None:
    """Wait until the old trees of earlier publishes in this process are deleted."""
    while _behind:
        _behind.pop().wait()


@contextmanager
def staging(out_dir: Path, *, protect: Iterable[Path] = (), wait: bool = True) -> Iterator[Stage]:
    """A new tree beside ``out_dir`` to write into; :meth:`Stage.finish` swaps it in.

    Rendering can write pages into it as they are made (:meth:`Stage.put`),
    from forked processes too. Left without :meth:`Stage.finish` (an error, or
    a gate that refuses), the new tree is deleted and ``out_dir`` is untouched.
    Builds into one folder take turns: the lock is held until the end.
    With ``wait=False``, the old tree may still be going, in another process,
    when the block is left (:func:`settle` waits for it).
    """
    target = checked_target(out_dir, protect)
    with failing_as(out_dir, unchanged=True):
        target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target.parent):
        with failing_as(out_dir, unchanged=True):
            _behind[:] = [r for r in _behind if not r.done()]
            recover(target, busy={r.path for r in _behind})
            refuse_foreign(target, out_dir)
            stage = Stage(target, Path(out_dir))
        try:
            yield stage
        finally:
            removal, stage.removal = stage.removal, None
            if removal is None:
                # Given up (or a first publish): what is left at the temporary name goes.
                with suppress(OSError):
                    remove(stage.path)
            elif wait:
                removal.wait()
            else:
                _behind.append(removal)


class Stage:
    """The new tree of one publish, at ``.<name>.new-<pid>`` beside the output folder."""

    def __init__(self, target: Path, shown: Path) -> None:
        self.target = target
        self.shown = shown
        self.path = target.parent / f".{target.name}.new-{os.getpid()}"
        self.previous = frozenset(_previous_files(target))
        self._made = {""}
        self.removal: Removal | None = None
        """The old tree's deletion, once :meth:`finish` swapped the new tree in."""
        os.mkdir(self.path, DIR_MODE)
        os.chmod(self.path, DIR_MODE)  # the umask may have taken bits away

    def put(self, path: str, planned: Planned) -> Planned:
        """Write ``planned`` at ``path`` in the new tree now; what to plan in the Output.

        Forked render processes call this for their own pages. A path two
        outputs write is written once; the :class:`Output` both are planned in
        then refuses it, naming both, before anything is swapped in.
        """
        reason = unsafe_reason(path)
        if reason:
            raise UnsafeOutputPathError(path, planned.source, reason)
        staged = self._write(path, planned)
        return Planned(planned.source, staged=staged)

    def has(self, path: str) -> bool:
        """Whether the previous tree has a file at ``path``."""
        return path in self.previous

    def keep(self, path: str, source: str) -> Planned | None:
        """Put the previous tree's file at ``path`` in the new tree, unread and unchanged.

        For a file an incremental build knows is the same (:mod:`hub.render.inputs`);
        None when the previous tree has no file there, which must then be made.
        """
        if path not in self.previous:
            return None
        reason = unsafe_reason(path)
        if reason:
            raise UnsafeOutputPathError(path, source, reason)
        folder = path.rpartition("/")[0]
        try:
            if folder not in self._made:
                self._make_folders(folder)
            _reuse(os.path.join(self.target, path), os.path.join(self.path, path))
        except FileExistsError:
            pass  # kept by another output: the Output both are planned in refuses them
        except OSError as err:
            raise self._failed(path, Planned(source), err) from err
        return Planned(source, staged="unchanged")

    def finish(self, output: Output, *, exchange: bool = True) -> PublishReport:
        """Write what ``output`` holds that is not in the new tree yet, and swap it in."""
        if not len(output):
            # An empty site is always a broken build; serving it would hide the whole service.
            raise HubError(
                f"nothing to publish: the build produced no files; {self.shown} is unchanged"
            )
        counts = {"written": 0, "unchanged": 0}
        for path, planned in output.items():
            counts[planned.staged or self._write(path, planned)] += 1
        self._write(MARKER, Planned("the output folder marker", data=MARKER_TEXT))
        removed = len(self.previous - set(output.paths()) - {MARKER})
        with failing_as(self.shown):
            garbage = _swap(self.path, self.target, exchange)
        # Published. The old tree goes in another process (staging() may wait for it).
        self.removal = Removal(garbage) if garbage is not None else None
        return PublishReport(counts["written"], counts["unchanged"], removed, self.shown)

    def _write(self, path: str, planned: Planned) -> Staged:
        folder = path.rpartition("/")[0]
        dst = os.path.join(self.path, path)
        try:
            if folder not in self._made:
                self._make_folders(folder)
            old = os.path.join(self.target, path) if path in self.previous else None
            if old is not None and _same(old, planned):
                _reuse(old, dst)
                return "unchanged"
            _write(planned, dst)
        except FileExistsError:
            pass  # written by another output: the Output both are planned in refuses them
        except OSError as err:
            raise self._failed(path, planned, err) from err
        return "written"

    def _failed(self, path: str, planned: Planned, err: OSError) -> HubError:
        """Writing ``path`` failed: nothing is swapped in, and the message says so."""
        named = os.fsdecode(err.filename) if err.filename is not None else None
        if named is not None and (named.startswith(str(self.path)) or err.errno in _FULL):
            # The file being written, which ``path`` names (a copy that fills the disk
            # names its source, which is not at fault).
            err = OSError(err.errno, err.strerror)
        return HubError(
            f"could not publish {path} (from {planned.source}): {os_reason(err)}; "
            f"{self.shown}/ is unchanged"
        )

    def _make_folders(self, folder: str) -> None:
        parts = folder.split("/")
        for i in range(1, len(parts) + 1):
            relative = "/".join(parts[:i])
            if relative in self._made:
                continue
            path = os.path.join(self.path, relative)
            try:
                os.mkdir(path, DIR_MODE)
                os.chmod(path, DIR_MODE)
            except FileExistsError:
                pass  # made by another render process
            self._made.add(relative)


def _previous_files(target: Path) -> set[str]:
    """Relative POSIX paths of every non-folder in the previous tree."""
    found: set[str] = set()
    if not target.is_dir():
        return found

    def walk(folder: str, prefix: str) -> None:
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, f"{prefix}{entry.name}/")
            else:
                found.add(prefix + entry.name)

    walk(os.fspath(target), "")
    return found


def _same(old: str, planned: Planned) -> bool:
    """Whether the previous file ``old`` holds exactly the planned bytes (size first)."""
    info = os.lstat(old)
    if not stat.S_ISREG(info.st_mode):
        return False
    if planned.data is not None:
        if info.st_size != len(planned.data):
            return False
        with open(old, "rb") as f:
            return f.read(info.st_size + 1) == planned.data
    assert planned.src is not None
    if os.stat(planned.src).st_size != info.st_size:
        return False
    with open(old, "rb") as a, open(planned.src, "rb") as b:
        while True:
            chunk = a.read(_CHUNK)
            if chunk != b.read(_CHUNK):
                return False
            if not chunk:
                return True


def _reuse(old: str, dst: str) -> None:
    """Put the unchanged file ``old`` at ``dst`` without touching its mtime."""
    try:
        os.link(old, dst)
    except OSError:
        shutil.copy2(old, dst)  # no hard links here (or too many): a copy that keeps mtime
    if stat.S_IMODE(os.stat(dst).st_mode) != FILE_MODE:
        os.chmod(dst, FILE_MODE)


def _write(planned: Planned, dst: str) -> None:
    if planned.data is not None:
        with open(dst, "xb") as f:
            f.write(planned.data)
    else:
        assert planned.src is not None
        # copyfile, not copy2: a changed file needs a fresh mtime to be seen as changed.
        shutil.copyfile(planned.src, dst)
    os.chmod(dst, FILE_MODE)


def _swap(stage: Path, target: Path, exchange: bool) -> Path | None:
    """Put the tree at ``stage`` in place of ``target``; the path of the old tree to
    delete (None when there was none)."""
    if not os.path.lexists(target):
        os.rename(stage, target)
        return None
    trash = trash_name(target)
    if exchange and _exchange(stage, target):
        os.rename(stage, trash)  # the old tree, which the exchange left at the temporary name
        return trash
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    os.rename(target, old)
    try:
        os.rename(stage, target)
    except BaseException:
        os.rename(old, target)
        raise
    os.rename(old, trash)
    return trash


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two directories in one step; False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    # Old kernels (ENOSYS) and filesystems without the flag (EINVAL) get the fallback.
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(b))


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    """libc's renameat2, or None off Linux and on C libraries without it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    result: Callable[[int, bytes, int, bytes, int], int] = function
    return result
