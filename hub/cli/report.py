"""The run report: what one ``hub build`` or ``hub fetch`` did, for machines and for CI.

Every build and fetch writes ``report.json`` into the cache folder, whatever
its outcome: feeds by status (with each failure's reason), the hosts held
(a 429 or 503 with a Retry-After) and how many feeds wait for each, entries new and
withdrawn, the store re-seeded from the published site (a build that found it
empty), accounts silent for 90 days, the publish gate's decision with its
numbers, time per stage, files written, and the exit code. A monitoring job
reads it; a person reads the log.

Under GitHub Actions (``$GITHUB_STEP_SUMMARY`` set) a short Markdown summary
is appended to the job's summary page: a table of counts, the gate's
decision, the failing feeds (the list capped so a bad night stays readable) and
a line per host held.
And a build appends ``changed=true`` or ``changed=false`` to the step's
outputs (``$GITHUB_OUTPUT``): whether it wrote or removed a file of the
output folder, so that a workflow deploys only a site that changed; the same
is ``output.changed`` in ``report.json``.
A report that cannot be written is a warning, never a failed build. Every
string in either passes through :func:`hub.feeds.connectors.secrets.redact`:
no API token is ever written to them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hub.cli import messages
from hub.feeds.connectors import secrets
from hub.feeds.holds import held_line
from hub.model import Registry
from hub.pipeline import BuildResult
from hub.problems import HubError
from hub.publish.baseline import Baseline
from hub.publish.gate import EXIT_REFUSED, Check, Decision
from hub.store.reseed import ReseedReport
from hub.store.update import HeldHost, UpdateReport
from hub.wholefiles import write_whole

REPORT_NAME = "report.json"
"""The report's file name inside the cache folder."""
REPORT_FORMAT = 1
QUIET_AFTER = timedelta(days=90)
"""An account whose newest post is older than this is listed as quiet."""
LISTED = 10
"""Feeds (or accounts) listed by name in the step summary before the rest are counted."""


@dataclass(frozen=True)
class QuietAccount:
    """An account whose feed has had no post for :data:`QUIET_AFTER` (or never had one)."""

    owner: str
    platform: str
    url: str
    feed: str
    last_post: datetime | None


def quiet_accounts(
    registry: Registry, latest: Mapping[str, datetime], now: datetime
) -> tuple[QuietAccount, ...]:
    """Accounts with a feed whose newest stored post is older than :data:`QUIET_AFTER`."""
    found = []
    for account in registry.accounts():
        if account.feed is None:
            continue
        last = latest.get(account.feed.source)
        if last is None or now - last > QUIET_AFTER:
            found.append(
                QuietAccount(
                    account.owner, account.platform, account.url, account.feed.source, last
                )
            )
    return tuple(found)


@dataclass
class Run:
    """What one command did, filled in as it runs."""

    command: str
    started: datetime
    seconds: dict[str, float] = field(default_factory=dict)
    update: UpdateReport | None = None
    build: BuildResult | None = None
    baseline: Baseline | None = None
    reseed: ReseedReport | None = None
    quiet: tuple[QuietAccount, ...] = ()
    exit_code: int = 0
    error: str | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the stage ``name`` (check, fetch, render, publish)."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started

    def fail(self, exit_code: int, error: str) -> None:
        self.exit_code = exit_code
        self.error = error

    @property
    def outcome(self) -> str:
        if self.exit_code == EXIT_REFUSED:
            return "refused"
        if self.exit_code != 0:
            return "failed"
        if self.command == "build":
            return "published"
        return "fetched"

    @property
    def changed(self) -> bool:
        """Whether the build wrote or removed a file of the output folder."""
        done = self.build.publish if self.build is not None else None
        return done is not None and done.changed


