"""The code map stays true: docs/architecture.md names every module, and only real files.

Every module under ``hub/`` (``__init__.py`` aside) is named in the map as
its path from the project's folder, in backticks: ``hub/registry/load.py``.
Every path the map names in backticks under ``hub/``, ``tests/``, ``bench/``,
``docs/``, ``themes/``, ``content/`` or ``scripts/`` exists; a path with a
``<placeholder>`` in it stands for many and is not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "docs" / "architecture.md"
ROOTS = ("hub", "tests", "bench", "docs", "themes", "content", "scripts")
CODE = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"(?<![\w./-])(?:" + "|".join(ROOTS) + r")/[\w./<>-]*")


def modules() -> list[str]:
    """Every module under hub/, as the map names it."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "hub").rglob("*.py")
        if path.name != "__init__.py"
    )


def named_paths(text: str) -> set[str]:
    """The project paths named in backticks in ``text``."""
    return {path for code in CODE.findall(text) for path in PATH.findall(code)}


def test_the_map_names_every_module() -> None:
    named = named_paths(MAP.read_text("utf-8"))
    missing = [module for module in modules() if module not in named]
    assert missing == [], f"add a line for each to {MAP.relative_to(ROOT)}"


def test_every_path_the_map_names_exists() -> None:
    named = named_paths(MAP.read_text("utf-8"))
    gone = sorted(path for path in named if "<" not in path and not (ROOT / path).exists())
    assert gone == [], f"{MAP.relative_to(ROOT)} names paths that do not exist"


def test_the_check_reads_paths_as_written() -> None:
    text = "`hub/site/urls.py` and `tests/<stage>/test_<module>.py`, `python -m hub.cli`"
    assert named_paths(text) == {"hub/site/urls.py", "tests/<stage>/test_<module>.py"}
    assert named_paths("`myhub/x.py` or `other/hub/y.py`") == set()
