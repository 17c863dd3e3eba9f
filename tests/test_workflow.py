"""The CI templates agree with the code: every command they run parses, and the
publish workflow keeps its memory and deploys only what was built.

The workflows in .github/workflows/ and the GitLab example in docs/examples/
are what a service forks; a renamed option must fail here, not in their CI.

And what they install is what was tested: the workflows and scripts/test.sh
install the lock (requirements/) with its hashes, the lock satisfies
pyproject.toml, the libraries whose internals the code relies on have upper
bounds, and the upgrade canary tries each dependency's newest release.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from hub.cli import main as cli
from hub.cli import report

REPO = Path(__file__).resolve().parent.parent
PUBLISH = REPO / ".github" / "workflows" / "publish.yml"
CHECK = REPO / ".github" / "workflows" / "check.yml"
TAKEDOWN = REPO / ".github" / "workflows" / "takedown.yml"
CANARY = REPO / ".github" / "workflows" / "canary.yml"
GITLAB = REPO / "docs" / "examples" / "gitlab-ci.yml"
TEMPLATES = (PUBLISH, CHECK, TAKEDOWN, GITLAB)
TEST_SH = REPO / "scripts" / "test.sh"
RUNTIME_LOCK = REPO / "requirements" / "runtime.txt"
TEST_LOCK = REPO / "requirements" / "test.txt"
REPORT_CRON = "7 6 * * *"
"""The daily run of the publish workflow that also writes the governance report."""


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean true.
    found = workflow.get("on", workflow.get(True))
    assert isinstance(found, dict)
    return found


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def scripts(path: Path) -> list[str]:
    """Every shell script the template runs: GitHub ``run:`` steps, GitLab ``script:`` items."""
    data = load(path)
    if path == GITLAB:
        return [
            line
            for name, job in data.items()
            if isinstance(job, dict) and "script" in job
            for line in job["script"]
        ]
    return [step["run"] for job in data["jobs"] for step in steps(data, job) if "run" in step]


SHELL_OPERATORS = frozenset({">", ">>", "2>", "2>&1", "<", "|", "||", "&&", ";"})
"""Where a command's own words end on a line: a redirect or the next command."""


def commands(path: Path) -> list[list[str]]:
    """The hub commands in a template's scripts, as argument lists (redirects left out)."""
    found = []
    for script in scripts(path):
        for line in script.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            cut = next((i for i, word in enumerate(words) if word in SHELL_OPERATORS), None)
            words = words[:cut]
            if words[:1] == ["hub"] or words[:2] == ["python", "build.py"]:
                found.append(words)
    return found


def parses(words: list[str]) -> None:
    """Parse the command with the real parser; fail with the command if it does not."""
    try:
        if words[0] == "hub":
            cli.parser().parse_args(words[1:])
        else:
            cli.build_parser().parse_args(words[2:])
    except SystemExit as exc:
        pytest.fail(f"{shlex.join(words)} is not a valid command (exit {exc.code})")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_every_command_in_the_templates_parses(path: Path) -> None:
    found = commands(path)
    assert found, f"no hub command found in {path}"
    for words in found:
        parses(words)


def test_the_templates_run_what_the_docs_promise() -> None:
    publish = {shlex.join(words) for words in commands(PUBLISH)}
    # The governance report is the GitHub workflow's alone (docs/governance.md).
    publish.remove("hub report --out report")
    assert publish == {"python build.py", "python build.py --force"}
    takedown = "hub hide '$HIDE_URL' --reason '$HIDE_REASON (by $GITHUB_ACTOR, run $GITHUB_RUN_ID)'"
    assert {shlex.join(words) for words in commands(TAKEDOWN)} == {takedown}
    check = {shlex.join(words) for words in commands(CHECK)}
    sarif = "hub check --strict --without-secrets --format sarif"
    assert check == {sarif, "python build.py --out public --without-secrets"}
    # GitLab has no code scanning to read a SARIF log: the same check, as text.
    gitlab = {shlex.join(words) for words in commands(GITLAB)}
    plain = {
        "hub check --strict --without-secrets",
        "python build.py --out public --without-secrets",
    }
    assert gitlab == publish | plain


