"""``content/curation.yaml``: the posts Corporate Communications takes down, pins, holds and mutes.

One reviewed file, declared here once with the machinery of
:mod:`hub.registry.spec`, so that the check (every problem, with its line and
column) and the JSON Schema editors use (``content/curation.schema.json``,
written by ``python -m hub.site.curation``) cannot drift apart. Loading only
reads the file and returns a :class:`Curation`; what it does to the posts is
:mod:`hub.site.moderation`, applied where the site model is assembled.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hub import wholefiles
from hub.model import Account
from hub.problems import Problem, did_you_mean
from hub.registry import platforms
from hub.registry.composer import parse
from hub.registry.spec import INVALID, Checker, Fields, Key, ListOf, Obj
from hub.registry.values import Day, Str, Url
from hub.registry.yamlnodes import Mark, Node, YamlError, decode

CURATION_NAME = "curation.yaml"
SCHEMA_NAME = "curation.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_NAME}"
"""The first line of the file: editors find the schema beside it."""


@dataclass(frozen=True)
class Hide:
    url: str
    reason: str
    """For the record; never published."""
    date: date
    mark: Mark


@dataclass(frozen=True)
class Pin:
    url: str
    until: date
    """The last day (in the site's time zone) the post is pinned."""
    mark: Mark
    """Where its URL is written."""


@dataclass(frozen=True)
class Mute:
    account: str
    """The account's key (:attr:`hub.model.Account.key`): ``x:lakeviewtraffic``."""
    written: str
    """The account as the file writes it: ``x:LakeviewTraffic``."""
    reason: str
    """For the record; never published."""
    until: date | None
    """The last day (in the site's time zone) the account is muted; None: until removed."""
    mark: Mark


@dataclass(frozen=True)
class Curation:
    """A valid ``curation.yaml``; every list empty when there is no file."""

    hide: tuple[Hide, ...] = ()
    pin: tuple[Pin, ...] = ()
    hold: tuple[str, ...] = ()
    approve: tuple[str, ...] = ()
    mute: tuple[Mute, ...] = ()
    file: str = field(default=f"content/{CURATION_NAME}", compare=False)
    """The file's name as problems found later (at build time) name it."""


class Date(Day):
    """A date that must be given: YYYY-MM-DD, never null."""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = super().check(node, path, out)
        if value is None:
            out.report(node.mark, path, "expected a date such as 2011-07-27, got nothing (null)")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return self.documented({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"})


REASON = Str(
    max_length=500,
    description="Why, for the record (who asked, the ticket): never shown on the site.",
)
POST_URL = Url("The post's address, as its link on the site (the platform's own page of it).")
ACCOUNT = Str(
    r"[A-Za-z]+:\S.*",
    "the platform and the handle, as platform:handle, e.g. x:LakeviewTraffic",
    max_length=300,
    description="The account as platform:handle, e.g. x:LakeviewTraffic (sources.yaml lists it).",
)

CURATION = Obj(
    {
        "hide": Key(
            ListOf(
                Obj(
                    {
                        "url": Key(POST_URL, required=True),
                        "reason": Key(REASON, required=True),
                        "date": Key(Date("The day the post was taken down."), required=True),
                    },
                    "A post taken down: gone from every page and feed at the next build.",
                    example="{url: https://..., reason: ..., date: 2026-11-21}",
                ),
                description="Posts taken down for good, whatever the platform still serves.",
            )
        ),
        "pin": Key(
            ListOf(
                Obj(
                    {
                        "url": Key(POST_URL, required=True),
                        "until": Key(Date("The last day it is pinned."), required=True),
                    },
                    "A post kept at the top of the home page until a day (inclusive).",
                    example="{url: https://..., until: 2026-11-30}",
                ),
                description="Posts first on the home page, in the order written.",
            )
        ),
        "hold": Key(
            ListOf(
                Str(max_length=200),
                unique=True,
                description=(
                    "Words or phrases: a post that says one (whatever the case and accents) "
                    "is kept off the site until its URL is in approve:."
                ),
            )
        ),
        "approve": Key(
            ListOf(POST_URL, unique=True, description="Held posts allowed on the site.")
        ),
        "mute": Key(
            ListOf(
                Obj(
                    {
                        "account": Key(ACCOUNT, required=True),
                        "until": Key(Day("The last day it is muted; leave out: until removed.")),
                        "reason": Key(REASON, required=True),
                    },
                    "An account whose posts are kept off the site; its card says it is "
                    "temporarily suspended.",
                    example="{account: x:LakeviewTraffic, reason: ...}",
                ),
                description="Accounts whose posts the site does not show for now.",
            )
        ),
    },
    "Posts Corporate Communications takes down, pins, holds and mutes (docs/takedown.md).",
    example="hide: [...], pin: [...], hold: [...], approve: [...], mute: [...]",
)


def read_curation(
    path: Path, name: str, accounts: Iterable[Account] | None, out: list[Problem]
) -> Curation:
    """The file at ``path`` (shown as ``name``), its problems added to ``out``.

    A missing file is an empty curation. ``accounts`` are the registry's, which
    ``mute:`` must name; None leaves that check out (a page tested alone).
    """
    empty = Curation(file=name)
    checker = Checker(name)
    try:
        root = parse(decode(wholefiles.read(path)))
    except FileNotFoundError:
        return empty
    except OSError as exc:
        out.append(Problem(name, 1, 1, "", f"cannot read the file: {exc.strerror or exc}"))
        return empty
    except YamlError as exc:
        out.extend(Problem(name, *p.mark, "", p.message) for p in exc.problems)
        return empty
    checked = CURATION.check(root, "", checker) if root is not None else Fields()
    curation = empty
    if checked is not INVALID:
        curation = _curation(checked, name, accounts, checker)
    out.extend(checker.problems)
    return empty if checker.errors else curation


def _items(checked: Fields, key: str, *needs: str) -> list[tuple[int, Any, Node]]:
    """The valid items of a list (those with a valid value for each key in ``needs``):
    index, value, node."""
    items = checked.get(key, ())
    return [
        (i, v, items.node.value[i])
        for i, v in enumerate(items)
        if v is not INVALID and all(k in v for k in needs)
    ]


def _curation(
    checked: Fields, name: str, accounts: Iterable[Account] | None, out: Checker
) -> Curation:
    hidden: dict[str, int] = {}
    hides = []
    for i, item, node in _items(checked, "hide", "url", "reason", "date"):
        key = normalize_url(item["url"])
        if key in hidden:
            out.report(
                item.mark("url"),
                f"hide[{i}].url",
                f"the same post as hide[{hidden[key]}]: list each post once",
            )
        hidden.setdefault(key, i)
        hides.append(Hide(item["url"], item["reason"], item["date"], node.mark))
    pins = []
    for i, item, _node in _items(checked, "pin", "url", "until"):
        taken_down = hidden.get(normalize_url(item["url"]))
        if taken_down is not None:
            out.report(
                item.mark("url"),
                f"pin[{i}].url",
                f"this post is taken down (hide[{taken_down}]): remove the pin, or the hide",
            )
        pins.append(Pin(item["url"], item["until"], item.mark("url")))
    holds = []
    for i, phrase, node in _items(checked, "hold"):
        if not re.search(r"\w", phrase):
            out.report(node.mark, f"hold[{i}]", f'"{phrase}" has no word in it: write a word')
        holds.append(" ".join(phrase.split()))
    mutes = _mutes(checked, accounts, out)
    approve = tuple(url for _, url, _ in _items(checked, "approve"))
    return Curation(tuple(hides), tuple(pins), tuple(holds), approve, mutes, name)


_SUBDOMAINS = ("www.", "mobile.", "m.")
_SAME_SITE = {"twitter.com": "x.com"}


@functools.lru_cache(maxsize=1 << 18)
def normalize_url(url: str) -> str:
    """What makes two addresses the same post's: ``https://www.X.com/a/`` is ``x.com/a``.

    Scheme and host case, http or https, a trailing slash, a ``www.``,
    ``mobile.`` or ``m.`` host and twitter.com for x.com make no difference;
    the fragment is dropped, the path and query kept as written. Remembered: a
    build asks for each post's address several times (the curation, the appeals).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in _SUBDOMAINS:
        if host.startswith(prefix):
            host = host.removeprefix(prefix)
            break
    host = _SAME_SITE.get(host, host)
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def account_key(written: str) -> tuple[str, str | None]:
    """``platform:handle`` as :attr:`Account.key` spells it, and the platform if unknown."""
    name, _, handle = written.partition(":")
    platform = platforms.get(name)
    if platform is None:
        return written.lower(), name
    handle = platform.normalize(handle) if not platform.takes_url else handle.strip()
    return f"{platform.key}:{handle.lower()}", None


def _mutes(checked: Fields, accounts: Iterable[Account] | None, out: Checker) -> tuple[Mute, ...]:
    known = None if accounts is None else {a.key: a for a in accounts}
    seen: dict[str, int] = {}
    mutes = []
    for i, item, node in _items(checked, "mute", "account", "reason"):
        written = item["account"]
        key, unknown_platform = account_key(written)
        where, mark = f"mute[{i}].account", item.mark("account")
        if unknown_platform is not None:
            near = did_you_mean(unknown_platform, platforms.BY_NAME)
            out.report(
                mark,
                where,
                f'"{unknown_platform}" is not a platform{near}: '
                "write platform:handle, e.g. x:LakeviewTraffic",
            )
            continue
        if known is not None and key not in known:
            shown = [f"{a.platform}:{a.handle or a.url}" for a in known.values()]
            out.report(
                mark,
                where,
                f'no account "{written}" in sources.yaml{did_you_mean(written, shown)}: '
                "mute an account the registry lists, as platform:handle",
            )
            continue
        if key in seen:
            out.report(mark, where, f"the same account as mute[{seen[key]}]: list it once")
            continue
        seen[key] = i
        mutes.append(Mute(key, written, item["reason"], item.get("until"), node.mark))
    return tuple(mutes)


# The editors' schema


def json_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://police-social-hub.example/{SCHEMA_NAME}",
        "title": f"content/{CURATION_NAME}",
        **CURATION.schema(),
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write the schema to ``content/curation.schema.json`` (or the folder given)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "content") / SCHEMA_NAME
    target.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")


if __name__ == "__main__":
    main()
