"""How accounts are shown: the handle as people write it, and lists of them.

Used by the templates (:class:`hub.render.renderer.Renderer` hands them over).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hub.model import Account
from hub.registry import platforms
from hub.site.model import Profile, SiteModel


def handle_text(account: Account, names: Mapping[str, str] | None = None) -> str | None:
    """The handle as people write it (``@LakeviewPS``), or the site's host for a URL.

    Where the handle is an opaque id (a YouTube channel id, a Flickr NSID, a
    numeric Facebook page) that means nothing to a reader: the name the
    account's feed gives it, from ``names`` (``SiteModel.channel_names``),
    else None. Never the id itself.
    """
    handle = account.handle
    if handle is None:
        host = account.url.split("//", 1)[-1].split("/", 1)[0]
        return host.removeprefix("www.") or None
    if platforms.opaque_handle(account):
        return (names or {}).get(account.key)
    platform = platforms.BY_KEY.get(account.platform)
    if account.platform == "mastodon":
        return "@" + handle.lstrip("@")
    if platform is not None and platform.strip_at:
        return "@" + handle
    return handle


def public_feeds(accounts: Iterable[Account], site: SiteModel | None = None) -> list[Account]:
    """The accounts whose platform gives them a public feed anyone can follow; with the
    site model, not those it mutes (a hijacked account is not offered meanwhile)."""
    return [
        account
        for account in accounts
        if platforms.followable_feed(account) and (site is None or not site.suspended(account))
    ]


def by_profile(
    pairs: Iterable[tuple[Profile, Account]],
) -> list[tuple[Profile, list[Account]]]:
    """(profile, account) pairs grouped per profile, in first-seen order."""
    groups: dict[str, tuple[Profile, list[Account]]] = {}
    for profile, account in pairs:
        groups.setdefault(account.owner, (profile, []))[1].append(account)
    return list(groups.values())
