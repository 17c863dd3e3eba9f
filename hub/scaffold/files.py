"""The files of a new site folder, made from the templates, and written without overwriting.

``hub/scaffold/templates/`` holds the site folder as it is written: a
``NAME.tmpl`` file is filled in with the service's answers (YAML-quoted in
``sources.yaml``, Markdown-escaped in pages) and written as ``NAME``; any
other is copied as it is. ``github/`` is written as ``.github/`` and
``gitignore`` as ``.gitignore`` (a package's data files cannot start with a
dot). Pages are written in the site's languages only. The editors' schemas
are copies of the ones in the package, so they match the hub that checks the
site; :func:`schema_files` makes them again after an upgrade.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from hub import __version__
from hub.scaffold.requirement import pinned
from hub.scaffold.service import PAGES, TEMPLATES, Service, registry_text
from hub.site.curation import SCHEMA_NAME
from hub.wholefiles import write_whole

PACKAGE = Path(__file__).parents[1]
SCHEMAS = {
    "sources.schema.json": PACKAGE / "registry" / "sources.schema.json",
    f"content/{SCHEMA_NAME}": PACKAGE / "site" / SCHEMA_NAME,
}
"""Each editors' schema a site keeps, and the packaged one it is a copy of."""
RENAMED = {"github": ".github", "gitignore": ".gitignore"}
MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class NewFile:
    path: str
    """Where it goes in the site folder, with forward slashes: ``content/pages/about.en.md``."""
    data: bytes


def site_files(
    service: Service, version: str = __version__, requirement: str | None = None
) -> tuple[NewFile, ...]:
    """Every file of a new site folder for ``service``, in path order.

    ``requirement``: the line of ``requirements.txt`` that installs the hub
    (:mod:`hub.scaffold.requirement`); ``police-social-hub==<version>`` if None.
    """
    requirement = requirement or pinned(version)
    found = [*schema_files()]
    for source in sorted(TEMPLATES.rglob("*")):
        if not source.is_file() or source.name.startswith("."):
            continue
        name = source.relative_to(TEMPLATES).as_posix()
        lang = _page_language(source)
        if lang is not None and lang not in service.languages:
            continue
        if name.endswith(".tmpl"):
            name = name.removesuffix(".tmpl")
            language = lang or service.languages[0]
            data = _filled(source, name, service, language, version, requirement)
        else:
            data = source.read_bytes()
        first, _, rest = name.partition("/")
        found.append(NewFile("/".join(filter(None, (RENAMED.get(first, first), rest))), data))
    return tuple(sorted(found, key=lambda f: f.path))


def schema_files() -> tuple[NewFile, ...]:
    """The editors' schemas, as this version of the hub has them."""
    return tuple(NewFile(path, packaged.read_bytes()) for path, packaged in SCHEMAS.items())


def _page_language(source: Path) -> str | None:
    return source.name.split(".")[-3] if source.parent == PAGES else None


def _filled(
    source: Path, name: str, service: Service, lang: str, version: str, requirement: str
) -> bytes:
    if name == "sources.yaml":
        return registry_text(service).encode()
    template = Template(source.read_text(encoding="utf-8"))
    text = template.substitute(
        name=_markdown(service.names[lang]),
        emergency=_markdown(service.emergency),
        non_emergency=_markdown(service.non_emergency),
        version=version,
        requirement=requirement,
    )
    return text.encode()


def _markdown(text: str) -> str:
    """``text`` as Markdown shows it, whatever characters it has."""
    return MARKDOWN.sub(r"\\\1", text)


def clashes(files: Sequence[NewFile], folder: Path) -> list[str]:
    """The files that ``folder`` already has: ``hub init`` writes none of them."""
    return [f.path for f in files if os.path.lexists(folder / f.path)]


def write(files: Sequence[NewFile], folder: Path) -> None:
    """Write every file, each new (never over one that appeared since), or none.

    Whatever stops it (a full disk, Ctrl-C) removes what it wrote and the
    folders it made, so a second try starts from the same place.
    """
    made: list[Path] = []
    try:
        for new in files:
            target = folder / new.path
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            for parent in reversed(missing):
                parent.mkdir()
                made.append(parent)
            with target.open("xb") as handle:
                made.append(target)
                handle.write(new.data)
    except BaseException:
        for path in reversed(made):
            # A folder we made that now holds someone else's file stays, with it.
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        raise


def replace(files: Sequence[NewFile], folder: Path) -> None:
    """Write each file over the one ``folder`` has, whole: a new file swapped in."""
    for new in files:
        write_whole(folder / new.path, new.data)
