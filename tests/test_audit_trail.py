"""End to end: the audit trail kept by real fetches and builds, and never published.

Two accounts' feeds are served by a local server (tests/feedserver.py); the
service edits a post and deletes another there, and Corporate Communications
hides, holds, approves and mutes posts through ``content/curation.yaml``.
Each step is a scheduled run: :func:`hub.pipeline.fetch` then
:func:`hub.pipeline.build`, with the build's own clock. The trail is read
with ``hub audit`` (the real command, in a subprocess), and every file each
build wrote is searched for what only the trail may hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub import pipeline
from hub.model import Registry
from hub.registry import load as registry
from hub.site.content import load_content
from tests.feedserver import FeedServer

REPO = Path(__file__).resolve().parent
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

Post = tuple[str, str, int]
"""guid, text, hours before NOW it was published."""
ROAD = ("road", "Main Street is closed: detour through Elm Avenue.", 5)
ROAD_EDITED = ("road", "Main Street is closed: detour through Oak Street.", 5)
APPEAL = ("appeal", "Have you seen Rowan Quillfeather? Call 555-0100.", 10)
BIKES = ("bikes", "Register your bike at any station this week.", 30)
SHOTS = ("shots", "Shots fired near Kestrelwood Quay: avoid the area.", 2)
DRILL = ("drill", "A drill at Marigold Hall this afternoon.", 20)
LATER = ("later", "The bridge reopens tomorrow morning.", 1)

TRAFFIC, ADA = "traffic", "ada"
ADA_KEY = "mastodon:ada@police.lakeview.example"
HIDE = (
    "hide: [{url: 'https://lakeview.example/traffic/bikes', reason: CC-0101 family,"
    " date: 2026-03-02}]"
)
HOLD = "hold: [shots fired]"
APPROVE = "approve: ['https://lakeview.example/ada/shots']"
MUTE = f"mute: [{{account: '{ADA_KEY}', reason: CC-0102 suspicious login}}]"


def rss(name: str, *posts: Post) -> bytes:
    items = "".join(
        f"<item><guid>https://lakeview.example/{name}/{guid}</guid>"
        f"<link>https://lakeview.example/{name}/{guid}</link>"
        f"<title>{text.split(':')[0]}</title><description>{text}</description>"
        f"<pubDate>{NOW - timedelta(hours=hours):%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for guid, text, hours in posts
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        f"<link>https://lakeview.example/{name}</link>{items}</channel></rss>"
    ).encode()


class Service:
    """The repository a scheduled run builds: sources.yaml, content/, the cache, the site."""

    def __init__(self, root: Path, server: FeedServer) -> None:
        self.root, self.server = root, server
        self.cache, self.out = root / ".hub-cache", root / "public"
        (root / "themes").symlink_to(REPO.parent / "themes")
        (root / "content").mkdir()
        (root / "sources.yaml").write_text(
            textwrap.dedent(f"""\
            site:
              name: Lakeview Police
              url: https://connect.lakeview.example
              languages: [en, fr]
              contact: {{emergency: "911"}}
              fetch: {{allow_private_addresses: true, total_timeout: 5, read_timeout: 2}}
            units:
              - id: traffic
                name: {{en: Traffic Services, fr: Circulation}}
                kind: unit
                accounts:
                  - {{platform: website, url: "https://lakeview.example/traffic",
                      feed: "{server.url("/traffic.xml")}"}}
            officers:
              - name: Ada Fenwick
                rank: Sgt
                unit: traffic
                accounts:
                  - {{platform: mastodon, handle: "@ada@police.lakeview.example",
                      feed: "{server.url("/ada.xml")}"}}
            """),
            encoding="utf-8",
        )
        self.registry: Registry = registry.load(root / "sources.yaml").registry
        self.published: list[dict[str, bytes]] = []

    def serve(self, name: str, *posts: Post) -> None:
        self.server.route(f"/{name}.xml", body=rss(name, *posts))

    def run(self, hours: int, *curation: str) -> None:
        """A scheduled run ``hours`` after NOW, with ``curation`` as content/curation.yaml."""
        (self.root / "content" / "curation.yaml").write_text(
            "\n".join(curation) + "\n", encoding="utf-8"
        )
        now = NOW + timedelta(hours=hours)
        pipeline.fetch(self.registry, self.cache, now=now)
        loaded = load_content(
            self.root / "content",
            self.registry.site.languages,
            display_root=self.root,
            registry=self.registry,
        )
        result = pipeline.build(self.registry, loaded, self.cache, self.out, now=now)
        assert result.published
        files = {
            path.relative_to(self.out).as_posix(): path.read_bytes()
            for path in self.out.rglob("*")
            if path.is_file()
        }
        assert len(files) > 20
        self.published.append(files)

    def audit(self, *args: str) -> list[dict[str, Any]]:
        result = subprocess.run(
            [sys.executable, "-m", "hub", "audit", "--format", "json", *args],
            cwd=self.root,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            capture_output=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        events: list[dict[str, Any]] = json.loads(result.stdout)["events"]
        return events


def in_any_file(published: list[dict[str, bytes]], *needles: str) -> dict[str, list[str]]:
    """Of every file of every build, those holding any of ``needles``: needle -> paths."""
    found: dict[str, list[str]] = {}
    for files in published:
        for path, data in files.items():
            for needle in needles:
                if needle.encode() in data:
                    found.setdefault(needle, []).append(path)
    return found


def guid(event: dict[str, Any]) -> str:
    """The post's name in this test: the end of its URL."""
    return str(event["url"]).rsplit("/", 1)[1]


