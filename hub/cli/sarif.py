"""``hub check --format json|sarif``: the check's problems as one document, for machines.

``json`` is the hub's own shape: the verdict, the counts, and each problem
with its file, line, column, severity, path in the document and message.

``sarif`` is SARIF 2.1.0 (OASIS), which code scanning reads: GitHub's
``github/codeql-action/upload-sarif`` shows each result on its line of the
pull request (docs/ci.md). A rule is a place in the format: the problem's
path in its document with the list positions taken out
(``officers[].accounts[].handle``), so that the problems of one key are one
rule across files and runs; a problem of the file as a whole (unreadable,
not YAML) is the rule ``file``. Artifact URIs are the files as the check
names them, relative to the folder it runs in (the repository's root in CI).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from hub.cli.arguments import PACKAGE, version
from hub.cli.options import EXIT_OK, Options
from hub.problems import HubError, Problem

if TYPE_CHECKING:
    from hub.cli.commands import Checked

    Check = Callable[[Options, Callable[[Sequence[Problem]], None]], Checked]

JSON_FORMAT = 1
"""The version of the ``json`` document's shape."""
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL = "police-social-hub"
WHOLE_FILE = "file"
"""The rule of a problem with no path in its document."""
_INDEX = re.compile(r"\[\d+\]")


def run(options: Options, check: Check, counts: Callable[[Checked], Mapping[str, int]]) -> int:
    """``hub check --format json|sarif``: the document on stdout, whatever the verdict;
    stderr and the exit code are those of ``--format text``."""
    found: list[Problem] = []
    kind = options.output_format
    try:
        checked = check(options, found.extend)
    except HubError as exc:
        print(dumps(document(kind, found, exit_code=exc.exit_code, error=str(exc), counts=None)))
        raise
    held = {f"{word}s": n for word, n in counts(checked).items()}
    print(dumps(document(kind, found, exit_code=EXIT_OK, error=None, counts=held)))
    return EXIT_OK


def rule_id(problem: Problem) -> str:
    """``officers[3].accounts[0].handle`` -> ``officers[].accounts[].handle``."""
    return _INDEX.sub("[]", problem.path) if problem.path else WHOLE_FILE


def document(
    kind: str,
    problems: Sequence[Problem],
    *,
    exit_code: int,
    error: str | None,
    counts: Mapping[str, int] | None,
) -> dict[str, Any]:
    """The ``json`` or ``sarif`` document of one check.

    ``error`` is the line the run ends with when it fails (``sources.yaml: 2 errors``);
    ``counts`` what a valid registry holds (units, officers...), None when it is not.
    """
    if kind == "sarif":
        return sarif(problems, exit_code=exit_code, error=error)
    return {
        "format": JSON_FORMAT,
        "valid": exit_code == 0,
        "exit_code": exit_code,
        "error": error,
        "errors": sum(1 for p in problems if p.severity == "error"),
        "warnings": sum(1 for p in problems if p.severity == "warning"),
        "counts": dict(counts) if counts is not None else None,
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.col,
                "severity": p.severity,
                "path": p.path,
                "message": p.message,
            }
            for p in problems
        ],
    }


def dumps(value: Mapping[str, Any]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def sarif(problems: Sequence[Problem], *, exit_code: int, error: str | None) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: the check's problems as results."""
    rules: dict[str, dict[str, Any]] = {}
    for problem in problems:
        rid = rule_id(problem)
        if rid not in rules:
            rules[rid] = _rule(rid, problem)
        elif problem.severity == "error":
            rules[rid]["defaultConfiguration"]["level"] = "error"
    index = {rid: n for n, rid in enumerate(rules)}
    invocation: dict[str, Any] = {"executionSuccessful": exit_code == 0, "exitCode": exit_code}
    if error:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": error}}]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": _driver(list(rules.values()))},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": [_result(p, index[rule_id(p)]) for p in problems],
            }
        ],
    }


def _driver(rules: list[dict[str, Any]]) -> dict[str, Any]:
    driver: dict[str, Any] = {"name": TOOL, "version": version(), "rules": rules}
    home = information_uri()
    if home:
        driver["informationUri"] = home
    return driver


def information_uri() -> str | None:
    """Where people read about the tool: the package's home page, else, in GitHub
    Actions, the repository the check runs in (the service's copy of the hub)."""
    try:
        urls = metadata.metadata(PACKAGE).get_all("Project-URL") or []
        home = metadata.metadata(PACKAGE).get("Home-page")
    except metadata.PackageNotFoundError:
        urls, home = [], None
    for entry in urls:
        _, _, url = entry.partition(",")
        if url.strip().startswith("https://"):
            return url.strip()
    if home and home.startswith("https://"):
        return home
    server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    if server and repository:
        return f"{server.rstrip('/')}/{repository}"
    return None


def _rule(rid: str, first: Problem) -> dict[str, Any]:
    where = "the file as a whole" if rid == WHOLE_FILE else rid
    return {
        "id": rid,
        "shortDescription": {"text": f"A problem with {where}"},
        "fullDescription": {
            "text": (
                f"{where}: a value that the registry's or content's format does not allow, "
                "or that disagrees with the rest of the files (docs/sources.md)"
            )
        },
        "defaultConfiguration": {"level": first.severity},
    }


def _result(problem: Problem, rule_index: int) -> dict[str, Any]:
    text = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return {
        "ruleId": rule_id(problem),
        "ruleIndex": rule_index,
        "level": problem.severity,
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(problem.file)},
                    "region": {
                        "startLine": max(problem.line, 1),
                        "startColumn": max(problem.col, 1),
                    },
                }
            }
        ],
    }


def artifact_uri(file: str) -> str:
    """A file as a URI reference: relative as the check names it, ``file://`` if absolute."""
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix())
