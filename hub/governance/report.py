"""The governance report assembled: the store read once, the platforms asked, every section.

:func:`read_store` and :func:`ask_platforms` do the I/O (the store, then the
token checks of :mod:`hub.feeds.connectors.tokencheck` and the profile
look-ups of :mod:`hub.governance.backlinks`, both skipped with ``--offline``);
:func:`assemble` is pure: it makes every section from what they returned and
the run's clock.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from hub.feeds import holds
from hub.feeds.connectors import secrets
from hub.feeds.connectors.tokencheck import TokenCheck, check_tokens, token_uses
from hub.feeds.fetch import user_agent
from hub.feeds.holds import HostHold
from hub.governance import collect, posts, wording
from hub.governance.accounts import account_rows
from hub.governance.backlinks import PLATFORMS, Backlink, check_backlinks
from hub.governance.model import Report, Stored
from hub.model import Registry
from hub.site.curation import Curation
from hub.site.moderation import Screen, feed_owners, held_posts, local_day
from hub.store.database import Store


def read_store(store: Store, now: datetime) -> Stored:
    """What the report reads of the store: feed states, newest posts, every live post,
    the hosts held."""
    return Stored(
        store.feed_states(),
        store.latest_published(),
        tuple(store.entries(now=now)),
        store.host_holds(now),
    )


@dataclass(frozen=True)
class Asked:
    """What the platforms answered, or why they were not asked."""

    tokens: Sequence[TokenCheck] | None = None
    tokens_skipped: str | None = None
    backlinks: Sequence[Backlink] | None = None
    backlinks_skipped: str | None = None


def ask_platforms(
    registry: Registry, *, offline: bool, environ: Mapping[str, str] | None = None
) -> Asked:
    """Check the tokens and ask each Mastodon and Bluesky profile, unless ``offline``.

    The tokens are checked only when at least one of their variables is set:
    a run without secrets would only say that each is unset.
    """
    if offline:
        return Asked(None, wording.OFFLINE, None, wording.OFFLINE)
    environ = os.environ if environ is None else environ
    uses = token_uses(registry)
    tokens_skipped = None
    if not uses:
        tokens_skipped = wording.NO_TOKENS
    elif not any(secrets.value_of(use.variable, environ) for use in uses):
        tokens_skipped = wording.NO_TOKEN_SET
    profiles = [a for a in registry.accounts() if a.platform in PLATFORMS and a.handle]
    agent = user_agent(registry.site.url)

    async def both() -> tuple[list[TokenCheck] | None, list[Backlink] | None]:
        checking = (
            check_tokens(uses, registry.site.fetch, user_agent=agent, environ=environ)
            if tokens_skipped is None
            else _nothing()
        )
        looking = (
            check_backlinks(profiles, registry.site, user_agent=agent, environ=environ)
            if profiles
            else _nothing()
        )
        checks, links = await asyncio.gather(checking, looking)
        return checks, links

    checks, links = asyncio.run(both())
    return Asked(checks, tokens_skipped, links, None if profiles else wording.NO_PROFILES)


async def _nothing() -> None:
    return None


def _held_feeds(registry: Registry, stored: Stored) -> dict[str, HostHold]:
    """Feed source -> the hold its host (or its API token) is under."""
    found = {}
    for feed in registry.feeds():
        key = holds.key_of(feed)
        if key is not None and key in stored.holds:
            found[feed.source] = stored.holds[key]
    return found


def assemble(
    registry: Registry,
    curation: Curation,
    stored: Stored,
    asked: Asked,
    *,
    now: datetime,
    sources: str,
    offline: bool,
) -> Report:
    """Every section of the report, from what was read and asked, as of ``now``."""
    timezone = registry.site.timezone
    today = local_day(now, timezone)
    rows = account_rows(registry, stored)
    shown, _ = Screen(curation, today).screen(stored.entries, feed_owners(registry))
    held = held_posts(registry, stored.entries, curation, now)
    sections = (
        collect.review(rows, today),
        collect.quiet(rows, stored.states, now, timezone),
        collect.failing(rows, stored.states, timezone, _held_feeds(registry, stored)),
        collect.tokens(asked.tokens, rows, now, timezone, asked.tokens_skipped),
        posts.alt_text(registry, rows, shown),
        collect.backlinks(asked.backlinks, rows, asked.backlinks_skipped),
        posts.former(registry, rows, stored.entries, today),
        posts.held(held, rows, timezone),
    )
    language = registry.site.default_language
    return Report(
        generated=now,
        day=today,
        site_name=registry.site.name.get(language, language),
        site_url=registry.site.url,
        sources=sources,
        offline=offline,
        accounts=rows,
        sections=sections,
    )
