"""A lost store re-seeded from the published site, end to end: the real command line in
subprocesses, a local feed server, and the published site served by a second local server.

A first build publishes from the feeds. The output folder is then served as
the deployed site; the cache and the output folder are deleted (a CI runner
whose cache was evicted) and every feed fails. The next build re-seeds the
store from the site's archive and publishes every post it published before,
in every page and feed, and the publish gate agrees. Also: the site given
with ``--baseline``; a published site that is down (the build goes on as it
would without the archive, and says why); a store that is not empty (no
re-seed); a hostile archive (nothing runs, nothing crashes).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from hub.feeds.sitearchive import feed_key
from hub.store.database import STORE_NAME
from hub.store.history import History
from tests.feedserver import FeedServer

REPO = Path(__file__).resolve().parent.parent
UNITS = 4
MANY = 230
"""Posts of unit 0's second feed, of which the store keeps 200 (``site.fetch.max_entries``):
with its website's, more than one archive page."""
KEPT = 200
NOW = datetime.now(UTC)


def rss(items: list[str], title: str = "News") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>{title}</title><link>https://units.example/</link>"
        f"<description>News</description>{''.join(items)}</channel></rss>"
    ).encode()


def item(
    guid: str, text: str, when: datetime | None, *, title: str | None = None, extra: str = ""
) -> str:
    date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
    head = f"<title>{title}</title>" if title is not None else ""
    return (
        f"<item>{head}<link>https://units.example/{guid}</link><guid>{guid}</guid>{date}"
        f"<description>{text}</description>{extra}</item>"
    )


def website_feed(unit: int) -> bytes:
    items = [
        item(
            f"u{unit}-{k}",
            f"Road closure number {k} announced by unit {unit}.",
            NOW - timedelta(days=k + 1, hours=unit),
            title=f"Unit {unit} notice {k}",
        )
        for k in range(3)
    ]
    if unit == 1:
        # A picture with its alt text, a post with no title, and one with no date at all.
        picture = (
            '<media:content url="https://img.units.example/u1.jpg" medium="image">'
            "<media:description>A snowplough on Main Street</media:description></media:content>"
        )
        items.append(
            item(
                "u1-photo",
                "Plough ahead.",
                NOW - timedelta(hours=5),
                title="Ploughs",
                extra=picture,
            )
        )
        items.append(
            item("u1-untitled", "A post without a title of its own.", NOW - timedelta(hours=6))
        )
        items.append(item("u1-undated", "A post that gives no date.", None, title="Undated"))
    if unit == 2:
        # The same post on the unit's Mastodon account: shown once, "also posted on".
        items.append(
            item(
                "u2-cross", "Snow tires save lives this winter.", NOW - timedelta(hours=3), title=""
            )
        )
    return rss(items, f"Unit {unit}")


def mastodon_feed(unit: int) -> bytes:
    if unit == 0:
        items = [
            item(f"m0-{k}", f"Traffic advisory {k} for the east end.", NOW - timedelta(hours=k + 1))
            for k in range(MANY)
        ]
    else:
        items = [
            item(
                "m2-cross",
                "Snow tires save lives this winter.",
                NOW - timedelta(hours=3, minutes=5),
            )
        ]
    return rss(items, f"Unit {unit} on Mastodon")


def sources(feeds: FeedServer, site_url: str) -> str:
    lines = [
        "site:",
        "  name: Test Bay Police",
        f"  url: {site_url}",
        "  languages: [en, fr]",
        '  contact: {emergency: "911"}',
        "  fetch:",
        "    allow_private_addresses: true",
        "    connect_timeout: 2",
        "    read_timeout: 5",
        "    total_timeout: 10",
        "units:",
    ]
    for n in range(UNITS):
        lines += [
            f"  - id: unit-{n}",
            f"    name: Unit {n}",
            "    kind: unit",
            "    accounts:",
            f'      - {{platform: website, url: "https://units.example/{n}", '
            f'feed: "{feeds.url(f"/feeds/{n}.xml")}"}}',
        ]
        if n in (0, 2):
            lines.append(
                f'      - {{platform: mastodon, handle: "@unit{n}@social.example", '
                f'feed: "{feeds.url(f"/feeds/m{n}.xml")}"}}'
            )
    lines += [
        "officers:",
        "  - name: Officer Number0",
        "    unit: unit-0",
        "    accounts:",
        "      - {platform: x, handle: Officer0}",
    ]
    return "\n".join(lines) + "\n"


