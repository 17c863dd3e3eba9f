"""Problems found in user input, and how they are shown.

A problem is a value: where it is (file, line, column, path in the document),
how bad it is, and what to do. The command line prints them GCC style, which
editors and CI logs turn into links:
``sources.yaml:14:7: error: officers[3].accounts[0].handle: MESSAGE``.
"""

from __future__ import annotations

import difflib
import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
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
        where = f"file={self.file},line={self.line},col={self.col}"
        return f"::{kind} {where}::{workflow_text(message)}"


def workflow_text(message: str) -> str:
    """``message`` as a GitHub Actions workflow command's text: one line, whatever it holds."""
    for raw, escaped in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A")):
        message = message.replace(raw, escaped)
    return message


class HubError(Exception):
    """An error meant for the user: the CLI prints it and exits with ``exit_code``."""

    exit_code = 1
    where = ""
    """``FILE:LINE`` at fault, when the error is in one place of one file (the message's start)."""

    def format(self) -> str:
        """The one line the command line prints: ``error: ...``, or ``FILE:LINE: error: ...``."""
        text = str(self)
        start = f"{self.where}: "
        if self.where and text.startswith(start):
            return f"{start}error: {text.removeprefix(start)}"
        return f"error: {text}"


class RegistryError(HubError):
    """sources.yaml is invalid; ``problems`` holds every error and warning found."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the registry")
        self.problems = problems


_SAID = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is larger than this system lets a file grow",
}
"""Errors of the machine, not of the input, in plain words (what the system said follows)."""


def os_reason(err: OSError) -> str:
    """What went wrong with a file, in one phrase: ``the disk is full (...): public/x.html``.

    A path that cannot be made because a file stands where a folder should
    names that file.
    """
    name = os.fsdecode(err.filename) if err.filename is not None else None
    if name is not None and err.errno in (errno.ENOTDIR, errno.EEXIST):
        for path in (Path(name), *Path(name).parents):
            if os.path.lexists(path):
                if path.is_symlink() and not path.exists():
                    return f"{path} is a symbolic link that leads nowhere"
                if not path.is_dir():
                    return f"{path} is a file, not a folder"
                break
    said = err.strerror or str(err)
    plain = _SAID.get(err.errno or 0)
    text = f"{plain} ({said})" if plain else said
    return f"{text}: {name}" if name else text


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
