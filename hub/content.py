"""Content pages and alerts: the Markdown files under ``content/``.

``content/pages/NAME.LANG.md`` is one page in one language; pages that share
NAME are translations of each other. ``content/alerts/NAME.md`` is one alert
with every language in it: the body is in the site's default language, and
each other language follows a line ``<!-- lang: fr -->``. Both kinds start
with YAML front matter between ``---`` lines.

Loading only reads files and returns values. Every problem in every file is
collected with its line and column and raised once as :class:`ContentError`.

Staff write this content and it is reviewed, but it still passes an
allow-list: the site's Content-Security-Policy forbids inline script and
style, and no page may load anything from another host.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import markdown
import nh3
from slugify import slugify

from hub.model import Text
from hub.problems import HubError, Problem, Severity, did_you_mean, one_of
from hub.spec import is_web_url
from hub.yamlnodes import Mark, Node, YamlError, decode, parse

Level = Literal["urgent", "warning", "info"]
LEVELS: tuple[Level, ...] = ("urgent", "warning", "info")
"""Alert levels, most pressing first: the order alerts are shown in."""

PAGE_KEYS = ("title", "slug", "menu", "description")
ALERT_KEYS = ("level", "starts", "expires", "languages", "title", "link")

_NOT_IN_MENU = 9999
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MARKER = re.compile(r"<!-- lang: (\S+) -->")
_MARKER_LIKE = re.compile(r"\s*<!--\s*lang\s*:\s*(\S*?)\s*-->\s*", re.IGNORECASE)
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
class Alert:
    """A notice shown above everything else between ``starts`` and ``expires``."""

    id: str
    """The file's stem."""
    level: Level
    starts: datetime
    """Timezone-aware UTC."""
    expires: datetime | None
    """Timezone-aware UTC; None shows the alert until its file is removed."""
    languages: tuple[str, ...]
    """The languages whose pages show the alert."""
    title: Text
    body: Mapping[str, str]
    """Sanitized HTML by language, for the languages written in the file."""
    link: str | None
    """An http(s) URL or a path on this site starting with ``/``."""
    source: Path

    def is_active(self, now: datetime) -> bool:
        """Shown at ``now`` (timezone-aware): from ``starts`` up to, not at, ``expires``."""
        return self.starts <= now and (self.expires is None or now < self.expires)


@dataclass(frozen=True)
class Content:
    """Every valid page and alert, and the warnings raised while loading them."""

    pages: tuple[Page, ...] = ()
    """Sorted by menu position (pages outside the menu last), name, language."""
    alerts: tuple[Alert, ...] = ()
    """Urgent first, then warnings, then info; newest ``starts`` first within a level."""
    warnings: tuple[Problem, ...] = ()

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
    folder: Path, languages: tuple[str, ...], *, display_root: Path | None = None
) -> Content:
    """Read ``folder``/pages and ``folder``/alerts; raise ContentError listing every problem.

    ``languages`` are the site's, default first. A missing folder is no content.
    """
    if not languages:
        raise ValueError("load_content needs at least one site language")
    problems: list[Problem] = []
    renderer = _Renderer()
    pages: list[tuple[Page, _Source]] = []
    for path in _markdown_files(folder / "pages"):
        source = _Source.read(path, _display(path, display_root), problems)
        page = _page(source, languages, renderer) if source else None
        if page is not None and source is not None:
            pages.append((page, source))
    _check_slugs(pages)
    alerts: list[Alert] = []
    for path in _markdown_files(folder / "alerts"):
        source = _Source.read(path, _display(path, display_root), problems)
        alert = _alert(source, languages, renderer) if source else None
        if alert is not None:
            alerts.append(alert)
    ordered = sorted(problems, key=lambda p: (p.file, p.line, p.col))
    if any(p.severity == "error" for p in ordered):
        raise ContentError(ordered)
    return Content(
        pages=tuple(sorted((p for p, _ in pages), key=_page_order)),
        alerts=tuple(sorted(alerts, key=_alert_order)),
        warnings=tuple(ordered),
    )


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.glob("*.md")
        if path.is_file() and path.name.lower() != _DOCUMENTATION
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


