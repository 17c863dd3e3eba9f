"""Typed values of a content file's front matter, shared by alerts, appeals and events.

Each reader takes the :class:`~hub.site.contentfile.ContentFile` being checked,
reports what is wrong where it is written, and returns the value or None: a
moment in time, a list of site languages, a text in one or every language,
a link, and the body split into its languages at ``<!-- lang: xx -->`` lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType

from hub.model import Text
from hub.problems import did_you_mean, one_of
from hub.registry.values import is_web_url
from hub.registry.yamlnodes import Mark, Node
from hub.site.contentfile import ContentFile, describe, front_mark

_MARKER = re.compile(r"<!-- lang: (\S+) -->")
_MARKER_LIKE = re.compile(r"\s*<!--\s*lang\s*:\s*(\S*?)\s*-->\s*", re.IGNORECASE)


def moment(
    source: ContentFile, key: str, *, required: bool = False, local: bool = False
) -> datetime | None:
    """A date and time; a bare date is the start of that day.

    Without ``local`` a time must carry its UTC offset and comes back in UTC,
    and a bare date is midnight UTC. With ``local``, a time without an offset
    (and a bare date) comes back naive: a wall-clock time in the site's time
    zone, which the caller applies.
    """
    example = f"{key}: 2024-05-01T09:00:00-04:00 (or a date, {key}: 2024-05-01)"
    if local:
        example = f"{key}: 2024-05-01T19:00 (the site's time zone) or 2024-05-01T19:00:00-04:00"
    node = source.node(key, example if required else None)
    if node is None:
        return None
    value = node.value
    if isinstance(value, str):
        value = _iso(value.strip())
    if isinstance(value, date) and not YEARS[0] <= value.year <= YEARS[1]:
        source.report(
            source.at(key),
            key,
            f"{value.isoformat()}: the year must be between {YEARS[0]} and {YEARS[1]}",
        )
        return None
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            if local:
                return value
            source.report(
                source.at(key),
                key,
                f"{value.isoformat()} has no UTC offset, so the time is ambiguous: "
                f"add one, e.g. {key}: {value.isoformat()}-04:00",
            )
            return None
        return value.astimezone(UTC)
    if isinstance(value, date):
        if local:
            return datetime(value.year, value.month, value.day)
        # A bare date is the start of that day in UTC: the site has no time zone of its own.
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    source.report(source.at(key), key, f"expected a date, got {describe(value)}: {example}")
    return None


YEARS = (1900, 9000)
"""The years a date of a content file may have: any date a page shows is in them, and
a time zone or a day added never takes one past what Python's dates can hold."""


def _iso(text: str) -> date | str:
    """A quoted date or datetime as YAML would have read it unquoted; else the text."""
    for kind in (date, datetime):
        try:
            return kind.fromisoformat(text)
        except ValueError:
            continue
    return text


def languages(
    source: ContentFile, key: str, site_languages: tuple[str, ...], meaning: str
) -> tuple[str, ...]:
    """A list of site languages, in the site's order; every language when the key is absent.

    ``meaning`` ends the message for a value that is no list ("to show the alert in
    every language")."""
    node = source.node(key)
    if node is None:
        return site_languages
    example = f"{key}: [{site_languages[0]}]"
    if not isinstance(node.value, list) or not node.value:
        source.report(
            source.at(key),
            key,
            f"expected a list of languages, got {describe(node.value)}: {example}, "
            f"or leave {key}: out {meaning}",
        )
        return site_languages
    chosen: set[str] = set()
    for i, item in enumerate(node.value):
        if item.value not in site_languages:
            source.report(
                front_mark(item.mark),
                f"{key}[{i}]",
                f"{describe(item.value)} is not a site language"
                f"{did_you_mean(str(item.value), site_languages)}: use {one_of(site_languages)}",
            )
        else:
            chosen.add(item.value)
    return tuple(lang for lang in site_languages if lang in chosen)


def text(
    source: ContentFile,
    key: str,
    site_languages: tuple[str, ...],
    example: str,
    *,
    required: bool = False,
    node: Node | None = None,
) -> Text | None:
    """One text for every language, or ``{en: ..., fr: ...}``.

    ``key`` is where the value is, as a message names it (``person.description``);
    ``node`` the value when it is not a top-level key.
    """
    if node is None:
        node = source.node(key, example if required else None)
    if node is None:
        return None
    if isinstance(node.value, str) and node.value.strip():
        return Text.plain(node.value.strip())
    if not isinstance(node.value, dict) or not node.value:
        source.report(
            front_mark(node.mark), key, f"expected text, got {describe(node.value)}: {example}"
        )
        return None
    values: dict[str, str] = {}
    for lang, child in node.value.items():
        if lang not in site_languages:
            source.report(
                front_mark(node.key_marks[lang]),
                f"{key}.{lang}",
                f'"{lang}" is not a site language{did_you_mean(lang, site_languages)}: '
                f"use {one_of(site_languages)}",
            )
        elif not isinstance(child.value, str) or not child.value.strip():
            source.report(
                front_mark(child.mark),
                f"{key}.{lang}",
                f"expected text, got {describe(child.value)}",
            )
        else:
            values[lang] = child.value.strip()
    return Text(MappingProxyType(values))


def web_link(
    source: ContentFile, key: str, example: str, *, node: Node | None = None
) -> str | None:
    """An ``https://`` address (or ``http://``) of another site."""
    if node is None:
        node = source.node(key)
    if node is None:
        return None
    value = node.value
    if not isinstance(value, str) or not is_web_url(value.strip()):
        source.report(
            front_mark(node.mark),
            key,
            f"expected an https:// address, got {describe(value)}: {example}",
        )
        return None
    return value.strip()


def is_site_link(link: str) -> bool:
    """An http(s) URL, or a path on this site starting with ``/``."""
    # "//host/..." and "/\host" are other hosts to a browser, not paths on this site.
    if link.startswith("/"):
        return not link.startswith("//") and not any(c in link for c in "\\ \t\r\n")
    return is_web_url(link)


def sections(
    source: ContentFile, site_languages: tuple[str, ...], first: str | None = None
) -> dict[str, str]:
    """The body split at ``<!-- lang: xx -->`` lines; the first part is in ``first``, by
    default the site's default language."""
    opening = current = first or site_languages[0]
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
        elif lang not in site_languages:
            source.report(
                mark,
                "",
                f'"{lang}" is not a site language{did_you_mean(lang, site_languages)}: '
                f"use {one_of(site_languages)}",
            )
        elif lang in seen or (lang == opening and "".join(parts.get(lang, [])).strip()):
            earlier = seen.get(lang)
            where = f"on line {earlier}" if earlier else "at the top of the body"
            source.report(mark, "", f"the {lang} text already started {where}: keep one")
        seen.setdefault(lang, source.body_line + i)
        current = lang
    return {lang: "\n".join(lines) for lang, lines in parts.items() if "".join(lines).strip()}


def warn_untranslated(
    source: ContentFile,
    shown_in: tuple[str, ...],
    title: Text,
    body: Mapping[str, str],
    default: str,
) -> None:
    """A warning for each language of ``shown_in`` the title or the body lacks."""
    for lang in shown_in:
        if "" not in title.values and lang not in title.values:
            _, shown = title.pick(lang, default)
            source.report(
                source.at("title"),
                "title",
                f"no {lang} title: the {lang} pages will show the {shown} one",
                "warning",
            )
        if body and lang not in body:
            source.report(
                Mark(source.body_line, 1),
                "",
                f'no {lang} text: add a line "<!-- lang: {lang} -->" followed by the {lang} text',
                "warning",
            )
