"""``hub fetch --only``: one account's feed (or a unit's, an officer's) into the store, and
nothing else asked for; a name that matches nothing says what is near and fetches nothing.

The real command against a real local feed server: the server's log says which
feeds were asked for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.cli import selection
from hub.problems import HubError
from hub.registry import load
from tests.cli.hubsite import HubSite
from tests.feedserver import FeedServer


@pytest.fixture
def site(tmp_path: Path, feed_server: FeedServer) -> HubSite:
    return HubSite(tmp_path, feed_server)


def asked(site: HubSite) -> list[str]:
    return sorted({request.path for request in site.server.requests})


def report(site: HubSite) -> dict[str, object]:
    return dict(json.loads((site.root / ".hub-cache" / "report.json").read_text("utf-8")))


@pytest.mark.parametrize(
    ("only", "paths"),
    [("Mastodon:@Ada@Social.Test-Bay.Example", ["/ada.xml"]), ("marine", ["/marine.xml"])],
)
def test_only_fetches_what_it_names(site: HubSite, only: str, paths: list[str]) -> None:
    ran = site.hub("fetch", "--only", only)
    assert ran.code == 0, ran.stderr
    assert asked(site) == paths
    assert f"fetch: {len(paths)} feed" in ran.stderr
    feeds = report(site)["feeds"]
    assert isinstance(feeds, dict) and feeds["total"] == len(paths)


@pytest.mark.parametrize(
    ("only", "paths"),
    [
        ("mastodon:ada@social.test-bay.example", ["/ada.xml"]),
        ("Mastodon:@Ada@Social.Test-Bay.Example", ["/ada.xml"]),
        ("blog:https://marine.example/", ["/marine.xml"]),
        ("marine", ["/marine.xml"]),
        ("traffic", ["/traffic.xml"]),
        ("unit:traffic", ["/traffic.xml"]),
        ("officer:ada-fenwick", ["/ada.xml"]),
        ("ada-fenwick", ["/ada.xml"]),
    ],
)
def test_what_a_name_selects(site: HubSite, only: str, paths: list[str]) -> None:
    reg = load.load(site.root / "sources.yaml").registry
    chosen = selection.select(reg, only)
    assert [feed.url for feed in chosen.feeds()] == [site.server.url(p) for p in paths]
    # The registry keeps its shape: every unit and officer, fewer accounts.
    assert [unit.id for unit in chosen.units] == [unit.id for unit in reg.units]
    assert chosen.site == reg.site


def test_the_other_feeds_keep_what_the_store_holds(site: HubSite) -> None:
    assert site.hub("fetch").code == 0
    site.server.route("/traffic.xml", status=500, body=b"down")
    ran = site.hub("fetch", "--only", "ada-fenwick", "-v")
    assert ran.code == 0, ran.stderr
    # Only Ada's feed was asked again; traffic's outage was never seen.
    assert "/traffic.xml" not in ran.stderr
    assert site.server.requests[-1].path == "/ada.xml"
    built = site.hub("build", "--offline")
    assert built.code == 0, built.stderr
    home = (site.root / "public" / "en" / "index.html").read_text("utf-8")
    for name in ("traffic", "marine", "ada"):
        assert f"{name} notice 0" in home


@pytest.mark.parametrize(
    ("only", "said"),
    [
        (
            "mastodon:ada@social.test-bay.exampel",
            '(did you mean "mastodon:ada@social.test-bay.example"?)',
        ),
        ("trafic", '(did you mean "traffic"?)'),
        ("ada-fenwik", '(did you mean "ada-fenwick"?)'),
        ("unit:ada-fenwick", "no account, unit or officer of that name in sources.yaml"),
        ("nobody", "no account, unit or officer of that name in sources.yaml"),
    ],
)
def test_what_an_unknown_name_says(site: HubSite, only: str, said: str) -> None:
    reg = load.load(site.root / "sources.yaml").registry
    with pytest.raises(HubError) as raised:
        selection.select(reg, only)
    assert str(raised.value).startswith(f"--only {only}: ")
    assert said in str(raised.value)


def test_an_unknown_name_is_an_error_that_fetches_nothing(site: HubSite) -> None:
    ran = site.hub("fetch", "--only", "trafic")
    assert ran.code == 1
    assert ran.stderr.splitlines()[-1] == (
        "error: --only trafic: no account, unit or officer of that name in sources.yaml "
        '(did you mean "traffic"?)'
    )
    assert "Traceback" not in ran.stderr
    assert site.server.requests == []
    assert not (site.root / ".hub-cache").exists()


def test_an_account_without_a_feed_is_an_error(site: HubSite) -> None:
    ran = site.hub("fetch", "--only", "linkedin:test-bay-traffic")
    assert ran.code == 1
    assert "the account linkedin:test-bay-traffic has no feed to fetch" in ran.stderr
    assert site.server.requests == []


def test_a_shared_id_asks_which(tmp_path: Path, feed_server: FeedServer) -> None:
    HubSite(tmp_path, feed_server)
    text = (tmp_path / "sources.yaml").read_text("utf-8")
    text = text.replace("  - id: marine\n", "  - id: ada-fenwick\n")
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    reg = load.load(tmp_path / "sources.yaml").registry
    with pytest.raises(HubError, match="write unit:ada-fenwick or officer:ada-fenwick"):
        selection.select(reg, "ada-fenwick")
    chosen = selection.select(reg, "officer:ada-fenwick")
    assert [feed.url for feed in chosen.feeds()] == [feed_server.url("/ada.xml")]
    assert [unit.id for unit in chosen.units] == [unit.id for unit in reg.units]


def test_an_account_with_a_label_is_selected_and_fetched(site: HubSite) -> None:
    # A label is a mapping of languages: such an account cannot be hashed.
    sources = site.root / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    labelled = text.replace(
        'url: "https://marine.example/",',
        'url: "https://marine.example/", label: {en: Marine news},',
    )
    assert labelled != text
    sources.write_text(labelled, encoding="utf-8")
    ran = site.hub("fetch", "--only", "marine")
    assert ran.code == 0, ran.stderr
    assert asked(site) == ["/marine.xml"]
    reg = load.load(sources).registry
    kept, left = selection.within_reach(reg, {})
    assert left == 0 and [a.key for a in kept.accounts()] == [a.key for a in reg.accounts()]
