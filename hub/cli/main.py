"""The command line: ``hub check|fetch|build|serve``.

A thin layer over the library: it parses arguments, runs one command, prints
problems GCC style (and as GitHub annotations under GitHub Actions), and turns
the outcome into an exit code. ``build`` and ``fetch`` also leave a run report
in the cache folder (:mod:`hub.cli.report`).

Exit codes: 0 success (published, perhaps with warnings), 1 invalid input or a
failed build, 2 usage error, 3 built but not published: the publish gate found
the new site much smaller than the published one (:mod:`hub.publish.gate`),
130 interrupted (Ctrl-C).

Every error a person can act on is a :class:`~hub.problems.HubError`, printed
as one line; so are the machine's own failures (a full disk, a read-only
folder). Anything else is a bug, and keeps its traceback for the report.
``fetch`` and ``build`` hold the cache folder's lock for the whole run
(:mod:`hub.store.lock`), and set a damaged store aside before using it
(:mod:`hub.store.opening`).
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from hub.model import Registry
from hub.problems import HubError, Problem, RegistryError, os_reason
from hub.publish.gate import EXIT_REFUSED, refusal_message
from hub.registry import load as registry
from hub.site import content

if TYPE_CHECKING:
    from hub.cli.report import Run
    from hub.pipeline import BuildResult
    from hub.publish.baseline import Baseline

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as shells report a command stopped by Ctrl-C."""
MACHINE_ERRORS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM}
)
"""System errors that are the machine's state, never a bug: one line, exit 1, anywhere."""


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
    force: bool = False
    """Publish even when the publish gate refuses."""
    baseline: str | None = None
    """The published manifest to compare with (a path or URL), instead of finding it."""


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
    _gate_options(top)
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
        where = options.sources if isinstance(exc, RegistryError) else _content_folder(options)
        raise HubError(f"{where}: {summary}") from None
    warnings = (*checked.warnings, *loaded.warnings)
    _print_problems(warnings, sys.stderr)
    if warnings and options.strict:
        raise HubError(
            f"{options.sources}: {_count(len(warnings), 'warning')} (--strict makes warnings fail)"
        )
    return Checked(checked.registry, loaded, len(warnings))


def _content_folder(options: Options) -> str:
    """The content folder as the user would write it: ``content/``, beside the registry."""
    return f"{options.sources.parent / 'content'}/"


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
    from hub.cli import report

    def once() -> int:
        with report.recording("fetch", options.cache, _now()) as record:
            with record.stage("check"):
                checked = check(options)
            _fetch(checked.registry, options, record)
            return record.exit_code

    return _holding_cache(options, once)


def run_build(options: Options) -> int:
    from hub.cli import report

    def once() -> int:
        with report.recording("build", options.cache, _now()) as record:
            record.exit_code = _build(options, record)
            return record.exit_code

    return _holding_cache(options, once)


def _holding_cache(options: Options, once: Callable[[], int]) -> int:
    """``once()``, holding the cache folder's lock, with a store it can open.

    A damaged store is kept aside and the run goes on with a fresh one. Damage
    that only a query finds (a page that opening does not read) fails the run
    part way: the store is set aside then, and the run starts again, once.
    """
    from hub.store import lock, opening

    store = options.cache / opening.STORE_NAME
    with lock.holding(options.cache, wait=lock.wait_from_environment(), on_wait=_note):
        recovered = opening.recover(store, _now())
        if recovered is not None:
            _say_set_aside(store, recovered.reason, recovered.kept)
        try:
            return once()
        except opening.StoreDamaged as damaged:
            kept = opening.set_aside(damaged.path, _now())
            _say_set_aside(damaged.path, damaged.reason, kept)
            return once()


def _say_set_aside(store: Path, reason: str, kept: Path) -> None:
    line = f"the store {store} is damaged ({reason}): moved it to {kept}, starting a fresh store"
    print(f"warning: {line}", file=sys.stderr)
    _annotate("warning", "Store damaged", line)


def _note(line: str) -> None:
    print(f"note: {line}", file=sys.stderr)


