"""A small police service for the governance report's tests, served on loopback.

Test Bay Police has units and an officer with ``admin:`` blocks (inherited
along the unit tree), feeds that post, went quiet, never posted, fail after
a success or never succeed, a former officer who still posts, images with
and without alt text, a held post, and Mastodon and Bluesky profiles whose
APIs (``HUB_API_BASE_MASTODON``, ``HUB_API_BASE_BLUESKY``) answer, in their
documented shapes, from the same :class:`~tests.feedserver.FeedServer` as
the feeds. :func:`fill_store` reads the feeds into a real store with two
real runs of ``hub fetch``'s updater.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.model import Registry
from hub.registry import load as registry_loader
from hub.store.database import STORE_NAME, Store
from hub.store.update import update
from tests.feedserver import FeedServer
from tests.governance.socialapis import (
    Answer,
    SocialApis,
    bluesky_profile,
    field_,
    mastodon_account,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
"""The report's clock."""
FIRST_RUN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
"""The first fetch: every feed but one answers."""
SECOND_RUN = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)
"""The second fetch: ``broken.xml`` now fails."""

OWNER = "Insp. Maria Okafor"
OWNER_MAIL = "maria.okafor@testbay.example"
TRAFFIC_OWNER = "Sgt Lee Park"
TRAFFIC_PHONE = "+1 555 0100"
APPROVER = "Supt. Harriet Quill"
NOTE = "Passwords in the Zanzibar vault"
PERSONAL = (OWNER, OWNER_MAIL, TRAFFIC_OWNER, TRAFFIC_PHONE, APPROVER, NOTE, "okafor", "Quill")
"""Every admin: value that names or reaches a person: never in a published file."""

SITE = "https://connect.testbay.example"
THEME = Path(__file__).resolve().parents[2] / "themes" / "default"

REGISTRY = """\
site:
  name: Test Bay Police
  url: {site}
  languages: [en]
  contact: {{emergency: "911"}}
  timezone: UTC
  fetch: {{allow_private_addresses: true, connect_timeout: 2, read_timeout: 5, total_timeout: 5}}
units:
  - id: comms
    name: Communications
    kind: office
    admin:
      owner: "{owner}"
      contact: {mail}
      trained: 2026-01-10
      approved_by: "{approver}"
      approved: 2026-01-12
      review_by: 2027-06-01
      notes: "{note}"
    accounts:
      - {{platform: website, url: "https://testbay.example/", feed: "{base}/news.xml"}}
      - {{platform: mastodon, handle: "@testbay@social.testbay.example", feed: "{base}/m.xml"}}
      - {{platform: bluesky, handle: testbay.bsky.social, feed: "{base}/b.xml"}}
  - id: traffic
    name: Traffic
    kind: unit
    parent: comms
    admin: {{review_by: 2026-11-01}}
    accounts:
      - platform: website
        url: "https://traffic.testbay.example/"
        feed: "{base}/traffic.xml"
        admin: {{owner: "{traffic_owner}", contact: "{phone}"}}
      - {{platform: website, url: "https://old.testbay.example/", feed: "{base}/old.xml"}}
      - {{platform: website, url: "https://broken.testbay.example/", feed: "{base}/broken.xml"}}
      - {{platform: website, url: "https://never.testbay.example/", feed: "{base}/never.xml"}}
  - id: youth
    name: Youth
    kind: unit
    accounts:
      - {{platform: website, url: "https://youth.testbay.example/", feed: "{base}/empty.xml"}}
      - {{platform: x, handle: TestBayYouth}}
officers:
  - id: west
    name: Jack West
    rank: Sgt
    unit: traffic
    until: 2026-10-31
    admin: {{trained: 2025-05-05, review_by: 2026-12-10}}
    accounts:
      - {{platform: blog, url: "https://jackwest.testbay.example/", feed: "{base}/west.xml"}}
"""

CURATION = """\
hold:
  - lockdown
"""


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        "<channel><title>Feed</title><link>https://testbay.example/</link>"
        f"<description>Feed</description>{''.join(items)}</channel></rss>"
    ).encode()


def item(link: str, day: str, title: str = "News", extra: str = "") -> str:
    return (
        f"<item><title>{title}</title><guid>{link}</guid><link>{link}</link>"
        f"<pubDate>{day}</pubDate>{extra}</item>"
    )


