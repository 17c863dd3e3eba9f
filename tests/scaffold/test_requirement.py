"""Where a new site's workflows install the hub from, as pip recorded the hub's install.

The records are ``direct_url.json`` documents as pip writes them (PEP 610);
a clone is a real git repository made in the test, whose ``origin`` is never
contacted.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hub.scaffold import requirement

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_a_hub_installed_from_a_git_repository_is_that_repository_at_its_commit() -> None:
    record = {
        "url": "https://github.com/lakeview-police/police-social-hub.git",
        "vcs_info": {"vcs": "git", "requested_revision": "v0.1.0", "commit_id": COMMIT},
    }
    assert requirement.from_record(record) == (
        f"police-social-hub @ git+https://github.com/lakeview-police/police-social-hub.git@{COMMIT}"
    )


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, encoding="utf-8", check=True
    )
    return done.stdout.strip()


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    folder = tmp_path / "police-social-hub"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "README.md").write_text("hub\n", encoding="utf-8")
    git(folder, "add", "README.md")
    git(folder, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "c")
    return folder


@pytest.mark.parametrize(
    ("origin", "fetched"),
    [
        (
            "https://github.com/org/police-social-hub.git",
            "https://github.com/org/police-social-hub.git",
        ),
        (
            "git@github.com:org/police-social-hub.git",
            "https://github.com/org/police-social-hub.git",
        ),
        ("ssh://git@gitlab.example/ops/hub.git", "https://gitlab.example/ops/hub.git"),
    ],
)
def test_a_hub_installed_from_a_clone_is_the_clones_origin_at_its_commit(
    clone: Path, origin: str, fetched: str
) -> None:
    git(clone, "remote", "add", "origin", origin)
    record = {"url": clone.as_uri(), "dir_info": {}}
    head = git(clone, "rev-parse", "HEAD")
    assert requirement.from_record(record) == f"police-social-hub @ git+{fetched}@{head}"
    # Installed editable, the same.
    editable = {"url": clone.as_uri(), "dir_info": {"editable": True}}
    assert requirement.from_record(editable) == f"police-social-hub @ git+{fetched}@{head}"


def test_a_token_in_the_address_installed_from_is_never_written(clone: Path) -> None:
    token = "ghp_" + "a1" * 18
    git(clone, "remote", "add", "origin", f"https://x-access-token:{token}@github.com/o/r.git")
    head = git(clone, "rev-parse", "HEAD")
    line = requirement.from_record({"url": clone.as_uri(), "dir_info": {}})
    assert line == f"police-social-hub @ git+https://github.com/o/r.git@{head}"
    record = {
        "url": f"https://user:{token}@git.example:8443/o/r.git",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT},
    }
    line = requirement.from_record(record)
    assert line == f"police-social-hub @ git+https://git.example:8443/o/r.git@{COMMIT}"
    assert token not in line


def test_an_ssh_address_with_a_port_keeps_its_path() -> None:
    assert requirement.fetchable_url("ssh://git@github.com:2222/o/r.git") == (
        "https://github.com/o/r.git"
    )


def test_what_no_other_machine_can_fetch_is_not_named(clone: Path, tmp_path: Path) -> None:
    assert requirement.from_record({"url": clone.as_uri(), "dir_info": {}}) is None  # no origin
    git(clone, "remote", "add", "origin", str(tmp_path / "elsewhere"))
    assert requirement.from_record({"url": clone.as_uri(), "dir_info": {}}) is None  # a path
    not_a_clone = tmp_path / "unpacked"
    not_a_clone.mkdir()
    assert requirement.from_record({"url": not_a_clone.as_uri(), "dir_info": {}}) is None
    wheel = {"url": "file:///tmp/police_social_hub-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert requirement.from_record(wheel) is None
    branch = {"url": "https://github.com/o/r.git", "vcs_info": {"vcs": "git", "commit_id": "main"}}
    assert requirement.from_record(branch) is None


@pytest.mark.parametrize(
    "spec",
    [
        "police-social-hub==0.1.0",
        f"police-social-hub @ git+https://github.com/org/police-social-hub@{COMMIT}",
        "police_social_hub @ https://example.org/police_social_hub-0.1.0-py3-none-any.whl",
        "Police-Social-Hub>=0.1,<0.2",
    ],
)
def test_a_requirement_that_names_the_hub_is_taken(spec: str) -> None:
    assert requirement.problem(spec) is None


@pytest.mark.parametrize(
    "spec", ["", "police-social-hubs==1.0", "jinja2==3.1.6", "police-social-hub==0.1.0\njinja2"]
)
def test_anything_else_is_refused_with_an_example(spec: str) -> None:
    why = requirement.problem(spec)
    assert why is not None and requirement.EXAMPLE in why


def test_a_hub_installed_over_ssh_is_named_by_its_https_address() -> None:
    # Without its user, ssh://github.com/... could not be fetched at all.
    record = {
        "url": "ssh://git@github.com/o/r.git",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT},
    }
    assert requirement.from_record(record) == (
        f"police-social-hub @ git+https://github.com/o/r.git@{COMMIT}"
    )