@contextmanager
def recording(command: str, cache: Path, started: datetime) -> Iterator[Run]:
    """A Run for ``command``; its report is saved when the block ends, however it ends."""
    run = Run(command, started)
    try:
        yield run
    except HubError as exc:
        run.fail(exc.exit_code, str(exc))
        raise
    except KeyboardInterrupt:
        run.fail(130, "interrupted")
        raise
    except Exception as exc:
        run.fail(1, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        save(run, cache, os.environ.get("GITHUB_STEP_SUMMARY"))
        if command == "build":
            step_outputs(run, os.environ.get("GITHUB_OUTPUT"))


def step_outputs(run: Run, path: str | None) -> None:
    """Append ``changed=true|false`` to the step's outputs file, if there is one."""
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as outputs:
            outputs.write(f"changed={'true' if run.changed else 'false'}\n")
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        messages.warning(f"could not write the step's outputs: {exc.strerror or exc}{where}")


def save(run: Run, cache: Path, step_summary: str | None = None) -> None:
    """Write ``report.json`` in ``cache`` and, if given, append to the step summary file."""
    try:
        write(run, cache)
        if step_summary:
            with open(step_summary, "a", encoding="utf-8") as summary:
                summary.write(secrets.redact(markdown(run)))
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        messages.warning(f"could not write the run report: {exc.strerror or exc}{where}")


def write(run: Run, cache: Path) -> Path:
    """Write the JSON report into ``cache`` in one step; its path."""
    target = cache / REPORT_NAME
    report = secrets.redact_json(as_json(run))
    write_whole(target, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode())
    return target


# -- the JSON report --------------------------------------------------------------------


def as_json(run: Run) -> dict[str, Any]:
    """The report as plain JSON values."""
    return {
        "format": REPORT_FORMAT,
        "command": run.command,
        "started": _iso(run.started),
        "outcome": run.outcome,
        "exit_code": run.exit_code,
        "error": run.error,
        "seconds": {name: round(value, 3) for name, value in run.seconds.items()},
        "feeds": _feeds(run.update),
        "entries": _entries(run.update),
        "reseed": _reseed(run.reseed),
        "quiet_accounts": {
            "days": QUIET_AFTER.days,
            "accounts": [_quiet(account) for account in run.quiet],
        },
        "gate": _gate(run.build.decision, run.baseline) if run.build else None,
        "site": _site(run.build),
        "output": _output(run.build),
    }


def _feeds(update: UpdateReport | None) -> dict[str, Any] | None:
    if update is None:
        return None
    counts = {status: 0 for status in ("ok", "not_modified", "failed", "gone", "waiting")}
    for outcome in update.outcomes:
        counts[outcome.status] += 1
    return {
        "total": len(update.outcomes),
        **counts,
        "failures": [
            {"source": o.source, "status": o.status, "reason": o.message} for o in update.failed
        ],
        "backing_off": [
            {"source": o.source, "reason": o.message}
            for o in update.outcomes
            if o.status == "waiting"
        ],
        "moved": [
            {"source": o.source, "moved_to": o.moved_to} for o in update.outcomes if o.moved_to
        ],
        "held_hosts": [_held(held) for held in update.held],
    }


def _held(held: HeldHost) -> dict[str, Any]:
    hold = held.hold
    return {
        "host": hold.host,
        "until": _iso(hold.until),
        "status": hold.status,
        "why": hold.why,
        "said": _iso(hold.said),
        "source": hold.source,
        "feeds": held.feeds,
    }


def _entries(update: UpdateReport | None) -> dict[str, int] | None:
    if update is None:
        return None
    return {
        "new": sum(o.new for o in update.outcomes),
        "withdrawn": sum(o.withdrawn for o in update.outcomes),
    }


def _reseed(reseed: ReseedReport | None) -> dict[str, Any] | None:
    if reseed is None:
        return None
    return {
        "from": reseed.where,
        "posts": reseed.posts,
        "accounts": reseed.accounts,
        "appeals_resolved": reseed.resolved,
        "documents": reseed.documents,
        "unread": reseed.unread,
        "problems": list(reseed.problems),
        "not_reseeded": reseed.missing,
        "line": reseed.line,
    }


def _quiet(account: QuietAccount) -> dict[str, Any]:
    return {
        "owner": account.owner,
        "platform": account.platform,
        "url": account.url,
        "feed": account.feed,
        "last_post": _iso(account.last_post),
    }


def _gate(decision: Decision, baseline: Baseline | None) -> dict[str, Any]:
    return {
        "verdict": decision.verdict,
        "published": decision.publish,
        "baseline": decision.baseline_from,
        "baseline_problems": list(baseline.problems) if baseline else [],
        "checks": [_check(check) for check in decision.checks],
    }


def _check(check: Check) -> dict[str, Any]:
    return {
        "setting": check.setting,
        "what": check.what,
        "new": check.new,
        "baseline": check.baseline,
        "share": round(check.share, 4),
        "threshold": check.threshold,
        "passed": check.passed,
    }


def _site(build: BuildResult | None) -> dict[str, Any] | None:
    if build is None:
        return None
    manifest = json.loads(build.manifest.to_json())
    rendered = {kind: dict(sorted(reasons.items())) for kind, reasons in build.rendered.items()}
    return {
        "pages": build.pages,
        "posts": build.posts,
        "manifest": manifest,
        "rendered": rendered,
    }


def _output(build: BuildResult | None) -> dict[str, Any] | None:
    if build is None or build.publish is None:
        return None
    done = build.publish
    return {
        "folder": str(done.out_dir),
        "written": done.written,
        "unchanged": done.unchanged,
        "removed": done.removed,
        "changed": done.changed,
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the step summary -------------------------------------------------------------------

_HEADLINES = {
    "published": "published",
    "fetched": "feeds fetched",
    "refused": "not published: refused by the publish gate",
    "failed": "failed",
}


def markdown(run: Run) -> str:
    """A short Markdown summary of the run, for ``$GITHUB_STEP_SUMMARY``."""
    parts = [f"### hub {run.command}: {_HEADLINES[run.outcome]} (exit code {run.exit_code})\n"]
    if run.error and run.outcome == "failed":
        parts.append(f"**Error:** {_md(run.error)}\n")
    rows = _rows(run)
    if run.reseed is not None:
        parts.append(f"**Store:** {_md(run.reseed.line)}\n")
    if rows:
        table = [
            "| | count |",
            "| --- | ---: |",
            *(f"| {name} | {value} |" for name, value in rows),
        ]
        parts.append("\n".join(table) + "\n")
    if run.build is not None:
        parts.append(_gate_markdown(run.build.decision))
    if run.update is not None and run.update.failed:
        parts.append(_failing_markdown(run.update))
    if run.update is not None and run.update.held:
        parts.append(_held_markdown(run.update.held, run.started))
    return "\n".join(parts) + "\n"


def _held_markdown(held: Sequence[HeldHost], now: datetime) -> str:
    lines = [f"- {_md(held_line(h.hold, h.feeds, now))}" for h in held]
    head = f"**Hosts held ({len(held)})**, asked nothing until the time they gave:"
    return head + "\n\n" + "\n".join(lines) + "\n"


def _failing_markdown(update: UpdateReport) -> str:
    failed = update.failed
    lines = [f"- `{_code(o.source)}`: {_md(o.message or o.status)}" for o in failed[:LISTED]]
    if len(failed) > LISTED:
        lines.append(f"- and {len(failed) - LISTED} more")
    head = f"**Failing feeds ({len(failed)})**, their last good posts kept:"
    return head + "\n\n" + "\n".join(lines) + "\n"


def _rows(run: Run) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    feeds = _feeds(run.update)
    entries = _entries(run.update)
    if feeds is not None and entries is not None:
        rows += [
            ("feeds updated", str(feeds["ok"])),
            ("feeds unchanged", str(feeds["not_modified"])),
            ("feeds failed", str(feeds["failed"] + feeds["gone"])),
            ("feeds backing off", str(feeds["waiting"])),
            ("new entries", str(entries["new"])),
            ("withdrawn entries", str(entries["withdrawn"])),
        ]
    if run.build is not None:
        rows += [("pages", str(run.build.pages)), ("posts", str(run.build.posts))]
        rows.append(("pages rendered", rendered_text(run.build.rendered.get("pages", {}))))
        if run.build.publish is not None:
            done = run.build.publish
            rows.append(
                (
                    "files written / unchanged / removed",
                    f"{done.written} / {done.unchanged} / {done.removed}",
                )
            )
    if run.update is not None or run.build is not None:
        rows.append((f"accounts with no post for {QUIET_AFTER.days} days", str(len(run.quiet))))
    return rows


def _gate_markdown(decision: Decision) -> str:
    where = f" against `{_code(decision.baseline_from)}`" if decision.baseline_from else ""
    verdicts = {
        "no_baseline": "no published site to compare with: published",
        "passed": f"passed{where}",
        "refused": f"**refused**{where}: the site was not published",
        "forced": f"checks failed{where}, published anyway (`--force`)",
    }
    text = f"**Publish gate:** {verdicts[decision.verdict]}\n"
    if decision.checks:
        table = [
            "| check | new | published | share | required |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {'✅' if c.passed else '❌'} {c.what} | {c.new} | {c.baseline} | "
                f"{c.shown_share} | {c.shown_threshold} |"
                for c in decision.checks
            ),
        ]
        text += "\n" + "\n".join(table) + "\n"
    return text


def _md(text: str) -> str:
    """Text from a feed or a server, shown as text in Markdown, without any token."""
    flat = " ".join(secrets.redact(text).split())
    return "".join(f"\\{c}" if c in "\\`*_[]<>|#!" else c for c in flat)


def _code(text: str) -> str:
    return " ".join(secrets.redact(text).split()).replace("`", "'")


def rendered_text(reasons: Mapping[str, int]) -> str:
    """``12 (its posts changed: 8, posts it shows changed: 4)``; ``0`` when none were."""
    total = sum(reasons.values())
    if not total:
        return "0"
    why = ", ".join(f"{reason}: {number}" for reason, number in sorted(reasons.items()))
    return f"{total} ({why})"
