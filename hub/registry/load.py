"""Loads sources.yaml: bytes to a validated :class:`hub.model.Registry`, or every problem.

Validation reports every problem in one run, each with its line and column,
and never lets a Python exception reach the user for a mistake in the file.
Structure is checked by the declaration in :mod:`hub.registry.format`; the
rules that span the document are :mod:`hub.registry.rules`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hub import wholefiles
from hub.model import Registry
from hub.problems import Problem, RegistryError
from hub.registry.admin import read_separate
from hub.registry.composer import parse
from hub.registry.format import REGISTRY
from hub.registry.moved import MOVED
from hub.registry.rules import Rules
from hub.registry.spec import INVALID, Checker
from hub.registry.yamlnodes import MAX_BYTES, Mark, YamlError, decode, end_mark, paused_gc


@dataclass(frozen=True)
class Checked:
    """A registry that passed validation, and the warnings it raised."""

    registry: Registry
    warnings: tuple[Problem, ...]


def load(
    path: Path, *, display_name: str | None = None, environ: Mapping[str, str] | None = None
) -> Checked:
    """Read and validate a registry; raise RegistryError listing every problem.

    ``environ`` is where token variables are looked up (``os.environ`` by default).
    """
    name = display_name or str(path)
    try:
        # A byte more than the limit, so that the reader says it is too large.
        data = wholefiles.read(path, MAX_BYTES)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RegistryError([Problem(name, 1, 1, "", f"cannot read the file: {reason}")]) from None
    admin = read_separate(path, name)
    return loads(data, path, display_name=name, environ=environ, admin=admin)


def loads(
    data: bytes,
    path: Path,
    *,
    display_name: str | None = None,
    environ: Mapping[str, str] | None = None,
    admin: bytes | None = None,
) -> Checked:
    """Validate registry bytes as if read from ``path`` (relative paths resolve from its folder);
    ``admin``, the bytes of its ``sources.admin.yaml`` if any (:func:`load` reads them)."""
    name = display_name or str(path)
    with paused_gc():
        try:
            checked = _loads(data, path, Checker(name, MOVED), environ, admin)
        except RegistryError as exc:
            raise RegistryError(_in_order(exc.problems, data, name)) from None
    return Checked(checked.registry, tuple(_in_order(list(checked.warnings), data, name)))


def _loads(
    data: bytes,
    path: Path,
    out: Checker,
    environ: Mapping[str, str] | None,
    admin: bytes | None,
) -> Checked:
    try:
        root = parse(decode(data))
    except YamlError as exc:
        for problem in exc.problems:
            out.report(problem.mark, "", problem.message)
        raise RegistryError(out.problems) from None
    if root is None:
        out.report(
            Mark(1, 1),
            "",
            "the file is empty: it needs site:, units: and officers: (see docs/sources.md)",
        )
        raise RegistryError(out.problems)
    out.languages = _languages(root)
    checked = REGISTRY.check(root, "", out)
    if checked is INVALID:
        raise RegistryError(out.problems)
    rules = Rules(out, path.parent, environ, admin)
    registry = rules.build(path, checked)
    if out.errors or registry is None:
        raise RegistryError(out.problems)
    return Checked(registry, tuple(p for p in out.problems if p.severity == "warning"))


def _in_order(problems: list[Problem], data: bytes, main: str) -> list[Problem]:
    """Problems in the order of the file, each on a line the file has."""
    if not problems:
        return problems
    end = end_mark(data.decode("utf-8", "replace").removeprefix("\ufeff"))
    placed = [
        p if p.file != main or (p.line, p.col) <= end else replace(p, line=end.line, col=end.col)
        for p in problems
    ]
    # The registry's own problems first, then its admin file's (hub.registry.admin).
    return sorted(placed, key=lambda p: (p.file != main, p.line, p.col))


def _languages(root: Any) -> tuple[str, ...]:
    """site.languages when well formed, so texts can be checked against it."""
    try:
        langs = root.value["site"].value["languages"].value
        values = tuple(node.value for node in langs)
    except (AttributeError, KeyError, TypeError):
        return ()
    return values if values and all(isinstance(v, str) for v in values) else ()


class EveryVariableSet(Mapping[str, str]):
    """An environment in which every variable holds something: an account that names a
    token variable is read through its API, and no variable is reported unset."""

    def __getitem__(self, name: str) -> str:
        return "set"

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0
