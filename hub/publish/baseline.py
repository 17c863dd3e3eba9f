"""Where the publish gate's baseline comes from: the manifest of the published site.

The manifest in the output folder, else the one on the deployed site
(``{site.url}/hub-manifest.json``), so the comparison survives a CI runner
that starts with no output folder and no store. A baseline that cannot be
read means no comparison: the build publishes, and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hub import wholefiles
from hub.model import Site
from hub.publish import gate
from hub.publish.gate import Manifest

Download = Callable[[str], "bytes | None"]
"""Reads a URL of the deployed site: its bytes, None when nothing is there, or
an OSError saying why not (:func:`hub.feeds.published.download`)."""


@dataclass(frozen=True)
class Baseline:
    """The published site's manifest, if one was found, and where."""

    manifest: Manifest | None = None
    source: str | None = None
    problems: tuple[str, ...] = ()
    """Manifests that were there but could not be read: worth a warning."""


def read_baseline(
    out: Path,
    site_settings: Site,
    *,
    override: str | None = None,
    remote: bool = True,
    download: Download | None = None,
) -> Baseline:
    """The published site's manifest: ``override``, else the output folder's, else the web's.

    ``remote=False`` never asks the deployed site (an offline build); a URL is
    read with ``download``, and without one it counts as unreadable.
    """
    if override:
        candidates = [override]
    else:
        candidates = [str(out / gate.MANIFEST_NAME)]
        if remote:
            candidates.append(f"{site_settings.url.rstrip('/')}/{gate.MANIFEST_NAME}")
    problems: list[str] = []
    for where in candidates:
        try:
            data = _read(where, download)
            if data is None:
                continue
            return Baseline(Manifest.from_json(data), where, tuple(problems))
        except (ValueError, OSError) as exc:
            problems.append(f"{where}: {_why(exc)}")
    return Baseline(None, None, tuple(problems))


def _read(where: str, download: Download | None) -> bytes | None:
    """The bytes at a path or URL; None when nothing was published there yet."""
    if where.startswith(("http://", "https://")):
        if download is None:
            raise OSError("no way to read a URL here")
        return download(where)
    path = Path(where)
    if not path.is_file():
        return None
    return wholefiles.read(path)


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