def posts(events: list[dict[str, Any]], *kinds: str) -> list[tuple[str, str]]:
    """(event, the post's guid) of the events of ``kinds`` (every event if none)."""
    return [(e["event"], guid(e)) for e in events if not kinds or e["event"] in kinds]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with FeedServer() as server:
        service = Service(tmp_path_factory.mktemp("service"), server)
        service.serve(TRAFFIC, ROAD, APPEAL, BIKES)
        service.serve(ADA, SHOTS, DRILL)
        service.run(0)
        # On the platform: the road closure edited, the appeal deleted.
        service.serve(TRAFFIC, ROAD_EDITED, BIKES)
        service.run(1)
        # Corporate Communications takes a post down and holds what says "shots fired".
        service.run(2, HIDE, HOLD)
        # A later run: a new post, the same curation.
        service.serve(TRAFFIC, LATER, ROAD_EDITED, BIKES)
        service.run(3, HIDE, HOLD)
        service.run(4, HIDE, HOLD, APPROVE)
        service.run(5, HIDE, HOLD, APPROVE, MUTE)
        service.run(6, HOLD, APPROVE)  # the hide and the mute lifted
        service.serve(TRAFFIC, ROAD_EDITED, APPEAL, BIKES)  # the appeal is back, LATER gone
        service.run(7, HOLD, APPROVE)
        yield service


def test_an_edit_and_a_deletion_on_the_platform_are_kept(service: Service) -> None:
    traffic = service.audit("--account", "website:https://lakeview.example/traffic")
    assert posts(traffic, "first_seen", "edited", "withdrawn", "restored") == [
        ("first_seen", "road"),
        ("first_seen", "appeal"),
        ("first_seen", "bikes"),
        ("edited", "road"),
        ("withdrawn", "appeal"),
        ("first_seen", "later"),
        ("restored", "appeal"),
        ("withdrawn", "later"),
    ]
    (edited,) = [e for e in traffic if e["event"] == "edited"]
    assert edited["text"] == ROAD[1]  # the words before the edit
    assert edited["time"] == "2026-03-02T15:00:00Z"  # the run that saw the edit
    assert edited["name"] == "Traffic Services"
    (withdrawn, _) = [e for e in traffic if e["event"] == "withdrawn"]
    assert (withdrawn["text"], withdrawn["time"]) == (APPEAL[1], "2026-03-02T15:00:00Z")


def test_curation_is_recorded_once_when_it_starts_and_once_when_it_ends(
    service: Service,
) -> None:
    curated = ("hidden", "held", "approved", "muted", "shown")
    events = service.audit()
    assert [(e["time"][11:16], e["event"], guid(e)) for e in events if e["event"] in curated] == [
        # Within a build, newest post first.
        ("16:00", "held", "shots"),
        ("16:00", "hidden", "bikes"),
        ("18:00", "approved", "shots"),
        ("19:00", "muted", "shots"),
        ("19:00", "muted", "drill"),
        ("20:00", "shown", "shots"),
        ("20:00", "shown", "drill"),
        ("20:00", "shown", "bikes"),
    ]
    reasons = {(e["event"], guid(e)): e["reason"] for e in events}
    assert reasons[("hidden", "bikes")] == "CC-0101 family"
    assert reasons[("held", "shots")] == 'says "shots fired" (hold:)'
    assert reasons[("muted", "drill")] == "CC-0102 suspicious login"
    assert reasons[("shown", "bikes")] == "no longer in hide:"
    assert reasons[("shown", "drill")] == "its account's mute is over"
    # Four builds ran with the post hidden and two with it held: one event each.
    counts = Counter(e["event"] for e in events)
    assert (counts["hidden"], counts["held"]) == (1, 1)


def test_one_accounts_trail(service: Service) -> None:
    ada = service.audit("--account", "mastodon:@Ada@police.lakeview.example")
    assert posts(ada) == [
        ("first_seen", "shots"),
        ("first_seen", "drill"),
        ("held", "shots"),
        ("approved", "shots"),
        ("muted", "shots"),
        ("muted", "drill"),
        ("shown", "shots"),
        ("shown", "drill"),
    ]
    assert {e["name"] for e in ada} == {"Sgt Ada Fenwick"}
    assert posts(service.audit("--since", "2026-03-03")) == []


def test_the_site_shows_none_of_the_trail(service: Service) -> None:
    """Every file of every build: no earlier version, no deleted post, no reason."""
    assert len(service.published) == 8
    found = in_any_file(service.published, "Elm Avenue", "Oak Street", "Quillfeather", "CC-01")
    # The edited text is on the site (the control); what only the trail keeps is not,
    # from the build after the edit on. The first build showed the first version.
    assert set(found) == {"Elm Avenue", "Oak Street", "Quillfeather"}
    assert in_any_file(service.published[1:7], "Elm Avenue", "Quillfeather", "CC-01") == {}
    # The appeal came back on the platform: it is on the site again.
    assert "Quillfeather" in in_any_file(service.published[7:], "Quillfeather")
    assert not any("audit" in path or "history" in path for path in service.published[-1])
