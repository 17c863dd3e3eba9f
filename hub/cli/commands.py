"""What each command does: ``check``, ``fetch``, ``build``, ``serve``, ``tokens``, ``hide``.

Each takes the :class:`~hub.cli.options.Options` and returns an exit code,
printing problems GCC style (and as GitHub annotations under GitHub Actions).
``build`` and ``fetch`` leave a run report in the cache folder
(:mod:`hub.cli.report`), hold the cache folder's lock for the whole run
(:mod:`hub.store.lock`), and set a damaged store aside before using it
(:mod:`hub.store.opening`). ``audit`` only reads the store, without the lock
(:mod:`hub.cli.audit`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from hub.cli.options import EXIT_OK, EXIT_REFUSED, Options
from hub.model import Registry
from hub.problems import HubError, Problem, RegistryError
from hub.publish.gate import refusal_message
from hub.registry import load as registry
from hub.site import content
from hub.site.moderation import local_day

if TYPE_CHECKING:
    from hub.cli.report import Run
    from hub.pipeline import BuildResult
    from hub.publish.baseline import Baseline


@dataclass(frozen=True)
class Checked:
    """A valid registry and content folder."""

    registry: Registry
    content: content.Content
    warnings: int


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
        environ = registry.EveryVariableSet() if options.without_secrets else None
        checked = registry.load(options.sources, environ=environ)
        loaded = content.load_content(
            checked.registry.root / "content",
            checked.registry.site.languages,
            display_root=checked.registry.root,
            registry=checked.registry,
        )
    except (RegistryError, content.ContentError) as exc:
        where = options.sources if isinstance(exc, RegistryError) else _content_folder(options)
        raise _problems_error(exc.problems, where) from None
    warnings = (*checked.warnings, *loaded.warnings)
    _print_problems(warnings, sys.stderr)
    if warnings and options.strict:
        raise HubError(
            f"{options.sources}: {_count(len(warnings), 'warning')} (--strict makes warnings fail)"
        )
    return Checked(checked.registry, loaded, len(warnings))


def _problems_error(problems: Sequence[Problem], where: object) -> HubError:
    """Print ``problems``; the error that ends the command, counting them."""
    _print_problems(problems, sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    summary = _count(errors, "error") + (f", {_count(warnings, 'warning')}" if warnings else "")
    return HubError(f"{where}: {summary}")


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
    # What content/curation.yaml says that only the posts could check (a pin that pins nothing).
    _print_problems(result.warnings, sys.stderr)
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


def run_tokens(options: Options) -> int:
    """Check each API token the registry names (:mod:`hub.cli.tokens`); the registry's
    errors end it as they end ``hub check``, its warnings are left to ``hub check``."""
    from hub.cli import tokens

    try:
        checked = registry.load(options.sources)
    except RegistryError as exc:
        raise _problems_error(exc.problems, options.sources) from None
    return tokens.run(options, checked.registry)


def run_hide(options: Options) -> int:
    """Take a post down: add it to ``content/curation.yaml`` (:mod:`hub.site.takedown`)."""
    from hub.site import takedown
    from hub.site.curation import CURATION_NAME

    try:
        checked = registry.load(options.sources, environ=registry.EveryVariableSet())
    except RegistryError as exc:
        raise _problems_error(exc.problems, options.sources) from None
    reg = checked.registry
    name = str(options.sources.parent / "content" / CURATION_NAME)
    day = options.day or local_day(_now(), reg.site.timezone)
    url = options.url or ""
    added = takedown.add_hide(
        reg.root / "content" / CURATION_NAME, name, url, options.reason, day, reg.accounts()
    )
    said = "added: the next build takes the post off the site" if added else "already there"
    print(f"{name}: hide of {url} {said}")
    return EXIT_OK


def run_audit(options: Options) -> int:
    """List the store's audit trail (:mod:`hub.cli.audit`); the registry's errors end it
    as they end ``hub check``, and it reads the store without waiting for a run."""
    from hub.cli import audit

    try:
        checked = registry.load(options.sources, environ=registry.EveryVariableSet())
    except RegistryError as exc:
        raise _problems_error(exc.problems, options.sources) from None
    return audit.run(options, checked.registry)


def run_report(options: Options) -> int:
    """The governance report (:mod:`hub.cli.governance`): the registry and content/
    checked as ``hub check`` checks them, the store read holding the cache folder's lock."""
    from hub.cli import governance

    governance.refuse_site_folder(options.out)
    checked = check(options)
    governance.need_store(options.cache)
    return _holding_cache(
        options,
        lambda: governance.run(options, checked.registry, checked.content.curation, _now()),
    )


def _now() -> datetime:
    return datetime.now(UTC)


COMMANDS = {
    "check": run_check,
    "fetch": run_fetch,
    "build": run_build,
    "serve": run_serve,
    "tokens": run_tokens,
    "report": run_report,
    "audit": run_audit,
    "hide": run_hide,
}
