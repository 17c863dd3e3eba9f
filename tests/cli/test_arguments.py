"""The command line's words: each command takes the options it uses and no other,
``-q``/``-v`` go before or after the command word, ``--version`` reads the metadata,
and the README documents every option."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from hub.cli import arguments

REPO = Path(__file__).resolve().parents[2]
VOICE = {"-h", "--help", "-q", "--quiet", "-v", "--verbose"}
OPTIONS = {
    "check": {"--sources", "--strict", "--without-secrets", "--format"},
    "fetch": {"--sources", "--cache", "--strict", "--only"},
    "build": {
        "--sources",
        "--out",
        "--cache",
        "--offline",
        "--strict",
        "--force",
        "--baseline",
        "--full",
        "--without-secrets",
    },
    "serve": {"--sources", "--out", "--cache", "--offline", "--strict", "--port", "--bind"},
    "tokens": {"--sources", "--format"},
    "report": {"--sources", "--out", "--cache", "--offline"},
    "audit": {"--sources", "--cache", "--since", "--until", "--account", "--format"},
    "hide": {"--sources", "--reason", "--date"},
    "feed": {"--sources", "--platform", "--entries"},
    "init": {
        "--name-en",
        "--name-fr",
        "--url",
        "--languages",
        "--emergency",
        "--non-emergency",
        "--timezone",
        "--requirement",
        "--yes",
        "--update-schemas",
    },
}
"""Each command's options: what it uses, nothing it would ignore."""


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def options(parser: argparse.ArgumentParser) -> set[str]:
    return {flag for action in parser._actions for flag in action.option_strings}


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_each_command_takes_only_the_options_it_uses() -> None:
    commands = subcommands(arguments.parser())
    assert set(commands) == set(OPTIONS)
    for name, parser in commands.items():
        assert options(parser) - VOICE == OPTIONS[name], name
    build_py = options(arguments.build_parser()) - VOICE - {"--version"}
    assert build_py == OPTIONS["build"]


@pytest.mark.parametrize(
    "words",
    [
        ["check", "--out", "public"],
        ["check", "--cache", ".hub-cache"],
        ["check", "--offline"],
        ["fetch", "--offline"],
        ["fetch", "--out", "public"],
        ["tokens", "--strict"],
        ["feed", "x.xml", "--cache", "c"],
    ],
)
def test_an_option_a_command_would_ignore_is_a_usage_error(words: list[str]) -> None:
    result = run("-m", "hub", *words)
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_quiet_and_verbose_go_before_or_after_the_command_word(name: str) -> None:
    parser = arguments.parser()
    needed = {"hide": ["https://x.example/1", "--reason", "r"], "feed": ["f.xml"]}.get(name, [])
    cases = [
        (["-q"], [], "quiet"),
        ([], ["-q"], "quiet"),
        (["--verbose"], [], "verbose"),
        ([], ["-v"], "verbose"),
        ([], [], "normal"),
    ]
    for before, after, expected in cases:
        args = parser.parse_args([*before, name, *needed, *after])
        assert arguments.verbosity(parser, args) == expected, (before, after)


def test_build_py_takes_them_too() -> None:
    parser = arguments.build_parser()
    assert arguments.verbosity(parser, parser.parse_args(["-q", "--offline"])) == "quiet"
    assert arguments.verbosity(parser, parser.parse_args(["--verbose"])) == "verbose"


def test_version_comes_from_the_package_metadata() -> None:
    installed = metadata.version("police-social-hub")
    assert arguments.version() == installed
    result = run("-m", "hub", "--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"hub {installed}\n", "")
    result = run("build.py", "--version")
    assert (result.returncode, result.stdout) == (0, f"build.py {installed}\n")


def test_an_unknown_platform_for_hub_feed_says_what_is_near() -> None:
    result = run("-m", "hub", "feed", "answer.json", "--platform", "facebok")
    assert result.returncode == 2
    assert "no reader for 'facebok' (did you mean \"facebook\"?)" in result.stderr
    parser = arguments.parser()
    assert parser.parse_args(["feed", "a.json", "--platform", "Twitter"]).platform == "x"


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_hub_feed_shows_at_least_one_entry(value: str) -> None:
    result = run("-m", "hub", "feed", "f.xml", "--entries", value)
    assert result.returncode == 2
    assert "argument --entries" in result.stderr


def test_the_readme_documents_every_option() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, flags in OPTIONS.items():
        assert f"`hub {name}" in readme, name
        for flag in flags:
            assert f"`{flag}" in readme, (name, flag)
    for flag in ("--version", "-q", "-v"):
        assert f"`{flag}" in readme, flag
