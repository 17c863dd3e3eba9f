"""Feed images downloaded, checked and re-encoded, for the site to publish its own copies.

:mod:`hub.store.media` decides which images to copy; this module fetches and
checks them:

- How: through :func:`hub.feeds.fetch.fetch_all`, so every rule for talking to
  strangers' servers applies unchanged (http and https only, the address
  vetted on every hop, timeouts, per-host limits, Retry-After), with the body
  capped at 1 MiB.
- What is kept: JPEG, PNG, GIF and WebP, told by their bytes and never by the
  Content-Type; never SVG (it can carry script) nor anything else. An image
  cut short, over 10,000 pixels a side or over 40 megapixels (read from the
  header, before any pixel is decoded: :mod:`hub.imaging`) is refused.
- What is saved: never the bytes downloaded, but a copy re-encoded from the
  pixels (:mod:`hub.imaging`): the first frame of an animation, upright, at
  most :data:`KEPT_SIDE` pixels a side, as JPEG (PNG for an image that is
  transparent or was PNG or GIF), with no EXIF, GPS position, XMP or
  comment left. Its size in pixels is recorded, so a page can reserve the
  space before the image arrives.
- Where: ``<folder>/<sha256 of the copy>.<ext>``, written atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from hub import imaging
from hub.feeds.fetch import fetch_all
from hub.feeds.result import FetchResult
from hub.model import FeedRef, FetchSettings, MediaFile
from hub.wholefiles import write_whole

MAX_IMAGE_BYTES = 1024 * 1024
"""Largest feed image downloaded; a photo fit for a post card is far smaller."""
MAX_SIDE = 10_000
"""Widest or tallest image accepted, in pixels."""
KEPT_SIDE = 2560
"""Widest or tallest copy kept, in pixels: more than any page shows, at twice its size."""
KEPT_QUALITY = 90
"""The JPEG quality of the copy kept, from which the published sizes are made."""
LIMITS = imaging.Limits(bytes=MAX_IMAGE_BYTES, side=MAX_SIDE)


@dataclass(frozen=True)
class ImageInfo:
    """What an image's bytes say it is."""

    extension: str
    width: int
    height: int


ImageRefused = imaging.ImageRefused
"""The bytes are not an image we publish; the message says what they are."""


IMAGE_SECONDS = 10.0
"""Longest one image may take to download."""


def download(
    urls: Sequence[str], settings: FetchSettings, *, user_agent: str, folder: Path
) -> list[tuple[str, MediaFile | ImageRefused]]:
    """Fetch each image into ``folder``: its saved copy, or why it was refused."""
    if not urls:
        return []
    # An image is a nicety: a slow image host must not hold a scheduled run for long.
    capped = replace(
        settings,
        max_bytes=MAX_IMAGE_BYTES,
        total_timeout=min(settings.total_timeout, IMAGE_SECONDS),
        read_timeout=min(settings.read_timeout, IMAGE_SECONDS),
    )
    requests = [FeedRef(source=url, url=url) for url in urls]
    kept: list[tuple[str, MediaFile | ImageRefused]] = []
    for result in fetch_all(requests, capped, user_agent=user_agent):
        try:
            kept.append((result.source, _keep(result, folder)))
        except ImageRefused as refusal:
            kept.append((result.source, refusal))
    return kept


def _keep(result: FetchResult, folder: Path) -> MediaFile:
    """Save the image a fetch returned; ImageRefused says why not."""
    if result.outcome == "gone":
        raise ImageRefused("gone (HTTP 410)")
    if result.outcome != "ok" or result.body is None:
        raise ImageRefused(result.error or "no image returned")
    data, info = clean_copy(result.body)
    name = f"{hashlib.sha256(data).hexdigest()}.{info.extension}"
    try:
        _write(folder / name, data)
    except OSError as error:
        raise ImageRefused(f"cannot write {folder / name}: {error.strerror or error}") from None
    return MediaFile(name, info.width, info.height)


def clean_copy(body: bytes) -> tuple[bytes, ImageInfo]:
    """The copy of a feed image the site keeps: re-encoded, with no metadata; ImageRefused if none.

    An animated GIF or WebP gives its first frame, as a still: a feed is not
    at fault for posting one.
    """
    try:
        image, facts = imaging.decode(body, LIMITS, _kept_size)
    except imaging.ImageRefused as refusal:
        raise ImageRefused(f"refused: {refusal}") from None
    width, height = _kept_size(facts)
    image = imaging.resized(image, width, height, "contain")
    opaque_photo = facts.kind in ("jpg", "webp") and image.mode == "RGB"
    fmt: imaging.Format = "jpeg" if opaque_photo else "png"
    data = imaging.encode(image, fmt, quality=KEPT_QUALITY)
    return data, ImageInfo(imaging.EXTENSION[fmt], width, height)


def _kept_size(facts: imaging.Facts) -> tuple[int, int]:
    """The size of the copy kept: the image's, or less to fit :data:`KEPT_SIDE`."""
    return imaging.display(facts.width, facts.height, (KEPT_SIDE, KEPT_SIDE), "contain")


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` whole or not at all; the same name means the same bytes."""
    if not path.is_file():
        write_whole(path, data, sync=True)


# Telling an image by its bytes


def identify(body: bytes) -> ImageInfo:
    """The format and upright pixel size of a JPEG, PNG, GIF or WebP image; else ImageRefused.

    Read from the header, with Pillow's checks of the file (:mod:`hub.imaging`);
    no pixel is decoded.
    """
    try:
        facts = imaging.inspect(body, LIMITS)
    except imaging.ImageRefused as refusal:
        raise ImageRefused(f"refused: {refusal}") from None
    return ImageInfo(facts.kind, facts.width, facts.height)