class Service:
    """A service's folder as CI checks it out, its feeds, and its published site."""

    def __init__(self, root: Path, feeds: FeedServer, site: FeedServer) -> None:
        self.root = root
        self.feeds = feeds
        self.site = site
        self.out = root / "public"
        self.cache = root / ".hub-cache"
        shutil.copytree(REPO / "themes", root / "themes")
        for n in range(UNITS):
            feeds.route(f"/feeds/{n}.xml", body=website_feed(n))
        for n in (0, 2):
            feeds.route(f"/feeds/m{n}.xml", body=mastodon_feed(n))

    def write_sources(self, site_url: str) -> None:
        (self.root / "sources.yaml").write_text(sources(self.feeds, site_url), encoding="utf-8")

    def build(self, *args: str) -> subprocess.CompletedProcess[str]:
        environ = {
            k: v
            for k, v in os.environ.items()
            if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")
        }
        environ["PYTHONIOENCODING"] = "utf-8"
        return subprocess.run(
            [sys.executable, str(REPO / "build.py"), *args],
            cwd=self.root,
            env=environ,
            capture_output=True,
            encoding="utf-8",
            timeout=240,
            check=False,
        )

    def publish(self) -> Path:
        """Deploy the output folder: the site server serves a copy of it, file by file."""
        deployed = self.root / "deployed"
        shutil.rmtree(deployed, ignore_errors=True)
        shutil.copytree(self.out, deployed)
        for path in deployed.rglob("*"):
            if path.is_file():
                self.site.route("/" + path.relative_to(deployed).as_posix(), body=path.read_bytes())
        return deployed

    def lose_everything(self) -> None:
        """A new CI runner whose cache was evicted: no store, no output folder."""
        shutil.rmtree(self.cache)
        shutil.rmtree(self.out)

    def report(self) -> dict[str, Any]:
        return json.loads((self.cache / "report.json").read_text(encoding="utf-8"))

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.out / "hub-manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def service(tmp_path: Path) -> Any:
    with FeedServer() as feeds, FeedServer() as site:
        yield Service(tmp_path, feeds, site)


def published(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


_POST_LINK = re.compile(r'href="(https://units\.example/[^"]+)"')


def posts_shown(folder: Path) -> dict[str, Any]:
    """Every post each page links to and each JSON Feed carries, by file."""
    shown: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".html":
            shown[name] = sorted(set(_POST_LINK.findall(path.read_text(encoding="utf-8"))))
        elif path.suffix == ".json" and "items" in (data := json.loads(path.read_bytes())):
            shown[name] = [(i["id"], i.get("url"), i.get("title")) for i in data["items"]]
    return shown


def test_a_lost_cache_during_an_outage_is_re_seeded_from_the_published_site(
    service: Service,
) -> None:
    service.write_sources(service.site.url("/"))
    first = service.build()
    published(first)
    before = posts_shown(service.out)
    manifest = service.manifest()
    assert manifest["posts"] == UNITS * 3 + 3 + KEPT + 1
    # The archive holds every post, unit 0's over two pages.
    pages = json.loads((service.out / "archive/units/unit-0/1.json").read_text(encoding="utf-8"))
    assert pages["next_url"] == service.site.url("/archive/units/unit-0/2.json")
    assert (service.out / "archive/units/unit-0/2.json").is_file()
    assert "Also posted on" in (service.out / "en/units/unit-2/index.html").read_text("utf-8")
    archived = (service.out / "archive/units/unit-1/1.json").read_text(encoding="utf-8")
    assert "A snowplough on Main Street" in archived
    deployed = service.publish()

    # The cache is evicted and every feed is down: the build re-seeds, then fetches.
    service.lose_everything()
    service.feeds.stop()
    again = service.build()
    published(again)
    assert f"reseed: the store was empty: re-seeded from {service.site.url('/')}" in again.stderr
    assert "gate: passed" in again.stderr
    assert posts_shown(service.out) == before
    assert service.manifest() == manifest
    # Every file is the same to the byte: "also posted on", the post with no title, the
    # one with no date, the alt text of a picture, the archive itself.
    for path in deployed.rglob("*"):
        if path.is_file():
            again_made = service.out / path.relative_to(deployed)
            assert again_made.read_bytes() == path.read_bytes(), path
    report = service.report()
    assert report["reseed"]["posts"] == manifest["posts"] + 1  # the cross-post's own entry too
    assert report["reseed"]["accounts"] == UNITS + 2
    assert report["reseed"]["from"] == service.site.url("/")
    assert report["feeds"]["failed"] == UNITS + 2
    assert report["gate"]["verdict"] == "passed"
    assert report["outcome"] == "published"
    # The audit trail says where each post came from.
    trail = History.read_only(service.cache / STORE_NAME)
    try:
        events = trail.events()
    finally:
        trail.close()
    assert {e.event for e in events} == {"reseeded"}
    assert len(events) == manifest["posts"] + 1
    assert {e.reason for e in events} == {
        f"re-seeded from the published site {service.site.url('/')}"
    }


def test_the_site_given_with_baseline_and_a_site_that_is_down(service: Service) -> None:
    # The registry's address is down (it is the stopped feed server's).
    service.write_sources(service.feeds.url("/site/"))
    published(service.build())
    before = posts_shown(service.out)
    service.publish()
    service.lose_everything()
    service.feeds.stop()

    # The published site down: the build goes on as without a re-seed, and says why.
    down = service.build()
    published(down)  # no baseline could be read: nothing to compare with, as before
    assert "not re-seeded" in down.stderr
    report = service.report()
    assert report["reseed"]["posts"] == 0
    assert "hub-manifest.json" in report["reseed"]["not_reseeded"]
    assert report["gate"]["verdict"] == "no_baseline"
    assert service.manifest()["posts"] == 0

    # Given with --baseline, the site served elsewhere re-seeds the store.
    shutil.rmtree(service.cache)
    shutil.rmtree(service.out)
    baseline = service.site.url("/hub-manifest.json")
    again = service.build("--baseline", baseline)
    published(again)
    assert posts_shown(service.out) == before
    assert service.report()["gate"]["verdict"] == "passed"

    # The store is not empty now: the next build asks the site for its manifest only.
    service.site.reset()
    third = service.build("--baseline", baseline)
    published(third)
    assert "reseed" not in third.stderr
    assert service.report()["reseed"] is None
    assert [r.path for r in service.site.requests] == ["/hub-manifest.json"]


HOSTILE = "<script>alert(1)</script>"


def hostile_archive(source: str) -> tuple[bytes, bytes]:
    """An index and a page written by someone else: markup, bad links, wrong types, huge text."""
    hub = {"feed": feed_key(source), "first_seen": "2026-11-01T10:00:00Z"}
    items: list[Any] = [
        {
            "id": "a",
            "url": "javascript:alert(2)",
            "title": f"{HOSTILE} Hostile title",
            "content_html": (
                f'<p onclick="x()">Read</p>{HOSTILE}<img src="https://tracker.example/p.gif" '
                'onerror="y()"><a href="javascript:z()">z</a>'
            ),
            "date_published": "2026-11-01T10:00:00Z",
            "_hub": {
                **hub,
                "id": "hostile-1",
                "media": [
                    {"url": "javascript:alert(3)", "alt": HOSTILE},
                    {
                        "url": "https://tracker.example/big.jpg",
                        "alt": "x" * 100_000,
                        "type": "image/jpeg",
                    },
                ],
                "author": HOSTILE,
                "summary": HOSTILE + "<p>kept</p>",
            },
        },
        {
            "id": "b",
            "title": "T" * 200_000,
            "content_html": "x" * 500_000,
            "_hub": {**hub, "id": "i" * 10_000},
        },
        {
            "id": "c",
            "title": ["not", "text"],
            "content_html": {"a": 1},
            "tags": "nope",
            "_hub": {**hub, "id": 7, "first_seen": 12},
        },
        {
            "id": "d",
            "title": "wrong types in _hub",
            "content_text": "ok",
            "_hub": {"feed": None, "id": "x"},
        },
        {
            "id": "e",
            "title": "future",
            "content_text": "from the future",
            "date_published": "9999-12-31T23:59:59Z",
            "_hub": {**hub, "id": "future", "first_seen": "9999-01-01T00:00:00Z"},
        },
        "not an item",
        None,
    ]
    page = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hostile",
        "items": items,
        "next_url": "https://elsewhere.example/../../etc/passwd",
    }
    index = {
        "format": 1,
        "archives": ["archive/units/unit-3/1.json", "../../secret.json", 42],
        "resolved": [None, "zz"],
    }
    return json.dumps(index).encode(), json.dumps(page).encode()


