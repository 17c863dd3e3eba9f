"""The wheel carries what every site needs, and a site builds from it alone.

The wheel is built from a copy of the project's files (pip's own build of a
``pyproject.toml`` project, with the setuptools pinned in the test lock and no
isolated build environment, so nothing is downloaded), so the shared folder
gets no ``build/``. It must hold
the default theme, the translation catalogs, the editors' schemas and the
``hub init`` templates as files. Installed into a fresh virtual environment
(which borrows the already installed libraries, so nothing else is
downloaded), it must start, check and build a new service's site in a
folder outside the repository, with no theme of its own.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub import __version__
from tests.cli.test_init import FLAGS

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
    run(
        *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"),
        *("-q", "-w", out, "."),
        cwd=project,
    )
    (built,) = out.glob("police_social_hub-*.whl")
    return built


def test_the_wheel_carries_the_theme_catalogs_schemas_and_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(meta))
        links = [i.filename for i in archive.infolist() if (i.external_attr >> 28) == 0o12]
    assert metadata["Version"] == __version__
    assert links == []  # files, not the repository's links
    theme = REPO / "themes" / "default"
    for path in sorted(p for p in theme.rglob("*") if p.is_file()):
        assert f"hub/themes/default/{path.relative_to(theme).as_posix()}" in names
    for lang in ("en", "fr"):
        assert f"hub/locale/{lang}/LC_MESSAGES/messages.po" in names
    assert {"hub/registry/sources.schema.json", "hub/site/curation.schema.json"} <= names
    templates = REPO / "hub" / "scaffold" / "templates"
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        assert f"hub/scaffold/templates/{path.relative_to(templates).as_posix()}" in names


@pytest.fixture(scope="module")
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


def test_a_new_site_builds_from_the_installed_package_alone(
    installed: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS")}
    where = run(
        installed / "python", "-c", "import hub; print(hub.__file__)", cwd=tmp_path, env=env
    )
    assert Path(where.strip()).is_relative_to(installed.parent)
    assert not tmp_path.is_relative_to(REPO)
    run(installed / "hub", "init", "site", "--yes", *FLAGS, cwd=tmp_path, env=env)
    site = tmp_path / "site"
    assert not (site / "themes").exists()
    run(installed / "hub", "check", "--strict", cwd=site, env=env)
    run(installed / "hub", "build", "--offline", cwd=site, env=env)
    assert (site / "public" / "en" / "index.html").is_file()
    assert list((site / "public" / "static").glob("site.*.css"))
    requirement = (site / "requirements.txt").read_text(encoding="utf-8")
    assert f"police-social-hub=={__version__}\n" in requirement
