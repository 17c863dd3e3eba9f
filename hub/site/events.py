"""Events: ``content/events/NAME.md``, a town hall, a committee meeting, a live stream.

One file holds every language, as an alert does: the summary is the body, in
the site's default language, then each other language after a line
``<!-- lang: fr -->``. The front matter says when the event starts and ends
(a time without a UTC offset is the site's own, ``site.timezone``), where
(``place:``, an address as text, with an optional ``map:`` link to it; no
map is ever embedded) or on which stream (``stream:``, an https address),
in which languages it is held, which unit holds it, and whether it
``repeat:``\\ s every week (``until:`` a last day).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from hub.model import Registry, Text
from hub.problems import one_of
from hub.site import frontmatter
from hub.site.appeals import unit_of
from hub.site.contentfile import ContentFile, describe
from hub.site.markup import MarkdownRenderer

Repeat = Literal["weekly"]
REPEATS: tuple[Repeat, ...] = ("weekly",)
EVENT_KEYS = (
    "title",
    "unit",
    "start",
    "end",
    "place",
    "map",
    "stream",
    "languages",
    "repeat",
    "until",
)
LONGEST = timedelta(days=7)
"""An event may last up to a week; a weekly one, less than a week."""


@dataclass(frozen=True)
class Event:
    """An event as its file writes it."""

    id: str
    """The file's stem."""
    title: Text
    summary: Mapping[str, str]
    """Sanitized HTML by language."""
    unit: str | None
    start: datetime
    """Naive: a wall-clock time in the site's time zone; or timezone-aware."""
    end: datetime
    place: Text | None
    map: str | None
    """An https link to the place on a map site: a link, never an embedded map."""
    stream: str | None
    """The https address the event is streamed at."""
    languages: tuple[str, ...]
    """The languages the event is held in."""
    repeat: Repeat | None
    until: date | None
    """The last day a repeating event may happen on."""
    source: Path


def read_event(
    source: ContentFile,
    languages: tuple[str, ...],
    renderer: MarkdownRenderer,
    registry: Registry | None,
) -> Event | None:
    """The event ``source`` describes, or None when it has errors (reported on ``source``)."""
    source.check_keys(EVENT_KEYS)
    example = f"title: {{{languages[0]}: Town hall on road safety, ...}}"
    title = frontmatter.text(source, "title", languages, example, required=True)
    unit = unit_of(source, registry)
    start = frontmatter.moment(source, "start", required=True, local=True)
    end = frontmatter.moment(source, "end", required=True, local=True)
    if start is not None and end is not None:
        _check_times(source, start, end)
    place = frontmatter.text(source, "place", languages, "place: 120 Harbour Street, Lakeview")
    where_map = frontmatter.web_link(
        source, "map", "map: https://www.openstreetmap.org/search?query=120+Harbour+Street"
    )
    stream = frontmatter.web_link(source, "stream", "stream: https://www.youtube.com/@you/live")
    if stream is not None and not stream.startswith("https://"):
        source.report(source.at("stream"), "stream", f"{stream} is not https: use https://")
    if where_map is not None and place is None:
        source.report(source.at("map"), "map", "map: links to a place: add place: its address")
    if place is None and stream is None and "place" not in source.fields:
        source.report(
            source.at("title"),
            "",
            "say where the event is: place: (an address) or stream: (an https link), or both",
        )
    held_in = frontmatter.languages(
        source, "languages", languages, "when the event is held in every site language"
    )
    repeat = source.node("repeat")
    if repeat is not None and repeat.value not in REPEATS:
        source.report(
            source.at("repeat"),
            "repeat",
            f"expected {one_of(REPEATS)}, got {describe(repeat.value)}; "
            "leave repeat: out for an event that happens once",
        )
    until_moment = frontmatter.moment(source, "until", local=True)
    until = until_moment.date() if until_moment is not None else None
    if until is not None and repeat is None:
        source.report(source.at("until"), "until", "until: is the last day of a repeat: weekly")
    elif until is not None and start is not None and until < start.date():
        source.report(
            source.at("until"), "until", f"{until} is before start: the event never happens"
        )
    summary = {
        lang: source.render(renderer, text, lang)
        for lang, text in frontmatter.sections(source, languages).items()
    }
    if source.errors or title is None or start is None or end is None:
        return None
    if repeat is not None and end - start >= timedelta(days=7):
        source.report(source.at("end"), "end", "a weekly event must end before it starts again")
        return None
    frontmatter.warn_untranslated(source, languages, title, summary, languages[0])
    return Event(
        id=source.path.stem,
        title=title,
        summary=MappingProxyType(summary),
        unit=unit,
        start=start,
        end=end,
        place=place,
        map=where_map,
        stream=stream,
        languages=held_in,
        repeat=repeat.value if repeat is not None else None,
        until=until,
        source=source.path,
    )


def _check_times(source: ContentFile, start: datetime, end: datetime) -> None:
    if (start.tzinfo is None) != (end.tzinfo is None):
        source.report(
            source.at("end"),
            "end",
            "write start: and end: alike: both with a UTC offset, or both without "
            "(the site's time zone)",
        )
    elif end <= start:
        source.report(
            source.at("end"),
            "end",
            f"{end.isoformat()} is not after start ({start.isoformat()}): check the times",
        )
    elif end - start > LONGEST:
        source.report(source.at("end"), "end", "an event lasts a week at most: check the dates")
