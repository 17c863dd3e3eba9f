"""The sizes at which a theme shows images: its ``images.yaml``.

A theme says, for each kind of image, the sizes it shows it at, in CSS
pixels, as a small table: the build makes every image of that kind at each
size (at 1x and 2x, :mod:`hub.render.pictures`), and templates ask for one
by its name, ``image(p.photo).avatar``. The kinds:

- ``photo``: the units' and officers' ``photo:`` in ``sources.yaml``;
- ``logo``: ``site.logo``;
- ``appeal``: an open appeal's photo (``content/appeals/``);
- ``post``: a post's picture, the site's copy of the feed's image.

Each size has a ``width`` and ``height`` (1 to 4,096), a ``fit`` (``cover``
crops the image to fill the box, ``contain``, the default, fits it whole
inside) and ``formats``: the files made, the last one being the ``<img>``'s
and the others offered before it as ``<source>`` types (default ``[webp,
jpeg]``; a logo with transparency wants ``[webp, png]``). Every kind has at
least one size; the first is what a template gets when it prints the image
as an address (``<link rel="icon" href="{{ image(reg.site.logo) }}">``).
Size names are unique and written in lower case with underscores.

The table comes from the first theme of the chain that has the file (a site
theme's replaces the default theme's whole, as a template does). A mistake
in it is an error at its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hub.imaging import FITS, MADE, Fit, Format
from hub.problems import HubError, did_you_mean, one_of, os_reason
from hub.registry.composer import parse
from hub.registry.yamlnodes import Mark, Node, YamlError, decode
from hub.render.theme import Theme

FILE = "images.yaml"
KINDS = ("photo", "logo", "appeal", "post")
"""The kinds of images, each with the sizes the theme shows it at."""
SIZE_KEYS = ("width", "height", "fit", "formats")
LARGEST = 4096
"""Widest or tallest size a theme may ask for, in CSS pixels."""
DEFAULT_FORMATS: tuple[Format, ...] = ("webp", "jpeg")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED = frozenset({"sizes", "alt", "prefix", "first", "src", "width", "height", "paths"})
"""Names a size may not take: what a picture already answers to (:mod:`hub.render.pictures`)."""


@dataclass(frozen=True)
class Size:
    """One size a theme shows a kind of image at."""

    name: str
    kind: str
    width: int
    """In CSS pixels."""
    height: int
    fit: Fit
    formats: tuple[Format, ...]
    """The files made: the last is the ``<img>``'s, the others ``<source>`` types."""

    @property
    def box(self) -> tuple[int, int]:
        return self.width, self.height


@dataclass(frozen=True)
class Sizes:
    """A theme's table of sizes."""

    source: Path
    sizes: tuple[Size, ...]

    def of(self, kind: str) -> tuple[Size, ...]:
        return tuple(size for size in self.sizes if size.kind == kind)


def load(theme: Theme) -> Sizes:
    """The table of the first theme in the chain that has one; HubError at its mistake."""
    for folder in theme.folders:
        path = folder / FILE
        if path.is_file():
            return read(path)
    raise HubError(f"no {FILE} in the theme chain ({', '.join(map(str, theme.folders))})")


def read(path: Path) -> Sizes:
    """The table in ``path``, checked."""
    try:
        root = parse(decode(path.read_bytes()))
    except OSError as error:
        raise HubError(f"cannot read {path}: {os_reason(error)}") from None
    except YamlError as error:
        raise _problem(path, error.problems[0].mark, error.problems[0].message) from None
    if root is None or not root.is_map:
        raise _problem(path, root.mark if root else Mark(1, 1), _kinds_expected())
    sizes: list[Size] = []
    seen: dict[str, str] = {}
    for kind, node in root.value.items():
        if kind not in KINDS:
            where = root.key_mark(kind)
            raise _problem(
                path,
                where,
                f'unknown kind "{kind}"{did_you_mean(kind, KINDS)}: {_kinds_expected()}',
            )
        if not node.is_map or not node.value:
            raise _problem(path, node.mark, f"{kind}: expected its sizes, e.g. {_example(kind)}")
        for name, spec in node.value.items():
            where = node.key_mark(name)
            if not _NAME.match(name):
                raise _problem(
                    path, where, f'{kind}.{name}: a size is named in lower case, e.g. "avatar"'
                )
            if name in RESERVED:
                raise _problem(
                    path, where, f'{kind}.{name}: "{name}" means something else to templates'
                )
            if name in seen:
                raise _problem(
                    path, where, f'{kind}.{name}: "{name}" is also a size of {seen[name]}'
                )
            seen[name] = kind
            sizes.append(_size(path, kind, name, spec))
    missing = [kind for kind in KINDS if kind not in root.value]
    if missing:
        listed = ", ".join(missing)
        raise _problem(path, root.mark, f"no sizes for {listed}: every kind needs at least one")
    return Sizes(path, tuple(sizes))


def _size(path: Path, kind: str, name: str, spec: Node) -> Size:
    at = f"{kind}.{name}"
    if not spec.is_map:
        raise _problem(path, spec.mark, f"{at}: expected {_example(kind)}")
    fields: dict[str, Node] = spec.value
    for key in fields:
        if key not in SIZE_KEYS:
            raise _problem(
                path,
                spec.key_mark(key),
                f'{at}: unknown key "{key}"{did_you_mean(key, SIZE_KEYS)}; '
                f"the keys are {one_of(SIZE_KEYS)}",
            )
    width, height = (_pixels(path, at, spec, key) for key in ("width", "height"))
    fit = fields["fit"].value if "fit" in fields else "contain"
    if fit not in FITS:
        raise _problem(path, fields["fit"].mark, f"{at}.fit: expected {one_of(FITS)}")
    formats = DEFAULT_FORMATS
    if "formats" in fields:
        node = fields["formats"]
        values = [item.value for item in node.value] if node.is_seq else None
        if not values or any(v not in MADE for v in values) or len(set(values)) != len(values):
            raise _problem(
                path,
                node.mark,
                f"{at}.formats: expected a list of {one_of(MADE)}, each once, the "
                "<img>'s last, e.g. [webp, jpeg]",
            )
        formats = tuple(values)
    return Size(name, kind, width, height, fit, formats)


def _pixels(path: Path, at: str, spec: Node, key: str) -> int:
    node = spec.value.get(key)
    if node is None:
        raise _problem(path, spec.mark, f'{at}: missing "{key}" (in CSS pixels)')
    value = node.value
    if type(value) is not int or not 1 <= value <= LARGEST:
        raise _problem(path, node.mark, f"{at}.{key}: expected a whole number from 1 to {LARGEST}")
    return value


def _kinds_expected() -> str:
    return f"expected the sizes of each kind of image: {one_of(KINDS)}"


def _example(kind: str) -> str:
    return f"{kind}: {{small: {{width: 56, height: 56, fit: cover}}}}"


def _problem(path: Path, mark: Mark, message: str) -> HubError:
    where = f"{path}:{mark.line}:{mark.col}"
    problem = HubError(f"{where}: {message}")
    problem.where = where
    return problem
