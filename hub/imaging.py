"""Images through Pillow: what a file is, and a clean copy of it at a given size.

Every raster image the site publishes (officer and unit photos, the logo,
appeal photos, the copies of feed images) is decoded and encoded again here,
never copied: the encoder is given pixels only, so EXIF (and a phone's GPS
position in it), XMP, comments and colour profiles stay behind. Before that,
the EXIF orientation is applied (a phone's portrait stays upright) and the
colours are converted to sRGB from the image's own profile.

- What is read: JPEG, PNG, GIF and WebP, told by their bytes (only Pillow's
  decoders of those four formats are tried), under a cap on the bytes and
  on the pixels; the pixels are checked from the header before any is
  decoded, so a small file that claims a huge canvas (a decompression bomb)
  is refused without the memory spent. ``Image.MAX_IMAGE_PIXELS`` is set to
  the same cap, and Pillow's own bomb warning and error are refusals too.
- What is made: WebP, JPEG or PNG, each at a size never larger than the
  image (an image is only made smaller), with a transparent image kept
  transparent in WebP and PNG and laid on white in JPEG. :data:`ENCODER`
  names these settings: it is part of every derived file's name, so a change
  to them makes every file again.
- SVG, which only the repository's own files may be (a logo, an officer's
  illustration), is checked as XML and published as it is
  (:mod:`hub.svgfiles`): it may not run or load anything, nor embed a raster
  image (which could carry EXIF).

Nothing here touches a file: bytes in, bytes or :class:`Facts` out.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from hub import svgfiles

MAX_PIXELS = 40_000_000
"""Most pixels an image may have (40 megapixels, an 8000 x 5000 photo): what a
decoded image costs in memory is four bytes each."""
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

READ = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
"""The formats read (Pillow's names) and their usual file extension."""
LABELS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP", "svg": "SVG"}

Format = Literal["webp", "jpeg", "png"]
"""What a derived file is encoded as."""
MADE: tuple[Format, ...] = ("webp", "jpeg", "png")
EXTENSION: dict[Format, str] = {"webp": "webp", "jpeg": "jpg", "png": "png"}
MIME: dict[Format, str] = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}

Fit = Literal["cover", "contain"]
"""``cover``: the image is cropped (about its centre) to fill the box;
``contain``: it is made to fit inside the box, whole."""
FITS: tuple[Fit, ...] = ("cover", "contain")

