"""Problems found in user input, and how they are shown.

A problem is a value: where it is (file, line, column, path in the document),
how bad it is, and what to do. The command line prints them GCC style, which
editors and CI logs turn into links:
``sources.yaml:14:7: error: officers[3].accounts[0].handle: MESSAGE``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    col: int
    path: str
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {where}{self.message}"

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the PR's line."""
        kind = "error" if self.severity == "error" else "warning"
        message = f"{self.path}: {self.message}" if self.path else self.message
        for raw, escaped in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A")):
            message = message.replace(raw, escaped)
        return f"::{kind} file={self.file},line={self.line},col={self.col}::{message}"


class HubError(Exception):
    """An error meant for the user: the CLI prints it and exits with ``exit_code``."""

    exit_code = 1


class RegistryError(HubError):
    """sources.yaml is invalid; ``problems`` holds every error and warning found."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the registry")
        self.problems = problems


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "traffic"?)`` for a near miss, else an empty string."""
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return f' (did you mean "{lowered[word.lower()]}"?)'
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.75)
    return f' (did you mean "{lowered[close[0]]}"?)' if close else ""


def one_of(choices: Iterable[str]) -> str:
    items = [f'"{c}"' for c in choices]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
