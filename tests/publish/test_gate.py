"""The publish gate: the manifest, the rules and their thresholds, and finding the baseline.

The rules are pure and tested with numbers; the baseline is read from real
files and from a real local HTTP server.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub import pipeline
from hub.feeds import published
from hub.model import Contact, Entry, FetchSettings, PublishSettings, Site, Text
from hub.problems import RegistryError
from hub.publish import baseline, gate
from hub.publish.gate import Manifest, decide
from hub.registry import load as registry
from hub.site import model as site
from hub.site.content import Content
from tests.feedserver import FeedServer

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DEFAULTS = PublishSettings()


def manifest(posts: int = 100, profiles: int = 50, feeds: int = 20, **more: int) -> Manifest:
    return Manifest(
        profiles=profiles,
        units=more.get("units", profiles // 2),
        officers=more.get("officers", profiles - profiles // 2),
        accounts=more.get("accounts", 2 * profiles),
        feeds=more.get("all_feeds", feeds),
        feeds_with_entries=feeds,
        posts=posts,
        newest_post=NOW,
    )


# -- the rules --------------------------------------------------------------------------


def test_no_baseline_publishes() -> None:
    decision = decide(manifest(posts=0, profiles=1, feeds=0), None, DEFAULTS)
    assert decision.publish
    assert decision.verdict == "no_baseline"
    assert decision.checks == ()


def test_the_same_site_passes() -> None:
    decision = decide(manifest(), manifest(), DEFAULTS, baseline_from="public/hub-manifest.json")
    assert decision.verdict == "passed"
    assert decision.publish
    assert [c.setting for c in decision.checks] == [
        "min_entries_ratio",
        "min_profiles_ratio",
        "min_feeds_ratio",
    ]
    assert decision.failed == ()
    assert decision.baseline_from == "public/hub-manifest.json"


@pytest.mark.parametrize(
    ("new", "baseline", "threshold", "passes"),
    [
        (50, 100, 0.5, True),  # exactly the share passes
        (49, 100, 0.5, False),
        (5, 10, 0.5, True),
        (4, 10, 0.5, False),
        (7, 10, 0.7, True),  # 0.7 * 10 is 7.000000000000001 in floating point
        (6, 10, 0.7, False),
        (8, 10, 0.8, True),
        (7, 10, 0.8, False),
        (1, 3, 0.33, True),
        (29, 100, 0.3, False),
        (1, 1, 1.0, True),
        (0, 1, 0.01, False),
        (0, 0, 0.5, True),  # nothing published: nothing to lose
        (500, 100, 0.5, True),  # growth always passes
    ],
)
def test_threshold_boundaries(new: int, baseline: int, threshold: float, passes: bool) -> None:
    settings = PublishSettings(
        min_entries_ratio=threshold, min_profiles_ratio=threshold, min_feeds_ratio=threshold
    )
    for field in ("posts", "profiles", "feeds"):
        numbers = {"posts": 100, "profiles": 100, "feeds": 100}
        before = manifest(**{**numbers, field: baseline})
        after = manifest(**{**numbers, field: new})
        decision = decide(after, before, settings)
        assert decision.publish is passes, (field, new, baseline, threshold)
        assert len(decision.failed) == (0 if passes else 1)


def test_each_rule_refuses_on_its_own() -> None:
    baseline = manifest(posts=100, profiles=50, feeds=20)
    cases = {
        "min_entries_ratio": manifest(posts=49, profiles=50, feeds=20),
        "min_profiles_ratio": manifest(posts=100, profiles=39, feeds=20),
        "min_feeds_ratio": manifest(posts=100, profiles=50, feeds=9),
    }
    for setting, new in cases.items():
        decision = decide(new, baseline, DEFAULTS)
        assert decision.verdict == "refused"
        assert not decision.publish
        assert [c.setting for c in decision.failed] == [setting]


def test_default_thresholds() -> None:
    shares = (DEFAULTS.min_entries_ratio, DEFAULTS.min_profiles_ratio, DEFAULTS.min_feeds_ratio)
    assert shares == (0.5, 0.8, 0.5)
    baseline = manifest(posts=100, profiles=50, feeds=20)
    assert decide(manifest(posts=50, profiles=40, feeds=10), baseline, DEFAULTS).publish
    assert not decide(manifest(posts=50, profiles=39, feeds=10), baseline, DEFAULTS).publish


def test_a_threshold_of_zero_turns_its_check_off() -> None:
    settings = PublishSettings(min_entries_ratio=0, min_profiles_ratio=0.8, min_feeds_ratio=0)
    decision = decide(manifest(posts=0, feeds=0), manifest(), settings)
    assert decision.publish
    assert [c.setting for c in decision.checks] == ["min_profiles_ratio"]


def test_force_publishes_and_keeps_the_failed_checks() -> None:
    decision = decide(manifest(posts=1, feeds=1), manifest(), DEFAULTS, force=True)
    assert decision.verdict == "forced"
    assert decision.publish
    assert [c.setting for c in decision.failed] == ["min_entries_ratio", "min_feeds_ratio"]


def test_force_does_not_change_a_passing_verdict() -> None:
    assert decide(manifest(), manifest(), DEFAULTS, force=True).verdict == "passed"
    assert decide(manifest(), None, DEFAULTS, force=True).verdict == "no_baseline"


def test_the_refusal_names_each_number_threshold_and_what_to_do() -> None:
    decision = decide(
        manifest(posts=3, profiles=50, feeds=1),
        manifest(posts=120, profiles=50, feeds=20),
        DEFAULTS,
        baseline_from="https://connect.example/hub-manifest.json",
    )
    message = gate.refusal_message(decision, "public/")
    assert "https://connect.example/hub-manifest.json" in message
    assert "posts: 3 now, 120 published (2%); site.publish.min_entries_ratio" in message
    assert "at least 50%" in message
    assert "feeds with posts: 1 now, 20 published (5%); site.publish.min_feeds_ratio" in message
    assert "units and officers" not in message  # that check passed
    assert "public/ is left exactly as it was" in message
    assert "run again when the feeds answer" in message
    assert "--force" in message


@pytest.mark.parametrize(
    ("new", "baseline", "threshold", "shown"),
    [
        (99, 199, 0.5, "(49%); site.publish.min_entries_ratio asks for at least 50%"),
        (1, 3, 0.34, "(33%); site.publish.min_entries_ratio asks for at least 34%"),
        (32, 100, 0.333, "(32%); site.publish.min_entries_ratio asks for at least 33.3%"),
        (28, 100, 0.29, "(28%); site.publish.min_entries_ratio asks for at least 29%"),
    ],
)
def test_a_refused_share_never_reads_as_enough(
    new: int, baseline: int, threshold: float, shown: str
) -> None:
    settings = PublishSettings(min_entries_ratio=threshold)
    (check,) = decide(manifest(posts=new), manifest(posts=baseline), settings).failed
    assert check.describe().endswith(shown)


def test_a_shrunken_registry_gets_registry_advice() -> None:
    decision = decide(manifest(profiles=10), manifest(profiles=50), DEFAULTS)
    message = gate.refusal_message(decision, "public/")
    assert "units and officers: 10 now, 50 published (20%)" in message
    assert "removed from sources.yaml on purpose" in message
    assert "--force" in message


# -- the manifest -----------------------------------------------------------------------


def test_the_manifest_is_deterministic_json_without_a_build_time() -> None:
    text = manifest().to_json()
    assert text == manifest().to_json()
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["format"] == gate.MANIFEST_FORMAT
    assert data["newest_post"] == "2026-11-22T12:00:00Z"
    assert set(data) == {
        "format",
        "profiles",
        "units",
        "officers",
        "accounts",
        "feeds",
        "feeds_with_entries",
        "posts",
        "newest_post",
    }
    assert text.endswith("}\n")


def test_the_manifest_reads_back() -> None:
    original = manifest(posts=7, profiles=3, feeds=2)
    assert Manifest.from_json(original.to_json()) == original
    empty = Manifest(0, 0, 0, 0, 0, 0, 0, None)
    assert Manifest.from_json(empty.to_json()) == empty


def test_a_newer_manifest_with_more_fields_still_reads() -> None:
    data = json.loads(manifest().to_json())
    data.update(format=2, alerts=4)
    assert Manifest.from_json(json.dumps(data)).posts == 100


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "not json",
        '{"posts": 1}',
        json.dumps({**json.loads(manifest().to_json()), "posts": -1}),
        json.dumps({**json.loads(manifest().to_json()), "posts": True}),
        json.dumps({**json.loads(manifest().to_json()), "profiles": "50"}),
    ],
)
def test_what_is_not_a_manifest_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Manifest.from_json(text)


REGISTRY = """\
site:
  name: Test Bay Police
  url: https://connect.testbay.example
  languages: [en]
  contact: {emergency: "911"}
