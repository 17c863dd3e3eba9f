"""The soak (bench/soak.py), short: 20 scheduled runs of the real command lose no post.

Ten feeds on a local server fail in every way the soak knows, posts are
added, edited and deleted between runs, runs are killed, the cache is
deleted twice and re-seeded from the published site; after each run every
post is held against the model of the store, and the tree must be whole.
The second test spoils a published site in the ways the soak looks for and
sees each one reported, so that a soak with no violation means something.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.soak import START, Plan, Soak, soak
from bench.soakfeeds import HOSTS, KINDS
from bench.soaksite import Deployed, read
from tests.feedserver import FeedServer

PLAN = Plan(runs=20, feeds=10, seed=20261102, verify_every=20)


def test_twenty_scheduled_runs_lose_no_post(tmp_path: Path) -> None:
    said: list[str] = []
    summary = soak(PLAN, tmp_path, said.append)

    assert summary.violations == [], "\n".join(said)
    # Every kind of fault was answered, runs were killed, the cache was deleted and
    # the store re-seeded twice from the published site, and a full build compared.
    assert {kind for kind, n in summary.faults.items() if n} == set(KINDS)
    assert summary.kills
    [alone, everything] = summary.reseeded
    assert re.fullmatch(r"run 7 \(cache deleted\): re-seeded [1-9]\d* posts from public", alone)
    assert re.fullmatch(
        r"run 14 \(cache and output deleted\): re-seeded [1-9]\d* posts "
        r"from http://127\.0\.0\.1:\d+/",
        everything,
    )
    assert summary.full_builds == 1
    assert summary.sites >= PLAN.runs - len(summary.kills)
    assert summary.posts_checked > PLAN.runs * PLAN.feeds
    assert min(summary.posts[change] for change in ("added", "edited", "deleted")) > 0


def test_the_checks_see_a_lost_post_old_words_and_a_torn_tree(tmp_path: Path) -> None:
    said: list[str] = []
    site = Deployed(tmp_path / "deployed")
    try:
        with FeedServer(HOSTS) as server:
            run = Soak(Plan(runs=5, feeds=3), tmp_path, server, site, said.append)
            assert not run.one_run(1, START, None, kill=False)
    finally:
        site.close()
    assert run.summary.violations == [], "\n".join(said)
    feed = run.feeds[0]
    page = run.out / "archive" / "units" / feed.slug / "1.json"
    archive = json.loads(page.read_bytes())
    lost = archive["items"].pop()
    archive["items"][0]["content_html"] = "Old words."
    page.write_text(json.dumps(archive), encoding="utf-8")
    (run.out / "en" / "units" / run.feeds[1].slug / "index.html").unlink()

    shown = read(run.out, run.site.url, profiles=run.profiles, cache=run.cache)
    run.check_site(2, shown, {f.slug: f.expected for f in run.feeds})

    found = "\n".join(run.summary.violations)
    assert f"{feed.slug}: lost: {lost['_hub']['id']}" in found
    assert "hub-manifest.json: posts is" in found
    assert f"en/units/{run.feeds[1].slug}/, which is missing" in found
    assert found.count("run 2") == len(run.summary.violations) >= 3
    archive["items"].append(lost)
    page.write_text(json.dumps(archive), encoding="utf-8")
    run.summary.violations.clear()
    run.check_site(3, read(run.out, run.site.url, profiles=run.profiles), run.published)
    assert "shows 'Old words.'" in "\n".join(run.summary.violations)
