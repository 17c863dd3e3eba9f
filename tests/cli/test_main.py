"""The command line: ``hub check``, exit codes, CI annotations, usage and help.

Every test runs the real command in a subprocess, as CI and users do.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

VALID = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en]
  contact: {emergency: "911"}
units:
  - id: traffic
    name: Traffic Services
    kind: unit
    accounts:
      - {platform: x, handle: LakeviewTraffic}
      - {platform: youtube, handle: UCPtYgjmUhBel31iEl2hpChY}
officers:
  - name: Jack West
    unit: traffic
    accounts:
      - {platform: x, handle: SgtJackWest}
"""

WARNING_ONLY = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en]
  contact: {emergency: "911"}
units:
  - {id: traffic, name: Traffic Services, kind: unit}
officers:
  - name: Jack West
    unit: traffic
"""

INVALID = """\
site:
  name: Lakeview Police Service
  url: javascript:alert(1)
  languages: [en]
  contact: {emergency: "911"}
units:
  - {id: traffic, name: Traffic Services, kind: unit}
officers:
  - name: Jack West
    unit: trafic
    accounts:
      - {platform: x, handle: SgtJackWest}
"""

GCC = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): ")


def run(*args: str, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environ.update(PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def registry(folder: Path, text: str) -> Path:
    (folder / "themes" / "default").mkdir(parents=True, exist_ok=True)
    path = folder / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def hub_check(path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run("-m", "hub", "check", "--sources", path.name, *args, cwd=path.parent, **env)


def test_check_valid_registry(tmp_path: Path) -> None:
    result = hub_check(registry(tmp_path, VALID))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sources.yaml: ok: 1 unit, 1 officer, 3 accounts, 1 feed")
    assert "error" not in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_check_invalid_registry(tmp_path: Path) -> None:
    result = hub_check(registry(tmp_path, INVALID))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "ok:" not in result.stdout
    problems = [line for line in result.stderr.splitlines() if GCC.match(line)]
    assert problems == [
        "sources.yaml:3:8: error: site.url: "
        'expected an http:// or https:// URL, got "javascript:alert(1)"',
        "sources.yaml:10:11: error: officers[0].unit: "
        'no unit with id "trafic" (did you mean "traffic"?)',
    ]
    assert result.stderr.rstrip().endswith("error: sources.yaml: 2 errors")
    assert "::error" not in result.stderr


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = registry(tmp_path, WARNING_ONLY)
    lenient = hub_check(path)
    assert lenient.returncode == 0, lenient.stderr
    assert "sources.yaml:9:5: warning: officers[0]: Jack West has no accounts" in lenient.stderr
    assert "1 warning" in lenient.stdout

    strict = hub_check(path, "--strict")
    assert strict.returncode == 1
    assert "sources.yaml:9:5: warning: officers[0]" in strict.stderr
    assert "--strict" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_github_actions_annotations(tmp_path: Path) -> None:
    result = hub_check(registry(tmp_path, INVALID), GITHUB_ACTIONS="true")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "::error file=sources.yaml,line=3,col=8::site.url: expected an http:// or https:// URL, "
        'got "javascript:alert(1)"'
    ) in lines
    annotations = [line for line in lines if line.startswith("::error file=sources.yaml,")]
    assert len(annotations) == 2
    # The plain lines stay, for people reading the log.
    assert sum(1 for line in lines if GCC.match(line)) == 2


def test_github_actions_warning_annotation(tmp_path: Path) -> None:
    result = hub_check(registry(tmp_path, WARNING_ONLY), GITHUB_ACTIONS="true")
    assert result.returncode == 0
    assert "::warning file=sources.yaml,line=9,col=5::officers[0]: Jack West" in result.stderr


def test_missing_registry(tmp_path: Path) -> None:
    result = run("-m", "hub", "check", "--sources", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere.yaml:1:1: error: cannot read the file" in result.stderr
    assert "Traceback" not in result.stderr


def test_default_sources_is_sources_yaml(tmp_path: Path) -> None:
    registry(tmp_path, VALID)
    result = run("-m", "hub", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sources.yaml: ok:")


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["check", "--no-such-option"],
        ["check", "--sources"],
        ["serve", "--port", "eighty"],
        [],
    ],
    ids=["unknown-command", "unknown-option", "missing-value", "bad-port", "no-command"],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = run("-m", "hub", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: hub" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_build_py_usage_error(tmp_path: Path) -> None:
    result = run(str(REPO / "build.py"), "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: build.py" in result.stderr


def test_hub_help_lists_the_commands() -> None:
    result = run("-m", "hub", "--help")
    assert result.returncode == 0
    for command in ("check", "fetch", "build", "serve"):
        assert command in result.stdout


def test_build_py_help() -> None:
    result = run("build.py", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: build.py")
    for option in ("--sources", "--out", "--cache", "--offline", "--strict"):
        assert option in result.stdout


@pytest.mark.parametrize("command", ["check", "fetch", "build", "serve"])
def test_command_help(command: str) -> None:
    result = run("-m", "hub", command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: hub {command}")
    assert "--sources" in result.stdout
    assert "--strict" in result.stdout
    assert ("--port" in result.stdout) == (command == "serve")
