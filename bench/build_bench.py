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
from hub.model import Entry, Media  # noqa: E402
from hub.pipeline import BuildResult, build  # noqa: E402
from hub.registry import load as registry  # noqa: E402
from hub.site.content import load_content  # noqa: E402
from hub.store.database import Store  # noqa: E402

SECTION = "bench:build"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PLATFORMS = ("mastodon", "bluesky", "youtube")
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


def account_line(rng: random.Random, number: int) -> str:
    platform_name = PLATFORMS[number % len(PLATFORMS)]
    if platform_name == "mastodon":
        handle = f'"@user{number}@police.bench.example"'
    elif platform_name == "bluesky":
        handle = f"user{number}.bench.example"
    else:
        handle = "UC" + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(22)
        )
    return f"      - {{platform: {platform_name}, handle: {handle}}}"


def write_registry(folder: Path, accounts: int, rng: random.Random) -> Path:
    (folder / "themes").symlink_to(ROOT / "themes")
    units = max(10, accounts // 50)
    lines = [
        "site:",
        "  name: {en: Bench Police Service, fr: Service de police Bench}",
        "  url: https://connect.bench.example",
        "  languages: [en, fr]",
        '  contact: {emergency: "911", non_emergency: "555-010-0000"}',
        "  disclaimer: {en: Not monitored 24/7., fr: Non surveillé en tout temps.}",
        "units:",
    ]
    number = 0
    for u in range(units):
        lines += [
            f"  - id: unit-{u}",
            f"    name: {{en: Unit {u}, fr: Unité {u}}}",
            f"    kind: {('office', 'division', 'unit', 'committee')[u % 4]}",
            f"    official: {'true' if u < 2 else 'false'}",
            "    topics: [road-safety]" if u % 3 == 0 else "    topics: [community]",
            "    accounts:",
            account_line(rng, number),
        ]
        number += 1
    lines.append("officers:")
    officer = 0
    while number < accounts:
        lines += [
            f"  - name: Officer {officer}",
            "    rank: Cst",
            f"    unit: unit-{officer % units}",
            "    title: {en: Community Officer, fr: Agent communautaire}",
            "    accounts:",
        ]
        for _ in range(min(3, accounts - number)):
            lines.append(account_line(rng, number))
            number += 1
        officer += 1
    path = folder / "sources.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


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


def timed(label: str, action: Callable[[], BuildResult]) -> Run:
    # What earlier runs (and filling the store) wrote is still going to disk:
    # let it, so that this run's publishing is not timed behind it. And the
    # garbage an earlier build left in this process goes first, as it would
    # with the process (a build's own collection then finds next to nothing).
    os.sync()
    gc.collect()
    started, cpu = time.perf_counter(), cpu_seconds()
    result = action()
    run = Run(time.perf_counter() - started, cpu_seconds() - cpu, result)
    print(
        f"{label}: {run.wall:.2f} s (render {run.render:.2f} s, search {run.search:.2f} s, "
        f"publish {run.publish:.2f} s, CPU {run.cpu:.2f} s)"
    )
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3, help="first builds to time (default 3)")
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    args = parser.parse_args(argv)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        reg = registry.load(write_registry(folder, args.accounts, rng)).registry
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
        again = timed("rebuild, nothing changed", run)
        # An edit no page shows: everything is rendered again, nothing new is indexed.
        with reg.path.open("a", encoding="utf-8") as registry_file:
            registry_file.write("# edited: no page shows this\n")
        edited = timed("rebuild, sources.yaml edited", run)
    first = sorted(firsts, key=lambda run: run.wall)[len(firsts) // 2]
    assert first.result.publish is not None and again.result.publish is not None
    assert edited.result.publish is not None
    walls = ", ".join(f"{run.wall:.2f}" for run in firsts)
    print(
        f"pages: {first.result.pages:,}, posts: {first.result.posts:,}; first: "
        f"{first.result.publish.written:,} written; rebuild: {again.result.publish.written:,} "
        f"written, {again.result.publish.unchanged:,} unchanged; first builds: {walls} s"
    )
    if args.write:
        command = " ".join(["python", "bench/build_bench.py", *(argv or sys.argv[1:])])
        write_section(
            ROOT / "docs" / "performance.md",
            (
                f"<!-- {SECTION} -->\n"
                "## Rendering and publishing (`hub build --offline`)\n\n"
                f"A generated registry of {accounts:,} accounts ({len(reg.units)} units, "
                f"{len(reg.officers):,} officers), every account with a feed holding "
                f"{args.entries} stored entries ({accounts * args.entries:,} entries), "
                "rendered in English and French from the store and published to an empty "
                f"folder ({len(firsts)} times; the median is shown), then rebuilt with "
                "nothing changed, then rebuilt after an edit of sources.yaml that no page "
                "shows (every page is rendered again; none changes, so the search index is "
                "carried over). Render includes writing the pages and feeds into the "
                "new tree, as the render processes do; search is Pagefind indexing the "
                "officers', units' and content pages there (`hub/publish/search.py`); "
                "publish is the other files and the swap. CPU counts this process, its "
                "render workers and Pagefind.\n\n"
                "| run | wall time | render | search | publish | CPU | pages | files written "
                "| files unchanged |\n"
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                + "".join(
                    f"| {label} | {run.wall:.2f} s | {run.render:.2f} s | {run.search:.2f} s "
                    f"| {run.publish:.2f} s "
                    f"| {run.cpu:.2f} s | {run.result.pages:,} | {report.written:,} "
                    f"| {report.unchanged:,} |\n"
                    for label, run, report in (
                        ("first build (median)", first, first.result.publish),
                        ("rebuild, nothing changed", again, again.result.publish),
                        ("rebuild, sources.yaml edited", edited, edited.result.publish),
                    )
                )
                + f"\nFirst builds: {walls} s. Measured {datetime.now(UTC).date()} with "
                f"`{command}` on {platform.system()} ({multiprocessing.cpu_count()} cores), "
                f"Python {platform.python_version()}.\n"
                f"<!-- /{SECTION} -->\n"
            ),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