def test_a_broken_command_would_be_caught() -> None:
    with pytest.raises(pytest.fail.Exception):
        parses(["python", "build.py", "--no-such-option"])
    with pytest.raises(pytest.fail.Exception):
        parses(["hub", "check", "--force"])
    # Options a command would ignore are not offered: hub check writes no site.
    with pytest.raises(pytest.fail.Exception):
        parses(["hub", "check", "--out", "public"])


def test_commands_end_where_the_shell_takes_over(tmp_path: Path) -> None:
    workflow = tmp_path / "w.yml"
    workflow.write_text(
        "jobs:\n  j:\n    steps:\n      - run: hub check --format sarif > out.sarif || true\n",
        encoding="utf-8",
    )
    assert commands(workflow) == [["hub", "check", "--format", "sarif"]]


def test_the_publish_workflow_triggers() -> None:
    on = triggers(load(PUBLISH))
    assert on["schedule"] == [{"cron": "4-59/15 * * * *"}, {"cron": REPORT_CRON}]
    assert on["push"]["branches"] == ["main"]
    assert set(on["push"]["paths"]) == {"sources.yaml", "content/**", "themes/**"}
    assert "workflow_dispatch" in on
    assert on["workflow_dispatch"]["inputs"]["force"]["type"] == "boolean"
    assert "pull_request" not in on
    assert set(triggers(load(CHECK))) == {"pull_request"}


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def index(found: list[dict[str, Any]], predicate: Any) -> int:
    matches = [i for i, step in enumerate(found) if predicate(step)]
    assert len(matches) == 1, matches
    return matches[0]


def cached_paths(step: dict[str, Any]) -> list[str]:
    return str(step["with"]["path"]).split()


def test_the_store_is_restored_before_the_build_and_always_saved_after() -> None:
    build = steps(load(PUBLISH), "build")
    restore = index(build, lambda s: uses(s) == "actions/cache/restore")
    run = index(build, lambda s: "python build.py" in s.get("run", ""))
    save = index(build, lambda s: uses(s) == "actions/cache/save")
    assert restore < run < save
    assert build[save]["if"] == "always()"
    # The store, and the site the last run built, so that a build with nothing new
    # writes nothing (and the run deploys nothing).
    defaults = cli.build_parser().parse_args([])
    assert cached_paths(build[restore]) == cached_paths(build[save])
    assert cached_paths(build[save]) == [str(defaults.cache), str(defaults.out)]
    # A cache is found only by the paths it was saved with: the check restores the same.
    (check,) = [s for s in steps(load(CHECK), "check") if uses(s) == "actions/cache/restore"]
    assert cached_paths(check) == cached_paths(build[save])
    # The save key is new on every run; the restore takes the newest by prefix.
    key = build[save]["with"]["key"]
    assert build[restore]["with"]["key"] == key
    assert "github.run_id" in key
    assert key.startswith(build[restore]["with"]["restore-keys"].strip())


def test_python_is_set_up_with_a_pip_cache_before_the_install() -> None:
    for path in (PUBLISH, CHECK):
        found = steps(load(path), "build" if path == PUBLISH else "check")
        setup = index(found, lambda s: uses(s) == "actions/setup-python")
        install = index(found, lambda s: "pip install" in s.get("run", ""))
        assert setup < install
        assert found[setup]["with"]["python-version"] == "3.11"
        assert found[setup]["with"]["cache"] == "pip"
        # The cache follows what is installed: the lock, not pyproject.toml.
        assert found[setup]["with"]["cache-dependency-path"] == "requirements/runtime.txt"


CHANGED_OR_BY_HAND = "{} == 'true' || github.event_name == 'workflow_dispatch'"
"""When a run uploads and deploys: the build changed the site, or it was started by hand."""


def test_the_deploy_job_publishes_only_what_the_build_uploaded() -> None:
    workflow = load(PUBLISH)
    build = steps(workflow, "build")
    upload = index(build, lambda s: uses(s) == "actions/upload-pages-artifact")
    run = index(build, lambda s: "python build.py" in s.get("run", ""))
    assert run < upload
    # No status function: skipped when the build fails or the gate refuses, and
    # when the build changed nothing.
    assert build[upload]["if"] == CHANGED_OR_BY_HAND.format("steps.build.outputs.changed")
    assert build[upload]["with"]["path"] == str(cli.build_parser().parse_args([]).out)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    changed = CHANGED_OR_BY_HAND.format("needs.build.outputs.changed")
    assert deploy["if"] == (
        f"${{{{ !cancelled() && needs.build.result == 'success' && ({changed}) }}}}"
    )
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [uses(s) for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}


