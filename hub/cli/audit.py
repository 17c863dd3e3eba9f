"""``hub audit``: the store's audit trail, for Corporate Communications; never published.

Lists the events of :mod:`hub.store.history` oldest first: when (UTC), which
account (``platform:handle``, as :attr:`hub.model.Account.key` writes it, with
its unit's or officer's name), the event, the post's URL, its text and the
reason curation gave. ``--since`` and ``--until`` are days in the site's time
zone (``site.timezone``), both included; ``--account`` keeps one account's
posts. ``--format text`` prints a block per event with an excerpt of the
text; ``csv`` (the csv module) and ``json`` give every field in full.

The store is opened read-only and without the cache folder's lock
(:func:`hub.store.opening.read_only`), so a build may run meanwhile. The
registry is read as if every token variable were set, so that accounts read
through their API are named whether or not this machine has their tokens;
nothing is fetched.

Post text comes from feeds, written by strangers: the text format prints no
control character, and a CSV cell that a spreadsheet would take for a
formula (``=``, ``+``, ``-``, ``@`` first) starts with an apostrophe.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.cli.options import EXIT_OK, EXIT_USAGE, Options
from hub.model import Account, Registry, profile_name
from hub.problems import HubError, did_you_mean
from hub.site.frontmatter import YEARS

if TYPE_CHECKING:
    from hub.store.history import Event

FORMATS = ("text", "csv", "json")
FIELDS = (
    "time",
    "event",
    "account",
    "name",
    "url",
    "title",
    "text",
    "reason",
    "published",
    "source",
    "entry_id",
    "summary",
    "content",
)
"""A CSV row's columns and a JSON event's keys, in order: ``text`` is the post's
plain text in full, ``summary`` and ``content`` the (sanitized) HTML the store keeps."""
EXCERPT = 120
"""Characters of text the text format shows per event."""
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def day(text: str) -> date:
    """``--since``, ``--until``, ``hub hide --date``: a day written YYYY-MM-DD (argparse type)."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        found = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD, such as 2026-03-01; got {text!r}"
        ) from None
    if not YEARS[0] <= found.year <= YEARS[1]:
        raise argparse.ArgumentTypeError(
            f"{text}: the year must be between {YEARS[0]} and {YEARS[1]}"
        )
    return found


