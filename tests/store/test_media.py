"""Feed images copied into the site: chosen, fetched once, recorded, shown from home.

The images are made by the encoders of tests/feeds/test_images.py and served
by the local feed server; the store is a real SQLite file.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from hub.feeds.images import MAX_IMAGE_BYTES
from hub.model import Entry, FetchSettings, Media, MediaFile
from hub.publish.tree import publish
from hub.registry import load as registry
from hub.render import pages as generate
from hub.render import theme
from hub.site import model as site
from hub.site.content import load_content
from hub.store import media
from hub.store.database import MEDIA_RETRY, Store
from hub.store.media import ThumbReport
from tests.feeds.test_images import HTML, SVG, camera_jpeg, gif, jpeg, no_metadata, png, webp
from tests.feedserver import FeedServer
from tests.oldstore import as_schema

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
AGENT = "police-social-hub/test (+https://hub.test.example)"
LOCAL = FetchSettings(allow_private_addresses=True, connect_timeout=2, read_timeout=2)
FEED = "feeds/comms.xml"


# Images, made by hand


def entry(number: int, url: str | None, *, alt: str = "", kind: str | None = None) -> Entry:
    """An entry of the test feed; the higher the number, the newer."""
    media = (Media(url, alt, kind),) if url else ()
    return Entry(
        feed=FEED,
        id=f"post-{number}",
        title="",
        summary=f"Community update number {number}.",
        link=f"https://social.test.example/@police/{number}",
        published=NOW - timedelta(days=1) + timedelta(minutes=number),
        media=media,
    )


def stored(store: Store, entries: list[Entry], at: datetime = NOW) -> None:
    store.record_success(FEED, entries, now=at, etag=None, last_modified=None, content_hash=None)


def refresh(
    store: Store,
    cache: Path,
    settings: FetchSettings = LOCAL,
    *,
    now: datetime = NOW,
    limit: int = 500,
) -> ThumbReport:
    return media.refresh(store, settings, user_agent=AGENT, cache=cache, now=now, limit=limit)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def store(cache: Path) -> Iterator[Store]:
    with Store.open(cache / "store.sqlite3") as opened:
        yield opened


IMAGES = {
    # Re-encoded: a photo (JPEG, WebP) as JPEG, anything else as PNG.
    "/a.png": (png(37, 21), "png", 37, 21),
    "/b.jpg": (jpeg(640, 360), "jpg", 640, 360),
    "/c.gif": (gif(16, 9), "png", 16, 9),
    "/d.webp": (webp(300, 200), "jpg", 300, 200),
}


def test_images_are_saved_by_content_with_their_size(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    for path, (body, *_) in IMAGES.items():
        # The Content-Type is not believed either way.
        feed_server.route(path, body=body, headers={"Content-Type": "application/octet-stream"})
    stored(store, [entry(n, feed_server.url(path)) for n, path in enumerate(IMAGES)])

    report = refresh(store, cache)

    assert report.saved == 4 and report.failed == () and report.waiting == 0
    saved = store.media_map()
    for path, (body, extension, width, height) in IMAGES.items():
        copy = saved[feed_server.url(path)]
        kept = (cache / "media" / copy.file).read_bytes()
        # A copy made from the pixels, never the bytes downloaded; named by its own content.
        assert kept != body
        assert copy == MediaFile(f"{hashlib.sha256(kept).hexdigest()}.{extension}", width, height)
        with Image.open(io.BytesIO(kept)) as image:
            assert image.size == (width, height)
    assert sorted(p.name for p in (cache / "media").iterdir()) == sorted(
        f.file for f in saved.values()
    ), "no temporary file is left behind"
    agents = {r.headers["user-agent"] for r in feed_server.requests}
    assert agents == {AGENT}


PNG_TYPE, JPEG_TYPE = {"Content-Type": "image/png"}, {"Content-Type": "image/jpeg"}
REFUSED: dict[str, tuple[dict[str, object] | None, str]] = {
    "/svg.png": ({"body": SVG, "headers": PNG_TYPE}, "SVG"),
    "/page.jpg": ({"body": HTML, "headers": JPEG_TYPE}, "HTML page"),
    "/cut.png": ({"body": png(64, 64)[:-30], "headers": PNG_TYPE}, "PNG image cut short"),
    "/huge.jpg": ({"body": b"\xff" * (MAX_IMAGE_BYTES + 1), "headers": JPEG_TYPE}, "1 MiB"),
    # Too large, with no Content-Length: the cap stops it while it streams.
    "/unsized.gif": (
        {"body": gif(4, 4)[:-1] + b"\x00" * MAX_IMAGE_BYTES + b";", "content_length": False},
        "body larger than",
    ),
    "/missing.png": (None, "HTTP 404"),
}


def test_anything_but_an_image_is_refused_and_recorded(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    for path, (route, _) in REFUSED.items():
        if route is not None:
            feed_server.route(path, **route)
    stored(store, [entry(n, feed_server.url(path)) for n, path in enumerate(REFUSED)])

    report = refresh(store, cache)

    assert report.saved == 0
    reasons = dict(report.failed)
    assert set(reasons) == {feed_server.url(path) for path in REFUSED}
    for path, (_, reason) in REFUSED.items():
        assert reason in reasons[feed_server.url(path)], path
    assert store.media_map() == {}
    assert not (cache / "media").exists() or not any((cache / "media").iterdir())
    with sqlite3.connect(cache / "store.sqlite3") as db:
        rows = db.execute("SELECT url, file, error, attempted_at FROM media").fetchall()
    assert {row[0] for row in rows} == set(reasons)
    assert all(row[1] is None and row[2] and row[3] for row in rows)


def test_a_private_address_is_refused_unless_allowed(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    feed_server.route("/a.png", body=png(4, 4))
    stored(store, [entry(1, feed_server.url("/a.png"))])

    report = refresh(store, cache, FetchSettings())

    assert report.saved == 0
    (url, reason), *_ = report.failed
    assert url == feed_server.url("/a.png")
    assert "refused" in reason and "loopback" in reason
    assert feed_server.requests == []


def test_only_http_and_https_are_fetched(store: Store, cache: Path) -> None:
    stored(store, [entry(1, "file:///etc/passwd"), entry(2, "ftp://files.test.example/a.png")])

    report = refresh(store, cache)

    assert report.saved == 0
    assert all("only http and https" in reason for _, reason in report.failed)
    assert len(report.failed) == 2


def test_an_image_is_downloaded_once(feed_server: FeedServer, store: Store, cache: Path) -> None:
    feed_server.route("/a.png", body=png(4, 4))
    stored(store, [entry(1, feed_server.url("/a.png")), entry(2, feed_server.url("/a.png"))])

    first = refresh(store, cache)
    second = refresh(store, cache, now=NOW + timedelta(days=30))

    assert (first.saved, second.saved) == (1, 0)
    assert len(feed_server.requests) == 1


def test_a_lost_copy_is_downloaded_again(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    feed_server.route("/a.png", body=png(4, 4))
    stored(store, [entry(1, feed_server.url("/a.png"))])
    refresh(store, cache)
    for file in (cache / "media").iterdir():
        file.unlink()

    report = refresh(store, cache)

    assert report.saved == 1
    assert len(feed_server.requests) == 2
    assert len(list((cache / "media").iterdir())) == 1


def test_a_failed_image_is_left_alone_for_a_day(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    url = feed_server.url("/late.png")
    stored(store, [entry(1, url)])

    assert "HTTP 404" in dict(refresh(store, cache).failed)[url]
    feed_server.route("/late.png", body=png(4, 4))
    for hours in (1, 12, 23.99):
        report = refresh(store, cache, now=NOW + timedelta(hours=hours))
        assert report.saved == 0 and report.failed == ()
    assert len(feed_server.requests) == 1

    report = refresh(store, cache, now=NOW + MEDIA_RETRY)

    assert report.saved == 1
    assert len(feed_server.requests) == 2
    assert url in store.media_map()


def test_the_newest_come_first_and_a_run_has_a_limit(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    for number in range(5):
        feed_server.route(f"/{number}.png", body=png(number + 1, 1))
    stored(store, [entry(n, feed_server.url(f"/{n}.png")) for n in range(5)])

    first = refresh(store, cache, limit=2)

    assert (first.saved, first.waiting) == (2, 3)
    assert set(store.media_map()) == {feed_server.url("/4.png"), feed_server.url("/3.png")}

    second = refresh(store, cache, limit=2)
    third = refresh(store, cache, limit=2)

    assert (second.saved, second.waiting, third.saved, third.waiting) == (2, 1, 1, 0)
    assert len(store.media_map()) == 5
    assert len(feed_server.requests) == 5


def test_only_the_first_media_item_and_only_an_image(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    for name in ("video.mp4", "second.png", "untyped", "typed.png"):
        feed_server.route(f"/{name}", body=png(2, 2))
    video = Entry(
        feed=FEED,
        id="video",
        title="A video",
        media=(
            Media(feed_server.url("/video.mp4"), "", "video/mp4"),
            Media(feed_server.url("/second.png"), "", "image/png"),
        ),
        published=NOW - timedelta(hours=1),
    )
    stored(
        store,
        [
            video,
            entry(1, feed_server.url("/untyped")),
            entry(2, feed_server.url("/typed.png"), kind="IMAGE/PNG"),
        ],
    )

    refresh(store, cache)

    assert {urlsplit(r.path).path for r in feed_server.requests} == {"/untyped", "/typed.png"}


def test_copies_no_page_can_show_are_deleted(
    feed_server: FeedServer, store: Store, cache: Path
) -> None:
    feed_server.route("/old.png", body=png(3, 3))
    feed_server.route("/new.png", body=png(5, 5))
    old, new = entry(1, feed_server.url("/old.png")), entry(2, feed_server.url("/new.png"))
    stored(store, [new, old])
    refresh(store, cache)
    assert len(list((cache / "media").iterdir())) == 2

    # The newer post is deleted from the feed: it is withdrawn, and so is its picture.
    stored(store, [old], NOW + timedelta(hours=1))
    report = refresh(store, cache, now=NOW + timedelta(hours=1))

    assert report.deleted == 1
    assert set(store.media_map()) == {old.media[0].url}
    kept = store.media_map()[old.media[0].url].file
    assert [p.name for p in (cache / "media").iterdir()] == [kept]


def test_a_store_from_before_thumbnails_is_upgraded(cache: Path) -> None:
    path = cache / "store.sqlite3"
    with Store.open(path) as store:
        stored(store, [entry(1, "https://img.test.example/a.png")])
    as_schema(path, 1)

    with Store.open(path) as store:
        assert [e.id for e in store.entries()] == ["post-1"]
        assert store.media_due(["https://img.test.example/a.png"], NOW) == [
            "https://img.test.example/a.png"
        ]


# Showing them


REGISTRY = """\
site:
  name: Test Police Service
  url: https://hub.test.example
  languages: [en]
  contact: {emergency: "911"}