def test_a_hostile_archive_is_read_as_any_feed_would_be(service: Service) -> None:
    service.write_sources(service.site.url("/"))
    published(service.build())
    service.publish()
    index, page = hostile_archive(service.feeds.url("/feeds/3.xml"))
    service.site.route("/archive/index.json", body=index)
    service.site.route("/archive/units/unit-3/1.json", body=page)
    service.lose_everything()
    service.feeds.stop()
    result = service.build()
    assert "Traceback" not in result.stderr
    report = service.report()
    # a, b (its long id hashed) and e; c's id is no text, d names no feed of the registry.
    assert report["reseed"]["posts"] == 3
    assert result.returncode == 3  # three posts of a site that had many: the gate refuses
    assert report["gate"]["verdict"] == "refused"
    # Published all the same, to see what the pages and feeds would show.
    forced = service.build("--force", "--offline")
    published(forced)
    markup = "\n".join(
        p.read_text(encoding="utf-8")
        for p in service.out.rglob("*")
        if p.suffix in (".html", ".xml")
    )
    assert "Hostile title" in markup
    for bad in ("<script>", "javascript:", "onerror", "onclick"):
        assert bad not in markup, bad
    # The feeds carry the post's HTML as any feed's, pictures and all; the pages
    # show only the site's own copies of pictures, never another site's.
    pages = "\n".join(p.read_text(encoding="utf-8") for p in service.out.rglob("*.html"))
    assert "tracker.example" not in pages
    items = json.loads((service.out / "archive/units/unit-3/1.json").read_bytes())["items"]
    assert len(items) == 3
    for found in items:
        html = found.get("content_html", "")
        for bad in ("<script", "javascript:", "onerror", "onclick"):
            assert bad not in html, bad
        assert len(found["title"]) <= 500
    hostile = next(i for i in items if i["_hub"]["id"] == "hostile-1")
    assert "url" not in hostile
    assert hostile["_hub"]["media"] == [
        {"url": "https://tracker.example/big.jpg", "alt": "x" * 1499 + "…", "type": "image/jpeg"}
    ]
    assert hostile["_hub"]["summary"] == "<p>kept</p>"
