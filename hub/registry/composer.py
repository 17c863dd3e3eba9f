"""Parses YAML text into the node tree of :mod:`hub.registry.yamlnodes`.

The parser's events (libyaml's C parser where available) are composed into
:class:`~hub.registry.yamlnodes.Node` objects here, refusing what safe_load
lets through: duplicate keys, non-text keys, alias bombs, deep nesting, and
tags other than the plain scalar types.
"""

from __future__ import annotations

from typing import Any

import yaml

from hub.registry.yamlnodes import (
    LINE_BREAK,
    MAX_DEPTH,
    MAX_NODES,
    Loader,
    Mark,
    Node,
    Scalar,
    YamlError,
    YamlProblem,
    mark_of,
    paused_gc,
)


def parse(text: str) -> Node | None:
    """The document's root node, or None for an empty document."""
    loader = Loader(text)
    try:
        with paused_gc():
            return _Composer(loader).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark_of(mark) if mark is not None else Mark(1, 1)
        raise YamlError([YamlProblem(where, _yaml_message(exc, text))]) from None
    except yaml.YAMLError as exc:
        raise YamlError([YamlProblem(Mark(1, 1), f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()


def _at(text: str, mark: Any) -> str:
    """The text of the mark's line up to and including the mark."""
    lines = LINE_BREAK.split(text)
    if mark is None or mark.line >= len(lines):
        return ""
    return lines[mark.line][: mark.column + 1]


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
        return f"{problem}: an *alias needs an &anchor defined above it"
    context = f" {exc.context}" if exc.context else ""
    start, end = exc.context_mark, exc.problem_mark
    if context and start is not None and (end is None or start.line != end.line):
        context += f" that starts on line {start.line + 1}"
    return f"YAML syntax error: {problem}{context}"


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_UNSET: Any = object()
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str", "timestamp")
)
"""The scalar types a registry can hold; !!binary, !!python/... and the rest are refused."""

# What the innermost open list or mapping expects next.
_ITEM, _KEY, _VALUE, _SKIP = range(4)


class _Frame:
    """A list or mapping being read."""

    __slots__ = ("key", "key_mark", "node", "size", "state")

    def __init__(self, node: Node, state: int) -> None:
        self.node = node
        self.state = state
        self.size = 1
        """Values it stands for once aliases are expanded."""
        self.key = ""
        self.key_mark = node.mark


class _Composer:
    """Builds Nodes straight from the parser's events.

    PyYAML's composer is recursive (a deeply nested file overflows the C stack)
    and resolves every scalar in Python; reading events with an explicit stack
    bounds the depth, counts the values aliases expand to as it goes, and
    resolves each distinct plain scalar once. It is most of the time of
    loading a large registry, so the loop is kept tight.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.problems: list[YamlProblem] = []
        self.anchors: dict[str, tuple[Node, int | None]] = {}
        """Anchor -> (node, expanded size); the size is None while the node is open."""
        self.open: dict[int, str] = {}
        """The anchors of the lists and mappings being read, by id of their node."""
        self.plain: dict[str, Scalar] = {}

    def document(self) -> Node | None:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # document start
        root = self.root()
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "found a second document (after a --- line): a registry is one document",
                loader.get_event().start_mark,
            )
        if self.problems:
            raise YamlError(self.problems)
        return root

    def root(self) -> Node:
        get_event = self.loader.get_event
        stack: list[_Frame] = []
        top: _Frame | None = None
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                m = event.start_mark
                mark = Mark(m.line + 1, m.column + 1)
                if top is not None and top.state == _KEY:
                    top.size += 1
                    self.key(top, event, mark)
                    if event.anchor is not None:
                        self.anchor(event, Node(event.value, mark), 1)
                    continue
                node = Node(self.scalar(event, mark), mark)
                size = 1
                if event.anchor is not None:
                    self.anchor(event, node, 1)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                is_map = kind is yaml.MappingStartEvent
                node = self.start(event, is_map, len(stack))
                top = _Frame(node, _KEY if is_map else _ITEM)
                stack.append(top)
                if event.anchor is not None:
                    self.anchor(event, node, None)
                continue
            elif kind is yaml.AliasEvent:
                node, size = self.alias(event)
            else:  # the end of a list or mapping
                done = stack.pop()
                node, size = done.node, done.size
                if self.open:
                    name = self.open.pop(id(node), None)
                    if name is not None:
                        self.anchors[name] = (node, size)
                top = stack[-1] if stack else None
            if top is None:
                return node
            top.size += size
            if top.size > MAX_NODES:
                raise YamlError(
                    [
                        YamlProblem(
                            stack[0].node.mark,
                            f"the document expands to more than {MAX_NODES:,} values "
                            "through aliases; remove the &anchor/*alias chain",
                        )
                    ]
                )
            state = top.state
            if state == _ITEM:
                top.node.value.append(node)
            elif state == _VALUE:
                top.node.value[top.key] = node
                top.node.key_marks[top.key] = top.key_mark
                top.state = _KEY
            elif state == _SKIP:
                top.state = _KEY
            else:  # a list, a mapping or an alias where a key belongs
                where = mark_of(event.start_mark) if kind is yaml.AliasEvent else node.mark
                self.problems.append(YamlProblem(where, "a key must be plain text"))
                top.state = _SKIP

    def start(self, event: Any, is_map: bool, depth: int) -> Node:
        mark = mark_of(event.start_mark)
        if depth >= MAX_DEPTH:
            raise YamlError(
                [YamlProblem(mark, f"nested more than {MAX_DEPTH} levels deep: flatten the file")]
            )
        tag = event.tag
        if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
            # A tag on a list or mapping (!!python/object/apply:..., !!set) is
            # never constructed; say so instead of silently reading the plain value.
            self.problems.append(YamlProblem(mark, f"unsupported tag {tag}: remove it"))
        return Node({} if is_map else [], mark)

    def key(self, frame: _Frame, event: Any, mark: Mark) -> None:
        # The key as written: `no:` stays "no", not False.
        key = event.value
        frame.state = _SKIP
        if event.tag == _MERGE or (key == "<<" and event.tag is None and event.implicit[0]):
            self.problems.append(
                YamlProblem(mark, "merge keys (<<) are not supported: write the keys out")
            )
        elif key in frame.node.value:
            first = frame.node.key_marks[key]
            self.problems.append(
                YamlProblem(
                    mark, f"duplicate key '{key}' (first set on line {first.line}): keep one"
                )
            )
        else:
            frame.key, frame.key_mark, frame.state = key, mark, _VALUE

    def anchor(self, event: Any, node: Node, size: int | None) -> None:
        name = event.anchor
        if name in self.anchors:
            first = self.anchors[name][0].mark
            self.problems.append(
                YamlProblem(
                    mark_of(event.start_mark),
                    f"the anchor &{name} is already set on line {first.line}: use another name",
                )
            )
            return
        self.anchors[name] = (node, size)
        if size is None:
            self.open[id(node)] = name

    def alias(self, event: Any) -> tuple[Node, int]:
        found = self.anchors.get(event.anchor)
        if found is None:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias '{event.anchor}'", event.start_mark
            )
        node, size = found
        if size is None:
            self.problems.append(
                YamlProblem(node.mark, "an alias refers to a value that contains it")
            )
            return Node(None, node.mark), 1
        return node, size

    def scalar(self, event: Any, mark: Mark) -> Scalar:
        tag = event.tag
        value = event.value
        if tag is None and event.implicit[0]:  # plain: 12, yes, 2021-01-01 or text
            known = self.plain.get(value, _UNSET)
            if known is not _UNSET:
                return known
            tag = self.loader.resolve(yaml.ScalarNode, value, (True, False))
            result = value if tag == _STR else self.construct(event, tag, mark)
            if result is not _UNSET:
                self.plain[value] = result
                return result
            return None
        if tag is None or tag == "!" or tag == _STR:  # quoted, or explicitly text
            return value
        result = self.construct(event, tag, mark)
        return None if result is _UNSET else result

    def construct(self, event: Any, tag: str, mark: Mark) -> Any:
        if tag not in _SCALAR_TAGS:
            self.problems.append(YamlProblem(mark, f"unsupported tag {tag}: remove it"))
            return _UNSET
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            # e.g. a date that does not exist: 2021-02-30
            message = f"invalid value {event.value!r}: {exc}"
        except Exception:
            # PyYAML's constructors fail in other ways on a value that does not
            # fit an explicit tag: !!timestamp x raises AttributeError, !!bool x KeyError.
            message = f"{event.value!r} is not a valid !!{tag.rsplit(':', 1)[-1]} value"
        self.problems.append(YamlProblem(mark, message))
        return _UNSET
