"""A registry written for an older version: renamed keys still read, removed ones explained.

The table (``hub.registry.moved.MOVED``) is empty while no release has renamed
or removed a key; these tests fill it for their own run, as a release would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.problems import RegistryError
from hub.registry import load as registry
from hub.registry.format import REGISTRY
from hub.registry.moved import MOVED
from hub.registry.spec import Key, ListOf, Moved, Nullable, Obj, Spec

REGISTRY_TEXT = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en]
  contact: {{emergency: "911"}}
  {site_key}: {{primary: "#0b3d91"}}
units:
  - id: traffic
    name: Traffic Services
    {unit_key}: unit
"""


def write(folder: Path, site_key: str = "colors", unit_key: str = "kind") -> Path:
    path = folder / "sources.yaml"
    path.write_text(REGISTRY_TEXT.format(site_key=site_key, unit_key=unit_key), encoding="utf-8")
    return path


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> dict[str, Moved]:
    """The table, with a renamed and a removed key of a release to come."""
    monkeypatch.setitem(MOVED, "site.colours", Moved("0.2.0", to="colors"))
    monkeypatch.setitem(MOVED, "units[].type", Moved("0.2.0", to="kind"))
    monkeypatch.setitem(
        MOVED, "site.fetch.timeout", Moved("0.3.0", advice="use total_timeout (seconds)")
    )
    return MOVED


def test_a_renamed_key_is_read_under_its_new_name_with_a_warning(
    moved: dict[str, Moved], tmp_path: Path
) -> None:
    checked = registry.load(write(tmp_path, site_key="colours", unit_key="type"))
    assert checked.registry.site.colors.primary == "#0b3d91"
    assert checked.registry.units[0].kind == "unit"
    assert [p.format() for p in checked.warnings] == [
        f"{tmp_path / 'sources.yaml'}:6:3: warning: site.colours: "
        '"colours" was renamed "colors" in version 0.2.0: write colors:',
        f"{tmp_path / 'sources.yaml'}:10:5: warning: units[0].type: "
        '"type" was renamed "kind" in version 0.2.0: write kind:',
    ]


def test_a_renamed_key_beside_its_new_name_is_an_error(
    moved: dict[str, Moved], tmp_path: Path
) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  colors:", '  colours: {accent: "#fff"}\n  colors:'))
    with pytest.raises(RegistryError) as caught:
        registry.load(path)
    (problem,) = caught.value.problems
    assert problem.path == "site.colours"
    assert problem.message == (
        '"colours" was renamed "colors" in version 0.2.0, and this mapping has colors: as '
        "well: remove colours:"
    )


def test_a_removed_key_says_what_to_write_instead(moved: dict[str, Moved], tmp_path: Path) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  languages:", "  fetch: {timeout: 30}\n  languages:"))
    with pytest.raises(RegistryError) as caught:
        registry.load(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path, problem.severity) == (4, "site.fetch.timeout", "error")
    assert problem.message == (
        '"timeout" was removed in version 0.3.0; use total_timeout (seconds)'
    )


def test_without_an_entry_an_old_key_is_an_unknown_key(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as caught:
        registry.load(write(tmp_path, site_key="colours"))
    (problem,) = caught.value.problems
    assert problem.message.startswith('unknown key (did you mean "colors"?)')


def spec_at(path: str) -> Spec | None:
    """The format's spec for the key at ``path`` (``units[].kind``), None if it has none."""
    spec: Spec | None = REGISTRY
    for part in path.split("."):
        name, _, index = part.partition("[")
        while isinstance(spec, Nullable):
            spec = spec.inner
        if not isinstance(spec, Obj) or name not in spec.keys:
            return None
        key: Key = spec.keys[name]
        spec = key.spec
        if index:
            while isinstance(spec, Nullable):
                spec = spec.inner
            spec = spec.item if isinstance(spec, ListOf) else None
    return spec


def test_the_checks_own_path_finder_works() -> None:
    assert spec_at("units[].kind") is not None
    assert spec_at("site.fetch.total_timeout") is not None
    assert spec_at("site.colours") is None


def test_every_entry_names_an_old_key_and_a_current_new_one() -> None:
    """Whatever a release adds to the table: the old name is gone, the new one is there."""
    for old, moved in MOVED.items():
        assert spec_at(old) is None, f"{old} is a key of the format: it cannot be an old one"
        parent = old.rpartition(".")[0]
        if moved.to is not None:
            assert spec_at(f"{parent}.{moved.to}" if parent else moved.to), old
        else:
            assert moved.advice, f"{old}: say what to write instead"
