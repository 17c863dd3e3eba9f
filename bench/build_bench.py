"""Benchmark of rendering and publishing (``hub build --offline``) at scale.

    python bench/build_bench.py [--accounts 5000] [--entries 20] [--write]

Generates a registry of N accounts (units and officers, each account with a
feed), fills a real store with E entries per feed, then times
``hub.pipeline.build``: a first build into an empty output folder, and a
rebuild with nothing changed (which must rewrite no file). With ``--write``
the figures replace the ``bench:build`` section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fetch_bench import write_section  # noqa: E402
from hub import registry  # noqa: E402
from hub.content import load_content  # noqa: E402
from hub.model import Entry, Media  # noqa: E402
from hub.pipeline import build  # noqa: E402
from hub.store import Store  # noqa: E402

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


def timed(label: str, action) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s")
    return seconds, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    args = parser.parse_args(argv)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        reg = registry.load(write_registry(folder, args.accounts, rng)).registry
        content = load_content(folder / "content", reg.site.languages)
        cache, out = folder / "cache", folder / "public"
        with Store.open(cache / "store.sqlite3") as store:
            fill_store(store, [f.source for f in reg.feeds()], args.entries, rng)
        accounts = sum(1 for _ in reg.accounts())
        first_s, first = timed("first build", lambda: build(reg, content, cache, out, now=NOW))
        again_s, again = timed(
            "rebuild, nothing changed", lambda: build(reg, content, cache, out, now=NOW)
        )
        print(
            f"pages: {first.pages:,}, posts: {first.posts:,}; first: {first.publish.written:,} "
            f"written; rebuild: {again.publish.written:,} written, "
            f"{again.publish.unchanged:,} unchanged"
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
                "folder, then rebuilt with nothing changed.\n\n"
                "| run | wall time | pages | files written | files unchanged |\n"
                "| --- | ---: | ---: | ---: | ---: |\n"
                f"| first build | {first_s:.2f} s | {first.pages:,} | {first.publish.written:,} | "
                f"{first.publish.unchanged:,} |\n"
                f"| rebuild, nothing changed | {again_s:.2f} s | {again.pages:,} | "
                f"{again.publish.written:,} | {again.publish.unchanged:,} |\n\n"
                f"Measured {datetime.now(UTC).date()} with `{command}` on {platform.system()} "
                f"({multiprocessing.cpu_count()} cores), Python {platform.python_version()}.\n"
                f"<!-- /{SECTION} -->\n"
            ),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
