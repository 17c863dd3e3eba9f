"""The theme chain: which template and static file each name resolves to.

The default theme ships inside the package (``hub/themes/default/``, in the
repository a link to ``themes/default/``), so a site folder needs no copy of
it. A site theme (``themes/<site.theme>/`` next to the registry) overrides it
file by file, templates and static files alike, so a service restyles without
forking; so does a site's own ``themes/default/`` (the layout of a fork of
the demo), file by file over the packaged one. Static files are published
under a name that carries a hash of their content, so a CDN can cache them
for a year and a change is picked up at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from hub.problems import HubError, os_reason
from hub.registry.yamlnodes import YamlError, decode

DEFAULT = "default"
PACKAGED = Path(__file__).parents[1] / "themes" / DEFAULT
"""The default theme that ships with the package."""


@dataclass(frozen=True)
class Asset:
    name: str
    """The name templates ask for: ``site.css``, ``icons.svg``."""
    path: str
    """Where it is published, with its content hash: ``static/site.3f2a1b9c.css``."""
    source: Path | None = None
    data: bytes | None = None
    """For an asset made by the build (the brand colours) rather than copied."""


def generated(name: str, data: bytes) -> Asset:
    return Asset(name, _hashed(name, data), data=data)


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]
    """The site theme first, then the default theme."""

    @property
    def template_folders(self) -> list[Path]:
        return [f / "templates" for f in self.folders if (f / "templates").is_dir()]

    def assets(self) -> dict[str, Asset]:
        found: dict[str, Asset] = {}
        for folder in reversed(self.folders):  # later (site) themes override earlier ones
            static = folder / "static"
            if not static.is_dir():
                continue
            for source in sorted(static.rglob("*")):
                if source.is_file() and not source.name.startswith("."):
                    name = source.relative_to(static).as_posix()
                    found[name] = Asset(name, _hashed(name, source.read_bytes()), source)
        return found


def _hashed(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    path = PurePosixPath(name)
    return f"static/{path.parent / f'{path.stem}.{digest}{path.suffix}'}".replace("/./", "/")


def load(root: Path, name: str, packaged: Path = PACKAGED) -> Theme:
    """The chain for theme ``name``: ``root/themes/<name>``, the site's own
    ``root/themes/default`` if it has one, then the packaged default theme.

    Each template is checked as text: one that is not UTF-8 is a
    :class:`HubError` at its line and column, here rather than in whichever
    process first compiles it.
    """
    themes = root / "themes"
    if not (packaged / "templates").is_dir():
        raise HubError(
            f"no default theme: {packaged / 'templates'} is missing; reinstall police-social-hub"
        )
    if name != DEFAULT and not (themes / name).is_dir():
        raise HubError(f'no theme folder "{themes / name}"')
    candidates = [themes / name, themes / DEFAULT, packaged]
    folders: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and not any(_same(folder, f) for f in folders):
            folders.append(folder)
    chain = Theme(tuple(folders))
    for folder in chain.template_folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                _check_text(path)
    return chain


def _same(one: Path, other: Path) -> bool:
    """Whether two folders are one (the repository's ``themes/default`` is the packaged one)."""
    try:
        return one.samefile(other)
    except OSError:
        return False


def _check_text(path: Path) -> None:
    try:
        decode(path.read_bytes())
    except OSError as exc:
        raise HubError(f"cannot read the template {path}: {os_reason(exc)}") from None
    except YamlError as exc:
        mark = exc.problems[0].mark
        where = f"{path}:{mark.line}:{mark.col}"
        problem = HubError(f"{where}: {exc.problems[0].message}")
        problem.where = where
        raise problem from None