def needed(jobs: dict[str, Any], name: str) -> set[str]:
    """The jobs ``name`` needs, directly or through the jobs it needs."""
    found: set[str] = set()
    waiting = [name]
    while waiting:
        needs = jobs[waiting.pop()].get("needs", [])
        for job in [needs] if isinstance(needs, str) else needs:
            if job not in found:
                found.add(job)
                waiting.append(job)
    return found


@pytest.mark.parametrize("path", [PUBLISH, CHECK, TAKEDOWN], ids=lambda p: p.name)
def test_a_job_after_one_that_may_be_skipped_says_it_runs_all_the_same(path: Path) -> None:
    """GitHub skips a job when a job it needs, directly or further up, was skipped,
    unless its ``if:`` calls a status function (``success()`` does not count: it is
    false then). So a job after one with an ``if:`` must say ``!cancelled()``,
    ``always()`` or ``failure()``, or it never runs when that one is skipped."""
    jobs = load(path)["jobs"]
    examined = []
    for name, job in jobs.items():
        conditional = sorted(j for j in needed(jobs, name) if "if" in jobs[j])
        if conditional:
            examined.append(name)
            condition = str(job.get("if", ""))
            assert re.search(r"\b(always|cancelled|failure)\(\)", condition), (name, conditional)
    # The rule bites where a job needs a conditional one: publish's forget.
    assert examined or not any("needs" in job for job in jobs.values())
    if path == PUBLISH:
        assert examined == ["forget"]


def test_the_build_job_passes_on_what_hub_build_says_it_changed(tmp_path: Path) -> None:
    workflow = load(PUBLISH)
    (step,) = [s for s in steps(workflow, "build") if "python build.py" in s.get("run", "")]
    assert step["id"] == "build"
    assert workflow["jobs"]["build"]["outputs"] == {"changed": "${{ steps.build.outputs.changed }}"}
    # The name the workflow reads is the one a build writes to $GITHUB_OUTPUT.
    outputs = tmp_path / "outputs"
    report.step_outputs(report.Run("build", datetime.now(UTC)), str(outputs))
    assert outputs.read_text(encoding="utf-8") == "changed=false\n"


def test_a_site_built_but_not_deployed_is_not_kept_as_the_published_one() -> None:
    workflow = load(PUBLISH)
    forget = workflow["jobs"]["forget"]
    assert forget["needs"] == ["build", "deploy"]
    assert forget["if"] == (
        "${{ always() && needs.build.outputs.changed == 'true' "
        "&& needs.deploy.result != 'success' }}"
    )
    assert forget["permissions"] == {"actions": "write"}
    (step,) = forget["steps"]
    save = next(s for s in steps(workflow, "build") if uses(s) == "actions/cache/save")
    # It deletes exactly the copy this run saved: the next run restores the one before.
    key = save["with"]["key"]
    assert step["run"] == f'gh cache delete "{key}"'
    assert step["env"]["GH_REPO"] == "${{ github.repository }}"


