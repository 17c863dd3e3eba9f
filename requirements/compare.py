"""Prints how the installed packages differ from a lock file.

Usage: python requirements/compare.py requirements/test.txt

For the upgrade canary (docs/ci.md): after newer releases are installed over the
lock, it lists each package whose version is not the locked one, and each package
the project now needs that the lock does not have. It only reports: its exit
status is 0 whatever it finds.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
PROJECT = "police-social-hub"


def locked(path: Path) -> dict[str, str]:
    """Each package's pinned version in a lock file, by canonical name."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def needed(project: str, extras: set[str]) -> set[str]:
    """The installed distributions the project needs, with the given extras, and theirs."""
    found: set[str] = set()
    todo = [(canonicalize_name(project), extras)]
    while todo:
        name, wanted = todo.pop()
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": e}) for e in wanted | {""}):
                continue
            dependency = canonicalize_name(requirement.name)
            if dependency not in found:
                found.add(dependency)
                todo.append((dependency, set(requirement.extras)))
    return found


def main(argv: list[str]) -> int:
    lock = Path(argv[1])
    pins = locked(lock)
    extras = {"test"} if lock.name == "test.txt" else set()
    changed = []
    for name in sorted(pins.keys() | needed(PROJECT, extras)):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        if pins.get(name) != version:
            changed.append(f"  {name}: {pins.get(name, 'not in the lock')} -> {version}")
    if changed:
        print(f"Installed packages that differ from {lock}:", *changed, sep="\n")
    else:
        print(f"Installed packages are the ones in {lock}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
