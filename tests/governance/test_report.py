"""The report assembled: the platforms asked (tokens against the local stand-in APIs,
profiles against the local Mastodon and Bluesky), or not, and every section made."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.feeds.holds import HostHold, host_key
from hub.governance import collect, wording
from hub.governance.accounts import account_rows
from hub.governance.model import SECTION_IDS, AccountRow, Stored
from hub.governance.report import Asked, ask_platforms, assemble, read_store
from hub.model import Registry
from hub.registry import load as registry_loader
from hub.store.database import STORE_NAME, Store
from tests.feeds.connectors import tokenanswers as answers
from tests.feeds.connectors.apiserver import TOKENS, ApiServer, FakeApis, sources_text
from tests.governance import world
from tests.governance.conftest import World
from tests.governance.socialapis import Answer, SocialApis, bluesky_profile

ACCOUNTS = [
    "{platform: facebook, handle: LakeviewPoliceService, token: HUB_TOKEN_FB_MAIN}",
    "{platform: x, handle: LakeviewPS, token: HUB_TOKEN_X_MAIN}",
    "{platform: bluesky, handle: lakeview.bsky.social, feed: content/b.xml}",
]


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    with ApiServer() as server, SocialApis() as social:
        fake = FakeApis(server, tmp_path, monkeypatch)
        monkeypatch.setenv("HUB_API_BASE_BLUESKY", social.url)
        social.bluesky["lakeview.bsky.social"] = Answer(
            200, bluesky_profile("lakeview.bsky.social", "https://connect.lakeview.example")
        )
        (tmp_path / "sources.yaml").write_text(sources_text(ACCOUNTS), encoding="utf-8")
        yield fake


def test_tokens_are_checked_with_their_platforms_and_profiles_asked(apis: FakeApis) -> None:
    now = datetime.now(UTC)
    soon = int((now + timedelta(days=10, hours=1)).timestamp())
    apis.route("facebook", "/debug_token", answers.debug_token(expires_at=soon))
    apis.route("x", "/users/me", answers.X_UNAUTHORIZED, status=401)
    registry = registry_loader.load(apis.folder / "sources.yaml").registry
    asked = ask_platforms(registry, offline=False)
    assert asked.tokens_skipped is None and asked.tokens is not None
    assert [check.status for check in asked.tokens] == ["valid", "refused"]
    assert [link.status for link in asked.backlinks or ()] == ["ok"]
    rows = world_rows(registry)
    section = collect.tokens(asked.tokens, rows, now, "UTC")
    assert [(f.code, f.account) for f in section.findings] == [
        ("token-refused", "x:lakeviewps"),
        ("token-expiring", "facebook:lakeviewpoliceservice"),
    ]
    assert section.findings[1].text.startswith("HUB_TOKEN_FB_MAIN: expires on ")
    assert section.findings[1].text.endswith("(in 10 days)")
    assert TOKENS["HUB_TOKEN_X_MAIN"] not in section.findings[0].text


def world_rows(registry: Registry) -> tuple[AccountRow, ...]:
    """The registry's accounts, with nothing stored about them."""
    return account_rows(registry, Stored({}, {}, ()))


def test_offline_asks_nobody(apis: FakeApis) -> None:
    registry = registry_loader.load(apis.folder / "sources.yaml").registry
    assert ask_platforms(registry, offline=True) == Asked(None, "--offline", None, "--offline")
    assert apis.server.requests == []


def test_tokens_are_not_checked_when_no_variable_is_set(
    apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in TOKENS:
        monkeypatch.delenv(name, raising=False)
    registry = registry_loader.load(apis.folder / "sources.yaml").registry
    asked = ask_platforms(registry, offline=False, environ=dict(os.environ))
    assert (asked.tokens, asked.tokens_skipped) == (None, wording.NO_TOKEN_SET)
    assert apis.server.requests == []


def test_a_registry_without_tokens_or_profiles_says_so(testbay: World) -> None:
    asked = ask_platforms(testbay.registry, offline=False, environ={"HUB_API_BASE_MASTODON": "x"})
    assert asked.tokens_skipped == wording.NO_TOKENS
    # Its Mastodon and Bluesky profiles are asked: here, of an address that is no URL.
    assert {link.status for link in asked.backlinks or ()} == {"unchecked"}


def test_every_section_in_order_from_the_store_and_the_clock(testbay: World) -> None:
    report = assemble(
        testbay.registry,
        testbay.curation,
        testbay.stored,
        Asked(None, wording.OFFLINE, None, wording.OFFLINE),
        now=world.NOW,
        sources="sources.yaml",
        offline=True,
    )
    assert tuple(section.id for section in report.sections) == SECTION_IDS
    assert (report.day, report.site_name, report.site_url) == (
        world.NOW.date(),
        "Test Bay Police",
        world.SITE,
    )
    counts = {section.id: len(section.findings) for section in report.sections}
    assert counts == {
        "review": 9,
        "quiet": 4,
        "failing": 2,
        "tokens": 0,
        "alt-text": 1,
        "backlinks": 0,
        "former": 1,
        "held": 1,
    }
    flags = report.flags()
    assert flags["website:https://testbay.example/"] == ("alt-missing", "held")
    assert flags["x:testbayyouth"] == ("untrained", "unowned")
    assert "website:https://jackwest.testbay.example/" not in flags


def test_the_hosts_held_in_the_store_are_read_and_reported(testbay: World, tmp_path: Path) -> None:
    traffic = testbay.row("website:https://traffic.testbay.example/").feed or ""
    copy = tmp_path / STORE_NAME
    shutil.copyfile(testbay.folder / "cache" / STORE_NAME, copy)
    hold = HostHold(
        host_key(traffic),
        world.NOW + timedelta(hours=1),
        503,
        "HTTP 503 Service Unavailable",
        world.NOW,
        traffic,
    )
    with Store.open(copy) as store:
        store.record_host_hold(hold)
        stored = read_store(store, world.NOW)
    assert stored.holds == {hold.host: hold}
    report = assemble(
        testbay.registry,
        testbay.curation,
        stored,
        Asked(None, wording.OFFLINE, None, wording.OFFLINE),
        now=world.NOW,
        sources="sources.yaml",
        offline=True,
    )
    [failing] = [section for section in report.sections if section.id == "failing"]
    held = {f.account for f in failing.findings if f.code == "feed-held"}
    # Every feed of the Test Bay world is on the one local server: all but the failing wait.
    assert "website:https://traffic.testbay.example/" in held
    assert len(held) == len([row for row in testbay.rows if row.feed]) - 2
    with Store.open(copy) as store:
        assert read_store(store, world.NOW + timedelta(hours=1)).holds == {}