NO_ALT = '<enclosure url="https://testbay.example/{name}.jpg" type="image/jpeg" length="1"/>'
WITH_ALT = (
    '<media:content url="https://testbay.example/{name}.jpg" medium="image" type="image/jpeg">'
    "<media:description>A road closed sign</media:description></media:content>"
)

FEEDS = {
    "/news.xml": rss(
        item(
            "https://testbay.example/a",
            "Sat, 21 Nov 2026 10:00:00 GMT",
            extra=NO_ALT.format(name="a"),
        ),
        item(
            "https://testbay.example/b",
            "Sat, 21 Nov 2026 09:00:00 GMT",
            extra=WITH_ALT.format(name="b"),
        ),
        item("https://testbay.example/c", "Fri, 20 Nov 2026 09:00:00 GMT", "School lockdown drill"),
    ),
    "/m.xml": rss(
        item("https://social.testbay.example/@testbay/1", "Thu, 19 Nov 2026 09:00:00 GMT")
    ),
    "/b.xml": rss(
        item("https://bsky.app/profile/testbay.bsky.social/post/1", "Thu, 19 Nov 2026 09:00:00 GMT")
    ),
    "/traffic.xml": rss(item("https://traffic.testbay.example/1", "Thu, 01 Oct 2026 09:00:00 GMT")),
    "/old.xml": rss(item("https://old.testbay.example/1", "Fri, 01 May 2026 09:00:00 GMT")),
    "/broken.xml": rss(item("https://broken.testbay.example/1", "Wed, 18 Nov 2026 09:00:00 GMT")),
    "/empty.xml": rss(),
    "/west.xml": rss(
        item("https://jackwest.testbay.example/after", "Thu, 05 Nov 2026 09:00:00 GMT"),
        item("https://jackwest.testbay.example/before", "Thu, 15 Oct 2026 09:00:00 GMT"),
    ),
}


def social(apis: SocialApis) -> None:
    """What the service's Mastodon and Bluesky profiles say: neither points back for sure."""
    apis.mastodon["testbay@social.testbay.example"] = Answer(
        200,
        mastodon_account(
            "testbay@social.testbay.example", [field_(SITE + "/en/units/comms/", verified=False)]
        ),
    )
    apis.bluesky["testbay.bsky.social"] = Answer(
        200, bluesky_profile("testbay.bsky.social", "News from Test Bay Police.")
    )


def serve(server: FeedServer) -> None:
    """The feeds: each as the first run reads it."""
    for path, body in FEEDS.items():
        server.route(path, body=body)
    server.route("/never.xml", status=404, body=b"not here")


def point_apis(apis: SocialApis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_API_BASE_MASTODON", apis.url)
    monkeypatch.setenv("HUB_API_BASE_BLUESKY", apis.url)


def write_registry(folder: Path, server: FeedServer) -> Path:
    """sources.yaml and content/curation.yaml in ``folder``, with the project's own theme."""
    (folder / "themes").mkdir(exist_ok=True)
    (folder / "themes" / "default").symlink_to(THEME, target_is_directory=True)
    (folder / "content").mkdir(exist_ok=True)
    (folder / "content" / "curation.yaml").write_text(CURATION, encoding="utf-8")
    path = folder / "sources.yaml"
    text = REGISTRY.format(
        site=SITE,
        base=server.url("").rstrip("/"),
        owner=OWNER,
        mail=OWNER_MAIL,
        approver=APPROVER,
        note=NOTE,
        traffic_owner=TRAFFIC_OWNER,
        phone=TRAFFIC_PHONE,
    )
    path.write_text(text, encoding="utf-8")
    return path


def fill_store(
    registry: Registry,
    cache: Path,
    server: FeedServer,
    runs: tuple[datetime, datetime] = (FIRST_RUN, SECOND_RUN),
) -> None:
    """Two real fetches: everything read once, then ``broken.xml`` failing."""
    with Store.open(cache / STORE_NAME) as store:
        update(registry, store, now=runs[0])
        server.route("/broken.xml", status=500, body=b"down")
        update(registry, store, now=runs[1])


def load(path: Path) -> Registry:
    return registry_loader.load(path).registry
