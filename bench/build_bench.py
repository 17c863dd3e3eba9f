"""Benchmark of rendering and publishing (``hub build --offline``) at scale.

    python bench/build_bench.py [--accounts 5000] [--entries 20] [--runs 3] [--write]

Generates a registry of N accounts (units and officers, each account with a
feed), fills a real store with E entries per feed, then times
``hub.pipeline.build``: first builds into empty output folders (``--runs``
of them; the median is reported), and a rebuild with nothing changed (which
must rewrite no file). With ``--write`` the figures replace the
``bench:build`` section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import functools
import gc
import multiprocessing
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fetch_bench import write_section  # noqa: E402
from hub.model import Entry, Media, Registry  # noqa: E402
from hub.pipeline import BuildResult, build  # noqa: E402
from hub.publish import tree  # noqa: E402
from hub.registry import load as registry  # noqa: E402
from hub.site.content import Content, load_content  # noqa: E402
from hub.store.database import Store  # noqa: E402

SECTION = "bench:build"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PLATFORMS = ("mastodon", "bluesky", "youtube")
QUIET_PLATFORMS = ("facebook", "instagram", "x")
"""With ``--profiles``, half the accounts are on these: listed, with no feed to read
(no API token in the registry), as most of a real service's accounts are."""
WORDS = (
    "road",
    "safety",
    "winter",
    "tires",
    "collision",
    "downtown",
    "community",
    "meeting",
    "missing",
    "person",
    "located",
    "thank",
    "you",
    "appeal",
    "crime",
    "stoppers",
    "marine",
    "patrol",
    "canine",
    "demo",
    "recruiting",
    "youth",
    "summer",
    "camp",
    "traffic",
    "closure",
    "parade",
    "volunteers",
    "seniors",
    "fraud",
    "warning",
    "phone",
    "scam",
)


def account_line(rng: random.Random, number: int, quiet: bool = False) -> str:
    platform_name = PLATFORMS[number % len(PLATFORMS)]
    if quiet:
        name = QUIET_PLATFORMS[number % len(QUIET_PLATFORMS)]
        return f"      - {{platform: {name}, handle: bench{number}}}"
    if platform_name == "mastodon":
        handle = f'"@user{number}@police.bench.example"'
    elif platform_name == "bluesky":
        handle = f"user{number}.bench.example"
    else:
        handle = "UC" + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(22)
        )
    return f"      - {{platform: {platform_name}, handle: {handle}}}"


