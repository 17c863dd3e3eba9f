"""Soak test: scheduled builds, 15 minutes apart, against feeds that fail, and no post lost.

A small service's site is built again and again, as CI builds it every 15
minutes, by the real command (``hub build``, a process of its own each run),
with the store and the output folder carried from one run to the next.
Its feeds are served on loopback (``tests/feedserver.py``, three addresses,
so that a host held after a 429 keeps only its own feeds waiting) and the
published site by a second server, the site's address in ``sources.yaml``,
which a run reads its baseline and archive from when the output folder is
gone. Between runs posts are added, edited and deleted; in each run some
feeds fail (``bench/soakfeeds.py``: timeouts, 500s, garbage, feeds cut off
part way, empty answers, 410s, 429s); some runs are killed (SIGKILL to the
build's process group) at a random moment; the cache folder is deleted
twice, once alone during an outage of every feed and once with the output
folder (a new CI runner), and the build must re-seed the store from the
published site.

After each run the published site is read (``bench/soaksite.py``) and held
against a model of the store, the rules of ``hub/store/rules.py`` applied
to what each feed answered (``bench/soakfeeds.py``). A violation is:

- a post the store must hold that the site does not show (lost), a deleted
  post shown again after a fetch saw it go (resurrected), or words older
  than the last ones a successful fetch read;
- a published tree that is not whole (manifest, archive, links, sitemap,
  ``_headers``, the build's ledger), or, after a killed run, neither the
  previous tree nor a whole new one;
- a run that ended with an error, or that the publish gate refused (the
  site never shrinks in a soak, so a refusal means posts went missing);
- every tenth run, an incremental build not byte for byte what
  ``hub build --full`` makes of the same store.

The runs are 15 minutes apart on the build's clock: each run is
``hub build`` at its own time (:func:`hub_at`), so that backoffs, holds and
post dates play out as on a schedule, however fast the runs go.

    python bench/soak.py                      # 100 runs
    python bench/soak.py --runs 20 --feeds 10 --seed 7
    python bench/soak.py --write              # ... and record the result
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Run as a plain script from anywhere: the project and its test server live in ROOT.
sys.path.insert(0, str(ROOT))

from bench.soakfeeds import (  # noqa: E402
    HOSTS,
    KINDS,
    RARE,
    State,
    make_feeds,
    mismatch,
    registry,
    stamp,
    state_shown,
)
from bench.soaksite import Deployed, Shown, digest, read  # noqa: E402
from hub.feeds.sitearchive import feed_key  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402

SECTION = "bench:soak"
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
EVERY = timedelta(minutes=15)
RUN_TIMEOUT = 300.0
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); from bench.soak import hub_at; "
    "raise SystemExit(hub_at(sys.argv[2], sys.argv[3:]))"
)


def hub_at(moment: str, argv: Sequence[str]) -> int:
    """``hub`` with ``argv``, in a process whose clock reads ``moment``: the build's one
    clock (``hub.cli.commands._now``) is the run's scheduled time."""
    from hub.cli import commands
    from hub.cli import main as cli

    at = datetime.fromisoformat(moment)
    commands._now = lambda: at
    sys.argv = ["hub", *argv]
    return cli.command()


@dataclass(frozen=True)
class Plan:
    runs: int = 100
    feeds: int = 24
    seed: int = 20261102
    window: int = 6
    """Posts each feed lists: its newest."""
    max_entries: int = 12
    """``site.fetch.max_entries``: posts the store keeps per feed."""
    failing: float = 0.2
    """The chance that a feed fails in a run."""
    kills: int = 0
    """Runs killed; 0: one in ten."""
    verify_every: int = 10
    """Compare the published tree with a full build every this many runs, and after the last."""
    timeout: float = 1.5
    """``site.fetch.total_timeout``, seconds; a timeout answers half a second later."""


