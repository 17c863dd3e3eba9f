"""Scheduled runs, end to end: the real CLI in subprocesses against a real local feed server.

Each test plays the runs a CI schedule makes, in order, with the store and the
output folder carried from one run to the next as CI carries them: a normal
run publishes; an outage with the store in place still publishes from the
stored entries; a lost store during an outage is re-seeded from the published
site's archive, which is published again unchanged, byte for byte, and without
an archive (a site an older hub published) is refused by the publish gate,
which leaves the published site untouched; a registry edit that
drops most of the site needs ``--force``; a host that answered 429 with a
Retry-After is asked nothing by the next runs, which publish its feeds' posts
as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from tests.feedserver import FeedServer
from tests.trees import Snapshot, snapshot

REPO = Path(__file__).resolve().parent.parent
UNITS = 10
OFFICERS = 10
POSTS_PER_FEED = 3


def feed(unit: int, now: datetime) -> bytes:
    items = "".join(
        f"<item><title>Unit {unit} notice {k}</title>"
        f"<link>https://units.example/{unit}/{k}</link><guid>unit-{unit}-{k}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(days=k + 1, hours=unit))}</pubDate>"
        f"<description>Road closure number {k} announced by unit {unit}.</description></item>"
        for k in range(POSTS_PER_FEED)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Unit {unit}</title><link>https://units.example/{unit}</link>"
        f"<description>News</description>{items}</channel></rss>"
    ).encode()


def sources(
    server: FeedServer,
    units: int = UNITS,
    officers: int = OFFICERS,
    publish: str | None = None,
    per_host: int = 2,
) -> str:
    lines = [
        "site:",
        "  name: Test Bay Police",
        f"  url: {server.url('/site')}",
        "  languages: [en]",
        '  contact: {emergency: "911"}',
        "  fetch:",
        "    allow_private_addresses: true",
        "    connect_timeout: 2",
        "    read_timeout: 5",
        "    total_timeout: 10",
        f"    per_host: {per_host}",
    ]
    if publish:
        lines.append(f"  publish: {publish}")
    lines.append("units:")
    for n in range(units):
        lines += [
            f"  - id: unit-{n}",
            f"    name: Unit {n}",
            "    kind: unit",
            "    accounts:",
            f'      - {{platform: website, url: "https://units.example/{n}", '
            f'feed: "{server.url(f"/feeds/{n}.xml")}"}}',
        ]
    lines.append("officers:")
    for n in range(officers):
        lines += [
            f"  - name: Officer Number{n}",
            f"    unit: unit-{n % units}",
            "    accounts:",
            f"      - {{platform: x, handle: Officer{n}}}",
        ]
    return "\n".join(lines) + "\n"


class Hub:
    """A service's repository as CI checks it out: sources.yaml, themes, cache, output."""

    def __init__(self, root: Path, server: FeedServer) -> None:
        self.root = root
        self.server = server
        self.out = root / "public"
        self.cache = root / ".hub-cache"
        shutil.copytree(REPO / "themes", root / "themes")
        self.write_sources()
        now = datetime.now(UTC)
        for n in range(UNITS):
            server.route(f"/feeds/{n}.xml", body=feed(n, now))

    def write_sources(self, **options: Any) -> None:
        (self.root / "sources.yaml").write_text(sources(self.server, **options), encoding="utf-8")

    def build(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(REPO / "build.py"), *args, **env)

    def fetch(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``hub fetch``, as a person runs it."""
        return self.run("-m", "hub", "fetch", *args, PYTHONPATH=str(REPO))

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environ = {
            k: v
            for k, v in os.environ.items()
            if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")
        }
        environ.update(PYTHONIOENCODING="utf-8", **env)
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.root,
            env=environ,
            capture_output=True,
            encoding="utf-8",
            timeout=240,
            check=False,
        )

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.out / "hub-manifest.json").read_text(encoding="utf-8"))

    def report(self) -> dict[str, Any]:
        return json.loads((self.cache / "report.json").read_text(encoding="utf-8"))

    def snapshot(self) -> Snapshot:
        return snapshot(self.out)


@pytest.fixture
def hub(tmp_path: Path, feed_server: FeedServer) -> Hub:
    return Hub(tmp_path, feed_server)


def assert_published(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_lost_store_during_an_outage_never_replaces_the_site(hub: Hub, tmp_path: Path) -> None:
    # (a) A normal run: every feed answers; there is nothing published yet to compare with.
    first = hub.build()
    assert_published(first)
    assert "no published site to compare with" in first.stderr
    assert len(hub.server.requests_for("/site/hub-manifest.json")) == 1
    published = hub.manifest()
    assert published["posts"] == UNITS * POSTS_PER_FEED
    assert published["feeds_with_entries"] == UNITS
    assert published["profiles"] == UNITS + OFFICERS
    report = hub.report()
    assert (report["outcome"], report["exit_code"]) == ("published", 0)
    assert report["feeds"]["ok"] == UNITS
    assert report["entries"]["new"] == UNITS * POSTS_PER_FEED
    assert report["gate"]["verdict"] == "no_baseline"

    # (b) The feed server is down, the store is there: the stored posts are published again.
    hub.server.stop()
    outage = hub.build()
    assert_published(outage)
    assert "warning: feed" in outage.stderr
    assert "gate: passed" in outage.stderr
    assert hub.manifest() == published
    report = hub.report()
    assert report["outcome"] == "published"
    assert report["feeds"]["failed"] == UNITS
    assert all(f["reason"] for f in report["feeds"]["failures"])
    assert report["gate"]["verdict"] == "passed"

    # (c) The store is lost too (a CI cache evicted): it is re-seeded from the site the
    # output folder holds, and that site is published again without a byte changed.
    shutil.rmtree(hub.cache)
    before = hub.snapshot()
    reseeded = hub.build()
    assert_published(reseeded)
    posts = UNITS * POSTS_PER_FEED
    line = f"reseed: the store was empty: re-seeded from public with {posts} posts of {UNITS}"
    assert line in reseeded.stderr
    assert hub.snapshot() == before
    report = hub.report()
    assert (report["reseed"]["posts"], report["reseed"]["accounts"]) == (posts, UNITS)
    assert report["gate"]["verdict"] == "passed"

    # (d) Lost again, and the published site has no archive (an older hub published
    # it): nothing to re-seed from, so the gate refuses and the site stays.
    shutil.rmtree(hub.cache)
    shutil.rmtree(hub.out / "archive")
    before = hub.snapshot()
    summary = tmp_path / "step-summary.md"
    lost = hub.build(GITHUB_STEP_SUMMARY=str(summary))
    assert lost.returncode == 3, lost.stderr
    assert "Traceback" not in lost.stderr
    assert hub.snapshot() == before
    assert "not published" in lost.stderr
    assert f"posts: 0 now, {UNITS * POSTS_PER_FEED} published" in lost.stderr
    assert "site.publish.min_entries_ratio asks for at least 50%" in lost.stderr
    assert f"feeds with posts: 0 now, {UNITS} published" in lost.stderr
    assert "--force" in lost.stderr
    report = hub.report()
    assert (report["outcome"], report["exit_code"]) == ("refused", 3)
    assert report["output"] is None
    assert report["gate"]["baseline"] == "public/hub-manifest.json"
    failed = {c["setting"] for c in report["gate"]["checks"] if not c["passed"]}
    assert failed == {"min_entries_ratio", "min_feeds_ratio"}
    assert "refused by the publish gate" in summary.read_text(encoding="utf-8")


def test_a_registry_that_drops_most_of_the_site_needs_force(hub: Hub) -> None:
    assert_published(hub.build())
    published = hub.manifest()

    # (d) An edit leaves 2 of 10 units and 2 of 10 officers: refused as it is.
    hub.write_sources(units=2, officers=2)
    before = hub.snapshot()
    shrunk = hub.build()
    assert shrunk.returncode == 3, shrunk.stderr
    assert hub.snapshot() == before
    assert f"units and officers: 4 now, {UNITS + OFFICERS} published (20%)" in shrunk.stderr
    assert "site.publish.min_profiles_ratio asks for at least 80%" in shrunk.stderr
    assert hub.manifest() == published

    # With --force it is published, and the warning says what was overridden.
    forced = hub.build("--force")
    assert_published(forced)
    assert "publishing anyway (--force)" in forced.stderr
    assert hub.manifest()["profiles"] == 4
    assert hub.report()["gate"]["verdict"] == "forced"

    # The smaller site is now the baseline: the next scheduled run passes without --force.
    again = hub.build("--offline")
    assert_published(again)
    assert hub.report()["gate"]["verdict"] == "passed"


def test_thresholds_from_sources_yaml_decide(hub: Hub) -> None:
    assert_published(hub.build())
    shares = "{min_entries_ratio: 0.1, min_profiles_ratio: 0.1, min_feeds_ratio: 0.1}"
    hub.write_sources(units=2, officers=2, publish=shares)
    assert_published(hub.build("--offline"))
    assert hub.manifest()["profiles"] == 4


def test_a_host_that_asked_to_wait_is_not_asked_by_the_next_run(hub: Hub) -> None:
    hub.write_sources(units=3, officers=1, per_host=1)
    assert_published(hub.build())
    published = hub.manifest()
    feeds = [f"/feeds/{n}.xml" for n in range(3)]
    host = f"127.0.0.1:{hub.server.port()}"

    # The host answers the first feed with 429 and an hour to wait: the rest are not asked.
    hub.server.route("/feeds/0.xml", status=429, headers={"Retry-After": "3600"})
    hub.server.reset()
    busy = hub.build()
    assert_published(busy)
    assert [len(hub.server.requests_for(path)) for path in feeds] == [1, 0, 0]
    line = f"fetch: {host} held until "
    [said] = [text for text in busy.stderr.splitlines() if text.startswith(line)]
    assert said.endswith(
        f": 3 feeds wait (HTTP 429 Too Many Requests, in answer to {hub.server.url(feeds[0])})"
    )
    assert "(in 59 min)" in said or "(in 1 h 0 min)" in said

    # The next run, a new process, asks that host nothing, and publishes the posts it has.
    hub.server.reset()
    summary = hub.root / "summary.md"
    later = hub.build("-v", GITHUB_STEP_SUMMARY=str(summary))
    assert_published(later)
    assert [len(hub.server.requests_for(path)) for path in feeds] == [0, 0, 0]
    assert said.split(" (in ")[0] in later.stderr
    assert (
        f"fetch: {hub.server.url(feeds[1])}: not fetched: waiting: not asked: {host} is held"
        in (later.stderr)
    )
    assert hub.manifest() == published
    report = hub.report()
    assert (report["outcome"], report["feeds"]["waiting"], report["feeds"]["failed"]) == (
        "published",
        3,
        0,
    )
    [held] = report["feeds"]["held_hosts"]
    assert (held["host"], held["status"], held["feeds"]) == (host, 429, 3)
    assert held["source"] == hub.server.url(feeds[0])
    assert "**Hosts held (1)**" in summary.read_text(encoding="utf-8")

    # One account fetched by hand waits too, and says until when.
    only = hub.fetch("--only", "unit-1")
    assert only.returncode == 0, only.stderr
    assert said.split(" (in ")[0] in only.stderr
    assert ": 1 feed waits (HTTP 429" in only.stderr
    assert hub.server.requests_for(feeds[1]) == []
