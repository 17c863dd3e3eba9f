"""The files of the pictures (:mod:`hub.render.pictures`): made once, kept in the cache folder.

Each file is kept under the hash of what makes it (``<cache>/images/<hash>.webp``),
so a build looks it up and encodes only what it does not find: an image that
has not changed costs nothing the next time. Each source is decoded once for
all its files, in forked processes when there are several (:mod:`hub.parallel`),
and each file is written whole or not at all. What no picture of the build
names any more (an image no page shows, a size the theme dropped) is deleted.
Without a cache folder (a build in tests), the files are made in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from hub import imaging, parallel
from hub.outputs.files import Output
from hub.problems import HubError, os_reason
from hub.render.pictures import Gallery, Job
from hub.wholefiles import write_whole

CACHE_FOLDER = "images"
"""Where the files made are kept, inside the build's cache folder."""

encoded = 0
"""How many files this process has encoded (the forked ones it waited for included):
what a test reads to see that a cached image is not made again."""


@dataclass
class Made:
    """What :func:`make` did."""

    data: dict[str, bytes] = field(default_factory=dict)
    """Published path -> the file, for a build without a cache folder."""
    failed: dict[Path, str] = field(default_factory=dict)
    """Source -> why it could not be made (where that is not an error)."""
    count: int = 0
    """Files encoded."""
    folder: Path | None = None
    """Where the files made are kept: ``<cache>/images/``."""


def make(
    gallery: Gallery,
    paths: Iterable[str],
    cache: Path | None,
    workers: int = 1,
    *,
    strict: bool = True,
) -> Made:
    """Encode the files at ``paths`` that ``cache`` does not hold yet, each source decoded once.

    The files go into ``<cache>/images/``; without a cache folder they are
    kept in memory. A source that cannot be decoded after all is a HubError
    naming it when ``strict`` (a file of the repository, which the user must
    replace); otherwise it is in :attr:`Made.failed` (a feed's copy: its
    post goes without a picture).
    """
    global encoded
    folder = cache / CACHE_FOLDER if cache is not None else None
    todo: dict[Path, list[tuple[str, Job]]] = {}
    # One listing of the folder, not a look-up per file: a large site has tens of thousands.
    present = set(os.listdir(folder)) if folder is not None and folder.is_dir() else set()
    for path in sorted(set(paths)):
        job = gallery.jobs[path]
        if job.format is not None and _cached(job) not in present:
            todo.setdefault(job.source, []).append((path, job))
    groups = list(todo.values())
    done = Made(folder=folder)
    results = parallel.run(partial(_make, folder=folder), groups, workers)
    for group, result in zip(groups, results, strict=True):
        source = group[0][1].source
        if isinstance(result, str):
            if strict:
                raise HubError(f"cannot publish the image {source}: {result}")
            done.failed[source] = result
            continue
        for (path, _), data in zip(group, result, strict=True):
            done.count += 1
            if data is not None:
                done.data[path] = data
    encoded += done.count
    return done


def publish(output: Output, gallery: Gallery, paths: Iterable[str], made: Made) -> None:
    """Add the files at ``paths`` to ``output``: made by :func:`make`, or as they are (SVG)."""
    for path in sorted(set(paths)):
        job = gallery.jobs[path]
        if job.format is None:
            output.add_file(path, job.source, source=f"image {job.source.name}")
        elif path in made.data:
            output.add(path, made.data[path], source=_made_from(job))
        elif made.folder is not None and job.source not in made.failed:
            output.add_file(path, made.folder / _cached(job), source=_made_from(job))


def prune(cache: Path | None, galleries: Iterable[Gallery]) -> int:
    """Delete the files in the cache that none of ``galleries`` names: images no page
    shows any more, or sizes the theme no longer has. Returns how many."""
    folder = cache / CACHE_FOLDER if cache is not None else None
    if folder is None or not folder.is_dir():
        return 0
    keep = {_cached(job) for gallery in galleries for job in gallery.jobs.values()}
    gone = [file for file in folder.iterdir() if file.name not in keep]
    for file in gone:
        file.unlink(missing_ok=True)
    return len(gone)


def _cached(job: Job) -> str:
    return f"{job.key}.{job.extension}"


def _made_from(job: Job) -> str:
    return f"image {job.source.name} at {job.width}x{job.height} ({job.format})"


def _make(group: list[tuple[str, Job]], folder: Path | None) -> list[bytes | None] | str:
    """The files of one source, decoded once: written into ``folder``, or returned;
    why not, when the source cannot be decoded."""
    source = group[0][1].source
    largest = max(job.width for _, job in group), max(job.height for _, job in group)
    try:
        image, _ = imaging.decode(source.read_bytes(), imaging.REPOSITORY, lambda _: largest)
    except OSError as error:
        return f"cannot read it: {os_reason(error)}"
    except imaging.ImageRefused as refusal:
        return f"it is {refusal}"
    made: list[bytes | None] = []
    for _, job in group:
        assert job.format is not None
        data = imaging.encode(imaging.resized(image, job.width, job.height, job.fit), job.format)
        if folder is None:
            made.append(data)
        else:
            _write(folder / _cached(job), data)
            made.append(None)
    return made


def _write(path: Path, data: bytes) -> None:
    # 0644 as any published file, not the temporary's 0600.
    write_whole(path, data, mode=0o644)