def _alert_order(alert: Alert) -> tuple[int, float, str]:
    return (LEVELS.index(alert.level), -alert.starts.timestamp(), alert.id)


# Reading one file


def _front(mark: Mark) -> Mark:
    """A position in the front matter as a position in the file (after the first ``---``)."""
    return Mark(mark.line + 1, mark.col)


@dataclass
class _Source:
    """One file being checked: its front matter, its body, and where problems go."""

    path: Path
    name: str
    out: list[Problem]
    fields: dict[str, Node]
    key_marks: dict[str, Mark]
    body: str
    body_line: int
    """The file's line number of the body's first line."""
    errors: int = 0

    @classmethod
    def read(cls, path: Path, name: str, out: list[Problem]) -> _Source | None:
        def fail(line: int, col: int, message: str) -> None:
            out.append(Problem(name, line, col, "", message))

        try:
            text = decode(path.read_bytes())
        except OSError as exc:
            fail(1, 1, f"cannot read the file: {exc.strerror or exc}")
            return None
        except YamlError as exc:
            fail(exc.problems[0].mark.line, exc.problems[0].mark.col, exc.problems[0].message)
            return None
        lines = text.split("\n")
        example = '"---", then keys such as title: About us, then "---"'
        if lines[0].rstrip() != "---":
            fail(1, 1, f"the file must start with front matter: a line {example}")
            return None
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if close is None:
            fail(1, 1, 'the front matter is never closed: add a line "---" after its last key')
            return None
        try:
            root = parse("\n".join(lines[1:close]))
        except YamlError as exc:
            for problem in exc.problems:
                mark = _front(problem.mark)
                fail(mark.line, mark.col, problem.message)
            return None
        if root is not None and not root.is_map:
            mark = _front(root.mark)
            fail(mark.line, mark.col, f"the front matter must be keys and values: {example}")
            return None
        fields = root.value if root is not None else {}
        key_marks = root.key_marks if root is not None else {}
        body = "\n".join(lines[close + 1 :])
        return cls(path, name, out, fields, key_marks, body, close + 2)

    def report(self, mark: Mark, key: str, message: str, severity: Severity = "error") -> None:
        self.out.append(Problem(self.name, mark.line, mark.col, key, message, severity))
        if severity == "error":
            self.errors += 1

    def at(self, key: str) -> Mark:
        """Where a key's value is written (line 1 when the key is missing)."""
        node = self.fields.get(key)
        return _front(node.mark) if node is not None else Mark(1, 1)

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.fields:
            if key not in allowed:
                self.report(
                    _front(self.key_marks[key]),
                    key,
                    f'unknown key "{key}"{did_you_mean(key, allowed)}; '
                    f"the keys are {one_of(allowed)}",
                )

    def node(self, key: str, example: str | None = None) -> Node | None:
        """The key's node; with ``example``, the key is required."""
        node = self.fields.get(key)
        if node is None and example is not None:
            self.report(Mark(1, 1), key, f'missing required key "{key}", e.g. {example}')
        return node

    def string(self, key: str, example: str, *, required: bool = False) -> str | None:
        node = self.node(key, example if required else None)
        if node is None:
            return None
        if not isinstance(node.value, str) or not node.value.strip():
            self.report(self.at(key), key, f"expected text, got {_describe(node.value)}: {example}")
            return None
        return node.value.strip()

    def line_of(self, needle: str) -> Mark:
        """Where ``needle`` first appears in the body, else the body's first line."""
        offset = self.body.find(needle)
        if offset < 0:
            return Mark(self.body_line, 1)
        before = self.body[:offset]
        return Mark(self.body_line + before.count("\n"), offset - before.rfind("\n"))


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return "empty text" if not value.strip() else f'"{value}"'
    if isinstance(value, dict):
        return "keys and values"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return f"{value} ({type(value).__name__})"


# Pages


def _page(source: _Source, languages: tuple[str, ...], renderer: _Renderer) -> Page | None:
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
            f"got {_describe(menu)}; leave menu: out to keep the page out of the menu",
        )
    description = source.string("description", "description: Who we are and what we do.")
    html = renderer.render(source, source.body, lang)
    if source.errors or title is None or not slug:
        return None
    return Page(name, lang, title, slug, menu, description or "", html, source.path)


