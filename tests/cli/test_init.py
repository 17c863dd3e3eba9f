"""``hub init``: a new service's site folder, from options or from answers typed in.

Every test runs the real command in a subprocess, in a folder outside the
repository, as a new service would; the site it writes is then checked with
``hub check --strict`` and built with ``hub build --offline``.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from hub import __version__

FLAGS = (
    "--languages",
    "en,fr",
    "--name-en",
    "Northfield Police Service",
    "--name-fr",
    "Service de police de Northfield",
    "--url",
    "https://connect.northfield.example",
    "--emergency",
    "911",
    "--non-emergency",
    "555-123-4567",
    "--timezone",
    "America/Toronto",
)
WRITTEN = 18
"""Files a two-language site gets (tests/scaffold/test_files.py lists them)."""


def hub(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        cwd=cwd,
        env={**environ, "PYTHONIOENCODING": "utf-8"},
        input=stdin if stdin is not None else "",
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_init_with_options_writes_a_site_that_checks_and_builds(tmp_path: Path) -> None:
    made = hub("init", "northfield", "--yes", *FLAGS, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "northfield"
    written = tree(site)
    assert len(written) == WRITTEN
    assert made.stdout.startswith(f"wrote {WRITTEN} files in northfield/, for police-social-hub")
    for path in written:
        assert f"\n  {path}\n" in made.stdout
    assert "cd northfield" in made.stdout

    checked = hub("check", "--strict", cwd=site)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("sources.yaml: ok: 1 unit, 0 officers, 0 accounts, 0 feeds")
    assert checked.stderr == ""
    built = hub("build", "--offline", cwd=site)
    assert built.returncode == 0, built.stderr
    for page in ("en/index.html", "fr/index.html", "en/pages/about/index.html", "index.html"):
        assert (site / "public" / page).is_file(), page
    home = (site / "public" / "fr" / "index.html").read_text(encoding="utf-8")
    assert "Service de police de Northfield" in home and "911" in home


def test_init_never_writes_over_a_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "pages").mkdir(parents=True)
    (site / "README.md").write_text("ours", encoding="utf-8")
    (site / "content" / "pages" / "about.en.md").write_text("ours too", encoding="utf-8")
    refused = hub("init", "site", "--yes", *FLAGS, cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "site/README.md: exists",
        "site/content/pages/about.en.md: exists",
        "error: 2 of the files hub init writes exist in site; nothing was written "
        "(move them away, or start in an empty folder)",
    ]
    assert tree(site) == ["README.md", "content/pages/about.en.md"]
    assert (site / "README.md").read_text(encoding="utf-8") == "ours"

    (site / "README.md").unlink()
    (site / "content" / "pages" / "about.en.md").unlink()
    assert hub("init", "site", "--yes", *FLAGS, cwd=tmp_path).returncode == 0
    again = hub("init", "site", "--yes", *FLAGS, cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == "error: site/sources.yaml exists: hub init starts a new site\n"


def test_init_with_yes_names_each_missing_or_wrong_option(tmp_path: Path) -> None:
    missing = hub("init", "--yes", "--url", "https://x.example", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.splitlines() == [
        "error: --name-en: an answer is needed",
        "error: --emergency: an answer is needed",
        "error: --non-emergency: an answer is needed",
    ]
    wrong = hub("init", "--yes", *FLAGS, "--url", "connect.northfield.example", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("error: --url: expected an http:// or https:// URL")
    spanish = hub("init", "--yes", *FLAGS, "--languages", "es", cwd=tmp_path)
    assert spanish.returncode == 2
    assert spanish.stderr.startswith("error: --languages: hub init writes pages in en, fr, not")
    assert tree(tmp_path) == []


def test_init_asks_for_what_is_not_given(tmp_path: Path) -> None:
    answers = [
        "fr, en",  # languages
        "Service de police de Northfield",  # name in French
        "",  # name in English: needed, asked again
        "Northfield Police Service",
        "ftp://connect.northfield.example",  # refused by the registry's rules
        "https://connect.northfield.example",
        "911",
        "555-123-4567",
        "",  # time zone: the default
    ]
    spec = "police-social-hub==0.1.0"  # given, so that nothing is said of where the hub is from
    asked = hub(
        "init", "site", "--requirement", spec, cwd=tmp_path, stdin="\n".join(answers) + "\n"
    )
    assert asked.returncode == 0, asked.stderr
    prompts = asked.stdout.split("wrote ")[0]
    assert "The site's languages, the first being the default (en, fr) [en]: " in prompts
    assert prompts.index("name in French") < prompts.index("name in English")
    assert "The time zone dates are shown in (such as America/Toronto) [UTC]: " in prompts
    assert asked.stderr.splitlines() == [
        "  an answer is needed",
        '  expected an http:// or https:// URL, got "ftp://connect.northfield.example"',
    ]
    data = yaml.safe_load((tmp_path / "site" / "sources.yaml").read_text(encoding="utf-8"))
    assert data["site"]["languages"] == ["fr", "en"]
    assert data["site"]["name"] == {
        "fr": "Service de police de Northfield",
        "en": "Northfield Police Service",
    }
    assert data["site"]["timezone"] == "UTC"
    assert hub("check", "--strict", cwd=tmp_path / "site").returncode == 0


def test_options_given_are_not_asked(tmp_path: Path) -> None:
    asked = hub(
        "init", "site", *FLAGS[:8], cwd=tmp_path, stdin="112\n\n999\n\n"
    )  # languages, names, url given
    assert asked.returncode == 0, asked.stderr
    assert "languages" not in asked.stdout.split("wrote ")[0]
    assert "name" not in asked.stdout.split("wrote ")[0]
    data = yaml.safe_load((tmp_path / "site" / "sources.yaml").read_text(encoding="utf-8"))
    assert data["site"]["contact"] == {"emergency": "112", "non_emergency": "999"}


def test_the_end_of_input_stops_cleanly(tmp_path: Path) -> None:
    ended = hub("init", "site", cwd=tmp_path, stdin="en\nNorthfield Police Service\n")
    assert ended.returncode == 1
    assert ended.stderr.strip() == "error: no answer (the input ended); nothing was written"
    assert "Traceback" not in ended.stderr
    assert not (tmp_path / "site").exists()


def test_ctrl_c_while_asking_writes_nothing(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "init", "site"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    seen = b""
    while not seen.endswith(b"[en]: "):  # the first question is waiting for its answer
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, f"no question asked; so far: {seen!r}"
        chunk = os.read(process.stdout.fileno(), 1024)
        assert chunk, f"the command ended: {seen!r}"
        seen += chunk
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode().strip() == "interrupted; nothing was written"
    assert not (tmp_path / "site").exists()


def test_update_schemas_rewrites_only_the_schemas(tmp_path: Path) -> None:
    assert hub("init", "site", "--yes", *FLAGS, cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    before = {path: (site / path).read_bytes() for path in tree(site)}
    (site / "sources.schema.json").write_text("{}", encoding="utf-8")
    (site / "content" / "curation.schema.json").unlink()
    updated = hub("init", "site", "--update-schemas", cwd=tmp_path)
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.splitlines() == [
        f"wrote site/sources.schema.json (police-social-hub {__version__})",
        f"wrote site/content/curation.schema.json (police-social-hub {__version__})",
    ]
    assert {path: (site / path).read_bytes() for path in tree(site)} == before
    nothing = hub("init", "elsewhere", "--update-schemas", cwd=tmp_path)
    assert nothing.returncode == 1
    assert nothing.stderr == "error: no sources.yaml in elsewhere: nothing to update\n"


def test_init_writes_where_the_workflows_install_the_hub_from(tmp_path: Path) -> None:
    spec = "police-social-hub @ git+https://github.com/org/police-social-hub@v0.1.0"
    made = hub("init", "site", "--yes", *FLAGS, "--requirement", spec, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    lines = (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == [spec]
    assert f"police-social-hub {__version__}" in lines[0]
    assert made.stderr == ""


def test_init_refuses_a_requirement_that_is_not_the_hub(tmp_path: Path) -> None:
    refused = hub("init", "site", "--yes", *FLAGS, "--requirement", "jinja2==3.1.6", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith('error: --requirement: "jinja2==3.1.6" does not name')
    assert "police-social-hub @ git+https://" in refused.stderr
    assert not (tmp_path / "site").exists()
