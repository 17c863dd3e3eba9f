"""The platform table: handle rules, profile URLs, feed URLs and aliases."""

from __future__ import annotations

import re

import pytest

from hub.model import Account, FeedRef
from hub.registry import platforms
from hub.registry.platforms import BY_KEY, PLATFORMS, Platform

# key: (a handle, its profile URL, its public feed URL or None)
KNOWN: dict[str, list[tuple[str, str, str | None]]] = {
    "x": [("LakeviewPS", "https://x.com/LakeviewPS", None)],
    "facebook": [
        ("LakeviewPoliceService", "https://www.facebook.com/LakeviewPoliceService", None),
        ("100064512345678", "https://www.facebook.com/100064512345678", None),
    ],
    "instagram": [("lakeview.police", "https://www.instagram.com/lakeview.police/", None)],
    "threads": [("lakeviewpolice", "https://www.threads.net/@lakeviewpolice", None)],
    "tiktok": [("lakeviewpolice", "https://www.tiktok.com/@lakeviewpolice", None)],
    "youtube": [
        (
            "UCPtYgjmUhBel31iEl2hpChY",
            "https://www.youtube.com/channel/UCPtYgjmUhBel31iEl2hpChY",
            "https://www.youtube.com/feeds/videos.xml?channel_id=UCPtYgjmUhBel31iEl2hpChY",
        ),
        # An @handle has no feed without an API lookup.
        ("@LakeviewPolice", "https://www.youtube.com/@LakeviewPolice", None),
    ],
    "mastodon": [
        (
            "lakeviewpolice@Police.Social",
            "https://police.social/@lakeviewpolice",
            "https://police.social/@lakeviewpolice.rss",
        ),
    ],
    "bluesky": [
        (
            "lakeviewpolice.bsky.social",
            "https://bsky.app/profile/lakeviewpolice.bsky.social",
            "https://bsky.app/profile/lakeviewpolice.bsky.social/rss",
        ),
        (
            "did:plc:abcdefghijklmnopqrstuvwx",
            "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx",
            "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/rss",
        ),
    ],
    "flickr": [
        (
            "12345678@N05",
            "https://www.flickr.com/photos/12345678@N05/",
            "https://www.flickr.com/services/feeds/photos_public.gne?id=12345678@N05&format=atom",
        ),
        # A path alias has no public feed: only an NSID does.
        ("lakeviewpolice", "https://www.flickr.com/photos/lakeviewpolice/", None),
    ],
    "linkedin": [
        ("lakeview-police", "https://www.linkedin.com/company/lakeview-police/", None),
    ],
    "reddit": [
        (
            "u/LakeviewPolice",
            "https://www.reddit.com/user/LakeviewPolice/",
            "https://www.reddit.com/user/LakeviewPolice/.rss",
        ),
    ],
    "telegram": [
        # A public channel's web preview, read as HTML (hub.feeds.connectors.telegram).
        (
            "LakeviewPoliceNews",
            "https://t.me/LakeviewPoliceNews",
            "https://t.me/s/LakeviewPoliceNews",
        ),
        (
            "@Lakeview_Police_5",
            "https://t.me/Lakeview_Police_5",
            "https://t.me/s/Lakeview_Police_5",
        ),
    ],
    "nixle": [("lakeview-police", "https://local.nixle.com/lakeview-police/", None)],
    "vimeo": [
        (
            "lakeviewpolice",
            "https://vimeo.com/lakeviewpolice",
            "https://vimeo.com/lakeviewpolice/videos/rss",
        ),
    ],
    "twitch": [("lakeviewpolice", "https://www.twitch.tv/lakeviewpolice", None)],
    "nextdoor": [("lakeview-police", "https://nextdoor.com/agency/lakeview-police/", None)],
    "website": [("https://www.lakeview.example/", "https://www.lakeview.example/", None)],
    "blog": [("https://blog.lakeview.example/", "https://blog.lakeview.example/", None)],
}

# key: handles the platform must refuse
INVALID: dict[str, list[str]] = {
    "x": ["LakeviewTrafficServices", "lakeview police", "lake-view", ""],
    "facebook": ["lpd", "lakeview_police", "https://www.facebook.com/LakeviewPolice"],
    "instagram": ["@@police", "lakeview police", "a" * 31],
    "threads": ["lakeview-police", "a" * 31],
    "tiktok": ["l", "lakeview police", "a" * 25],
    "youtube": ["LakeviewPolice", "UCshort", "https://www.youtube.com/c/LakeviewPolice"],
    "mastodon": ["@lakeviewpolice", "lakeviewpolice@localhost", "@a@b@police.social"],
    "bluesky": ["lakeview police", "localhost", "did:plc:short"],
    "flickr": ["lp", "12345678@N", "lakeview police"],
    "linkedin": ["l", "lakeview police", "lakeview_police"],
    "reddit": ["LakeviewPolice", "/u/LakeviewPolice", "u/lp"],
    "telegram": ["lkv", "lakeview-police"],
    "nixle": ["l", "lakeview police"],
    "vimeo": ["l", "lakeview-police"],
    "twitch": ["lpd", "lakeview-police"],
    "nextdoor": ["l", "lakeview police"],
}


