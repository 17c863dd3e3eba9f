"""What a build will publish: the output paths and their contents, checked as added.

An :class:`Output` lists every file of one build (pages as bytes, assets and
photos as files to copy, or pages a render process already wrote into the new
tree), and is complete before the new tree is swapped in, so that every path
is checked against all the others first. A path must be a plain relative
POSIX path inside the site, and two outputs writing one path (also one that
differs only in case, the same file on Windows and macOS) are an error naming
both producers, never a silent overwrite. Writing it out is
:mod:`hub.publish.tree`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from hub.problems import HubError

MARKER = ".hub-output"
"""The file that identifies a folder as one this project published."""

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


class DuplicateOutputError(HubError):
    """Two producers want to write the same output path."""

    def __init__(
        self, path: str, first: str, second: str, *, other_path: str | None = None
    ) -> None:
        if other_path is None or other_path == path:
            message = f"two outputs write {path}: {first} and {second}"
        else:
            message = (
                f"two outputs write {other_path} and {path}, the same file on Windows and "
                f"macOS, which ignore case: {first} and {second}"
            )
        super().__init__(message)
        self.path = path
        self.first = first
        self.second = second


class UnsafeOutputPathError(HubError):
    """An output path that could escape the output folder or not be written as asked."""

    def __init__(self, path: str, source: str, reason: str) -> None:
        super().__init__(f"unsafe output path {path!r} from {source}: {reason}")
        self.path = path
        self.source = source


Staged = Literal["written", "unchanged"]
"""How a file already in the new tree got there: new bytes, or kept from the old tree."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One file to publish: bytes in memory, a file copied at publish time, or
    a file already written into the new tree (:meth:`hub.publish.tree.Stage.put`)."""

    source: str
    data: bytes | None = None
    src: Path | None = None
    staged: Staged | None = None


class Output:
    """Everything one build will publish, collected in memory before anything is written."""

    def __init__(self) -> None:
        self._planned: dict[str, Planned] = {}
        # Keyed by lower-cased path so that collisions on case-insensitive disks are caught.
        self._files: dict[str, str] = {}
        self._folders: dict[str, str] = {}

    def add(self, path: str, data: bytes | str, *, source: str) -> None:
        """Publish ``data`` (``str`` is encoded UTF-8) at ``path``, e.g. ``en/index.html``."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif isinstance(data, bytes | bytearray | memoryview):
            data = bytes(data)
        else:
            raise TypeError(f"output data must be bytes or str, not {type(data).__name__}")
        self.plan(path, Planned(source, data=data))

    def add_file(self, path: str, src: Path, *, source: str) -> None:
        """Publish a copy of the file ``src`` at ``path``; it is read when publishing."""
        self.plan(path, Planned(source, src=Path(src).absolute()))

    def __contains__(self, path: object) -> bool:
        return path in self._planned

    def __len__(self) -> int:
        return len(self._planned)

    def paths(self) -> list[str]:
        """Every output path, sorted."""
        return sorted(self._planned)

    def plan(self, path: str, planned: Planned) -> None:
        """Publish ``planned`` at ``path``, after checking the path against all the others."""
        if not isinstance(path, str):
            raise TypeError(f"output path must be str, not {type(path).__name__}")
        reason = unsafe_reason(path)
        if reason:
            raise UnsafeOutputPathError(path, planned.source, reason)
        if path in self._planned:
            raise DuplicateOutputError(path, self._planned[path].source, planned.source)
        key = path.lower()
        if key in self._files:
            other = self._files[key]
            raise DuplicateOutputError(
                path, self._planned[other].source, planned.source, other_path=other
            )
        if key in self._folders:
            other = self._folders[key]
            raise UnsafeOutputPathError(
                path,
                planned.source,
                f"it is also the folder of {other} (from {self._planned[other].source})",
            )
        parts = key.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts))]
        for prefix in prefixes:
            if prefix in self._files:
                other = self._files[prefix]
                raise UnsafeOutputPathError(
                    path,
                    planned.source,
                    f"{other} is already a file (from {self._planned[other].source})",
                )
        self._planned[path] = planned
        self._files[key] = path
        for prefix in prefixes:
            self._folders.setdefault(prefix, path)

    def items(self) -> Iterator[tuple[str, Planned]]:
        """Every (path, what to write there), sorted by path."""
        for path in self.paths():
            yield path, self._planned[path]


class Sink(Protocol):
    """Where rendered files go as they are made: the publish stage's new tree.

    Render processes write into it without knowing how it is published
    (:class:`hub.publish.tree.Stage` is the one the build uses).
    """

    def put(self, path: str, planned: Planned) -> Planned:
        """Write ``planned`` at ``path`` now; what to plan in the :class:`Output`."""
        ...

    def has(self, path: str) -> bool:
        """Whether the previous site has a file at ``path``."""
        ...

    def keep(self, path: str, source: str) -> Planned | None:
        """Put the previous site's file at ``path`` in the new tree as it is; what to
        plan in the :class:`Output`, or None when the previous site has no such file."""
        ...


def unsafe_reason(path: str) -> str | None:
    """Why ``path`` is not a plain relative POSIX path inside the site, or None."""
    if not path:
        return "it is empty"
    if "\x00" in path:
        return "it contains a NUL character"
    if _CONTROL.search(path):
        return "it contains a control character"
    if "\\" in path:
        return "it contains a backslash; separate folders with '/'"
    if path.startswith("/"):
        return "it is absolute; give a path inside the site such as 'en/index.html'"
    if _DRIVE.match(path):
        return "it starts with a Windows drive letter"
    for part in path.split("/"):
        if part == "":
            return "it has an empty segment ('//' or a '/' at the end)"
        if part == "..":
            return "'..' would leave the output folder"
        if part == ".":
            return "'.' segments are not allowed; write the path without them"
    if path.lower() == MARKER:
        return f"{MARKER} is reserved for the file that marks an output folder"
    return None
