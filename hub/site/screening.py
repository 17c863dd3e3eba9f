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

from hub.model import Entry, Registry
from hub.site.curation import Curation
from hub.site.moderation import Screen, feed_owners, local_day
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
    owners = feed_owners(registry)
    found = []
    for entry in entries:
        account = owners.get(entry.feed)
        if account is None:
            continue  # not on the site whatever curation says: nothing to record
        state, reason, _ = screen.verdict(entry, account)
        was = before.get((entry.feed, entry.id))
        if state == was:
            continue
        if state is None:
            approved = was == "held" and reason
            state, reason = ("approved", reason) if approved else ("shown", BACK.get(str(was), ""))
        found.append(Screening(entry.feed, entry.id, state, reason))
    return found
