"""Shared fixtures: the project's wheel, built offline, and a fresh virtual environment
with it installed, each made once per session for the modules that use them.

A test module that needs them declares ``pytest_plugins = ("tests.packaged",)``.
The wheel is built from a copy of the project's files (pip's own build of a
``pyproject.toml`` project, with the setuptools pinned in the test lock and no
isolated build environment, so nothing is downloaded), so the shared folder
gets no ``build/``. The environment borrows the already installed libraries
(``--system-site-packages``), so nothing else is downloaded either; the
package it imports as ``hub`` is the wheel's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "hub", "themes/default")
"""What the wheel is built from, and content/curation.schema.json, which hub/ links to."""


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source,
                project / name,
                symlinks=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        else:
            shutil.copy2(source, project / name)
    (project / "content").mkdir()
    shutil.copy2(REPO / "content" / "curation.schema.json", project / "content")
    out = tmp_path_factory.mktemp("dist")
    run(
        *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"),
        *("-q", "-w", out, "."),
        cwd=project,
    )
    (built,) = out.glob("police_social_hub-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with the wheel installed: its bin/ folder."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, system_site_packages=True, with_pip=False)
    python = home / "bin" / "python"
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        "--force-reinstall",
        wheel,
        cwd=home,
    )
    yield home / "bin"