def test_every_platform_is_tested() -> None:
    assert set(KNOWN) == set(BY_KEY)
    assert set(INVALID) == {p.key for p in PLATFORMS if not p.takes_url}


@pytest.mark.parametrize("platform", PLATFORMS, ids=lambda p: p.key)
def test_example_handle_is_valid(platform: Platform) -> None:
    assert platform.label
    assert platform.hint
    assert platform.icon
    if platform.takes_url:
        assert platform.pattern is None
        assert platform.example.startswith("https://")
    else:
        assert platform.is_valid(platform.example), platform.example
        assert platform.normalize(platform.example)


@pytest.mark.parametrize(
    ("key", "handle"),
    [(key, handle) for key, handles in INVALID.items() for handle in handles],
)
def test_invalid_handle_is_refused(key: str, handle: str) -> None:
    assert not BY_KEY[key].is_valid(handle)


@pytest.mark.parametrize(
    ("key", "handle", "profile", "feed"),
    [(key, *known) for key, rows in KNOWN.items() for known in rows],
)
def test_profile_and_feed(key: str, handle: str, profile: str, feed: str | None) -> None:
    platform = BY_KEY[key]
    if not platform.takes_url:
        assert platform.is_valid(handle)
    normalized = platform.normalize(handle)
    assert platform.profile(normalized) == profile
    assert platform.feed(normalized) == feed


@pytest.mark.parametrize(
    ("key", "written", "stored"),
    [
        ("x", "@LakeviewPS", "LakeviewPS"),
        ("instagram", "@lakeviewpolice", "lakeviewpolice"),
        ("threads", "@lakeviewpolice", "lakeviewpolice"),
        ("tiktok", "@lakeviewpolice", "lakeviewpolice"),
        ("telegram", "@LakeviewPoliceNews", "LakeviewPoliceNews"),
        ("bluesky", "@lakeview.example", "lakeview.example"),
        ("mastodon", "@lakeviewpolice@police.social", "lakeviewpolice@police.social"),
        ("x", "  LakeviewPS ", "LakeviewPS"),
        # On YouTube the @ is part of the handle.
        ("youtube", "@LakeviewPolice", "@LakeviewPolice"),
    ],
)
def test_at_is_stripped_where_documented(key: str, written: str, stored: str) -> None:
    platform = BY_KEY[key]
    assert platform.is_valid(written)
    assert platform.normalize(written) == stored


def test_the_same_account_written_two_ways_normalizes_alike() -> None:
    mastodon = BY_KEY["mastodon"]
    one = mastodon.normalize("@lakeviewpolice@police.social")
    other = mastodon.normalize("lakeviewpolice@police.social")
    assert one == other
    assert mastodon.profile(one) == mastodon.profile(other)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("twitter", "x"),
        ("Twitter", "x"),
        (" X ", "x"),
        ("fb", "facebook"),
        ("ig", "instagram"),
        ("web", "website"),
        ("site", "website"),
        ("mastodon", "mastodon"),
    ],
)
def test_aliases(name: str, key: str) -> None:
    platform = platforms.get(name)
    assert platform is not None
    assert platform.key == key


def test_unknown_platform() -> None:
    assert platforms.get("twiter") is None
    assert platforms.get("") is None


def test_names_are_unique_and_lowercase() -> None:
    names = [name for p in PLATFORMS for name in (p.key, *p.aliases)]
    assert len(names) == len(set(names))
    assert all(name == name.lower() for name in names)
    assert set(platforms.BY_NAME) == set(names)


@pytest.mark.parametrize("platform", [p for p in PLATFORMS if p.pattern], ids=lambda p: p.key)
def test_patterns_read_alike_in_python_and_json_schema(platform: Platform) -> None:
    # The editor schema is generated from these patterns (ECMA-262 regular
    # expressions): keep to the shared subset, with no Python-only syntax.
    assert platform.pattern is not None
    assert not re.search(r"\(\?[P<=!#aiLmsux]|\\[AZzdswb]", platform.pattern)


def test_a_telegram_preview_is_read_but_never_offered_as_a_feed() -> None:
    preview = "https://t.me/s/LakeviewPolice"
    channel = Account("telegram", "LakeviewPolice", "https://t.me/LakeviewPolice",
                      FeedRef(preview, url=preview), "unit:comms")  # fmt: skip
    assert platforms.followable_feed(channel) is None
    bridged = "https://bridge.lakeview.example/telegram.xml"
    own = Account("telegram", "LakeviewPolice", "https://t.me/LakeviewPolice",
                  FeedRef(bridged, url=bridged), "unit:comms")  # fmt: skip
    assert platforms.followable_feed(own) == bridged
    local = Account("mastodon", "a@b.example", "https://b.example/@a",
                    FeedRef("content/feeds/a.xml", path=None), "unit:comms")  # fmt: skip
    assert platforms.followable_feed(local) is None
