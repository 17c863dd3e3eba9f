"""The run report: report.json's content, quiet accounts, and the GitHub step summary.

Runs are built from real result values; the last tests run the real CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.cli import report
from hub.cli.report import QUIET_AFTER, Run
from hub.feeds.holds import HostHold
from hub.model import PublishSettings
from hub.pipeline import BuildResult
from hub.problems import HubError
from hub.publish.baseline import Baseline
from hub.publish.gate import Manifest, decide
from hub.publish.tree import PublishReport
from hub.registry import load as registry
from hub.store.reseed import ReseedReport
from hub.store.update import FeedOutcome, HeldHost, UpdateReport

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

SOURCES = """\
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
      - {platform: website, url: "https://testbay.example/", feed: feeds/news.xml}
      - {platform: x, handle: TestBayPolice}
  - id: traffic
    name: Traffic
    kind: unit
    accounts:
      - {platform: website, url: "https://traffic.testbay.example/", feed: feeds/traffic.xml}
      - {platform: website, url: "https://old.testbay.example/", feed: feeds/old.xml}
"""

NEWS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<link>https://testbay.example/</link><description>News</description>
<item><title>Road closed</title><guid>a</guid><link>https://testbay.example/a</link>
<pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"""


def update_report(failed: int = 0) -> UpdateReport:
    outcomes = [
        FeedOutcome("https://a.example/feed", "ok", new=3, withdrawn=1),
        FeedOutcome("https://b.example/feed", "not_modified"),
        FeedOutcome("https://c.example/feed", "ok", new=2, moved_to="https://c.example/new-feed"),
        FeedOutcome("https://d.example/feed", "waiting", "backing off after 2 failures"),
        FeedOutcome("https://e.example/feed", "gone", "gone (HTTP 410): remove it"),
        *(
            FeedOutcome(f"https://f{n}.example/feed", "failed", f"HTTP 500 | try {n}\nlater")
            for n in range(failed)
        ),
    ]
    return UpdateReport(tuple(outcomes), 1.5)


def manifest(posts: int) -> Manifest:
    return Manifest(20, 10, 10, 40, 10, 10, posts, NOW)


def build_result(posts: int = 100, baseline_posts: int = 100) -> BuildResult:
    decision = decide(
        manifest(posts), manifest(baseline_posts), PublishSettings(), baseline_from="base.json"
    )
    published = PublishReport(3, 200, 1, Path("public")) if decision.publish else None
    seconds = {"render": 1.25} | ({"publish": 0.5} if published else {})
    return BuildResult(220, posts, manifest(posts), decision, published, seconds)


def finished_run(**fields: object) -> Run:
    run = Run("build", NOW, seconds={"check": 0.1234, "fetch": 2.0})
    run.update = update_report()
    run.build = build_result()
    run.baseline = Baseline(manifest(100), "base.json")
    for name, value in fields.items():
        setattr(run, name, value)
    return run


# -- report.json ------------------------------------------------------------------------


def test_the_report_says_what_happened_to_each_feed() -> None:
    data = report.as_json(finished_run())
    assert data["command"] == "build"
    assert data["outcome"] == "published"
    assert data["exit_code"] == 0
    assert data["error"] is None
    assert data["started"] == "2026-11-22T12:00:00Z"
    feeds = data["feeds"]
    assert {k: feeds[k] for k in ("total", "ok", "not_modified", "failed", "gone", "waiting")} == {
        "total": 5,
        "ok": 2,
        "not_modified": 1,
        "failed": 0,
        "gone": 1,
        "waiting": 1,
    }
    assert feeds["failures"] == [
        {
            "source": "https://e.example/feed",
            "status": "gone",
            "reason": "gone (HTTP 410): remove it",
        }
    ]
    assert feeds["backing_off"] == [
        {"source": "https://d.example/feed", "reason": "backing off after 2 failures"}
    ]
    assert feeds["moved"] == [
        {"source": "https://c.example/feed", "moved_to": "https://c.example/new-feed"}
    ]
    assert data["entries"] == {"new": 5, "withdrawn": 1}


