"""What the commands print while they run.

On a terminal: a live progress bar. Elsewhere (CI logs): one line per feed
problem and one summary line, so logs stay short; under GitHub Actions each
feed problem is also a ``::warning`` annotation. Messages repeated for many
feeds are collapsed ("and 37 more like this").
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TextIO

from hub.store.update import FeedOutcome, UpdateReport

SHOWN_PER_KIND = 5
"""How many feeds with the same problem are listed before the rest are counted."""


def _kind(message: str) -> str:
    """The message's kind: a message without its specifics (numbers, hosts)."""
    return message.split(":", 1)[0]


class FeedProgress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.annotate = os.environ.get("GITHUB_ACTIONS") == "true"
        self.live = self.stream.isatty() and os.environ.get("TERM") != "dumb"
        self.kinds: Counter[str] = Counter()
        self.hidden = 0
        self._progress = None
        self._task = None

    def start(self, total: int) -> None:
        if self.live and total:
            from rich.progress import Progress

            self._progress = Progress(transient=True)
            self._progress.start()
            self._task = self._progress.add_task("Fetching feeds", total=total)

    def outcome(self, outcome: FeedOutcome) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)
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
            print(f"::warning title=Feed problem::{line}", file=self.stream)
        if self.kinds[kind] > SHOWN_PER_KIND:
            self.hidden += 1
            return
        text = f"warning: feed {line}"
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream)

    def finish(self, report: UpdateReport) -> None:
        if self._progress is not None:
            self._progress.stop()
        for kind, count in self.kinds.items():
            if count > SHOWN_PER_KIND:
                print(
                    f'warning: ... and {count - SHOWN_PER_KIND} more feeds like "{kind}"',
                    file=self.stream,
                )
        counts = report.counts
        parts = [f"{counts.get('ok', 0)} updated", f"{counts.get('not_modified', 0)} unchanged"]
        failed = counts.get("failed", 0) + counts.get("gone", 0)
        if failed:
            parts.append(f"{failed} failed (their last good entries are kept)")
        if counts.get("waiting"):
            parts.append(f"{counts['waiting']} backing off")
        new = sum(o.new for o in report.outcomes)
        withdrawn = sum(o.withdrawn for o in report.outcomes)
        print(
            f"fetch: {len(report.outcomes)} feeds: {', '.join(parts)}; {new} new entries, "
            f"{withdrawn} withdrawn, in {report.seconds:.1f} s",
            file=self.stream,
        )