def write_registry(
    folder: Path, accounts: int, rng: random.Random, profiles: int = 0, search_refresh: int = 0
) -> Path:
    """``accounts`` accounts, each with a feed: units, then officers with three each.

    With ``profiles``, that many units and officers instead (one unit for 49
    officers), with two accounts each, one with a feed and one on a platform
    read through an API this registry gives no token for (every tenth profile
    has a third, with a feed): about 2.1 accounts and 1.03 feeds a profile.
    """
    (folder / "themes").symlink_to(ROOT / "themes")
    if profiles:
        return _write_profiles(folder, profiles, rng, search_refresh)
    units = max(10, accounts // 50)
    lines = _site_lines(search_refresh)
    number = 0
    for u in range(units):
        lines += [*_unit(u), "    accounts:", account_line(rng, number)]
        number += 1
    lines.append("officers:")
    officer = 0
    while number < accounts:
        lines += [*_officer(officer, units), "    accounts:"]
        for _ in range(min(3, accounts - number)):
            lines.append(account_line(rng, number))
            number += 1
        officer += 1
    path = folder / "sources.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write_profiles(folder: Path, profiles: int, rng: random.Random, search_refresh: int) -> Path:
    units = max(10, profiles // 50)
    lines = _site_lines(search_refresh)
    number = 0

    def accounts(index: int) -> list[str]:
        nonlocal number
        found = [account_line(rng, number), account_line(rng, number + 1, quiet=True)]
        number += 2
        if index % 10 == 0:
            found.append(account_line(rng, number))
            number += 1
        return ["    accounts:", *found]

    for u in range(units):
        lines += [*_unit(u), *accounts(u)]
    lines.append("officers:")
    for officer in range(profiles - units):
        lines += [*_officer(officer, units), *accounts(units + officer)]
    path = folder / "sources.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _unit(u: int) -> list[str]:
    return [
        f"  - id: unit-{u}",
        f"    name: {{en: Unit {u}, fr: Unité {u}}}",
        f"    kind: {('office', 'division', 'unit', 'committee')[u % 4]}",
        f"    official: {'true' if u < 2 else 'false'}",
        "    topics: [road-safety]" if u % 3 == 0 else "    topics: [community]",
    ]


def _officer(officer: int, units: int) -> list[str]:
    return [
        f"  - name: Officer {officer}",
        "    rank: Cst",
        f"    unit: unit-{officer % units}",
        "    title: {en: Community Officer, fr: Agent communautaire}",
    ]


def _site_lines(search_refresh: int) -> list[str]:
    return [
        "site:",
        f"  search: {{refresh_minutes: {search_refresh}}}",
        "  name: {en: Bench Police Service, fr: Service de police Bench}",
        "  url: https://connect.bench.example",
        "  languages: [en, fr]",
        '  contact: {emergency: "911", non_emergency: "555-010-0000"}',
        "  disclaimer: {en: Not monitored 24/7., fr: Non surveillé en tout temps.}",
        "units:",
    ]


def fill_store(store: Store, sources: list[str], entries: int, rng: random.Random) -> None:
    for n, source in enumerate(sources):
        batch = []
        for i in range(entries):
            when = NOW - timedelta(minutes=rng.randrange(60 * 24 * 60))
            text = " ".join(rng.choice(WORDS) for _ in range(30))
            batch.append(
                Entry(
                    feed=source,
                    id=f"{source}#{i}",
                    title=f"Post {i} from feed {n}" if i % 2 else "",
                    summary=f"<p>{text}</p>",
                    link=f"https://social.bench.example/{n}/{i}",
                    published=when,
                    media=(Media(f"https://img.bench.example/{n}/{i}.jpg", "A photo"),)
                    if i % 5 == 0
                    else (),
                )
            )
        store.record_success(
            source,
            batch,
            now=NOW,
            etag=None,
            last_modified=None,
            content_hash=None,
            max_entries=entries,
        )


def new_posts_then_build(
    reg: Registry,
    content: Content,
    cache: Path,
    out: Path,
    sources: list[str],
    now: datetime,
    rng: random.Random,
) -> BuildResult:
    """One new post in each of ``sources``, stored as a fetch stores it, then a build."""
    with Store.open(cache / "store.sqlite3") as store:
        for source in sources:
            kept = store.entries([source], now=now, limit=10_000)
            text = " ".join(rng.choice(WORDS) for _ in range(30))
            new = Entry(
                feed=source,
                id=f"{source}#new-{now.isoformat()}",
                title="",
                summary=f"<p>{text}</p>",
                link=f"https://social.bench.example/new/{rng.randrange(10**9)}",
                published=now - timedelta(minutes=5),
            )
            store.record_success(
                source,
                [new, *kept],
                now=now,
                etag=None,
                last_modified=None,
                content_hash=None,
                max_entries=len(kept) + 1,
            )
    return build(reg, content, cache, out, now=now + timedelta(minutes=10))


def peak_memory_mib() -> tuple[float, float]:
    """The most resident memory this process, and any one of its children, ever held."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the render workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    result: BuildResult

    @property
    def render(self) -> float:
        return self.result.seconds.get("render", 0.0)

    @property
    def search(self) -> float:
        return self.result.seconds.get("search", 0.0)

    @property
    def publish(self) -> float:
        return self.result.seconds.get("publish", 0.0)

    @property
    def rendered(self) -> int:
        return sum(self.result.rendered.get("pages", {}).values())


def timed(label: str, action: Callable[[], BuildResult]) -> Run:
    # What earlier runs (and filling the store) wrote is still going to disk:
    # let it, so that this run's publishing is not timed behind it. And the
    # garbage an earlier build left in this process goes first, as it would
    # with the process (a build's own collection then finds next to nothing),
    # and so does the old tree an earlier build left to delete in the background.
    tree.settle()
    os.sync()
    gc.collect()
    started, cpu = time.perf_counter(), cpu_seconds()
    result = action()
    run = Run(time.perf_counter() - started, cpu_seconds() - cpu, result)
    done = result.publish
    print(
        f"{label}: {run.wall:.2f} s (render {run.render:.2f} s, search {run.search:.2f} s, "
        f"publish {run.publish:.2f} s, CPU {run.cpu:.2f} s); pages rendered "
        f"{run.rendered:,} of {result.pages:,}; files written "
        f"{done.written if done else 0:,} of {done.written + done.unchanged if done else 0:,}"
    )
    return run


def _times(runs: int) -> str:
    return "once" if runs == 1 else f"{runs} times; the median is shown"


def _row(label: str, run: Run) -> str:
    done = run.result.publish
    assert done is not None, label
    total = done.written + done.unchanged
    share = f" ({100 * done.written / total:.1f}%)" if total else ""
    return (
        f"| {label} | {run.wall:.2f} s | {run.render:.2f} s | {run.search:.2f} s "
        f"| {run.publish:.2f} s | {run.cpu:.2f} s | {run.rendered:,} of {run.result.pages:,} "
        f"| {done.written:,}{share} | {done.unchanged:,} |\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument(
        "--profiles",
        type=int,
        default=0,
        help="that many units and officers instead, about 2.1 accounts and 1.03 feeds each",
    )
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3, help="first builds to time (default 3)")
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument(
        "--search-refresh",
        type=int,
        default=0,
        metavar="MINUTES",
        help="site.search.refresh_minutes of the generated registry (default 0)",
    )
    args = parser.parse_args(argv)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        written = write_registry(folder, args.accounts, rng, args.profiles, args.search_refresh)
        reg = registry.load(written).registry
        content = load_content(folder / "content", reg.site.languages)
        cache = folder / "cache"
        with Store.open(cache / "store.sqlite3") as store:
            fill_store(store, [f.source for f in reg.feeds()], args.entries, rng)
        accounts = sum(1 for _ in reg.accounts())
        firsts = []
        for number in range(1, max(1, args.runs) + 1):
            # Each first build publishes into an empty folder of its own, and
            # none is deleted before the runs are over. On ext4 without a
            # journal, creating a file first steps over every inode deleted
            # in the last minute or more (the kernel's recently_deleted()):
            # 11,000 files made just after 11,000 were deleted cost seconds.
            out = folder / f"public-{number}"
            run = functools.partial(build, reg, content, cache, out, now=NOW)
            firsts.append(timed(f"first build {number}", run))
        first_peak, _ = peak_memory_mib()
        again = timed("rebuild, nothing changed", run)
        # An edit no page shows: everything is rendered again, nothing new is indexed.
        with reg.path.open("a", encoding="utf-8") as registry_file:
            registry_file.write("# edited: no page shows this\n")
        edited = timed("rebuild, sources.yaml edited", run)
        sources = [f.source for f in reg.feeds()]
        # A scheduled run: 1% of the feeds have one new post each; it is stored, then built.
        later = NOW + timedelta(minutes=15)
        active = rng.sample(sources, max(1, len(sources) // 100))
        scheduled = timed(
            "scheduled run, 1% of feeds with a new post",
            functools.partial(new_posts_then_build, reg, content, cache, out, active, later, rng),
        )
        quiet = timed(
            "scheduled run, nothing new, 3 hours later",
            functools.partial(build, reg, content, cache, out, now=later + timedelta(hours=3)),
        )
        full = timed(
            "the same with --full",
            functools.partial(
                build, reg, content, cache, out, now=later + timedelta(hours=3), full=True
            ),
        )
    first = sorted(firsts, key=lambda run: run.wall)[len(firsts) // 2]
    walls = ", ".join(f"{run.wall:.2f}" for run in firsts)
    own, child = peak_memory_mib()
    feeds = len(sources)
    print(
        f"{len(reg.units) + len(reg.officers):,} profiles, {accounts:,} accounts, "
        f"{feeds:,} feeds, {first.result.posts:,} posts, {first.result.pages:,} pages; "
        f"peak memory: {first_peak:,.0f} MiB after the first builds, {own:,.0f} MiB "
        f"(build), {child:,.0f} MiB (largest child)"
    )
    if args.write:
        command = " ".join(["python", "bench/build_bench.py", *(argv or sys.argv[1:])])
        rows = (
            ("first build (median)", first),
            ("rebuild, nothing changed", again),
            ("rebuild, sources.yaml edited", edited),
            (f"scheduled run: {len(active)} feeds (1%) with a new post", scheduled),
            ("scheduled run: nothing new, 3 hours later", quiet),
            ("the same store, `--full`", full),
        )
        write_section(
            ROOT / "docs" / "performance.md",
            (
                f"<!-- {SECTION} -->\n"
                "## Rendering and publishing (`hub build --offline`)\n\n"
                f"A generated registry of {len(reg.units) + len(reg.officers):,} profiles "
                f"({len(reg.units)} units, {len(reg.officers):,} officers) with "
                f"{accounts:,} accounts, {feeds:,} of them with a feed holding "
                f"{args.entries} stored entries ({first.result.posts:,} posts), rendered in "
                "English and French from the store and published to an empty folder "
                f"({_times(len(firsts))}); then rebuilt with nothing "
                "changed; rebuilt after an edit of sources.yaml that no page shows (every "
                "page is rendered again, none changes); a scheduled run where 1% of the "
                "feeds have one new post each (stored as a fetch stores it, then built, "
                "incrementally); a run with nothing new three hours later; and the same "
                "store built with `--full`. Render includes making the site model and "
                "writing the pages and feeds into the new tree; search is Pagefind indexing "
                "the officers', units' and content pages there (`hub/publish/search.py`); "
                "publish is the other files and the swap. CPU counts this process, its "
                "render workers and Pagefind.\n\n"
                "| run | wall time | render | search | publish | CPU | pages rendered "
                "| files written | files unchanged |\n"
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                + "".join(_row(label, run) for label, run in rows)
                + f"\nFirst builds: {walls} s. Peak resident memory: {first_peak:,.0f} MiB "
                f"in the build's process after the first builds, {own:,.0f} MiB after "
                f"all the runs, {child:,.0f} MiB in the largest of its child processes "
                "(render workers, Pagefind). "
                f"Measured {datetime.now(UTC).date()} with "
                f"`{command}` on {platform.system()} ({multiprocessing.cpu_count()} cores), "
                f"Python {platform.python_version()}, load average "
                f"{os.getloadavg()[0]:.1f} when it ended.\n"
                f"<!-- /{SECTION} -->\n"
            ),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
