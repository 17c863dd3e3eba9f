"""Alerts: ``content/alerts/NAME.md``, a notice shown above everything else.

One file holds every language: the body is in the site's default language,
and each other language follows a line ``<!-- lang: fr -->``. The front matter
says how pressing the alert is, when it shows and stops, and in which
languages; the title may be one text or one per language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from hub.model import Text
from hub.problems import did_you_mean, one_of
from hub.registry.values import is_web_url
from hub.registry.yamlnodes import Mark
from hub.site.contentfile import ContentFile, describe, front_mark
from hub.site.markup import MarkdownRenderer

Level = Literal["urgent", "warning", "info"]
LEVELS: tuple[Level, ...] = ("urgent", "warning", "info")
"""Alert levels, most pressing first: the order alerts are shown in."""

ALERT_KEYS = ("level", "starts", "expires", "languages", "title", "link")

_MARKER = re.compile(r"<!-- lang: (\S+) -->")
_MARKER_LIKE = re.compile(r"\s*<!--\s*lang\s*:\s*(\S*?)\s*-->\s*", re.IGNORECASE)


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


def alert_order(alert: Alert) -> tuple[int, float, str]:
    """Sort key: urgent first, then warnings, then info; newest ``starts`` first in a level."""
    return (LEVELS.index(alert.level), -alert.starts.timestamp(), alert.id)


def read_alert(
    source: ContentFile, languages: tuple[str, ...], renderer: MarkdownRenderer
) -> Alert | None:
    """The alert ``source`` describes, or None when it has errors (reported on ``source``)."""
    source.check_keys(ALERT_KEYS)
    level = source.node("level", "level: warning")
    if level is not None and level.value not in LEVELS:
        source.report(
            source.at("level"),
            "level",
            f"expected {one_of(LEVELS)}, got {describe(level.value)}"
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
        lang: source.render(renderer, text, lang)
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


def _moment(source: ContentFile, key: str, *, required: bool = False) -> datetime | None:
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
    source.report(source.at(key), key, f"expected a date, got {describe(value)}: {example}")
    return None


def _iso(text: str) -> date | str:
    """A quoted date or datetime as YAML would have read it unquoted; else the text."""
    for kind in (date, datetime):
        try:
            return kind.fromisoformat(text)
        except ValueError:
            continue
    return text


def _alert_languages(source: ContentFile, languages: tuple[str, ...]) -> tuple[str, ...]:
    node = source.node("languages")
    if node is None:
        return languages
    example = f"languages: [{languages[0]}]"
    if not isinstance(node.value, list) or not node.value:
        source.report(
            source.at("languages"),
            "languages",
            f"expected a list of languages, got {describe(node.value)}: {example}, "
            "or leave languages: out to show the alert in every language",
        )
        return languages
    chosen: set[str] = set()
    for i, item in enumerate(node.value):
        if item.value not in languages:
            source.report(
                front_mark(item.mark),
                f"languages[{i}]",
                f"{describe(item.value)} is not a site language"
                f"{did_you_mean(str(item.value), languages)}: use {one_of(languages)}",
            )
        else:
            chosen.add(item.value)
    return tuple(lang for lang in languages if lang in chosen)


def _title(source: ContentFile, languages: tuple[str, ...]) -> Text | None:
    example = f"title: {{{languages[0]}: Road closed, ...}} or title: Road closed"
    node = source.node("title", example)
    if node is None:
        return None
    if isinstance(node.value, str) and node.value.strip():
        return Text.plain(node.value.strip())
    if not isinstance(node.value, dict) or not node.value:
        source.report(
            source.at("title"), "title", f"expected text, got {describe(node.value)}: {example}"
        )
        return None
    values: dict[str, str] = {}
    for lang, child in node.value.items():
        if lang not in languages:
            source.report(
                front_mark(node.key_marks[lang]),
                f"title.{lang}",
                f'"{lang}" is not a site language{did_you_mean(lang, languages)}: '
                f"use {one_of(languages)}",
            )
        elif not isinstance(child.value, str) or not child.value.strip():
            source.report(
                front_mark(child.mark),
                f"title.{lang}",
                f"expected text, got {describe(child.value)}",
            )
        else:
            values[lang] = child.value.strip()
    return Text(MappingProxyType(values))


def _is_site_link(link: str) -> bool:
    # "//host/..." and "/\host" are other hosts to a browser, not paths on this site.
    if link.startswith("/"):
        return not link.startswith("//") and not any(c in link for c in "\\ \t\r\n")
    return is_web_url(link)


def _sections(source: ContentFile, languages: tuple[str, ...]) -> dict[str, str]:
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
    source: ContentFile,
    shown_in: tuple[str, ...],
    title: Text,
    body: Mapping[str, str],
    default: str,
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
