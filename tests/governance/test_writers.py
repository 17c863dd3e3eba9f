"""The report's three files, read back: the CSV with the csv module, the JSON as a
document with a known shape, the page as HTML that loads nothing and hides no token."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from hub.feeds.connectors import secrets
from hub.governance import wording
from hub.governance.backlinks import Backlink
from hub.governance.model import FORMAT, SECTION_IDS, Report
from hub.governance.report import Asked, assemble
from hub.governance.writers import CSV_COLUMNS, FILES, write_report
from tests.governance import world
from tests.governance.conftest import World

TRAFFIC = "website:https://traffic.testbay.example/"
SECRET = "LEAKCHECKgovernance0123456789"


def report_of(testbay: World, **changes: Any) -> Report:
    links = [Backlink("bluesky:testbay.bsky.social", "missing")]
    asked = Asked(None, wording.NO_TOKENS, links, None)
    report = assemble(
        testbay.registry,
        testbay.curation,
        testbay.stored,
        asked,
        now=world.NOW,
        sources="sources.yaml",
        offline=False,
    )
    return replace(report, **changes)


@pytest.fixture
def written(testbay: World, tmp_path: Path) -> Path:
    write_report(report_of(testbay), tmp_path / "report")
    return tmp_path / "report"


def test_three_whole_files_and_nothing_else(written: Path, testbay: World) -> None:
    assert sorted(p.name for p in written.iterdir()) == sorted(FILES)
    write_report(report_of(testbay), written)  # again, over the old ones
    assert sorted(p.name for p in written.iterdir()) == sorted(FILES)


def test_the_csv_has_a_row_per_account(written: Path, testbay: World) -> None:
    with (written / "accounts.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        rows = list(reader)
    assert [row["account"] for row in rows] == [a.key for a in testbay.registry.accounts()]
    traffic = next(row for row in rows if row["account"] == TRAFFIC)
    assert traffic == {
        "account": TRAFFIC,
        "platform": "website",
        "handle": "",
        "profile_url": "https://traffic.testbay.example/",
        "unit_or_officer": "unit:traffic",
        "unit_or_officer_name": "Traffic",
        "owner": world.TRAFFIC_OWNER,
        "contact": "'" + world.TRAFFIC_PHONE,  # "+1 555..." would be a formula
        "trained": "2026-01-10",
        "approved_by": world.APPROVER,
        "approved": "2026-01-12",
        "review_by": "2026-11-01",
        "flags": "review-passed;quiet-30",
        "last_post": "2026-10-01T09:00:00+00:00",
        "feed_status": "ok",
        "last_error": "",
    }
    broken = next(row for row in rows if row["account"].startswith("website:https://broken"))
    assert (broken["feed_status"], broken["last_error"]) == (
        "failing",
        "HTTP 500 Internal Server Error",
    )
    youth = next(row for row in rows if row["account"] == "x:testbayyouth")
    assert (youth["owner"], youth["feed_status"], youth["flags"]) == (
        "",
        "no feed",
        "untrained;unowned",
    )


def test_the_json_holds_everything_with_its_format(written: Path, testbay: World) -> None:
    document = json.loads((written / "report.json").read_text(encoding="utf-8"))
    assert document["format"] == FORMAT == 1
    assert set(document) == {
        "format",
        "generated",
        "day",
        "site",
        "sources",
        "offline",
        "private",
        "summary",
        "sections",
        "accounts",
    }
    assert datetime.fromisoformat(document["generated"]) == world.NOW
    assert document["day"] == "2026-11-22"
    assert document["site"] == {"name": "Test Bay Police", "url": world.SITE}
    assert [s["id"] for s in document["sections"]] == list(SECTION_IDS)
    total = 0
    for section in document["sections"]:
        assert set(section) == {"id", "title", "checked", "skipped", "findings"}
        assert isinstance(section["checked"], int)
        for finding in section["findings"]:
            assert set(finding) == {
                "code",
                "label",
                "account",
                "profile",
                "owner",
                "contact",
                "text",
                "when",
                "urls",
                "facts",
            }
            assert finding["label"] == wording.CODES[finding["code"]]
            assert finding["when"] is None or date.fromisoformat(finding["when"])
            assert all(url.startswith("https://") for url in finding["urls"])
        total += len(section["findings"])
    assert document["summary"]["findings"] == total
    tokens = next(s for s in document["sections"] if s["id"] == "tokens")
    assert (tokens["skipped"], tokens["findings"]) == (wording.NO_TOKENS, [])
    assert len(document["accounts"]) == document["summary"]["accounts"] == 10
    traffic = next(a for a in document["accounts"] if a["key"] == TRAFFIC)
    assert traffic["notes"] == world.NOTE
    assert traffic["flags"] == ["review-passed", "quiet-30"]
    assert traffic["review_by"] == "2026-11-01"


class Page(HTMLParser):
    """The tags of a page, their attributes, and the text of its captions."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_the_page_is_self_contained_and_structured(written: Path) -> None:
    text = (written / "index.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    assert page.tags[0] == ("html", {"lang": "en"})
    for tag in ("script", "link", "img", "iframe", "object", "embed", "svg", "base", "form"):
        assert page.named(tag) == [], tag
    assert len(page.named("style")) == 1 and "@import" not in text and "url(" not in text
    for landmark in ("header", "nav", "main", "footer", "h1"):
        assert len(page.named(landmark)) == 1, landmark
    assert len(page.named("table")) == len(page.named("caption")) == 8  # 7 sections and all
    assert all(attrs.get("scope") in ("col", "row") for attrs in page.named("th"))
    assert {a["href"] for a in page.named("a") if a["href"]} >= {
        "https://testbay.example/a",
        "https://jackwest.testbay.example/after",
        "#review",
    }
    assert wording.PRIVATE in text
    assert world.OWNER in text  # the people are what the report is for


def test_a_token_never_lands_in_a_file(testbay: World, tmp_path: Path) -> None:
    secrets.remember([SECRET])
    report = report_of(testbay)
    broken = next(row for row in report.accounts if row.key.startswith("website:https://broken"))
    leaky = replace(broken, last_error=f"HTTP 401 for ?access_token={SECRET}")
    accounts = tuple(leaky if row is broken else row for row in report.accounts)
    write_report(replace(report, accounts=accounts), tmp_path)
    for name in FILES:
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert SECRET not in text, name
    assert secrets.HIDDEN in (tmp_path / "accounts.csv").read_text(encoding="utf-8")


def test_a_cell_a_spreadsheet_would_run_is_text(testbay: World, tmp_path: Path) -> None:
    report = report_of(testbay)
    first = report.accounts[0]
    evil = replace(first, admin=replace(first.admin, owner='=HYPERLINK("http://x","y")'))
    write_report(replace(report, accounts=(evil, *report.accounts[1:])), tmp_path)
    with (tmp_path / "accounts.csv").open(encoding="utf-8", newline="") as file:
        row = next(csv.DictReader(file))
    assert row["owner"] == '\'=HYPERLINK("http://x","y")'
