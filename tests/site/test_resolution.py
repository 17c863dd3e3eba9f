"""Tests for hub.site.resolution: appeals resolved by their file, their post's
withdrawal or its edit, and posts that are appeals by their hashtags."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import pytest

from hub.model import Account, Entry, Text
from hub.site.appeals import AppealFile, Person, Photo
from hub.site.resolution import hashtag_kind, resolve, says_resolved

ACCOUNT = Account("x", "Div11", "https://x.com/Div11", None, "unit:division-11")
OWNERS = {"feed": ACCOUNT}
POST = "https://x.com/Div11/status/123"


def appeal(name: str = "a", *, status: str = "open", post: str | None = POST) -> AppealFile:
    return AppealFile(
        id=name,
        kind="missing",
        status=status,  # type: ignore[arg-type]
        date=datetime(2026, 11, 20, 9, 0),
        unit="division-11",
        title=Text.plain("Missing man, 67"),
        summary=MappingProxyType({"en": "<p>Last seen downtown.</p>"}),
        post=post,
        photo=Photo(Path("p.jpg"), "content/appeals/photos/p.jpg", None),
        person=Person("Gordon Achterberg", 67, None),
        source=Path(f"{name}.md"),
        position=(f"content/appeals/{name}.md", 6, 7),
    )


def entry(text: str, link: str = POST, **extra: object) -> Entry:
    when = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    return Entry("feed", link, text, link=link, published=when, **extra)  # type: ignore[arg-type]


def test_an_open_appeal_keeps_its_photo_person_and_link() -> None:
    found = resolve([appeal()], [entry("MISSING: man, 67")], [], {}, OWNERS, "America/Toronto")
    (shown,) = found.items
    assert shown.is_open and shown.photo is not None and shown.person is not None
    assert shown.link == POST and not found.kept_off and not found.notes
    assert shown.date == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 9 a.m. in Toronto
    assert found.photos() == (shown.photo,)


@pytest.mark.parametrize(
    ("status", "entries", "withdrawn", "by"),
    [
        ("resolved", [entry("MISSING: man, 67")], {}, "file"),
        (
            "open",
            [],
            {"https://twitter.com/Div11/status/123/": datetime(2026, 11, 21, tzinfo=UTC)},
            "withdrawn",
        ),
        ("open", [entry("UPDATE: the man has been located. Thank you.")], {}, "edited"),
        ("open", [entry("MISE À JOUR : l'homme a été RETROUVÉ sain et sauf")], {}, "edited"),
    ],
)
def test_a_resolved_appeal_loses_its_photo_person_link_and_post(
    status: str, entries: list[Entry], withdrawn: dict[str, datetime], by: str
) -> None:
    found = resolve([appeal(status=status)], entries, entries, withdrawn, OWNERS, "UTC")
    (shown,) = found.items
    assert shown.resolved == by
    assert (shown.photo, shown.person, shown.link) == (None, None, None)
    assert shown.title == Text.plain("Missing man, 67") and shown.summary
    assert found.photos() == ()
    assert found.kept_off == ({("feed", POST)} if entries else set())
    # The file still says open: a warning at its post: line says to change it.
    assert [(n.file, n.line, n.severity) for n in found.notes] == (
        [] if by == "file" else [("content/appeals/a.md", 6, "warning")]
    )


def test_a_post_not_in_the_store_leaves_the_appeal_open_with_a_warning() -> None:
    found = resolve([appeal()], [], [], {}, OWNERS, "UTC")
    assert found.items[0].is_open
    assert "not among the stored posts" in found.notes[0].message


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("Located safe, thank you", True),
        ("She was found this morning.", True),
        ("Suspect arrested downtown", True),
        ("La femme a été retrouvée", True),
        ("Le suspect a été arrêté", True),
        ("If located, please call 911", False),
        ("If she is found, call us", False),
        ("Si elle est retrouvée, composez le 911", False),
        ("Help us find him: last seen downtown", False),
        ("Foundation day at the station", False),
    ],
)
def test_the_words_that_resolve_an_appeal(text: str, resolved: bool) -> None:
    assert says_resolved(text) is resolved


def test_hashtags_make_a_post_an_appeal_and_the_file_wins() -> None:
    assert hashtag_kind(entry("DISPARUE : femme, 81 ans #PersonneDisparue")) == "missing"
    assert hashtag_kind(entry("Suspect sought", categories=("#Wanted",))) == "wanted"
    assert hashtag_kind(entry("Witnesses sought #AppelÀTémoins")) == "information"
    assert hashtag_kind(entry("A nice day #community")) is None
    tagged = entry("MISSING: woman, 81 #MissingPerson", link="https://x.com/Div11/status/9")
    named = entry("MISSING: man, 67 #MissingPerson")
    found = resolve([appeal()], [tagged, named], [tagged, named], {}, OWNERS, "UTC")
    made, filed = found.items  # the post's is the newer: posted at 14:00 UTC, the file's at 9:00
    assert filed.id == "a" and made.id.startswith("post-") and made.account == ACCOUNT
    assert made.title == Text.plain("MISSING: woman, 81 #MissingPerson")


def test_a_post_curation_keeps_off_is_no_appeal() -> None:
    tagged = entry("MISSING: woman, 81 #MissingPerson", link="https://x.com/Div11/status/9")
    found = resolve([], [tagged], [], {}, OWNERS, "UTC")
    assert found.items == ()


def test_a_post_made_appeal_edited_to_say_found_keeps_no_title_nor_post() -> None:
    tagged = entry("UPDATE: found safe #MissingPerson", link="https://x.com/Div11/status/9")
    found = resolve([], [tagged], [tagged], {}, OWNERS, "UTC")
    (shown,) = found.items
    assert (shown.resolved, shown.title, shown.link) == ("edited", None, None)
    assert found.kept_off == {("feed", "https://x.com/Div11/status/9")}


def test_open_appeals_first_newest_first_then_resolved_ones() -> None:
    older = appeal("older")
    newer = AppealFile(**{**older.__dict__, "id": "newer", "date": datetime(2026, 11, 21)})
    done = AppealFile(
        **{**older.__dict__, "id": "done", "status": "resolved", "date": datetime(2026, 11, 22)}
    )
    found = resolve([older, done, newer], [], [], {}, OWNERS, "UTC")
    assert [a.id for a in found.items] == ["newer", "older", "done"]
    assert [a.id for a in found.open] == ["newer", "older"]
    assert [a.id for a in found.resolved] == ["done"]
