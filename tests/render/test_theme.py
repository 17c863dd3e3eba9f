"""The theme chain: the packaged default theme, overridden file by file by a site's.

A site folder needs no theme at all; a theme of its own, or its own
``themes/default/`` (a fork's layout), overrides the packaged default one
file at a time, templates and static files alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.problems import HubError
from hub.render import theme

REPO = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def source_of(chain: theme.Theme, template: str) -> Path:
    """The file the renderer would load for ``template``: the first folder that has it."""
    return next(f / template for f in chain.template_folders if (f / template).is_file())


def test_the_package_carries_the_default_theme() -> None:
    assert (theme.PACKAGED / "templates" / "base.html").is_file()
    assert (theme.PACKAGED / "static" / "site.css").is_file()
    # In the repository, the one copy is themes/default/: the package links to it.
    assert theme.PACKAGED.samefile(REPO / "themes" / "default")


def test_a_site_without_themes_uses_the_packaged_default(tmp_path: Path) -> None:
    chain = theme.load(tmp_path, "default")
    assert chain.folders == (theme.PACKAGED,)
    assert source_of(chain, "base.html") == theme.PACKAGED / "templates" / "base.html"
    assert "site.css" in chain.assets()


def test_a_site_theme_overrides_the_packaged_one_file_by_file(tmp_path: Path) -> None:
    mine = write(tmp_path / "themes" / "mine" / "templates" / "unit.html", "{{ 1 }}")
    css = write(tmp_path / "themes" / "mine" / "static" / "site.css", "body{}")
    chain = theme.load(tmp_path, "mine")
    assert chain.folders == (tmp_path / "themes" / "mine", theme.PACKAGED)
    assert source_of(chain, "unit.html") == mine
    assert source_of(chain, "base.html") == theme.PACKAGED / "templates" / "base.html"
    assets = chain.assets()
    assert assets["site.css"].source == css
    assert assets["icons.svg"].source == theme.PACKAGED / "static" / "icons.svg"


def test_a_forks_own_default_theme_overrides_the_packaged_one(tmp_path: Path) -> None:
    """The old layout: a copy of themes/default/ in the site, perhaps missing newer files."""
    base = write(tmp_path / "themes" / "default" / "templates" / "base.html", "{{ 1 }}")
    chain = theme.load(tmp_path, "default")
    assert chain.folders == (tmp_path / "themes" / "default", theme.PACKAGED)
    assert source_of(chain, "base.html") == base
    assert source_of(chain, "home.html") == theme.PACKAGED / "templates" / "home.html"

    write(tmp_path / "themes" / "mine" / "templates" / "home.html", "{{ 2 }}")
    chain = theme.load(tmp_path, "mine")
    assert [f.name for f in chain.folders] == ["mine", "default", "default"]
    assert chain.folders[-1] == theme.PACKAGED


def test_the_repository_is_its_own_packaged_theme() -> None:
    """The demo's themes/default/ is the packaged theme: listed once, under the site's name."""
    assert theme.load(REPO, "default").folders == (REPO / "themes" / "default",)


def test_a_theme_without_a_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(HubError, match=r'no theme folder ".*themes/lakeview"'):
        theme.load(tmp_path, "lakeview")


def test_a_missing_packaged_theme_says_to_reinstall(tmp_path: Path) -> None:
    with pytest.raises(HubError, match="reinstall police-social-hub"):
        theme.load(tmp_path, "default", packaged=tmp_path / "nowhere")
