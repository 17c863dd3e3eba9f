"""The files of a new site folder: what they are, that they match this repository's own, and
that writing them never overwrites anything.

The workflows, CODEOWNERS and pull-request template a service gets are this
repository's (tests/test_workflow.py checks those), but for what a site
folder must differ in: the hub is installed from the version that
``requirements.txt`` pins rather than from the source, ``hub build`` runs
where ``python build.py`` does, and the teams are placeholders.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
import yaml

from hub import __version__
from hub.scaffold import files
from hub.scaffold.service import Service
from tests.test_workflow import commands, parses, pip_installs, scripts

REPO = Path(__file__).resolve().parents[2]
ANSWERS = {
    "languages": "en,fr",
    "name-en": "Northfield *Police* Service",
    "name-fr": "Service de police de Northfield",
    "url": "https://connect.northfield.example",
    "emergency": "911",
    "non-emergency": "555-123-4567",
    "timezone": "America/Toronto",
}
REPO_INSTALL = "pip install --require-hashes -r requirements/runtime.txt\npip install --no-deps .\n"
SITE_INSTALL = "pip install -r requirements.txt"
PAGES = ("about", "report-a-crime", "social-media-terms")


def site(languages: str = "en,fr") -> dict[str, bytes]:
    made = files.site_files(Service.of({**ANSWERS, "languages": languages}))
    return {f.path: f.data for f in made}


def test_a_site_folder_has_every_file_it_needs() -> None:
    assert sorted(site()) == sorted(
        [
            ".github/CODEOWNERS",
            ".github/pull_request_template.md",
            ".github/workflows/check.yml",
            ".github/workflows/publish.yml",
            ".github/workflows/takedown.yml",
            ".gitignore",
            "README.md",
            "content/curation.schema.json",
            "content/curation.yaml",
            *(f"content/pages/{page}.{lang}.md" for page in PAGES for lang in ("en", "fr")),
            "requirements.txt",
            "sources.schema.json",
            "sources.yaml",
        ]
    )


def test_pages_are_written_in_the_sites_languages_only() -> None:
    assert [p for p in site("fr") if p.startswith("content/pages/")] == [
        f"content/pages/{page}.fr.md" for page in PAGES
    ]


def test_pages_carry_the_services_name_and_numbers_as_text() -> None:
    about = site()["content/pages/about.en.md"].decode()
    assert r"Northfield \*Police\* Service" in about  # the name's asterisks are not emphasis
    report = site()["content/pages/report-a-crime.fr.md"].decode()
    assert "Composez le **911**" in report and "555-123-4567" in report
    assert "$" not in "".join(data.decode() for path, data in site().items() if ".md" in path)


def test_requirements_pin_this_version_of_the_hub() -> None:
    lines = site()["requirements.txt"].decode().splitlines()
    assert [line for line in lines if not line.startswith("#")] == [
        f"police-social-hub=={__version__}"
    ]


def test_requirements_name_where_the_hub_is_installed_from_when_told() -> None:
    spec = "police-social-hub @ git+https://github.com/org/police-social-hub@v0.1.0"
    made = files.site_files(Service.of(ANSWERS), requirement=spec)
    lines = next(f.data for f in made if f.path == "requirements.txt").decode().splitlines()
    assert [line for line in lines if not line.startswith("#")] == [spec]


def test_the_schemas_are_the_packaged_ones() -> None:
    made = site()
    assert made["sources.schema.json"] == (REPO / "hub/registry/sources.schema.json").read_bytes()
    assert (
        made["content/curation.schema.json"] == (REPO / "content/curation.schema.json").read_bytes()
    )
    assert made["sources.yaml"].startswith(b"# yaml-language-server: $schema=sources.schema.json")
    assert made["content/curation.yaml"].startswith(
        b"# yaml-language-server: $schema=curation.schema.json"
    )


def as_a_sites(value: Any) -> Any:
    """This repository's workflow, as a site folder's must be."""
    if isinstance(value, dict):
        return {k: as_a_sites(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_a_sites(v) for v in value]
    if value == REPO_INSTALL:
        return SITE_INSTALL
    if value == "requirements/runtime.txt":
        return "requirements.txt"
    if isinstance(value, str):
        return value.replace("python build.py", "hub build")
    return value


@pytest.mark.parametrize("name", ["check.yml", "publish.yml", "takedown.yml"])
def test_the_workflows_are_the_repositorys_with_the_hub_from_the_pin(
    name: str, tmp_path: Path
) -> None:
    written = tmp_path / name
    written.write_bytes(site()[f".github/workflows/{name}"])
    ours = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    theirs = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert theirs == as_a_sites(ours), (
        f"hub/scaffold/templates/github/workflows/{name} is what hub init gives a new site: "
        f"make the change to .github/workflows/{name} there too (installing from "
        "requirements.txt, with hub build for python build.py)"
    )
    for words in commands(written):
        parses(words)
    installs = [words for script in scripts(written) for words in pip_installs(script)]
    assert installs and all(words == SITE_INSTALL.split() for words in installs)
    assert "requirements/" not in written.read_text(encoding="utf-8")


def test_codeowners_and_the_pull_request_template_are_the_repositorys() -> None:
    made = site()
    ours = (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    theirs = made[".github/CODEOWNERS"].decode()

    def rules(text: str) -> list[str]:
        return [line for line in text.splitlines() if line and not line.startswith("#")]

    assert rules(theirs) == [
        line.replace("@lakeview-police/", "@your-org/") for line in rules(ours)
    ]
    template = (REPO / ".github" / "pull_request_template.md").read_bytes()
    assert made[".github/pull_request_template.md"] == template


def test_what_the_hub_writes_is_ignored() -> None:
    ignored = site()[".gitignore"].decode().splitlines()
    assert {"/public/", "/.hub-cache/", "/report/"} <= set(ignored)


def test_writing_makes_folders_and_refuses_an_existing_file(tmp_path: Path) -> None:
    made = files.site_files(Service.of(ANSWERS))
    target = tmp_path / "new"
    assert files.clashes(made, target) == []
    files.write(made, target)
    assert (target / ".github" / "workflows" / "check.yml").is_file()
    assert files.clashes(made, target) == [f.path for f in made]
    with pytest.raises(FileExistsError):
        files.write(made, target)


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    made = files.site_files(Service.of(ANSWERS))
    (tmp_path / "content" / "pages").mkdir(parents=True)
    (tmp_path / "content" / "pages" / "mine.md").write_text("kept", encoding="utf-8")
    # A file appears between the check and the write: the write stops and undoes itself.
    late = tmp_path / "sources.yaml"
    late.write_text("someone else's", encoding="utf-8")
    with pytest.raises(OSError) as caught:
        files.write(made, tmp_path)
    assert caught.value.errno == errno.EEXIST
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == ["content", "content/pages", "content/pages/mine.md", "sources.yaml"]
    assert late.read_text(encoding="utf-8") == "someone else's"


def test_the_schemas_are_written_over_old_ones(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "sources.schema.json").write_text("{}", encoding="utf-8")
    files.replace(files.schema_files(), tmp_path)
    assert (tmp_path / "sources.schema.json").read_bytes() == (
        REPO / "hub/registry/sources.schema.json"
    ).read_bytes()
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "content",
        "curation.schema.json",
        "sources.schema.json",
    ]
