"""Content pages and alerts: the Markdown files under ``content/``.

``content/pages/NAME.LANG.md`` is one page in one language; pages that share
NAME are translations of each other. ``content/alerts/NAME.md`` is one alert
with every language in it (``hub.site.alerts``), and so are
``content/appeals/NAME.md`` (``hub.site.appeals``) and ``content/events/NAME.md``
(``hub.site.events``). They all start with YAML front
matter between ``---`` lines (``hub.site.contentfile``), and their bodies become
HTML through an allow-list (``hub.site.markup``). ``content/curation.yaml`` says
which posts are taken down, pinned, held and muted (``hub.site.curation``).

Loading only reads files and returns values. Every problem in every file is
collected with its line and column and raised once as :class:`ContentError`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from slugify import slugify

from hub.model import Registry
from hub.problems import HubError, Problem, did_you_mean, one_of
from hub.registry.yamlnodes import Mark
from hub.site.alerts import Alert, alert_order, read_alert
from hub.site.appeals import AppealFile, read_appeal
from hub.site.contentfile import ContentFile, describe
from hub.site.curation import CURATION_NAME, Curation, read_curation
from hub.site.events import Event, read_event
from hub.site.markup import MarkdownRenderer

PAGE_KEYS = ("title", "slug", "menu", "description")

_NOT_IN_MENU = 9999
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DOCUMENTATION = "readme.md"


@dataclass(frozen=True)
class Page:
    """One page in one language."""

    name: str
    """The file name's first part: pages with the same name are translations."""
    lang: str
    title: str
    slug: str
    """The page's URL segment in its own language."""
    menu: int | None
    """Position in the site menu; None keeps the page out of it."""
    description: str
    html: str
    """The body, rendered and sanitized."""
    source: Path


@dataclass(frozen=True)
class Content:
    """Every valid page and alert, the curation, and the warnings raised while loading them."""

    pages: tuple[Page, ...] = ()
    """Sorted by menu position (pages outside the menu last), name, language."""
    alerts: tuple[Alert, ...] = ()
    """Urgent first, then warnings, then info; newest ``starts`` first within a level."""
    warnings: tuple[Problem, ...] = ()
    curation: Curation = field(default_factory=Curation)
    """``content/curation.yaml``: posts taken down, pinned, held and muted."""
    appeals: tuple[AppealFile, ...] = ()
    """``content/appeals/``, by file name; what the site shows is :mod:`hub.site.resolution`'s."""
    events: tuple[Event, ...] = ()
    """``content/events/``, by file name; when they happen is :mod:`hub.site.agenda`'s."""

    def pages_in(self, lang: str) -> tuple[Page, ...]:
        return tuple(page for page in self.pages if page.lang == lang)

    def active_alerts(self, now: datetime, lang: str) -> tuple[Alert, ...]:
        return tuple(a for a in self.alerts if lang in a.languages and a.is_active(now))

    def translations(self, page: Page) -> dict[str, Page]:
        """Every language version of ``page``, itself included (for hreflang links)."""
        return {p.lang: p for p in self.pages if p.name == page.name}


