"""The wheel carries what every site needs, and a site builds from it alone.

The wheel (built offline, :mod:`tests.packaged`) must hold the default theme,
the translation catalogs, the editors' schemas and the ``hub init`` templates
as files. Installed into a fresh virtual environment (which borrows the
already installed libraries, so nothing else is downloaded), it must start,
check and build a new service's site in a folder outside the repository,
with no theme of its own.
"""

from __future__ import annotations

import email
import os
import subprocess
import zipfile
from pathlib import Path

from hub import __version__
from tests.cli.test_init import FLAGS

pytest_plugins = ("tests.packaged",)

REPO = Path(__file__).resolve().parents[1]


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


def test_a_new_site_builds_from_the_installed_package_alone(
    installed: Path, tmp_path: Path
) -> None:
    # Imported here, once pytest has loaded tests.packaged as a plugin.
    from tests.packaged import run

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS")}
    where = run(
        installed / "python", "-c", "import hub; print(hub.__file__)", cwd=tmp_path, env=env
    )
    assert Path(where.strip()).is_relative_to(installed.parent)
    assert not tmp_path.is_relative_to(REPO)
    made = subprocess.run(
        [installed / "hub", "init", "site", "--yes", *FLAGS],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site"
    assert not (site / "themes").exists()
    run(installed / "hub", "check", "--strict", cwd=site, env=env)
    run(installed / "hub", "build", "--offline", cwd=site, env=env)
    assert (site / "public" / "en" / "index.html").is_file()
    assert list((site / "public" / "static").glob("site.*.css"))
    requirement = (site / "requirements.txt").read_text(encoding="utf-8")
    assert f"police-social-hub=={__version__}\n" in requirement
    # Installed from a wheel file, the hub cannot name where the workflows would
    # install it from: it says so, with what to write (tests/scaffold/test_requirement.py).
    assert "warning: requirements.txt says police-social-hub==" in made.stderr
    assert "--requirement" in made.stderr
