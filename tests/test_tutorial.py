"""docs/tutorial.md, followed start to finish as a newcomer would, so that it cannot rot.

Every command after ``$ `` in its ``console`` blocks runs, in the order the
page gives them, in one bash session started in an empty folder outside the
repository. The hub is the project's wheel installed in a fresh virtual
environment (:mod:`tests.packaged`), standing for step 1's clone and
``pip install``, which need the network. The ``yaml`` blocks the page tells
the reader to put into ``sources.yaml`` are put there at the same point,
as told: a block after ``<!-- test: appended to sources.yaml -->`` is
appended, one after ``<!-- test: replaces the service's commented accounts in
sources.yaml -->`` replaces the ``# accounts:`` lines ``hub init`` wrote.
Every command must succeed, and the site and report they make must be there.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

pytest_plugins = ("tests.packaged",)

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "tutorial.md"
APPEND = "<!-- test: appended to sources.yaml -->"
ACCOUNTS = "<!-- test: replaces the service's commented accounts in sources.yaml -->"
STEP = "::tutorial line "
"""Printed before each step, so that a failure names the tutorial's line."""

REPLACE_ACCOUNTS = """\
import pathlib, sys
registry = pathlib.Path("sources.yaml")
lines = registry.read_text(encoding="utf-8").splitlines(keepends=True)
start = lines.index("    # accounts:\\n")
end = start + 1
while end < len(lines) and lines[end].startswith("    #   - "):
    end += 1
lines[start:end] = [pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")]
registry.write_text("".join(lines), encoding="utf-8")
"""
"""What the reader does by hand: the commented ``# accounts:`` lines of the
``service`` unit replaced with the block."""


@dataclass(frozen=True)
class Step:
    kind: Literal["run", "append", "accounts"]
    text: str
    line: int
    """Where it is in docs/tutorial.md."""


def commands(block: list[str], first: int) -> list[Step]:
    """The ``$ `` commands of a console block, a ``\\`` at a line's end joining the next."""
    found: list[Step] = []
    going: list[str] = []
    for number, line in enumerate(block, first):
        if going:
            going.append(line)
        elif line.startswith("$ "):
            going = [line[2:]]
            start = number
        if going and not line.endswith("\\"):
            found.append(Step("run", "\n".join(going), start))
            going = []
    assert not going, f"docs/tutorial.md:{first}: a command ends with \\ at the block's end"
    return found


def steps(text: str) -> list[Step]:
    """What the tutorial has the reader do, in order."""
    lines = text.splitlines()
    found: list[Step] = []
    marker = ""
    number = 0
    while number < len(lines):
        line = lines[number].strip()
        if line in (APPEND, ACCOUNTS):
            marker = line
        elif line.startswith("```"):
            indent = len(lines[number]) - len(lines[number].lstrip())
            language = line[3:].strip()
            body: list[str] = []
            number += 1
            while not lines[number].strip().startswith("```"):
                body.append(lines[number][indent:])
                number += 1
            if language == "console":
                found += commands(body, number - len(body) + 1)
            elif language == "yaml" and marker:
                kind: Literal["append", "accounts"] = "append" if marker == APPEND else "accounts"
                found.append(Step(kind, "\n".join(body) + "\n", number - len(body) + 1))
            marker = ""
        elif line:
            marker = ""
        number += 1
    return found


def script(found: list[Step], blocks: Path) -> str:
    """One bash script doing every step, stopping at the first that fails."""
    parts = ["set -euo pipefail"]
    for number, step in enumerate(found):
        parts.append(f"echo '{STEP}{step.line}' >&2")
        if step.kind == "run":
            parts.append(step.text)
            continue
        block = blocks / f"block-{number}.yaml"
        block.write_text(step.text, encoding="utf-8")
        if step.kind == "append":
            parts.append(f"cat {shlex.quote(str(block))} >> sources.yaml")
        else:
            helper = blocks / "accounts.py"
            helper.write_text(REPLACE_ACCOUNTS, encoding="utf-8")
            parts.append(f"python {shlex.quote(str(helper))} {shlex.quote(str(block))}")
    return "\n".join(parts) + "\n"


