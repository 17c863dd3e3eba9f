"""Files written whole or not at all.

The data goes into a temporary file beside the target, which is then renamed
over it: a process stopped half way leaves no half file under a good name
(the cache's image copies and encoded sizes are looked up by name alone, and
a report or a workflow file is read whole by whoever opens it next).
"""

from __future__ import annotations

import os
import secrets
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
