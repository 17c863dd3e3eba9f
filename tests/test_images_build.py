"""Published images, end to end: no image the site publishes carries EXIF, GPS or XMP.

A site with a phone's photo of a unit, an appeal photo and a logo (made here
with Pillow, with GPS positions, XMP and colour profiles in them), and a feed
served by the local feed server whose posts carry a phone's photo and an
animated GIF, is built by the real command line. Every image published is
opened with Pillow; the pages' ``<picture>`` markup points at files that
exist, at the sizes it says. A second build that renders again re-encodes
nothing (the cached files keep their inode and mtime), and a registry photo
that turns out to be a decompression bomb stops the build with a
``FILE:LINE:COL`` error, never a traceback.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from tests.feeds.test_images import animated, camera_jpeg, no_metadata
from tests.feedserver import FeedServer

REPO = Path(__file__).resolve().parent.parent
IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff", ".bmp")
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><gps>43.65,-79.38</gps></rdf:RDF></x:xmpmeta>'

REGISTRY = """\
site:
  name: Harbour Police
  url: https://police.example
  languages: [en]
  contact: {{emergency: "911"}}
  logo: content/images/logo.png
  fetch:
    allow_private_addresses: true
    connect_timeout: 2
    read_timeout: 5
    total_timeout: 10
units:
  - id: marine
    name: Marine Unit
    kind: unit
    photo: content/photos/marine.jpg
    accounts:
      - {{platform: website, url: "https://news.example/", feed: "{feed}"}}
"""

APPEAL = """\
---
kind: missing
date: 2026-11-21T16:30
unit: marine
title: {en: "Missing boater, 54"}
photo: content/appeals/photos/case-7.jpg
person: {name: Pat Lindqvist, age: 54}
---
Last seen at the marina.
"""


def feed(server: FeedServer, now: datetime, posts: int = 2) -> bytes:
    items = [
        ("Boat patrol this weekend", server.url("/images/patrol.jpg"), "image/jpeg"),
        ("Ice safety, animated", server.url("/images/ice.gif"), "image/gif"),
        ("A third post", server.url("/images/patrol.jpg"), "image/jpeg"),
    ][:posts]
    body = "".join(
        f"<item><guid>post-{n}</guid><title>{title}</title>"
        f"<link>https://news.example/{n}</link>"
        f"<pubDate>{format_datetime(now - timedelta(hours=n + 1))}</pubDate>"
        f'<description>Post number {n}.</description><enclosure url="{url}" type="{kind}" '
        'length="0"/></item>'
        for n, (title, url, kind) in enumerate(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        f"<link>https://news.example/</link>{body}</channel></rss>"
    ).encode()


def logo() -> bytes:
    """A transparent PNG logo with an XMP packet and a colour profile."""
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    image.paste((10, 40, 120, 255), (40, 40, 260, 260))
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "PNG", icc_profile=profile, pnginfo=_xmp_chunk())
    return out.getvalue()


def _xmp_chunk() -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return info


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "hub", *args, "--sources", "sources.yaml"],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return run(root, "build", "--out", "public", "--cache", "cache")


class Pictures(HTMLParser):
    """Every <img> of a page, and each file its <picture> offers with the size it is shown at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str]] = []
        self.sources: list[dict[str, str]] = []
        self.files: list[tuple[str, float, int]] = []
        """(address, density, width shown) of every file offered."""
        self._pending: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "source":
            self.sources.append(values)
            self._pending.append(values["srcset"])
        elif tag == "img":
            self.images.append(values)
            width = int(values["width"])
            self.files.append((values["src"], 1.0, width))
            for srcset in (*self._pending, values.get("srcset", "")):
                for part in filter(None, srcset.split(",")):
                    address, *density = part.split()
                    self.files.append(
                        (address, float(density[0].rstrip("x")) if density else 1.0, width)
                    )
            self._pending = []


@pytest.fixture
def site(tmp_path: Path, feed_server: FeedServer) -> Path:
    root = tmp_path / "site"
    for folder in ("content/images", "content/photos", "content/appeals/photos", "themes"):
        (root / folder).mkdir(parents=True)
    (root / "themes" / "default").symlink_to(REPO / "themes" / "default")
    (root / "sources.yaml").write_text(
        REGISTRY.format(feed=feed_server.url("/feed.xml")), encoding="utf-8"
    )
    (root / "content" / "images" / "logo.png").write_bytes(logo())
    # A phone's photos: stored landscape, shown portrait (orientation 6), GPS in EXIF.
    (root / "content" / "photos" / "marine.jpg").write_bytes(camera_jpeg(2000, 1500, orientation=6))
    (root / "content" / "appeals" / "photos" / "case-7.jpg").write_bytes(
        camera_jpeg(1200, 1600, colour=(90, 90, 200))
    )
    (root / "content" / "appeals" / "case-7.md").write_text(APPEAL, encoding="utf-8")
    feed_server.route("/feed.xml", body=feed(feed_server, datetime.now(UTC)))
    feed_server.route("/images/patrol.jpg", body=camera_jpeg(1600, 1200, colour=(20, 90, 40)))
    feed_server.route("/images/ice.gif", body=animated("GIF"))
    return root


def published_images(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix.lower() in IMAGE_TYPES)