units:
  - id: comms
    name: Corporate Communications
    kind: office
    official: true
    accounts:
      - platform: mastodon
        handle: "@police@social.test.example"
        feed: feeds/comms.xml
"""


class _Resources(HTMLParser):
    """Every address a page would load by itself, and the ``<link>`` addresses.

    Links a reader follows (``<a href>``) may go anywhere.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loaded: list[str] = []
        self.thumbs: list[dict[str, str]] = []
        self.sources: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "poster", "data"):
            if name in values:
                self.loaded.append(values[name])
        if "srcset" in values:
            self.loaded += [part.split()[0] for part in values["srcset"].split(",") if part]
        if tag == "link" and "href" in values:
            self.loaded.append(values["href"])
        if tag == "use" and "href" in values:
            self.loaded.append(values["href"])
        if tag == "img" and "post-thumb" in values.get("class", "").split():
            self.thumbs.append(values)
        if tag == "source":
            self.sources.append(values)


def test_a_post_shows_its_local_copy_and_nothing_else(
    feed_server: FeedServer, store: Store, cache: Path, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    (root / "feeds").mkdir(parents=True)
    (root / "themes").symlink_to(ROOT / "themes", target_is_directory=True)
    (root / "feeds" / "comms.xml").write_text("<rss version='2.0'><channel/></rss>")
    (root / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    # A phone's photo, GPS position and all, larger than a card shows it; a small drawing.
    feed_server.route("/with-alt.jpg", body=camera_jpeg(1600, 900))
    feed_server.route("/decorative.png", body=png(37, 21))
    never_saved = "https://images.elsewhere.example/never.png"
    posts = [
        entry(1, never_saved),
        entry(2, feed_server.url("/with-alt.jpg"), alt='Officers at the "safe" <crosswalk>'),
        entry(3, feed_server.url("/decorative.png")),
        entry(4, None),
    ]
    stored(store, posts)
    refresh(store, cache)
    # A copy whose post is not on any page is not published.
    store.record_media(
        "https://img.test.example/unused.png", now=NOW, saved=MediaFile("f" * 64 + ".png", 1, 1)
    )
    (cache / "media" / ("f" * 64 + ".png")).write_bytes(png(1, 1))

    reg = registry.loads((root / "sources.yaml").read_bytes(), root / "sources.yaml").registry
    model = site.build(reg, store.entries(now=NOW), load_content(root / "content", ("en",)), NOW)
    output = generate.collect(model, theme.load(root, "default"), media.stored(store, cache))
    out = tmp_path / "public"
    publish(output, out)

    # Each shown at the theme's post size (640 x 448 at most): the photo at 1x and 2x,
    # the drawing as it is, each as WebP and JPEG, made from the pixels only.
    sizes: dict[str, tuple[str, tuple[int, int]]] = {}
    for file in sorted((out / "media" / "thumbs").iterdir()):
        no_metadata(file.read_bytes())
        with Image.open(file) as image:
            sizes[f"/media/thumbs/{file.name}"] = (image.format or "", image.size)
    assert sorted(sizes.values()) == [
        ("JPEG", (37, 21)),
        ("JPEG", (640, 360)),
        ("JPEG", (1280, 720)),
        ("WEBP", (37, 21)),
        ("WEBP", (640, 360)),
        ("WEBP", (1280, 720)),
    ], "the unused copy is not published"
    by_size = {value: path for path, value in sizes.items()}

    home = _Resources()
    home.feed((out / "en" / "index.html").read_text(encoding="utf-8"))
    photo = f"{by_size['JPEG', (640, 360)]} 1x, {by_size['JPEG', (1280, 720)]} 2x"
    assert home.thumbs == [
        {
            "class": "post-thumb",
            "src": by_size["JPEG", (37, 21)],
            "alt": "",
            "width": "37",
            "height": "21",
            "loading": "lazy",
            "decoding": "async",
        },
        {
            "class": "post-thumb",
            "src": by_size["JPEG", (640, 360)],
            "srcset": photo,
            "alt": 'Officers at the "safe" <crosswalk>',
            "width": "640",
            "height": "360",
            "loading": "lazy",
            "decoding": "async",
        },
    ], "posts 4 (no image) and 1 (never saved) show none; newest first"
    webp = f"{by_size['WEBP', (640, 360)]} 1x, {by_size['WEBP', (1280, 720)]} 2x"
    assert home.sources == [
        {"type": "image/webp", "srcset": by_size["WEBP", (37, 21)]},
        {"type": "image/webp", "srcset": webp},
    ]

    pages = list(out.rglob("*.html"))
    assert len(pages) > 3
    for page in pages:
        found = _Resources()
        found.feed(page.read_text(encoding="utf-8"))
        for address in found.loaded:
            parts = urlsplit(address)
            own = parts.scheme in ("", "https") and parts.netloc in ("", "hub.test.example")
            assert own, f"{page}: loads {address}"
        assert never_saved not in page.read_text(encoding="utf-8")


def test_without_thumbnails_a_post_has_no_picture(
    store: Store, cache: Path, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    (root / "feeds").mkdir(parents=True)
    (root / "themes").symlink_to(ROOT / "themes", target_is_directory=True)
    (root / "feeds" / "comms.xml").write_text("<rss version='2.0'><channel/></rss>")
    (root / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    stored(store, [entry(1, "https://images.elsewhere.example/a.png")])
    reg = registry.loads((root / "sources.yaml").read_bytes(), root / "sources.yaml").registry
    model = site.build(reg, store.entries(now=NOW), load_content(root / "content", ("en",)), NOW)

    output = generate.collect(model, theme.load(root, "default"))

    assert not any(path.startswith("media/thumbs/") for path in output.paths())
    out = tmp_path / "public"
    publish(output, out)
    home = _Resources()
    home.feed((out / "en" / "index.html").read_text(encoding="utf-8"))
    assert home.thumbs == []


def test_the_feeds_timeouts_apply(feed_server: FeedServer, store: Store, cache: Path) -> None:
    # A slow image is one image's failure, bounded by the feeds' own timeouts.
    feed_server.route("/slow.png", body=png(4, 4), delay=1.0)
    stored(store, [entry(1, feed_server.url("/slow.png"))])

    report = refresh(store, cache, replace(LOCAL, read_timeout=0.2, total_timeout=0.3))

    assert report.saved == 0
    assert "timed out" in dict(report.failed)[feed_server.url("/slow.png")]
