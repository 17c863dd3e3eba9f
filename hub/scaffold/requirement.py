"""Where a new site's workflows install the hub from: the line of its ``requirements.txt``.

The hub is not on a package index, so ``police-social-hub==0.1.0`` alone is
not something a workflow can install. ``hub init`` writes where the hub that
runs it came from, as pip recorded it when installing it
(``direct_url.json``, PEP 610):

- from a git repository (``pip install git+https://...``): that repository at
  the commit installed, ``police-social-hub @ git+https://...@<commit>``;
- from a clone on this machine (``pip install ./police-social-hub``): the
  clone's ``origin`` at the clone's current commit, when ``origin`` is an
  address another machine can fetch (``https://``, or a forge's SSH address,
  ``git@github.com:org/repo.git``, written as ``https://``);
- with no record (installed from a package index): the version,
  ``police-social-hub==0.1.0``.

A commit rather than a branch or a tag: the site installs exactly what it was
made and tested with until someone changes the line, and pip keeps the wheel
it builds from a commit in its cache. Anything else (a wheel file, a folder
that is not a clone or whose ``origin`` is a path) cannot be named: ``hub
init`` then writes the version, and says to give ``--requirement``.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

PROJECT = "police-social-hub"
EXAMPLE = f"{PROJECT} @ git+https://github.com/ORG/{PROJECT}@v0.1.0"
"""What ``--requirement`` takes, for messages."""
_NAMED = re.compile(r"police[-_.]social[-_.]hub(?=$|[\s@=<>~!\[;(])", re.IGNORECASE)
_SSH = re.compile(r"[\w.-]+@([\w.-]+):(.+)")
_COMMIT = re.compile(r"[0-9a-f]{40}")


def pinned(version: str) -> str:
    return f"{PROJECT}=={version}"


def problem(spec: str) -> str | None:
    """Why ``spec`` cannot be the line that installs the hub; None if it can."""
    if not spec.strip() or "\n" in spec or "\r" in spec:
        return f"one line that installs the hub, such as {EXAMPLE}"
    if not _NAMED.match(spec.strip()):
        return f'"{spec}" does not name {PROJECT}: write it as {EXAMPLE}'
    return None


def installed(version: str) -> str | None:
    """The line that installs the hub running this, as pip installed it; None if unknown."""
    try:
        record = metadata.distribution(PROJECT).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if record is None:
        return pinned(version)
    try:
        data = json.loads(record)
    except ValueError:
        return None
    return from_record(data) if isinstance(data, dict) else None


def from_record(data: Mapping[str, Any]) -> str | None:
    """The line for a ``direct_url.json``'s contents; None when it names nothing fetchable."""
    url = data.get("url")
    if not isinstance(url, str):
        return None
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        commit = vcs.get("commit_id")
        # As for a clone's origin: https, without a user name or password.
        fetchable = fetchable_url(url)
        if fetchable is not None and isinstance(commit, str) and _COMMIT.fullmatch(commit):
            return f"{PROJECT} @ git+{fetchable}@{commit}"
        return None
    if "dir_info" in data and url.startswith("file://"):
        return _from_clone(Path(unquote(urlsplit(url).path)))
    return None


def _from_clone(folder: Path) -> str | None:
    """The clone in ``folder`` as its ``origin`` at its current commit."""
    origin = _git(folder, "remote", "get-url", "origin")
    commit = _git(folder, "rev-parse", "HEAD")
    fetchable = fetchable_url(origin) if origin else None
    if fetchable is None or commit is None or not _COMMIT.fullmatch(commit):
        return None
    return f"{PROJECT} @ git+{fetchable}@{commit}"


def fetchable_url(remote: str) -> str | None:
    """``remote`` as an https address a CI machine can fetch; None for a path or other scheme.

    Never with a user name or password: a clone made with a token in its address
    must not put the token in a file that is committed."""
    if remote.startswith("https://"):
        return without_credentials(remote)
    if remote.startswith("ssh://"):
        parts = urlsplit(remote)
        path = parts.path.lstrip("/")
        return f"https://{parts.hostname}/{path}" if parts.hostname and path else None
    found = _SSH.fullmatch(remote)
    if found is not None and "://" not in remote:
        return f"https://{found.group(1)}/{found.group(2)}"
    return None


def without_credentials(url: str) -> str:
    """``url`` without the user name and password it may carry."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return parts._replace(netloc=netloc).geturl()


def _git(folder: Path, *args: str) -> str | None:
    if not folder.is_dir():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            encoding="utf-8",
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None
