"""The rules of sources.yaml for accounts, their feeds, and files beside the registry.

Each account's handle must suit its platform, an account is listed once, a
feed is shown under one account, and a path must stay inside the registry's
folder. :class:`hub.registry.rules.Rules` applies them to every unit and
officer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from hub.model import Account, FeedRef, Text
from hub.registry import platforms
from hub.registry.spec import INVALID, Checker, Fields, Items
from hub.registry.values import is_web_url


class AccountRules:
    """The rules for each account and feed, and for paths to files beside the registry."""

    def __init__(self, out: Checker, root: Path) -> None:
        self.out = out
        self.root = root
        self.resolved_root = root.resolve()
        self.accounts: dict[str, str] = {}
        self.feeds: dict[str, str] = {}

    def error(self, fields: Fields, key: str | None, path: str, message: str) -> None:
        self.out.report(fields.mark(key), path, message)

    def warn(self, fields: Fields, key: str | None, path: str, message: str) -> None:
        self.out.report(fields.mark(key), path, message, "warning")

    def accounts_of(self, f: Fields, path: str, owner: str) -> tuple[Account, ...]:
        result = []
        for j, account in items_of(f, "accounts"):
            built = self.account(account, f"{path}.accounts[{j}]", owner)
            if built is not None:
                result.append(built)
        return tuple(result)

    def account(self, f: Fields, path: str, owner: str) -> Account | None:
        name = f.get("platform")
        if name is None:
            return None
        platform = platforms.get(name)
        if platform is None:
            return None
        handle = f.get("handle")
        url = f.get("url")
        # A handle or url that is written but invalid was reported already.
        if ("handle" in f.node.value and handle is None) or ("url" in f.node.value and url is None):
            return None
        if platform.takes_url:
            if handle is not None:
                self.error(
                    f,
                    "handle",
                    f"{path}.handle",
                    f"a {platform.key} account takes url:, not handle:",
                )
            if url is None:
                self.error(
                    f,
                    None,
                    path,
                    f'missing required key "url" for a {platform.key} '
                    'account, e.g. url: "https://www.lakeview.example/"',
                )
                return None
        elif handle is not None:
            if not platform.is_valid(handle):
                self.error(
                    f,
                    "handle",
                    f"{path}.handle",
                    f'"{handle}" is not a valid '
                    f"{platform.label} handle: expected {platform.hint}, e.g. "
                    f"{platform.example}",
                )
                return None
            handle = platform.normalize(handle)
        elif url is None:
            self.error(
                f,
                None,
                path,
                f'missing "handle" (or "url") for the {platform.label} '
                f"account: expected {platform.hint}, e.g. handle: {platform.example}",
            )
            return None
        profile = url or platform.profile(handle or "")
        default_feed = platform.feed(handle) if handle else None
        account = Account(
            platform=platform.key,
            handle=handle,
            url=profile,
            feed=self.feed(f, path, default_feed, platform.key, profile),
            owner=owner,
            label=text_of(f.get("label")),
        )
        first = self.accounts.setdefault(account.key, path)
        if first != path:
            self.error(
                f,
                "handle" if handle else "url",
                path,
                f"{platform.label} {handle or url} is listed twice (also at {first}); "
                "list each account once",
            )
        return account

    def feed(
        self, f: Fields, path: str, default: str | None, platform: str, profile: str
    ) -> FeedRef | None:
        value = f.get("feed")
        if value is None:
            return FeedRef(default, default, None, platform, profile) if default else None
        where = f"{path}.feed"
        if "://" in value or value.lower().startswith(("javascript:", "data:", "file:")):
            if not is_web_url(value):
                self.error(
                    f,
                    "feed",
                    where,
                    f'expected an http:// or https:// URL or a relative path, got "{value}"',
                )
                return None
            ref = FeedRef(value, value, None, platform, profile)
        else:
            local = self.local_path(f, "feed", where)
            if local is None:
                return None
            ref = FeedRef(PurePosixPath(value).as_posix(), None, local, platform, profile)
        first = self.feeds.setdefault(ref.source, where)
        if first != where:
            self.warn(
                f,
                "feed",
                where,
                f"the same feed is also used by {first}: its posts "
                "will be shown once, under the first account",
            )
        return ref

    def local_path(self, f: Fields, key: str, where: str) -> Path | None:
        """A path relative to the registry that must stay inside its folder."""
        value = f.get(key)
        if value is None:
            return None
        relative = PurePosixPath(value)
        if relative.is_absolute() or value.startswith("~") or ":" in value:
            self.error(
                f,
                key,
                where,
                f'"{value}" must be a path relative to the registry\'s '
                "folder, e.g. content/feeds/news.xml",
            )
            return None
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.resolved_root):
            self.error(
                f,
                key,
                where,
                f'"{value}" leaves the registry\'s folder: keep files '
                "inside it, e.g. under content/",
            )
            return None
        if not target.is_file():
            self.warn(f, key, where, f'file "{value}" not found next to the registry')
        return target


def text_of(value: Any) -> Text | None:
    if value is None or value is INVALID:
        return None
    if isinstance(value, str):
        return Text.plain(value)
    return Text(dict(value))


def items_of(fields: Fields, key: str) -> Iterator[tuple[int, Fields]]:
    items = fields.get(key)
    if isinstance(items, Items):
        for i, item in enumerate(items):
            if isinstance(item, Fields):
                yield i, item
