"""Who answers for each account, and how its feed is doing: one row per account.

Pure: the registry and what the store holds in, :class:`AccountRow` values out.
The owner is the one :func:`hub.registry.admin.responsible` finds (the nearest
``admin:`` block with an ``owner:``); every other value (contact, training,
approval, review date, notes) comes from the nearest block that sets it, up
the same chain: the account, its officer, its unit, the units above.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import fields

from hub.governance.model import AccountRow, Stored
from hub.model import Account, Admin, Registry, profile_name
from hub.registry.admin import responsible
from hub.store.rules import FeedState

_STATUS = {"new": "ok", "ok": "ok", "not_modified": "ok", "error": "failing", "gone": "gone"}
"""A feed's state in the store, as the report names it."""


class Owners:
    """The registry's ``admin:`` blocks, and the chain each account inherits along."""

    def __init__(self, registry: Registry) -> None:
        self.blocks: Mapping[str, Admin] = registry.admin
        self.officer_units = {officer.id: officer.unit for officer in registry.officers}
        self.parents = {unit.id: unit.parent for unit in registry.units}

    def chain(self, account: Account) -> Iterator[str]:
        """The keys whose blocks ``account`` inherits from, nearest first."""
        yield account.key
        yield account.owner
        kind, _, name = account.owner.partition(":")
        unit = self.officer_units.get(name) if kind == "officer" else name
        seen: set[str] = set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            if kind == "officer" or unit != name:
                yield f"unit:{unit}"
            unit = self.parents.get(unit)

    def of(self, account: Account) -> Admin:
        """Who answers for ``account``, every value inherited on its own."""
        blocks = [self.blocks[key] for key in self.chain(account) if key in self.blocks]
        values = {
            f.name: next((v for b in blocks if (v := getattr(b, f.name)) is not None), None)
            for f in fields(Admin)
        }
        owner = responsible(account, self.blocks, self.officer_units, self.parents)
        values["owner"] = owner.owner if owner is not None else None
        return Admin(**values)


def feed_status(account: Account, state: FeedState | None) -> str:
    if account.feed is None:
        return "no feed"
    if state is None:
        return "not read yet"
    return _STATUS.get(state.status, state.status)


def account_rows(registry: Registry, stored: Stored) -> tuple[AccountRow, ...]:
    """Every account of ``registry``, in its order, with who answers for it."""
    owners = Owners(registry)
    names = {f"unit:{unit.id}": unit for unit in registry.units}
    names.update({f"officer:{officer.id}": officer for officer in registry.officers})
    language = registry.site.default_language
    rows = []
    for account in registry.accounts():
        source = account.feed.source if account.feed is not None else None
        state = stored.states.get(source) if source is not None else None
        profile = names.get(account.owner)
        failed = state is not None and state.status in ("error", "gone")
        rows.append(
            AccountRow(
                key=account.key,
                platform=account.platform,
                handle=account.handle,
                url=account.url,
                profile=account.owner,
                profile_name=profile_name(profile, language, language) if profile else "",
                admin=owners.of(account),
                feed=source,
                feed_status=feed_status(account, state),
                last_post=stored.latest.get(source) if source is not None else None,
                last_error=state.last_error if failed and state is not None else None,
            )
        )
    return tuple(rows)
