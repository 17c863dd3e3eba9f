"""The command line: ``hub check|fetch|build|serve|tokens|report|audit|hide|feed|init``, and
``python build.py``.

A thin layer over the library: it parses arguments (:mod:`hub.cli.arguments`),
sets how much the run says (:mod:`hub.cli.messages`), runs one command
(:mod:`hub.cli.commands`), and turns the outcome into an exit code
(:mod:`hub.cli.options`).

Every error a person can act on is a :class:`~hub.problems.HubError`, printed
as one line; so are the machine's own failures (a full disk, a read-only
folder). Anything else is a bug, and keeps its traceback for the report.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import select
import sys
from collections.abc import Sequence
from pathlib import Path

from hub.cli import init as init_command
from hub.cli import messages
from hub.cli.arguments import build_parser, parser, verbosity
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

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "build_parser",
    "main",
    "parser",
]


def _options(args: argparse.Namespace) -> Options:
    return Options(
        sources=args.sources,
        out=getattr(args, "out", Path("public")),
        cache=getattr(args, "cache", Path(".hub-cache")),
        offline=getattr(args, "offline", False),
        strict=getattr(args, "strict", False),
        port=getattr(args, "port", 8000),
        force=getattr(args, "force", False),
        full=getattr(args, "full", False),
        baseline=getattr(args, "baseline", None),
        output_format=getattr(args, "format", "text"),
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
        account=getattr(args, "account", None),
        without_secrets=getattr(args, "without_secrets", False),
        url=getattr(args, "url", None),
        reason=getattr(args, "reason", None) or "",
        day=getattr(args, "date", None),
        only=getattr(args, "only", None),
        bind=getattr(args, "bind", "127.0.0.1"),
        feed=getattr(args, "feed", None),
        platform=getattr(args, "platform", None),
        entries=getattr(args, "entries", 5),
    )


def run(command: str, options: Options) -> int:
    before = _published(options.out) if command in ("build", "serve") else None
    try:
        return COMMANDS[command](options)
    except HubError as exc:
        messages.failure(exc.format())
        return exc.exit_code
    except KeyboardInterrupt:
        messages.failure(f"interrupted; {_left_after(command, options, before)}")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        if not _reader_gone():
            raise  # another pipe: a bug, whose traceback is the report
        # Read by `head` or a pager that quit: what it wanted, it had. Python's last
        # flush of stdout would fail again, so stdout goes nowhere now.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in MACHINE_ERRORS:
            raise  # a bug: its traceback is the report
        messages.error(os_reason(exc))
        return EXIT_FAILED


def _reader_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it."""
    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poll.poll(0))
    except (OSError, ValueError):
        return False


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
    if command in ("check", "tokens", "audit", "hide", "feed"):
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
    words = parser()
    args = words.parse_args(argv)
    messages.configure(verbosity(words, args))
    if args.command == "init":
        return init_command.run(args)
    return run(args.command, _options(args))


def build_main(argv: Sequence[str] | None = None) -> int:
    words = build_parser()
    args = words.parse_args(argv)
    messages.configure(verbosity(words, args))
    return run("build", _options(args))


def command() -> int:
    """The ``hub`` command: :func:`main`, in a process that ends when it returns."""
    _process_setup()
    return _ending(main())


def build_command() -> int:
    """``python build.py``: :func:`build_main`, in a process that ends when it returns."""
    _process_setup()
    return _ending(build_main())


def _process_setup() -> None:
    _warnings_as_lines()
    # A terminal or a pipe that cannot write "é" (PYTHONIOENCODING=ascii, a C locale)
    # gets "\xe9" instead of a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _warnings_as_lines() -> None:
    """Python warnings (a fast path that failed its start-up check) as our other warnings."""
    import warnings

    warnings.showwarning = lambda message, *_, **__: messages.warning(str(message))


def _ending(code: int) -> int:
    """``code``, once the heap is frozen, since the process is about to end.

    Python's last act is a full garbage collection. After a large build it
    walks half a million objects (0.6 s for 5,000 accounts) only to free
    memory the system takes back anyway; frozen objects are passed over.
    Files are all closed by then, and exit handlers still run.
    """
    gc.freeze()
    return code