def _check_slugs(pages: list[tuple[Page, _Source]]) -> None:
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


# Alerts


def _alert(source: _Source, languages: tuple[str, ...], renderer: _Renderer) -> Alert | None:
    source.check_keys(ALERT_KEYS)
    level = source.node("level", "level: warning")
    if level is not None and level.value not in LEVELS:
        source.report(
            source.at("level"),
            "level",
            f"expected {one_of(LEVELS)}, got {_describe(level.value)}"
            f"{did_you_mean(str(level.value), LEVELS)}",
        )
    starts = _moment(source, "starts", required=True)
    expires = _moment(source, "expires")
    if starts is not None and expires is not None and expires <= starts:
        source.report(
            source.at("expires"),
            "expires",
            f"{expires.isoformat()} is not after starts ({starts.isoformat()}, in UTC): "
            "the alert would never show; check the dates",
        )
    shown_in = _alert_languages(source, languages)
    title = _title(source, languages)
    link = source.string("link", "link: /en/road-closures/")
    if link is not None and not _is_site_link(link):
        source.report(
            source.at("link"),
            "link",
            f'"{link}" is neither an http(s) URL nor a path on this site: '
            "write https://... or a path starting with /, e.g. link: /en/about/",
        )
    body = {
        lang: renderer.render(source, text, lang)
        for lang, text in _sections(source, languages).items()
    }
    if source.errors or level is None or starts is None or title is None:
        return None
    _warn_untranslated(source, shown_in, title, body, languages[0])
    return Alert(
        id=source.path.stem,
        level=level.value,
        starts=starts,
        expires=expires,
        languages=shown_in,
        title=title,
        body=MappingProxyType(body),
        link=link,
        source=source.path,
    )


def _moment(source: _Source, key: str, *, required: bool = False) -> datetime | None:
    example = f"{key}: 2024-05-01T09:00:00-04:00 (or a date, {key}: 2024-05-01)"
    node = source.node(key, example if required else None)
    if node is None:
        return None
    value = node.value
    if isinstance(value, str):
        value = _iso(value.strip())
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            source.report(
                source.at(key),
                key,
                f"{value.isoformat()} has no UTC offset, so the time is ambiguous: "
                f"add one, e.g. {key}: {value.isoformat()}-04:00",
            )
            return None
        return value.astimezone(UTC)
    if isinstance(value, date):
        # A bare date is the start of that day in UTC: the site has no time zone of its own.
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    source.report(source.at(key), key, f"expected a date, got {_describe(value)}: {example}")
    return None


def _iso(text: str) -> date | str:
    """A quoted date or datetime as YAML would have read it unquoted; else the text."""
    for kind in (date, datetime):
        try:
            return kind.fromisoformat(text)
        except ValueError:
            continue
    return text


def _alert_languages(source: _Source, languages: tuple[str, ...]) -> tuple[str, ...]:
    node = source.node("languages")
    if node is None:
        return languages
    example = f"languages: [{languages[0]}]"
    if not isinstance(node.value, list) or not node.value:
        source.report(
            source.at("languages"),
            "languages",
            f"expected a list of languages, got {_describe(node.value)}: {example}, "
            "or leave languages: out to show the alert in every language",
        )
        return languages
    chosen: set[str] = set()
    for i, item in enumerate(node.value):
        if item.value not in languages:
            source.report(
                _front(item.mark),
                f"languages[{i}]",
                f"{_describe(item.value)} is not a site language"
                f"{did_you_mean(str(item.value), languages)}: use {one_of(languages)}",
            )
        else:
            chosen.add(item.value)
    return tuple(lang for lang in languages if lang in chosen)