@dataclass
class Summary:
    plan: Plan
    posts: Counter[str] = field(default_factory=Counter)
    """Posts added, edited and deleted."""
    faults: Counter[str] = field(default_factory=Counter)
    """Faults answered, by kind (a feed backing off or held is not asked)."""
    kills: list[float] = field(default_factory=list)
    """Seconds into each killed run."""
    reseeded: list[str] = field(default_factory=list)
    sites: int = 0
    posts_checked: int = 0
    full_builds: int = 0
    slow: int = 0
    """Feeds answered in full that the run counted as timed out (a loaded machine)."""
    deleted_kept: int = 0
    """Deleted posts still shown at the end: no fetch could tell they were deleted."""
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0
    """CPU seconds of the builds and their workers: on a busy machine, the wall time is
    mostly waiting for other work."""

    def lines(self) -> list[str]:
        plan = self.plan
        end = START + EVERY * (plan.runs - 1)
        faults = ", ".join(f"{kind} {self.faults[kind]}" for kind in KINDS)
        moments = ", ".join(f"{s:.1f}" for s in self.kills)
        kills = f" (SIGKILL to the build's processes, at {moments} s)" if self.kills else ""
        return [
            f"soak: {plan.runs} runs 15 minutes apart ({START:%Y-%m-%d %H:%M} to "
            f"{end:%Y-%m-%d %H:%M} UTC), seed {plan.seed}",
            f"site: {plan.feeds} feeds on {len(HOSTS)} hosts, each listing its newest "
            f"{plan.window} posts; the store keeps {plan.max_entries} a feed",
            f"posts: {self.posts['added']} added, {self.posts['edited']} edited, "
            f"{self.posts['deleted']} deleted",
            f"faults answered: {sum(self.faults.values())} ({faults})",
            f"kills: {len(self.kills)}{kills}",
            f"cache deletions: {len(self.reseeded)}" + "".join(f"; {r}" for r in self.reseeded),
            f"checked: {self.sites} published sites, {self.posts_checked:,} posts; "
            f"{self.full_builds} full builds compared with the incremental ones",
            f"not counted: {self.slow} feeds answered in full that timed out on a busy machine; "
            f"{self.deleted_kept} deleted posts still shown at the end, which no fetch "
            "could tell from posts that left the feed",
            f"violations: {len(self.violations)}",
            f"wall time: {self.seconds:.0f} s; the builds' processes used {self.cpu:.0f} s of CPU",
        ]


