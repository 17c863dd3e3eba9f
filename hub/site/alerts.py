"""Alerts: ``content/alerts/NAME.md``, a notice shown above everything else.

One file holds every language: the body is in the site's default language,
and each other language follows a line ``<!-- lang: fr -->``. The front matter
says how pressing the alert is, when it shows and stops, and in which
languages; the title may be one text or one per language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from hub.model import Text
from hub.problems import did_you_mean, one_of
from hub.site import frontmatter
from hub.site.contentfile import ContentFile, describe
from hub.site.markup import MarkdownRenderer

Level = Literal["urgent", "warning", "info"]
LEVELS: tuple[Level, ...] = ("urgent", "warning", "info")
"""Alert levels, most pressing first: the order alerts are shown in."""

ALERT_KEYS = ("level", "starts", "expires", "languages", "title", "link")


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
    starts = frontmatter.moment(source, "starts", required=True)
    expires = frontmatter.moment(source, "expires")
    if starts is not None and expires is not None and expires <= starts:
        source.report(
            source.at("expires"),
            "expires",
            f"{expires.isoformat()} is not after starts ({starts.isoformat()}, in UTC): "
            "the alert would never show; check the dates",
        )
    shown_in = frontmatter.languages(
        source, "languages", languages, "to show the alert in every language"
    )
    example = f"title: {{{languages[0]}: Road closed, ...}} or title: Road closed"
    title = frontmatter.text(source, "title", languages, example, required=True)
    link = source.string("link", "link: /en/road-closures/")
    if link is not None and not frontmatter.is_site_link(link):
        source.report(
            source.at("link"),
            "link",
            f'"{link}" is neither an http(s) URL nor a path on this site: '
            "write https://... or a path starting with /, e.g. link: /en/about/",
        )
    first = shown_in[0] if len(shown_in) == 1 else None
    body = {
        lang: source.render(renderer, text, lang)
        # An alert shown in one language only is written in it.
        for lang, text in frontmatter.sections(source, languages, first).items()
    }
    if source.errors or level is None or starts is None or title is None:
        return None
    frontmatter.warn_untranslated(source, shown_in, title, body, languages[0])
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
