"""Reads YAML into a tree of nodes that remember their line and column.

Validation needs to say where every problem is, so values are not built with
``yaml.safe_load``: the document is composed into nodes (libyaml's C loader
where available) and turned into :class:`Node` objects here. This module also
refuses what safe_load lets through: duplicate keys, non-text keys, alias
bombs, oversized files and bytes that are not UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 20 * 1024 * 1024
"""A registry of 5,000 officers is about 2 MiB; anything far past that is a mistake."""
MAX_NODES = 2_000_000
"""Bound on the document's size once aliases are expanded (the 'billion laughs' defence)."""

Scalar = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class Mark:
    line: int
    col: int
    """Both 1-based, as editors show them."""


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


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def _offset_mark(text: bytes, offset: int) -> Mark:
    line = text.count(b"\n", 0, offset) + 1
    col = offset - (text.rfind(b"\n", 0, offset) + 1) + 1
    return Mark(line, col)


def decode(data: bytes) -> str:
    """UTF-8 text, or a YamlError pointing at the first bad byte."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            [
                YamlProblem(
                    Mark(1, 1),
                    (
                        f"the file is {len(data) / 1048576:.1f} MiB; the limit is "
                        f"{MAX_BYTES // 1048576} MiB: split it or remove what does not belong"
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


def _at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines):
        return ""
    return lines[mark.line][: mark.column + 1]


def _alias_at(text: str, mark: Any) -> str:
    """The name of the ``*alias`` written at ``mark``, if any."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines):
        return ""
    rest = lines[mark.line][mark.column :]
    if not rest.startswith("*"):
        return ""
    return rest[1:].split()[0].rstrip(",]}") if rest[1:].split() else ""


def _yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or "invalid YAML"
    before = _at(text, exc.problem_mark)
    if "\t" in before or "tab" in problem.lower():
        return "a tab character: YAML indents with spaces only"
    # libyaml does not name the character or the alias, so read them from the text.
    if "cannot start any token" in problem and before[-1:] in ("@", "`"):
        return (
            f"found character '{before[-1]}' that cannot start any token: "
            'put the value in quotes, e.g. "@name@instance"'
        )
    if "found undefined alias" in problem:
        name = _alias_at(text, exc.problem_mark)
        if name and name not in problem:
            problem = f"found undefined alias '{name}'"
        return f"{problem}: an *alias needs an &anchor defined above it"
    context = f" {exc.context}" if exc.context else ""
    start, end = exc.context_mark, exc.problem_mark
    if context and start is not None and (end is None or start.line != end.line):
        context += f" that starts on line {start.line + 1}"
    return f"YAML syntax error: {problem}{context}"


def parse(text: str) -> Node | None:
    """The document's root node, or None for an empty document."""
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        sizes: dict[int, int] = {}
        if _size(root, sizes) > MAX_NODES:
            raise YamlError(
                [
                    YamlProblem(
                        _mark(root.start_mark),
                        (
                            "the document expands to more than "
                            f"{MAX_NODES:,} values through aliases; remove the &anchor/*alias chain"
                        ),
                    )
                ]
            )
        return _Converter(loader).convert(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _mark(mark) if mark is not None else Mark(1, 1)
        raise YamlError([YamlProblem(where, _yaml_message(exc, text))]) from None
    except yaml.YAMLError as exc:
        raise YamlError([YamlProblem(Mark(1, 1), f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()


def _size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Number of values the node stands for once aliases are expanded (memoized)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a recursive alias counts once instead of looping
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_size(k, sizes) + _size(v, sizes) for k, v in node.value)
    total = min(total, MAX_NODES + 1)
    sizes[id(node)] = total
    return total


_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})


class _Converter:
    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.problems: list[YamlProblem] = []
        self.active: set[int] = set()

    def convert(self, node: yaml.Node) -> Node:
        result = self.node(node)
        if self.problems:
            raise YamlError(self.problems)
        return result

    def node(self, node: yaml.Node) -> Node:
        mark = _mark(node.start_mark)
        if id(node) in self.active:
            self.problems.append(YamlProblem(mark, "an alias refers to a value that contains it"))
            return Node(None, mark)
        if isinstance(node, yaml.ScalarNode):
            return Node(self.scalar(node), mark)
        if node.tag not in _COLLECTION_TAGS:
            # A tag on a list or mapping (!!python/object/apply:..., !!set) is
            # never constructed; say so instead of silently reading the plain value.
            self.problems.append(YamlProblem(mark, f"unsupported tag {node.tag}: remove it"))
            return Node(None, mark)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return Node([self.node(child) for child in node.value], mark)
            return self.mapping(node, mark)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode) -> Scalar:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            message = f"unsupported tag {node.tag}: remove it"
        except (ValueError, OverflowError) as exc:
            # e.g. a timestamp that is not a real date: 2021-02-30
            message = f"invalid value {node.value!r}: {exc}"
        self.problems.append(YamlProblem(_mark(node.start_mark), message))
        return None

    def mapping(self, node: yaml.MappingNode, mark: Mark) -> Node:
        values: dict[str, Node] = {}
        key_marks: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key_mark = _mark(key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    YamlProblem(key_mark, ("merge keys (<<) are not supported: write the keys out"))
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(YamlProblem(key_mark, "a key must be plain text"))
                continue
            # The key as written: `no:` stays "no", not False.
            key = str(key_node.value)
            if key in values:
                first = key_marks[key]
                self.problems.append(
                    YamlProblem(
                        key_mark,
                        (f"duplicate key '{key}' (first set on line {first.line}): keep one"),
                    )
                )
                continue
            values[key] = self.node(value_node)
            key_marks[key] = key_mark
        return Node(values, mark, key_marks)
