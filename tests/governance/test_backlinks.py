"""Whether a Mastodon or Bluesky profile links back to the site, asked of a local server
answering in Mastodon's and Bluesky's documented shapes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping

import pytest

from hub.governance.backlinks import Backlink, SiteAddress, check_backlinks
from hub.model import Account, Contact, FetchSettings, Site, Text
from tests.governance.socialapis import (
    BLUESKY,
    MASTODON,
    Answer,
    SocialApis,
    bluesky_profile,
    field_,
    mastodon_account,
)

SITE = Site(
    name=Text.plain("Test Bay Police"),
    url="https://connect.testbay.example/",
    languages=("en",),
    contact=Contact("911"),
    fetch=FetchSettings(connect_timeout=1, read_timeout=1, total_timeout=1),
)
HERE = SiteAddress.of(SITE.url)


def account(platform: str, handle: str) -> Account:
    return Account(platform, handle, f"https://example.test/{handle}", None, "unit:comms")


@pytest.fixture
def apis() -> Iterator[SocialApis]:
    with SocialApis() as server:
        yield server


def check(accounts: list[Account], apis: SocialApis, **environ: str) -> dict[str, Backlink]:
    bases: Mapping[str, str] = {
        "HUB_API_BASE_MASTODON": apis.url,
        "HUB_API_BASE_BLUESKY": apis.url,
        **environ,
    }
    found = asyncio.run(
        check_backlinks(accounts, SITE, user_agent="police-social-hub/test", environ=bases)
    )
    return {result.account: result for result in found}


def test_the_site_address_a_profile_must_name() -> None:
    assert SiteAddress("connect.testbay.example", "/") == HERE
    assert HERE.links_to("https://connect.testbay.example/en/units/comms/")
    assert HERE.links_to("http://www.connect.testbay.example")
    assert not HERE.links_to("https://connect.testbay.example.evil.test/")
    assert not HERE.links_to("https://evilconnect.testbay.example/")
    assert not HERE.links_to("javascript:alert(1)")
    assert HERE.named_in("Official. connect.testbay.example.")
    assert HERE.named_in("See https://www.connect.testbay.example/en/")
    assert not HERE.named_in("connect.testbay.example.evil.test")
    assert not HERE.named_in("notconnect.testbay.example")
    assert HERE.owns_handle("connect.testbay.example")
    assert HERE.owns_handle("traffic.connect.testbay.example")
    assert not HERE.owns_handle("connect.testbay.example.bsky.social")
    under = SiteAddress.of("https://police.example/hub")
    assert under.links_to("https://police.example/hub/en/")
    assert not under.links_to("https://police.example/other/")


def test_mastodon_verified_unverified_and_missing(apis: SocialApis) -> None:
    site = "https://connect.testbay.example/en/units/comms/"
    apis.mastodon.update(
        {
            "ok@social.test": Answer(200, mastodon_account("ok@social.test", [field_(site, True)])),
            "new@social.test": Answer(
                200, mastodon_account("new@social.test", [field_(site, False)])
            ),
            "none@social.test": Answer(
                200,
                mastodon_account(
                    "none@social.test", [field_("https://elsewhere.example/", True, "Blog")]
                ),
            ),
        }
    )
    found = check(
        [account("mastodon", h) for h in ("ok@social.test", "new@social.test", "none@social.test")],
        apis,
    )
    assert found["mastodon:ok@social.test"] == Backlink(
        "mastodon:ok@social.test", "ok", profile="https://social.test/@ok"
    )
    assert found["mastodon:new@social.test"].status == "unverified"
    assert found["mastodon:new@social.test"].detail == site
    assert found["mastodon:none@social.test"].status == "missing"
    # Every look-up went to the one given server, with the whole address, and no token.
    asked = sorted(r.query["acct"] for r in apis.requests if r.path == MASTODON)
    assert asked == ["new@social.test", "none@social.test", "ok@social.test"]
    assert all("authorization" not in r.headers for r in apis.requests)
    assert {r.headers["user-agent"] for r in apis.requests} == {"police-social-hub/test"}


def test_bluesky_description_website_or_handle_under_the_site(apis: SocialApis) -> None:
    apis.bluesky.update(
        {
            "said.bsky.social": Answer(
                200, bluesky_profile("said.bsky.social", "News: https://connect.testbay.example")
            ),
            "traffic.connect.testbay.example": Answer(
                200, bluesky_profile("traffic.connect.testbay.example")
            ),
            "web.bsky.social": Answer(
                200,
                bluesky_profile("web.bsky.social", website="https://connect.testbay.example/en/"),
            ),
            "quiet.bsky.social": Answer(200, bluesky_profile("quiet.bsky.social", "Police news.")),
        }
    )
    handles = ("said.bsky.social", "traffic.connect.testbay.example", "web.bsky.social")
    found = check([account("bluesky", h) for h in (*handles, "quiet.bsky.social")], apis)
    assert [found[f"bluesky:{h}"].status for h in handles] == ["ok", "ok", "ok"]
    quiet = found["bluesky:quiet.bsky.social"]
    assert (quiet.status, quiet.profile) == (
        "missing",
        "https://bsky.app/profile/quiet.bsky.social",
    )
    assert {r.path for r in apis.requests} == {BLUESKY}


def test_a_failed_look_up_is_that_accounts_could_not_check(apis: SocialApis) -> None:
    good = mastodon_account("ok@social.test", [field_("https://connect.testbay.example/", True)])
    apis.mastodon.update(
        {
            "ok@social.test": Answer(200, good),
            "down@social.test": Answer(503, {"error": "Service Unavailable"}),
            "odd@social.test": Answer(200, b"<html>not json</html>"),
            "slow@social.test": Answer(200, good, delay=3),
        }
    )
    handles = ("ok", "down", "odd", "slow", "gone")
    found = check([account("mastodon", f"{h}@social.test") for h in handles], apis)
    status = {h: found[f"mastodon:{h}@social.test"] for h in handles}
    assert status["ok"].status == "ok"
    assert (status["down"].status, status["down"].detail) == (
        "unchecked",
        "HTTP 503: Service Unavailable",
    )
    assert (status["odd"].status, status["odd"].detail) == (
        "unchecked",
        "the answer is not a JSON object",
    )
    assert status["slow"].status == "unchecked"
    assert status["slow"].detail.startswith("timed out after 1 s")
    assert status["gone"].detail == (
        "the instance knows no account gone@social.test (HTTP 404): check the handle"
    )
    unknown = check([account("bluesky", "nobody.bsky.social")], apis)
    assert unknown["bluesky:nobody.bsky.social"].detail == "HTTP 400: Profile not found"


def test_without_a_given_base_each_instance_is_asked_under_the_address_rule(
    apis: SocialApis,
) -> None:
    apis.bluesky["said.bsky.social"] = Answer(
        200, bluesky_profile("said.bsky.social", "connect.testbay.example")
    )
    accounts = [account("mastodon", "user@social.invalid"), account("bluesky", "said.bsky.social")]
    found = check(accounts, apis, HUB_API_BASE_MASTODON="")
    # The instance's name never resolves; the other account is checked all the same.
    assert found["mastodon:user@social.invalid"].status == "unchecked"
    assert found["bluesky:said.bsky.social"].status == "ok"
    assert [r.path for r in apis.requests] == [BLUESKY]


def test_a_base_that_is_no_url_is_said(apis: SocialApis) -> None:
    found = check([account("mastodon", "a@social.test")], apis, HUB_API_BASE_MASTODON="ftp://x")
    assert found["mastodon:a@social.test"] == Backlink(
        "mastodon:a@social.test",
        "unchecked",
        "HUB_API_BASE_MASTODON is not an http(s) URL such as https://mastodon.example",
    )
    assert apis.requests == []


def test_only_mastodon_and_bluesky_accounts_are_asked(apis: SocialApis) -> None:
    assert check([account("x", "TestBayPolice")], apis) == {}
    assert apis.requests == []
