"""What the commands print while they run.

On a terminal: a live progress bar. Elsewhere (CI logs): one line per feed
problem and one summary line, so logs stay short; under GitHub Actions each
feed problem is also a ``::warning`` annotation. Messages repeated for many
feeds are collapsed ("and 37 more like this"). With ``-v``, a line for every
feed as it finishes: its HTTP status, the time its fetch took and what came
of it (:func:`feed_line`); with ``-q``, none of this (:mod:`hub.cli.messages`).
A fetch ends with a line per host held (a 429 or 503 with a Retry-After,
:mod:`hub.feeds.holds`): until when, and how many feeds wait for it.
A build ends with what the publish gate decided and what was written
(:func:`say_result`).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import TextIO

from hub.cli import messages
from hub.cli.options import EXIT_OK, EXIT_REFUSED
from hub.cli.report import rendered_text
from hub.feeds.holds import held_line
from hub.pipeline import BuildResult
from hub.problems import workflow_text
from hub.publish.baseline import Baseline
from hub.publish.gate import refusal_message
from hub.store.reseed import ReseedReport
from hub.store.update import FeedOutcome, UpdateReport

SHOWN_PER_KIND = 5
"""How many feeds with the same problem are listed before the rest are counted."""


def _kind(message: str) -> str:
    """The message's kind: a message without its specifics (numbers, hosts)."""
    return message.split(":", 1)[0]


def feed_line(outcome: FeedOutcome) -> str:
    """One feed's line for ``-v``: ``fetch: SOURCE: HTTP 200, 0.42 s: 3 new, 0 withdrawn``."""
    if outcome.seconds is None:
        how = "not fetched"
    else:
        if outcome.http_status is not None:
            asked = f"HTTP {outcome.http_status}"
        elif outcome.source.startswith(("http://", "https://", "api:")):
            asked = "no response"
        else:
            asked = "file"
        how = f"{asked}, {outcome.seconds:.2f} s"
    said = {
        "ok": f"{outcome.new} new, {outcome.withdrawn} withdrawn",
        "not_modified": "unchanged",
        "failed": f"failed: {outcome.message}",
        "gone": f"gone: {outcome.message}",
        "waiting": f"waiting: {outcome.message}",
    }[outcome.status]
    moved = f" (moved permanently to {outcome.moved_to})" if outcome.moved_to else ""
    return f"fetch: {outcome.source}: {how}: {said}{moved}"


class FeedProgress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.annotate = messages.annotating() and messages.shown("warning")
        # -v prints a line per feed, which a bar would only get in the way of.
        self.live = (
            self.stream.isatty()
            and os.environ.get("TERM") != "dumb"
            and messages.verbosity() == "normal"
        )
        self.kinds: Counter[str] = Counter()
        self.hidden = 0
        self._progress = None
        self._task = None

    def start(self, total: int) -> None:
        if self.live and total:
            from rich.console import Console
            from rich.progress import Progress

            # On stderr, with the lines it interleaves: stdout is for what was asked for.
            self._progress = Progress(transient=True, console=Console(file=self.stream))
            self._progress.start()
            self._task = self._progress.add_task("Fetching feeds", total=total)

    def outcome(self, outcome: FeedOutcome) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)
        messages.detail(feed_line(outcome))
        if outcome.moved_to:
            self._say(
                f"{outcome.source}: moved permanently to {outcome.moved_to}: update sources.yaml",
                "moved",
            )
        if outcome.status in ("failed", "gone") and outcome.message:
            self._say(f"{outcome.source}: {outcome.message}", _kind(outcome.message))

    def _say(self, line: str, kind: str) -> None:
        self.kinds[kind] += 1
        if self.annotate:
            print(f"::warning title=Feed problem::{workflow_text(line)}", file=self.stream)
        if self.kinds[kind] > SHOWN_PER_KIND or not messages.shown("warning"):
            self.hidden += 1
            return
        text = f"warning: feed {line}"
        if self._progress is not None:
            from rich.text import Text

            console = self._progress.console
            messages.through(lambda shown: console.print(Text.from_ansi(shown)), text)
        else:
            messages.warning(f"feed {line}")

    def finish(self, report: UpdateReport) -> None:
        if self._progress is not None:
            self._progress.stop()
        for kind, count in self.kinds.items():
            if count > SHOWN_PER_KIND:
                messages.warning(f'... and {count - SHOWN_PER_KIND} more feeds like "{kind}"')
        counts = report.counts
        parts = [f"{counts.get('ok', 0)} updated", f"{counts.get('not_modified', 0)} unchanged"]
        failed = counts.get("failed", 0) + counts.get("gone", 0)
        if failed:
            parts.append(f"{failed} failed (their last good entries are kept)")
        if counts.get("waiting"):
            parts.append(f"{counts['waiting']} backing off")
        new = sum(o.new for o in report.outcomes)
        withdrawn = sum(o.withdrawn for o in report.outcomes)
        messages.status(
            f"fetch: {len(report.outcomes)} feeds: {', '.join(parts)}; {new} new entries, "
            f"{withdrawn} withdrawn, in {report.seconds:.1f} s"
        )
        now = datetime.now(UTC)
        for held in report.held:
            messages.status(f"fetch: {held_line(held.hold, held.feeds, now)}")


def say_baseline(baseline: Baseline) -> None:
    for problem in baseline.problems:
        messages.warning(f"publish gate: cannot read the published manifest {problem}")
    if baseline.manifest is None:
        messages.status("gate: no published site to compare with: publishing without a comparison")


def say_reseed(reseed: ReseedReport | None) -> None:
    """What re-seeding an empty store from the published site came to; nothing when
    the store was not empty."""
    if reseed is None:
        return
    messages.status(f"reseed: {reseed.line}")
    for problem in reseed.problems:
        where = reseed.where if reseed.where.endswith("/") else f"{reseed.where}/"
        messages.warning(f"reseed: cannot read {where}{problem}")
    if reseed.unread > len(reseed.problems):
        messages.warning(f"reseed: and {reseed.unread - len(reseed.problems)} more like this")


def say_result(result: BuildResult, out: str) -> int:
    """What the build came to, and its exit code; ``out`` is the output folder as named."""
    decision = result.decision
    head = f"build: {result.pages} pages, {result.posts} posts"
    if result.publish is None:
        message = refusal_message(decision, out)
        messages.error(message)
        messages.annotate("error", "Not published", message)
        messages.status(f"{head}: not published (exit code {EXIT_REFUSED})")
        return EXIT_REFUSED
    if decision.verdict == "forced":
        for failed in decision.failed:
            line = f"publish gate: {failed.describe()}; publishing anyway (--force)"
            messages.warning(line)
            messages.annotate("warning", "Publish gate overridden", line)
    elif decision.verdict == "passed":
        shown = ", ".join(f"{c.what} {c.new}/{c.baseline}" for c in decision.checks)
        messages.status(f"gate: passed against {decision.baseline_from} ({shown})")
    done = result.publish
    messages.status(
        f"{head} -> {done.out_dir}/ "
        f"({done.written} written, {done.unchanged} unchanged, {done.removed} removed)"
    )
    if result.rendered:
        pages, feeds = result.rendered.get("pages", {}), result.rendered.get("feeds", {})
        line = f"rendered: {rendered_text(pages)} pages, {sum(feeds.values())} feeds"
        if sum(pages.values()) < result.pages:
            line += "; the others are the previous site's (hub build --full renders every one)"
        messages.status(line)
    if result.search_behind:
        messages.status(
            "search: the index is kept behind the new posts for now "
            "(site.search.refresh_minutes); they are found after the next refresh"
        )
    return EXIT_OK
