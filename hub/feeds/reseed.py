"""Reads the published site's archive (:mod:`hub.feeds.sitearchive`), to re-seed a lost store.

The site is read where the publish gate read its manifest: a folder (the
output folder, or a ``--baseline`` file's) or an http(s) address. Over HTTP
it is read as the manifest is (:class:`hub.feeds.published.SiteReader`: the
fetch stage's rules), each document bounded to :data:`DOCUMENT_BYTES`. A
folder is read only inside itself. In all, at most :data:`MAX_DOCUMENTS`
documents, each archive's pages followed by their ``next_url`` (a page in
the same folder, each read once), a few at a time.

A document that cannot be read is one problem among the others: the rest of
the archive is read all the same, and what was read is handed back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from hub.feeds.bodycap import read_file
from hub.feeds.published import SiteReader
from hub.feeds.result import FetchError
from hub.feeds.sitearchive import INDEX_PATH, ArchiveError, Harvest, Index, read_index, read_page
from hub.model import Site

DOCUMENT_BYTES = 8 * 1024 * 1024
"""Decoded bytes of one document: a page holds a few hundred posts."""
MAX_DOCUMENTS = 5_000
"""Documents read in all, the index included."""
MAX_PAGES = 200
"""Pages of one archive."""
CONCURRENCY = 4
"""Archives read at once (over HTTP, one connection each)."""
PROBLEMS_KEPT = 10
"""Problems described one by one; the others are counted."""


@dataclass(frozen=True)
class Reading:
    """What was read of the published archive at ``where``."""

    where: str
    index: Index | None
    """None when the archive could not be read at all (:attr:`missing` says why)."""
    harvest: Harvest
    documents: int
    """Documents read, the index included."""
    problems: tuple[str, ...] = ()
    """The first documents that could not be read, with why."""
    unread: int = 0
    """Documents that could not be read, in all."""
    missing: str | None = None


def read_archive(where: str, site: Site, sources: Mapping[str, str], *, limit: int) -> Reading:
    """The archive published at ``where`` (a folder, or a URL ending in ``/``).

    ``sources`` maps each registry feed's :func:`~hub.feeds.sitearchive.feed_key`
    to its source: items of other feeds are left out. At most ``limit`` posts
    are kept (:class:`~hub.feeds.sitearchive.Harvest`).
    """
    return asyncio.run(_read_archive(where, site, sources, limit))


async def _read_archive(where: str, site: Site, sources: Mapping[str, str], limit: int) -> Reading:
    web = where.startswith(("http://", "https://"))
    async with _Documents(where, site) if web else _Folder(where) as documents:
        harvest = Harvest(limit)
        try:
            body = await documents.get(INDEX_PATH)
            index = read_index(body) if body is not None else None
        except (OSError, ArchiveError) as exc:
            return Reading(where, None, harvest, documents.count, missing=f"{INDEX_PATH}: {exc}")
        if index is None:
            missing = f"no {INDEX_PATH} there (a site published by an older version of the hub?)"
            return Reading(where, None, harvest, documents.count, missing=missing)
        problems: list[str] = []
        gate = asyncio.Semaphore(CONCURRENCY)

        async def archive(first: str) -> None:
            async with gate:
                await _read_pages(first, documents, sources, harvest, problems)

        await asyncio.gather(*(archive(path) for path in index.archives))
        kept = tuple(problems[:PROBLEMS_KEPT])
        return Reading(where, index, harvest, documents.count, kept, len(problems))


async def _read_pages(
    first: str,
    documents: _Source,
    sources: Mapping[str, str],
    harvest: Harvest,
    problems: list[str],
) -> None:
    """One archive, page after page, until its last or the first that cannot be read."""
    folder = PurePosixPath(first).parent
    path: str | None = first
    seen: set[str] = set()
    while path is not None and path not in seen and len(seen) < MAX_PAGES:
        seen.add(path)
        if documents.count >= MAX_DOCUMENTS or harvest.full:
            problems.append(f"{path}: not read, past {MAX_DOCUMENTS} documents or the posts kept")
            return
        try:
            body = await documents.get(path)
            if body is None:
                problems.append(f"{path}: not found")
                return
            page = read_page(body, sources)
        except (OSError, ArchiveError) as exc:
            problems.append(f"{path}: {exc}")
            return
        harvest.add(page)
        path = None if page.next is None else str(folder / page.next)


class _Source:
    """Documents of the published site, by their path from its root."""

    count = 0
    """Documents asked for so far."""

    async def get(self, path: str) -> bytes | None:
        """The document's bytes; None when there is none; OSError saying why not."""
        raise NotImplementedError

    async def __aenter__(self) -> _Source:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class _Folder(_Source):
    """A published site on this machine: the output folder, or a copy of one."""

    def __init__(self, root: str) -> None:
        self.root = Path(root).resolve()

    async def get(self, path: str) -> bytes | None:
        self.count += 1
        target = (self.root / path).resolve()
        if not target.is_relative_to(self.root):
            raise OSError("outside the published folder")
        if not target.is_file():
            return None
        try:
            return read_file(target, DOCUMENT_BYTES)
        except FetchError as exc:
            raise OSError(str(exc)) from None


class _Documents(_Source):
    """A published site over HTTP (:class:`hub.feeds.published.SiteReader`)."""

    def __init__(self, base: str, site: Site) -> None:
        accept = "application/feed+json, application/json"
        self.reader = SiteReader(base, site, accept=accept, connections=CONCURRENCY)

    async def __aexit__(self, *exc: object) -> None:
        await self.reader.aclose()

    async def get(self, path: str) -> bytes | None:
        self.count += 1
        return await self.reader.get(path, DOCUMENT_BYTES)
