"""Accounts read through their platform's API: ``token:``, ``site.api`` and ``api_interval``.

The registry keeps the NAME of the variable that holds a token, never its
value, and never repeats in a message a value that looks like a token.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.model import FeedRef, FetchSettings
from hub.problems import RegistryError
from hub.registry.load import Checked, loads
from hub.registry.tokens import glimpse, looks_like_secret

REPO = Path(__file__).resolve().parents[2]
SECRET = "EAAtesttokenLEAKCHECK1234"

HEAD = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en]
  contact: {emergency: "911"}
"""


def registry(accounts: str, site: str = "") -> str:
    return (
        HEAD
        + site
        + "units:\n  - id: comms\n    name: Communications\n    kind: office\n    accounts:\n"
        + "".join(f"      - {line}\n" for line in accounts.strip().splitlines())
    )


def load(tmp_path: Path, text: str) -> Checked:
    (tmp_path / "themes" / "default").mkdir(parents=True, exist_ok=True)
    return loads(text.encode(), tmp_path / "sources.yaml")


@pytest.fixture(autouse=True)
def _no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("HUB_"):
            monkeypatch.delenv(name)


def test_an_account_with_its_token_set_is_read_through_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_TOKEN_FB_MAIN", SECRET)
    checked = load(
        tmp_path,
        registry("{platform: facebook, handle: LakeviewPoliceService, token: HUB_TOKEN_FB_MAIN}"),
    )
    assert checked.warnings == ()
    (feed,) = checked.registry.feeds()
    assert feed == FeedRef("api:facebook:LakeviewPoliceService")
    assert feed.is_api and not feed.is_local
    assert (feed.platform, feed.profile, feed.token) == (
        "facebook",
        "https://www.facebook.com/LakeviewPoliceService",
        "HUB_TOKEN_FB_MAIN",
    )
    assert SECRET not in repr(checked.registry)


def test_an_unset_token_leaves_the_account_in_the_directory_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_TOKEN_IG", "   ")  # blank is not set
    checked = load(
        tmp_path,
        registry(
            "{platform: facebook, handle: LakeviewPoliceService, token: HUB_TOKEN_FB_MAIN}\n"
            "{platform: instagram, handle: lakeviewpolice, token: HUB_TOKEN_IG}"
        ),
    )
    assert checked.registry.feeds() == ()
    assert [(w.line, w.path, w.message) for w in checked.warnings] == [
        (
            11,
            "units[0].accounts[0].token",
            "HUB_TOKEN_FB_MAIN is not set: the account is directory-only until it is",
        ),
        (
            12,
            "units[0].accounts[1].token",
            "HUB_TOKEN_IG is not set: the account is directory-only until it is",
        ),
    ]


