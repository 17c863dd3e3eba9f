"""The platform table: the one place that knows each platform's label, handle
rules, profile URL, public feed URL and icon.

Handle patterns are written in the subset of regular expressions that Python
and JSON Schema (ECMA-262) read alike, because the editor schema is generated
from this table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hub.model import Account


@dataclass(frozen=True)
class Platform:
    key: str
    label: str
    """How the platform is named to the public ("Sgt Jack West on X")."""
    pattern: str | None
    """What a handle looks like; None for platforms that take a ``url``."""
    hint: str
    """The handle rule in words, for error messages."""
    example: str
    profile: Callable[[str], str]
    """Handle (normalized) -> public profile URL."""
    feed: Callable[[str], str | None] = lambda _handle: None
    """Handle (normalized) -> public feed URL, or None where there is none."""
    page_feed: bool = False
    """The URL ``feed`` gives is a web page its reader reads (Telegram's preview),
    not a feed that feed readers can follow."""
    aliases: tuple[str, ...] = ()
    strip_at: bool = False
    """Accept ``@name`` and store ``name``."""
    icon: str = ""
    report: str = ""
    """The platform's page on reporting an account that pretends to be someone
    else, for the verify page; empty where it has none (report from the profile)."""
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern or ".*"))
        if not self.icon:
            object.__setattr__(self, "icon", self.key)

    @property
    def takes_url(self) -> bool:
        return self.pattern is None

    def normalize(self, handle: str) -> str:
        handle = handle.strip()
        return handle[1:] if self.strip_at and handle.startswith("@") else handle

    def is_valid(self, handle: str) -> bool:
        return self.regex.fullmatch(handle.strip()) is not None


def _mastodon_profile(handle: str) -> str:
    user, instance = handle.lstrip("@").split("@", 1)
    return f"https://{instance.lower()}/@{user}"


def _youtube_profile(handle: str) -> str:
    if handle.startswith("UC"):
        return f"https://www.youtube.com/channel/{handle}"
    return f"https://www.youtube.com/{handle}"


def _youtube_feed(handle: str) -> str | None:
    # Only a channel id has an official feed; an @handle would need an API lookup.
    if handle.startswith("UC"):
        return f"https://www.youtube.com/feeds/videos.xml?channel_id={handle}"
    return None


def _flickr_feed(handle: str) -> str | None:
    # The public photos feed takes an NSID (12345678@N05), not a path alias.
    if "@N" in handle:
        return f"https://www.flickr.com/services/feeds/photos_public.gne?id={handle}&format=atom"
    return None


def _reddit_user(handle: str) -> str:
    return handle.split("/", 1)[1]


_DOMAIN = r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"

PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "x",
        "X",
        r"@?[A-Za-z0-9_]{1,15}",
        "1 to 15 letters, digits or underscores",
        "LakeviewPolice",
        lambda h: f"https://x.com/{h}",
        aliases=("twitter",),
        strip_at=True,
        report="https://help.x.com/forms/impersonation",
    ),
    Platform(
        "facebook",
        "Facebook",
        r"[A-Za-z0-9.]{5,50}|[0-9]{5,20}",
        "a page name of 5 to 50 letters, digits or dots, or a numeric page id",
        "LakeviewPolice",
        lambda h: f"https://www.facebook.com/{h}",
        aliases=("fb",),
        report="https://www.facebook.com/help/174210519303259",
    ),
    Platform(
        "instagram",
        "Instagram",
        r"@?[A-Za-z0-9._]{1,30}",
        "1 to 30 letters, digits, dots or underscores",
        "lakeviewpolice",
        lambda h: f"https://www.instagram.com/{h}/",
        aliases=("ig",),
        strip_at=True,
        report="https://help.instagram.com/446663175382270",
    ),
    Platform(
        "threads",
        "Threads",
        r"@?[A-Za-z0-9._]{1,30}",
        "1 to 30 letters, digits, dots or underscores (the Instagram username)",
        "lakeviewpolice",
        lambda h: f"https://www.threads.net/@{h}",
        strip_at=True,
        # A Threads profile is its Instagram account's.
        report="https://help.instagram.com/446663175382270",
    ),
    Platform(
        "tiktok",
        "TikTok",
        r"@?[A-Za-z0-9._]{2,24}",
        "2 to 24 letters, digits, dots or underscores",
        "lakeviewpolice",
        lambda h: f"https://www.tiktok.com/@{h}",
        strip_at=True,
        report="https://support.tiktok.com/en/safety-hc/report-a-problem/report-an-impersonation-account",
    ),
    Platform(
        "youtube",
        "YouTube",
        r"UC[A-Za-z0-9_-]{22}|@[A-Za-z0-9._-]{3,30}",
        "a channel id (UC followed by 22 characters) or an @handle",
        "UCq3Ci-h945sbEYXpVlw7rJg",
        _youtube_profile,
        _youtube_feed,
        report="https://support.google.com/youtube/answer/2801947",
    ),
    Platform(
        "mastodon",
        "Mastodon",
        r"@?[A-Za-z0-9_]{1,30}@" + _DOMAIN,
        "@user@instance, the address shown on the profile",
        "@lakeviewpolice@police.social",
        _mastodon_profile,
        lambda h: _mastodon_profile(h) + ".rss",
        strip_at=True,
        # Each server moderates its own accounts: the report goes to the impostor's server.
        report="https://docs.joinmastodon.org/user/moderating/",
    ),
    Platform(
        "bluesky",
        "Bluesky",
        r"@?" + _DOMAIN + r"|did:plc:[a-z2-7]{24}",
        "a domain handle (name.bsky.social or your own domain) or a did:plc: identifier",
        "lakeviewpolice.bsky.social",
        lambda h: f"https://bsky.app/profile/{h}",
        lambda h: f"https://bsky.app/profile/{h}/rss",
        strip_at=True,
        report="https://bsky.social/about/support/community-guidelines",
    ),
    Platform(
        "flickr",
        "Flickr",
        r"[0-9]{5,12}@N[0-9]{2}|[A-Za-z0-9_-]{3,32}",
        "an NSID, which has a public feed, or a profile name",
        "12345678@N05",
        lambda h: f"https://www.flickr.com/photos/{h}/",
        _flickr_feed,
    ),
    Platform(
        "linkedin",
        "LinkedIn",
        r"[A-Za-z0-9-]{2,100}",
        "a company page name of letters, digits and hyphens (or give url: for a person)",
        "lakeview-police-service",
        lambda h: f"https://www.linkedin.com/company/{h}/",
        report="https://www.linkedin.com/help/linkedin/answer/a1338436",
    ),
    Platform(
        "reddit",
        "Reddit",
        r"u/[A-Za-z0-9_-]{3,20}",
        "u/ followed by the username",
        "u/LakeviewPolice",
        lambda h: f"https://www.reddit.com/user/{_reddit_user(h)}/",
        lambda h: f"https://www.reddit.com/user/{_reddit_user(h)}/.rss",
        report="https://www.reddit.com/report",
    ),
    Platform(
        "telegram",
        "Telegram",
        r"@?[A-Za-z0-9_]{5,32}",
        "5 to 32 letters, digits or underscores",
        "LakeviewPolice",
        lambda h: f"https://t.me/{h}",
        # The public web preview of a channel: HTML, read by hub.feeds.connectors.telegram.
        lambda h: f"https://t.me/s/{h}",
        page_feed=True,
        strip_at=True,
        report="https://telegram.org/faq#q-there-39s-illegal-content-on-telegram-how-do-i-take-it-down",
    ),
    Platform(
        "nixle",
        "Nixle",
        r"[A-Za-z0-9-]{2,80}",
        "the agency's page name, letters, digits, hyphens",
        "lakeview-police-service",
        lambda h: f"https://local.nixle.com/{h}/",
    ),
    Platform(
        "vimeo",
        "Vimeo",
        r"[A-Za-z0-9_]{2,64}",
        "2 to 64 letters, digits or underscores",
        "lakeviewpolice",
        lambda h: f"https://vimeo.com/{h}",
        lambda h: f"https://vimeo.com/{h}/videos/rss",
    ),
    Platform(
        "twitch",
        "Twitch",
        r"[A-Za-z0-9_]{4,25}",
        "4 to 25 letters, digits or underscores",
        "lakeviewpolice",
        lambda h: f"https://www.twitch.tv/{h}",
    ),
    Platform(
        "nextdoor",
        "Nextdoor",
        r"[A-Za-z0-9-]{2,80}",
        "the agency's page name, letters, digits, hyphens",
        "lakeview-police-service",
        lambda h: f"https://nextdoor.com/agency/{h}/",
    ),
    Platform(
        "website",
        "Website",
        None,
        "give url: instead of a handle",
        "https://www.lakeview.example/",
        lambda h: h,
        aliases=("web", "site"),
    ),
    Platform(
        "blog",
        "Blog",
        None,
        "give url: instead of a handle",
        "https://blog.lakeview.example/",
        lambda h: h,
    ),
)

BY_KEY: dict[str, Platform] = {p.key: p for p in PLATFORMS}
BY_NAME: dict[str, Platform] = {name: p for p in PLATFORMS for name in (p.key, *p.aliases)}
"""Every accepted spelling, aliases included."""


def get(name: str) -> Platform | None:
    """The platform for a key or alias, case-insensitively."""
    return BY_NAME.get(name.strip().lower())


def followable_feed(account: Account) -> str | None:
    """The account's feed URL where feed readers can follow it, else None.

    None for a local file, and for a platform page its reader reads (a
    Telegram channel's preview) rather than a feed.
    """
    feed = account.feed
    if feed is None or not feed.url or not feed.url.startswith(("https://", "http://")):
        return None
    platform = BY_KEY.get(account.platform)
    if platform is None or not platform.page_feed or account.handle is None:
        return feed.url
    return None if feed.url == platform.feed(account.handle) else feed.url


def opaque_handle(account: Account) -> bool:
    """Whether the account's handle is an id that means nothing to a reader.

    A YouTube channel id (``UC...``), a Flickr NSID (``148392017@N04``), a
    numeric Facebook page: the site shows the account's label, or the name
    its feed gives it, instead.
    """
    handle = account.handle
    if handle is None:
        return False
    if account.platform == "youtube":
        return not handle.startswith("@")
    if account.platform == "flickr":
        return "@N" in handle
    return account.platform == "facebook" and handle.isdigit()
