"""SVG files of the repository (a logo, an officer's illustration): checked, published as they are.

An SVG is a drawing in XML, not pixels: the site cannot re-encode it as it
does a photo (:mod:`hub.imaging`), so it publishes the file itself, under the
site's own address, where a script in it would run if the file were opened
by itself. So it must be well-formed XML whose root is ``<svg>`` in the SVG
namespace, with no DOCTYPE (entities), nothing that runs (``<script>``,
``on...`` attributes, ``<foreignObject>``), nothing that loads (an ``href``
or a style's ``url()`` to anything but a part of the file itself, an
``@import``, a CSS escape that could spell either, an animation that changes
a link) and no embedded picture
(``<image>``, ``<feImage>``), whose EXIF data the site could not remove.
Feeds never get this far: their images are never SVG.
"""

from __future__ import annotations

import re
from typing import Literal
from xml.parsers import expat


class SvgRefused(Exception):
    """An SVG file that may not be published; the message says why, in a few words."""

    def __init__(self, message: str, trouble: Literal["format", "svg"] = "svg") -> None:
        super().__init__(message)
        self.trouble = trouble


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_START = re.compile(rb"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<svg[\s>]", re.DOTALL)
REFUSED_ELEMENTS = {
    "script": "a <script> element (an image may not run scripts)",
    "foreignObject": "a <foreignObject> element (HTML inside an image)",
    "image": "an <image> element: a raster image inside it can carry EXIF data, GPS "
    "positions included, which the site cannot remove; use the JPEG or PNG itself",
    "feImage": "an <feImage> element (which loads an image)",
}
_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")
_LOADS = re.compile(r"url\(\s*(?![\s'\"]*#)|@import", re.IGNORECASE)
"""CSS that loads something: ``url(...)`` of anything but a part of the file, ``@import``."""
_ANIMATIONS = {"animate", "set"}
"""Elements that change another attribute: never a link (``attributeName="href"``)."""


def is_svg(data: bytes) -> bool:
    """Whether ``data`` is meant as an SVG image (and is then checked as one)."""
    start = _START.match(data.removeprefix(b"\xef\xbb\xbf")) is not None
    return start or b"<svg" in data[:4096].lower()


def check(data: bytes) -> tuple[int, int]:
    """An SVG file's width and height (0 when it says none), once it is known to be
    one that may be published as it is; SvgRefused says why not.

    Well-formed XML whose root is ``<svg>`` in the SVG namespace, with no
    DOCTYPE (entities), nothing that runs (scripts, ``on...`` attributes),
    nothing that loads (an ``href`` or ``url()`` to anything but a part of the
    file itself, an ``@import``, an animated link) and no embedded raster image.
    """
    root: dict[str, str] = {}
    seen_root = False
    styles = 0  # how deep inside <style> the parser is
    parser = expat.ParserCreate(namespace_separator=" ")
    # A style's text in one piece: expat would otherwise hand it over split at each
    # character reference and line (u&#114;l(...) read as "u", "r", "l(...)").
    parser.buffer_text = True
    parser.buffer_size = max(parser.buffer_size, len(data) + 1)

    def refuse_doctype(*_: object) -> None:
        raise SvgRefused("an SVG file with a DOCTYPE, which an image does not need")

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal seen_root, styles
        namespace, _, local = name.rpartition(" ")
        styles += local == "style"
        if not seen_root:
            seen_root = True
            if (namespace, local) != (SVG_NS, "svg"):
                raise SvgRefused(
                    "an XML file that is not an SVG image (its root must be <svg "
                    f'xmlns="{SVG_NS}">)',
                    "format",
                )
            root.update(attributes)
        if namespace == SVG_NS and local in REFUSED_ELEMENTS:
            raise SvgRefused(f"an SVG file with {REFUSED_ELEMENTS[local]}")
        for attribute, value in attributes.items():
            attribute_ns, _, attribute_name = attribute.rpartition(" ")
            if attribute_name.lower().startswith("on"):
                raise SvgRefused(
                    f'an SVG file with an event attribute ({attribute_name}="...", a script)'
                )
            is_link = attribute_name == "href" and attribute_ns in ("", XLINK_NS)
            if (is_link and not value.strip().startswith("#")) or _LOADS.search(value):
                raise _links_to(value)
            if attribute_name == "style" and "\\" in value:
                raise _escaped(value)
        if local in _ANIMATIONS and attributes.get("attributeName", "").endswith("href"):
            raise SvgRefused("an SVG file with an animation that changes a link")

    def end(name: str) -> None:
        nonlocal styles
        styles -= name.rpartition(" ")[2] == "style"

    def text(data: str) -> None:
        # A style sheet is the only text that loads anything.
        if styles and _LOADS.search(data):
            raise _links_to(data.strip())
        if styles and "\\" in data:
            raise _escaped(data.strip())

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise SvgRefused(f"an SVG file that is not well-formed XML ({error})") from None
    return _size(root)


def _links_to(what: str) -> SvgRefused:
    return SvgRefused(
        f'an SVG file that links to "{what[:60]}" (an image may only refer to parts of itself)'
    )


def _escaped(what: str) -> SvgRefused:
    return SvgRefused(
        f'an SVG file with a CSS escape in a style ("{what[:60]}"), which can hide a link: '
        "write the characters themselves"
    )


def _size(root: dict[str, str]) -> tuple[int, int]:
    """The size the root says, from ``width`` and ``height`` or its ``viewBox``; 0 if none."""
    sizes = [_LENGTH.match(root.get(key, "")) for key in ("width", "height")]
    if sizes[0] and sizes[1]:
        return round(float(sizes[0][1])), round(float(sizes[1][1]))
    box = root.get("viewBox", "").replace(",", " ").split()
    try:
        width, height = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return 0, 0
    return (round(width), round(height)) if width > 0 and height > 0 else (0, 0)
