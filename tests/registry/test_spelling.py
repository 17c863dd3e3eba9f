"""How people write an account, reduced to keys (hub/registry/spelling.py).

The spellings of tests/spellings.py are checked here against the Python rules
and the demo registry; tests/test_verify.py holds verify.js to the same list.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.model import Account
from hub.outputs import accountsjson
from hub.registry import load, spelling
from hub.registry.platforms import PLATFORMS, Platform
from hub.site import model
from hub.site.content import load_content
from tests.spellings import SPELLINGS, Spelling

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> tuple[accountsjson.AccountRecord, ...]:
    reg = load.load(ROOT / "sources.yaml").registry
    content = load_content(reg.root / "content", reg.site.languages, display_root=reg.root)
    return accountsjson.records(model.directory(reg, content, NOW))


def test_there_are_enough_spellings_of_every_verdict() -> None:
    assert len(SPELLINGS) >= 20
    assert {case.verdict for case in SPELLINGS} == {"official", "former", "not_ours", "unknown"}


@pytest.mark.parametrize("case", SPELLINGS, ids=lambda case: case.text.strip() or "empty")
def test_each_spelling_gets_its_verdict(
    case: Spelling, demo: tuple[accountsjson.AccountRecord, ...]
) -> None:
    found = accountsjson.verdict(case.text, demo)
    assert found.kind == case.verdict
    assert {record.account.owner for record in found.matches} == case.owners


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("@LakeviewPS", "any:lakeviewps"),
        ("LAKEVIEWPS", "any:lakeviewps"),
        ("https://twitter.com/LakeviewPS", "x:lakeviewps"),
        ("http://www.x.com/LakeviewPS/", "x:lakeviewps"),
        ("mobile.x.com/LakeviewPS?ref_src=twsrc#x", "x:lakeviewps"),
        ("facebook.com/LakeviewPolice", "facebook:lakeviewpolice"),
        ("https://m.facebook.com/profile.php?id=100064512345678", "facebook:100064512345678"),
        ("fb.com/profile.php?ref=x&id=100064512345678", "facebook:100064512345678"),
        ("lakeviewpolice@police.social", "mastodon:lakeviewpolice@police.social"),
        ("@LakeviewPolice@Police.Social", "mastodon:lakeviewpolice@police.social"),
        ("police.social/@lakeviewpolice", "mastodon:lakeviewpolice@police.social"),
        ("https://police.social/@lakeviewpolice/11223344", "mastodon:lakeviewpolice@police.social"),
        ("https://police.social/users/lakeviewpolice", "mastodon:lakeviewpolice@police.social"),
        ("bsky.app/profile/lakeviewpolice.bsky.social", "bluesky:lakeviewpolice.bsky.social"),
        (
            "bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx",
            "bluesky:did:plc:abcdefghijklmnopqrstuvwx",
        ),
        ("youtube.com/@LakeviewPolice/videos", "youtube:@lakeviewpolice"),
        ("m.youtube.com/channel/UCq3Ci-h945sbEYXpVlw7rJg", "youtube:ucq3ci-h945sbeyxpvlw7rjg"),
        ("threads.com/@lakeviewpolice/post/C1x", "threads:lakeviewpolice"),
        ("tiktok.com/@lakeviewpolice/video/7300000000000000000", "tiktok:lakeviewpolice"),
        ("reddit.com/user/LakeviewPolice/", "reddit:u/lakeviewpolice"),
        ("/u/LakeviewPolice", "reddit:u/lakeviewpolice"),
        ("telegram.me/LakeviewPoliceNews", "telegram:lakeviewpolicenews"),
        ("linkedin.com/in/jane-doe-123", "linkedin:in/jane-doe-123"),
        ("flickr.com/people/12345678@N05", "flickr:12345678@n05"),
        ("local.nixle.com/lakeview-police/", "nixle:lakeview-police"),
        ("https://www.lakeview.example/", "url:lakeview.example"),
        ("@ Lakeview PS\u200b", "any:lakeviewps"),
    ],
)
def test_a_spelling_comes_to_its_key(written: str, key: str) -> None:
    assert spelling.keys(written)[0] == key


def test_an_address_on_another_site_names_it_and_every_folder_above() -> None:
    assert spelling.keys("lakeview.example/police/news/item?id=4#top") == [
        "url:lakeview.example/police/news/item",
        "url:lakeview.example/police/news",
        "url:lakeview.example/police",
        "url:lakeview.example",
    ]
    # An account's own address is itself only: a site's page is not the site's home.
    assert spelling.account_keys(None, "https://www.lakeview.example/police/news/") == [
        "url:lakeview.example/police/news"
    ]


@pytest.mark.parametrize(
    "written",
    [
        "",
        "   ",
        "x.com",
        "instagram.com/p/Cx1234abc",
        "facebook.com/groups/1234",
        "vm.tiktok.com/ZMabc/",
    ],
)
def test_what_names_no_account_has_no_key(written: str) -> None:
    assert spelling.keys(written) == []


def test_a_domain_handle_is_also_the_site_it_names() -> None:
    assert spelling.keys("lakeview.example") == ["any:lakeview.example", "url:lakeview.example"]
    assert spelling.keys("www.lakeview.example") == [
        "any:www.lakeview.example",
        "url:lakeview.example",
    ]


def _expected(platform: Platform) -> str:
    return f"{platform.key}:{platform.normalize(platform.example).lower()}"


@pytest.mark.parametrize("platform", [p for p in PLATFORMS if not p.takes_url], ids=lambda p: p.key)
def test_every_platforms_profile_address_comes_back_to_its_handle(platform: Platform) -> None:
    handle = platform.normalize(platform.example)
    url = platform.profile(handle)
    account = Account(platform.key, handle, url, None, "unit:comms")
    own = spelling.account_keys(account.handle, account.url)
    assert own[0] == _expected(platform), url
    # What a visitor pastes: the address, or the handle as people write it.
    assert spelling.keys(url) == [own[0]]
    assert "any:" + handle.lower().lstrip("@") in own


def test_every_demo_account_has_its_platforms_key(
    demo: tuple[accountsjson.AccountRecord, ...],
) -> None:
    for record in demo:
        account = record.account
        prefix = "url:" if account.handle is None else f"{account.platform}:"
        assert record.keys[0].startswith(prefix), (account.url, record.keys)
    platform_keys = [record.keys[0] for record in demo]
    assert len(platform_keys) == len(set(platform_keys)), "two accounts share a key"


def test_the_rules_are_json_in_the_shared_subset_of_regular_expressions() -> None:
    rules = json.loads(spelling.rules_json())
    assert rules["format"] == spelling.FORMAT
    patterns = [rules["scheme"], rules["handle"], rules["domain"], rules["space"]]
    patterns += [rule["path"] for rule in rules["paths"]]
    patterns += [rule["value"] for rule in rules["paths"] if rule["value"]]
    patterns += [rule["pattern"] for rule in rules["bare"]]
    for pattern in patterns:
        re.compile(pattern)
        # Nothing JavaScript reads otherwise: no lookbehind, named groups,
        # inline flags, \A, \Z, possessive or atomic groups.
        assert not re.search(r"\(\?[P<=!#aiLmsux>]|\\[AZz]|[*+?}][+]", pattern), pattern
        # Text is lower-cased first: an upper-case letter would never match.
        assert not re.search("[A-Z]", re.sub(r"\\.", "", pattern)), pattern
