"""hub.imaging: what an image is, the caps, the sizes made, and copies with nothing but pixels.

The images are made with Pillow here, as cameras and editors write them:
EXIF with a GPS position and an orientation, XMP, ICC profiles, animations,
transparency.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from hub import imaging
from hub.imaging import ImageRefused, Limits, Target
from tests.feeds.test_images import animated, camera_jpeg, no_metadata

LIMITS = Limits(bytes=5 * 1024 * 1024)
SVG = imaging.REPOSITORY


def saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# What an image is


def test_inspect_reads_the_size_as_shown() -> None:
    facts = imaging.inspect(camera_jpeg(400, 300, orientation=8), LIMITS)
    assert (facts.kind, facts.width, facts.height, facts.frames) == ("jpg", 300, 400, 1)


def test_a_png_turned_by_its_exif_or_xmp_reads_as_shown() -> None:
    plain = Image.new("RGB", (40, 30))
    exif = Image.Exif()
    exif[0x0112] = 6
    for options in (
        {"exif": exif},
        {"pnginfo": _xmp_info('<x:xmpmeta><rdf:Description tiff:Orientation="6"/></x:xmpmeta>')},
    ):
        out = io.BytesIO()
        plain.save(out, "PNG", **options)
        facts = imaging.inspect(out.getvalue(), LIMITS)
        assert (facts.kind, facts.width, facts.height) == ("png", 30, 40)
    out = io.BytesIO()
    plain.save(out, "PNG")
    assert imaging.inspect(out.getvalue(), LIMITS).width == 40


def _xmp_info(xmp: str) -> object:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp)
    return info


@pytest.mark.parametrize("kind", ["GIF", "WEBP", "PNG"])
def test_an_animation_counts_its_frames(kind: str) -> None:
    facts = imaging.inspect(animated(kind), LIMITS)
    assert facts.animated and facts.frames == 3


@pytest.mark.parametrize(
    ("data", "seems"),
    [
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "a HEIC photo"),
        (b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00", "an AVIF image"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04" + b"\x00" * 30, "a ZIP archive"),
        (b"II*\x00" + b"\x00" * 30, "a TIFF image"),
        (b"<!doctype html><html><body>404</body></html>", "an HTML page"),
        (b"name,rank\nJane,Sgt\n", "a text file"),
        (b"", "an empty file"),
        (bytes(range(256)), "unrecognized content"),
    ],
)
def test_what_is_no_image_is_named(data: bytes, seems: str) -> None:
    with pytest.raises(ImageRefused, match=seems) as refused:
        imaging.inspect(data, LIMITS)
    assert refused.value.trouble == "format"
    assert "not a JPEG, PNG, GIF or WebP image" in str(refused.value)


def test_the_byte_cap_comes_before_anything_is_read() -> None:
    with pytest.raises(ImageRefused, match="6 KB; the limit is 5 KB") as refused:
        imaging.inspect(b"\xff" * 6 * 1024, Limits(bytes=5 * 1024))
    assert refused.value.trouble == "size"


def test_pixels_over_the_cap_are_refused_from_the_header() -> None:
    tall = saved(Image.new("L", (1000, 3000)), "PNG")
    with pytest.raises(ImageRefused, match=r"1000 x 3000 pixels \(3 megapixels\)"):
        imaging.inspect(tall, Limits(bytes=LIMITS.bytes, pixels=2_000_000))


def test_pillows_own_decompression_bomb_guard_is_a_refusal() -> None:
    # 30,000 x 30,000: over twice Image.MAX_IMAGE_PIXELS, where Pillow raises an error.
    bomb = saved(Image.new("1", (30_000, 30_000)), "PNG")
    assert Image.MAX_IMAGE_PIXELS == imaging.MAX_PIXELS
    with pytest.raises(ImageRefused, match=r"900 megapixels.*decompression bomb") as refused:
        imaging.decode(bomb, LIMITS)
    assert refused.value.trouble == "size"


# Problems, as hub check words them


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"<html><body>Not found</body></html>", "is an HTML page, not a JPEG, PNG, GIF, WebP"),
        (animated("GIF"), "is an animated GIF (3 frames)"),
        (camera_jpeg(64, 64)[:-200], "is a JPEG image cut short or damaged"),
        # Cut where the header is whole: only its pixels tell.
        (camera_jpeg(1600, 1200)[:3000], "is a JPEG image cut short or damaged"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "is an SVG file with a <script> element",
        ),
    ],
)
def test_a_problem_says_what_the_file_is_and_what_to_do(data: bytes, says: str) -> None:
    problem = imaging.problem(data, SVG)
    assert problem is not None and problem.startswith(says)
    assert ": " in problem.removeprefix(says)  # followed by what to do


def test_an_oversized_file_is_judged_by_its_size_unread() -> None:
    problem = imaging.problem(b"", SVG, size=7 * 1024 * 1024 + 300_000)
    assert problem == (
        "is 7.3 MiB; the limit is 5 MiB: make a smaller copy for the web "
        "(a JPEG of 1,000 pixels a side is plenty)"
    )


def test_a_still_image_and_a_clean_svg_have_no_problem() -> None:
    assert imaging.problem(camera_jpeg(64, 48), SVG) is None
    assert imaging.problem(saved(Image.new("RGBA", (8, 8)), "PNG"), SVG) is None
    clean = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 140"><use href="#a"/></svg>'
    assert imaging.problem(clean, SVG) is None
    assert imaging.inspect(clean, SVG) == imaging.Facts("svg", 120, 140)


def test_an_svg_refused_is_an_image_refused_with_its_trouble() -> None:
    with pytest.raises(ImageRefused, match="a <script> element") as refused:
        imaging.inspect(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', SVG)
    assert refused.value.trouble == "svg"
    with pytest.raises(ImageRefused, match="not an SVG image") as refused:
        imaging.inspect(b"<svg><rect/></svg>", SVG)
    assert refused.value.trouble == "format"


def test_an_svg_is_never_read_where_svg_is_not_accepted() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(ImageRefused, match=r"an SVG image .*not a JPEG, PNG, GIF or WebP"):
        imaging.inspect(svg, LIMITS)


# Sizes made


@pytest.mark.parametrize(
    ("image", "box", "fit", "expected"),
    [
        # A phone's photo in a square avatar: cropped, 1x and 2x.
        ((4000, 3000), (56, 56), "cover", [Target(56, 56, 1.0), Target(112, 112, 2.0)]),
        # In a portrait box.
        ((4000, 3000), (128, 160), "cover", [Target(128, 160, 1.0), Target(256, 320, 2.0)]),
        # Too small for 2x: one file between 1x and 2x.
        ((1000, 500), (640, 448), "contain", [Target(640, 320, 1.0), Target(1000, 500, 1.56)]),
        # Smaller than the box: as it is, once; never made larger.
        ((300, 200), (640, 448), "contain", [Target(300, 200, 1.0)]),
        ((40, 30), (56, 56), "cover", [Target(30, 30, 0.54)]),
        # Taller than wide, in a wide box.
        ((100, 400), (48, 48), "contain", [Target(12, 48, 1.0), Target(24, 96, 2.0)]),
    ],
)
def test_the_sizes_made_are_1x_and_2x_and_never_larger_than_the_image(
    image: tuple[int, int],
    box: tuple[int, int],
    fit: imaging.Fit,
    expected: list[Target],
) -> None:
    assert imaging.targets(*image, box, fit) == expected
    for target in expected:
        assert target.width <= image[0] and target.height <= image[1]


def test_display_is_the_box_or_the_image_fitted_in_it() -> None:
    assert imaging.display(4000, 3000, (56, 56), "cover") == (56, 56)
    assert imaging.display(1000, 500, (640, 448), "contain") == (640, 320)
    assert imaging.display(300, 200, (640, 448), "contain") == (300, 200)


# Copies with nothing but pixels


@pytest.mark.parametrize("fmt", imaging.MADE)
def test_every_format_made_carries_no_metadata(fmt: imaging.Format) -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    original = saved(
        Image.new("RGB", (300, 200), (30, 120, 60)),
        "JPEG",
        exif=Image.open(io.BytesIO(camera_jpeg(8, 8))).getexif(),
        xmp=xmp,
    )
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(0x8825), "the original has a GPS position"

    image, _ = imaging.decode(original, LIMITS)
    data = imaging.encode(imaging.resized(image, 150, 100, "contain"), fmt)

    no_metadata(data)
    assert b"xmpmeta" not in data
    with Image.open(io.BytesIO(data)) as made:
        assert made.format == fmt.upper() and made.size == (150, 100)


def test_the_orientation_is_applied_and_a_jpeg_decoded_no_smaller_than_needed() -> None:
    # Stored landscape, shown portrait (EXIF orientation 6: turn a quarter clockwise).
    data = camera_jpeg(4000, 3000, orientation=6)

    image, facts = imaging.decode(data, LIMITS, lambda facts: (112, 112))

    assert (facts.width, facts.height) == (3000, 4000)
    # Decoded at an eighth (JPEG's quickest scale) but still larger than what is made of it.
    assert image.width < 3000 and image.width >= 112 and image.height > image.width
    no_metadata(imaging.encode(imaging.resized(image, 112, 112, "cover"), "jpeg"))


def test_transparency_is_kept_in_webp_and_png_and_laid_on_white_in_jpeg() -> None:
    layer = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    layer.paste((200, 0, 0, 255), (50, 50, 150, 150))
    image, _ = imaging.decode(saved(layer, "PNG"), LIMITS)

    for fmt in ("webp", "png"):
        with Image.open(io.BytesIO(imaging.encode(image, fmt))) as kept:
            assert kept.convert("RGBA").getpixel((0, 0))[3] == 0  # type: ignore[index]
    with Image.open(io.BytesIO(imaging.encode(image, "jpeg"))) as flat:
        assert flat.mode == "RGB"
        assert all(channel > 245 for channel in flat.getpixel((0, 0)))  # type: ignore[union-attr]


def test_an_opaque_alpha_channel_is_dropped() -> None:
    image, _ = imaging.decode(saved(Image.new("RGBA", (4, 4), (1, 2, 3, 255)), "PNG"), LIMITS)
    assert image.mode == "RGB"


def test_a_palette_image_with_transparency_keeps_it() -> None:
    palette = Image.new("P", (4, 4), 0)
    image, _ = imaging.decode(saved(palette, "GIF", transparency=0), LIMITS)
    assert image.mode == "RGBA"


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    image, _ = imaging.decode(saved(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG"), LIMITS)
    assert image.mode == "RGB"