def test_a_takedown_commits_the_post_then_starts_a_publish_that_reads_the_branch() -> None:
    workflow = load(TAKEDOWN)
    inputs = triggers(workflow)["workflow_dispatch"]["inputs"]
    assert inputs["hide_url"]["type"] == inputs["hide_reason"]["type"] == "string"
    assert inputs["hide_url"]["required"] is inputs["hide_reason"]["required"] is True
    # Outside the publish group: a run waiting there is cancelled by a newer one,
    # and a takedown must never be lost that way.
    assert "concurrency" not in workflow
    assert all("concurrency" not in job for job in workflow["jobs"].values())
    assert workflow["permissions"] == {"contents": "read"}
    (takedown,) = workflow["jobs"].values()
    assert takedown["permissions"] == {"contents": "write", "actions": "write"}
    hide = index(takedown["steps"], lambda s: "hub hide" in s.get("run", ""))
    publish = index(takedown["steps"], lambda s: "gh workflow run" in s.get("run", ""))
    assert hide < publish
    step = takedown["steps"][hide]
    # The inputs are strangers' text to the shell: variables, never spliced into the script.
    assert "${{" not in step["run"]
    assert step["env"] == {
        "HIDE_URL": "${{ inputs.hide_url }}",
        "HIDE_REASON": "${{ inputs.hide_reason }}",
    }
    assert 'git push -q origin "HEAD:$GITHUB_REF_NAME"' in step["run"]
    assert takedown["steps"][publish]["run"] == (
        f'gh workflow run {PUBLISH.name} --ref "$GITHUB_REF_NAME"'
    )
    # The publish run it starts builds the branch as it is then, with the takedown in.
    assert "workflow_dispatch" in triggers(load(PUBLISH))
    checkout = steps(load(PUBLISH), "build")[0]
    assert uses(checkout) == "actions/checkout"
    assert checkout["with"]["ref"] == "${{ github.ref }}"


def test_the_governance_report_is_a_private_artifact_never_deployed() -> None:
    workflow = load(PUBLISH)
    build = steps(workflow, "build")
    run = index(build, lambda s: "python build.py" in s.get("run", ""))
    report = index(build, lambda s: s.get("run") == "hub report --out report")
    upload = index(build, lambda s: uses(s) == "actions/upload-artifact")
    assert run < report < upload
    # Daily and by hand, after a failed or refused build too, never stopping the deploy.
    condition = build[report]["if"]
    assert "!cancelled()" in condition and "workflow_dispatch" in condition
    assert f"github.event.schedule == '{REPORT_CRON}'" in condition
    assert build[report]["continue-on-error"] is True
    artifact = build[upload]
    assert artifact["with"]["path"].rstrip("/") == "report"
    assert artifact["with"]["retention-days"] == 30
    # Only a private repository's artifacts are private.
    assert "github.event.repository.private" in artifact["if"]
    assert "steps.report.outcome == 'success'" in artifact["if"]
    pages = index(build, lambda s: uses(s) == "actions/upload-pages-artifact")
    assert build[pages]["with"]["path"] == str(cli.build_parser().parse_args([]).out)
    assert [uses(s) for s in workflow["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]
    default_out = str(cli.parser().parse_args(["report"]).out)
    assert default_out == "report"


def test_scheduled_runs_never_overlap() -> None:
    concurrency = load(PUBLISH)["concurrency"]
    assert concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_pull_requests_never_save_the_store_or_deploy() -> None:
    workflow = load(CHECK)
    found = steps(workflow, "check")
    names = [uses(s) for s in found]
    assert "actions/cache/restore" in names
    assert not {"actions/cache/save", "actions/cache", "actions/deploy-pages"} & set(names)
    check = index(found, lambda s: s.get("run", "").startswith("hub check"))
    restore = index(found, lambda s: uses(s) == "actions/cache/restore")
    build = index(found, lambda s: "python build.py" in s.get("run", ""))
    assert check < build and restore < build
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_request_problems_reach_code_scanning() -> None:
    workflow = load(CHECK)
    found = steps(workflow, "check")
    check = index(found, lambda s: s.get("run", "").startswith("hub check"))
    upload = index(found, lambda s: uses(s) == "github/codeql-action/upload-sarif")
    assert check < upload
    # The log the check writes is the one uploaded, and it is SARIF.
    words = shlex.split(found[check]["run"])
    assert words[words.index("--format") + 1] == "sarif"
    assert words[words.index(">") + 1] == found[upload]["with"]["sarif_file"]
    assert found[upload]["with"]["category"]
    # Uploaded when the check fails (that is when it matters), never from a fork's
    # read-only token, and never failing the check where code scanning is off.
    condition = found[upload]["if"]
    assert "!cancelled()" in condition and "hashFiles(" in condition
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    assert found[upload]["continue-on-error"] is True
    assert found[upload]["uses"].split("@")[1] == "v4"
    # Only this job may write, and only code-scanning results.
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["check"]["permissions"] == {
        "contents": "read",
        "actions": "read",
        "security-events": "write",
    }


def test_the_gitlab_example_keeps_the_store_and_publishes_public() -> None:
    data = load(GITLAB)
    pages = data["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    (store,) = [c for c in pages["cache"] if ".hub-cache/" in c["paths"]]
    assert store["when"] == "always"
    assert store.get("policy", "pull-push") == "pull-push"
    sources = {rule["if"] for rule in pages["rules"]}
    assert '$CI_PIPELINE_SOURCE == "schedule"' in sources
    (push,) = [rule for rule in pages["rules"] if "changes" in rule]
    assert set(push["changes"]) == {"sources.yaml", "content/**/*", "themes/**/*"}
    assert pages["resource_group"]
    (check_store,) = [c for c in data["check"]["cache"] if ".hub-cache/" in c["paths"]]
    assert check_store["policy"] == "pull"
    assert data["default"]["image"].startswith("python:3.11")


@pytest.mark.parametrize("page", ["README.md", "docs/ci.md"])
def test_every_exit_code_is_documented(page: str) -> None:
    text = (REPO / page).read_text(encoding="utf-8")
    for code in (cli.EXIT_OK, cli.EXIT_FAILED, cli.EXIT_USAGE, cli.EXIT_REFUSED):
        assert f"`{code}`" in text, f"{page} does not document exit code {code}"
    assert "--force" in text


# -- Dependencies: the lock, the upper bounds, the canary -----------------------------

BOUNDED = ("jinja2", "markupsafe", "httpx", "httpcore", "feedparser")
"""The libraries whose internals the code relies on: held to one minor series."""

PIP_INSTALL = (["pip", "install"], ["python", "-m", "pip", "install"])


def project() -> dict[str, Any]:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text)["project"])


def requirements(extra: str | None = None) -> list[Requirement]:
    """pyproject.toml's dependencies, and those of ``extra``."""
    found = [Requirement(text) for text in project()["dependencies"]]
    if extra:
        found += [Requirement(text) for text in project()["optional-dependencies"][extra]]
    return found


def locked(text: str) -> dict[str, tuple[str, list[str]]]:
    """Each package a lock file names: its pinned version ("" if none) and hashes."""
    found = {}
    for line in text.replace("\\\n", " ").splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        name, _, version = words[0].partition("==")
        hashes = [word.removeprefix("--hash=") for word in words[1:]]
        found[canonicalize_name(name)] = (version, hashes)
    return found


def lock_problems(text: str, wanted: list[Requirement]) -> list[str]:
    """What keeps a lock file from installing ``wanted`` exactly and with hashes."""
    pins = locked(text)
    problems = []
    for name, (version, hashes) in pins.items():
        if not version:
            problems.append(f"{name} is not pinned with ==")
        if not hashes or not all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes):
            problems.append(f"{name} has no sha256 hash for each of its files")
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not in the lock")
        elif pins[name][0] and not requirement.specifier.contains(pins[name][0], True):
            problems.append(f"the lock's {name}=={pins[name][0]} is outside {requirement}")
    return problems


