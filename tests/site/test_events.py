"""Tests for hub.site.events: event files read from a real content folder, with positions."""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from hub.site.content import ContentError, load_content

LANGS = ("en", "fr")


def write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "content" / "events"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path / "content"


def test_a_weekly_stream_loads(tmp_path: Path) -> None:
    content = write(
        tmp_path,
        "qa.md",
        """\
        ---
        title: {en: Ask the Chief, fr: Questions au chef}
        start: 2026-11-26T19:00
        end: 2026-11-26T19:45
        stream: https://video.example/live
        languages: [en]
        repeat: weekly
        until: 2027-06-30
        ---
        Every Thursday.
        """,
    )
    (event,) = load_content(content, LANGS).events
    assert (event.id, event.start, event.end) == (
        "qa",
        datetime(2026, 11, 26, 19, 0),
        datetime(2026, 11, 26, 19, 45),
    )
    assert (event.stream, event.place, event.languages) == (
        "https://video.example/live",
        None,
        ("en",),
    )
    assert (event.repeat, event.until) == ("weekly", date(2027, 6, 30))


def test_every_mistake_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    content = write(
        tmp_path,
        "bad.md",
        """\
        ---
        title: Town hall
        start: 2026-11-26T19:00
        end: 2026-11-26T18:00
        map: https://maps.example/x
        stream: http://video.example/live
        languages: [en, de]
        repeat: monthly
        room: 4
        ---
        Text.
        """,
    )
    with pytest.raises(ContentError) as caught:
        load_content(content, LANGS, display_root=tmp_path)
    errors = [(p.line, p.col, p.path) for p in caught.value.problems if p.severity == "error"]
    assert errors == [
        (4, 6, "end"),
        (5, 6, "map"),
        (6, 9, "stream"),
        (7, 17, "languages[1]"),
        (8, 9, "repeat"),
        (9, 1, "room"),
    ]
    assert all(p.file == "content/events/bad.md" for p in caught.value.problems)


def test_an_event_needs_a_place_or_a_stream(tmp_path: Path) -> None:
    content = write(
        tmp_path,
        "nowhere.md",
        """\
        ---
        title: Town hall
        start: 2026-11-26T19:00
        end: 2026-11-26T20:00
        ---
        """,
    )
    with pytest.raises(ContentError) as caught:
        load_content(content, LANGS, display_root=tmp_path)
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    assert (problem.line, "place:") == (2, "place:") and "stream:" in problem.message
