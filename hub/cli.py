"""The command line: ``hub check|fetch|build|serve``.

A thin layer over the library: it parses arguments, runs one command, prints
problems GCC style (and as GitHub annotations under GitHub Actions), and turns
the outcome into an exit code. Exit codes: 0 success, 1 invalid input or a
failed build, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from hub import content, registry
from hub.model import Registry
from hub.problems import HubError, Problem, RegistryError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Checked:
    """A valid registry and content folder."""

    registry: Registry
    content: content.Content
    warnings: int


@dataclass(frozen=True)
class Options:
    sources: Path
    out: Path
    cache: Path
    offline: bool
    strict: bool
    port: int = 8000


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path("sources.yaml"),
        metavar="FILE",
        help="the registry to read (default: sources.yaml)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("public"),
        metavar="DIR",
        help="where the site is written (default: public/)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(".hub-cache"),
        metavar="DIR",
        help="where the feed store is kept between runs (default: .hub-cache/)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="do not fetch feeds: build from what the store already holds",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="hub",
        description="Build a police service's social-media hub from sources.yaml.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    helps = {
        "check": "validate sources.yaml and report every problem",
        "fetch": "fetch every account's feed into the store",
        "build": "fetch feeds (unless --offline) and write the site",
        "serve": "build, serve the site on 127.0.0.1 and rebuild on changes",
    }
    for name, text in helps.items():
        sub = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        _common(sub)
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    return top


def build_parser() -> argparse.ArgumentParser:
    """``python build.py``: the build command's options, without a command word."""
    top = argparse.ArgumentParser(
        prog="build.py",
        description="Build the site: the same as `hub build`.",
    )
    _common(top)
    return top


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem.format(), file=stream)
        if annotate:
            print(problem.github_annotation(), file=stream)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def check(options: Options) -> Checked:
    """Validate the registry and content/; print their problems; raise HubError on errors."""
    try:
        checked = registry.load(options.sources)
        loaded = content.load_content(
            checked.registry.root / "content",
            checked.registry.site.languages,
            display_root=checked.registry.root,
        )
    except (RegistryError, content.ContentError) as exc:
        _print_problems(exc.problems, sys.stderr)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        warnings = len(exc.problems) - errors
        summary = _count(errors, "error") + (f", {_count(warnings, 'warning')}" if warnings else "")
        raise HubError(f"{options.sources}: {summary}") from None
    warnings = (*checked.warnings, *loaded.warnings)
    _print_problems(warnings, sys.stderr)
    if warnings and options.strict:
        raise HubError(
            f"{options.sources}: {_count(len(warnings), 'warning')} (--strict makes warnings fail)"
        )
    return Checked(checked.registry, loaded, len(warnings))


def run_check(options: Options) -> int:
    checked = check(options)
    reg = checked.registry
    accounts = sum(1 for _ in reg.accounts())
    note = f", {_count(checked.warnings, 'warning')}" if checked.warnings else ""
    print(
        f"{options.sources}: ok: {_count(len(reg.units), 'unit')}, "
        f"{_count(len(reg.officers), 'officer')}, {_count(accounts, 'account')}, "
        f"{_count(len(reg.feeds()), 'feed')}, {_count(len(checked.content.pages), 'page')}, "
        f"{_count(len(checked.content.alerts), 'alert')}{note}"
    )
    return EXIT_OK


def run_fetch(options: Options) -> int:
    # Imported here so `hub check` starts fast: it needs none of the feed or site stages.
    from hub import pipeline
    from hub.console import FeedProgress

    checked = check(options)
    progress = FeedProgress()
    report = pipeline.fetch(
        checked.registry,
        options.cache,
        now=_now(),
        on_start=progress.start,
        on_outcome=progress.outcome,
    )
    progress.finish(report)
    return EXIT_OK


def run_build(options: Options) -> int:
    from hub import pipeline
    from hub.console import FeedProgress

    checked = check(options)
    if options.offline:
        print("fetch: skipped (--offline): building from the store", file=sys.stderr)
    else:
        progress = FeedProgress()
        report = pipeline.fetch(
            checked.registry,
            options.cache,
            now=_now(),
            on_start=progress.start,
            on_outcome=progress.outcome,
        )
        progress.finish(report)
    result = pipeline.build(
        checked.registry, checked.content, options.cache, options.out, now=_now()
    )
    done = result.publish
    print(
        f"build: {result.pages} pages, {result.posts} posts -> {done.out_dir}/ "
        f"({done.written} written, {done.unchanged} unchanged, {done.removed} removed)",
        file=sys.stderr,
    )
    return EXIT_OK


def run_serve(options: Options) -> int:
    from hub import serve

    return serve.serve(options, build=run_build)


def _now() -> datetime:
    return datetime.now(UTC)


COMMANDS = {"check": run_check, "fetch": run_fetch, "build": run_build, "serve": run_serve}


def _options(args: argparse.Namespace) -> Options:
    return Options(
        sources=args.sources,
        out=args.out,
        cache=args.cache,
        offline=args.offline,
        strict=args.strict,
        port=getattr(args, "port", 8000),
    )


def run(command: str, options: Options) -> int:
    try:
        return COMMANDS[command](options)
    except HubError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return run(args.command, _options(args))


def build_main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run("build", _options(args))