def held_report() -> UpdateReport:
    hold = HostHold(
        "feeds.testbay.example:443",
        NOW + timedelta(minutes=50),
        429,
        "HTTP 429 Too Many Requests",
        NOW - timedelta(minutes=10),
        "https://feeds.testbay.example/1.xml",
    )
    waiting = "not asked: feeds.testbay.example:443 is held until ..."
    outcomes = tuple(
        FeedOutcome(f"https://feeds.testbay.example/{n}.xml", "waiting", waiting, held=hold.host)
        for n in (1, 2, 3)
    )
    return UpdateReport(outcomes, 0.5, {"waiting": 3}, (HeldHost(hold, 3),))


def test_the_report_lists_the_hosts_held() -> None:
    feeds = report.as_json(finished_run(update=held_report()))["feeds"]
    assert feeds["waiting"] == 3
    assert feeds["held_hosts"] == [
        {
            "host": "feeds.testbay.example:443",
            "until": "2026-11-22T12:50:00Z",
            "status": 429,
            "why": "HTTP 429 Too Many Requests",
            "said": "2026-11-22T11:50:00Z",
            "source": "https://feeds.testbay.example/1.xml",
            "feeds": 3,
        }
    ]
    assert report.as_json(finished_run())["feeds"]["held_hosts"] == []


def test_the_step_summary_has_a_line_per_host_held() -> None:
    text = report.markdown(finished_run(update=held_report()))
    assert "**Hosts held (1)**, asked nothing until the time they gave:" in text
    assert (
        "- feeds.testbay.example:443 held until 2026-11-22 12:50 UTC (in 50 min): 3 feeds wait "
        "(HTTP 429 Too Many Requests, in answer to https://feeds.testbay.example/1.xml)"
    ) in text.splitlines()
    assert "Hosts held" not in report.markdown(finished_run())


def test_the_report_has_the_gate_the_pages_and_the_time_per_stage() -> None:
    data = report.as_json(finished_run())
    assert data["seconds"] == {"check": 0.123, "fetch": 2.0}
    assert data["gate"]["verdict"] == "passed"
    assert data["gate"]["baseline"] == "base.json"
    assert data["gate"]["checks"][0] == {
        "setting": "min_entries_ratio",
        "what": "posts",
        "new": 100,
        "baseline": 100,
        "share": 1.0,
        "threshold": 0.5,
        "passed": True,
    }
    assert data["site"]["pages"] == 220
    assert data["site"]["manifest"]["posts"] == 100
    assert data["output"] == {
        "folder": "public",
        "written": 3,
        "unchanged": 200,
        "removed": 1,
        "changed": True,
    }


def test_the_report_says_whether_the_store_was_re_seeded_and_from_where() -> None:
    assert report.as_json(finished_run())["reseed"] is None
    reseeded = ReseedReport("https://police.example/", posts=240, accounts=12, documents=14)
    run = finished_run(reseed=reseeded)
    data = report.as_json(run)["reseed"]
    assert (data["from"], data["posts"], data["accounts"]) == ("https://police.example/", 240, 12)
    line = (
        "the store was empty: re-seeded from https://police.example/ with 240 posts of 12 accounts"
    )
    assert data["line"] == line
    assert f"**Store:** {line}" in report.markdown(run).replace("\\", "")
    down = ReseedReport("the published site", missing="https://police.example/: HTTP 503")
    data = report.as_json(finished_run(reseed=down))["reseed"]
    assert data["not_reseeded"] == "https://police.example/: HTTP 503"
    assert data["line"].startswith("the store is empty; not re-seeded from the published site")


def test_a_refused_build_is_reported_with_its_numbers() -> None:
    run = finished_run(build=build_result(posts=10), exit_code=3)
    data = report.as_json(run)
    assert data["outcome"] == "refused"
    assert data["exit_code"] == 3
    assert data["output"] is None
    assert data["gate"]["verdict"] == "refused"
    (failed,) = [c for c in data["gate"]["checks"] if not c["passed"]]
    assert (failed["new"], failed["baseline"], failed["share"]) == (10, 100, 0.1)


