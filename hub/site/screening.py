"""What ``content/curation.yaml`` keeps off the site, post by post, for the audit trail.

Pure. :mod:`hub.site.moderation` decides which posts the site shows; this
module says, for each stored post of an account in the registry, whether it
is off the site and why (``hidden``, ``held`` or ``muted``, as the site
model screens them: a mute first, then a hide, then a ``hold:`` phrase not
approved), and compares that with what the last published build left
(``hub.store.history.History.screened``). What changed becomes
:class:`~hub.store.history.Screening` events: one when a post leaves the
site, one when it comes back (``approved`` for a held post whose URL is now
in ``approve:``, ``shown`` otherwise), none for a post that stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from hub.model import Account, Entry, Registry
from hub.site.curation import Curation, normalize_url
from hub.site.moderation import Screen, feed_owners, local_day, post_urls
from hub.store.history import Screening

BACK = {
    "hidden": "no longer in hide:",
    "muted": "its account's mute is over",
    "held": "no hold: phrase holds it now",
}
"""Why a post is on the site again, by what kept it off (``approved`` aside)."""


def changes(
    registry: Registry,
    entries: Iterable[Entry],
    curation: Curation,
    now: datetime,
    before: Mapping[tuple[str, str], str],
) -> list[Screening]:
    """What curation does differently to ``entries`` at ``now`` than ``before`` says
    the last published build did: (source, entry id) -> hidden, held or muted."""
    screen = Screen(curation, local_day(now, registry.site.timezone))
    if not (screen.hidden or screen.muted or screen.phrases or before):
        return []
    verdicts = _Verdicts(screen, feed_owners(registry))
    found = []
    for entry in entries:
        if entry.feed not in verdicts.owned:
            continue  # not on the site whatever curation says: nothing to record
        state, reason = verdicts.of(entry)
        was = before.get((entry.feed, entry.id))
        if state == was:
            continue
        if state is None:
            approved = was == "held" and reason
            state, reason = ("approved", reason) if approved else ("shown", BACK.get(str(was), ""))
        found.append(Screening(entry.feed, entry.id, state, reason))
    return found


class _Verdicts:
    """What keeps each post off the site, as the site model decides it, and why."""

    def __init__(self, screen: Screen, owners: Mapping[str, Account]) -> None:
        self.screen = screen
        self.owned = frozenset(owners)
        self.muted = {
            feed: screen.muted[account.key]
            for feed, account in owners.items()
            if account.key in screen.muted
        }
        hides = screen.curation.hide
        self.reasons = {normalize_url(hide.url): hide.reason for hide in reversed(hides)}
        # What a hidden address keeps as written (its path and query): a post whose link
        # and id have none of these is not hidden, and its addresses need no parsing.
        tails = {url[url.find("/") :] if "/" in url else "" for url in screen.hidden}
        self.tails = None if "" in tails else tuple(tails)

    def of(self, entry: Entry) -> tuple[str | None, str]:
        """Why the post is off the site; (None, why) for a post on it, with why
        non-empty only when ``approve:`` is what lets it on."""
        screen = self.screen
        mute = self.muted.get(entry.feed)
        if mute is not None:
            return "muted", mute.reason
        if screen.hidden and self._may_be_hidden(entry):
            hidden = [url for url in post_urls(entry) if url in screen.hidden]
            if hidden:
                return "hidden", self.reasons.get(hidden[0], "")
        phrase = screen.phrase_in(entry) if screen.phrases else None
        if phrase is None:
            return None, ""
        if not screen.approved or screen.approved.isdisjoint(post_urls(entry)):
            return "held", f'says "{phrase}" (hold:)'
        return None, f'says "{phrase}" (hold:), and approve: lists it'

    def _may_be_hidden(self, entry: Entry) -> bool:
        if self.tails is None:
            return True
        link = entry.link or ""
        return any(tail in link or tail in entry.id for tail in self.tails)
