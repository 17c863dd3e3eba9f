"""``hub audit``: the real command in a subprocess, reading a real store.

The store is filled as runs fill it (``Store.record_success`` for what
fetches saw, ``record_screening`` for what a build's curation did), at
chosen times, so that every filter has something to keep and something to
leave out. The end-to-end trail, from a local feed server through real
builds, is tests/test_audit_trail.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.cli.audit import FIELDS
from hub.model import Entry
from hub.store import lock
from hub.store.database import STORE_NAME, Store
from hub.store.history import Screening

REPO = Path(__file__).resolve().parents[2]
TRAFFIC = "https://feeds.lakeview.example/traffic.xml"
ADA = "https://feeds.lakeview.example/ada.xml"
GONE = "https://feeds.lakeview.example/closed-unit.xml"
"""A feed whose account was removed from sources.yaml: its events are still listed."""

SOURCES = f"""\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en, fr]
  timezone: America/Toronto
  contact: {{emergency: "911"}}
units:
  - id: traffic
    name: {{en: Traffic Services, fr: Services de la circulation}}
    kind: unit
    accounts:
      - {{platform: website, url: "https://traffic.lakeview.example/", feed: "{TRAFFIC}"}}
      - {{platform: x, handle: LakeviewTraffic}}
officers:
  - name: Ada Fenwick
    rank: Sgt
    unit: traffic
    accounts:
      - {{platform: mastodon, handle: "@ada@police.lakeview.example", feed: "{ADA}"}}
"""

MARCH_1 = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
LATE_FEB = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
"""February 28 at 22:00 in Toronto: before --since 2026-03-01 there."""
MARCH_31 = datetime(2026, 4, 1, 3, 30, tzinfo=UTC)
"""Still March 31 in Toronto: --until 2026-03-31 includes it."""
APRIL = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)

ROAD = "Main Street closed: detour through Elm Avenue"
ROAD_EDITED = "Main Street closed: detour through Oak Street"
HOSTILE = '=HYPERLINK("https://evil.example")\x1b[2J'
HOSTILE_TEXT = HOSTILE.replace("\x1b", "")
"""The post's text as the trail keeps it: plain text has no control character."""


def post(feed: str, guid: str, text: str, title: str = "", *, days: int = 0) -> Entry:
    """A post published an hour before LATE_FEB, or ``days`` more before."""
    url = f"https://posts.lakeview.example/{guid}"
    when = LATE_FEB - timedelta(hours=1, days=days)
    return Entry(feed, url, title, f"<p>{text}</p>", link=url, published=when)


