"""``hub hide URL``: a post taken down by adding it to ``content/curation.yaml``.

The emergency route (docs/takedown.md): the publish workflow, run by hand with
a post's address, adds the hide, commits the file and publishes, all in one
run; the commit keeps the post down on every later run. The file is edited
as text, so its comments and layout stay as they were: the new item goes
first under ``hide:`` (its indentation copied from the item it precedes), or
a ``hide:`` list is added at the end. The result is checked as ``hub check``
checks the file before it replaces the old one, whole.
"""

from __future__ import annotations

import json
import stat
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from hub import wholefiles
from hub.model import Account
from hub.problems import HubError, Problem, os_reason
from hub.registry.composer import parse
from hub.registry.yamlnodes import YamlError
from hub.site.curation import SCHEMA_LINE, normalize_url, read_curation
from hub.wholefiles import write_whole


def add_hide(
    path: Path, name: str, url: str, reason: str, day: date, accounts: Iterable[Account]
) -> bool:
    """Add a hide of ``url`` to the file at ``path`` (shown as ``name``).

    False when the post is hidden already (nothing written). HubError when the
    address or the reason is unusable, or when the file has problems of its own
    (they are its editors' to fix: nothing is written).
    """
    url, reason = url.strip(), " ".join(reason.split())
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise HubError(f'"{url}" is not a post\'s address: expected https://...')
    if not reason:
        raise HubError("say why the post is taken down: --reason")
    accounts = tuple(accounts)
    problems: list[Problem] = []
    try:
        text = wholefiles.read(path).decode("utf-8")
    except FileNotFoundError:
        text = f"{SCHEMA_LINE}\n"
    except OSError as exc:
        raise HubError(f"{name}: cannot read the file: {os_reason(exc)}") from None
    except UnicodeDecodeError:
        raise HubError(f"{name}: cannot read the file: it is not UTF-8 text") from None
    current = read_curation(path, name, accounts, problems)
    _refuse([p for p in problems if p.severity == "error"], name)
    if any(normalize_url(h.url) == normalize_url(url) for h in current.hide):
        return False
    edited = _with_hide(text, name, url, reason, day)
    _replace(path, edited, name, accounts)
    return True


def _with_hide(text: str, name: str, url: str, reason: str, day: date) -> str:
    if text and not text.endswith("\n"):
        text += "\n"
    item = [f"- url: {json.dumps(url)}", f"  reason: {json.dumps(reason)}", f"  date: {day}"]
    try:
        root = parse(text)
    except YamlError:
        root = None  # read_curation has said what is wrong already
    hide = root.value.get("hide") if root is not None and root.is_map else None
    lines = text.splitlines(keepends=True)
    if root is None or hide is None:  # no hide: yet
        return text.rstrip("\n") + "\n\nhide:\n" + "".join(f"  {line}\n" for line in item)
    first = hide.value[0].mark if hide.is_seq and hide.value else hide.mark
    dash = first.col - 3  # a block item's mapping starts two columns after its "- "
    if not hide.is_seq or dash < 0 or lines[first.line - 1][dash : dash + 2] != "- ":
        raise HubError(
            f"{name}:{hide.mark.line}:{hide.mark.col}: hide: is not written as a list of "
            "'- url: ...' items: add the post there by hand"
        )
    added = [f"{' ' * dash}{line}\n" for line in item]
    return "".join(lines[: first.line - 1] + added + lines[first.line - 1 :])


def _replace(path: Path, text: str, name: str, accounts: tuple[Account, ...]) -> None:
    """Write ``text`` over the file, whole, once it passes the check: with the file's own
    permissions, and through a symbolic link to the file it names."""
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / path.name
        draft.write_text(text, encoding="utf-8")
        read_curation(draft, name, accounts, problems)
    _refuse([p for p in problems if p.severity == "error"], name)
    target = path.resolve()
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    write_whole(target, text.encode("utf-8"), mode=mode)


def _refuse(errors: list[Problem], name: str) -> None:
    """HubError naming the file's first error at its place, then the others."""
    if errors:
        first, *others = errors
        where = f"{first.file}:{first.line}:{first.col}"
        said = f"{first.path}: {first.message}" if first.path else first.message
        lines = [
            said,
            *(p.format() for p in others),
            f"{name}: fix the file first: nothing was written",
        ]
        error = HubError(f"{where}: " + "\n".join(lines))
        error.where = where
        raise error
