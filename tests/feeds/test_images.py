"""Feed images told by their bytes: JPEG, PNG, GIF and WebP, and nothing else;
the copy kept is re-encoded from the pixels, with no metadata.

The images are made here, byte by byte, by tiny encoders that real decoders
accept (a browser draws each one at the size its header gives), or with
Pillow where a test needs what a camera writes (EXIF, a GPS position, an
orientation, a colour profile) or an animation; tests/store/test_media.py
uses them too.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from hub.feeds.images import KEPT_SIDE, ImageRefused, clean_copy, identify
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
        (b"", "an empty file"),
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
        # Pillow finds no image at all in a header that says zero rows.
        (_png_header_only(10, 0), "PNG image cut short or damaged"),
        (_png_header_only(9_000, 9_000), "81 megapixels; the limit is 40 megapixels"),
        (b"%PDF-1.7\n" + b"\x00" * 40, "a PDF document"),
    ],
)
def test_identify_refuses_anything_else(body: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused, match=reason):
        identify(body)
    with pytest.raises(ImageRefused, match=reason):
        clean_copy(body)


# Images as cameras and phones write them

GPS = {1: "N", 2: (43.0, 39.0, 12.5), 3: "W", 4: (79.0, 23.0, 1.0)}
"""A GPS position, as a phone writes it in EXIF (IFD 0x8825): latitude and longitude."""


def camera_jpeg(
    width: int, height: int, *, orientation: int = 1, colour: tuple[int, int, int] = (200, 40, 40)
) -> bytes:
    """A JPEG as a phone saves it: EXIF with a GPS position, the camera's make, an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = GPS
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(
        out, "JPEG", exif=exif, quality=90, comment=b"IMG_0042 taken at home"
    )
    return out.getvalue()


def animated(kind: str, frames: int = 3) -> bytes:
    """An animated GIF or WebP of ``frames`` differently coloured frames (red first)."""
    images = [Image.new("RGB", (24, 16), c) for c in ("red", "green", "blue")[:frames]]
    out = io.BytesIO()
    images[0].save(out, kind, save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def no_metadata(data: bytes) -> None:
    """No EXIF (GPS or otherwise), XMP, colour profile or comment in the image ``data``."""
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(0x8825) == {}
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"):
            assert key not in image.info, key
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"PhoneMaker", b"IMG_0042"):
        assert marker not in data


# The copy kept


def test_the_copy_kept_has_the_pixels_and_nothing_else() -> None:
    original = camera_jpeg(640, 480)

    data, info = clean_copy(original)

    assert data != original
    assert (info.extension, info.width, info.height) == ("jpg", 640, 480)
    no_metadata(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (640, 480)
        red, green, blue = image.convert("RGB").getpixel((320, 240))  # type: ignore[misc]
        assert red > 180 and green < 70 and blue < 70


def test_the_orientation_is_applied_before_it_is_dropped() -> None:
    # Stored 400 x 300 and marked "turn a quarter": a portrait photo.
    data, info = clean_copy(camera_jpeg(400, 300, orientation=6))

    assert (info.width, info.height) == (300, 400)
    assert identify(camera_jpeg(400, 300, orientation=6)).width == 300
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (300, 400)
        assert 0x0112 not in image.getexif()


def test_a_large_image_is_kept_smaller_and_never_made_larger() -> None:
    out = io.BytesIO()
    Image.new("RGB", (6000, 1500), "navy").save(out, "PNG")

    _, info = clean_copy(out.getvalue())
    _, small = clean_copy(png(37, 21))

    assert (info.width, info.height) == (KEPT_SIDE, KEPT_SIDE // 4)
    assert (small.width, small.height) == (37, 21)


def test_transparency_is_kept_in_a_png() -> None:
    out = io.BytesIO()
    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    image.paste((10, 80, 160, 255), (8, 8, 24, 24))
    image.save(out, "WEBP", lossless=True)

    data, info = clean_copy(out.getvalue())

    assert info.extension == "png"
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.mode == "RGBA"
        assert kept.getpixel((0, 0))[3] == 0  # type: ignore[index]
        assert kept.getpixel((16, 16)) == (10, 80, 160, 255)


def test_the_colour_profile_is_applied_then_dropped() -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (120, 120, 120)).save(out, "PNG", icc_profile=profile)
    with Image.open(io.BytesIO(out.getvalue())) as original:
        assert original.info["icc_profile"] == profile

    data, _ = clean_copy(out.getvalue())

    no_metadata(data)
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.getpixel((8, 8)) == (120, 120, 120)


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_an_animation_is_kept_as_its_first_frame(kind: str) -> None:
    body = animated(kind)
    assert identify(body).extension in ("gif", "webp")

    data, info = clean_copy(body)

    with Image.open(io.BytesIO(data)) as still:
        assert getattr(still, "n_frames", 1) == 1
        assert (info.width, info.height) == still.size == (24, 16)
        red, green, blue, *_ = still.convert("RGB").getpixel((12, 8))  # type: ignore[misc]
        assert red > 200 and green < 60 and blue < 60


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    # 20,000 x 20,000 pixels of nothing: a few kilobytes that would take 1.6 GB decoded.
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000

    with pytest.raises(ImageRefused, match=r"400 megapixels.*decompression bomb"):
        clean_copy(out.getvalue())


# Downloading
