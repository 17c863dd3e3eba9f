"""Who answers for each unit, officer and account: the ``admin:`` blocks, never published.

A block stands on a unit, an officer or an account in sources.yaml, or in
``sources.admin.yaml`` next to it, for a service whose registry repository is
public (the second file can live in a private repository and be copied in
before a run)::

    units:    {traffic: {owner: "S/Sgt Dana Ruiz", review_by: 2027-03-20}}
    officers: {jack-west: {owner: "Cst Jack West", trained: 2026-03-14}}
    accounts: {"x:LakeviewTraffic": {owner: "Traffic Services"}}

:meth:`AdminRules.admin_of` reads a block where it stands;
:meth:`AdminRules.collect` adds the second file's, and warns of:

- a block whose ``review_by`` has passed;
- once any block exists, an account with nobody responsible: no ``owner`` on
  it, on its officer or unit, or on a unit above them.

The blocks end up in :attr:`hub.model.Registry.admin`, which only the
governance report reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hub import wholefiles
from hub.model import Account, Admin, Officer, Unit
from hub.problems import Problem, RegistryError, did_you_mean
from hub.registry.composer import parse
from hub.registry.format import ADMIN_FILE
from hub.registry.spec import INVALID, Checker, Fields
from hub.registry.yamlnodes import Mark, YamlError, decode

SUFFIX = ".admin.yaml"
"""``sources.yaml`` -> ``sources.admin.yaml``."""


def admin_path(registry: Path) -> Path:
    """Where the registry's separate admin file is: beside it, ``<stem>.admin.yaml``."""
    return registry.with_name(registry.stem + SUFFIX)


@dataclass(frozen=True)
class Block:
    """One block where it was written: its values, and where to point a warning."""

    admin: Admin
    fields: Fields
    path: str
    checker: Checker


class AdminRules:
    """The ``admin:`` blocks of one registry, and the warnings they raise."""

    def __init__(
        self, out: Checker, separate: bytes | None = None, today: date | None = None
    ) -> None:
        self.out = out
        self.separate = separate
        """The bytes of sources.admin.yaml, when there is one (:func:`read_separate`)."""
        self.today = today or date.today()
        self.blocks: dict[str, Block] = {}
        self.account_marks: dict[str, tuple[Mark, str]] = {}

    def admin_of(self, f: Fields, path: str, key: str) -> None:
        """Keep the block on a unit, officer or account (``key``), if it has one."""
        block = f.get("admin")
        if isinstance(block, Fields):
            self.blocks[key] = Block(_admin(block), block, f"{path}.admin", self.out)

    def account_at(self, account: Account, mark: Mark, path: str) -> None:
        self.account_marks[account.key] = (mark, path)

    def collect(
        self, registry: Path, display: str, units: Iterable[Unit], officers: Iterable[Officer]
    ) -> Mapping[str, Admin]:
        """Every block by key, the separate file's added; warnings reported."""
        units = tuple(units)
        officers = tuple(officers)
        separate = self._separate_file(registry, display, units, officers)
        for block in self.blocks.values():
            review = block.admin.review_by
            if review is not None and review < self.today:
                block.checker.report(
                    block.fields.mark("review_by"),
                    f"{block.path}.review_by",
                    f"the review date {review.isoformat()} has passed: review it, then set "
                    "the next date",
                    "warning",
                )
        if self.blocks:
            self._unowned(units, officers)
        if separate is not None:
            self.out.problems.extend(separate.problems)
        return {key: block.admin for key, block in self.blocks.items()}

    def _unowned(self, units: tuple[Unit, ...], officers: tuple[Officer, ...]) -> None:
        parents = {unit.id: unit.parent for unit in units}
        officer_units = {officer.id: officer.unit for officer in officers}
        accounts = [a for unit in units for a in unit.accounts]
        accounts += [a for officer in officers for a in officer.accounts]
        for account in accounts:
            if responsible(account, self.blocks, officer_units, parents) is not None:
                continue
            mark, path = self.account_marks.get(account.key, (Mark(1, 1), ""))
            self.out.report(
                mark,
                path,
                f"nobody is responsible for {account.key}: give it, its officer or its unit "
                "an admin: block with owner:",
                "warning",
            )

    def _separate_file(
        self, registry: Path, display: str, units: tuple[Unit, ...], officers: tuple[Officer, ...]
    ) -> Checker | None:
        """The separate file's blocks added; its problems, which the caller reports last."""
        data = self.separate
        if data is None:
            return None
        path = admin_path(registry)
        out = Checker(str(Path(display).with_name(path.name)))
        try:
            root = parse(decode(data))
        except YamlError as exc:
            for problem in exc.problems:
                out.report(problem.mark, "", problem.message)
            root = None
        checked = ADMIN_FILE.check(root, "", out) if root is not None else INVALID
        if isinstance(checked, Fields):
            known = {
                "units": {unit.id for unit in units},
                "officers": {officer.id for officer in officers},
                "accounts": {a.key for o in (*units, *officers) for a in o.accounts},
            }
            prefix = {"units": "unit:", "officers": "officer:", "accounts": ""}
            for section, blocks in checked.items():
                for name, block in blocks.items():
                    self._add(out, section, name, block, known[section], prefix[section])
        return out

    def _add(
        self, out: Checker, section: str, name: str, block: Fields, known: set[str], prefix: str
    ) -> None:
        where = f"{section}.{name}"
        key = prefix + (name.lower() if section == "accounts" else name)
        mark = block.node.mark
        if key.removeprefix(prefix) not in known:
            what = {"units": "unit", "officers": "officer", "accounts": "account"}[section]
            out.report(
                mark, where, f'no {what} "{name}" in the registry{did_you_mean(name, known)}'
            )
        elif key in self.blocks:
            out.report(mark, where, f"{key} has an admin: block in the registry already: keep one")
        else:
            self.blocks[key] = Block(_admin(block), block, where, out)


def responsible(
    account: Account,
    blocks: Mapping[str, Block] | Mapping[str, Admin],
    officer_units: Mapping[str, str],
    parents: Mapping[str, str | None],
) -> Admin | None:
    """The nearest block with an owner: the account's, its officer's or unit's, a unit above."""
    chain = [account.key, account.owner]
    kind, _, name = account.owner.partition(":")
    unit: str | None = officer_units.get(name) if kind == "officer" else name
    seen: set[str] = set()
    while unit is not None and unit not in seen:
        seen.add(unit)
        chain.append(f"unit:{unit}")
        unit = parents.get(unit)
    for key in chain:
        found = blocks.get(key)
        admin = found.admin if isinstance(found, Block) else found
        if admin is not None and admin.owner:
            return admin
    return None


def _admin(block: Fields) -> Admin:
    return Admin(
        owner=block.get("owner"),
        contact=block.get("contact"),
        trained=block.get("trained"),
        approved_by=block.get("approved_by"),
        approved=block.get("approved"),
        review_by=block.get("review_by"),
        notes=block.get("notes"),
    )


def read_separate(registry: Path, display: str) -> bytes | None:
    """The bytes of the registry's admin file; None when it has none."""
    path = admin_path(registry)
    try:
        return wholefiles.read(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        name = str(Path(display).with_name(path.name))
        reason = exc.strerror or str(exc)
        raise RegistryError([Problem(name, 1, 1, "", f"cannot read the file: {reason}")]) from None
