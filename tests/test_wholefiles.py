"""Files written whole or not at all (hub/wholefiles.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, cast

import pytest

from hub.wholefiles import write_whole


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_file_is_written_with_its_folders_and_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "report.json"
    write_whole(target, b"{}\n")
    assert target.read_bytes() == b"{}\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_a_new_file_has_the_permissions_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_whole(tmp_path / "by-umask", b"x")
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "by-umask") == 0o640
    write_whole(tmp_path / "given", b"x", mode=0o644, sync=True)
    assert mode_of(tmp_path / "given") == 0o644


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "accounts.csv"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_whole(target, cast(Any, "not bytes"))
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["accounts.csv"]


def test_a_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_bytes(b"a much longer old text")
    inode = target.stat().st_ino
    write_whole(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino != inode  # a new file renamed over it, not rewritten in place
