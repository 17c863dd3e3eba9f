"""Tests for hub.outputs.calendars: the .ics files, checked line by line against RFC 5545
and read back by ical.js (Mozilla's iCalendar parser, pinned in package-lock.json)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.outputs import calendars
from hub.registry import load as registry
from hub.render.i18n import translations
from hub.site import model
from hub.site.content import load_content
from hub.site.model import SiteModel
from hub.site.urls import Urls

ROOT = Path(__file__).resolve().parents[2]
ICAL_JS = ROOT / "node_modules" / "ical.js"
NOW = datetime(2026, 12, 3, 23, 0, tzinfo=UTC)  # Thursday December 3, 6 p.m. in Toronto

REGISTRY = """\
site:
  name: {en: Test Police, fr: Police de test}
  url: https://police.example
  languages: [en, fr]
  timezone: America/Toronto
  contact: {emergency: "911"}
units:
  - id: chief
    name: {en: Office of the Chief, fr: Bureau du chef}
    kind: office
    accounts:
      - {platform: x, handle: Chief}
  - id: traffic
    name: Traffic; Roads, Bridges
    kind: unit
    accounts:
      - {platform: x, handle: Traffic}
"""

EVENTS = {
    "qa.md": """\
        ---
        title: {en: "Ask the Chief, live; questions welcome", fr: "Questions au chef, en direct"}
        unit: chief
        start: 2026-11-26T19:00
        end: 2026-11-26T19:45
        stream: https://video.example/live
        repeat: weekly
        until: 2027-01-28
        ---
        A long summary that goes on and on, with commas, semicolons; a backslash \\ and
        accented letters — é, è, ç — so that the folding has multi-byte characters to
        respect, well past seventy-five octets on every line of the description.
        """,
    "town-hall.md": """\
        ---
        title: Town hall
        unit: traffic
        start: 2027-01-14T19:00:00-05:00
        end: 2027-01-14T20:30:00-05:00
        place: 240 Elm Avenue, Lakeview
        ---
        Road safety downtown.
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteModel:
    root = tmp_path_factory.mktemp("site")
    (root / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    (root / "themes").mkdir()
    (root / "themes" / "default").symlink_to(ROOT / "themes" / "default")
    folder = root / "content" / "events"
    folder.mkdir(parents=True)
    for name, text in EVENTS.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    reg = registry.load(root / "sources.yaml").registry
    content = load_content(root / "content", reg.site.languages, registry=reg)
    return model.build(reg, [], content, NOW)


@pytest.fixture(scope="module")
def files(site: SiteModel) -> dict[str, bytes]:
    return {path: data for path, data, _ in calendars.calendar_files(site, Urls(), translations)}


def unfold(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")[:-1]


def test_a_calendar_for_every_event_and_one_per_unit_in_each_language(
    files: dict[str, bytes],
) -> None:
    assert sorted(files) == [
        "calendars/en/events.ics",
        "calendars/en/units/chief.ics",
        "calendars/en/units/traffic.ics",
        "calendars/fr/events.ics",
        "calendars/fr/units/chief.ics",
        "calendars/fr/units/traffic.ics",
    ]
    lines = unfold(files["calendars/fr/units/traffic.ics"])
    assert "X-WR-CALNAME:Traffic\\; Roads\\, Bridges\u00a0: événements — Police de test" in lines
    assert [line for line in lines if line.startswith("UID:")] == ["UID:town-hall@police.example"]


def test_every_line_ends_in_crlf_and_is_folded_at_75_octets(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        assert data.endswith(b"\r\n"), path
        assert b"\n" not in data.replace(b"\r\n", b""), path  # no bare LF anywhere
        for line in data.split(b"\r\n")[:-1]:
            assert len(line) <= 75, (path, line)
            line.decode()  # never cut inside a UTF-8 character
    folded = files["calendars/en/events.ics"]
    assert b"\r\n " in folded  # the long description was folded


def test_the_events_properties(files: dict[str, bytes]) -> None:
    lines = unfold(files["calendars/en/events.ics"])
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{calendars.PRODID}"]
    assert lines[-1] == "END:VCALENDAR"
    events = " ".join(lines).split("BEGIN:VEVENT")[1:]
    uids = [re.search(r"UID:(\S+)", e).group(1) for e in events]  # type: ignore[union-attr]
    # 10 Thursdays from November 26 to January 28, then the town hall; 7 p.m. in Toronto is
    # midnight UTC in winter.
    assert uids[0] == "qa-20261126@police.example" and "town-hall@police.example" in uids
    assert len(uids) == len(set(uids)) == 11
    first = events[0]
    assert "DTSTART:20261127T000000Z" in first and "DTEND:20261127T004500Z" in first
    assert "DTSTAMP:20261127T000000Z" in first  # changes with the event, not the build's day
    assert "SUMMARY:Ask the Chief\\, live\\; questions welcome" in first
    assert "commas\\, semicolons\\; a backslash \\\\ and" in first
    assert "URL:https://video.example/live" in first
    (hall,) = [e for e in events if "UID:town-hall@" in e]
    assert "LOCATION:240 Elm Avenue\\, Lakeview" in hall
    assert "https://police.example/en/events/#event-town-hall" in hall


def test_the_uids_are_the_same_from_build_to_build(site: SiteModel) -> None:
    later = model.build(site.registry, [], site.content, datetime(2026, 12, 20, tzinfo=UTC))

    def uids(s: SiteModel) -> set[str]:
        data = dict((p, d) for p, d, _ in calendars.calendar_files(s, Urls(), translations))
        return set(re.findall(r"UID:(\S+)", " ".join(unfold(data["calendars/en/events.ics"]))))

    assert uids(site) == uids(later)


def test_ical_js_reads_every_calendar_back(files: dict[str, bytes], tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node and ICAL_JS.is_dir(), "node and ical.js (npm ci) are needed: scripts/test.sh"
    for path, data in files.items():
        (tmp_path / path.replace("/", "_")).write_bytes(data)
    script = """
    const fs = require("fs");
    const ICAL = require(process.argv[1]).default;
    const out = {};
    for (const file of process.argv.slice(2)) {
      const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
      out[file.split("/").pop()] = calendar.getAllSubcomponents("vevent").map((v) => {
        const e = new ICAL.Event(v);
        return [e.uid, e.startDate.toUnixTime(), e.endDate.toUnixTime(), e.summary,
                v.getFirstPropertyValue("dtstamp").toString(), e.description];
      });
    }
    console.log(JSON.stringify(out));
    """
    paths = sorted(str(p) for p in tmp_path.iterdir())
    result = subprocess.run(
        [node, "-e", script, str(ICAL_JS), *paths],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    events = read["calendars_en_events.ics"]
    assert len(events) == 11
    uid, start, end, summary, _, description = events[0]
    assert uid == "qa-20261126@police.example"
    assert (start, end) == (
        datetime(2026, 11, 27, tzinfo=UTC).timestamp(),
        datetime(2026, 11, 27, 0, 45, tzinfo=UTC).timestamp(),
    )
    assert summary == "Ask the Chief, live; questions welcome"
    assert "a backslash \\ and accented letters — é, è, ç —" in description
    assert read["calendars_fr_events.ics"][0][3] == "Questions au chef, en direct"


def test_the_calendar_names_are_the_events_pages_messages() -> None:
    """Extracted from the template, so translated like any other message."""
    template = (ROOT / "themes" / "default" / "templates" / "events.html").read_text("utf-8")
    assert f'_("{calendars.SITE_CALENDAR}"' in template
    assert f'_("{calendars.UNIT_CALENDAR}"' in template


def test_text_in_another_language_than_the_calendars_says_which(files: dict[str, bytes]) -> None:
    french = " ".join(unfold(files["calendars/fr/events.ics"])).split("BEGIN:VEVENT")[1:]
    qa = french[0]
    assert "SUMMARY:Questions au chef\\, en direct" in qa  # given in French
    assert "DESCRIPTION;LANGUAGE=en:A long summary" in qa  # the body is English only
    (hall,) = [e for e in french if "UID:town-hall@" in e]
    assert "SUMMARY:Town hall" in hall  # written once: no language to say
    english = " ".join(unfold(files["calendars/en/events.ics"]))
    assert "LANGUAGE=" not in english
