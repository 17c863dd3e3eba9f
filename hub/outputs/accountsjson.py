"""``accounts.json``: every account the service has, or had, in one public file.

The answer to "is this account ours?" for programs (a newsroom's checker, a
browser extension, another service's site) and for the verify page, which
lists the same records and checks what a visitor pastes against their keys.
The format is public and versioned (``format``); docs/accounts-json.md
describes it and promises what stays stable, and
``hub/outputs/accounts.schema.json`` is its JSON Schema.

Each account carries its owner (the unit or officer: id, name in every
language, kind), whether it is official now or was (an officer whose
``until`` has passed makes their accounts former), and its keys
(:mod:`hub.registry.spelling`), so that a program matches what someone
pasted without knowing every platform's addresses. The file carries no build
time: a rebuild with nothing changed writes the same bytes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from hub.model import Account, Officer, Unit, profile_name
from hub.registry import platforms, spelling
from hub.site.model import Profile, SiteModel
from hub.site.urls import Route, Urls

ACCOUNTS_PATH = "accounts.json"
FORMAT = 1
"""The format's version: it changes only when a field changes meaning or goes away."""
SCHEMA_PATH = Path(__file__).with_name("accounts.schema.json")

Status = Literal["official", "former"]
Kind = Literal["official", "former", "not_ours", "unknown"]


@dataclass(frozen=True)
class AccountRecord:
    """One account as ``accounts.json`` and the verify page show it."""

    account: Account
    profile: Profile
    status: Status
    since: date | None
    until: date | None
    keys: tuple[str, ...]

    @property
    def former(self) -> bool:
        return self.status == "former"


def records(site: SiteModel) -> tuple[AccountRecord, ...]:
    """Every account of the registry, units' first, in the registry's order."""
    found: list[AccountRecord] = []
    profiles: list[Profile] = [*site.registry.units, *site.registry.officers]
    for profile in profiles:
        since = profile.since if isinstance(profile, Officer) else None
        until = profile.until if isinstance(profile, Officer) else None
        former = isinstance(profile, Officer) and profile.is_former(site.today)
        for account in profile.accounts:
            found.append(
                AccountRecord(
                    account=account,
                    profile=profile,
                    status="former" if former else "official",
                    since=since,
                    until=until,
                    keys=_keys(account.handle, account.url),
                )
            )
    return tuple(found)


@functools.lru_cache(maxsize=1 << 16)
def _keys(handle: str | None, url: str) -> tuple[str, ...]:
    """An account's keys, worked out once: the directory pages of each language and
    ``accounts.json`` all list every account."""
    return tuple(spelling.account_keys(handle, url))


def by_platform(
    site: SiteModel, found: Iterable[AccountRecord]
) -> list[tuple[str, list[AccountRecord]]]:
    """The records grouped by platform, in the platform table's order."""
    groups: dict[str, list[AccountRecord]] = {key: [] for key in site.platforms}
    for record in found:
        groups.setdefault(record.account.platform, []).append(record)
    return [(key, group) for key, group in groups.items() if group]


@dataclass(frozen=True)
class Verdict:
    """What a pasted handle or address comes to."""

    kind: Kind
    """``official`` when it names a current account, ``former`` when it names
    only accounts that were official, ``not_ours`` when it names none of ours,
    ``unknown`` when it names no account at all."""
    matches: tuple[AccountRecord, ...] = ()


def verdict(text: str, found: Sequence[AccountRecord]) -> Verdict:
    """The verify page's answer to ``text``, as ``verify.js`` gives it."""
    wanted = set(spelling.keys(text))
    if not wanted:
        return Verdict("unknown")
    matches = tuple(record for record in found if wanted & set(record.keys))
    if not matches:
        return Verdict("not_ours")
    official = any(not record.former for record in matches)
    return Verdict("official" if official else "former", matches)


def document(site: SiteModel, urls: Urls) -> dict[str, Any]:
    """``accounts.json`` as a JSON value."""
    reg = site.registry
    base = reg.site.url.rstrip("/")
    languages = reg.site.languages
    default = reg.site.default_language

    def pages(route: Route) -> dict[str, str]:
        return {lang: base + urls.path(route, lang) for lang in languages}

    def owner(profile: Profile) -> dict[str, Any]:
        unit = isinstance(profile, Unit)
        return {
            "type": "unit" if unit else "officer",
            "id": profile.id,
            "kind": profile.kind if isinstance(profile, Unit) else "officer",
            "name": {lang: profile_name(profile, lang, default) for lang in languages},
            "page": pages(Route("unit" if unit else "officer", profile.id)),
        }

    def entry(record: AccountRecord) -> dict[str, Any]:
        account = record.account
        label = account.label
        return {
            "platform": account.platform,
            "platform_name": platforms.BY_KEY[account.platform].label,
            "handle": account.handle,
            "url": account.url,
            "label": {lang: label.get(lang, default) for lang in languages} if label else None,
            "owner": owner(record.profile),
            "status": record.status,
            "since": record.since.isoformat() if record.since else None,
            "until": record.until.isoformat() if record.until else None,
            "keys": list(record.keys),
        }

    return {
        "format": FORMAT,
        "service": {
            "name": {lang: reg.site.name.get(lang, default) for lang in languages},
            "url": base + "/",
            "verify": pages(Route("verify")),
        },
        "languages": list(languages),
        "keys_format": spelling.FORMAT,
        "accounts": [entry(record) for record in records(site)],
    }


def accounts_file(site: SiteModel, urls: Urls) -> tuple[str, bytes, str]:
    """(path, bytes, source) of ``accounts.json``."""
    text = json.dumps(document(site, urls), ensure_ascii=False, indent=1) + "\n"
    return ACCOUNTS_PATH, text.encode(), "the list of accounts"
