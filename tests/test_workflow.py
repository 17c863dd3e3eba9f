"""The CI templates agree with the code: every command they run parses, and the
publish workflow keeps its memory and deploys only what was built.

The workflows in .github/workflows/ and the GitLab example in docs/examples/
are what a service forks; a renamed option must fail here, not in their CI.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from hub.cli import main as cli

REPO = Path(__file__).resolve().parent.parent
PUBLISH = REPO / ".github" / "workflows" / "publish.yml"
CHECK = REPO / ".github" / "workflows" / "check.yml"
GITLAB = REPO / "docs" / "examples" / "gitlab-ci.yml"
TEMPLATES = (PUBLISH, CHECK, GITLAB)


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


def commands(path: Path) -> list[list[str]]:
    """The hub commands in a template's scripts, as argument lists."""
    found = []
    for script in scripts(path):
        for line in script.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
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
    assert publish == {"python build.py", "python build.py --force"}
    check = {shlex.join(words) for words in commands(CHECK)}
    assert check == {"hub check --strict", "python build.py --out public"}
    gitlab = {shlex.join(words) for words in commands(GITLAB)}
    assert gitlab == publish | check


def test_a_broken_command_would_be_caught() -> None:
    with pytest.raises(pytest.fail.Exception):
        parses(["python", "build.py", "--no-such-option"])
    with pytest.raises(pytest.fail.Exception):
        parses(["hub", "check", "--force"])


def test_the_publish_workflow_triggers() -> None:
    on = triggers(load(PUBLISH))
    assert on["schedule"] == [{"cron": "*/15 * * * *"}]
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


def test_the_store_is_restored_before_the_build_and_always_saved_after() -> None:
    build = steps(load(PUBLISH), "build")
    restore = index(build, lambda s: uses(s) == "actions/cache/restore")
    run = index(build, lambda s: "python build.py" in s.get("run", ""))
    save = index(build, lambda s: uses(s) == "actions/cache/save")
    assert restore < run < save
    assert build[save]["if"] == "always()"
    default_cache = str(cli.build_parser().parse_args([]).cache)
    assert build[restore]["with"]["path"] == build[save]["with"]["path"] == default_cache
    # The save key is new on every run; the restore takes the newest by prefix.
    key = build[save]["with"]["key"]
    assert build[restore]["with"]["key"] == key
    assert "github.run_id" in key
    assert key.startswith(build[restore]["with"]["restore-keys"].strip())


def test_python_is_set_up_with_a_pip_cache_before_the_install() -> None:
    for path in (PUBLISH, CHECK):
        found = steps(load(path), "build" if path == PUBLISH else "check")
        setup = index(found, lambda s: uses(s) == "actions/setup-python")
        install = index(found, lambda s: s.get("run") == "pip install .")
        assert setup < install
        assert found[setup]["with"]["python-version"] == "3.11"
        assert found[setup]["with"]["cache"] == "pip"


def test_the_deploy_job_publishes_only_what_the_build_uploaded() -> None:
    workflow = load(PUBLISH)
    build = steps(workflow, "build")
    upload = index(build, lambda s: uses(s) == "actions/upload-pages-artifact")
    run = index(build, lambda s: "python build.py" in s.get("run", ""))
    assert run < upload
    assert "if" not in build[upload]  # skipped when the build fails or the gate refuses
    assert build[upload]["with"]["path"] == str(cli.build_parser().parse_args([]).out)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [uses(s) for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}


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