def test_the_steps_are_read_from_the_page() -> None:
    found = steps(TUTORIAL.read_text(encoding="utf-8"))
    kinds = [step.kind for step in found]
    assert kinds.count("accounts") == 1 and kinds.count("append") == 1
    assert kinds.index("accounts") < kinds.index("append")
    run = [step.text.split()[:2] for step in found if step.kind == "run"]
    assert ["hub", "init"] in run and ["hub", "report"] in run
    assert run.count(["hub", "check"]) >= 2 and run.count(["hub", "build"]) >= 2
    # A command written over several lines is one command.
    (init,) = [s.text for s in found if s.text.startswith("hub init")]
    assert "--timezone America/Toronto" in init and "\\\n" in init


def test_a_console_block_gives_its_commands_and_leaves_their_output() -> None:
    page = (
        "Text\n\n```console\n$ hub check\nsources.yaml: ok\n$ hub build \\\n    --offline\n```\n\n"
        f"{APPEND}\n```yaml\n  - id: x\n```\n\n```yaml\nnot: marked\n```\n"
        "\n```sh\nhub serve\n```\n"
    )
    assert steps(page) == [
        Step("run", "hub check", 4),
        Step("run", "hub build \\\n    --offline", 6),
        Step("append", "  - id: x\n", 12),
    ]


def test_the_tutorial_covers_the_first_day() -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    for heading in (
        "## 1. Install the hub",
        "## 2. Make the site's folder: `hub init`",
        "### A YouTube channel id",
        "### A Flickr NSID",
        "### A Facebook Page id",
        "### Tokens are repository secrets",
        "## 5. Put it on GitHub and turn on GitHub Pages",
        "## 6. The site's address: a project page or your own domain",
        "## 7. The first scheduled run",
        "## 8. The first governance report",
        "## Where to go next",
    ):
        assert f"\n{heading}\n" in text, heading
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start") :]
    assert "(docs/tutorial.md)" in quick_start[: quick_start.index("\n## ", 1)]


@pytest.fixture(scope="module")
def followed(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder where every step of the tutorial was done."""
    folder = tmp_path_factory.mktemp("newcomer")
    blocks = tmp_path_factory.mktemp("blocks")
    assert not folder.is_relative_to(REPO)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith(("GITHUB_", "HUB_"))
    }
    env["PATH"] = f"{installed}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(installed.parent)
    done = subprocess.run(
        ["bash", "-c", script(steps(TUTORIAL.read_text(encoding="utf-8")), blocks)],
        cwd=folder,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        where = done.stderr.rsplit(STEP, 1)[-1].split("\n", 1)[0] if STEP in done.stderr else "?"
        pytest.fail(
            f"docs/tutorial.md:{where}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    where = subprocess.run(
        [installed / "python", "-c", "import hub; print(hub.__file__)"],
        cwd=folder,
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)  # the wheel's hub
    return folder


def test_the_tutorial_makes_a_bilingual_site_under_its_path(followed: Path) -> None:
    site = followed / "northfield-hub"
    assert not (site / "themes").exists()  # the theme came with the package
    home = (site / "public" / "fr" / "index.html").read_text(encoding="utf-8")
    assert "Service de police de Northfield" in home
    assert 'href="/northfield-hub/en/"' in home  # the project page's path
    traffic = site / "public" / "fr" / "unites" / "circulation" / "index.html"
    assert "SgtJackWest" in traffic.read_text(encoding="utf-8")
    assert (site / "public" / "en" / "officers" / "jack-west" / "index.html").is_file()


def test_the_tutorial_ends_with_the_first_governance_report(followed: Path) -> None:
    report = followed / "northfield-hub" / "report"
    assert {p.name for p in report.iterdir()} == {"index.html", "accounts.csv", "report.json"}
    rows = (report / "accounts.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 10  # a header, and the ten accounts the tutorial adds