def bound_problem(requirement: Requirement, version: str) -> str | None:
    """Why ``requirement`` does not allow just the minor series of ``version``, if it does not."""
    current = Version(version)
    allows = requirement.specifier.contains
    if not allows(current, True):
        return f"{requirement} does not allow the locked {version}"
    if not allows(Version(f"{current.major}.{current.minor}.{current.micro + 1}"), True):
        return f"{requirement} does not allow the next patch release of {version}"
    if allows(Version(f"{current.major}.{current.minor + 1}"), True):
        return f"{requirement} allows the next minor release after {version}"
    return None


@pytest.mark.parametrize(
    ("lock", "extra"), [(RUNTIME_LOCK, None), (TEST_LOCK, "test")], ids=["runtime", "test"]
)
def test_the_lock_pins_and_hashes_what_pyproject_asks_for(lock: Path, extra: str | None) -> None:
    text = lock.read_text(encoding="utf-8")
    assert lock_problems(text, requirements(extra)) == []
    header = text.split("\n\n", 1)[0]
    assert "Python 3.11" in header
    assert "Linux x86_64" in header
    assert "bash requirements/lock.sh" in header
    assert "uv pip compile pyproject.toml" in header
    assert "--generate-hashes" in header


def test_a_broken_lock_would_be_caught() -> None:
    digest = "--hash=sha256:" + "0" * 64
    good = f"jinja2==3.1.6 \\\n    {digest}\n    # via police-social-hub\n"
    wanted = [Requirement("jinja2>=3.1,<3.2")]
    assert lock_problems(good, wanted) == []
    assert lock_problems("jinja2==3.1.6\n", wanted)  # no hash
    assert lock_problems(f"jinja2>=3.1 {digest}\n", wanted)  # not pinned
    assert lock_problems(f"jinja2==3.2.0 {digest}\n", wanted)  # outside the bound
    assert lock_problems(f"markupsafe==3.0.4 {digest}\n", wanted)  # missing