units:
  - id: comms
    name: Communications
    kind: office
    accounts:
      - {platform: website, url: "https://testbay.example/news", feed: "https://testbay.example/news.xml"}
      - {platform: x, handle: TestBayPolice}
  - {id: traffic, name: Traffic, kind: unit}
officers:
  - name: Ada Fenwick
    unit: traffic
    accounts:
      - {platform: website, url: "https://ada.example/", feed: "https://ada.example/feed.xml"}
      - {platform: website, url: "https://ada.example/old", feed: "https://ada.example/old.xml"}
"""


def test_the_manifest_counts_what_the_site_shows(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    path = tmp_path / "sources.yaml"
    path.write_text(REGISTRY)
    reg = registry.load(path).registry
    entries = [
        Entry("https://testbay.example/news.xml", "a", "Road closed", published=NOW),
        Entry("https://testbay.example/news.xml", "b", "Safety week", published=NOW - timedelta(1)),
        Entry("https://ada.example/feed.xml", "c", "Hello", published=NOW - timedelta(2)),
        Entry("https://gone.example/feed.xml", "d", "Not in the registry", published=NOW),
    ]
    model = site.build(reg, entries[:3], Content(), NOW)
    found = gate.manifest_of(model, entries)
    assert found == Manifest(
        profiles=3,
        units=2,
        officers=1,
        accounts=4,
        feeds=3,
        feeds_with_entries=2,
        posts=3,
        newest_post=NOW,
    )


def test_site_publish_is_read_from_sources_yaml(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    text = REGISTRY.replace(
        '  contact: {emergency: "911"}\n',
        '  contact: {emergency: "911"}\n  publish: {min_entries_ratio: 0.25, min_feeds_ratio: 0}\n',
    )
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    assert registry.load(path).registry.site.publish == PublishSettings(
        min_entries_ratio=0.25, min_profiles_ratio=0.8, min_feeds_ratio=0
    )
    path.write_text(REGISTRY)
    assert registry.load(path).registry.site.publish == PublishSettings()


def test_a_ratio_above_one_is_an_error_with_its_position(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    text = REGISTRY.replace(
        '  contact: {emergency: "911"}\n',
        '  contact: {emergency: "911"}\n  publish:\n    min_profiles_ratio: 80\n    min_posts: 1\n',
    )
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(RegistryError) as caught:
        registry.load(path)
    shown = [p.format() for p in caught.value.problems]
    assert any(
        ":7:25: error: site.publish.min_profiles_ratio: expected a value from 0 to 1, got 80" in s
        for s in shown
    ), shown
    assert any("site.publish.min_posts: unknown key" in s for s in shown), shown


# -- finding the baseline ---------------------------------------------------------------


def site_at(url: str, *, allow_private: bool = True) -> Site:
    return Site(
        name=Text.plain("Test Bay Police"),
        url=url,
        languages=("en",),
        contact=Contact("911"),
        fetch=FetchSettings(allow_private_addresses=allow_private),
    )


def read_baseline(out: Path, settings: Site, **options: Any) -> baseline.Baseline:
    """The baseline as the command line reads it, the deployed site through the fetch stage."""
    return baseline.read_baseline(
        out, settings, download=lambda url: published.download(url, settings), **options
    )


def test_the_baseline_is_read_from_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / gate.MANIFEST_NAME).write_text(manifest(posts=42).to_json())
    found = read_baseline(out, site_at("http://127.0.0.1:9/"), remote=True)
    assert found.manifest is not None and found.manifest.posts == 42
    assert found.source == str(out / gate.MANIFEST_NAME)
    assert found.problems == ()


def test_a_baseline_file_can_be_named(tmp_path: Path) -> None:
    other = tmp_path / "saved.json"
    other.write_text(manifest(posts=7).to_json())
    found = read_baseline(tmp_path / "public", site_at("http://127.0.0.1:9/"), override=str(other))
    assert found.manifest is not None and found.manifest.posts == 7
    assert found.source == str(other)


def test_no_output_folder_and_offline_means_no_baseline(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.route("/hub-manifest.json", body=manifest().to_json().encode())
    found = read_baseline(tmp_path / "public", site_at(feed_server.url("")), remote=False)
    assert found == baseline.Baseline()
    assert feed_server.requests == []


def test_the_baseline_is_fetched_from_the_deployed_site(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.route(
        "/hub/hub-manifest.json",
        body=manifest(posts=77).to_json().encode(),
        headers={"Content-Type": "application/json"},
    )
    found = read_baseline(tmp_path / "public", site_at(feed_server.url("/hub/")))
    assert found.manifest is not None and found.manifest.posts == 77
    assert found.source == feed_server.url("/hub/hub-manifest.json")
    (request,) = feed_server.requests
    assert request.headers["user-agent"].startswith("police-social-hub/")
    assert request.headers["user-agent"].endswith(f"(+{feed_server.url('/hub/')})")


def test_a_local_manifest_wins_over_the_deployed_one(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.route("/hub-manifest.json", body=manifest(posts=1).to_json().encode())
    out = tmp_path / "public"
    out.mkdir()
    (out / gate.MANIFEST_NAME).write_text(manifest(posts=2).to_json())
    found = read_baseline(out, site_at(feed_server.url("")))
    assert found.manifest is not None and found.manifest.posts == 2
    assert feed_server.requests == []


def test_a_damaged_local_manifest_falls_back_to_the_deployed_one(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.route("/hub-manifest.json", body=manifest(posts=5).to_json().encode())
    out = tmp_path / "public"
    out.mkdir()
    (out / gate.MANIFEST_NAME).write_text("{not json")
    found = read_baseline(out, site_at(feed_server.url("")))
    assert found.manifest is not None and found.manifest.posts == 5
    (problem,) = found.problems
    assert problem.startswith(str(out / gate.MANIFEST_NAME))


def test_nothing_published_yet_is_no_baseline_and_no_warning(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    found = read_baseline(tmp_path / "public", site_at(feed_server.url("")))
    assert found == baseline.Baseline()
    assert len(feed_server.requests_for("/hub-manifest.json")) == 1


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"status": 503}, "HTTP 503"),
        ({"body": b"<html>a login page</html>"}, "Expecting value"),
        ({"body": b"{" + b" " * (70 * 1024) + b"}"}, "larger than 64 KiB"),
    ],
)
def test_an_unreadable_deployed_manifest_is_a_warning_and_no_baseline(
    tmp_path: Path, feed_server: FeedServer, options: dict[str, object], reason: str
) -> None:
    feed_server.route("/hub-manifest.json", **options)
    found = read_baseline(tmp_path / "public", site_at(feed_server.url("")))
    assert found.manifest is None
    (problem,) = found.problems
    assert reason in problem


def test_a_site_that_does_not_answer_is_no_baseline(tmp_path: Path) -> None:
    with FeedServer() as server:
        url = server.url("")
    found = read_baseline(tmp_path / "public", site_at(url))
    assert found.manifest is None
    assert len(found.problems) == 1


def test_the_deployed_manifest_obeys_the_private_address_rule(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.route("/hub-manifest.json", body=manifest().to_json().encode())
    found = read_baseline(tmp_path / "public", site_at(feed_server.url(""), allow_private=False))
    assert found.manifest is None
    assert "refused" in found.problems[0]
    assert feed_server.requests == []


def test_a_refused_build_leaves_the_output_folder_alone(tmp_path: Path) -> None:
    (tmp_path / "themes").symlink_to(Path(__file__).resolve().parents[2] / "themes")
    path = tmp_path / "sources.yaml"
    path.write_text(REGISTRY)
    reg = registry.load(path).registry
    out = tmp_path / "public"
    earlier = baseline.Baseline(manifest(posts=100, profiles=3, feeds=3), "earlier")
    result = pipeline.build(reg, Content(), tmp_path / "cache", out, now=NOW, baseline=earlier)
    assert not result.published
    assert result.publish is None
    assert result.decision.verdict == "refused"
    assert not out.exists()
    # Nor is anything left beside it: the tree the pages ahead were written into is gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "sources.yaml", "themes"]
    forced = pipeline.build(
        reg, Content(), tmp_path / "cache", out, now=NOW, baseline=earlier, force=True
    )
    assert forced.published
    written = json.loads((out / gate.MANIFEST_NAME).read_text())
    assert written["posts"] == 0 and written["profiles"] == 3
