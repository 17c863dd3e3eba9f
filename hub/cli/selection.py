"""``hub fetch --only`` and ``hub build --without-secrets``: the part of the registry
one run fetches.

``--only`` names one account as :attr:`hub.model.Account.key` writes it
(``x:lakeviewtraffic``; any case, a platform's alias such as ``twitter``
and a leading ``@`` on the handle are fine), or a unit or an officer by its
id (``traffic``, or ``unit:traffic`` and ``officer:ada-fenwick`` where a unit
and an officer share one): all of its own accounts' feeds. The run is an
ordinary fetch of a registry that holds those accounts alone, so the store
treats their feeds as any fetch does and leaves every other feed as it was.

A name that matches nothing is an error that says what is near
(did-you-mean), before anything is locked or fetched.

``--without-secrets`` leaves out the accounts read through an API whose
token variable is not set: a pull-request check builds them from the posts
the store holds, as the last publish run fetched them, instead of failing
their reads (or leaving them out of the site, and the publish gate refusing
a site without their posts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from hub.feeds.connectors import secrets
from hub.model import Account, Registry
from hub.problems import HubError, did_you_mean
from hub.registry import platforms

OWNER_KINDS = ("unit", "officer")


def select(registry: Registry, wanted: str) -> Registry:
    """``registry`` with only the accounts ``wanted`` names; HubError when none has a feed."""
    chosen, what = _match(registry, wanted.strip())
    with_feed = [account for account in chosen if account.feed is not None]
    if not with_feed:
        raise HubError(
            f"--only {wanted}: {what} has no feed to fetch (a platform without a public "
            "feed, or an account read through its API whose token variable is not set)"
        )
    return _keeping(registry, {id(account) for account in with_feed})


def within_reach(registry: Registry, environ: Mapping[str, str]) -> tuple[Registry, int]:
    """``registry`` without the accounts whose feed needs a token variable that is not
    set in ``environ``, and how many were left out."""
    accounts = list(registry.accounts())
    kept = {
        id(account)
        for account in accounts
        if account.feed is None
        or account.feed.token is None
        or secrets.value_of(account.feed.token, environ) is not None
    }
    return _keeping(registry, kept), len(accounts) - len(kept)


def _keeping(registry: Registry, keep: set[int]) -> Registry:
    """``registry`` with only the accounts whose ``id()`` is in ``keep`` (an account with a
    label holds a mapping, and cannot be hashed)."""
    return replace(
        registry,
        units=tuple(
            replace(unit, accounts=tuple(a for a in unit.accounts if id(a) in keep))
            for unit in registry.units
        ),
        officers=tuple(
            replace(officer, accounts=tuple(a for a in officer.accounts if id(a) in keep))
            for officer in registry.officers
        ),
    )


def _match(registry: Registry, wanted: str) -> tuple[list[Account], str]:
    """The accounts ``wanted`` names, and how to say what it named."""
    accounts = list(registry.accounts())
    key = _account_key(wanted)
    found = [account for account in accounts if account.key == key]
    if found:
        return found, f"the account {found[0].key}"
    kind, _, name = wanted.partition(":")
    kinds = OWNER_KINDS if not name else (kind.lower(),) if kind.lower() in OWNER_KINDS else ()
    ident = name if name else wanted
    owners = [
        f"{kind}:{ident}"
        for kind, ids in (
            ("unit", {unit.id for unit in registry.units}),
            ("officer", {officer.id for officer in registry.officers}),
        )
        if kind in kinds and ident in ids
    ]
    if len(owners) > 1:
        raise HubError(
            f'--only {wanted}: both a unit and an officer have the id "{ident}": '
            f"write {' or '.join(owners)}"
        )
    if owners:
        owner = owners[0]
        return [account for account in accounts if account.owner == owner], owner
    names = [
        *(account.key for account in accounts),
        *(f"{prefix}{unit.id}" for unit in registry.units for prefix in ("", "unit:")),
        *(f"{prefix}{o.id}" for o in registry.officers for prefix in ("", "officer:")),
    ]
    raise HubError(
        f"--only {wanted}: no account, unit or officer of that name in "
        f"{registry.path.name}{did_you_mean(key if ':' in wanted else wanted, names)}"
    )


def _account_key(wanted: str) -> str:
    """``Twitter:@LakeviewTraffic`` -> ``x:lakeviewtraffic``, as :attr:`Account.key` is."""
    platform, colon, handle = wanted.partition(":")
    if not colon:
        return wanted.lower()
    known = platforms.get(platform.strip().lower())
    key = known.key if known is not None else platform.strip().lower()
    return f"{key}:{handle.strip().removeprefix('@').lower()}"
