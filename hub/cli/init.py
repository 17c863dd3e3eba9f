"""``hub init [DIR]``: a new service's site folder, from its answers or its options.

Asks for what is not given on the command line (each question with its
default, if it has one, in brackets), or with ``--yes`` asks nothing and
takes the options and defaults. Each answer is checked as it is given, by
the registry's own rules (:mod:`hub.scaffold.service`); nothing is written
until every answer is right, and nothing is ever written over an existing
file: the command lists those and stops. ``--update-schemas`` rewrites only
the editors' schemas of an existing site, after an upgrade.

``requirements.txt`` names where the workflows install the hub from:
``--requirement``, else where this hub was installed from
(:mod:`hub.scaffold.requirement`), else its version, with a warning that the
workflows cannot install that until the line says where from.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

from hub import __version__
from hub.cli.options import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from hub.render.i18n import language_name
from hub.scaffold import files, requirement
from hub.scaffold.service import (
    DEFAULTS,
    LANGUAGES,
    Service,
    answer_keys,
    languages_of,
    name_key,
    problem_with,
    problems,
)

QUESTIONS = {
    "languages": f"The site's languages, the first being the default ({', '.join(LANGUAGES)})",
    "url": "The address the site will be published at (https://...)",
    "emergency": "The emergency number",
    "non-emergency": "The non-emergency number",
    "timezone": "The time zone dates are shown in (such as America/Toronto)",
}


class NoAnswer(Exception):
    """Standard input ended before every question was answered."""


TEXT = "start a new service's site: sources.yaml, content/ and the workflows to publish it"
"""What ``hub init`` does, for the command line's help."""


