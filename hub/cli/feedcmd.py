"""``hub feed URL-OR-FILE``: one feed read as a build reads it, and what the site would show.

For the person adding an account: before the pull request, does its feed
work, and what would the home page show of it? The feed is fetched through
the build's own fetch stage (:func:`hub.feeds.fetch.fetch_all`: the guard
against private addresses, timeouts, the size cap, redirects) and parsed in
a parse worker with the build's memory and time limits
(:class:`hub.feeds.workers.Parsers`), so every entry is sanitized as the
build sanitizes it. With ``--platform``, a document that is no feed is read
as that platform's answer (a recorded API answer, a Telegram preview page),
as the build reads an account's ``feed:`` file on that platform.

It prints the newest entries (``--entries``, 5 by default): date, title,
link and the excerpt the site shows (:func:`hub.feeds.posttext.excerpt`); or
why not, in the words the build's run would record for the feed. It writes
nothing: neither the store nor the site. The registry (``--sources``), when
there is one, gives the fetch settings (``site.fetch``: timeouts, private
addresses), the User-Agent's address and the time zone the dates are shown in.

Feed text is a stranger's: no control character reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.cli import messages
from hub.cli.arguments import version
from hub.cli.options import EXIT_OK, Options
from hub.feeds import expatreader, posttext
from hub.feeds.drafts import ParsedFeed
from hub.feeds.fetch import fetch_all, user_agent
from hub.feeds.result import FetchResult
from hub.feeds.workers import Failure, Parsers
from hub.model import Entry, FeedRef, FetchSettings, Site
from hub.problems import HubError
from hub.store.update import failure_message

EXCERPT = 200
"""Characters of each entry's excerpt printed."""


def run(options: Options, site: Site | None) -> int:
    """Fetch and parse ``options.feed``; print its newest entries; exit 0, else HubError."""
    target = (options.feed or "").strip()
    feed = feed_ref(target, options.platform)
    settings = site.fetch if site is not None else FetchSettings()
    agent = user_agent(site.url) if site is not None else f"police-social-hub/{version()}"
    (result,) = fetch_all([feed], settings, user_agent=agent)
    _say_fetch(result)
    if result.outcome != "ok" or result.body is None:
        raise HubError(f"{feed.source}: {failure_message(result)}")
    parsed = parse(result, settings.max_entries, options.platform)
    zone = _zone(site.timezone if site is not None else "UTC")
    for line in lines(feed.source, result, parsed, options.entries, zone):
        print(line)
    return EXIT_OK


def feed_ref(target: str, platform: str | None) -> FeedRef:
    """An http(s) URL or a file as the build's fetch stage takes it."""
    lowered = target.lower()
    if lowered.startswith(("http://", "https://")):
        return FeedRef(source=target, url=target, platform=platform)
    scheme = lowered.partition(":")[0]
    if ":" in lowered and len(scheme) > 1 and scheme.isalpha():
        raise HubError(f"{target}: expected an http:// or https:// URL, or a file")
    path = Path(target)
    if not path.is_file():
        raise HubError(f"{target}: no such file (or not a file)")
    return FeedRef(source=path.as_posix(), path=path.resolve(), platform=platform)


def parse(result: FetchResult, max_entries: int, platform: str | None) -> ParsedFeed:
    """The body parsed in a parse worker, as the build parses it; HubError on a failure."""
    parsers = Parsers(buffered_reader=expatreader.check() is None)
    try:
        parsers.submit(result, max_entries, platform)
        answers = [answer for _, answer in parsers.rest()]
    finally:
        parsers.close()
    (answer,) = answers
    if isinstance(answer, Failure):
        raise HubError(f"{result.source}: {answer.message}")
    return answer


def _say_fetch(result: FetchResult) -> None:
    """With ``-v``: where the feed came from, and how."""
    asked = f"HTTP {result.status_code}" if result.status_code is not None else "file"
    messages.detail(f"fetch: {result.source}: {asked}, {result.elapsed:.2f} s")
    if result.final_url and result.final_url != result.source:
        messages.detail(f"fetch: read from {result.final_url}")
    if result.headers.get("content-type"):
        messages.detail(f"fetch: Content-Type: {_printable(result.headers['content-type'])}")
    if result.body is not None:
        messages.detail(f"fetch: {len(result.body)} bytes")
    if result.moved_to:
        messages.warning(
            f"feed {result.source}: moved permanently to {result.moved_to}: update sources.yaml"
        )


def lines(
    source: str, result: FetchResult, parsed: ParsedFeed, count: int, zone: ZoneInfo
) -> Iterator[str]:
    """What is printed: a head line, then a block per entry, newest first."""
    entries = newest(parsed.entries)
    how = f"HTTP {result.status_code}" if result.status_code is not None else "file"
    shown = min(count, len(entries))
    plural = "entry" if len(entries) == 1 else "entries"
    head = f"{source}: {how}, {len(entries)} {plural}"
    if entries:
        head += f" (the newest {shown} shown)" if shown < len(entries) else ""
    yield _printable(head)
    if parsed.title:
        yield _printable(f"title: {parsed.title}")
    for entry in entries[:count]:
        yield ""
        yield from _entry(entry, zone)


def newest(entries: Sequence[Entry]) -> list[Entry]:
    """Newest first, undated entries last, as the feed listed them."""
    dated = [e for e in entries if _when(e) is not None]
    undated = [e for e in entries if _when(e) is None]
    return [*sorted(dated, key=lambda e: _when(e) or datetime.min, reverse=True), *undated]


def _when(entry: Entry) -> datetime | None:
    return entry.published or entry.updated


def _entry(entry: Entry, zone: ZoneInfo) -> Iterator[str]:
    moment = _when(entry)
    date = moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if moment else "no date"
    yield _printable(f"{date}  {entry.title}" if entry.title else date)
    yield _printable(f"  {entry.link or '(no link)'}")
    text = posttext.excerpt(entry, EXCERPT)
    if text and text != entry.title:
        yield _printable(f"  {text}")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _printable(line: str) -> str:
    """No control character from a feed reaches the terminal (it could rewrite the screen)."""
    return "".join(c if c.isprintable() else " " for c in line)
