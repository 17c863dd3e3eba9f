"""Every page of the demo and of the hostile fixture is valid HTML, by the W3C
Nu HTML Checker (the ``vnu-jar`` package in package.json; ``npm ci`` installs
it and ``scripts/test.sh`` runs that).

The checker runs once, in one Java process, over every page of both sites and
a deliberately broken canary page that proves it is really looking. Errors
fail; warnings are allowed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CANARY = """<!doctype html>
<html lang="en"><head><title>canary</title></head>
<body><p><div>a div closes the paragraph, so the end tag below is stray</div></p>
<img src="x.png"></body></html>
"""


@dataclass(frozen=True)
class Message:
    file: Path
    line: int
    column: int
    type: str
    text: str
    extract: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column}: {self.type}: {self.text}\n    {self.extract}"
        )


def run_vnu(files: list[Path]) -> list[Message]:
    """The checker's errors and warnings for ``files``, from one Java process."""
    java = shutil.which("java")
    assert java, "java is not installed: run scripts/test.sh (it installs default-jre-headless)"
    assert VNU.is_file(), f"{VNU} is missing: run `npm ci` (scripts/test.sh does)"
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return [_message(item) for item in report["messages"]]


def _message(item: dict[str, Any]) -> Message:
    url = str(item.get("url", ""))
    kind = "warning" if item.get("subType") == "warning" else str(item.get("type"))
    return Message(
        file=Path(url.removeprefix("file:")),
        line=int(item.get("lastLine", item.get("firstLine", 0))),
        column=int(item.get("firstColumn", 0)),
        type=kind,
        text=str(item.get("message", "")),
        extract=" ".join(str(item.get("extract", "")).split()),
    )


@pytest.fixture(scope="module")
def checked(
    demo_site: Site, hostile_site: Site, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[Message]]:
    """The checker's messages, by site ("demo", "hostile", "canary")."""
    canary = tmp_path_factory.mktemp("canary") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    sites = {"demo": demo_site.out, "hostile": hostile_site.out}
    files = [canary] + [page for out in sites.values() for page in sorted(out.rglob("*.html"))]
    by_site: dict[str, list[Message]] = {name: [] for name in [*sites, "canary"]}
    for message in run_vnu(files):
        site = next(
            (name for name, out in sites.items() if message.file.is_relative_to(out)), "canary"
        )
        by_site[site].append(message)
    return by_site


def errors(messages: list[Message], out: Path) -> str:
    problems = [m for m in messages if m.type != "warning"]
    shown = "\n".join(str(m).replace(str(out) + "/", "", 1) for m in problems[:40])
    more = f"\n... and {len(problems) - 40} more" if len(problems) > 40 else ""
    return shown + more


def test_the_checker_reports_errors(checked: dict[str, list[Message]]) -> None:
    assert any(m.type == "error" for m in checked["canary"]), checked["canary"]


def test_demo_pages_are_valid_html(demo_site: Site, checked: dict[str, list[Message]]) -> None:
    assert len(demo_site.paths) >= 100
    report = errors(checked["demo"], demo_site.out)
    assert not report, f"Nu HTML Checker errors in the demo:\n{report}"


def test_hostile_pages_are_valid_html(
    hostile_site: Site, checked: dict[str, list[Message]]
) -> None:
    report = errors(checked["hostile"], hostile_site.out)
    assert not report, f"Nu HTML Checker errors in the hostile fixture:\n{report}"