def test_an_offline_build_has_no_feed_section() -> None:
    data = report.as_json(finished_run(update=None))
    assert data["feeds"] is None and data["entries"] is None


def test_the_report_is_written_whole_into_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = report.write(finished_run(), cache)
    assert path == cache / "report.json"
    assert json.loads(path.read_text(encoding="utf-8"))["outcome"] == "published"
    assert [p.name for p in cache.iterdir()] == ["report.json"]
    report.write(finished_run(exit_code=1, error="boom"), cache)
    assert json.loads(path.read_text(encoding="utf-8"))["error"] == "boom"


def test_an_unwritable_report_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    report.save(finished_run(), blocker)
    assert "warning: could not write the run report" in capsys.readouterr().err


def test_recording_saves_a_failed_run_and_lets_the_error_through(tmp_path: Path) -> None:
    with pytest.raises(HubError), report.recording("build", tmp_path, NOW) as run:
        run.seconds["check"] = 0.5
        raise HubError("could not publish into public: disk full")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["outcome"] == "failed"
    assert data["exit_code"] == 1
    assert data["error"] == "could not publish into public: disk full"


# -- quiet accounts ---------------------------------------------------------------------


def test_quiet_accounts(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    (tmp_path / "sources.yaml").write_text(SOURCES)
    reg = registry.load(tmp_path / "sources.yaml").registry
    latest = {
        "feeds/news.xml": NOW - QUIET_AFTER,  # exactly 90 days: not yet quiet
        "feeds/traffic.xml": NOW - QUIET_AFTER - timedelta(seconds=1),
    }
    quiet = report.quiet_accounts(reg, latest, NOW)
    assert [(q.owner, q.feed, q.last_post) for q in quiet] == [
        ("unit:traffic", "feeds/traffic.xml", NOW - QUIET_AFTER - timedelta(seconds=1)),
        ("unit:traffic", "feeds/old.xml", None),  # never posted
    ]
    assert quiet[0].url == "https://traffic.testbay.example/"
    data = report.as_json(finished_run(quiet=quiet))["quiet_accounts"]
    assert data["days"] == 90
    assert data["accounts"][1] == {
        "owner": "unit:traffic",
        "platform": "website",
        "url": "https://old.testbay.example/",
        "feed": "feeds/old.xml",
        "last_post": None,
    }


# -- the step summary -------------------------------------------------------------------


def test_the_step_summary_is_appended_when_asked(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    report.save(finished_run(), tmp_path / "cache", str(summary))
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    assert "### hub build: published (exit code 0)" in text
    assert "| feeds updated | 2 |" in text
    assert "| feeds failed | 1 |" in text
    assert "| new entries | 5 |" in text
    assert "| files written / unchanged / removed | 3 / 200 / 1 |" in text
    assert "**Publish gate:** passed against `base.json`" in text
    assert "**Failing feeds (1)**" in text


def test_no_step_summary_without_the_variable(tmp_path: Path) -> None:
    report.save(finished_run(), tmp_path / "cache", None)
    assert [p.name for p in tmp_path.iterdir()] == ["cache"]


def test_the_failing_feeds_list_is_capped() -> None:
    many = report.LISTED + 7
    text = report.markdown(finished_run(update=update_report(failed=many)))
    assert f"**Failing feeds ({many + 1})**" in text
    assert text.count("\n- `https://") == report.LISTED
    assert "- and 8 more" in text


def test_feed_messages_cannot_break_the_markdown() -> None:
    text = report.markdown(finished_run(update=update_report(failed=1)))
    (line,) = [x for x in text.splitlines() if "f0.example" in x]
    assert line == "- `https://f0.example/feed`: HTTP 500 \\| try 0 later"


def test_a_refusal_in_the_step_summary_shows_the_numbers() -> None:
    text = report.markdown(finished_run(build=build_result(posts=10), exit_code=3))
    assert "### hub build: not published: refused by the publish gate (exit code 3)" in text
    assert "**Publish gate:** **refused** against `base.json`" in text
    assert "| ❌ posts | 10 | 100 | 10% | 50% |" in text
    assert "| ✅ units and officers | 20 | 20 | 100% | 80% |" in text


# -- from the command line --------------------------------------------------------------


def hub(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")
    }
    environ.update(PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO), **env)
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_hub_fetch_writes_a_report(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "news.xml").write_bytes(NEWS)
    (tmp_path / "feeds" / "traffic.xml").write_text("not a feed at all")
    (tmp_path / "sources.yaml").write_text(SOURCES)
    summary = tmp_path / "summary.md"
    result = hub(tmp_path, "fetch", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / ".hub-cache" / "report.json").read_text(encoding="utf-8"))
    assert (data["command"], data["outcome"], data["exit_code"]) == ("fetch", "fetched", 0)
    assert data["feeds"]["ok"] == 1
    assert data["feeds"]["failed"] == 2
    assert {f["source"] for f in data["feeds"]["failures"]} == {
        "feeds/traffic.xml",
        "feeds/old.xml",
    }
    assert data["entries"]["new"] == 1
    assert set(data["seconds"]) == {"check", "fetch"}
    assert data["gate"] is None
    assert "### hub fetch: feeds fetched (exit code 0)" in summary.read_text(encoding="utf-8")


