"""The rules of sources.yaml for accounts, their feeds, and files beside the registry.

Each account's handle must suit its platform, an account is listed once, a
feed is shown under one account, and a path must stay inside the registry's
folder; a photo or the logo must be an image the site can publish
(:mod:`hub.imaging`: its format, bytes and pixels, whole and still). An
account with ``token:`` (or an X account, when ``site.api`` names
an X bearer token) is read through its platform's API once the variable
named is set; until then it is in the directory only, and a warning says so.
A YouTube account listed by @handle, when ``site.api`` names a YouTube Data
API key, likewise feeds the site once that variable is set: its channel is
looked up through the API, then read from its public feed.
This is the one rule that reads the environment, and only to see whether a
variable is set: the model keeps the variable's name, never its value.
:class:`hub.registry.rules.Rules` applies them to every unit and officer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from hub import imaging, wholefiles
from hub.model import Account, FeedRef, Text
from hub.problems import os_reason
from hub.registry import platforms
from hub.registry.admin import AdminRules
from hub.registry.spec import INVALID, Checker, Fields, Items
from hub.registry.tokens import API_PLATFORMS
from hub.registry.values import is_web_url

UNSET = "is not set: the account is directory-only until it is"
"""What a warning says of a token variable that is not set."""


class AccountRules:
    """The rules for each account and feed, and for paths to files beside the registry."""

    def __init__(
        self,
        out: Checker,
        root: Path,
        environ: Mapping[str, str] | None = None,
        admin: bytes | None = None,
    ) -> None:
        self.out = out
        self.root = root
        self.resolved_root = root.resolve()
        self.environ = os.environ if environ is None else environ
        self.accounts: dict[str, str] = {}
        self.feeds: dict[str, str] = {}
        self.api_keys: dict[str, str] = {}
        """``site.api``: key -> the name of the variable that holds it."""
        self.admin = AdminRules(out, admin)
        """The ``admin:`` blocks met on the way."""

    def is_set(self, name: str) -> bool:
        """Whether the environment variable ``name`` holds something."""
        return bool(self.environ.get(name, "").strip())

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
        feed = self.feed(f, path, default_feed, platform.key, profile)
        if feed is None and "feed" not in f.node.value and "token" not in f.node.value:
            feed = self.shared_token(platform.key, handle, profile)
        account = Account(
            platform=platform.key,
            handle=handle,
            url=profile,
            feed=self.api_feed(f, path, platform.key, handle, profile) or feed,
            owner=owner,
            label=text_of(f.get("label")),
            language=f.get("language"),
        )
        self.admin.admin_of(f, path, account.key)
        self.admin.account_at(account, f.mark(), path)
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

    def api_feed(
        self, f: Fields, path: str, platform: str, handle: str | None, profile: str
    ) -> FeedRef | None:
        """The account read through its platform's API with ``token:``, once it is set."""
        name = f.get("token")
        if name is None:
            return None
        where = f"{path}.token"
        if platform not in API_PLATFORMS:
            why = (
                "LinkedIn's API is open to approved partners only, so LinkedIn accounts stay "
                "in the directory"
                if platform == "linkedin"
                else f"{platforms.BY_KEY[platform].label} accounts are not read through an API"
            )
            self.error(f, "token", where, f"{why}: remove token: (see docs/connectors.md)")
            return None
        if "feed" in f.node.value:
            self.warn(f, "token", where, "token: is not used when feed: is given: remove one")
            return None
        if handle is None:
            self.error(f, "token", where, "an account read through its API needs handle:")
            return None
        if not self.is_set(name):
            self.warn(f, "token", where, f"{name} {UNSET}")
            return None
        return api_ref(platform, handle, profile, name)

    def shared_token(self, platform: str, handle: str | None, profile: str) -> FeedRef | None:
        """An X account read with ``site.api.x_bearer_token``, or a YouTube @handle whose
        channel is found with ``site.api.youtube_key``, once the variable is set."""
        if platform == "youtube" and handle is not None and handle.startswith("@"):
            name = self.api_keys.get("youtube_key")
        else:
            name = self.api_keys.get("x_bearer_token") if platform == "x" else None
        if handle is None or name is None or not self.is_set(name):
            return None
        return api_ref(platform, handle, profile, name)

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

    def image_path(self, f: Fields, key: str, where: str) -> Path | None:
        """A photo or the logo: a path inside the registry's folder, to an image the
        site can publish (:func:`image_problem`)."""
        target = self.local_path(f, key, where)
        if target is None or not target.is_file():
            return target
        problem = image_problem(target)
        if problem is not None:
            self.error(f, key, where, f'"{f.get(key)}" {problem}')
            return None
        return target


def image_problem(path: Path) -> str | None:
    """What is wrong with the image at ``path`` for the site to publish it, or None.

    The sentence follows the file's name (:func:`hub.imaging.problem`); a file
    over the byte limit is not read.
    """
    limits = imaging.REPOSITORY
    try:
        size = path.stat().st_size
        if size > limits.bytes:
            return imaging.problem(b"", limits, size=size)
        return imaging.problem(wholefiles.read(path, limits.bytes), limits)
    except OSError as error:
        return f"cannot be read: {os_reason(error)}"


def api_ref(platform: str, handle: str, profile: str, token: str) -> FeedRef:
    """The FeedRef of an account read through its platform's API: ``api:x:LakeviewPS``."""
    return FeedRef(f"api:{platform}:{handle}", None, None, platform, profile, token=token)


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