def fetched(store: Store, feed: str, at: datetime, *entries: Entry) -> None:
    store.record_success(feed, entries, now=at, etag=None, last_modified=None, content_hash=None)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("audit")
    (root / "themes" / "default").mkdir(parents=True)
    (root / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    road = post(TRAFFIC, "road", ROAD)
    appeal = post(TRAFFIC, "appeal", "Have you seen Rowan?", days=1)
    shots = post(ADA, "shots", "Shots fired near the quay", title="Quay")
    with Store.open(root / ".hub-cache" / STORE_NAME) as store:
        fetched(store, TRAFFIC, LATE_FEB, road, appeal)
        fetched(store, ADA, LATE_FEB, shots)
        fetched(store, GONE, LATE_FEB, post(GONE, "closed", "This unit is closing."))
        fetched(store, TRAFFIC, MARCH_1, post(TRAFFIC, "road", ROAD_EDITED), appeal)
        fetched(store, ADA, MARCH_1, post(ADA, "hostile", HOSTILE), shots)
        store.history.record_screening(
            [Screening(ADA, shots.id, "held", 'says "shots fired" (hold:)')],
            now=MARCH_31,
            keep_days=730,
        )
        # The road closure is deleted on the platform: gone, and newer than the appeal.
        fetched(store, TRAFFIC, APRIL, post(TRAFFIC, "later", "Newer post"), appeal)
    return root


def audit(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environ.update(PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(
        [sys.executable, "-m", "hub", "audit", *args],
        cwd=root,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def as_json(root: Path, *args: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads(ok(audit(root, "--format", "json", *args)))["events"]
    return events


def test_text_lists_every_event_oldest_first(site: Path) -> None:
    out = ok(audit(site))
    blocks = [line for line in out.splitlines() if not line.startswith(" ")]
    assert blocks[:4] == [
        "2026-03-01T03:00:00Z  first_seen  website:https://traffic.lakeview.example/  "
        "Traffic Services",
        "2026-03-01T03:00:00Z  first_seen  website:https://traffic.lakeview.example/  "
        "Traffic Services",
        "2026-03-01T03:00:00Z  first_seen  mastodon:ada@police.lakeview.example  Sgt Ada Fenwick",
        f"2026-03-01T03:00:00Z  first_seen  (not in sources.yaml: {GONE})",
    ]
    assert blocks[-1] == "hub audit: 9 events"
    edited = out.split("  edited  ", 1)[1].split("\n2026")[0]
    assert "    https://posts.lakeview.example/road" in edited
    assert f"    before the edit: {ROAD}" in edited
    held = out.split("  held  ", 1)[1].split("\n2026")[0]
    assert "Quay: Shots fired near the quay" in held
    assert '    reason: says "shots fired" (hold:)' in held
    withdrawn = out.split("  withdrawn  ", 1)[1]
    assert f"    {ROAD_EDITED}" in withdrawn


def test_text_prints_no_control_character(site: Path) -> None:
    out = ok(audit(site))
    assert HOSTILE_TEXT in out
    assert "\x1b" not in out


def test_csv_has_every_field_in_full(site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(audit(site, "--format", "csv")), newline="")))
    assert len(rows) == 9
    (edited,) = [row for row in rows if row["event"] == "edited"]
    assert edited == {
        "time": "2026-03-01T15:00:00Z",
        "event": "edited",
        "account": "website:https://traffic.lakeview.example/",
        "name": "Traffic Services",
        "url": "https://posts.lakeview.example/road",
        "title": "",
        "text": ROAD,
        "reason": "",
        "published": "2026-03-01T02:00:00Z",
        "source": TRAFFIC,
        "entry_id": "https://posts.lakeview.example/road",
        "summary": f"<p>{ROAD}</p>",
        "content": "",
    }
    (hostile,) = [row for row in rows if row["url"].endswith("/hostile")]
    # A spreadsheet would run it as a formula: the cell starts with an apostrophe.
    assert hostile["text"] == "'" + HOSTILE_TEXT
    assert hostile["summary"] == f"<p>{HOSTILE}</p>"


def test_json_has_every_field(site: Path) -> None:
    document = json.loads(ok(audit(site, "--format", "json")))
    assert (document["since"], document["until"], document["account"]) == (None, None, None)
    events = document["events"]
    assert [(e["time"][:10], e["event"], e["url"].rsplit("/", 1)[1]) for e in events] == [
        ("2026-03-01", "first_seen", "road"),
        ("2026-03-01", "first_seen", "appeal"),
        ("2026-03-01", "first_seen", "shots"),
        ("2026-03-01", "first_seen", "closed"),
        ("2026-03-01", "edited", "road"),
        ("2026-03-01", "first_seen", "hostile"),
        ("2026-04-01", "held", "shots"),
        ("2026-04-02", "first_seen", "later"),
        ("2026-04-02", "withdrawn", "road"),
    ]
    assert list(events[0]) == list(FIELDS)
    (withdrawn,) = [e for e in events if e["event"] == "withdrawn"]
    assert withdrawn["text"] == ROAD_EDITED  # as it was when it was deleted
    (closed,) = [e for e in events if e["source"] == GONE]
    assert (closed["account"], closed["name"]) == ("", "")
    (hostile,) = [e for e in events if e["url"].endswith("/hostile")]
    assert hostile["text"] == HOSTILE_TEXT  # JSON needs no apostrophe


def test_since_and_until_are_days_in_the_sites_time_zone(site: Path) -> None:
    march = as_json(site, "--since", "2026-03-01", "--until", "2026-03-31")
    assert {e["time"] for e in march} == {"2026-03-01T15:00:00Z", "2026-04-01T03:30:00Z"}
    assert [e["event"] for e in march] == ["edited", "first_seen", "held"]
    assert [e["url"].rsplit("/", 1)[1] for e in march] == ["road", "hostile", "shots"]
    assert [e["time"] for e in as_json(site, "--until", "2026-02-28")] == [
        "2026-03-01T03:00:00Z"
    ] * 4
    # 03:30 UTC on April 1 is still March 31 in Toronto.
    assert {e["time"] for e in as_json(site, "--since", "2026-04-01")} == {"2026-04-02T12:00:00Z"}


def test_account_keeps_one_accounts_posts(site: Path) -> None:
    for written in (
        "mastodon:ada@police.lakeview.example",
        "Mastodon:@Ada@Police.Lakeview.example",
    ):
        events = as_json(site, "--account", written)
        assert {e["account"] for e in events} == {"mastodon:ada@police.lakeview.example"}
        assert [e["event"] for e in events] == ["first_seen", "first_seen", "held"]
    traffic = as_json(site, "--account", "website:https://traffic.lakeview.example/")
    assert {e["source"] for e in traffic} == {TRAFFIC}
    assert [e["event"] for e in traffic] == [
        "first_seen",
        "first_seen",
        "edited",
        "first_seen",
        "withdrawn",
    ]
    both = as_json(
        site, "--account", "website:https://traffic.lakeview.example/", "--since", "2026-04-02"
    )
    assert [e["event"] for e in both] == ["first_seen", "withdrawn"]


def test_an_empty_result_says_so(site: Path) -> None:
    empty = audit(site, "--since", "2030-01-01")
    assert ok(empty) == "hub audit: no events in the audit trail (since 2030-01-01)\n"
    # An account without a feed has no posts; with csv, stdout is only the header.
    silent = audit(site, "--account", "x:lakeviewtraffic", "--format", "csv")
    assert ok(silent).strip() == ",".join(FIELDS)
    assert FIELDS[:8] == ("time", "event", "account", "name", "url", "title", "text", "reason")
    assert silent.stderr == "hub audit: no events in the audit trail (of x:lakeviewtraffic)\n"
    assert json.loads(ok(audit(site, "--since", "2030-01-01", "--format", "json")))["events"] == []


def test_an_unknown_account_is_an_error_with_a_suggestion(site: Path) -> None:
    result = audit(site, "--account", "x:LakeviewTrafic")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        'error: --account: no account "x:LakeviewTrafic" in sources.yaml (did you mean '
        '"x:LakeviewTraffic"?): name one as platform:handle, as sources.yaml lists it '
        "(x:LakeviewTraffic)\n"
    )
    assert "Traceback" not in audit(site, "--account", "nothing").stderr


@pytest.mark.parametrize("written", ["2026-3-1", "01/03/2026", "2026-02-30", "march"])
def test_a_bad_date_is_a_usage_error(site: Path, written: str) -> None:
    result = audit(site, "--since", written)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        f"argument --since: expected a date as YYYY-MM-DD, such as 2026-03-01; got '{written}'"
        in (result.stderr)
    )


def test_since_after_until_is_a_usage_error(site: Path) -> None:
    result = audit(site, "--since", "2026-04-01", "--until", "2026-03-01")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "hub audit: error: --since 2026-04-01 is after --until 2026-03-01\n"


def test_no_store_is_an_error(site: Path, tmp_path: Path) -> None:
    result = audit(site, "--cache", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        f"error: {tmp_path / 'empty' / STORE_NAME}: no store here yet: hub fetch or hub build "
        "makes it (or name the cache folder with --cache)\n"
    )
    assert not (tmp_path / "empty").exists()


def test_a_broken_registry_is_reported_as_hub_check_does(site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "sources.yaml"
    broken.write_text(SOURCES.replace("kind: unit", "kind: squad"), encoding="utf-8")
    (tmp_path / "themes" / "default").mkdir(parents=True)
    result = audit(site, "--sources", str(broken))
    assert result.returncode == 1
    assert f"{broken}:10:11: error: units[0].kind" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_reads_while_a_run_holds_the_cache_and_writes_the_store(site: Path) -> None:
    cache = site / ".hub-cache"
    writer = sqlite3.connect(cache / STORE_NAME, isolation_level=None)
    try:
        with lock.holding(cache, wait=0):
            # A run in the middle of saving a feed.
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("DELETE FROM history")
            result = audit(site, "--format", "json", HUB_LOCK_WAIT="0")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert len(json.loads(ok(result))["events"]) == 9


def test_output_cut_short_by_its_reader_is_no_error(site: Path) -> None:
    command = f"{sys.executable} -m hub audit --format json | head -c 10"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=site,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.stdout == '{\n  "since'
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_help_lists_the_command(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hub", "--help"],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert "audit" in ok(result)
