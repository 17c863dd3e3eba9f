"""Reading the published archive: over HTTP from a real local server, and from a folder,
under the fetch stage's rules and bounds."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from hub.feeds import reseed
from hub.feeds.reseed import read_archive
from hub.feeds.sitearchive import INDEX_PATH, feed_key, index_json
from hub.model import Contact, FetchSettings, Site, Text
from tests.feedserver import FeedServer

SOURCE = "https://traffic.example/feed.xml"
SOURCES = {feed_key(SOURCE): SOURCE}


def site(allow_private: bool = True) -> Site:
    return Site(
        name=Text.plain("Test Bay Police"),
        url="https://police.example/",
        languages=("en",),
        contact=Contact("911"),
        fetch=FetchSettings(
            allow_private_addresses=allow_private, connect_timeout=2, read_timeout=2
        ),
    )


def page(first: int, count: int, next_name: str | None = None) -> bytes:
    items = [
        {
            "id": f"urn:{n}",
            "content_text": f"post {n}",
            "_hub": {"feed": feed_key(SOURCE), "id": f"post-{n}"},
        }
        for n in range(first, first + count)
    ]
    document: dict[str, Any] = {"version": "https://jsonfeed.org/version/1.1", "items": items}
    if next_name:
        document["next_url"] = f"https://police.example/archive/units/traffic/{next_name}"
    return json.dumps(document).encode()


def archive(server: FeedServer, *, pages: int = 3) -> None:
    """Traffic's archive over ``pages`` pages of 2 posts, the index gzipped."""
    index = index_json(["archive/units/traffic/1.json", "archive/units/empty/1.json"], [])
    server.route(f"/{INDEX_PATH}", body=index, gzip=True, headers={"Content-Encoding": "gzip"})
    for number in range(1, pages + 1):
        following = f"{number + 1}.json" if number < pages else None
        body = page(2 * number, 2, following)
        server.route(f"/archive/units/traffic/{number}.json", body=body)
    server.route("/archive/units/empty/1.json", body=page(0, 0))


def read(where: str, **options: Any) -> reseed.Reading:
    return read_archive(where, site(**options), SOURCES, limit=1000)


def test_every_page_of_every_archive_is_read(feed_server: FeedServer) -> None:
    archive(feed_server)
    reading = read(feed_server.url("/"))
    assert reading.missing is None and reading.problems == ()
    assert reading.documents == 1 + 3 + 1
    assert sorted(found.entry.id for found in reading.harvest.entries(200)) == [
        f"post-{n}" for n in range(2, 8)
    ]
    requests = feed_server.requests
    assert all(r.headers["user-agent"].startswith("police-social-hub/") for r in requests)
    assert {r.headers["accept-encoding"] for r in requests} == {"gzip"}


def test_no_index_says_so_and_reads_nothing_else(feed_server: FeedServer) -> None:
    reading = read(feed_server.url("/"))
    assert reading.index is None
    assert reading.missing is not None and "no archive/index.json there" in reading.missing
    assert [r.path for r in feed_server.requests] == [f"/{INDEX_PATH}"]


def test_an_index_that_is_none_says_why(feed_server: FeedServer) -> None:
    feed_server.route(f"/{INDEX_PATH}", body=b"<html>a CDN's error page</html>")
    reading = read(feed_server.url("/"))
    assert reading.missing == f"{INDEX_PATH}: the archive's index is not well-formed JSON"


def test_a_page_that_fails_is_a_problem_and_the_rest_is_read(feed_server: FeedServer) -> None:
    archive(feed_server)
    feed_server.route("/archive/units/traffic/2.json", status=500)
    reading = read(feed_server.url("/"))
    assert reading.problems == ("archive/units/traffic/2.json: HTTP 500",)
    assert reading.unread == 1
    assert sorted(f.entry.id for f in reading.harvest.entries(200)) == ["post-2", "post-3"]


def test_a_page_past_the_size_cap_is_not_read(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive(feed_server)
    feed_server.route(
        "/archive/units/traffic/1.json",
        body=gzip.compress(b" " * 5000 + b"{}"),
        headers={"Content-Encoding": "gzip"},
    )
    monkeypatch.setattr(reseed, "DOCUMENT_BYTES", 4096)
    reading = read(feed_server.url("/"))
    assert reading.problems == ("archive/units/traffic/1.json: body larger than 4 KiB",)


def test_pages_that_name_each_other_are_each_read_once(feed_server: FeedServer) -> None:
    archive(feed_server, pages=2)
    feed_server.route("/archive/units/traffic/2.json", body=page(4, 2, "1.json"))
    reading = read(feed_server.url("/"))
    assert reading.problems == ()
    paths = [r.path for r in feed_server.requests]
    assert paths.count("/archive/units/traffic/1.json") == 1


def test_the_documents_read_are_bounded(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive(feed_server, pages=5)
    monkeypatch.setattr(reseed, "MAX_DOCUMENTS", 3)
    reading = read(feed_server.url("/"))
    assert reading.documents == 3
    assert reading.unread >= 1
    assert any("past 3 documents" in problem for problem in reading.problems)


def test_a_private_address_is_refused_unless_allowed(feed_server: FeedServer) -> None:
    archive(feed_server)
    reading = read(feed_server.url("/"), allow_private=False)
    assert reading.index is None
    assert reading.missing is not None and "refused" in reading.missing
    assert feed_server.requests == []


def test_a_down_site_says_why(feed_server: FeedServer) -> None:
    where = feed_server.url("/")
    feed_server.stop()
    reading = read(where)
    assert reading.missing is not None and "connection refused" in reading.missing


def test_a_folder_is_read_only_inside_itself(tmp_path: Path) -> None:
    published = tmp_path / "public"
    (published / "archive/units/traffic").mkdir(parents=True)
    secret = tmp_path / "secret.json"
    secret.write_bytes(page(100, 1))
    index = index_json(["archive/units/traffic/1.json", "archive/units/escape/1.json"], [])
    (published / INDEX_PATH).write_bytes(index)
    (published / "archive/units/traffic/1.json").write_bytes(page(0, 2, "2.json"))
    (published / "archive/units/traffic/2.json").write_bytes(page(2, 1))
    os.symlink(tmp_path, published / "archive/units/escape")
    (tmp_path / "1.json").symlink_to(secret)
    reading = read(str(published))
    assert sorted(f.entry.id for f in reading.harvest.entries(200)) == [
        "post-0",
        "post-1",
        "post-2",
    ]
    assert reading.problems == ("archive/units/escape/1.json: outside the published folder",)