def _title(source: _Source, languages: tuple[str, ...]) -> Text | None:
    example = f"title: {{{languages[0]}: Road closed, ...}} or title: Road closed"
    node = source.node("title", example)
    if node is None:
        return None
    if isinstance(node.value, str) and node.value.strip():
        return Text.plain(node.value.strip())
    if not isinstance(node.value, dict) or not node.value:
        source.report(
            source.at("title"), "title", f"expected text, got {_describe(node.value)}: {example}"
        )
        return None
    values: dict[str, str] = {}
    for lang, child in node.value.items():
        if lang not in languages:
            source.report(
                _front(node.key_marks[lang]),
                f"title.{lang}",
                f'"{lang}" is not a site language{did_you_mean(lang, languages)}: '
                f"use {one_of(languages)}",
            )
        elif not isinstance(child.value, str) or not child.value.strip():
            source.report(
                _front(child.mark),
                f"title.{lang}",
                f"expected text, got {_describe(child.value)}",
            )
        else:
            values[lang] = child.value.strip()
    return Text(MappingProxyType(values))


def _is_site_link(link: str) -> bool:
    # "//host/..." and "/\host" are other hosts to a browser, not paths on this site.
    if link.startswith("/"):
        return not link.startswith("//") and not any(c in link for c in "\\ \t\r\n")
    return is_web_url(link)


def _sections(source: _Source, languages: tuple[str, ...]) -> dict[str, str]:
    """The body split at ``<!-- lang: xx -->`` lines; the first part is the default language."""
    current = languages[0]
    parts: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for i, line in enumerate(source.body.split("\n")):
        loose = _MARKER_LIKE.fullmatch(line)
        if loose is None:
            parts.setdefault(current, []).append(line)
            continue
        mark = Mark(source.body_line + i, 1)
        lang = loose.group(1)
        exact = _MARKER.fullmatch(line.rstrip())
        if exact is None:
            source.report(mark, "", f'write the marker exactly as "<!-- lang: {lang.lower()} -->"')
        elif lang not in languages:
            source.report(
                mark,
                "",
                f'"{lang}" is not a site language{did_you_mean(lang, languages)}: '
                f"use {one_of(languages)}",
            )
        elif lang in seen or (lang == languages[0] and "".join(parts.get(lang, [])).strip()):
            first = seen.get(lang)
            where = f"on line {first}" if first else "at the top of the body"
            source.report(mark, "", f"the {lang} text already started {where}: keep one")
        seen.setdefault(lang, source.body_line + i)
        current = lang
    return {lang: "\n".join(lines) for lang, lines in parts.items() if "".join(lines).strip()}


def _warn_untranslated(
    source: _Source, shown_in: tuple[str, ...], title: Text, body: Mapping[str, str], default: str
) -> None:
    for lang in shown_in:
        if "" not in title.values and lang not in title.values:
            source.report(
                source.at("title"),
                "title",
                f"no {lang} title: the {lang} pages will show the {default} one",
                "warning",
            )
        if body and lang not in body:
            source.report(
                Mark(source.body_line, 1),
                "",
                f'no {lang} text: add a line "<!-- lang: {lang} -->" followed by the {lang} text',
                "warning",
            )


# HTML


ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "a", "ul", "ol", "li",
        "dl", "dt", "dd", "blockquote", "strong", "em", "b", "i", "code", "pre", "kbd",
        "sub", "sup", "small", "mark", "abbr", "q", "cite", "span", "img", "figure",
        "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip
"""Tags kept in pages and alerts (an h1 arrives as h2: the page template owns the h1)."""

REMOVED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "form", "svg", "math",
        "template", "noscript", "base", "meta", "link", "title", "textarea", "select",
    }
)  # fmt: skip
"""Tags dropped together with everything inside them."""

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang"},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    # Anchors for "## Heading {#id}" and for footnotes.
    **{h: {"id"} for h in _HEADINGS},
    "li": {"id"},
    "sup": {"id"},
}
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_NUMBER_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan", "start"})
_HEADING_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?-\d{1,4}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
# URL parsers delete tabs and newlines and trim C0 controls and spaces, so
# " java\tscript:" is still javascript: compare what the browser will see.
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
# nh3 output double-quotes every attribute value, so this matches whole tags only.
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s="/>]+(?:="[^"]*")?)*)\s*/?>')
_HAS_SRC = re.compile(r'\ssrc="')

