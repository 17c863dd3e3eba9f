"""The site's archive: every post of each profile in JSON Feed pages, valid JSON Feed 1.1,
read back (:mod:`hub.feeds.sitearchive`) into the entries it was written from."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from hub.feeds.sitearchive import Harvest, feed_key, read_index, read_page, url_key
from hub.model import Entry, Media, Registry, Text
from hub.outputs import archive
from hub.registry import load as registry
from hub.render.i18n import translations
from hub.site import model as site
from hub.site.appeals import AppealFile
from hub.site.content import Content
from hub.site.urls import Urls, addresses

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
BASE = "https://connect.lakeview.example"
SCHEMA = Path(__file__).parents[1] / "schemas" / "jsonfeed-1.1.schema.json"
TRAFFIC = "https://traffic.example/feed.xml"
TRAFFIC_X = "https://traffic.example/x.xml"
YOUTH = "https://youth.example/feed.xml"


def make_registry(tmp_path: Path) -> Registry:
    (tmp_path / "sources.yaml").write_text(
        "site:\n"
        "  name: Lakeview Police\n"
        f"  url: {BASE}/\n"
        "  languages: [en, fr]\n"
        '  contact: {emergency: "911"}\n'
        "units:\n"
        "  - id: traffic\n"
        "    name: Traffic Services\n"
        "    kind: unit\n"
        "    accounts:\n"
        f"      - {{platform: website, url: 'https://traffic.example/', feed: '{TRAFFIC}'}}\n"
        f"      - {{platform: mastodon, handle: '@traffic@social.example', feed: '{TRAFFIC_X}'}}\n"
        "  - id: youth\n"
        "    name: Youth Services\n"
        "    kind: unit\n"
        "    accounts:\n"
        f"      - {{platform: website, url: 'https://youth.example/', feed: '{YOUTH}'}}\n"
        "  - id: quiet\n"
        "    name: Quiet Unit\n"
        "    kind: unit\n"
        "    accounts:\n"
        "      - {platform: x, handle: QuietUnit}\n",
        encoding="utf-8",
    )
    return registry.load(tmp_path / "sources.yaml").registry


def post(feed: str, number: int, **fields: Any) -> Entry:
    published = NOW - timedelta(hours=number)
    values: dict[str, Any] = {
        "feed": feed,
        "id": f"{feed}#{number}",
        "title": f"Notice {number}",
        "content": f"<p>Road notice number {number}.</p>",
        "link": f"https://traffic.example/{number}",
        "published": published,
        "updated": published,
        "first_seen": published + timedelta(minutes=3),
    }
    values.update(fields)
    return Entry(**values)


ENTRIES = [
    *(post(TRAFFIC, n) for n in range(1, 6)),
    post(
        TRAFFIC,
        6,
        title="",
        summary="<p>Short.</p>",
        content="<p>Long text, with more.</p>",
        author="Cst Ada",
        media=(Media("https://img.example/a.jpg", "A detour sign", "image/jpeg"),),
    ),
    post(TRAFFIC, 7, published=None, updated=None),
    # The same words on Mastodon, minutes later: shown once, "also posted on".
    post(TRAFFIC_X, 1, title="Notice 1", published=NOW - timedelta(hours=1, minutes=-5)),
    post(YOUTH, 1),
    post(YOUTH, 2, content=""),  # a title alone: the item's text is made from it
]


def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: Content | None = None) -> Any:
    monkeypatch.setattr(archive, "PAGE_ENTRIES", 3)
    reg = make_registry(tmp_path)
    model = site.build(reg, ENTRIES, content or Content(), NOW)
    urls = Urls({}, addresses(reg))
    written = {path: data for path, data, _ in archive.archive_files(model, urls, {}, translations)}
    path, index, _ = archive.index_file(model)
    return model, written, path, index


def test_each_profile_with_posts_has_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, written, path, index = files(tmp_path, monkeypatch)
    assert path == "archive/index.json"
    assert sorted(written) == [
        "archive/units/traffic/1.json",
        "archive/units/traffic/2.json",
        "archive/units/traffic/3.json",
        "archive/units/youth/1.json",
    ]
    assert read_index(index).archives == (
        "archive/units/traffic/1.json",
        "archive/units/youth/1.json",
    )
    pages = [json.loads(written[f"archive/units/traffic/{n}.json"]) for n in (1, 2, 3)]
    assert [p.get("next_url") for p in pages] == [
        f"{BASE}/archive/units/traffic/2.json",
        f"{BASE}/archive/units/traffic/3.json",
        None,
    ]
    assert {p["feed_url"] for p in pages} == {f"{BASE}/archive/units/traffic/1.json"}
    assert {p["home_page_url"] for p in pages} == {f"{BASE}/en/units/traffic/"}
    ids = [item["_hub"]["id"] for p in pages for item in p["items"]]
    # Every post, newest first, the cross-post too, the one with no date last.
    assert ids == [f"{TRAFFIC_X}#1", *(f"{TRAFFIC}#{n}" for n in range(1, 8))]
    assert len(model.posts) == len(ENTRIES) - 1
    validator = Draft202012Validator(
        json.loads(SCHEMA.read_text("utf-8")), format_checker=FormatChecker()
    )
    for page in [*pages, json.loads(written["archive/units/youth/1.json"])]:
        assert list(validator.iter_errors(page)) == []


def test_what_is_written_is_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, written, _, _ = files(tmp_path, monkeypatch)
    harvest = Harvest(1000)
    sources = {feed_key(s): s for s in (TRAFFIC, TRAFFIC_X, YOUTH)}
    for data in written.values():
        harvest.add(read_page(data, sources))
    found = {r.entry.id: r for r in harvest.entries(200)}
    assert found.keys() == {entry.id for entry in ENTRIES}
    for entry in ENTRIES:
        back = found[entry.id]
        assert back.first_seen == entry.first_seen.replace(microsecond=0)
        assert back.entry.feed == entry.feed
        # A feed carries the later of its two dates as the time it was updated.
        dates = [d for d in (entry.published, entry.updated) if d is not None]
        expected = replace(entry, updated=max(dates, default=None), first_seen=None)
        assert replace(back.entry, texts=None) == replace(expected, texts=None), entry.id
        assert back.entry.media == entry.media


def test_the_index_names_the_posts_of_resolved_appeals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    appeal = AppealFile(
        id="appeal-1",
        kind="missing",
        status="resolved",
        date=NOW,
        unit=None,
        title=Text.plain("Missing"),
        summary={},
        post="https://www.X.com/LakeviewPolice/status/42/",
        photo=None,
        person=None,
        source=tmp_path / "content/appeals/appeal-1.md",
    )
    _, _, _, index = files(tmp_path, monkeypatch, Content(appeals=(appeal,)))
    assert read_index(index).resolved == {url_key("x.com/LakeviewPolice/status/42")}
