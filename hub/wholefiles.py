"""Files written whole or not at all.

The data goes into a temporary file beside the target, which is then renamed
over it: a process stopped half way leaves no half file under a good name
(the cache's image copies and encoded sizes are looked up by name alone).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_whole(path: Path, data: bytes, *, mode: int | None = None, sync: bool = False) -> None:
    """Write ``data`` at ``path``, its folder made if need be. ``mode``: the file's
    permissions (a temporary file's are 0600); ``sync``: on the disk before it is named."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as temp:
        try:
            temp.write(data)
            if mode is not None:
                os.fchmod(temp.fileno(), mode)
            if sync:
                temp.flush()
                os.fsync(temp.fileno())
        except BaseException:
            temp.close()
            os.unlink(temp.name)
            raise
    os.replace(temp.name, path)
