"""``admin:`` blocks: who answers for each unit, officer and account.

In sources.yaml or in sources.admin.yaml beside it; ``hub check`` warns of a
review date that has passed and, once any block exists, of an account that
nobody answers for.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hub.model import Admin
from hub.problems import Problem, RegistryError
from hub.registry.load import Checked, load, loads

REGISTRY = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en]
  contact: {{emergency: "911"}}
units:
  - id: comms
    name: Corporate Communications
    kind: office
{comms_admin}    accounts:
      - {{platform: x, handle: LakeviewPolice{account_admin}}}
  - id: d52
    name: 52 Division
    kind: division
    parent: comms
    accounts:
      - {{platform: x, handle: LakeviewD52}}
  - id: youth
    name: Youth Services
    kind: unit
    accounts:
      - {{platform: x, handle: LakeviewYouth}}
officers:
  - name: Dana Ruiz
    unit: d52
{officer_admin}    accounts:
      - {{platform: x, handle: DanaRuizLPS}}
"""

OWNER = '{owner: "S/Sgt Dana Ruiz, 52 Division", contact: dana.ruiz@lakeview.example}'


def write(
    tmp_path: Path,
    *,
    comms: str = "",
    account: str = "",
    officer: str = "",
    separate: str | None = None,
) -> Path:
    (tmp_path / "themes" / "default").mkdir(parents=True, exist_ok=True)
    path = tmp_path / "sources.yaml"
    path.write_text(
        REGISTRY.format(
            comms_admin=f"    admin: {comms}\n" if comms else "",
            account_admin=f", admin: {account}" if account else "",
            officer_admin=f"    admin: {officer}\n" if officer else "",
        ),
        encoding="utf-8",
    )
    if separate is not None:
        (tmp_path / "sources.admin.yaml").write_text(separate, encoding="utf-8")
    return path


def checked(path: Path) -> Checked:
    return load(path, display_name=path.name)


def warnings(result: Checked) -> list[str]:
    return [p.format() for p in result.warnings]


def test_no_block_anywhere_asks_nothing(tmp_path: Path) -> None:
    result = checked(write(tmp_path))
    assert result.registry.admin == {}
    assert not any("responsible" in w for w in warnings(result))


def test_blocks_are_read_where_they_stand(tmp_path: Path) -> None:
    result = checked(
        write(
            tmp_path,
            comms="{owner: Insp. Rao, trained: 2026-03-14, approved_by: Supt. Lee, "
            "approved: 2026-03-20, review_by: 2099-03-20}",
            account="{owner: Social Media Team, notes: the main account}",
            officer=OWNER,
        )
    )
    admin = result.registry.admin
    assert admin["unit:comms"] == Admin(
        owner="Insp. Rao",
        trained=date(2026, 3, 14),
        approved_by="Supt. Lee",
        approved=date(2026, 3, 20),
        review_by=date(2099, 3, 20),
    )
    assert admin["x:lakeviewpolice"].notes == "the main account"
    assert admin["officer:dana-ruiz"].contact == "dana.ruiz@lakeview.example"
    # comms answers for 52 Division (its parent) and Dana Ruiz (in 52 Division);
    # Youth Services is nobody's.
    (only,) = [w for w in warnings(result) if "responsible" in w]
    assert only == (
        "sources.yaml:23:9: warning: units[2].accounts[0]: nobody is responsible for "
        "x:lakeviewyouth: give it, its officer or its unit an admin: block with owner:"
    )


def test_a_review_date_that_has_passed_is_a_warning_where_it_is_written(tmp_path: Path) -> None:
    result = checked(write(tmp_path, comms="{owner: Insp. Rao, review_by: 2020-01-31}"))
    assert (
        "sources.yaml:10:42: warning: units[0].admin.review_by: the review date 2020-01-31 has "
        "passed: review it, then set the next date"
    ) in warnings(result)


def test_a_block_with_no_owner_does_not_make_anyone_responsible(tmp_path: Path) -> None:
    result = checked(write(tmp_path, comms="{trained: 2026-03-14}"))
    unowned = [w for w in warnings(result) if "nobody is responsible" in w]
    assert len(unowned) == 4


def test_bad_values_are_errors_with_their_position(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as caught:
        checked(write(tmp_path, comms="{owner: Insp. Rao, trained: last spring, reviewer: x}"))
    messages = [p.format() for p in caught.value.problems]
    assert (
        "sources.yaml:10:40: error: units[0].admin.trained: expected a date such as 2011-07-27, "
        'got "last spring"'
    ) in messages
    assert any(
        m.startswith("sources.yaml:10:53: error: units[0].admin.reviewer: unknown key")
        for m in messages
    )


SEPARATE = """\
units:
  comms: {owner: Insp. Rao, review_by: 2099-01-01}
  youth: {owner: "Sgt Lee, Youth Services"}
officers:
  dana-ruiz: {owner: S/Sgt Dana Ruiz, trained: 2026-03-14}
accounts:
  "x:LakeviewPolice": {owner: Social Media Team}
"""


def test_a_separate_file_holds_the_blocks(tmp_path: Path) -> None:
    result = checked(write(tmp_path, separate=SEPARATE))
    admin = result.registry.admin
    assert admin["unit:youth"].owner == "Sgt Lee, Youth Services"
    assert admin["officer:dana-ruiz"].trained == date(2026, 3, 14)
    assert admin["x:lakeviewpolice"].owner == "Social Media Team"
    assert not any("responsible" in w for w in warnings(result))


def test_the_separate_file_names_only_what_the_registry_has(tmp_path: Path) -> None:
    text = SEPARATE + '  "x:LakeviewYuoth": {owner: x}\n'
    text = text.replace("  youth:", "  yuoth:")
    with pytest.raises(RegistryError) as caught:
        checked(write(tmp_path, separate=text, comms="{owner: Insp. Rao}"))
    messages = [p.format() for p in caught.value.problems if p.severity == "error"]
    assert messages == [
        "sources.admin.yaml:2:10: error: units.comms: unit:comms has an admin: block in the "
        "registry already: keep one",
        'sources.admin.yaml:3:10: error: units.yuoth: no unit "yuoth" in the registry '
        '(did you mean "youth"?)',
        "sources.admin.yaml:8:22: error: accounts.x:LakeviewYuoth: no account "
        '"x:LakeviewYuoth" in the registry (did you mean "x:lakeviewyouth"?)',
    ]


def test_a_broken_separate_file_is_an_error_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, separate="units:\n  comms: {owner: [unclosed\n")
    result = subprocess.run(
        [sys.executable, "-m", "hub", "check", "--sources", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "sources.admin.yaml:" in result.stderr
    assert ": error: " in result.stderr


def test_problems_of_both_files_are_in_order(tmp_path: Path) -> None:
    path = write(tmp_path, separate="units: {comms: {owner: A, review_by: 2001-01-01}}\n")
    result = checked(path)
    files = [p.file for p in result.warnings]
    assert files == sorted(files, key=lambda f: f != "sources.yaml")
    assert isinstance(result.warnings[-1], Problem)
    assert result.warnings[-1].file == "sources.admin.yaml"


def test_registry_bytes_alone_read_no_file_beside_them(tmp_path: Path) -> None:
    """``loads`` validates the bytes it is given; only ``load`` reads sources.admin.yaml."""
    path = write(tmp_path, separate="units: {nowhere: {owner: A}}\n")
    result = loads(path.read_bytes(), path)
    assert result.registry.admin == {}
    with pytest.raises(RegistryError):
        checked(path)
