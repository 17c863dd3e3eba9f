"""Feed images told by their bytes: JPEG, PNG, GIF and WebP, and nothing else.

The images are made here, byte by byte, by tiny encoders that real decoders
accept (a browser draws each one at the size its header gives);
tests/store/test_media.py uses them too.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.feeds.images import ImageRefused, identify
from hub.model import FetchSettings

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
AGENT = "police-social-hub/test (+https://hub.test.example)"
LOCAL = FetchSettings(allow_private_addresses=True, connect_timeout=2, read_timeout=2)
FEED = "feeds/comms.xml"


# Images, made by hand


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def gif(width: int, height: int) -> bytes:
    # 2-bit LZW with a clear code before every pixel, so every code stays 3 bits wide.
    codes = [4, 1] * (width * height) + [5]
    packed = sum(code << (3 * index) for index, code in enumerate(codes))
    data = packed.to_bytes(-(-3 * len(codes) // 8), "little")
    blocks = b"".join(
        bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255)
    )
    palette = b"\x00\x00\x00\xff\x00\x00\x00\xff\x00\x00\x00\xff"
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", width, height, 0xF1, 0, 0)
        + palette
        + b","
        + struct.pack("<HHHHB", 0, 0, width, height, 0)
        + b"\x02"
        + blocks
        + b"\x00;"
    )


def jpeg(width: int, height: int) -> bytes:
    """A grey baseline JPEG: each 8x8 block is two one-bit codes (no change, end of block)."""

    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data

    blocks = -(-width // 8) * -(-height // 8)
    bits = 2 * blocks
    scan = b"\x00" * (bits // 8) + (bytes([(1 << (8 - bits % 8)) - 1]) if bits % 8 else b"")
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00\x01" + b"\x00" * 16)
        + segment(0xC4, b"\x10\x01" + b"\x00" * 16)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + scan
        + b"\xff\xd9"
    )


def webp(width: int, height: int, *, extended: bool = False) -> bytes:
    """A one-colour lossless WebP: five one-symbol prefix codes, so pixels take no bits."""
    fields = [(0x2F, 8), (width - 1, 14), (height - 1, 14), (0, 1), (0, 3), (0, 1), (0, 1), (0, 1)]
    for value in (0x40, 0x80, 0x20, 0xFF, 0):
        fields += [(1, 1), (0, 1), (1, 1), (value, 8)]
    packed = shift = 0
    for value, size in fields:
        packed |= value << shift
        shift += size
    data = packed.to_bytes(-(-shift // 8), "little")
    chunks = b"VP8L" + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)
    if extended:
        canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        chunks = b"VP8X" + struct.pack("<I", 10) + b"\x00" * 4 + canvas + chunks
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WEBP" + chunks


LOSSY_WEBP = bytes.fromhex(
    "52494646220000005745425056503820160000003001009d012a010001000ec0fe25a400037000000000"
)
"""A 1x1 lossy (VP8) WebP."""

SVG = (
    b"<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'><script>alert(1)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body>Not found</body></html>"


# Telling an image by its bytes


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (png(37, 21), ("png", 37, 21)),
        (gif(37, 21), ("gif", 37, 21)),
        (jpeg(37, 21), ("jpg", 37, 21)),
        (webp(37, 21), ("webp", 37, 21)),
        (webp(37, 21, extended=True), ("webp", 37, 21)),
        (LOSSY_WEBP, ("webp", 1, 1)),
        (png(10_000, 1), ("png", 10_000, 1)),
    ],
    ids=["png", "gif", "jpeg", "webp-lossless", "webp-extended", "webp-lossy", "png-widest"],
)
def test_identify_reads_the_size_from_the_header(
    body: bytes, expected: tuple[str, int, int]
) -> None:
    info = identify(body)
    assert (info.extension, info.width, info.height) == expected


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; the pixels never come."""
    whole = png(1, 1)
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return whole[:12] + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + whole[33:]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (SVG, "SVG"),
        (b"<?xml version='1.0'?>\n" + SVG, "SVG"),
        (HTML, "HTML page"),
        (b"", "empty body"),
        (b"GIF88a" + b"\x00" * 20, "unrecognized"),
        (png(8, 8)[:40], "PNG image cut short"),
        (png(8, 8)[:20], "PNG image cut short"),
        (png(8, 8)[:19] + b"\x09" + png(8, 8)[20:], "PNG image cut short or damaged"),
        (gif(8, 8)[:30], "GIF image cut short"),
        (jpeg(64, 64)[:-20], "JPEG image cut short"),
        (jpeg(64, 64)[:150], "JPEG image cut short"),
        (b"\xff\xd8\xff\xd9", "JPEG image cut short"),
        (webp(8, 8)[:-4], "WebP image cut short"),
        (_png_header_only(10_001, 10), "10001 x 10 pixels"),
        (_png_header_only(10, 0), "10 x 0 pixels"),
    ],
)
def test_identify_refuses_anything_else(body: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused, match=reason):
        identify(body)


# Downloading
