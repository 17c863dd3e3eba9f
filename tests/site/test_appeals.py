"""Tests for hub.site.appeals: appeal files read from a real content folder, with positions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PIL import Image

from hub.problems import Problem
from hub.registry import load as registry
from hub.site.content import ContentError, load_content

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "fr")

REGISTRY = """\
site:
  name: Test Police
  url: https://police.example
  languages: [en, fr]
  timezone: America/Toronto
  contact: {emergency: "911", non_emergency: "555-0100"}
units:
  - id: division-11
    name: 11 Division
    kind: division
    accounts:
      - {platform: x, handle: Div11}
"""

GOOD = """\
---
kind: missing
date: 2026-11-21T16:30
unit: division-11
title: {en: "Missing man, 67", fr: "Homme de 67 ans disparu"}
post: https://x.com/Div11/status/123
photo: content/appeals/photos/p.svg
person:
  name: Gordon Achterberg
  age: 67
  description: {en: Grey hair, fr: Cheveux gris}
---
Last seen near the station.

<!-- lang: fr -->

Vu près de la gare.
"""


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "default").symlink_to(ROOT / "themes" / "default")
    photos = tmp_path / "content" / "appeals" / "photos"
    photos.mkdir(parents=True)
    (photos / "p.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / "content" / "appeals" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def load(root: Path):  # type: ignore[no-untyped-def]
    reg = registry.load(root / "sources.yaml").registry
    return load_content(root / "content", LANGS, display_root=root, registry=reg)


def problems(root: Path) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        load(root)
    return caught.value.problems


def errors(root: Path) -> list[tuple[str, int, int, str]]:
    return [(p.file, p.line, p.col, p.path) for p in problems(root) if p.severity == "error"]


def test_an_appeal_loads_with_its_fields_kept_apart(tmp_path: Path) -> None:
    appeal = load(site(tmp_path, {"a-118.md": GOOD})).appeals[0]
    assert (appeal.id, appeal.kind, appeal.status, appeal.unit) == (
        "a-118",
        "missing",
        "open",
        "division-11",
    )
    assert appeal.date.tzinfo is None  # the site's own time zone, applied by the site
    assert appeal.title.values["fr"] == "Homme de 67 ans disparu"
    assert "Last seen" in appeal.summary["en"] and "Vu près" in appeal.summary["fr"]
    assert appeal.person is not None
    assert (appeal.person.name, appeal.person.age) == ("Gordon Achterberg", 67)
    assert appeal.photo is not None
    assert appeal.photo.path == "content/appeals/photos/p.svg"
    assert appeal.photo.source == tmp_path / "content" / "appeals" / "photos" / "p.svg"
    assert appeal.position == ("content/appeals/a-118.md", 6, 7)


def test_every_mistake_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    bad = """\
    ---
    kind: lost
    status: closed
    date: someday
    unit: division-12
    title: {en: Missing, de: Vermisst}
    post: not a link
    photo: ../outside.jpg
    person: {name: Jane, age: old, eyes: blue}
    colour: red
    ---
    Text.
    """
    assert errors(site(tmp_path, {"bad.md": bad})) == [
        ("content/appeals/bad.md", 2, 7, "kind"),
        ("content/appeals/bad.md", 3, 9, "status"),
        ("content/appeals/bad.md", 4, 7, "date"),
        ("content/appeals/bad.md", 5, 7, "unit"),
        ("content/appeals/bad.md", 6, 22, "title.de"),
        ("content/appeals/bad.md", 7, 7, "post"),
        ("content/appeals/bad.md", 8, 8, "photo"),
        ("content/appeals/bad.md", 9, 27, "person.age"),
        ("content/appeals/bad.md", 9, 32, "person.eyes"),
        ("content/appeals/bad.md", 10, 1, "colour"),
    ]


def test_the_title_and_summary_may_not_name_the_person(tmp_path: Path) -> None:
    named = GOOD.replace('"Missing man, 67"', '"Gordon  ACHTERBERG missing"').replace(
        "Last seen near", "Gordon Achterberg was last seen near"
    )
    found = errors(site(tmp_path, {"named.md": named}))
    assert found == [
        ("content/appeals/named.md", 5, 8, "title.en"),
        ("content/appeals/named.md", 13, 1, ""),
    ]


def test_a_missing_photo_and_a_photo_that_is_no_picture_are_errors(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "gone.md": GOOD.replace("photos/p.svg", "photos/gone.jpg"),
            "text.md": GOOD.replace("photos/p.svg", "photos/p.txt"),
        },
    )
    messages = {p.file: p.message for p in problems(root) if p.severity == "error"}
    assert "is not a file" in messages["content/appeals/gone.md"]
    assert "is not a picture" in messages["content/appeals/text.md"]


def test_a_photo_the_site_cannot_publish_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "moving.md": GOOD.replace("photos/p.svg", "photos/moving.gif"),
            "page.md": GOOD.replace("photos/p.svg", "photos/page.jpg"),
            "phone.md": GOOD.replace("photos/p.svg", "photos/phone.jpg"),
        },
    )
    photos = root / "content" / "appeals" / "photos"
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue", "white")]
    frames[0].save(photos / "moving.gif", save_all=True, append_images=frames[1:])
    (photos / "page.jpg").write_text("<html><body>Photo removed</body></html>")
    # A phone's photo with its GPS position is welcome: only its pixels are published.
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 39.0, 12.5), 3: "W", 4: (79.0, 23.0, 1.0)}
    Image.new("RGB", (600, 800), "grey").save(photos / "phone.jpg", exif=exif)

    found = {p.file: p for p in problems(root) if p.severity == "error"}

    assert sorted(found) == ["content/appeals/moving.md", "content/appeals/page.md"]
    moving, page = found["content/appeals/moving.md"], found["content/appeals/page.md"]
    assert (moving.line, moving.col, page.line, page.col) == (7, 8, 7, 8)
    assert moving.message.startswith(
        '"content/appeals/photos/moving.gif" is an animated GIF (3 frames): use a still image'
    )
    assert page.message.startswith(
        '"content/appeals/photos/page.jpg" is an HTML page, not a JPEG, PNG, GIF, WebP or SVG'
    )


def test_the_demo_appeals_load() -> None:
    reg = registry.load(ROOT / "sources.yaml").registry
    loaded = load_content(ROOT / "content", reg.site.languages, display_root=ROOT, registry=reg)
    kinds = sorted((a.kind, a.status) for a in loaded.appeals)
    assert kinds == [("missing", "open"), ("missing", "resolved"), ("wanted", "open")]
    assert not [p for p in loaded.warnings if "appeals" in p.file]