def test_hub_check_warns_of_an_unset_token_and_strict_fails(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    (tmp_path / "sources.yaml").write_text(
        registry("{platform: x, handle: LakeviewPS, token: HUB_TOKEN_X_MAIN}"), encoding="utf-8"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "GITHUB_"))}

    def check(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hub", "check", *args],
            cwd=tmp_path,
            env={**environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    lenient = check()
    assert lenient.returncode == 0, lenient.stderr
    assert (
        "sources.yaml:11:50: warning: units[0].accounts[0].token: HUB_TOKEN_X_MAIN is not set: "
        "the account is directory-only until it is"
    ) in lenient.stderr
    assert "0 feeds" in lenient.stdout
    assert check("--strict").returncode == 1
    # A pull-request check gets no secrets: it says so, and checks the file alone.
    review = check("--strict", "--without-secrets")
    assert review.returncode == 0, review.stderr
    assert "HUB_TOKEN_X_MAIN" not in review.stderr
    assert "1 feed" in review.stdout


def test_a_token_written_in_the_file_is_refused_without_repeating_it(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as raised:
        load(tmp_path, registry(f"{{platform: facebook, handle: LakeviewPolice, token: {SECRET}}}"))
    (problem,) = raised.value.problems
    assert problem.path == "units[0].accounts[0].token"
    assert 'this looks like a token itself (starting "EAA", 25 characters)' in problem.message
    assert "e.g. HUB_TOKEN_FB_MAIN" in problem.message
    assert SECRET not in problem.format() and SECRET[3:] not in problem.format()


@pytest.mark.parametrize(
    "value",
    [
        '"Bearer abcdefghijklmnop"',
        "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid",
        "act.example12345",
        "1234567|abcdefSECRET",
        "IGQWRPcz-secret_value",
        "AIzaSyLettersOnlyButAGoogleKeyPrefix_abc",
        "x" * 70,
    ],
)
def test_values_that_look_like_tokens(tmp_path: Path, value: str) -> None:
    with pytest.raises(RegistryError) as raised:
        load(tmp_path, registry(f"{{platform: x, handle: LakeviewPS, token: {value}}}"))
    (problem,) = raised.value.problems
    assert "looks like a token itself" in problem.message
    assert value.strip('"')[3:] not in problem.message


@pytest.mark.parametrize("value", ["hub_token", "12345", "true", "[A, B]", "AB"])
def test_other_values_are_not_names_and_are_not_repeated(tmp_path: Path, value: str) -> None:
    with pytest.raises(RegistryError) as raised:
        load(tmp_path, registry(f"{{platform: x, handle: LakeviewPS, token: {value}}}"))
    (problem,) = raised.value.problems
    assert problem.message.startswith("expected the NAME of an environment variable")
    assert value not in problem.message.removeprefix(
        "expected the NAME of an environment variable"
    ).replace("HUB_TOKEN_FB_MAIN", "")


def test_the_guesses_about_secrets() -> None:
    assert not looks_like_secret("HUB_TOKEN_FB_MAIN")
    assert looks_like_secret(SECRET)
    assert glimpse(SECRET) == 'starting "EAA", 25 characters'


def test_token_with_feed_is_unused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_TOKEN_FB_MAIN", SECRET)
    (tmp_path / "answer.json").write_text('{"data": []}')
    checked = load(
        tmp_path,
        registry(
            "{platform: facebook, handle: LakeviewPolice, feed: answer.json, "
            "token: HUB_TOKEN_FB_MAIN}"
        ),
    )
    (feed,) = checked.registry.feeds()
    assert feed.source == "answer.json" and feed.token is None
    assert [w.message for w in checked.warnings] == [
        "token: is not used when feed: is given: remove one"
    ]


def test_an_x_bearer_token_in_site_api_reads_every_x_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = "  api: {x_bearer_token: HUB_X_BEARER_TOKEN}\n"
    accounts = (
        "{platform: x, handle: LakeviewPS}\n"
        "{platform: x, handle: SPLakeview, token: HUB_TOKEN_X_FR}\n"
        "{platform: twitter, handle: '@LakeviewTraffic', feed: https://nitter.example/t/rss}\n"
        "{platform: facebook, handle: LakeviewPolice}"
    )
    unset = load(tmp_path, registry(accounts, site))
    assert [f.source for f in unset.registry.feeds()] == ["https://nitter.example/t/rss"]
    assert [w.path for w in unset.warnings] == [
        "site.api.x_bearer_token",
        "units[0].accounts[1].token",
    ]
    assert unset.registry.site.api == {"x_bearer_token": "HUB_X_BEARER_TOKEN"}
    monkeypatch.setenv("HUB_X_BEARER_TOKEN", "AAAAbearer")
    monkeypatch.setenv("HUB_TOKEN_X_FR", "user-token")
    feeds = load(tmp_path, registry(accounts, site)).registry.feeds()
    assert [(f.source, f.token) for f in feeds] == [
        ("api:x:LakeviewPS", "HUB_X_BEARER_TOKEN"),
        ("api:x:SPLakeview", "HUB_TOKEN_X_FR"),
        ("https://nitter.example/t/rss", None),
    ]


YOUTUBE = (
    "{platform: youtube, handle: '@LakeviewPolice'}\n"
    "{platform: youtube, handle: UCq3Ci-h945sbEYXpVlw7rJg}\n"
    "{platform: youtube, handle: '@LakeviewTraffic', feed: content/traffic.xml}"
)
YOUTUBE_KEY = "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"


def test_a_youtube_key_in_site_api_feeds_the_handles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = "  api: {youtube_key: HUB_YOUTUBE_KEY}\n"
    channel = "https://www.youtube.com/feeds/videos.xml?channel_id=UCq3Ci-h945sbEYXpVlw7rJg"
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "traffic.xml").write_bytes(b"<rss/>")
    unset = load(tmp_path, registry(YOUTUBE, site))
    # Until the variable is set, an @handle is in the directory only, as without a key.
    assert [f.source for f in unset.registry.feeds()] == [channel, "content/traffic.xml"]
    assert [(w.line, w.path, w.message) for w in unset.warnings] == [
        (
            6,
            "site.api.youtube_key",
            "HUB_YOUTUBE_KEY is not set: YouTube accounts listed by @handle without feed: "
            "are directory-only until it is",
        ),
    ]
    assert unset.registry.site.api == {"youtube_key": "HUB_YOUTUBE_KEY"}
    monkeypatch.setenv("HUB_YOUTUBE_KEY", YOUTUBE_KEY)
    checked = load(tmp_path, registry(YOUTUBE, site))
    handle, *others = checked.registry.feeds()
    assert handle == FeedRef("api:youtube:@LakeviewPolice")
    assert (handle.platform, handle.profile, handle.token) == (
        "youtube",
        "https://www.youtube.com/@LakeviewPolice",
        "HUB_YOUTUBE_KEY",
    )
    assert handle.is_api and handle.url is None
    assert [(f.source, f.token) for f in others] == [
        (channel, None),
        ("content/traffic.xml", None),
    ]
    assert YOUTUBE_KEY not in repr(checked.registry)


def test_without_a_youtube_key_a_handle_stays_in_the_directory(tmp_path: Path) -> None:
    checked = load(tmp_path, registry("{platform: youtube, handle: '@LakeviewPolice'}"))
    assert checked.registry.feeds() == () and checked.warnings == ()


def test_a_youtube_key_written_in_the_file_is_refused_without_repeating_it(
    tmp_path: Path,
) -> None:
    site = f"  api: {{youtube_key: {YOUTUBE_KEY}}}\n"
    with pytest.raises(RegistryError) as raised:
        load(tmp_path, registry("{platform: youtube, handle: '@LakeviewPolice'}", site))
    (problem,) = raised.value.problems
    assert problem.path == "site.api.youtube_key"
    assert 'this looks like a token itself (starting "AIz", 39 characters)' in problem.message
    assert "e.g. HUB_YOUTUBE_KEY" in problem.message
    assert YOUTUBE_KEY[3:] not in problem.format()


def test_hub_check_warns_of_an_unset_youtube_key(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    (tmp_path / "sources.yaml").write_text(
        registry(
            "{platform: youtube, handle: '@LakeviewPolice'}",
            "  api: {youtube_key: HUB_YOUTUBE_KEY}\n",
        ),
        encoding="utf-8",
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "GITHUB_"))}
    checked = subprocess.run(
        [sys.executable, "-m", "hub", "check"],
        cwd=tmp_path,
        env={**environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert (
        "sources.yaml:6:22: warning: site.api.youtube_key: HUB_YOUTUBE_KEY is not set: "
        "YouTube accounts listed by @handle without feed: are directory-only until it is"
    ) in checked.stderr
    assert "0 feeds" in checked.stdout


def test_an_api_account_needs_a_handle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_TOKEN_FB_MAIN", SECRET)
    with pytest.raises(RegistryError) as raised:
        load(
            tmp_path,
            registry(
                "{platform: facebook, url: 'https://www.facebook.com/x', token: HUB_TOKEN_FB_MAIN}"
            ),
        )
    assert [p.message for p in raised.value.problems] == [
        "an account read through its API needs handle:"
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("", {}),
        ("  fetch: {api_interval: 30}\n", {"*": 30.0}),
        ("  fetch: {api_interval: {x: 120, facebook: 5.5}}\n", {"x": 120.0, "facebook": 5.5}),
    ],
)
def test_api_interval(tmp_path: Path, written: str, expected: dict[str, float]) -> None:
    settings = load(
        tmp_path, registry("{platform: x, handle: LakeviewPS}", written)
    ).registry.site.fetch
    assert settings.api_interval == expected
    assert settings == FetchSettings(api_interval=expected)


def test_minutes_between_reads() -> None:
    assert FetchSettings().minutes_between_reads("x") == 60
    assert FetchSettings().minutes_between_reads("facebook") == 15
    everything = FetchSettings(api_interval={"*": 5})
    assert everything.minutes_between_reads("x") == 5
    both = FetchSettings(api_interval={"*": 5, "x": 90})
    assert (both.minutes_between_reads("x"), both.minutes_between_reads("tiktok")) == (90, 5)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("{api_interval: -1}", "expected a value from 0 to 10080, got -1"),
        ("{api_interval: fast}", "expected minutes, or minutes per platform such as {x: 60"),
        ("{api_interval: {x: soon}}", "expected a number"),
    ],
)
def test_api_interval_mistakes(tmp_path: Path, written: str, message: str) -> None:
    with pytest.raises(RegistryError) as raised:
        load(tmp_path, registry("{platform: x, handle: LakeviewPS}", f"  fetch: {written}\n"))
    assert [message in p.message for p in raised.value.problems] == [True]
