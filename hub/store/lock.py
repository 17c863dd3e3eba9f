"""One run at a time per cache folder: an exclusive lock held for the whole run.

``hub fetch`` and ``hub build`` hold an ``flock`` on ``<cache>/lock`` from
start to end, so two runs on one cache (two CI jobs that overlap, a build
started while ``hub serve`` rebuilds) never both write the store, the
feed images or the run report. The second run waits for the first, up to a
bounded time, then gives up with an error naming the first run's process.

The lock belongs to the open file, so the system releases it when the
process ends, however it ends: a killed run never leaves a stale lock. The
file itself stays, holding the last holder's process id, for the message.
Where the system has no ``flock`` (Windows) or the filesystem refuses locks
(some network filesystems), runs are not serialized, as before.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from hub.problems import HubError, os_reason

if sys.platform != "win32":
    import fcntl

LOCK_NAME = "lock"
"""The lock file's name inside the cache folder."""
WAIT_VARIABLE = "HUB_LOCK_WAIT"
"""The environment variable that sets how many seconds a run waits for another."""
DEFAULT_WAIT = 300.0
POLL_SECONDS = 0.1
_UNSUPPORTED = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)


class CacheBusy(HubError):
    """Another run held the cache folder for longer than this one would wait."""


def wait_from_environment() -> float:
    """Seconds to wait for another run, from ``HUB_LOCK_WAIT`` (default 300)."""
    raw = os.environ.get(WAIT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_WAIT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise HubError(f"{WAIT_VARIABLE} must be a number of seconds, 0 or more; got {raw!r}")
    return seconds


@contextmanager
def holding(
    cache: Path, *, wait: float, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the cache folder's lock for the block, waiting up to ``wait`` seconds for it.

    ``on_wait`` is told once, in a sentence, when another run holds it.
    Raises :class:`CacheBusy` when the other run has not finished in time,
    and a :class:`HubError` when the cache folder cannot be made or written.
    """
    shown = f"{cache}/"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd = os.open(cache / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise HubError(f"cannot use {cache} as the cache folder: {os_reason(exc)}") from exc
    try:
        if not _take(fd):
            holder = _holder(fd)
            if on_wait is not None:
                on_wait(
                    f"another hub run is using {shown}{holder}; waiting for it to finish "
                    f"(up to {wait:g} s, set by {WAIT_VARIABLE})"
                )
            deadline = time.monotonic() + wait
            while not _take(fd):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CacheBusy(
                        f"another hub run is using {shown}{_holder(fd) or holder}, and did not "
                        f"finish within {wait:g} s ({WAIT_VARIABLE}); let it finish or stop it, "
                        "then run again"
                    )
                time.sleep(min(POLL_SECONDS, left))
        _say_holder(fd)
        yield
    finally:
        os.close(fd)  # releases the lock


def _take(fd: int) -> bool:
    """Take the lock if it is free; True also where locks do not exist."""
    if sys.platform == "win32":
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            return True
        raise
    return True


def _holder(fd: int) -> str:
    """`` (pid N)`` of the run holding the lock, as it wrote it; empty if unknown."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


def _say_holder(fd: int) -> None:
    """Write this process's id into the lock file, for a run that finds it taken."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    except OSError:
        pass  # the message loses the pid; the lock still holds