def add_options(sub: argparse.ArgumentParser) -> None:
    """The options ``hub init`` takes."""
    sub.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where to write it (default: the current folder; made if missing)",
    )
    for lang in LANGUAGES:
        sub.add_argument(
            f"--{name_key(lang)}",
            metavar="NAME",
            help=f"the service's name in {language_name(lang, 'en')}",
        )
    sub.add_argument("--url", help="the address the site will be published at")
    sub.add_argument(
        "--languages",
        metavar="LANGS",
        help=(
            "the site's languages, the default first: en or en,fr "
            f"(default: {DEFAULTS['languages']})"
        ),
    )
    sub.add_argument("--emergency", metavar="NUMBER", help="the emergency number, such as 911")
    sub.add_argument("--non-emergency", metavar="NUMBER", help="the non-emergency number")
    sub.add_argument(
        "--timezone",
        metavar="ZONE",
        help=f"the time zone dates are shown in (default: {DEFAULTS['timezone']})",
    )
    sub.add_argument(
        "--requirement",
        metavar="SPEC",
        help=(
            "the line of requirements.txt that installs the hub in the workflows, such as "
            f"'{requirement.EXAMPLE}' (default: where this hub was installed from)"
        ),
    )
    sub.add_argument(
        "--yes",
        action="store_true",
        help="ask nothing: take the options, and the defaults for those not given",
    )
    sub.add_argument(
        "--update-schemas",
        action="store_true",
        help=(
            "only write the editors' schemas of this version over those of the site in DIR "
            "(after an upgrade)"
        ),
    )


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    try:
        if args.update_schemas:
            return _update_schemas(folder)
        return _init(args, folder)
    except KeyboardInterrupt:
        print("\ninterrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except NoAnswer:
        print("\nerror: no answer (the input ended); nothing was written", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"error: cannot write in {folder}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


def _given(args: argparse.Namespace) -> dict[str, str]:
    keys = ("languages", "url", "emergency", "non-emergency", "timezone")
    given = {key: getattr(args, key.replace("-", "_")) for key in keys}
    given.update({name_key(lang): getattr(args, f"name_{lang}") for lang in LANGUAGES})
    return {key: value for key, value in given.items() if value is not None}


def _init(args: argparse.Namespace, folder: Path) -> int:
    if (folder / "sources.yaml").exists():
        print(
            f"error: {folder / 'sources.yaml'} exists: hub init starts a new site", file=sys.stderr
        )
        return EXIT_FAILED
    given = _given(args)
    if args.requirement is not None and (why := requirement.problem(args.requirement)):
        print(f"error: --requirement: {why}", file=sys.stderr)
        return EXIT_USAGE
    answers = {**DEFAULTS, **given} if args.yes else _ask(given, folder)
    wrong = problems(answers, folder)
    if wrong:
        for problem in wrong:
            print(f"error: --{problem.answer}: {problem.message}", file=sys.stderr)
        return EXIT_USAGE
    line = args.requirement.strip() if args.requirement else requirement.installed(__version__)
    new = files.site_files(Service.of(answers), requirement=line)
    there = files.clashes(new, folder)
    if there:
        for path in there:
            print(f"{folder / path}: exists", file=sys.stderr)
        print(
            f"error: {len(there)} of the files hub init writes exist in {folder}; "
            "nothing was written (move them away, or start in an empty folder)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    files.write(new, folder)
    _report(new, folder, urlsplit(answers["url"]).path.rstrip("/"))
    if line is None:
        print(
            f"warning: requirements.txt says {requirement.pinned(__version__)}, which the "
            "workflows cannot install from a package index: this hub was not installed from "
            "a git repository that it can name. Write where to install it from in "
            f"requirements.txt, such as {requirement.EXAMPLE} (or give hub init --requirement)",
            file=sys.stderr,
        )
    return EXIT_OK


def _ask(given: dict[str, str], folder: Path) -> dict[str, str]:
    """Every answer: ``given`` ones kept, the others asked in turn until each is right."""
    answers = dict(given)
    print(
        f"A new site in {folder}/: a few questions (Enter takes the default in brackets; "
        "Ctrl-C stops, and nothing is written before the last answer)."
    )
    if "languages" not in answers:
        answers["languages"] = _question("languages", QUESTIONS["languages"], answers, folder)
    for key in answer_keys(languages_of(answers["languages"]))[1:]:
        if key in answers:
            continue
        if key.startswith("name-"):
            lang = key.removeprefix("name-")
            text = f"The service's name in {language_name(lang, 'en')}"
        else:
            text = QUESTIONS[key]
        answers[key] = _question(key, text, answers, folder)
    return answers


def _question(key: str, text: str, answers: dict[str, str], folder: Path) -> str:
    default = DEFAULTS.get(key)
    while True:
        try:
            reply = input(f"{text}{f' [{default}]' if default else ''}: ").strip()
        except EOFError:
            raise NoAnswer from None
        reply = reply or (default or "")
        if not reply:
            print("  an answer is needed", file=sys.stderr)
            continue
        wrong = problem_with(key, {**answers, key: reply}, folder)
        if wrong is None:
            return reply
        print(f"  {wrong.message}", file=sys.stderr)


def _report(new: tuple[files.NewFile, ...], folder: Path, path: str) -> None:
    print(f"wrote {len(new)} files in {folder}/, for police-social-hub {__version__}:")
    for item in new:
        print(f"  {item.path}")
    go = "" if folder == Path(".") else f"cd {shlex.quote(str(folder))}\n  "
    print(
        "next:\n"
        f"  {go}hub check          # is sources.yaml right?\n"
        f"  hub serve          # build the site and look at it on http://127.0.0.1:8000{path}/\n"
        "then add your units, officers and accounts to sources.yaml (docs/sources.md), adapt\n"
        "content/pages/, name your teams in .github/CODEOWNERS, and push it to GitHub\n"
        "(docs/tutorial.md of police-social-hub goes through each step)."
    )


def _update_schemas(folder: Path) -> int:
    if not (folder / "sources.yaml").is_file():
        print(f"error: no sources.yaml in {folder}: nothing to update", file=sys.stderr)
        return EXIT_FAILED
    schemas = files.schema_files()
    files.replace(schemas, folder)
    for item in schemas:
        print(f"wrote {folder / item.path} (police-social-hub {__version__})")
    return EXIT_OK
