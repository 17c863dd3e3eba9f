"""Appeals: ``content/appeals/NAME.md``, a missing person, a wanted person, a call for witnesses.

One file holds every language, as an alert does: the summary is the body, in
the site's default language, then each other language after a line
``<!-- lang: fr -->``. The front matter says what kind of appeal it is,
whether it is still open, when and by which unit it was made, and, apart
from everything else, what identifies a person: the ``photo:`` and the
``person:`` block (name, age, description). Those are the fields the site
removes once the appeal is resolved (:mod:`hub.site.resolution`), so the
title and the summary must not repeat the person's name: a name in them is
an error.

``post:`` may name the post the appeal was published in: the post's deletion
on the platform, or an edit saying the person was found, resolves the appeal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Literal

from hub import imaging, wholefiles
from hub.model import Registry, Text
from hub.problems import did_you_mean, one_of
from hub.registry.yamlnodes import Mark
from hub.site import frontmatter
from hub.site.contentfile import ContentFile, describe, front_mark
from hub.site.markup import MarkdownRenderer
from hub.site.moderation import fold

Kind = Literal["missing", "wanted", "information"]
KINDS: tuple[Kind, ...] = ("missing", "wanted", "information")
Status = Literal["open", "resolved"]
STATUSES: tuple[Status, ...] = ("open", "resolved")

APPEAL_KEYS = ("kind", "status", "date", "unit", "title", "post", "photo", "photo_alt", "person")
PERSON_KEYS = ("name", "age", "description")
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")
PHOTO_LIMIT = imaging.REPOSITORY.bytes
"""Bytes: a photo larger than this is an error (a phone's original, not a web copy)."""


@dataclass(frozen=True)
class Person:
    """What identifies the person an appeal is about: removed once it is resolved."""

    name: str | None
    age: int | None
    description: Text | None


@dataclass(frozen=True)
class Photo:
    """An appeal's photo: a file of the repository, published re-encoded at the
    theme's sizes under ``appeals/``, with no name in its addresses
    (:mod:`hub.render.pictures`)."""

    source: Path
    path: str
    """As ``photo:`` writes it, relative to the registry's folder: how templates
    ask for it (``image(a.photo.path)``)."""
    alt: Text | None


@dataclass(frozen=True)
class AppealFile:
    """An appeal as its file writes it, before posts can resolve it."""

    id: str
    """The file's stem."""
    kind: Kind
    status: Status
    date: datetime
    """Timezone-aware UTC, or naive: a wall-clock time of the site's time zone."""
    unit: str | None
    title: Text
    summary: Mapping[str, str]
    """Sanitized HTML by language."""
    post: str | None
    """The post the appeal was published in, as the platform links to it."""
    photo: Photo | None
    person: Person | None
    source: Path
    position: tuple[str, int, int] = ("", 1, 1)
    """The file as messages name it, and the line and column of its ``post:``."""


def read_appeal(
    source: ContentFile,
    languages: tuple[str, ...],
    renderer: MarkdownRenderer,
    root: Path,
    registry: Registry | None,
) -> AppealFile | None:
    """The appeal ``source`` describes, or None when it has errors (reported on ``source``).

    ``root`` is the folder photo paths are relative to (the registry's);
    with a ``registry``, ``unit:`` must name one of its units.
    """
    source.check_keys(APPEAL_KEYS)
    kind = _choice(source, "kind", KINDS, "kind: missing", required=True)
    status = _choice(source, "status", STATUSES, "status: open") or "open"
    when = frontmatter.moment(source, "date", required=True, local=True)
    unit = unit_of(source, registry)
    title = frontmatter.text(
        source,
        "title",
        languages,
        f"title: {{{languages[0]}: Missing woman, 34, ...}}",
        required=True,
    )
    post = frontmatter.web_link(source, "post", "post: https://x.com/LakeviewPolice/status/123")
    photo = _photo(source, root, languages)
    person = _person(source, languages)
    summary = {
        lang: source.render(renderer, text, lang)
        for lang, text in frontmatter.sections(source, languages).items()
    }
    if title is not None and person is not None and person.name:
        _check_name_kept_apart(source, person.name, title, summary)
    if source.errors or kind is None or when is None or title is None:
        return None
    frontmatter.warn_untranslated(source, languages, title, summary, languages[0])
    return AppealFile(
        id=source.path.stem,
        kind=kind,
        status=status,
        date=when,
        unit=unit,
        title=title,
        summary=MappingProxyType(summary),
        post=post,
        photo=photo,
        person=person,
        source=source.path,
        position=(source.name, *source.at("post")),
    )


def _choice(
    source: ContentFile, key: str, choices: tuple[str, ...], example: str, *, required: bool = False
) -> str | None:
    node = source.node(key, example if required else None)
    if node is None:
        return None
    if node.value not in choices:
        source.report(
            source.at(key),
            key,
            f"expected {one_of(choices)}, got {describe(node.value)}"
            f"{did_you_mean(str(node.value), choices)}",
        )
        return None
    return str(node.value)


def unit_of(source: ContentFile, registry: Registry | None) -> str | None:
    """``unit:``, the id of a unit of ``sources.yaml`` (checked when there is a registry)."""
    unit = source.string("unit", "unit: division-11")
    if unit is not None and registry is not None:
        ids = [u.id for u in registry.units]
        if unit not in ids:
            source.report(
                source.at("unit"),
                "unit",
                f'"{unit}" is not a unit of sources.yaml{did_you_mean(unit, ids)}: '
                "write the id of one of its units, e.g. unit: "
                f"{ids[0] if ids else 'division-11'}",
            )
            return None
    return unit


def _photo(source: ContentFile, root: Path, languages: tuple[str, ...]) -> Photo | None:
    written = source.string("photo", "photo: content/appeals/photos/appeal-2026-041.jpg")
    alt = frontmatter.text(source, "photo_alt", languages, "photo_alt: {en: ..., fr: ...}")
    if written is None:
        if alt is not None:
            source.report(source.at("photo_alt"), "photo_alt", "photo_alt: without photo:")
        return None
    where = source.at("photo")
    relative = PurePosixPath(written)
    if "\\" in written or relative.is_absolute() or ".." in relative.parts:
        source.report(
            where,
            "photo",
            f'"{written}" must be a path relative to the folder of sources.yaml, with '
            "forward slashes and inside it, e.g. photo: content/appeals/photos/appeal.jpg",
        )
        return None
    if relative.suffix.lower() not in PHOTO_TYPES:
        source.report(
            where, "photo", f'"{written}" is not a picture: use a {one_of(PHOTO_TYPES)} file'
        )
        return None
    path = root / relative
    try:
        size = path.stat().st_size
        data = wholefiles.read(path, PHOTO_LIMIT) if size <= PHOTO_LIMIT else b""
    except OSError:
        source.report(where, "photo", f'"{written}" is not a file (paths are relative to {root})')
        return None
    # Published re-encoded from its pixels (hub.render.pictures): a phone's GPS position stays out.
    problem = imaging.problem(data, imaging.REPOSITORY, size=size)
    if problem is not None:
        source.report(where, "photo", f'"{written}" {problem}')
        return None
    return Photo(path, written, alt)


def _person(source: ContentFile, languages: tuple[str, ...]) -> Person | None:
    node = source.node("person")
    if node is None:
        return None
    example = "person: {name: Jane Doe, age: 34, description: ...}"
    if not isinstance(node.value, dict):
        source.report(
            source.at("person"), "person", f"expected keys, got {describe(node.value)}: {example}"
        )
        return None
    fields = node.value
    for key, mark in node.key_marks.items():
        if key not in PERSON_KEYS:
            source.report(
                front_mark(mark),
                f"person.{key}",
                f'unknown key "{key}"{did_you_mean(key, PERSON_KEYS)}; '
                f"the keys are {one_of(PERSON_KEYS)}",
            )
    name = fields.get("name")
    if name is not None and (not isinstance(name.value, str) or not name.value.strip()):
        source.report(front_mark(name.mark), "person.name", f"expected text: {example}")
        name = None
    age = fields.get("age")
    if age is not None and (type(age.value) is not int or not 0 <= age.value < 130):
        source.report(
            front_mark(age.mark),
            "person.age",
            f"expected an age in years, e.g. age: 34, got {describe(age.value)}",
        )
        age = None
    description = None
    if "description" in fields:
        description = frontmatter.text(
            source,
            "person.description",
            languages,
            "description: {en: 1.65 m, brown hair, fr: 1,65 m, cheveux bruns}",
            node=fields["description"],
        )
    return Person(
        name.value.strip() if name is not None else None,
        age.value if age is not None else None,
        description,
    )


def _check_name_kept_apart(
    source: ContentFile, name: str, title: Text, summary: Mapping[str, str]
) -> None:
    """The name only in ``person.name``: what the title or summary says stays after resolution."""
    whole = _words(name)
    for lang, value in title.values.items():
        if whole.search(fold(value)):
            source.report(
                source.at("title"),
                f"title{'.' + lang if lang else ''}",
                f'the title names "{name}": keep the name in person.name only, which the '
                "site removes once the appeal is resolved (write e.g. Missing woman, 34)",
            )
    for lang, html in summary.items():
        if whole.search(fold(html)):
            source.report(
                Mark(source.body_line, 1),
                "",
                f'the {lang} summary names "{name}": keep the name in person.name only, '
                "which the site removes once the appeal is resolved",
            )


def _words(name: str) -> re.Pattern[str]:
    """The name as whole words, case and accents aside, however spaced."""
    parts = [re.escape(part) for part in fold(name).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")
