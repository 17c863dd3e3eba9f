"""``hub feed``: one feed read as the build reads it, what the site would show of it, or why
not in the build's own words; nothing written.

The real command against a real local feed server, and on the demo's recorded
platform answers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.hubsite import REPO, HubSite, rss
from tests.feedserver import FeedServer

HOSTILE = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Evil\x1b[2J news</title><link>https://evil.example/</link><description>x</description>
<item><title>Hello\x1b]0;owned\x07 there</title><link>javascript:alert(1)</link>
<guid>evil-1</guid><pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate>
<description>&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; words
&lt;img src=x onerror=alert(2)&gt;</description>
</item></channel></rss>"""


@pytest.fixture
def site(tmp_path: Path, feed_server: FeedServer) -> HubSite:
    return HubSite(tmp_path, feed_server)


def wrote_nothing(site: HubSite) -> bool:
    return not (site.root / ".hub-cache").exists() and not (site.root / "public").exists()


def test_a_feed_shows_its_newest_entries(site: HubSite) -> None:
    url = site.server.url("/traffic.xml")
    ran = site.hub("feed", url)
    assert ran.code == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0] == f"{url}: HTTP 200, 3 entries"
    assert lines[1] == "title: traffic news"
    # Newest first, in the registry's time zone, with link and excerpt.
    blocks = ran.stdout.split("\n\n")[1:]
    assert [block.splitlines()[0].split("  ", 1)[1] for block in blocks] == [
        "traffic notice 0",
        "traffic notice 1",
        "traffic notice 2",
    ]
    first = blocks[0].splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T", first[0].split("  ")[0])
    assert first[1:] == ["  https://traffic.example/0", "  Road closure 0 announced by traffic."]
    assert ran.stderr == ""
    assert wrote_nothing(site)


def test_entries_limits_what_is_shown(site: HubSite) -> None:
    ran = site.hub("feed", site.server.url("/ada.xml"), "--entries", "1")
    assert ran.code == 0, ran.stderr
    assert ran.stdout.splitlines()[0].endswith(": HTTP 200, 3 entries (the newest 1 shown)")
    assert "ada notice 0" in ran.stdout
    assert "ada notice 1" not in ran.stdout


FAILING = {
    "/traffic.xml": (404, b"nothing here", "HTTP 404 Not Found"),
    "/marine.xml": (410, b"", "gone (HTTP 410): remove it from sources.yaml"),
    "/ada.xml": (200, b"<!doctype html><html><body>Welcome</body></html>", "not a feed"),
}


def test_a_feed_that_fails_says_what_the_build_would(site: HubSite) -> None:
    for path, (status, body, _) in FAILING.items():
        site.server.route(path, status=status, body=body)
    said = {}
    for path, (_, _, expected) in FAILING.items():
        url = site.server.url(path)
        ran = site.hub("feed", url)
        assert ran.code == 1
        (line,) = ran.stderr.splitlines()
        assert line.startswith(f"error: {url}: ")
        said[url] = line.removeprefix(f"error: {url}: ")
        assert expected in said[url]
        assert ran.stdout == ""
    assert wrote_nothing(site)
    # The same words as a fetch's warnings, feed by feed.
    fetched = site.hub("fetch")
    for url, message in said.items():
        assert f"warning: feed {url}: {message}" in fetched.stderr.splitlines()


def test_the_fetch_guard_applies(tmp_path: Path, feed_server: FeedServer) -> None:
    """Without a registry that allows private addresses, loopback is refused, as in a build."""
    feed_server.route("/feed.xml", body=rss("loop"))
    site = HubSite(tmp_path, feed_server)
    (tmp_path / "sources.yaml").unlink()
    ran = site.hub("feed", feed_server.url("/feed.xml"))
    assert ran.code == 1
    assert "a loopback address" in ran.stderr
    assert feed_server.requests == []


def test_feed_text_is_sanitized_and_no_control_character_reaches_the_terminal(
    site: HubSite,
) -> None:
    site.server.route("/evil.xml", body=HOSTILE)
    ran = site.hub("feed", site.server.url("/evil.xml"))
    assert ran.code == 0, ran.stderr
    assert "\x1b" not in ran.stdout and "\x07" not in ran.stdout
    assert "<script" not in ran.stdout and "onerror" not in ran.stdout
    assert "alert(1)" not in ran.stdout  # the link is refused, the script dropped
    assert "Bold words" in ran.stdout
    assert "(no link)" in ran.stdout


def test_a_recorded_platform_answer(site: HubSite) -> None:
    answer = site.root / "answer.json"
    answer.write_bytes((REPO / "content" / "api" / "facebook" / "chief-facebook.json").read_bytes())
    ran = site.hub("feed", "answer.json", "--platform", "facebook", "--entries", "2")
    assert ran.code == 0, ran.stderr
    head, *rest = ran.stdout.splitlines()
    assert re.fullmatch(r"answer\.json: file, \d+ entries \(the newest 2 shown\)", head)
    assert sum(1 for line in rest if line.startswith("  https://")) == 2
    not_a_feed = site.hub("feed", "answer.json")
    assert not_a_feed.code == 1
    assert "error: answer.json: not a feed" in not_a_feed.stderr


def test_verbose_says_how_it_was_read(site: HubSite) -> None:
    site.server.redirect("/old.xml", site.server.url("/traffic.xml"), status=301)
    ran = site.hub("-v", "feed", site.server.url("/old.xml"))
    assert ran.code == 0, ran.stderr
    assert re.search(r"^fetch: \S+/old\.xml: HTTP 200, \d+\.\d\d s$", ran.stderr, re.M)
    assert f"fetch: read from {site.server.url('/traffic.xml')}" in ran.stderr
    assert "warning: feed " in ran.stderr and "moved permanently to" in ran.stderr


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("nowhere.xml", "error: nowhere.xml: no such file (or not a file)"),
        ("ftp://example.org/feed.xml", "expected an http:// or https:// URL, or a file"),
        ("javascript:alert(1)", "expected an http:// or https:// URL, or a file"),
    ],
)
def test_what_is_not_a_feed_address(site: HubSite, target: str, said: str) -> None:
    ran = site.hub("feed", target)
    assert ran.code == 1
    assert said in ran.stderr
    assert "Traceback" not in ran.stderr


def test_a_terminal_that_cannot_write_the_text_gets_escapes_not_a_traceback(
    site: HubSite,
) -> None:
    feed = site.root / "accents.xml"
    feed.write_text(
        "<rss version='2.0'><channel><title>Nouvelles</title><item><guid>1</guid>"
        "<title>Sécurité routière</title><link>https://news.example/1</link>"
        "<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item></channel></rss>",
        encoding="utf-8",
    )
    ran = site.hub("feed", "accents.xml", PYTHONIOENCODING="ascii")
    assert ran.code == 0, ran.stderr
    assert "S\\xe9curit\\xe9 routi\\xe8re" in ran.stdout


def test_output_cut_short_by_its_reader_is_no_error(site: HubSite) -> None:
    # More than a pipe holds (64 KiB), so that the writer meets the closed pipe.
    items = "".join(
        f"<item><guid>{n}</guid><title>Road closure number {n} {'x' * 80}</title>"
        f"<link>https://news.example/{n}</link>"
        "<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item>"
        for n in range(1500)
    )
    big = site.root / "big.xml"
    big.write_text(f"<rss version='2.0'><channel><title>T</title>{items}</channel></rss>")
    command = f"{sys.executable} -m hub feed big.xml --entries 1500 | head -c 5"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=site.root,
        env=site.environ(),
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