def test_the_suite_tests_the_versions_a_build_installs() -> None:
    runtime = locked(RUNTIME_LOCK.read_text(encoding="utf-8"))
    test = locked(TEST_LOCK.read_text(encoding="utf-8"))
    assert runtime
    for name, (version, _) in runtime.items():
        assert test[name][0] == version, name


def test_libraries_used_through_their_internals_have_upper_bounds() -> None:
    declared = {canonicalize_name(r.name): r for r in requirements()}
    pins = locked(RUNTIME_LOCK.read_text(encoding="utf-8"))
    for name in BOUNDED:
        assert name in declared, f"{name} is not a declared dependency"
        assert bound_problem(declared[name], pins[name][0]) is None


def test_a_missing_or_loose_bound_would_be_caught() -> None:
    assert bound_problem(Requirement("jinja2>=3.1,<3.2"), "3.1.6") is None
    assert bound_problem(Requirement("httpx>=0.29,<0.30"), "0.29.0") is None
    assert bound_problem(Requirement("jinja2>=3.1"), "3.1.6")
    assert bound_problem(Requirement("jinja2>=3.1,<4"), "3.1.6")
    assert bound_problem(Requirement("jinja2==3.1.6"), "3.1.6")
    assert bound_problem(Requirement("jinja2>=3.1,<3.2"), "3.2.0")


def third_party_imports(root: Path) -> set[str]:
    """The top-level modules imported under ``root`` that are neither its own nor Python's."""
    found = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names}
    return found - set(sys.stdlib_module_names) - {root.name}


def test_every_package_the_code_imports_is_declared() -> None:
    imports = third_party_imports(REPO / "hub")
    assert set(BOUNDED) <= imports
    declared = {canonicalize_name(r.name) for r in requirements()}
    providers = metadata.packages_distributions()
    for module in sorted(imports):
        distributions = {canonicalize_name(d) for d in providers.get(module, [])}
        assert distributions & declared, (
            f"hub imports {module} (from {sorted(distributions) or 'nothing installed'}),"
            " which pyproject.toml does not declare"
        )


