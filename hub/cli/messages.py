"""What a run says on stderr, and how much: ``-q``, ``-v`` and colour on a terminal.

Every line a command prints about its work goes through here, by kind:

- errors (``error: ...``, a problem ``FILE:LINE:COL: error: ...``): always;
- warnings, notes and status lines (``fetch: ...``, ``gate: ...``): unless ``-q``;
- details (one line per feed with its HTTP status and time): with ``-v`` only.

``-q`` is for cron, which mails whatever a job prints: a run that goes well
prints nothing. What a command was asked for (``hub audit``'s events, a JSON
document) is its output on stdout, never silenced.

On a terminal (stderr is a TTY, ``TERM`` is not ``dumb``) the ``error:`` and
``warning:`` words are coloured, as GCC colours them, unless ``NO_COLOR`` is
set to anything (https://no-color.org). Files, pipes and CI logs get plain
text, and GitHub Actions' workflow commands (``::error file=...``) are never
coloured: the runner reads them.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import Literal, TextIO

from hub.problems import Problem, workflow_text

Verbosity = Literal["quiet", "normal", "verbose"]

_level: Verbosity = "normal"

RED = "\x1b[1;31m"
MAGENTA = "\x1b[1;35m"
RESET = "\x1b[0m"
_COLOURS = {"error": RED, "warning": MAGENTA}
_SEVERITY = re.compile(r"^((?:[^\s:][^:]*:\d+(?::\d+)?: )?)(error|warning):")
"""The severity word at a line's start, after a ``FILE:LINE[:COL]: `` if there is one."""


def configure(verbosity: Verbosity) -> None:
    """How much this process says from now on (each command line run sets it)."""
    global _level
    _level = verbosity


def verbosity() -> Verbosity:
    return _level


def quiet() -> bool:
    return _level == "quiet"


def verbose() -> bool:
    return _level == "verbose"


def colour_wanted(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Whether lines written to ``stream`` may be coloured: a terminal, and no ``NO_COLOR``."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream
        return False


def paint(line: str) -> str:
    """``line`` with its leading ``error:`` or ``warning:`` coloured; the rest unchanged."""
    found = _SEVERITY.match(line)
    if found is None:
        return line
    where, word = found.group(1), found.group(2)
    rest = line[found.end() :]
    return f"{where}{_COLOURS[word]}{word}:{RESET}{rest}"


def _write(line: str, stream: TextIO | None = None) -> None:
    out = stream or sys.stderr
    print(paint(line) if colour_wanted(out) else line, file=out)


def shown(kind: Literal["error", "warning", "note", "status", "detail"]) -> bool:
    """Whether a line of this kind is printed at the current verbosity."""
    if kind == "error":
        return True
    if kind == "detail":
        return _level == "verbose"
    return _level != "quiet"


def error(text: str) -> None:
    """``error: text``: always printed."""
    _write(f"error: {text}")


def failure(line: str) -> None:
    """A line already worded as an error (``FILE:LINE: error: ...``, ``interrupted; ...``)."""
    _write(line)


def warning(text: str) -> None:
    if shown("warning"):
        _write(f"warning: {text}")


def note(text: str) -> None:
    if shown("note"):
        _write(f"note: {text}")


def status(text: str) -> None:
    """A line saying how the work went (``fetch: 12 feeds ...``), unless ``-q``."""
    if shown("status"):
        _write(text)


def detail(text: str) -> None:
    """A line only ``-v`` asks for."""
    if shown("detail"):
        _write(text)


def result(text: str) -> None:
    """A command's one-line verdict on stdout (``sources.yaml: ok: ...``), unless ``-q``."""
    if shown("status"):
        print(text)


def problem(found: Problem, *, failing: bool = False) -> None:
    """A problem GCC style and, under GitHub Actions, as an annotation on its line.

    ``failing``: a warning that fails the run (``--strict``) is shown as errors are.
    """
    if not (failing or shown(found.severity)):
        return
    _write(found.format())
    if annotating():
        print(found.github_annotation(), file=sys.stderr)


def annotating() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def annotate(kind: Literal["error", "warning"], title: str, message: str) -> None:
    """A GitHub Actions workflow command, so the message shows on the run's page.

    Never coloured; a warning's is left out with ``-q``, as the warning is.
    """
    if not annotating() or not shown(kind):
        return
    print(f"::{kind} title={title}::{workflow_text(message)}", file=sys.stderr)


def through(printer: Callable[[str], None], line: str) -> None:
    """``line``, coloured as :func:`_write` would, handed to ``printer`` (a live display)."""
    printer(paint(line) if colour_wanted(sys.stderr) else line)
