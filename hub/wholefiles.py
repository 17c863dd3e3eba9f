"""Files written whole or not at all, and read only when they are files.

The data goes into a temporary file beside the target, which is then renamed
over it: a process stopped half way leaves no half file under a good name
(the cache's image copies and encoded sizes are looked up by name alone, and
a report or a workflow file is read whole by whoever opens it next).

:func:`read` is how a file a user names is read (the registry, content
files, a local feed, a photo): a named pipe or a device there would block a
read for ever, or never end one, so only a regular file is read, and never
more than the caller can use.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path


def write_whole(path: Path, data: bytes, *, mode: int | None = None, sync: bool = False) -> None:
    """Write ``data`` at ``path``, its folder made if need be. ``mode``: the file's
    permissions (by default those of any new file, by the umask); ``sync``: on the
    disk before it is named."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "xb") as out:
            out.write(data)
            if mode is not None:
                os.fchmod(out.fileno(), mode)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit + 1`` of them (so that
    the caller sees it is too large); OSError for anything that is not a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read() if limit is None else handle.read(limit + 1)
    finally:
        os.close(fd)
