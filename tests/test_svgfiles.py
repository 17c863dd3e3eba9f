"""hub.svgfiles: an SVG of the repository is published as it is only when nothing in it
runs, loads or embeds anything; its size comes from its root."""

from __future__ import annotations

import re

import pytest

from hub import svgfiles
from hub.svgfiles import SvgRefused


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="140"/>', (120, 140)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="48px" height="40.4px"/>', (48, 40)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0,200,100"/>', (200, 100)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"/>', (0, 0)),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/><g id="a"/></svg>', (0, 0)),
    ],
)
def test_a_clean_svg_gives_its_size(svg: bytes, size: tuple[int, int]) -> None:
    assert svgfiles.check(svg) == size


def test_the_demo_drawings_are_clean() -> None:
    root = __import__("pathlib").Path(__file__).resolve().parents[1] / "content"
    drawings = sorted(root.rglob("*.svg"))
    assert len(drawings) >= 8
    for drawing in drawings:
        data = drawing.read_bytes()
        assert svgfiles.is_svg(data), drawing
        width, height = svgfiles.check(data)
        assert width > 0 and height > 0, drawing


@pytest.mark.parametrize(
    ("data", "is_svg"),
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a logo -->\n<svg xmlns="x"/>', True),
        (b"<!DOCTYPE svg><svg/>", True),
        (b"\x89PNG\r\n\x1a\n", False),
        (b"<html><body><svg/></body></html>", True),
    ],
)
def test_what_is_checked_as_an_svg(data: bytes, is_svg: bool) -> None:
    assert svgfiles.is_svg(data) is is_svg


@pytest.mark.parametrize(
    ("svg", "says"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "event attribute (onload"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="data:image/jpeg;base64,/9j/"/></svg>',
            "an <image> element",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><use href="https://x.example/a.svg#b"/></svg>',
            'links to "https://x.example/a.svg#b"',
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "a DOCTYPE",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "<foreignObject>"),
        (b"<svg><rect/></svg>", "not an SVG image (its root must be <svg xmlns="),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "not well-formed XML"),
    ],
)
def test_an_svg_that_could_run_load_or_embed_anything_is_refused(svg: bytes, says: str) -> None:
    assert svgfiles.is_svg(svg)
    with pytest.raises(SvgRefused, match=re.escape(says)):
        svgfiles.check(svg)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'<a><animate attributeName="href" values="javascript:x()"/></a>', "animation"),
        (b'<a><set attributeName="x:href" to="javascript:x()"/></a>', "animation"),
        (b"<style>@import url(https://x.example/a.css);</style>", 'links to "@import'),
        (b"<style>.a { fill: url(//x.example/p.svg#g) }</style>", 'links to ".a { fill'),
        (b'<rect fill="url(https://x.example/p.svg#g)"/>', 'links to "url(https'),
        (b'<rect style="background: URL( x.png )"/>', 'links to "background'),
        # Spelled with character references, which the parser hands over in pieces.
        (b"<style>.a { fill: u&#114;l(https://x.example/p.svg#g) }</style>", "links to"),
        (b'<style>&#64;import "https://x.example/a.css";</style>', 'links to "@import'),
        # Or with CSS escapes.
        (b'<rect style="fill: u\\72 l(https://x.example/p.svg#g)"/>', "CSS escape"),
        (b"<style>.a { fill: u\\72 l(https://x.example/p.svg#g) }</style>", "CSS escape"),
    ],
)
def test_a_style_or_an_animation_that_loads_or_links_is_refused(body: bytes, says: str) -> None:
    with pytest.raises(SvgRefused, match=re.escape(says)):
        svgfiles.check(SVG + body + b"</svg>")


@pytest.mark.parametrize(
    "body",
    [
        b'<linearGradient id="g"/><rect fill="url(#g)" style="stroke: url( \'#g\' )"/>',
        b"<style>.a { fill: url(#g) }</style>",
        b"<style>.a { fill: url(\n  #g) }</style>",
        b'<animate attributeName="opacity" values="0;1" dur="1s"/>',
        b"<text>Use @import and url( in CSS</text>",
    ],
)
def test_a_style_or_an_animation_within_the_file_is_taken(body: bytes) -> None:
    assert svgfiles.check(SVG + body + b"</svg>") == (0, 0)
