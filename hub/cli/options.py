"""What every command is given, and the exit codes it may end with.

Exit codes: 0 success (published, perhaps with warnings), 1 invalid input or a
failed build, 2 usage error, 3 built but not published: the publish gate found
the new site much smaller than the published one (:mod:`hub.publish.gate`),
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hub.publish.gate import EXIT_REFUSED

__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "Options"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as shells report a command stopped by Ctrl-C."""
MACHINE_ERRORS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM}
)
"""System errors that are the machine's state, never a bug: one line, exit 1, anywhere."""


@dataclass(frozen=True)
class Options:
    sources: Path
    out: Path
    cache: Path
    offline: bool
    strict: bool
    port: int = 8000
    force: bool = False
    """Publish even when the publish gate refuses."""
    full: bool = False
    """``hub build --full``: render every file, not only those whose inputs changed."""
    baseline: str | None = None
    """The published manifest to compare with (a path or URL), instead of finding it."""
    output_format: str = "text"
    """``hub tokens``: ``text`` (a line per account) or ``json``; ``hub audit``: also ``csv``;
    ``hub check``: also ``sarif``."""
    url: str | None = None
    """``hub hide``: the address of the post taken down."""
    reason: str = ""
    """``hub hide``: why, for the record."""
    day: date | None = None
    """``hub hide``: the day written beside it (default: today, in the site's time zone)."""
    without_secrets: bool = False
    """``hub check``: the run has no secrets (a pull-request check): token variables
    count as set, so none is reported unset."""
    since: date | None = None
    """``hub audit``: the first day of events listed (the site's time zone)."""
    until: date | None = None
    """``hub audit``: the last day of events listed, included."""
    account: str | None = None
    """``hub audit``: only this account's events, as ``platform:handle``."""
    only: str | None = None
    """``hub fetch``: only this account's feed (``platform:handle``), or a unit's or an
    officer's feeds (its id)."""
    bind: str = "127.0.0.1"
    """``hub serve``: the address it listens on."""
    feed: str | None = None
    """``hub feed``: the feed's URL, or a file."""
    platform: str | None = None
    """``hub feed``: read a document that is no feed as this platform's answer."""
    entries: int = 5
    """``hub feed``: how many of the newest entries are shown."""