class ContentError(HubError):
    """A file under content/ is invalid; ``problems`` holds every error and warning."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the content files")
        self.problems = problems


def load_content(
    folder: Path,
    languages: tuple[str, ...],
    *,
    display_root: Path | None = None,
    registry: Registry | None = None,
) -> Content:
    """Read ``folder``/pages, alerts, appeals, events and curation.yaml; raise
    ContentError listing every problem.

    ``languages`` are the site's, default first. A missing folder is no content.
    ``registry`` holds the accounts ``curation.yaml`` may mute and the units
    appeals and events name (without it, those checks are left out); appeal
    photos are found from its folder, else from ``folder``'s parent.
    """
    if not languages:
        raise ValueError("load_content needs at least one site language")
    problems: list[Problem] = []
    renderer = MarkdownRenderer(registry.site.base_path if registry is not None else "")
    pages: list[tuple[Page, ContentFile]] = []
    for path in _markdown_files(folder / "pages", display_root, problems):
        source = ContentFile.read(path, _display(path, display_root), problems)
        page = _page(source, languages, renderer) if source else None
        if page is not None and source is not None:
            pages.append((page, source))
    _check_slugs(pages)
    alerts: list[Alert] = []
    for path in _markdown_files(folder / "alerts", display_root, problems):
        source = ContentFile.read(path, _display(path, display_root), problems)
        alert = read_alert(source, languages, renderer) if source else None
        if alert is not None:
            alerts.append(alert)
    root = registry.root if registry is not None else folder.parent
    appeals: list[AppealFile] = []
    for path in _markdown_files(folder / "appeals", display_root, problems):
        source = ContentFile.read(path, _display(path, display_root), problems)
        appeal = read_appeal(source, languages, renderer, root, registry) if source else None
        if appeal is not None:
            appeals.append(appeal)
    events: list[Event] = []
    for path in _markdown_files(folder / "events", display_root, problems):
        source = ContentFile.read(path, _display(path, display_root), problems)
        event = read_event(source, languages, renderer, registry) if source else None
        if event is not None:
            events.append(event)
    curation_path = folder / CURATION_NAME
    accounts = None if registry is None else tuple(registry.accounts())
    curation = read_curation(
        curation_path, _display(curation_path, display_root), accounts, problems
    )
    ordered = sorted(problems, key=lambda p: (p.file, p.line, p.col))
    if any(p.severity == "error" for p in ordered):
        raise ContentError(ordered)
    return Content(
        pages=tuple(sorted((p for p, _ in pages), key=_page_order)),
        alerts=tuple(sorted(alerts, key=alert_order)),
        warnings=tuple(ordered),
        curation=curation,
        appeals=tuple(appeals),
        events=tuple(events),
    )


def _markdown_files(folder: Path, display_root: Path | None, problems: list[Problem]) -> list[Path]:
    """The folder's Markdown files; a folder that cannot be listed is a problem, not a
    folder without files (its pages would leave the site without a word)."""
    if not folder.is_dir():
        return []
    try:
        names = os.listdir(folder)
    except OSError as error:
        where = _display(folder, display_root)
        reason = error.strerror or str(error)
        problems.append(Problem(where, 1, 1, "", f"cannot read the folder: {reason}"))
        return []
    return sorted(
        folder / name
        for name in names
        if name.endswith(".md") and name.lower() != _DOCUMENTATION and (folder / name).is_file()
    )


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return str(path)


def _page_order(page: Page) -> tuple[int, str, str]:
    return (_NOT_IN_MENU if page.menu is None else page.menu, page.name, page.lang)


# Pages


def _page(
    source: ContentFile, languages: tuple[str, ...], renderer: MarkdownRenderer
) -> Page | None:
    name, _, lang = source.path.name.removesuffix(".md").rpartition(".")
    if not name:
        source.report(
            Mark(1, 1),
            "",
            f"the file name has no language: name it {lang}.{languages[0]}.md "
            f"(one file per language, e.g. {lang}.{languages[-1]}.md for the other)",
        )
    elif lang not in languages:
        source.report(
            Mark(1, 1),
            "",
            f'"{lang}" in the file name is not a site language{did_you_mean(lang, languages)}: '
            f"use {one_of(languages)}, e.g. {name}.{languages[0]}.md",
        )
    source.check_keys(PAGE_KEYS)
    title = source.string("title", "title: About us", required=True)
    slug = source.string("slug", "slug: about-us")
    if slug is not None and not _SLUG.fullmatch(slug):
        source.report(
            source.at("slug"),
            "slug",
            f'"{slug}" is not a URL segment: use lowercase letters, digits and hyphens, '
            f"e.g. slug: {slugify(slug) or 'about-us'}",
        )
    elif slug is None and title is not None and "slug" not in source.fields:
        slug = slugify(title)
        if not slug:
            source.report(
                source.at("title"),
                "title",
                "this title gives an empty URL: add slug: with lowercase letters, e.g. slug: about",
            )
    menu_node = source.node("menu")
    menu = menu_node.value if menu_node is not None else None
    if menu_node is not None and (type(menu) is not int or menu < 0):
        source.report(
            source.at("menu"),
            "menu",
            f"expected a whole number (the page's place in the menu, e.g. menu: 2), "
            f"got {describe(menu)}; leave menu: out to keep the page out of the menu",
        )
    description = source.string("description", "description: Who we are and what we do.")
    html = source.render(renderer, source.body, lang)
    if source.errors or title is None or not slug:
        return None
    return Page(name, lang, title, slug, menu, description or "", html, source.path)


def _check_slugs(pages: list[tuple[Page, ContentFile]]) -> None:
    """Two pages in one language cannot share a URL."""
    first: dict[tuple[str, str], Page] = {}
    for page, source in pages:
        other = first.setdefault((page.lang, page.slug), page)
        if other is not page:
            key = "slug" if "slug" in source.fields else "title"
            source.report(
                source.at(key),
                key,
                f'the URL "{page.slug}" is already used by {other.source.name} '
                f'in "{page.lang}": give one of them its own slug:',
            )
