"""What the governance report is made of: accounts, findings, sections, the report.

Frozen values, made by :mod:`hub.governance.accounts`, :mod:`~hub.governance.collect`
and :mod:`~hub.governance.posts`, and written by :mod:`hub.governance.writers`.
A finding is one thing that needs someone's attention, about one account,
with the person who answers for it; a section gathers the findings of one
kind, or says why it was not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from hub.feeds.holds import HostHold
from hub.model import Admin, Entry
from hub.store.rules import FeedState

FORMAT = 1
"""The version of ``report.json``'s shape: raised when a field changes meaning or goes."""

SECTION_IDS = ("review", "quiet", "failing", "tokens", "alt-text", "backlinks", "former", "held")
"""The sections, in the order the report shows them."""

Fact = str | int | None
"""A value a finding carries for machines (``report.json``)."""


@dataclass(frozen=True)
class AccountRow:
    """One account of the registry, with who answers for it and how its feed is doing."""

    key: str
    """``platform:handle`` in lower case, as ``admin:`` blocks name accounts."""
    platform: str
    handle: str | None
    url: str
    """The public profile URL."""
    profile: str
    """The unit or officer that runs it: ``unit:<id>`` or ``officer:<id>``."""
    profile_name: str
    admin: Admin
    """Who answers for it: each value from the nearest ``admin:`` block that sets it
    (the account's, its officer's, its unit's, a unit above)."""
    feed: str | None
    """The feed's source in the store; None for an account the site only lists."""
    feed_status: str
    """``no feed``, ``not read yet``, ``ok``, ``failing`` or ``gone``."""
    last_post: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class Stored:
    """What the store holds that the report reads, read once."""

    states: Mapping[str, FeedState]
    """Feed source -> what its last fetches did."""
    latest: Mapping[str, datetime]
    """Feed source -> when its newest live post was published."""
    entries: tuple[Entry, ...]
    """Every live post, newest first."""
    holds: Mapping[str, HostHold] = field(default_factory=dict)
    """The host holds in force (:mod:`hub.feeds.holds`), by host."""


@dataclass(frozen=True)
class Finding:
    """One thing that needs attention, about one account."""

    code: str
    """What kind of thing: ``review-passed``, ``quiet-90``, ``token-refused``...
    (:data:`hub.governance.wording.CODES`)."""
    account: str
    """The account's key; empty for no account in particular."""
    text: str
    """What it is, in a sentence."""
    profile: str = ""
    owner: str | None = None
    contact: str | None = None
    when: date | None = None
    """The day it is about: a review date, a last post, a failure's start."""
    urls: tuple[str, ...] = ()
    """The posts it is about."""
    facts: Mapping[str, Fact] = field(default_factory=dict)
    """The rest, for machines."""


@dataclass(frozen=True)
class Section:
    """The findings of one kind, or why they were not looked for."""

    id: str
    findings: tuple[Finding, ...] = ()
    checked: int = 0
    """How many accounts, feeds, tokens or posts were looked at."""
    skipped: str | None = None
    """Why nothing was checked (``--offline``, no token set...); None when it was."""


@dataclass(frozen=True)
class Report:
    """The whole report, as each of its files shows it."""

    generated: datetime
    day: date
    """The day it is about, in the site's time zone."""
    site_name: str
    site_url: str
    sources: str
    offline: bool
    accounts: tuple[AccountRow, ...]
    sections: tuple[Section, ...]

    def flags(self) -> dict[str, tuple[str, ...]]:
        """Account key -> the codes of its findings, in report order, each once."""
        found: dict[str, dict[str, None]] = {}
        for section in self.sections:
            for finding in section.findings:
                if finding.account:
                    found.setdefault(finding.account, {})[finding.code] = None
        return {key: tuple(codes) for key, codes in found.items()}
