"""What each command does: ``check``, ``fetch``, ``build``, ``serve``, ``tokens``, ``hide``,
``feed``.

Each takes the :class:`~hub.cli.options.Options` and returns an exit code,
printing problems GCC style (and as GitHub annotations under GitHub Actions)
through :mod:`hub.cli.messages`, which ``-q`` and ``-v`` tune. ``hub check
--format json|sarif`` also prints them as one document (:mod:`hub.cli.sarif`);
``hub fetch --only`` fetches one account's feeds (:mod:`hub.cli.selection`);
``hub feed`` reads one feed and stores nothing (:mod:`hub.cli.feedcmd`).
``build`` and ``fetch`` leave a run report in the cache folder
(:mod:`hub.cli.report`), hold the cache folder's lock for the whole run
(:mod:`hub.store.lock`), and set a damaged store aside before using it
(:mod:`hub.store.opening`). ``audit`` only reads the store, without the lock
(:mod:`hub.cli.audit`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hub.cli import messages
from hub.cli.options import EXIT_OK, Options
from hub.model import Registry
from hub.problems import HubError, Problem, RegistryError
from hub.registry import load as registry
from hub.site import content
from hub.site.moderation import local_day

if TYPE_CHECKING:
    from hub.cli.report import Run


@dataclass(frozen=True)
class Checked:
    """A valid registry and content folder."""

    registry: Registry
    content: content.Content
    warnings: int


def _print_problems(problems: Sequence[Problem], *, failing: bool = False) -> None:
    for problem in problems:
        messages.problem(problem, failing=failing)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def check(options: Options, found: Callable[[Sequence[Problem]], None] | None = None) -> Checked:
    """Validate the registry and content/; print their problems; raise HubError on errors.

    ``found`` is handed every problem printed, errors and warnings.
    """
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
        if found is not None:
            found(exc.problems)
        raise _problems_error(exc.problems, where) from None
    warnings = (*checked.warnings, *loaded.warnings)
    if found is not None:
        found(warnings)
    _print_problems(warnings, failing=options.strict)
    if warnings and options.strict:
        raise HubError(
            f"{options.sources}: {_count(len(warnings), 'warning')} (--strict makes warnings fail)"
        )
    return Checked(checked.registry, loaded, len(warnings))


def _problems_error(problems: Sequence[Problem], where: object) -> HubError:
    """Print ``problems``; the error that ends the command, counting them."""
    _print_problems(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    summary = _count(errors, "error") + (f", {_count(warnings, 'warning')}" if warnings else "")
    return HubError(f"{where}: {summary}")


def _content_folder(options: Options) -> str:
    """The content folder as the user would write it: ``content/``, beside the registry."""
    return f"{options.sources.parent / 'content'}/"


def run_check(options: Options) -> int:
    if options.output_format != "text":
        from hub.cli import sarif

        return sarif.run(options, check, _counts)
    checked = check(options)
    note = f", {_count(checked.warnings, 'warning')}" if checked.warnings else ""
    shown = ", ".join(_count(n, word) for word, n in _counts(checked).items())
    messages.result(f"{options.sources}: ok: {shown}{note}")
    return EXIT_OK


def _counts(checked: Checked) -> dict[str, int]:
    reg = checked.registry
    return {
        "unit": len(reg.units),
        "officer": len(reg.officers),
        "account": sum(1 for _ in reg.accounts()),
        "feed": len(reg.feeds()),
        "page": len(checked.content.pages),
        "alert": len(checked.content.alerts),
    }


def run_fetch(options: Options) -> int:
    # Imported here so `hub check` starts fast: it needs none of the feed or site stages.
    from hub.cli import report

    def once() -> int:
        with report.recording("fetch", options.cache, _now()) as record:
            with record.stage("check"):
                checked = check(options)
            _fetch(checked.registry, options, record)
            return record.exit_code

    if options.only is not None:
        from hub.cli import selection

        # Before the lock and the store: a misspelt account waits for nothing.
        selection.select(_registry_only(options, every_variable=False), options.only)

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
    messages.warning(line)
    messages.annotate("warning", "Store damaged", line)


def _note(line: str) -> None:
    messages.note(line)


def _fetch(reg: Registry, options: Options, record: Run) -> None:
    from hub import pipeline
    from hub.cli import selection
    from hub.cli.console import FeedProgress

    progress = FeedProgress()
    fetched = reg
    if options.only is not None:
        fetched = selection.select(reg, options.only)
    if options.without_secrets:
        fetched, left = selection.within_reach(fetched, os.environ)
        if left:
            messages.status(
                f"fetch: {_count(left, 'account')} read through an API left out "
                "(--without-secrets: their token variables are not set): the site "
                "shows what the store holds of them"
            )
    with record.stage("fetch"):
        record.update = pipeline.fetch(
            fetched,
            options.cache,
            now=_now(),
            on_start=progress.start,
            on_outcome=progress.outcome,
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
        messages.note(
            f"{_count(len(record.quiet), 'account')} with no post for "
            f"{report.QUIET_AFTER.days} days (listed in {options.cache / report.REPORT_NAME})"
        )


def _build(options: Options, record: Run) -> int:
    """check -> fetch -> render -> gate -> publish; the exit code."""
    from hub import pipeline
    from hub.cli import console
    from hub.feeds import published
    from hub.publish import baseline

    with record.stage("check"):
        checked = check(options)
    reg = checked.registry
    # The published site first: a store found empty is re-seeded from it, then fetched.
    with record.stage("baseline"):
        record.baseline = baseline.read_baseline(
            options.out,
            reg.site,
            override=options.baseline,
            remote=not options.offline,
            download=lambda url: published.download(url, reg.site),
        )
    console.say_baseline(record.baseline)
    with record.stage("reseed"):
        record.reseed = pipeline.reseed(
            reg, checked.content, options.cache, record.baseline, now=_now()
        )
    console.say_reseed(record.reseed)
    if options.offline:
        messages.status("fetch: skipped (--offline): building from the store")
        _find_quiet(reg, options, record)
    else:
        _fetch(reg, options, record)
    result = pipeline.build(
        reg,
        checked.content,
        options.cache,
        options.out,
        now=_now(),
        baseline=record.baseline,
        force=options.force,
        full=options.full,
    )
    record.build = result
    record.seconds.update(result.seconds)
    # What content/curation.yaml says that only the posts could check (a pin that pins nothing).
    _print_problems(result.warnings)
    return console.say_result(result, f"{options.out}/")


def run_serve(options: Options) -> int:
    from hub.cli import serve

    return serve.serve(
        options,
        build=run_build,
        base_path=lambda: _registry_only(options, every_variable=False).site.base_path,
    )


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
    messages.result(f"{name}: hide of {url} {said}")
    return EXIT_OK


def _registry_only(options: Options, *, every_variable: bool = True) -> Registry:
    """The registry, its errors ending the command as they end ``hub check``, its
    warnings left to ``hub check``; token variables count as set unless ``every_variable``
    is False."""
    environ = registry.EveryVariableSet() if every_variable else None
    try:
        return registry.load(options.sources, environ=environ).registry
    except RegistryError as exc:
        raise _problems_error(exc.problems, options.sources) from None


def run_feed(options: Options) -> int:
    """Read one feed as a build would and show what the site would (:mod:`hub.cli.feedcmd`)."""
    from hub.cli import feedcmd

    settings = None
    if options.sources.exists():
        settings = _registry_only(options).site
    return feedcmd.run(options, settings)


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
    "feed": run_feed,
}