class Soak:
    """The runs of one soak, in a folder of its own."""

    def __init__(
        self, plan: Plan, root: Path, server: FeedServer, site: Deployed, say: Callable[[str], None]
    ) -> None:
        self.plan = plan
        self.root = root
        self.server = server
        self.site = site
        self.say = say
        self.rng = random.Random(plan.seed)
        self.out = root / "public"
        self.cache = root / ".hub-cache"
        self.feeds = make_feeds(plan.feeds, plan.window, server, self.rng, START)
        self.by_key = {feed_key(feed.source): feed for feed in self.feeds}
        self.profiles = len(self.feeds) + 1  # the officer without a feed
        self.summary = Summary(plan)
        self.published: dict[str, set[State]] = {}
        """Per feed, the states the store may have been in when the tree in ``out`` was made."""
        self.durations: list[float] = []
        text = registry(self.feeds, site.url, timeout=plan.timeout, max_entries=plan.max_entries)
        (root / "sources.yaml").write_text(text, encoding="utf-8")
        shutil.copytree(ROOT / "themes", root / "themes")

    def run(self) -> Summary:
        started = time.monotonic()
        used = _children_cpu()
        plan = self.plan
        wiped = {round(plan.runs * 0.35): "cache", round(plan.runs * 0.7): "cache and output"}
        # Never the first runs (their faults are set), a deletion or the last run.
        killable = [n for n in range(4, plan.runs) if n not in wiped]
        kills = set(self.rng.sample(killable, min(len(killable), plan.kills or plan.runs // 10)))
        late = False
        for number in range(1, plan.runs + 1):
            now = START + EVERY * (number - 1)
            if number > 1:
                self.change_posts(now)
            # A kill that came after the run had ended is made in the next run.
            kill = number in killable and (number in kills or late)
            killed = self.one_run(number, now, wiped.get(number), kill)
            late = kill and not killed
        self.summary.deleted_kept = sum(
            1
            for feed in self.feeds
            for state in [next(iter(feed.expected))]
            for guid, _, _ in state
            if feed.is_deleted(guid)
        )
        self.summary.seconds = time.monotonic() - started
        self.summary.cpu = _children_cpu() - used
        return self.summary

    def change_posts(self, now: datetime) -> None:
        for feed in self.feeds:
            if self.rng.random() < 0.3:
                feed.add(now, self.rng)
                self.summary.posts["added"] += 1
            if self.rng.random() < 0.1 and feed.edit(self.rng) is not None:
                self.summary.posts["edited"] += 1
            if self.rng.random() < 0.06 and feed.delete(self.rng) is not None:
                self.summary.posts["deleted"] += 1

    def one_run(self, number: int, now: datetime, wipe: str | None, kill: bool) -> bool:
        """Run ``number``; whether it was killed."""
        kinds = self.faults(number, wipe)
        for feed in self.feeds:
            options = feed.answer(kinds[feed.slug], self.rng, self.plan.timeout)
            self.server.route(feed.path, **options)
        self.server.reset()
        before = digest(self.out)
        reseed = self.wipe(wipe) if wipe else None
        kill_at = self.kill_moment() if kill else None
        code, seconds, log = self.build(now, kill_at)
        killed = code is None
        report = self.report() if not killed else {}
        failed = {f["source"]: f["reason"] for f in (report.get("feeds") or {}).get("failures", [])}
        if reseed is not None and not killed:
            for feed in self.feeds:
                feed.expected = {reseed.get(feed_key(feed.source), frozenset())}
            said = report.get("reseed") or {}
            self.summary.reseeded.append(
                f"run {number} ({wipe} deleted): re-seeded {said.get('posts', 0)} posts "
                f"from {said.get('from', 'nowhere')}"
            )
        answered: list[str] = []
        for feed in self.feeds:
            if not self.server.requests_for(feed.path):
                continue
            kind = kinds[feed.slug]
            if kind is not None:
                self.summary.faults[kind] += 1
                answered.append(kind)
            elif feed.source in failed:
                reason = failed[feed.source] or ""
                if "timed out" in reason:
                    self.summary.slow += 1
                else:
                    self.violation(number, f"{feed.slug}: its feed was counted failed: {reason}")
                continue
            feed.served(kind, self.plan.max_entries, certain=not killed)
        ended = "killed" if killed else f"exit {code}"
        self.say(
            f"run {number}: {ended} after {seconds:.1f} s; faults: {', '.join(answered) or 'none'}"
        )
        if killed:
            self.summary.kills.append(seconds)
            self.check_killed(number, before)
        else:
            self.durations.append(seconds)
            self.check_ended(number, now, code, before, log)
        return killed

    def faults(self, number: int, wipe: str | None) -> dict[str, str | None]:
        """How each feed answers in run ``number``: None for its posts, or a fault.

        The first run has none. In the second, one feed answers each kind but a
        429, which one answers in the third, since it holds its host's other
        feeds; the others answer well. Then each feed fails by chance; every feed
        fails while the cache alone is deleted (an outage), half of them while the
        output folder is deleted with it.
        """
        failing = 1.0 if wipe == "cache" else 0.5 if wipe else self.plan.failing
        failures = [k for k in KINDS if k != "empty-feed"] if wipe == "cache" else list(KINDS)
        weights = [RARE.get(kind, 1.0) for kind in failures]
        kinds = {
            feed.slug: self.rng.choices(failures, weights)[0]
            if self.rng.random() < failing
            else None
            for feed in self.feeds
        }
        if number == 1:
            return dict.fromkeys(kinds)
        if number in (2, 3):
            first = [k for k in KINDS if k != "held-429"] if number == 2 else ["held-429"]
            kinds = dict.fromkeys(kinds)
            kinds.update((self.feeds[n % len(self.feeds)].slug, k) for n, k in enumerate(first))
        return kinds

    def wipe(self, what: str) -> dict[str, State]:
        """Delete the cache folder (and the output folder); what the site it will be
        re-seeded from shows, per feed."""
        source = self.out if what == "cache" else self.site.folder
        shown = read(source, self.site.url, profiles=self.profiles)
        shutil.rmtree(self.cache)
        if what != "cache":
            shutil.rmtree(self.out)
        return {key: state_shown(posts) for key, posts in shown.posts.items()}

    def kill_moment(self) -> float:
        typical = statistics.median(self.durations) if self.durations else 2.0
        return self.rng.uniform(0.05, typical * 0.9)

    def build(
        self, now: datetime, kill_at: float | None, *args: str
    ) -> tuple[int | None, float, str]:
        """``hub build`` at ``now``: its exit code (None when killed), seconds, output."""
        environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        environ.update(PYTHONIOENCODING="utf-8", HUB_LOCK_WAIT="60")
        command = [sys.executable, "-c", _CHILD, str(ROOT), now.isoformat(), "build", *args]
        started = time.monotonic()
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                command,
                cwd=self.root,
                env=environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                code: int | None = process.wait(timeout=kill_at or RUN_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                code = None
                if kill_at is None:
                    self.say(f"a run took more than {RUN_TIMEOUT:.0f} s: killed")
            seconds = time.monotonic() - started
            _wait_gone(process.pid)
            log.seek(0)
            return code, seconds, log.read().decode("utf-8", "replace")

    def report(self) -> dict[str, Any]:
        try:
            return json.loads((self.cache / "report.json").read_bytes())
        except (OSError, ValueError):
            return {}

    def check_ended(
        self, number: int, now: datetime, code: int, before: dict[str, str], log: str
    ) -> None:
        if code != 0:
            last = log.strip().splitlines()[-3:]
            self.violation(number, f"the build exited with {code}: {' / '.join(last)}")
            if digest(self.out) != before:
                self.violation(number, "a build that did not publish changed the output folder")
            return
        site = read(self.out, self.site.url, profiles=self.profiles, cache=self.cache)
        self.check_site(number, site, {f.slug: f.expected for f in self.feeds})
        self.published = {feed.slug: set(feed.expected) for feed in self.feeds}
        if digest(self.out) != before:  # it published: what killed runs left is cleared
            for kind, path in _leftovers(self.out):
                self.violation(number, f"a publish left a {kind} tree beside it: {path.name}")
        if digest(self.site.folder) != digest(self.out):
            self.site.deploy(self.out)
        if number % self.plan.verify_every == 0 or number == self.plan.runs:
            self.compare_full(number, now)

    def check_killed(self, number: int, before: dict[str, str]) -> None:
        """The output folder holds the previous tree, untouched, or a whole new one."""
        after = digest(self.out)
        if after == before:
            return
        site = read(self.out, self.site.url, profiles=self.profiles, cache=self.cache)
        states = {f.slug: f.expected | self.published.get(f.slug, set()) for f in self.feeds}
        self.check_site(number, site, states, killed=True)
        self.published = {feed.slug: set(feed.expected) for feed in self.feeds}

    def check_site(
        self, number: int, site: Any, states: dict[str, set[State]], *, killed: bool = False
    ) -> None:
        where = "the new tree a killed run left" if killed else "the published site"
        for problem in site.problems:
            self.violation(number, f"{where}: {problem}")
        shown: Shown = site.posts
        for key in set(shown) - set(self.by_key):
            self.violation(number, f"{where} shows posts of a feed no one serves ({key})")
        for feed in self.feeds:
            posts = shown.get(feed_key(feed.source), {})
            why = mismatch(feed, posts, states[feed.slug])
            if why:
                self.violation(number, f"{where}: {feed.slug}: {why}")
        self.summary.sites += 1
        self.summary.posts_checked += site.count

    def compare_full(self, number: int, now: datetime) -> None:
        """Is the tree published what a full build makes of the same store, byte for byte?"""
        copy = self.root / "full"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(self.cache, copy / "cache")
        out = copy / "public"
        args = ("--offline", "--full", "--cache", str(copy / "cache"), "--out", str(out))
        code, _, log = self.build(now, None, *args)
        self.summary.full_builds += 1
        if code != 0:
            self.violation(number, f"the full build exited with {code}: {log.strip()[-300:]}")
            return
        mine, full = digest(self.out), digest(out)
        differ = sorted(p for p in set(mine) | set(full) if mine.get(p) != full.get(p))
        if differ:
            shown = ", ".join(differ[:5]) + (" ..." if len(differ) > 5 else "")
            self.violation(number, f"{len(differ)} files differ from a full build: {shown}")
        shutil.rmtree(copy)

    def violation(self, number: int, text: str) -> None:
        line = f"run {number} ({stamp(START + EVERY * (number - 1))}): {text}"
        self.summary.violations.append(line)
        self.say(f"violation: {line}")


def _leftovers(out: Path) -> list[tuple[str, Path]]:
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(new|old|trash)-\d+")
    found = [(m.group(1), p) for p in out.parent.iterdir() if (m := pattern.fullmatch(p.name))]
    return sorted(found)


def _children_cpu() -> float:
    """CPU seconds used by the processes this one started and waited for, and theirs."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _wait_gone(group: int) -> None:
    """Wait until no process of the build's group is left (its workers, Pagefind)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            return
        time.sleep(0.02)
    os.killpg(group, signal.SIGKILL)


def soak(plan: Plan, folder: Path, say: Callable[[str], None] = print) -> Summary:
    """Run the soak in ``folder`` (which it fills) and return what it found."""
    site = Deployed(folder / "deployed")
    try:
        with FeedServer(HOSTS) as server:
            return Soak(plan, folder, server, site, say).run()
    finally:
        site.close()


def section(summary: Summary, command: str) -> str:
    from bench.registry_bench import machine

    today = datetime.now(UTC).date().isoformat()
    lines = "\n".join(f"    {line}" for line in summary.lines())
    return (
        f"<!-- {SECTION} -->\n"
        "## Soak: no post lost across scheduled runs\n\n"
        "`bench/soak.py` builds a small site again and again with the real command, "
        "15 minutes apart on the build's clock, while its feeds fail in every way the "
        "fetch stage knows (timeouts, 500s, garbage, feeds cut off part way, empty "
        "answers, 410s, 429s with a Retry-After), posts are added, edited and deleted, "
        "some runs are killed at a random moment and the cache is deleted twice. After "
        "each run it reads the published site's archive and checks every post against a "
        "model of the store (none lost, none back after a fetch saw it deleted, the last "
        "words fetched), that the tree is whole, and every tenth run that it is byte for "
        "byte what a full build makes ([bench/README.md](../bench/README.md#soakpy)).\n\n"
        f"{lines}\n\n"
        f"Measured {today} with `{command}` on {machine()}.\n"
        f"<!-- /{SECTION} -->\n"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    plan = Plan()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=plan.runs)
    parser.add_argument("--feeds", type=int, default=plan.feeds)
    parser.add_argument("--seed", type=int, default=plan.seed)
    parser.add_argument("--kills", type=int, default=0, help="runs killed (default: 1 in 10)")
    parser.add_argument("--verify-every", type=int, default=plan.verify_every)
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it")
    parser.add_argument("--write", action="store_true", help="record the result")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "performance.md")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.runs < 5 or args.feeds < 2:
        print("error: --runs must be 5 or more and --feeds 2 or more", file=sys.stderr)
        return 2
    plan = Plan(
        runs=args.runs,
        feeds=args.feeds,
        seed=args.seed,
        kills=args.kills,
        verify_every=max(1, args.verify_every),
    )
    print(f"soak: seed {plan.seed} (--seed {plan.seed} runs the same soak again)", flush=True)
    say = partial(print, flush=True)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=False)
        summary = soak(plan, args.keep, say)
    else:
        with tempfile.TemporaryDirectory(prefix="hub-soak-") as folder:
            summary = soak(plan, Path(folder), say)
    print("\n".join(summary.lines()))
    if args.write:
        from bench.fetch_bench import write_section

        command = "python bench/soak.py " + " ".join(argv if argv is not None else sys.argv[1:])
        write_section(args.doc, section(summary, command.strip()))
    return 1 if summary.violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
