"""The folder tree is the flow: each stage imports only the stages before it.

Stages, in order: registry -> feeds -> store -> site -> outputs -> render ->
publish, with the shared model (``hub.model``, ``hub.contact``,
``hub.records``, ``hub.problems``, ``hub.parallel``, ``hub.imaging``,
``hub.svgfiles``, ``hub.wholefiles``) below them all and the command line and ``hub.pipeline``
above. Render, outputs, publish (and site) never import the fetch code: they
work from what the store kept, never from the network. The governance report
(``hub.governance``) stands beside the flow: it reads the registry, the feeds'
code, the store and the site's curation, and only the command line imports it,
so nothing that builds the public site can reach the ``admin:`` values it
shows. ``hub init``'s scaffold (``hub.scaffold``) stands beside it too: it
checks a new service's answers with the registry's rules, and only the command
line imports it.
Every import counts, including those inside functions and under
``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HUB = Path(__file__).resolve().parents[1] / "hub"

SHARED = {
    "hub.model",
    "hub.contact",
    "hub.records",
    "hub.problems",
    "hub.parallel",
    "hub.imaging",
    "hub.svgfiles",
    "hub.wholefiles",
}
ORDER = ["registry", "feeds", "store", "site", "outputs", "render", "publish"]
TOP = {"hub.pipeline", "hub.__main__", "hub.cli"}
FETCH_CODE = {
    "hub.feeds.fetch",
    "hub.feeds.result",
    "hub.feeds.netguard",
    "hub.feeds.transport",
    "hub.feeds.hostpools",
    "hub.feeds.bodycap",
    "hub.feeds.images",
    "hub.feeds.published",
    "hub.feeds.reseed",
}
"""Modules that talk to the network; only the store's updaters, the pipeline
and the command line may use them."""
NO_FETCH_CODE = {"site", "outputs", "render", "publish"}
BESIDE = {
    "governance": {"registry", "feeds", "store", "site"},
    "scaffold": {"registry", "site"},
}
"""Stages beside the flow, and the stages each may import; only hub.cli imports them."""


def module_name(path: Path) -> str:
    parts = path.relative_to(HUB.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def stage_of(module: str) -> str | None:
    """The stage a module belongs to: one of ORDER, "shared", "top", or None."""
    if module in SHARED:
        return "shared"
    if module == "hub" or any(module == t or module.startswith(t + ".") for t in TOP):
        return "top"
    parts = module.split(".")
    if len(parts) > 1 and (parts[1] in ORDER or parts[1] in BESIDE):
        return parts[1]
    return None


def imported(path: Path) -> set[str]:
    """Every hub module ``path`` imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("hub"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hub"):
            found.add(node.module)
            # ``from hub.feeds import fetch`` imports the module hub.feeds.fetch
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if (HUB.parent / (candidate.replace(".", "/") + ".py")).is_file():
                    found.add(candidate)
    return found


def allowed(importer: str, target: str) -> str | None:
    """Why ``importer`` may not import ``target``; None when it may."""
    mine, theirs = stage_of(importer), stage_of(target)
    if mine is None or theirs is None:
        return f"{importer if mine is None else target} is in no stage"
    if theirs in BESIDE and mine != theirs and not importer.startswith("hub.cli"):
        return f"{importer} ({mine}) imports {target}: only the command line may"
    if mine == "top" or target == "hub" or theirs == mine:
        return None
    if mine in BESIDE:
        if theirs == "shared" or theirs in BESIDE[mine]:
            return None
        return f"{importer} ({mine}) imports {target} ({theirs}), which it may not"
    if theirs == "top":
        return f"{importer} ({mine}) imports {target}, which is above every stage"
    if mine == "shared":
        return None if theirs == "shared" else f"shared {importer} imports the {theirs} stage"
    if theirs == "shared":
        return None
    if ORDER.index(theirs) > ORDER.index(mine):
        return f"{importer} ({mine}) imports {target} from a later stage ({theirs})"
    if mine in NO_FETCH_CODE and any(target == f or target.startswith(f + ".") for f in FETCH_CODE):
        return f"{importer} ({mine}) imports fetch code {target}"
    return None


MODULES = sorted(HUB.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(HUB.parent)))
def test_imports_point_only_upstream(path: Path) -> None:
    importer = module_name(path)
    problems = [why for target in imported(path) if (why := allowed(importer, target))]
    assert problems == []


def test_every_subpackage_says_what_it_owns() -> None:
    for init in sorted(HUB.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert doc and "import" in doc, f"{init}: say what it owns and what it may import"


def test_the_rule_catches_a_forbidden_import() -> None:
    assert allowed("hub.render.pages", "hub.feeds.fetch")
    assert allowed("hub.registry.load", "hub.site.model")
    assert allowed("hub.model", "hub.registry.load")
    assert allowed("hub.publish.gate", "hub.cli.main")
    assert allowed("hub.store.update", "hub.feeds.fetch") is None
    assert allowed("hub.render.pages", "hub.site.model") is None
    assert allowed("hub.governance.report", "hub.store.database") is None
    assert allowed("hub.governance.backlinks", "hub.feeds.transport") is None
    assert allowed("hub.cli.governance", "hub.governance.report") is None
    assert allowed("hub.governance.writers", "hub.render.renderer")
    assert allowed("hub.governance.report", "hub.publish.tree")
    assert allowed("hub.publish.tree", "hub.governance.model")
    assert allowed("hub.pipeline", "hub.governance.report")
    assert allowed("hub.site.model", "hub.governance.accounts")
    assert allowed("hub.scaffold.service", "hub.registry.load") is None
    assert allowed("hub.cli.init", "hub.scaffold.files") is None
    assert allowed("hub.render.pages", "hub.scaffold.files")
    assert allowed("hub.scaffold.files", "hub.render.theme")


def test_every_module_is_in_a_stage() -> None:
    assert [m for m in map(module_name, MODULES) if stage_of(m) is None] == []