def pip_installs(script: str) -> list[list[str]]:
    """The pip installs in a shell script, as argument lists."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if any(words[: len(start)] == start for start in PIP_INSTALL):
            found.append(words)
    return found


def test_the_workflows_install_the_lock_with_hashes_and_nothing_more() -> None:
    lock = [
        ["pip", "install", "--require-hashes", "-r", "requirements/runtime.txt"],
        ["pip", "install", "--no-deps", "."],
    ]
    for path, jobs in ((PUBLISH, 1), (CHECK, 1), (TAKEDOWN, 1)):
        installs = [words for script in scripts(path) for words in pip_installs(script)]
        assert installs == lock * jobs, path.name


def run_test_sh(tmp_path: Path, upgrade: str | None) -> list[list[str]]:
    """What scripts/test.sh runs, with python, npm and the system tools as stubs that log."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "log"
    for name in ("python", "npm", "chromium", "java", "jing"):
        stub = stubs / name
        stub.write_text('#!/bin/sh\necho "${0##*/} $*" >> "$STUB_LOG"\n', encoding="utf-8")
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}"}
    env["STUB_LOG"] = str(log)
    env.pop("HUB_UPGRADE", None)
    if upgrade is not None:
        env["HUB_UPGRADE"] = upgrade
    subprocess.run(
        ["bash", str(TEST_SH), "tests/test_lint.py"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return [line.split() for line in log.read_text(encoding="utf-8").splitlines()]


def flags(words: list[str]) -> tuple[set[str], list[str]]:
    """A pip install's options and what it installs (``-q`` left out)."""
    options = {w for w in words[4:] if w.startswith("-") and w != "-q"}
    return options, [w for w in words[4:] if not w.startswith("-")]


@pytest.mark.parametrize("upgrade", [None, ""], ids=["unset", "empty"])
def test_the_test_script_installs_the_lock_with_hashes(tmp_path: Path, upgrade: str | None) -> None:
    calls = run_test_sh(tmp_path, upgrade)
    installs = [flags(words) for words in calls if words[:4] == PIP_INSTALL[1]]
    assert installs == [
        ({"--require-hashes", "-r"}, ["requirements/test.txt"]),
        ({"--no-deps", "-e"}, ["."]),
    ]
    assert calls[-1] == ["python", "-m", "pytest", "-n", "auto", "tests/test_lint.py"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
    assert "HUB_UPGRADE" not in ci


@pytest.mark.parametrize("upgrade", ["jinja2", "httpx httpcore", "all"])
def test_the_test_script_upgrades_over_the_lock_on_request(tmp_path: Path, upgrade: str) -> None:
    calls = run_test_sh(tmp_path, upgrade)
    installs = [flags(words) for words in calls if words[:4] == PIP_INSTALL[1]]
    assert installs[0] == ({"--require-hashes", "-r"}, ["requirements/test.txt"])
    assert installs[-1] == ({"--no-deps", "-e"}, ["."])
    ((options, packages),) = installs[1:-1]
    assert "--upgrade" in options
    if upgrade == "all":
        assert packages[0] == "eager"  # --upgrade-strategy eager
        assert set(packages[1:]) == set(locked(TEST_LOCK.read_text(encoding="utf-8")))
    else:
        assert packages == upgrade.split()
    # What differs from the lock is printed before the suite runs.
    assert calls[-2:] == [
        ["python", "requirements/compare.py", "requirements/test.txt"],
        ["python", "-m", "pytest", "-n", "auto", "tests/test_lint.py"],
    ]


def test_the_canary_tries_each_dependency_alone_and_all_together() -> None:
    workflow = load(CANARY)
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"}
    (schedule,) = on["schedule"]
    assert len(schedule["cron"].split()) == 5
    assert workflow["permissions"] == {"contents": "read"}
    upgrades = {}
    for name, job in workflow["jobs"].items():
        assert "permissions" not in job, name
        # CI's own kind of machine: Debian with Python 3.11.
        assert job["container"]["image"].startswith("python:3.11-"), name
        (run,) = [step for step in job["steps"] if "run" in step]
        assert run["run"].strip() == "bash scripts/test.sh", name
        upgrades[run["env"]["HUB_UPGRADE"]] = job
    assert set(upgrades) == {"${{ matrix.package }}", "all"}
    one = upgrades["${{ matrix.package }}"]
    assert one["strategy"]["fail-fast"] is False
    assert "${{ matrix.package }}" in one["name"]  # a failing job names its package
    packages = {canonicalize_name(p) for p in one["strategy"]["matrix"]["package"]}
    assert packages == {canonicalize_name(r.name) for r in requirements()}
    assert "strategy" not in upgrades["all"]


def test_the_docs_give_the_lock_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Quick start")
    quick_start = readme[start : readme.index("\n## ", start + 1)]
    lock = "pip install --require-hashes -r requirements/runtime.txt"
    assert lock in quick_start
    assert quick_start.index(lock) < quick_start.index("pip install --no-deps .")
    assert quick_start.index("pip install --no-deps .") < quick_start.index("python build.py")
    ci = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "bash requirements/lock.sh" in ci
    assert "canary.yml" in ci


def test_corporate_communications_must_approve_the_registry_and_curation() -> None:
    owners: dict[str, str] = {}
    for line in (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            owners[words[0]] = " ".join(words[1:])
    team = "@lakeview-police/corporate-communications"
    for path in ("/sources.yaml", "/sources.admin.yaml", "/content/curation.yaml"):
        assert owners.get(path) == team, path
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for check in (
        "The service controls the account",
        "The profile points back to this site",
        "The bio says it is not monitored 24/7",
        "The person who runs it has been trained and approved",
    ):
        assert f"- [ ] **{check}**" in template