def _fetch(reg: Registry, options: Options, record: Run) -> None:
    from hub import pipeline
    from hub.cli.console import FeedProgress

    progress = FeedProgress()
    with record.stage("fetch"):
        record.update = pipeline.fetch(
            reg, options.cache, now=_now(), on_start=progress.start, on_outcome=progress.outcome
        )
    progress.finish(record.update)
    if record.update.internal_error is not None:  # a bug: the site would only go stale
        raise HubError(record.update.internal_error)
    _find_quiet(reg, options, record)


def _find_quiet(reg: Registry, options: Options, record: Run) -> None:
    """Note the accounts whose feeds have gone quiet; the report lists them."""
    from hub import pipeline
    from hub.cli import report

    record.quiet = report.quiet_accounts(reg, pipeline.latest_posts(options.cache), _now())
    if record.quiet:
        print(
            f"note: {_count(len(record.quiet), 'account')} with no post for "
            f"{report.QUIET_AFTER.days} days (listed in {options.cache / report.REPORT_NAME})",
            file=sys.stderr,
        )


def _build(options: Options, record: Run) -> int:
    """check -> fetch -> render -> gate -> publish; the exit code."""
    from hub import pipeline
    from hub.feeds import published
    from hub.publish import baseline

    with record.stage("check"):
        checked = check(options)
    reg = checked.registry
    if options.offline:
        print("fetch: skipped (--offline): building from the store", file=sys.stderr)
        _find_quiet(reg, options, record)
    else:
        _fetch(reg, options, record)
    with record.stage("baseline"):
        record.baseline = baseline.read_baseline(
            options.out,
            reg.site,
            override=options.baseline,
            remote=not options.offline,
            download=lambda url: published.download(url, reg.site),
        )
    _say_baseline(record.baseline)
    result = pipeline.build(
        reg,
        checked.content,
        options.cache,
        options.out,
        now=_now(),
        baseline=record.baseline,
        force=options.force,
    )
    record.build = result
    record.seconds.update(result.seconds)
    return _say_result(result, options)


def _say_baseline(baseline: Baseline) -> None:
    for problem in baseline.problems:
        print(
            f"warning: publish gate: cannot read the published manifest {problem}", file=sys.stderr
        )
    if baseline.manifest is None:
        print(
            "gate: no published site to compare with: publishing without a comparison",
            file=sys.stderr,
        )


def _say_result(result: BuildResult, options: Options) -> int:
    decision = result.decision
    head = f"build: {result.pages} pages, {result.posts} posts"
    if result.publish is None:
        message = refusal_message(decision, f"{options.out}/")
        print(f"error: {message}", file=sys.stderr)
        _annotate("error", "Not published", message)
        print(f"{head}: not published (exit code {EXIT_REFUSED})", file=sys.stderr)
        return EXIT_REFUSED
    if decision.verdict == "forced":
        for failed in decision.failed:
            line = f"publish gate: {failed.describe()}; publishing anyway (--force)"
            print(f"warning: {line}", file=sys.stderr)
            _annotate("warning", "Publish gate overridden", line)
    elif decision.verdict == "passed":
        shown = ", ".join(f"{c.what} {c.new}/{c.baseline}" for c in decision.checks)
        print(f"gate: passed against {decision.baseline_from} ({shown})", file=sys.stderr)
    done = result.publish
    print(
        f"{head} -> {done.out_dir}/ "
        f"({done.written} written, {done.unchanged} unchanged, {done.removed} removed)",
        file=sys.stderr,
    )
    return EXIT_OK


def _annotate(kind: str, title: str, message: str) -> None:
    """A GitHub Actions workflow command, so the message shows on the run's page."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    for raw, escaped in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A")):
        message = message.replace(raw, escaped)
    print(f"::{kind} title={title}::{message}", file=sys.stderr)


def run_serve(options: Options) -> int:
    from hub.cli import serve

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
        force=getattr(args, "force", False),
        baseline=getattr(args, "baseline", None),
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
    if command == "check":
        return "nothing was written"
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
