"""The shape of sources.yaml, declared once.

The same declaration checks a document (every problem, with its position) and
generates the JSON Schema that editors use (``hub/registry/sources.schema.json``), so
the two cannot drift apart. Rules that span the document (ids that must exist,
duplicates, cycles, handle rules per platform) live in :mod:`hub.registry.rules`.
This module has the machinery and the containers (lists, objects, null);
:mod:`hub.registry.values` has the kinds of single values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hub.problems import Problem, Severity, did_you_mean
from hub.registry.yamlnodes import Mark, Node

INVALID: Any = object()
"""What a check returns for a value it reported a problem about."""

LANG_PATTERN = r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
ID_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"


@dataclass(frozen=True)
class Moved:
    """A key of an older version of a format, and what became of it."""

    since: str
    """The version that renamed or removed it."""
    to: str | None = None
    """Its new name, in the same mapping; None when it was removed."""
    advice: str = ""
    """What to write instead."""

    def message(self, key: str, *, twice: bool = False) -> str:
        """What to change: ``twice`` when the mapping has the new name as well."""
        if self.to is None:
            what = f'"{key}" was removed in version {self.since}'
        elif twice:
            what = (
                f'"{key}" was renamed "{self.to}" in version {self.since}, and this mapping '
                f"has {self.to}: as well: remove {key}:"
            )
        else:
            what = f'"{key}" was renamed "{self.to}" in version {self.since}: write {self.to}:'
        return f"{what}; {self.advice}" if self.advice else what


class Checker:
    """Collects problems for one file; ``languages`` limits the keys of texts.

    ``moved`` holds the keys of the format's older versions, by their path
    with ``[]`` for any list index (``units[].old_key``): a renamed key is
    read under its new name with a warning, a removed one is an error that
    says what to write instead, rather than an unknown key.
    """

    def __init__(self, file: str, moved: Mapping[str, Moved] | None = None) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()
        self.moved: Mapping[str, Moved] = moved or {}

    def moved_key(self, path: str) -> Moved | None:
        return self.moved.get(re.sub(r"\[\d+\]", "[]", path)) if self.moved else None

    def report(self, mark: Mark, path: str, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.file, mark.line, mark.col, path, message, severity))

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


class Fields(dict[str, Any]):
    """A checked mapping: valid values by key, and the node they came from."""

    node: Node

    def mark(self, key: str | None = None) -> Mark:
        if key is None:
            return self.node.mark
        child = self.node.value.get(key) if self.node.is_map else None
        return child.mark if child is not None else self.node.mark


class Items(list[Any]):
    """A checked sequence: one value per item (INVALID where it was wrong)."""

    node: Node


def describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime | date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f'"{value}"'


def quote_hint(value: Any) -> str:
    if isinstance(value, bool):
        return ": YAML reads yes/no/on/off as true/false, so put the text in quotes"
    if isinstance(value, int | float | date):
        return ": put it in quotes to make it text"
    return ""


COMMA_HINT = "; a comma inside {...} starts a new key: put text that has commas in quotes"


class Spec:
    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def documented(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            schema = {"description": self.description, **schema}
        return schema


@dataclass
class Nullable(Spec):
    inner: Spec

    def check(self, node: Node, path: str, out: Checker) -> Any:
        return None if node.value is None else self.inner.check(node, path, out)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [self.inner.schema(), {"type": "null"}]}


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    max_items: int = 100_000
    unique: bool = False
    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        if not node.is_seq:
            example = (
                "[a, b]" if not isinstance(self.item, Obj) else "a list of '- key: value' items"
            )
            out.report(node.mark, path, f"expected a list ({example}), got {describe(node.value)}")
            return INVALID
        if len(node.value) < self.min_items:
            out.report(
                node.mark,
                path,
                f"expected at least {self.min_items} item{'s' if self.min_items != 1 else ''}",
            )
            return INVALID
        if len(node.value) > self.max_items:
            out.report(node.mark, path, f"too many items: at most {self.max_items:,}")
            return INVALID
        result = Items(
            self.item.check(child, f"{path}[{i}]", out) for i, child in enumerate(node.value)
        )
        result.node = node
        if self.unique:
            seen: dict[Any, int] = {}
            for i, value in enumerate(result):
                if value is INVALID:
                    continue
                if value in seen:
                    out.report(
                        node.value[i].mark,
                        f"{path}[{i}]",
                        f'"{value}" is listed twice (also {path}[{seen[value]}])',
                    )
                    result[i] = INVALID
                else:
                    seen[value] = i
        return result

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items:
            schema["maxItems"] = self.max_items
        if self.unique:
            schema["uniqueItems"] = True
        return self.documented(schema)


@dataclass(frozen=True)
class Key:
    spec: Spec
    required: bool = False


@dataclass
class Obj(Spec):
    keys: Mapping[str, Key]
    description: str = ""
    example: str = "key: value"
    extra_schema: Callable[[], dict[str, Any]] | None = None

    def check(self, node: Node, path: str, out: Checker) -> Any:
        if not node.is_map:
            what = "expected a mapping" if path else "the file must be a mapping"
            out.report(node.mark, path, f"{what} ({self.example}), got {describe(node.value)}")
            return INVALID
        result = Fields()
        result.node = node
        present = set(node.value)
        for key, child in node.value.items():
            where = f"{path}.{key}" if path else key
            spec = self.keys.get(key)
            if spec is None:
                moved = out.moved_key(where)
                if moved is None:
                    out.report(
                        node.key_mark(key),
                        where,
                        (
                            f"unknown key{did_you_mean(key, self.keys)}; expected one of: "
                            f"{', '.join(self.keys)}"
                        ),
                    )
                    continue
                if moved.to is None or moved.to not in self.keys or moved.to in present:
                    twice = moved.to in present
                    out.report(node.key_mark(key), where, moved.message(key, twice=twice))
                    continue
                # Renamed: the old name still works, with a warning that says the new one.
                out.report(node.key_mark(key), where, moved.message(key), "warning")
                key, spec = moved.to, self.keys[moved.to]
                present.add(key)
            value = spec.spec.check(child, where, out)
            if value is not INVALID:
                result[key] = value
        for key, spec in self.keys.items():
            if spec.required and key not in present:
                out.report(node.mark, path, f'missing required key "{key}"')
        return result

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: v.spec.schema() for k, v in self.keys.items()},
        }
        required = [k for k, v in self.keys.items() if v.required]
        if required:
            schema["required"] = required
        if self.extra_schema is not None:
            schema.update(self.extra_schema())
        return self.documented(schema)


@dataclass
class Keyed(Spec):
    """A mapping from any name (an id, an account key) to ``item``."""

    item: Spec
    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        if not node.is_map:
            out.report(
                node.mark, path, f"expected a mapping (id: {{...}}), got {describe(node.value)}"
            )
            return INVALID
        result = Fields()
        result.node = node
        for key, child in node.value.items():
            value = self.item.check(child, f"{path}.{key}", out)
            if value is not INVALID:
                result[str(key)] = value
        return result

    def schema(self) -> dict[str, Any]:
        return self.documented({"type": "object", "additionalProperties": self.item.schema()})
