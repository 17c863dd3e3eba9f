"""The report's sections about accounts: reviews and owners, quiet accounts, failing
feeds (and those waiting for a host that asked to wait), tokens, and profiles that do
not link back.

Each section is a pure function over the account rows (:mod:`hub.governance.accounts`),
what the store holds, and what the platforms answered, with the run's clock
passed in: it never reads the time itself. Days are the site's
(``site.timezone``). The sections about posts are :mod:`hub.governance.posts`'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from hub.feeds.connectors.tokencheck import TokenCheck
from hub.feeds.holds import HostHold, named
from hub.governance import wording
from hub.governance.backlinks import Backlink
from hub.governance.model import AccountRow, Fact, Finding, Section
from hub.site.moderation import local_day
from hub.store.rules import FeedState

REVIEW_AHEAD = 30
"""Days before its review date that an account is listed as due."""
QUIET_DAYS = (90, 30)
"""An account with no post for this many days is quiet: the longest first."""
TOKEN_AHEAD = timedelta(days=30)
"""A token that expires sooner than this is listed."""


def finding(
    row: AccountRow,
    code: str,
    text: str,
    *,
    when: date | None = None,
    urls: tuple[str, ...] = (),
    facts: Mapping[str, Fact] | None = None,
) -> Finding:
    """A finding about ``row``'s account, with who answers for it."""
    return Finding(
        code,
        row.key,
        text,
        row.profile,
        row.admin.owner,
        row.admin.contact,
        when,
        urls,
        facts or {},
    )


def ordered(section: str, found: Iterable[Finding], checked: int) -> Section:
    """A section whose findings come in the order of their codes, then of the registry."""
    order = list(wording.CODES)
    return Section(section, tuple(sorted(found, key=lambda f: order.index(f.code))), checked)


def review(rows: Sequence[AccountRow], today: date) -> Section:
    """Accounts whose review date has passed or is near, without training, without an owner."""
    found = []
    for row in rows:
        due = row.admin.review_by
        if due is not None and due < today:
            found.append(
                finding(
                    row, "review-passed", wording.review_passed(due, (today - due).days), when=due
                )
            )
        elif due is not None and (due - today).days <= REVIEW_AHEAD:
            found.append(
                finding(row, "review-due", wording.review_due(due, (due - today).days), when=due)
            )
        if row.admin.trained is None:
            found.append(finding(row, "untrained", wording.UNTRAINED))
        if row.admin.owner is None:
            found.append(finding(row, "unowned", wording.UNOWNED))
    return ordered("review", found, len(rows))


def quiet(
    rows: Sequence[AccountRow], states: Mapping[str, FeedState], now: datetime, timezone: str
) -> Section:
    """Accounts with a feed and no post for 90 days, or 30; those that never had one."""
    found = []
    followed = [row for row in rows if row.feed is not None]
    for row in followed:
        last = row.last_post
        if last is None:
            state = states.get(row.feed or "")
            read = state is not None and state.last_success is not None
            found.append(finding(row, "never-posted", wording.never_posted(read)))
            continue
        for limit in QUIET_DAYS:
            if now - last > timedelta(days=limit):
                day = local_day(last, timezone)
                found.append(
                    finding(
                        row,
                        f"quiet-{limit}",
                        wording.quiet(limit, day),
                        when=day,
                        facts={"last_post": last.isoformat()},
                    )
                )
                break
    return ordered("quiet", found, len(followed))


def failing(
    rows: Sequence[AccountRow],
    states: Mapping[str, FeedState],
    timezone: str,
    held: Mapping[str, HostHold] | None = None,
) -> Section:
    """Feeds (and API reads) whose last attempts failed: since when, how often, and why;
    and those not asked while their host is held (``held``: feed source -> its hold)."""
    found = []
    seen: set[str] = set()
    for row in rows:
        if row.feed is None or row.feed in seen:
            continue
        seen.add(row.feed)
        state = states.get(row.feed)
        hold = (held or {}).get(row.feed)
        if hold is not None and (state is None or state.status not in ("error", "gone")):
            found.append(_held(row, hold, timezone))
            continue
        if state is None or state.status not in ("error", "gone"):
            continue
        error = state.last_error or "no reason recorded"
        success = local_day(state.last_success, timezone) if state.last_success else None
        if state.status == "gone":
            code, text = "feed-gone", wording.gone(error)
        else:
            code, text = "feed-failing", wording.failing(success, state.error_count, error)
        if state.moved_to:
            text += wording.moved(state.moved_to)
        facts: dict[str, Fact] = {
            "feed": row.feed,
            "error": error,
            "failed_attempts": state.error_count,
            "last_success": _iso(state.last_success),
            "last_error_at": _iso(state.last_error_at),
            "moved_to": state.moved_to,
        }
        found.append(finding(row, code, text, when=success, facts=facts))
    return ordered("failing", found, len(seen))


def _held(row: AccountRow, hold: HostHold, timezone: str) -> Finding:
    facts: dict[str, Fact] = {
        "feed": row.feed,
        "host": hold.host,
        "until": _iso(hold.until),
        "status": hold.status,
        "why": hold.why,
        "said": _iso(hold.said),
        "said_to": hold.source,
    }
    text = wording.held_host(named(hold.host), hold.until, hold.why, hold.source)
    return finding(row, "feed-held", text, when=local_day(hold.until, timezone), facts=facts)


def tokens(
    checks: Sequence[TokenCheck] | None,
    rows: Sequence[AccountRow],
    now: datetime,
    timezone: str,
    skipped: str | None = None,
) -> Section:
    """Tokens refused, expiring within 30 days, not set, or that could not be checked."""
    if checks is None:
        return Section("tokens", skipped=skipped)
    by_feed = {row.feed: row for row in rows if row.feed is not None}
    found = []
    for check in checks:
        row = by_feed.get(check.use.source)
        if row is None:
            continue
        variable = check.use.variable
        facts: dict[str, Fact] = {"variable": variable, "status": check.status}
        expires = check.expires_at
        if check.status == "valid" and expires is not None and expires - now < TOKEN_AHEAD:
            day = local_day(expires, timezone)
            text = wording.token_expiring(day, max(0, (expires - now).days))
            facts["expires_at"] = expires.isoformat()
            found.append(
                finding(
                    row, "token-expiring", wording.token_line(variable, text), when=day, facts=facts
                )
            )
        elif check.status != "valid":
            code = {"refused": "token-refused", "not_set": "token-not-set"}.get(
                check.status, "token-unchecked"
            )
            facts["message"] = check.message
            found.append(
                finding(row, code, wording.token_line(variable, check.message), facts=facts)
            )
    return ordered("tokens", found, len(checks))


def backlinks(
    results: Sequence[Backlink] | None, rows: Sequence[AccountRow], skipped: str | None = None
) -> Section:
    """Mastodon and Bluesky profiles that do not link back to the site, or could not be asked."""
    if results is None:
        return Section("backlinks", skipped=skipped)
    by_key = {row.key: row for row in rows}
    found = []
    for result in results:
        row = by_key.get(result.account)
        if row is None or result.status == "ok":
            continue
        facts: dict[str, Fact] = {"status": result.status, "profile": result.profile}
        if result.status == "missing":
            code, text = "no-backlink", wording.no_backlink(row.platform)
        elif result.status == "unverified":
            code, text = "backlink-unverified", wording.backlink_unverified(result.detail)
        else:
            code, text = "backlink-unchecked", wording.unchecked(result.detail)
        found.append(finding(row, code, text, facts=facts))
    return ordered("backlinks", found, len(results))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