def test_an_invalid_registry_is_reported_with_exit_code_1(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("site: [\n")
    summary = tmp_path / "summary.md"
    result = hub(tmp_path, "build", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    data = json.loads((tmp_path / ".hub-cache" / "report.json").read_text(encoding="utf-8"))
    assert (data["outcome"], data["exit_code"]) == ("failed", 1)
    assert data["error"] == "sources.yaml: 1 error"
    assert not (tmp_path / "public").exists()
    text = summary.read_text(encoding="utf-8")
    assert "### hub build: failed (exit code 1)" in text
    assert "**Error:** sources.yaml: 1 error" in text


# -- the step's outputs: did the build change the site? ----------------------------------


def test_the_step_outputs_say_whether_the_build_changed_the_site(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    outputs.write_text("earlier=1\n", encoding="utf-8")
    report.step_outputs(finished_run(), str(outputs))  # 3 files written, 1 removed
    nothing = PublishReport(0, 203, 0, Path("public"))
    same = finished_run(build=replace(build_result(), publish=nothing))
    report.step_outputs(same, str(outputs))
    report.step_outputs(finished_run(build=build_result(posts=10), exit_code=3), str(outputs))
    assert outputs.read_text(encoding="utf-8").splitlines() == [
        "earlier=1",
        "changed=true",
        "changed=false",
        "changed=false",  # refused by the gate: nothing written
    ]
    assert report.as_json(same)["output"]["changed"] is False
    assert report.as_json(finished_run())["output"]["changed"] is True


def test_a_build_run_twice_changes_the_site_once(tmp_path: Path) -> None:
    from tests.cli.test_init import FLAGS

    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    hub = [sys.executable, "-m", "hub"]
    subprocess.run([*hub, "init", "site", "--yes", *FLAGS], cwd=tmp_path, env=environ, check=True)
    site, outputs = tmp_path / "site", tmp_path / "outputs"

    def build() -> str:
        outputs.write_text("", encoding="utf-8")
        env = {**environ, "GITHUB_OUTPUT": str(outputs)}
        subprocess.run([*hub, "build", "--offline", "-q"], cwd=site, env=env, check=True)
        return outputs.read_text(encoding="utf-8")

    assert build() == "changed=true\n"
    assert build() == "changed=false\n"
    written = json.loads((site / ".hub-cache" / "report.json").read_text(encoding="utf-8"))
    assert written["output"]["changed"] is False
    page = site / "content" / "pages" / "about.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert build() == "changed=true\n"
