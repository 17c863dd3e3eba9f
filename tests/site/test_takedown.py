"""``hub hide URL``: a post taken down by an edit of ``content/curation.yaml``.

The file is edited as text (comments and layout kept), checked before it
replaces the old one, and a real build afterwards leaves the post out.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hub.problems import HubError, Problem
from hub.site.curation import read_curation
from hub.site.takedown import add_hide
from tests.test_curation_build import FIXTURE, HIDDEN, build

REPO = Path(__file__).resolve().parents[2]
URL = "https://news.harbourbay.example/2026/zebrafinch"
DAY = date(2026, 11, 22)


def curation(tmp_path: Path, text: str | None) -> Path:
    path = tmp_path / "content" / "curation.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return path


def hides(path: Path) -> list[tuple[str, str, date]]:
    problems: list[Problem] = []
    read = read_curation(path, "curation.yaml", None, problems)
    assert [p for p in problems if p.severity == "error"] == []
    return [(h.url, h.reason, h.date) for h in read.hide]


def test_the_first_hide_goes_first_and_the_comments_stay(tmp_path: Path) -> None:
    text = (
        "# yaml-language-server: $schema=curation.schema.json\n"
        "# Taken down for good.\n"
        "hide:\n"
        "    # newest first\n"
        "    - url: https://x.com/LakeviewPS/status/1\n"
        "      reason: Names a victim (CC-1).\n"
        "      date: 2026-11-01\n"
        "pin: []\n"
    )
    path = curation(tmp_path, text)
    assert add_hide(path, "curation.yaml", URL, 'A home\'s address: "CC-2"', DAY, ())
    written = path.read_text(encoding="utf-8")
    assert written.startswith(text.split("    - url")[0])
    assert "# newest first" in written and "pin: []" in written
    assert hides(path) == [
        (URL, 'A home\'s address: "CC-2"', DAY),
        ("https://x.com/LakeviewPS/status/1", "Names a victim (CC-1).", date(2026, 11, 1)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "# yaml-language-server: $schema=curation.schema.json\npin: []",
    ],
    ids=["no-file", "empty", "no-hide-key"],
)
def test_a_file_without_hides_gets_its_first(tmp_path: Path, text: str | None) -> None:
    path = curation(tmp_path, text)
    assert add_hide(path, "curation.yaml", URL, "CC-3", DAY, ())
    assert hides(path) == [(URL, "CC-3", DAY)]


def test_a_post_hidden_already_is_left_as_it_is(tmp_path: Path) -> None:
    path = curation(tmp_path, None)
    add_hide(path, "curation.yaml", URL, "CC-3", DAY, ())
    before = path.read_bytes()
    assert not add_hide(
        path,
        "curation.yaml",
        "http://www.News.HarbourBay.example/2026/zebrafinch/",
        "again",
        DAY,
        (),
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "url", "reason", "said"),
    [
        ("hide: [{url: 'https://a.example/1', reason: r, date: 2026-01-01}]\n", URL, "r",
         "curation.yaml:1:7: hide: is not written as a list of '- url: ...' items"),
        ("hide:\n  - url: https://a.example/1\n", URL, "r",
         'curation.yaml:2:5: error: hide[0]: missing required key "reason"'),
        ("pin: []\n", "javascript:alert(1)", "r", "is not a post's address"),
        ("pin: []\n", URL, "  ", "say why the post is taken down: --reason"),
    ],
    ids=["flow-list", "file-with-errors", "not-a-url", "no-reason"],
)  # fmt: skip
def test_what_cannot_be_added_writes_nothing(
    tmp_path: Path, text: str, url: str, reason: str, said: str
) -> None:
    path = curation(tmp_path, text)
    with pytest.raises(HubError) as raised:
        add_hide(path, "curation.yaml", url, reason, DAY, ())
    # As the command line prints it: the place first, then one "error:".
    printed = raised.value.format()
    assert said in printed
    assert not re.search(r"error: \S+:\d+:\d+: error:", printed), printed
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in path.parent.iterdir()] == ["curation.yaml"]


def test_hub_hide_then_a_build_takes_the_post_off_every_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    (site / "content" / "curation.yaml").write_text("# nothing curated yet\n", encoding="utf-8")
    environ = {**os.environ, "PYTHONPATH": str(REPO)}

    def hub(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hub", *args],
            cwd=site,
            env=environ,
            capture_output=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    done = hub("hide", URL + "/", "--reason", "A home's address (CC-9)", "--date", "2026-11-21")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"content/curation.yaml: hide of {URL}/ added: the next build takes the post off the site\n"
    )
    assert hub("check").returncode == 0
    again = hub("hide", URL, "--reason", "twice")
    assert again.returncode == 0 and "already there" in again.stdout
    wrong = hub("hide", URL, "--reason", "x", "--date", "22/11/2026")
    assert wrong.returncode == 2
    assert "expected a date as YYYY-MM-DD, such as 2026-03-01" in wrong.stderr
    built = build(tmp_path, (site / "content" / "curation.yaml").read_text(), site=site)
    assert built.files_with(*HIDDEN) == {}


def test_the_file_keeps_its_permissions_and_a_link_stays_a_link(tmp_path: Path) -> None:
    real = curation(tmp_path, "# curated by Corporate Communications\n")
    real.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert add_hide(link, "curation.yaml", URL, "Names a young person", DAY, ())
    assert link.is_symlink() and link.resolve() == real
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert URL in real.read_text(encoding="utf-8")
