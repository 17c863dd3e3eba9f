"""Feed images downloaded and checked, for the site to publish its own copies.

:mod:`hub.store.media` decides which images to copy; this module fetches and
checks them:

- How: through :func:`hub.feeds.fetch.fetch_all`, so every rule for talking to
  strangers' servers applies unchanged (http and https only, the address
  vetted on every hop, timeouts, per-host limits, Retry-After), with the body
  capped at 1 MiB.
- What is kept: JPEG, PNG, GIF and WebP, told by their bytes and never by the
  Content-Type; never SVG (it can carry script) nor anything else. The pixel
  size is read from the header, so a page can reserve the space before the
  image arrives; an image cut short, or over 10,000 pixels a side, is refused.
- Where: ``<folder>/<sha256 of the bytes>.<ext>``, written atomically.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from hub.feeds.fetch import fetch_all
from hub.feeds.result import FetchResult
from hub.model import FeedRef, FetchSettings, MediaFile

MAX_IMAGE_BYTES = 1024 * 1024
"""Largest feed image downloaded; a photo fit for a post card is far smaller."""
MAX_SIDE = 10_000
"""Widest or tallest image accepted, in pixels."""


@dataclass(frozen=True)
class ImageInfo:
    """What an image's bytes say it is."""

    extension: str
    width: int
    height: int


class ImageRefused(Exception):
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
    info = identify(result.body)
    name = f"{hashlib.sha256(result.body).hexdigest()}.{info.extension}"
    try:
        _write(folder / name, result.body)
    except OSError as error:
        raise ImageRefused(f"cannot write {folder / name}: {error.strerror or error}") from None
    return MediaFile(name, info.width, info.height)


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` whole or not at all; the same name means the same bytes."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as temp:
        try:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        except BaseException:
            temp.close()
            os.unlink(temp.name)
            raise
    os.replace(temp.name, path)


# Telling an image by its bytes


def identify(body: bytes) -> ImageInfo:
    """The format and pixel size of a JPEG, PNG, GIF or WebP image; ImageRefused otherwise."""
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        info = ImageInfo("png", *_png_size(body))
    elif body[:6] in (b"GIF87a", b"GIF89a"):
        info = ImageInfo("gif", *_gif_size(body))
    elif body.startswith(b"\xff\xd8\xff"):
        info = ImageInfo("jpg", *_jpeg_size(body))
    elif body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        info = ImageInfo("webp", *_webp_size(body))
    else:
        raise ImageRefused(f"refused: {_what(body)}, not a JPEG, PNG, GIF or WebP image")
    if not (0 < info.width <= MAX_SIDE and 0 < info.height <= MAX_SIDE):
        raise ImageRefused(
            f"refused: {info.width} x {info.height} pixels; "
            f"images are 1 to {MAX_SIDE:,} pixels a side"
        )
    return info


def _what(body: bytes) -> str:
    """What a body that is not an image we publish seems to be, for the message."""
    if not body.strip():
        return "an empty body"
    head = body[:2048].lower()
    if b"<svg" in head:
        return "an SVG image (which can carry script)"
    if b"<html" in head or b"<!doctype html" in head:
        return "an HTML page"
    return "unrecognized content"


def _cut_short(kind: str) -> ImageRefused:
    return ImageRefused(f"refused: a {kind} image cut short or damaged")


_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _png_size(body: bytes) -> tuple[int, int]:
    # The IHDR chunk comes first, its CRC showing the size is not garbled; IEND comes last.
    if len(body) < 33 or body[8:16] != b"\x00\x00\x00\rIHDR":
        raise _cut_short("PNG")
    (crc,) = struct.unpack(">I", body[29:33])
    if zlib.crc32(body[12:29]) != crc or body.rfind(_PNG_END) < 33:
        raise _cut_short("PNG")
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def _gif_size(body: bytes) -> tuple[int, int]:
    # The logical screen is the canvas every frame is drawn on; 0x3B ends the file.
    if len(body) < 14 or not body.rstrip(b"\x00").endswith(b";"):
        raise _cut_short("GIF")
    width, height = struct.unpack("<HH", body[6:10])
    return width, height


_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (baseline, progressive, lossless...); the rest of C0-CF are not."""
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
"""Markers with no length field."""


def _jpeg_size(body: bytes) -> tuple[int, int]:
    """The size in the first start-of-frame segment, found by walking the segments."""
    at = 2
    while at + 4 <= len(body):
        if body[at] != 0xFF:
            break
        marker = body[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _STANDALONE:
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or a scan, before any frame header
            break
        (length,) = struct.unpack(">H", body[at + 2 : at + 4])
        if marker in _SOF and length >= 7 and at + 9 <= len(body):
            height, width = struct.unpack(">HH", body[at + 5 : at + 9])
            # Entropy-coded data never holds FF D9, so an end marker past the
            # frame header means the file was not cut short.
            if body.rfind(b"\xff\xd9") < at:
                break
            return width, height
        if length < 2:
            break
        at += 2 + length
    raise _cut_short("JPEG")


def _webp_size(body: bytes) -> tuple[int, int]:
    # RIFF gives the file's length, so one cut short shows; the first chunk has the size.
    (riff_size,) = struct.unpack("<I", body[4:8])
    chunk, data = body[12:16], body[20:30]
    if len(body) < 8 + riff_size:
        raise _cut_short("WebP")
    if chunk == b"VP8 " and len(data) == 10 and data[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 5 and data[0] == 0x2F:
        (bits,) = struct.unpack("<I", data[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) == 10:
        width = int.from_bytes(data[4:7], "little") + 1
        height = int.from_bytes(data[7:10], "little") + 1
        return width, height
    raise _cut_short("WebP")
