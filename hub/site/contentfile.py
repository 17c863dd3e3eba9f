"""One Markdown file under ``content/`` being checked: front matter, body, problems.

Shared by pages and alerts. Reading splits the file at its ``---`` lines and
parses the front matter with positions; every problem found later is recorded
against the file's own line and column, so the author is pointed at the spot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub import wholefiles
from hub.problems import Problem, Severity, did_you_mean, one_of
from hub.registry.composer import parse
from hub.registry.yamlnodes import Mark, Node, YamlError, decode
from hub.site.markup import MarkdownRenderer


def front_mark(mark: Mark) -> Mark:
    """A position in the front matter as a position in the file (after the first ``---``)."""
    return Mark(mark.line + 1, mark.col)


@dataclass
class ContentFile:
    """One file being checked: its front matter, its body, and where problems go."""

    path: Path
    name: str
    out: list[Problem]
    fields: dict[str, Node]
    key_marks: dict[str, Mark]
    body: str
    body_line: int
    """The file's line number of the body's first line."""
    errors: int = 0

    @classmethod
    def read(cls, path: Path, name: str, out: list[Problem]) -> ContentFile | None:
        """The file split into front matter and body; None, with problems, if it cannot be."""

        def fail(line: int, col: int, message: str) -> None:
            out.append(Problem(name, line, col, "", message))

        try:
            text = decode(wholefiles.read(path))
        except OSError as exc:
            fail(1, 1, f"cannot read the file: {exc.strerror or exc}")
            return None
        except YamlError as exc:
            fail(exc.problems[0].mark.line, exc.problems[0].mark.col, exc.problems[0].message)
            return None
        lines = text.split("\n")
        example = '"---", then keys such as title: About us, then "---"'
        if lines[0].rstrip() != "---":
            fail(1, 1, f"the file must start with front matter: a line {example}")
            return None
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if close is None:
            fail(1, 1, 'the front matter is never closed: add a line "---" after its last key')
            return None
        try:
            root = parse("\n".join(lines[1:close]))
        except YamlError as exc:
            for problem in exc.problems:
                mark = front_mark(problem.mark)
                fail(mark.line, mark.col, problem.message)
            return None
        if root is not None and not root.is_map:
            mark = front_mark(root.mark)
            fail(mark.line, mark.col, f"the front matter must be keys and values: {example}")
            return None
        fields = root.value if root is not None else {}
        key_marks = root.key_marks if root is not None else {}
        body = "\n".join(lines[close + 1 :])
        return cls(path, name, out, fields, key_marks, body, close + 2)

    def report(self, mark: Mark, key: str, message: str, severity: Severity = "error") -> None:
        self.out.append(Problem(self.name, mark.line, mark.col, key, message, severity))
        if severity == "error":
            self.errors += 1

    def at(self, key: str) -> Mark:
        """Where a key's value is written (line 1 when the key is missing)."""
        node = self.fields.get(key)
        return front_mark(node.mark) if node is not None else Mark(1, 1)

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.fields:
            if key not in allowed:
                self.report(
                    front_mark(self.key_marks[key]),
                    key,
                    f'unknown key "{key}"{did_you_mean(key, allowed)}; '
                    f"the keys are {one_of(allowed)}",
                )

    def node(self, key: str, example: str | None = None) -> Node | None:
        """The key's node; with ``example``, the key is required."""
        node = self.fields.get(key)
        if node is None and example is not None:
            self.report(Mark(1, 1), key, f'missing required key "{key}", e.g. {example}')
        return node

    def string(self, key: str, example: str, *, required: bool = False) -> str | None:
        node = self.node(key, example if required else None)
        if node is None:
            return None
        if not isinstance(node.value, str) or not node.value.strip():
            self.report(self.at(key), key, f"expected text, got {describe(node.value)}: {example}")
            return None
        return node.value.strip()

    def line_of(self, needle: str) -> Mark:
        """Where ``needle`` first appears in the body, else the body's first line."""
        offset = self.body.find(needle)
        if offset < 0:
            return Mark(self.body_line, 1)
        before = self.body[:offset]
        return Mark(self.body_line + before.count("\n"), offset - before.rfind("\n"))

    def render(self, renderer: MarkdownRenderer, text: str, lang: str) -> str:
        """``text`` as HTML; each link or image left out is a warning where it is written."""
        html, dropped = renderer.render(text, lang)
        for item in dropped:
            self.report(self.line_of(item.url), "", item.message, "warning")
        return html


def describe(value: Any) -> str:
    """A YAML value as an "expected ..., got ..." message names it: "a list", "nothing"."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return "empty text" if not value.strip() else f'"{value}"'
    if isinstance(value, dict):
        return "keys and values"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return f"{value} ({type(value).__name__})"
