"""``hub report`` from the command line: a real store filled by real fetches from the
local feed server, a real build, and the profiles asked of a local Mastodon and Bluesky.

The report lands in ``--out`` and nowhere else: never in the site's output
folder, which it refuses, and nothing a build publishes ever holds an
``admin:`` value. The clock is the machine's here, so these tests check what
does not depend on the day; the sections' arithmetic is tested in
``tests/governance/`` with a fixed clock.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.outputs.files import MARKER
from tests.feedserver import FeedServer
from tests.governance import world
from tests.governance.socialapis import SocialApis

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Service:
    folder: Path
    apis: SocialApis


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    """Test Bay Police, its feeds read twice into ``.hub-cache/``, its profiles answering."""
    now = datetime.now(UTC)
    with FeedServer() as server, SocialApis() as apis:
        world.serve(server)
        world.social(apis)
        registry = world.load(world.write_registry(tmp_path, server))
        world.fill_store(
            registry,
            tmp_path / ".hub-cache",
            server,
            (now - timedelta(days=2), now - timedelta(hours=1)),
        )
        yield Service(tmp_path, apis)


def hub(service: Service, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environ.update(
        PYTHONIOENCODING="utf-8",
        PYTHONPATH=str(REPO),
        HUB_API_BASE_MASTODON=service.apis.url,
        HUB_API_BASE_BLUESKY=service.apis.url,
    )
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        cwd=service.folder,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by its path there, with the hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def no_person_in(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text
        for value in world.PERSONAL:
            assert value.lower() not in text.lower()


def test_the_report_lands_beside_the_site_and_the_site_names_nobody(service: Service) -> None:
    built = hub(service, "build", "--offline")
    assert built.returncode == 0, built.stderr
    public = service.folder / "public"
    published = files(public)
    assert "index.html" in published and len(published) > 20
    # No page, feed or file of the site holds an admin: value, however encoded.
    for name in published:
        data = (public / name).read_bytes().lower()
        for value in world.PERSONAL:
            for form in {value, json.dumps(value)[1:-1], value.replace(" ", "%20")}:
                assert form.lower().encode() not in data, (name, value)

    result = hub(service, "report")
    assert result.returncode == 0, result.stderr
    report = service.folder / "report"
    assert sorted(files(report)) == ["accounts.csv", "index.html", "report.json"]
    assert files(public) == published  # not a byte of the site changed, nothing added
    # What it prints (a CI log may be public) says counts and paths, never a person.
    no_person_in(result.stdout, result.stderr, built.stdout, built.stderr)
    assert result.stderr.splitlines()[-1] == (
        "report: -> report/index.html, report/accounts.csv, report/report.json"
    )
    document = json.loads((report / "report.json").read_text(encoding="utf-8"))
    found = {
        (f["code"], f["account"]) for section in document["sections"] for f in section["findings"]
    }
    assert found >= {
        ("backlink-unverified", "mastodon:testbay@social.testbay.example"),
        ("no-backlink", "bluesky:testbay.bsky.social"),
        ("feed-failing", "website:https://never.testbay.example/"),
        ("alt-missing", "website:https://testbay.example/"),
        ("held", "website:https://testbay.example/"),
        ("unowned", "x:testbayyouth"),
    }
    assert world.OWNER in (report / "index.html").read_text(encoding="utf-8")
    assert len(service.apis.requests) == 2


def test_offline_asks_no_platform(service: Service) -> None:
    result = hub(service, "report", "--offline", "--out", "private/weekly")
    assert result.returncode == 0, result.stderr
    document = json.loads(
        (service.folder / "private" / "weekly" / "report.json").read_text(encoding="utf-8")
    )
    skipped = {s["id"]: s["skipped"] for s in document["sections"]}
    assert skipped["tokens"] == skipped["backlinks"] == "--offline"
    assert document["offline"] is True
    assert service.apis.requests == []


@pytest.mark.parametrize("out", ["public", "public/report", "./public/../public/gov"])
def test_the_sites_output_folder_is_refused(service: Service, out: str) -> None:
    result = hub(service, "report", "--out", out)
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"error: --out {Path(out)}: is inside the site's output folder")
    assert "never" in last
    assert not (service.folder / "public").exists()
    assert service.apis.requests == []


def test_a_folder_holding_a_published_site_is_refused(service: Service) -> None:
    site = service.folder / "www" / "police"
    site.mkdir(parents=True)
    (site / MARKER).write_text("", encoding="utf-8")
    for out in ("www/police", "www/police/private"):
        result = hub(service, "report", "--out", out)
        assert result.returncode == 1, out
        assert "is inside the site's output folder" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == [MARKER]


def test_without_a_store_there_is_nothing_to_report(service: Service) -> None:
    result = hub(service, "report", "--cache", "elsewhere")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: elsewhere/store.sqlite3: no store yet: run hub fetch or hub build first "
        "(or name the cache folder with --cache)"
    )
    assert not (service.folder / "report").exists()
    assert not (service.folder / "elsewhere").exists()


def test_a_broken_registry_ends_it_as_hub_check_does(service: Service) -> None:
    sources = service.folder / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    result = hub(service, "report")
    assert result.returncode == 1
    assert "sources.yaml:" in result.stderr and ": error: " in result.stderr
    assert "Traceback" not in result.stderr
    assert not (service.folder / "report").exists()
