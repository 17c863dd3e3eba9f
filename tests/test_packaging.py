"""The wheel carries what every site needs.

The wheel is built from a copy of the project's files (pip's own build of a
``pyproject.toml`` project, in an isolated environment with the setuptools
the project asks for), so the shared folder gets no ``build/``. It must hold
the default theme, the translation catalogs and the editors' schemas as
files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "hub", "themes/default")
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


@pytest.fixture(scope="module")
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
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ".", cwd=project)
    (built,) = out.glob("police_social_hub-*.whl")
    return built


def test_the_wheel_carries_the_theme_catalogs_and_schemas(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        links = [i.filename for i in archive.infolist() if (i.external_attr >> 28) == 0o12]
    assert links == []  # files, not the repository's links
    theme = REPO / "themes" / "default"
    for path in sorted(p for p in theme.rglob("*") if p.is_file()):
        assert f"hub/themes/default/{path.relative_to(theme).as_posix()}" in names
    for lang in ("en", "fr"):
        assert f"hub/locale/{lang}/LC_MESSAGES/messages.po" in names
    assert {"hub/registry/sources.schema.json", "hub/site/curation.schema.json"} <= names
