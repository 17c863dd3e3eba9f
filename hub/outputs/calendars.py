"""The events as iCalendar files (RFC 5545): one for every event, one per unit, per language.

``calendars/en/events.ics`` holds every event, ``calendars/en/units/<unit>.ics``
a unit's own; a calendar app subscribes to either and reads it again now and
then. Written by hand: the subset is small (a calendar of events, times in
UTC, so no ``VTIMEZONE``), and every rule it needs is here:

- lines end in CRLF and are folded at 75 octets, never inside a UTF-8
  character: a continuation line starts with one space;
- TEXT values escape backslashes, semicolons, commas and line breaks;
- each event has a ``UID`` that stays the same from build to build (the
  file's stem, with the day for a weekly event's occurrences, ``@`` the
  site's host), a ``DTSTAMP`` that changes only with the event (its start:
  a build on another day, with nothing new, writes the same bytes), and
  ``DTSTART`` and ``DTEND`` in UTC;
- a calendar without events is not written: RFC 5545 wants at least one.
  A unit has a calendar while it has an event file.

The folder is served as ``text/calendar`` (:mod:`hub.outputs.cdn`).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from hub.feeds.sanitize import plain_text
from hub.site.agenda import Occurrence
from hub.site.model import SiteModel
from hub.site.urls import Route, Urls

CALENDAR_FOLDER = "calendars"
SITE_CALENDAR = "%(service)s: events"
"""The calendars' names, translated (the events page shows the same messages)."""
UNIT_CALENDAR = "%(name)s: events — %(service)s"
PRODID = "-//Police Social Hub//Events//EN"
REFRESH = "PT1H"
"""How often a calendar app should read the file again."""
FOLD = 75
"""Octets per line, CRLF aside."""

File = tuple[str, bytes, str]


@dataclass(frozen=True)
class CalendarLink:
    """One calendar a page offers: where it is and what it is called."""

    path: str
    """Root-relative: ``/calendars/en/events.ics``."""
    title: str
    unit: str | None = None


def calendar_path(lang: str, unit: str | None = None) -> str:
    """``calendars/en/events.ics``, or ``calendars/en/units/<unit>.ics``."""
    if unit is None:
        return f"{CALENDAR_FOLDER}/{lang}/events.ics"
    return f"{CALENDAR_FOLDER}/{lang}/units/{unit}.ics"


def calendar_links(
    site: SiteModel, lang: str, gettext: Callable[[str], str]
) -> tuple[CalendarLink, ...]:
    """The calendars of ``lang``: every event's, then each unit's, in the registry's order."""
    events = site.content.events
    if not events:
        return ()
    default = site.registry.site.default_language
    service = site.registry.site.name.get(lang, default)
    found = [CalendarLink("/" + calendar_path(lang), gettext(SITE_CALENDAR) % {"service": service})]
    with_events = {event.unit for event in events}
    for unit in site.registry.units:
        if unit.id in with_events:
            words = {"name": unit.name.get(lang, default), "service": service}
            title = gettext(UNIT_CALENDAR) % words
            found.append(CalendarLink("/" + calendar_path(lang, unit.id), title, unit.id))
    return tuple(found)


def calendar_files(
    site: SiteModel, urls: Urls, catalogs: Callable[[str], gettext.NullTranslations]
) -> Iterator[File]:
    """Every calendar in every language, as ``(path, bytes, source)``."""
    occurrences = site.agenda.in_calendar(site.built_at)
    base = site.registry.site.url.rstrip("/")
    host = urlsplit(base).hostname or "localhost"
    for lang in site.registry.site.languages:
        page = base + urls.path(Route("events"), lang)
        for link in calendar_links(site, lang, catalogs(lang).gettext):
            chosen = [o for o in occurrences if link.unit is None or o.event.unit == link.unit]
            lines = calendar_lines(link.title, chosen, lang, site, page, host)
            yield link.path.lstrip("/"), ics(lines), f"the calendar {link.path}"


def calendar_lines(
    name: str,
    occurrences: Sequence[Occurrence],
    lang: str,
    site: SiteModel,
    page: str,
    host: str,
) -> list[str]:
    """The calendar's content lines, unfolded."""
    default = site.registry.site.default_language
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape(name)}",
        f"X-WR-CALNAME:{escape(name)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    for occurrence in occurrences:
        event = occurrence.event
        anchor = f"{page}#event-{event.id}"
        summary_lang = lang if event.summary.get(lang) else default
        summary = event.summary.get(summary_lang) or ""
        description = "\n\n".join(part for part in (plain_text(summary), anchor) if part)
        title, title_lang = event.title.pick(lang, default)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{occurrence.id}@{host}",
            f"DTSTAMP:{utc(occurrence.start)}",
            f"DTSTART:{utc(occurrence.start)}",
            f"DTEND:{utc(occurrence.end)}",
            f"SUMMARY{_in(title_lang, lang)}:{escape(title)}",
            f"DESCRIPTION{_in(summary_lang if summary else None, lang)}:{escape(description)}",
        ]
        if event.place is not None:
            place, place_lang = event.place.pick(lang, default)
            lines.append(f"LOCATION{_in(place_lang, lang)}:{escape(place)}")
        elif event.stream is not None:
            lines.append(f"LOCATION:{escape(event.stream)}")
        lines += [f"URL:{event.stream or anchor}", "STATUS:CONFIRMED", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return lines


def _in(text_lang: str | None, lang: str) -> str:
    """The LANGUAGE parameter (RFC 5545, 3.2.10) of a text in another language than the
    calendar's: a French calendar's event given in English only says so."""
    return f";LANGUAGE={text_lang}" if text_lang and text_lang != lang else ""


def utc(moment: datetime) -> str:
    """A DATE-TIME in UTC: ``20261203T000000Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics(lines: Iterable[str]) -> bytes:
    """Content lines as a file: each folded at :data:`FOLD` octets, each ending in CRLF."""
    return b"".join(fold(line) for line in lines)


def fold(line: str) -> bytes:
    """One content line, folded: no piece longer than 75 octets, none cut in a character."""
    pieces: list[bytes] = []
    current = b""
    room = FOLD
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > room:
            pieces.append(current)
            current = b" "
            room = FOLD
        current += encoded
    pieces.append(current)
    return b"\r\n".join(pieces) + b"\r\n"
