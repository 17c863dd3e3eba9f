"""The command line: ``hub check|fetch|build|serve|tokens|report|audit``, and ``python build.py``.

A thin layer over the library: it parses arguments, runs one command
(:mod:`hub.cli.commands`), and turns the outcome into an exit code
(:mod:`hub.cli.options`).

Every error a person can act on is a :class:`~hub.problems.HubError`, printed
as one line; so are the machine's own failures (a full disk, a read-only
folder). Anything else is a bug, and keeps its traceback for the report.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from hub.cli import audit
from hub.cli.commands import COMMANDS
from hub.cli.options import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    MACHINE_ERRORS,
    Options,
)
from hub.problems import HubError, os_reason

__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "main"]


def _sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path("sources.yaml"),
        metavar="FILE",
        help="the registry to read (default: sources.yaml)",
    )


def _common(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
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
        help=(
            "where the feed store is kept between runs (default: .hub-cache/); one run at a "
            "time uses it, the next waits up to HUB_LOCK_WAIT seconds (default: 300)"
        ),
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="do not fetch feeds: build from what the store already holds",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")


def _gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="publish even when the new site is much smaller than the published one",
    )
    parser.add_argument(
        "--baseline",
        metavar="URL-OR-FILE",
        help=(
            "the published site's hub-manifest.json to compare with (default: the one in "
            "the output folder, else SITE_URL/hub-manifest.json)"
        ),
    )


def _audit_options(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(".hub-cache"),
        metavar="DIR",
        help="where the feed store is kept (default: .hub-cache/); read, never locked",
    )
    parser.add_argument(
        "--since",
        type=audit.day,
        metavar="YYYY-MM-DD",
        help="the first day listed, in the site's time zone (default: the oldest event)",
    )
    parser.add_argument(
        "--until",
        type=audit.day,
        metavar="YYYY-MM-DD",
        help="the last day listed, included (default: the newest event)",
    )
    parser.add_argument(
        "--account",
        metavar="PLATFORM:HANDLE",
        help="only this account's posts, as sources.yaml lists it: x:LakeviewTraffic",
    )
    parser.add_argument(
        "--format",
        choices=audit.FORMATS,
        default="text",
        help="a block per event, or CSV or JSON with the full text (default: text)",
    )


def _report_options(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("report"),
        metavar="DIR",
        help=(
            "where the report is written (default: report/); never the site's output folder "
            "or inside it: the report names people"
        ),
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(".hub-cache"),
        metavar="DIR",
        help="where the feed store is kept (default: .hub-cache/)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="ask no platform: the tokens and the profiles' links back are not checked",
    )


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
        if name == "build":
            _gate_options(sub)
        if name == "check":
            sub.add_argument(
                "--without-secrets",
                action="store_true",
                help=(
                    "this run has no secrets (a pull-request check): do not report token "
                    "variables that are not set"
                ),
            )
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    text = (
        "list what the store's audit trail recorded: posts first seen, edited, withdrawn "
        "and restored, and what content/curation.yaml did to them"
    )
    _audit_options(
        commands.add_parser("audit", help=text, description=text[0].upper() + text[1:] + ".")
    )
    text = "write the governance report for Corporate Communications (private: never published)"
    _report_options(
        commands.add_parser("report", help=text, description=text[0].upper() + text[1:] + ".")
    )
    text = (
        "check each API token that sources.yaml names with its platform: what it can read "
        "and when it expires"
    )
    tokens = commands.add_parser("tokens", help=text, description=text[0].upper() + text[1:] + ".")
    _sources(tokens)
    tokens.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="one line per account, or one JSON document (default: text)",
    )
    text = "take a post down: add its address to content/curation.yaml (docs/takedown.md)"
    hide = commands.add_parser("hide", help=text, description=text[0].upper() + text[1:] + ".")
    hide.add_argument("url", metavar="URL", help="the post's address, as the site links to it")
    hide.add_argument("--reason", required=True, help="why, for the record (never published)")
    hide.add_argument(
        "--date",
        type=audit.day,
        metavar="YYYY-MM-DD",
        help="the day written beside it (default: today, in the site's time zone)",
    )
    _sources(hide)
    return top


def build_parser() -> argparse.ArgumentParser:
    """``python build.py``: the build command's options, without a command word."""
    top = argparse.ArgumentParser(
        prog="build.py",
        description="Build the site: the same as `hub build`.",
    )
    _common(top)
    _gate_options(top)
    return top


def _options(args: argparse.Namespace) -> Options:
    return Options(
        sources=args.sources,
        out=getattr(args, "out", Path("public")),
        cache=getattr(args, "cache", Path(".hub-cache")),
        offline=getattr(args, "offline", False),
        strict=getattr(args, "strict", False),
        port=getattr(args, "port", 8000),
        force=getattr(args, "force", False),
        baseline=getattr(args, "baseline", None),
        output_format=getattr(args, "format", "text"),
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
        account=getattr(args, "account", None),
        without_secrets=getattr(args, "without_secrets", False),
        url=getattr(args, "url", None),
        reason=getattr(args, "reason", None) or "",
        day=getattr(args, "date", None),
    )


def run(command: str, options: Options) -> int:
    before = _published(options.out) if command in ("build", "serve") else None
    try:
        return COMMANDS[command](options)
    except HubError as exc:
        print(exc.format(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"interrupted; {_left_after(command, options, before)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        if exc.errno not in MACHINE_ERRORS:
            raise  # a bug: its traceback is the report
        print(f"error: {os_reason(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _published(out: Path) -> tuple[int, int] | None:
    """Which published tree ``out`` holds: its marker file's identity, None if none."""
    from hub.outputs.files import MARKER

    try:
        info = (out / MARKER).stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _left_after(command: str, options: Options, before: tuple[int, int] | None) -> str:
    """What an interrupted command left, truly: every publish swaps in a new marker."""
    if command in ("check", "tokens", "audit", "hide"):
        return "nothing was written"
    if command == "report":
        return f"each file in {options.out}/ is whole, the old one or the new"
    if command == "fetch":
        return "the store keeps every feed saved before it (each one whole)"
    if command == "serve" and before != _published(options.out):
        return f"stopped serving; {options.out}/ holds the last site built"
    if _published(options.out) == before:
        return f"{options.out}/ is unchanged"
    return f"{options.out}/ holds the new site: it was published before the interrupt"


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return run(args.command, _options(args))


def build_main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run("build", _options(args))


def command() -> int:
    """The ``hub`` command: :func:`main`, in a process that ends when it returns."""
    _warnings_as_lines()
    return _ending(main())


def build_command() -> int:
    """``python build.py``: :func:`build_main`, in a process that ends when it returns."""
    _warnings_as_lines()
    return _ending(build_main())


def _warnings_as_lines() -> None:
    """Python warnings (a fast path that failed its start-up check) as our other warnings."""
    import warnings

    warnings.showwarning = lambda message, *_, **__: print(f"warning: {message}", file=sys.stderr)


def _ending(code: int) -> int:
    """``code``, once the heap is frozen, since the process is about to end.

    Python's last act is a full garbage collection. After a large build it
    walks half a million objects (0.6 s for 5,000 accounts) only to free
    memory the system takes back anyway; frozen objects are passed over.
    Files are all closed by then, and exit handlers still run.
    """
    gc.freeze()
    return code