def run(options: Options, registry: Registry) -> int:
    """Print the events ``options`` asks for; the exit code."""
    from hub.store.history import History
    from hub.store.opening import STORE_NAME

    if options.since and options.until and options.since > options.until:
        print(
            f"hub audit: error: --since {options.since} is after --until {options.until}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    owners = accounts_by_source(registry)
    sources = None
    if options.account is not None:
        wanted = find_account(options.account, registry, str(options.sources))
        sources = {wanted.feed.source} if wanted.feed is not None else set()
    zone = _zone(registry.site.timezone)
    since = None if options.since is None else _start(options.since, zone)
    until = None if options.until is None else _start(options.until + timedelta(days=1), zone)
    trail = History.read_only(options.cache / STORE_NAME)
    try:
        events = trail.events(since=since, until=until, sources=sources)
    finally:
        trail.close()
    rows = [row(event, owners.get(event.source), registry) for event in events]
    scope = _scope(options)
    # A reader that quits early (`head`, a pager) is the command line's to handle.
    if options.output_format == "json":
        document = {**scope, "events": rows}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    elif options.output_format == "csv":
        write_csv(rows, sys.stdout)
    else:
        for line in text_lines(rows):
            print(line)
    if not rows:
        # On stderr for csv and json, whose stdout a program reads.
        stream = sys.stdout if options.output_format == "text" else sys.stderr
        print(f"hub audit: {_none(scope)}", file=stream)
    sys.stdout.flush()
    return EXIT_OK


def accounts_by_source(registry: Registry) -> dict[str, Account]:
    """Feed source -> the account it is the feed of (the first account listing it)."""
    owners: dict[str, Account] = {}
    for account in registry.accounts():
        if account.feed is not None:
            owners.setdefault(account.feed.source, account)
    return owners


def find_account(written: str, registry: Registry, sources: str) -> Account:
    """The registry's account ``written`` as ``platform:handle``; a HubError if none."""
    from hub.registry import platforms

    name, colon, handle = written.strip().partition(":")
    platform = platforms.get(name)
    if colon and platform is not None:
        handle = handle.strip() if platform.takes_url else platform.normalize(handle)
        key = f"{platform.key}:{handle.lower()}"
        for account in registry.accounts():
            if account.key == key:
                return account
    shown = [f"{a.platform}:{a.handle or a.url}" for a in registry.accounts()]
    raise HubError(
        f'--account: no account "{written}" in {sources}{did_you_mean(written, shown)}: '
        "name one as platform:handle, as sources.yaml lists it (x:LakeviewTraffic)"
    )


def row(event: Event, account: Account | None, registry: Registry) -> dict[str, Any]:
    """One event as the formats give it: :data:`FIELDS`."""
    from hub.feeds.sanitize import plain_text

    summary, content = event.summary or "", event.content or ""
    url = event.link
    if not url and event.id.startswith(("https://", "http://")):
        url = event.id
    return {
        "time": _utc(event.at),
        "event": event.event,
        "account": account.key if account else "",
        "name": _owner_name(account, registry),
        "url": url or "",
        "title": " ".join((event.title or "").split()),
        "text": plain_text(content) or plain_text(summary),
        "reason": event.reason or "",
        "published": _utc(event.published) if event.published else "",
        "source": event.source,
        "entry_id": event.id,
        "summary": summary,
        "content": content,
    }


def text_lines(rows: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """A block per event: the time, event and account; the URL; an excerpt; the reason."""
    for item in rows:
        who = item["account"] or f"(not in sources.yaml: {item['source']})"
        name = f"  {item['name']}" if item["name"] else ""
        yield _printable(f"{item['time']}  {item['event']}  {who}{name}")
        if item["url"]:
            yield _printable(f"    {item['url']}")
        excerpt = _excerpt(item["title"], item["text"])
        if excerpt:
            before = "before the edit: " if item["event"] == "edited" else ""
            yield _printable(f"    {before}{excerpt}")
        if item["reason"]:
            yield _printable(f"    reason: {item['reason']}")
    if rows:
        yield f"hub audit: {len(rows)} event{'' if len(rows) == 1 else 's'}"


def write_csv(rows: Sequence[Mapping[str, Any]], stream: TextIO) -> None:
    """A header, then a row per event, every field in full."""
    writer = csv.writer(stream)
    writer.writerow(FIELDS)
    for item in rows:
        writer.writerow([_cell(item[name]) for name in FIELDS])


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA) else value


def _excerpt(title: str, text: str) -> str:
    if title and text and not text.startswith(title.rstrip(".…")):
        text = f"{title}: {text}"
    text = text or title
    if len(text) <= EXCERPT:
        return text
    cut = text[: EXCERPT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _printable(line: str) -> str:
    """The line without control characters, which a terminal would obey."""
    return "".join(c if c.isprintable() else " " for c in line)


def _owner_name(account: Account | None, registry: Registry) -> str:
    if account is None:
        return ""
    kind, _, key = account.owner.partition(":")
    profiles = registry.officers if kind == "officer" else registry.units
    lang = registry.site.default_language
    for profile in profiles:
        if profile.id == key:
            return profile_name(profile, lang, lang)
    return ""


def _scope(options: Options) -> dict[str, str | None]:
    return {
        "since": options.since.isoformat() if options.since else None,
        "until": options.until.isoformat() if options.until else None,
        "account": options.account,
    }


def _none(scope: Mapping[str, str | None]) -> str:
    """The sentence an empty result gets: no events, and which were asked for."""
    asked = [
        f"{label} {scope[key]}"
        for key, label in (("since", "since"), ("until", "until"), ("account", "of"))
        if scope[key]
    ]
    return "no events in the audit trail" + (f" ({', '.join(asked)})" if asked else "")


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _start(moment: date, zone: tzinfo) -> datetime:
    """When ``moment`` starts in the site's time zone."""
    return datetime.combine(moment, time(), tzinfo=zone).astimezone(UTC)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
