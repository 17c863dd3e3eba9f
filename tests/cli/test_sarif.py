"""``hub check --format json|sarif``: one document on stdout, for machines and code scanning.

The SARIF log is validated against the official SARIF 2.1.0 schema
(``tests/schemas/sarif-schema-2.1.0.json``, see its NOTICE), through the
real command in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hub.cli import sarif
from hub.problems import Problem
from tests.cli.test_main import WARNING_ONLY

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))

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
  - name: Ada Fenwick
    unit: trafic
    accounts:
      - {platform: x, handle: AdaFenwick}
"""


def check(folder: Path, text: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    (folder / "themes" / "default").mkdir(parents=True, exist_ok=True)
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environ.update(PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(
        [sys.executable, "-m", "hub", "check", *args],
        cwd=folder,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def valid_sarif(text: str) -> dict[str, Any]:
    log = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return dict(log)


def test_the_schema_is_the_official_one() -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["id"] == sarif.SARIF_SCHEMA
    assert SCHEMA["properties"]["version"]["enum"] == [sarif.SARIF_VERSION]


def test_an_invalid_registry_as_sarif(tmp_path: Path) -> None:
    result = check(tmp_path, INVALID, "--format", "sarif")
    assert result.returncode == 1
    log = valid_sarif(result.stdout)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == sarif.SARIF_SCHEMA
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "police-social-hub"
    assert driver["version"] == metadata.version("police-social-hub")
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["site.url", "officers[].unit", "officers[].unit"]
    first = results[0]
    assert first["level"] == "error"
    assert first["message"]["text"].startswith("site.url: expected an http:// or https:// URL")
    (location,) = first["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "sources.yaml"},
        "region": {"startLine": 3, "startColumn": 8},
    }
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 10,
        "startColumn": 11,
    }
    # One rule per place in the format, each result pointing at its own.
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == ["site.url", "officers[].unit"]
    assert [r["ruleIndex"] for r in results] == [0, 1, 1]
    assert all(rule["defaultConfiguration"]["level"] == "error" for rule in rules)
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 1
    # The log on stdout is the whole of stdout; people read stderr, as with text.
    assert "sources.yaml:3:8: error: site.url:" in result.stderr
    assert result.stderr.rstrip().endswith("error: sources.yaml: 3 errors")
    assert "Traceback" not in result.stderr


def test_a_valid_registry_as_sarif_has_no_results(tmp_path: Path) -> None:
    result = check(tmp_path, VALID, "--format", "sarif")
    assert result.returncode == 0, result.stderr
    log = valid_sarif(result.stdout)
    (run,) = log["runs"]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]
    assert "ok:" not in result.stdout


def test_warnings_are_warnings_and_strict_fails_with_them(tmp_path: Path) -> None:
    lenient = check(tmp_path, WARNING_ONLY, "--format", "sarif")
    assert lenient.returncode == 0
    (result,) = valid_sarif(lenient.stdout)["runs"][0]["results"]
    assert result["level"] == "warning"
    assert result["ruleId"] == "officers[]"
    assert "Jack West has no accounts" in result["message"]["text"]

    strict = check(tmp_path, WARNING_ONLY, "--format", "sarif", "--strict")
    assert strict.returncode == 1
    run = valid_sarif(strict.stdout)["runs"][0]
    assert [r["level"] for r in run["results"]] == ["warning"]
    notification = run["invocations"][0]["toolExecutionNotifications"][0]
    assert "--strict" in notification["message"]["text"]


def test_an_unreadable_registry_is_a_result_on_its_first_line(tmp_path: Path) -> None:
    result = check(tmp_path, VALID, "--format", "sarif", "--sources", "nowhere.yaml")
    assert result.returncode == 1
    (found,) = valid_sarif(result.stdout)["runs"][0]["results"]
    assert found["ruleId"] == sarif.WHOLE_FILE
    assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nowhere.yaml"
    assert found["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
    }


def test_under_github_actions_the_repository_is_the_information_uri(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        INVALID,
        "--format",
        "sarif",
        GITHUB_SERVER_URL="https://github.example",
        GITHUB_REPOSITORY="lakeview/hub",
    )
    driver = valid_sarif(result.stdout)["runs"][0]["tool"]["driver"]
    # The package's own home page wins when its metadata names one.
    assert driver["informationUri"] in (
        sarif.information_uri(),
        "https://github.example/lakeview/hub",
    )
    assert driver["informationUri"].startswith("https://")


def test_the_json_format(tmp_path: Path) -> None:
    bad = check(tmp_path, INVALID, "--format", "json")
    assert bad.returncode == 1
    document = json.loads(bad.stdout)
    assert document["format"] == sarif.JSON_FORMAT
    assert (document["valid"], document["exit_code"], document["errors"]) == (False, 1, 3)
    assert document["counts"] is None
    assert document["error"] == "sources.yaml: 3 errors"
    assert document["problems"][0] == {
        "file": "sources.yaml",
        "line": 3,
        "column": 8,
        "severity": "error",
        "path": "site.url",
        "message": 'expected an http:// or https:// URL, got "javascript:alert(1)"',
    }

    good = check(tmp_path, WARNING_ONLY, "--format", "json")
    assert good.returncode == 0
    document = json.loads(good.stdout)
    assert (document["valid"], document["errors"], document["warnings"]) == (True, 0, 1)
    assert document["counts"]["units"] == 1
    assert document["counts"]["officers"] == 1


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = check(tmp_path, VALID, "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("file", "uri"),
    [
        ("sources.yaml", "sources.yaml"),
        ("content/pages/a page.en.md", "content/pages/a%20page.en.md"),
        ("/srv/hub/sources.yaml", "file:///srv/hub/sources.yaml"),
    ],
)
def test_artifact_uris(file: str, uri: str) -> None:
    assert sarif.artifact_uri(file) == uri


def test_rule_ids_drop_list_positions() -> None:
    problem = Problem("sources.yaml", 14, 7, "officers[3].accounts[12].handle", "bad")
    assert sarif.rule_id(problem) == "officers[].accounts[].handle"
    assert sarif.rule_id(Problem("sources.yaml", 1, 1, "", "not YAML")) == "file"
