"""Which feed images the site keeps a copy of, and the record of those copies.

No page loads anything from another host, so a post shows its picture only
when a copy of it is in the cache; otherwise the post goes without. After the
feeds are stored, :func:`refresh` decides which images to copy and records
each one; :mod:`hub.feeds.images` downloads and checks them.

- Which: the first media item of each live entry that can appear on a page
  (the newest ``HOME_PAGES * PAGE_SIZE`` posts, and each feed's newest
  ``RECENT``), when the feed calls it an image or does not say; newest first.
- Where: ``<cache>/media/<sha256 of the bytes>.<ext>``, written atomically.
  The name changes with the content, so the published copy is cached for ever.
- How often: each URL is downloaded once. One that failed is left alone for a
  day (``hub.store.database.MEDIA_RETRY``), and at most ``limit`` are asked for
  per run. Copies no page can show any more are forgotten and deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hub.feeds import images
from hub.model import HOME_PAGES, PAGE_SIZE, RECENT, Entry, FetchSettings, Thumbnails
from hub.store.database import Store

CACHE_FOLDER = "media"
"""Where the copies live inside the cache folder."""


@dataclass(frozen=True)
class ThumbReport:
    """What one refresh did."""

    saved: int = 0
    failed: tuple[tuple[str, str], ...] = ()
    """(URL, why) for each image that could not be saved this run."""
    waiting: int = 0
    """Images still to download, over this run's limit: the next run takes them."""
    deleted: int = 0
    """Copies no page can show any more, deleted from the cache."""


def stored(store: Store, cache: Path) -> Thumbnails:
    """The copies saved so far, for a build to publish."""
    return Thumbnails(cache / CACHE_FOLDER, store.media_map())


def refresh(
    store: Store,
    settings: FetchSettings,
    *,
    user_agent: str,
    cache: Path,
    now: datetime,
    limit: int = 200,
) -> ThumbReport:
    """Download the images of the newest posts that have no copy yet, at most ``limit``."""
    folder = cache / CACHE_FOLDER
    urls = wanted(store.entries(now=now))
    saved = store.media_map()
    lost = {url for url in urls if url in saved and not (folder / saved[url].file).is_file()}
    due = set(store.media_due(urls, now)) | lost
    queue = [url for url in urls if url in due]
    batch = queue[: max(limit, 0)]
    count = 0
    failed: list[tuple[str, str]] = []
    for url, copy in images.download(batch, settings, user_agent=user_agent, folder=folder):
        if isinstance(copy, images.ImageRefused):
            failed.append((url, str(copy)))
            store.record_media(url, now=now, error=str(copy))
        else:
            count += 1
            store.record_media(url, now=now, saved=copy)
    deleted = store.forget_media(urls)
    for file in deleted:
        (folder / file).unlink(missing_ok=True)
    return ThumbReport(count, tuple(failed), len(queue) - len(batch), len(deleted))


def wanted(entries: Sequence[Entry]) -> list[str]:
    """The image URLs a page could show, newest first; ``entries`` newest first."""
    shown_per_feed: dict[str, int] = {}
    found: dict[str, None] = {}
    for index, entry in enumerate(entries):
        rank = shown_per_feed.get(entry.feed, 0)
        shown_per_feed[entry.feed] = rank + 1
        if index >= HOME_PAGES * PAGE_SIZE and rank >= RECENT:
            continue
        if entry.media and _may_be_image(entry.media[0].type):
            found.setdefault(entry.media[0].url, None)
    return list(found)


def _may_be_image(mime: str | None) -> bool:
    return mime is None or mime.lower().startswith("image/")
