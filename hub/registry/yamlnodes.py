"""YAML as a tree of nodes that remember their line and column, and the bytes it comes from.

Validation needs to say where every problem is, so values are not built with
``yaml.safe_load``: :func:`hub.registry.composer.parse` composes the parser's
events into the :class:`Node` objects defined here. This module owns the
limits (size, nodes, depth), decoding (only UTF-8, said where it is not), and
positions (:class:`Mark`).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import yaml

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 20 * 1024 * 1024
"""A registry of 5,000 officers is about 2 MiB; anything far past that is a mistake."""
MAX_NODES = 2_000_000
"""Bound on the document's size once aliases are expanded (the 'billion laughs' defence)."""
MAX_DEPTH = 64
"""Bound on nesting; sources.yaml needs about 6 levels."""

Scalar = str | int | float | bool | date | datetime | None


class Mark(NamedTuple):
    """A position, both 1-based as editors show them.

    A named tuple rather than a frozen dataclass: a large registry has a few
    hundred thousand of them, and a tuple is several times cheaper to make.
    """

    line: int
    col: int


@dataclass(frozen=True)
class YamlProblem:
    mark: Mark
    message: str


class YamlError(Exception):
    """The file cannot be read as YAML at all."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


@dataclass(eq=False)
class Node:
    """A YAML value with its position.

    ``value`` is a scalar, a ``list[Node]`` or a ``dict[str, Node]``;
    ``key_marks`` gives, for a mapping, where each key is written.
    """

    value: Any
    mark: Mark
    key_marks: dict[str, Mark] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    def key_mark(self, key: str) -> Mark:
        return self.key_marks.get(key, self.mark)

    def plain(self) -> Any:
        """The value with positions dropped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def mark_of(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""Line breaks as YAML counts them: CR and NEL too."""


def end_mark(text: str) -> Mark:
    """Where the text ends.

    libyaml puts a few marks (an empty value or a syntax error at the end of
    the stream) one line past the last one.
    """
    lines = LINE_BREAK.split(text)
    return Mark(len(lines), len(lines[-1]) + 1)


def _offset_mark(data: bytes, offset: int) -> Mark:
    """The position of a byte, counting columns in characters as editors do."""
    return end_mark(data[:offset].decode("utf-8", "replace"))


def decode(data: bytes) -> str:
    """UTF-8 text, or a YamlError pointing at the first bad byte."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            [
                YamlProblem(
                    Mark(1, 1),
                    (
                        # Read no further than a byte past the limit: its size is unknown.
                        f"the file is too large: the limit is {MAX_BYTES // 1048576} MiB; "
                        "split it or remove what does not belong"
                    ),
                )
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(
            [
                YamlProblem(
                    _offset_mark(data, exc.start),
                    (
                        f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}): "
                        "save it as UTF-8 in your editor"
                    ),
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause cyclic garbage collection while a document is read and checked.

    The node tree is acyclic and lives as long as the document; on a large
    registry, collection passes over its hundreds of thousands of objects
    took more time than reading it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