ENCODER = "1"
"""The version of the settings below (and of the resampling): bump it when
they change, and every derived file is made again under a new name."""
_SETTINGS: dict[Format, dict[str, object]] = {
    "webp": {"quality": 80, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": True},
}


Trouble = Literal["size", "format", "damaged", "svg"]
"""What kind of refusal: too many bytes or pixels, not an image read here, a
damaged file, an SVG that may not be published."""


class ImageRefused(Exception):
    """Bytes that are not an image the site publishes; the message says why, in a few words."""

    def __init__(self, message: str, trouble: Trouble = "format") -> None:
        super().__init__(message)
        self.trouble = trouble


@dataclass(frozen=True)
class Limits:
    """What an image may weigh and measure."""

    bytes: int
    pixels: int = MAX_PIXELS
    side: int | None = None
    """Widest or tallest, in pixels, where that is capped too."""
    svg: bool = False
    """Whether an SVG is accepted (a file of the repository; never a feed's)."""


REPOSITORY = Limits(bytes=5 * 1024 * 1024, svg=True)
"""The repository's own images (photos, the logo, appeal photos): a copy for the
web is a few hundred kilobytes; 5 MiB lets a phone's photo in as it is."""


@dataclass(frozen=True)
class Facts:
    """What an image is, read from its header."""

    kind: str
    """``jpg``, ``png``, ``gif``, ``webp`` or ``svg``."""
    width: int
    """As shown: after the EXIF orientation (0 for an SVG that says no size)."""
    height: int
    frames: int = 1

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def animated(self) -> bool:
        return self.frames > 1


def inspect(data: bytes, limits: Limits) -> Facts:
    """What ``data`` is, checked against ``limits`` without decoding the pixels.

    :class:`ImageRefused` says what is wrong: too many bytes or pixels, not
    an image that is read here (and what it seems to be), or damaged.
    """
    if len(data) > limits.bytes:
        raise ImageRefused(
            f"{size_text(len(data))}; the limit is {size_text(limits.bytes)}", "size"
        )
    if limits.svg and svgfiles.is_svg(data):
        try:
            width, height = svgfiles.check(data)
        except svgfiles.SvgRefused as refusal:
            raise ImageRefused(str(refusal), refusal.trouble) from None
        return Facts("svg", width, height)
    with _opened(data, limits) as image:
        facts = Facts(READ[image.format or ""], *_shown_size(image, data), _frames(image))
    # verify() reads the file through (checksums, chunk order) and leaves the image unusable.
    with _opened(data, limits) as image:
        try:
            image.verify()
        except Exception as error:  # Pillow raises many kinds for a bad file
            raise _damaged(facts.kind, error) from None
    return facts


FIXES: dict[Trouble, str] = {
    "size": "make a smaller copy for the web (a JPEG of 1,000 pixels a side is plenty)",
    "format": "save it as JPEG, PNG or WebP (or SVG for a drawing)",
    "damaged": "export or download it again",
    "svg": "remove that from the file, or export the drawing as PNG",
}


def problem(data: bytes, limits: Limits, *, size: int | None = None) -> str | None:
    """Why the repository's image ``data`` cannot be published, or None if it can.

    It must be an image read here (or an SVG, where ``limits`` allow one)
    within the limits of bytes and pixels, whole, and still: a photo or a
    logo that moves is not what it is for. The sentence follows the file's
    name and says what to do: ``is an HTML page, not ...: save it as ...``.
    ``size`` is the file's size when it was too large to be read.

    A JPEG is decoded at an eighth of its size (a few milliseconds) to prove it
    whole: a file cut short has a header as good as any, and only its pixels
    tell, which the build would otherwise find, far from the registry's line.
    """
    facts, said = examine(data, limits, size=size)
    if said is None and facts is not None and facts.kind == "jpg":
        with _opened(data, limits) as image:
            try:
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
            except Exception as error:  # a truncated or corrupt stream
                refusal = _damaged(facts.kind, error)
                return f"is {refusal}: {FIXES[refusal.trouble]}"
    return said


def examine(
    data: bytes, limits: Limits, *, size: int | None = None
) -> tuple[Facts | None, str | None]:
    """What :func:`inspect` finds in ``data`` and what :func:`problem` says of it short of
    proving a JPEG whole, from one look: (facts, None) for an image that may be published."""
    try:
        if size is not None and size > limits.bytes:
            raise ImageRefused(f"{size_text(size)}; the limit is {size_text(limits.bytes)}", "size")
        facts = inspect(data, limits)
    except ImageRefused as refusal:
        return None, f"is {refusal}: {FIXES[refusal.trouble]}"
    if facts.animated:
        return facts, (
            f"is an animated {facts.label} ({facts.frames} frames): use a still image, "
            "such as its first frame saved as PNG"
        )
    return facts, None


def decode(
    data: bytes, limits: Limits, at_least: Callable[[Facts], tuple[int, int]] | None = None
) -> tuple[Image.Image, Facts]:
    """The image's first frame, upright, in sRGB, as RGB or RGBA pixels with no metadata.

    An animation gives its first frame: the caller decides whether that is an
    error. ``at_least(facts)`` is the smallest width and height (upright) the
    caller will make of it: a JPEG is then decoded at a smaller scale where its
    decoder can (a half, a quarter, an eighth), which is much quicker, and
    never smaller than that, so what :func:`resized` makes from it is as good.
    """
    facts = inspect(data, limits)
    if facts.kind == "svg":
        raise ImageRefused("an SVG image is published as it is, never decoded")
    with _opened(data, limits) as image:
        try:
            if at_least is not None and image.format == "JPEG":
                need = at_least(facts)
                turned = image.size != (facts.width, facts.height)
                image.draft(None, need[::-1] if turned else need)
            image.seek(0)
            image.load()
            upright = ImageOps.exif_transpose(image)
        except Exception as error:  # a truncated or corrupt stream
            raise _damaged(facts.kind, error) from None
        try:
            clean = _bare(_in_srgb(upright, image.info.get("icc_profile")))
        except Exception as error:  # a colour mode with no way to RGB
            raise ImageRefused(
                f"a {facts.label} image whose colours cannot be read ({error})", "damaged"
            ) from None
        return clean, facts


def resized(image: Image.Image, width: int, height: int, fit: Fit) -> Image.Image:
    """``image`` at ``width`` x ``height`` (from :func:`targets`, never larger than it)."""
    if image.size == (width, height):
        return image
    if fit == "cover":
        return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode(image: Image.Image, fmt: Format, *, quality: int | None = None) -> bytes:
    """``image`` (from :func:`decode`) as ``fmt``: pixels only, no metadata at all.

    JPEG has no transparency: a transparent image is laid on white. ``quality``
    overrides the usual one (for a copy kept to make others from).
    """
    if fmt == "jpeg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    settings = dict(_SETTINGS[fmt])
    if quality is not None and fmt != "png":
        settings["quality"] = quality
    out = io.BytesIO()
    image.save(out, format=fmt.upper(), **settings)
    return out.getvalue()


@dataclass(frozen=True)
class Target:
    """One file of an image at one displayed size."""

    width: int
    height: int
    density: float
    """Its pixels per CSS pixel as displayed: 1.0, 2.0, or between for a small image."""


def display(width: int, height: int, box: tuple[int, int], fit: Fit) -> tuple[int, int]:
    """The CSS size an image of ``width`` x ``height`` is shown at in ``box``."""
    if fit == "cover" or width <= 0 or height <= 0:
        return box
    scale = min(box[0] / width, box[1] / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def targets(width: int, height: int, box: tuple[int, int], fit: Fit) -> list[Target]:
    """The files to make of a ``width`` x ``height`` image shown in ``box`` (CSS pixels).

    One at the displayed size (1x) and one at twice it (2x) for sharp
    screens, each only as large as the image allows: a small image gets one
    file, or a second between 1x and 2x; none is ever larger than the image.
    ``cover`` crops to the box's shape, ``contain`` keeps the image's.
    """
    shown_w, shown_h = display(width, height, box, fit)
    if fit == "cover":
        ratio = box[0] / box[1]
        crop_w = min(width, round(height * ratio))
        crop_h = min(height, round(width / ratio))
    else:
        crop_w, crop_h = width, height
    found: list[Target] = []
    for density in (1, 2):
        w = min(round(shown_w * density), crop_w)
        h = min(round(shown_h * density), crop_h)
        if fit == "cover":  # the box's shape, whatever the rounding
            h = min(crop_h, max(1, round(w * box[1] / box[0])))
        w, h = max(1, w), max(1, h)
        if found and w <= found[-1].width:
            break
        found.append(Target(w, h, round(w / shown_w, 2)))
    return found


# Opening, under the caps


class _opened:
    """``Image.open`` on the bytes, the pixel cap checked before anything is decoded."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.limits = limits
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        data, limits = self.data, self.limits
        with warnings.catch_warnings():
            # Over Image.MAX_IMAGE_PIXELS Pillow warns, over twice that it raises: both refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                self.image = Image.open(io.BytesIO(data), formats=list(READ))
            except (Image.DecompressionBombWarning, Image.DecompressionBombError) as bomb:
                found = _PIXELS.search(str(bomb))
                claimed = megapixels(int(found[1])) if found else "too many pixels"
                raise ImageRefused(
                    f"{claimed}; the limit is {MAX_PIXELS // 1_000_000} megapixels (refused "
                    "before decoding, as a possible decompression bomb)",
                    "size",
                ) from None
            except UnidentifiedImageError:
                kind = signature(data)
                if kind is None:
                    accepted = (
                        "JPEG, PNG, GIF, WebP or SVG" if limits.svg else "JPEG, PNG, GIF or WebP"
                    )
                    raise ImageRefused(f"{describe(data)}, not a {accepted} image") from None
                raise _damaged(kind, None) from None
            except Exception as error:  # a header cut short, garbled values
                raise _damaged(signature(data) or "image", error) from None
        width, height = self.image.size
        if limits.side is not None and not (0 < width <= limits.side and 0 < height <= limits.side):
            self.image.close()
            raise ImageRefused(
                f"{width} x {height} pixels; images are 1 to {limits.side:,} pixels a side",
                "size",
            )
        if width * height > limits.pixels or width <= 0 or height <= 0:
            self.image.close()
            raise ImageRefused(
                f"{width} x {height} pixels ({megapixels(width * height)}); "
                f"the limit is {limits.pixels // 1_000_000} megapixels",
                "size",
            )
        return self.image

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()


_PIXELS = re.compile(r"\((\d+) pixels\)")
"""The size in Pillow's decompression bomb messages: "Image size (81000000 pixels) exceeds..."."""


def _frames(image: Image.Image) -> int:
    return int(getattr(image, "n_frames", 1) or 1)


_ORIENTATION = 0x0112
_TURNED = {5, 6, 7, 8}
"""EXIF orientations that swap width and height."""


_PNG_ORIENTATION = (b"eXIf", b"Raw profile type exif", b"XML:com.adobe.xmp")
"""Where a PNG can say its orientation: a chunk type and two text keys, never compressed."""


def _shown_size(image: Image.Image, data: bytes) -> tuple[int, int]:
    width, height = image.size
    if image.format == "PNG" and not any(mark in data for mark in _PNG_ORIENTATION):
        # Asked for its EXIF, a PNG decodes every pixel looking for a late eXIf chunk.
        return width, height
    try:
        turned = image.getexif().get(_ORIENTATION) in _TURNED
    except Exception:  # a damaged EXIF block is dropped, not obeyed
        turned = False
    return (height, width) if turned else (width, height)


def _damaged(kind: str, error: BaseException | None) -> ImageRefused:
    what = f"a {LABELS[kind]} image" if kind in LABELS else "an image file"
    detail = f" ({error})" if error is not None and str(error) else ""
    return ImageRefused(f"{what} cut short or damaged{detail}", "damaged")


def _in_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA pixels, converted from the image's colour profile to sRGB where it has one."""
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if image.mode == "CMYK" and icc:
        image = _converted(image, icc, "RGB") or image
    image = image.convert("RGBA" if alpha else "RGB")
    if alpha and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # a transparency nothing uses
    if icc and image.mode in ("RGB", "RGBA"):
        image = _converted(image, icc, image.mode) or image
    return image


def _converted(image: Image.Image, icc: bytes, mode: str) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a profile that cannot be read: the pixels are taken as sRGB


def _bare(image: Image.Image) -> Image.Image:
    """The pixels in a new image: no ``info`` (EXIF, XMP, ICC, comments) can follow them."""
    bare = Image.new(image.mode, image.size)
    bare.paste(image, (0, 0))
    return bare


# What bytes seem to be


def signature(data: bytes) -> str | None:
    """The format the first bytes announce, of those read here."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}


def describe(data: bytes) -> str:
    """What bytes that are no image read here seem to be, for a message: "an HTML page"."""
    if not data.strip():
        return "an empty file"
    head = data[:2048].lower()
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIF_BRANDS:
            return "a HEIC photo (what iPhones take by default; export it as JPEG)"
        if brand in (b"avif", b"avis"):
            return "an AVIF image"
        return "a video"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "a TIFF image"
    if data.startswith(b"BM"):
        return "a BMP image"
    if data.startswith(b"PK\x03\x04"):
        return "a ZIP archive (or an office document)"
    if b"<svg" in head:
        return "an SVG image (which can carry script)"
    if b"<html" in head or b"<!doctype html" in head:
        return "an HTML page"
    if _is_text(data[:2048]):
        return "a text file"
    return "unrecognized content"


def _is_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c.isspace() for c in text)


def size_text(count: int) -> str:
    """Bytes as people read them: ``712 KB``, ``5 MiB``, ``7.2 MiB``."""
    if count < 1024 * 1024:
        return f"{max(1, round(count / 1024))} KB" if count >= 1024 else f"{count} bytes"
    return f"{count / (1024 * 1024):.1f}".removesuffix(".0") + " MiB"


def megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f} megapixels" if pixels >= 1_000_000 else f"{pixels:,} pixels"