# Typography per language: French quotes are « guillemets » with no-break spaces.
_QUOTES: dict[str, dict[str, str]] = {
    "fr": {"left-double-quote": "&laquo;&#160;", "right-double-quote": "&#160;&raquo;"},
}
_BACKLINK_TITLES = {
    "en": "Back to footnote %d in the text",
    "fr": "Retour \u00e0 l\u2019appel de note %d",
}


def _scheme(url: str) -> str | None:
    """The URL's scheme as a browser reads it, lowercased; None for a relative URL."""
    value = _IGNORED_IN_URL.sub("", url).strip(_C0_AND_SPACE)
    colon = value.find(":")
    head = value[:colon] if colon > 0 else ""
    if not head or any(mark in head for mark in "/?#"):
        return None
    return head.lower()


def _link_url(url: str) -> str | None:
    scheme = _scheme(url)
    return url if scheme is None or scheme in _LINK_SCHEMES else None


def _local_src(url: str) -> str | None:
    """An image address on this site, or None: another host would be a third-party request."""
    value = _IGNORED_IN_URL.sub("", url).strip(_C0_AND_SPACE)
    # Browsers read "\" as "/" in http(s) URLs, so "/\host" is "//host".
    if not value or _scheme(value) is not None or value.startswith("//") or "\\" in value:
        return None
    return url


class _Renderer:
    """Markdown to sanitized HTML, reporting the addresses it had to drop."""

    def __init__(self) -> None:
        self._converters: dict[str, markdown.Markdown] = {}
        self._dropped: list[tuple[str, str]] = []
        self._cleaner = nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(REMOVED_WITH_CONTENT),
            attributes=_ATTRIBUTES,
            attribute_filter=self._filter,
            url_schemes=set(_LINK_SCHEMES),
            strip_comments=True,
        )

    def render(self, source: _Source, text: str, lang: str) -> str:
        """``text`` as HTML; a dropped link or image is a warning on ``source``."""
        if not text.strip():
            return ""
        converter = self._converter(lang)
        converter.reset()
        self._dropped = []
        html = _TAG.sub(_rewrite_tag, self._cleaner.clean(converter.convert(text)))
        for attribute, url in self._dropped:
            if attribute == "src":
                message = (
                    f'the image "{url}" is not on this site and was left out: pages load '
                    "nothing from other hosts; put the file under content/ and use its path"
                )
            else:
                message = (
                    f'the link "{url}" was removed: links may be http(s), mailto:, tel: '
                    "or a path on this site"
                )
            source.report(source.line_of(url), "", message, "warning")
        return html.strip()

    def _converter(self, lang: str) -> markdown.Markdown:
        converter = self._converters.get(lang)
        if converter is None:
            footnotes: dict[str, str] = {"SEPARATOR": "-"}
            if lang in _BACKLINK_TITLES:
                footnotes["BACKLINK_TITLE"] = _BACKLINK_TITLES[lang]
            converter = markdown.Markdown(
                extensions=["extra", "sane_lists", "smarty"],
                extension_configs={
                    "extra": {"footnotes": footnotes},
                    "smarty": {"substitutions": _QUOTES.get(lang, {})},
                },
            )
            self._converters[lang] = converter
        return converter

    def _filter(self, element: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            kept = _link_url(value) if attribute == "href" else _local_src(value)
            # nh3 also asks about tags it is about to remove whole (an iframe's src).
            if kept is None and element in ("a", "img"):
                self._dropped.append((attribute, value))
            return kept
        if attribute == "id":
            pattern = _HEADING_ID if element in _HEADINGS else _FOOTNOTE_ID
            return value if pattern.fullmatch(value) else None
        if attribute in _NUMBER_ATTRIBUTES:
            return value if value.strip().isdigit() and len(value) <= 5 else None
        if attribute in ("lang", "hreflang"):
            return value if _LANGUAGE_TAG.fullmatch(value.strip()) else None
        return value


def _rewrite_tag(match: re.Match[str]) -> str:
    closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
    if name == "h1":
        return f"<{closing}h2{attributes}>"
    if name == "img" and not _HAS_SRC.search(attributes):
        return ""
    return match.group(0)