def test_no_published_image_carries_exif_gps_or_xmp(site: Path) -> None:
    originals = [p.read_bytes() for p in (site / "content").rglob("*.*") if p.suffix != ".md"]

    result = build(site)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = site / "public"
    images = published_images(out)
    kinds = {image.suffix for image in images}
    assert kinds == {".webp", ".jpg", ".png"}, "no GIF: the animation is published as a still"
    # The logo (2 sizes), the unit's photo (3), the appeal's (2), two feed images (1 and 2),
    # each in two formats.
    assert len(images) >= 20
    for image in images:
        data = image.read_bytes()
        no_metadata(data)
        assert XMP not in data and b"xmpmeta" not in data
        assert data not in originals, f"{image} is published as it came"
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            assert getattr(opened, "n_frames", 1) == 1
    # Nothing anywhere in the site carries what the camera wrote.
    for file in out.rglob("*"):
        if file.is_file():
            assert b"PhoneMaker" not in file.read_bytes(), file


def test_the_pages_show_pictures_whose_files_exist_at_the_sizes_they_say(site: Path) -> None:
    assert build(site).returncode == 0
    out = site / "public"

    unit = Pictures()
    unit.feed((out / "en" / "units" / "marine" / "index.html").read_text(encoding="utf-8"))
    [avatar] = [i for i in unit.images if "avatar--large" in i.get("class", "")]
    assert (avatar["width"], avatar["height"]) == ("112", "112")
    assert avatar["src"].endswith(".jpg") and " 2x" in avatar["srcset"]
    assert any(s["type"] == "image/webp" for s in unit.sources)

    home = Pictures()
    home.feed((out / "en" / "index.html").read_text(encoding="utf-8"))
    thumbs = [i for i in home.images if i.get("class") == "post-thumb"]
    assert [(t["width"], t["height"]) for t in thumbs] == [("597", "448"), ("24", "16")]
    appeal = [i for i in home.images if i.get("class") == "appeal-photo"]
    assert appeal and "/appeals/" in appeal[0]["src"]
    assert "lindqvist" not in appeal[0]["src"].lower() and "case-7" not in appeal[0]["src"]

    for parsed in (unit, home):
        for address, density, width in parsed.files:
            path = out / address.lstrip("/")
            assert path.is_file(), address
            with Image.open(path) as image:
                # Each file is its density times the width shown, never more.
                assert image.width == round(width * density), address


def test_a_second_build_encodes_nothing_again(site: Path, feed_server: FeedServer) -> None:
    assert build(site).returncode == 0
    cache = site / "cache" / "images"
    made = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.iterdir()}
    published = {p: p.read_bytes() for p in published_images(site / "public")}
    assert len(made) >= 20

    # A new post (with an image already copied): the site is built again, pages rendered.
    feed_server.route("/feed.xml", body=feed(feed_server, datetime.now(UTC), posts=3))
    second = build(site)

    assert second.returncode == 0, second.stderr
    assert "build:" in second.stderr and "(0 written" not in second.stderr
    again = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.iterdir()}
    assert again == made, "every image was in the cache: none was encoded again"
    assert {p: p.read_bytes() for p in published_images(site / "public")} == published


def test_a_registry_photo_that_is_a_decompression_bomb_stops_the_build(site: Path) -> None:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    (site / "content" / "photos" / "marine.jpg").write_bytes(out.getvalue())

    result = build(site)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        'sources.yaml:16:12: error: units[0].photo: "content/photos/marine.jpg" is 144 '
        "megapixels; the limit is 40 megapixels"
    ) in result.stderr
    assert not (site / "public").exists()


def test_the_feeds_point_at_the_sites_own_copies_of_the_pictures(
    site: Path, feed_server: FeedServer
) -> None:
    assert build(site).returncode == 0
    out = site / "public"
    own = "https://police.example/"
    atom = (out / "en" / "feed.xml").read_text(encoding="utf-8")
    enclosures = re.findall(r'<link rel="enclosure" href="([^"]*)"', atom)
    attachments = [
        a["url"]
        for item in json.loads((out / "en" / "feed.json").read_text(encoding="utf-8"))["items"]
        for a in item.get("attachments", [])
    ]
    assert len(enclosures) == len(attachments) == 2
    for address in enclosures + attachments:
        assert address.startswith(own), address
        assert (out / address.removeprefix(own)).is_file(), address
    # Nothing in a feed loads anything from where the posts came from (the archive's
    # _hub member names the original, as data for a re-seed, which no reader loads).
    server = feed_server.url("")
    assert server not in atom
    for item in json.loads((out / "en" / "feed.json").read_text(encoding="utf-8"))["items"]:
        assert server not in item["content_html"] + json.dumps(item.get("attachments"))


def test_a_pictures_alt_text_says_its_language_where_it_is_not_the_pages(
    site: Path, feed_server: FeedServer
) -> None:
    french = feed(feed_server, datetime.now(UTC)).replace(
        b"<title>News</title>", b"<title>News</title><language>fr</language>"
    )
    feed_server.route("/feed.xml", body=french)
    assert build(site).returncode == 0
    home = Pictures()
    home.feed((site / "public" / "en" / "index.html").read_text(encoding="utf-8"))
    thumbs = [i for i in home.images if i.get("class") == "post-thumb"]
    assert thumbs and all(t.get("lang") == "fr" for t in thumbs)
