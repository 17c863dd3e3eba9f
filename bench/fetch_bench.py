"""Benchmark of the fetch stage against a local server on many loopback hosts.

Serves N realistic RSS 2.0 feeds (gzip, ETag, Last-Modified) from a FeedServer
in a separate process, listening on 127.0.0.1 .. 127.0.0.H so the per-host
limit applies as it would across real sites, with a fixed delay before every
response to stand in for network latency. Then fetches them all twice:

- cold: no validators, every feed answers 200 with its body;
- warm: the validators from the cold run, every feed answers 304.

Prints a table; ``--write`` also replaces the ``bench:fetch`` section of
docs/performance.md. Only loopback addresses are used.

    python bench/fetch_bench.py            # 1,000 feeds, 50 hosts, 100 ms
    python bench/fetch_bench.py --write    # ... and record the figures
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email.utils
import hashlib
import multiprocessing
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
# Run as a plain script from anywhere: the project and its test server live in ROOT.
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from hub.feeds.fetch import fetch_feeds, user_agent  # noqa: E402
from hub.feeds.result import FetchResult, Validators  # noqa: E402
from hub.model import FeedRef, FetchSettings, Registry  # noqa: E402
from hub.registry import load as registry  # noqa: E402
from hub.store.database import Store  # noqa: E402
from hub.store.update import update  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402

SECTION = "bench:fetch"
PIPELINE_SECTION = "bench:pipeline"
WORDS = (
    "collision",
    "highway",
    "closed",
    "lanes",
    "detour",
    "officers",
    "community",
    "meeting",
    "youth",
    "program",
    "missing",
    "person",
    "located",
    "thank",
    "you",
    "public",
    "assistance",
    "appeal",
    "witnesses",
    "dashcam",
    "footage",
    "impaired",
    "driving",
    "checkpoint",
    "weekend",
    "safety",
    "reminder",
    "school",
    "zone",
    "speed",
    "enforcement",
    "break",
    "and",
    "enter",
    "suspect",
    "arrested",
    "charges",
    "laid",
    "fraud",
    "seniors",
    "phone",
    "scam",
    "warning",
)


@dataclass(frozen=True)
class Plan:
    feeds: int
    entries: int
    hosts: int
    delay: float
    gzip: bool
    settings: FetchSettings


@dataclass(frozen=True)
class Measurement:
    run: str
    seconds: float
    outcomes: Counter[str]
    decoded_bytes: int
    cpu: float
    """CPU seconds the fetching process used (the server has its own process)."""
    p50: float
    p95: float
    peak: int
    """Most requests the server saw in flight at once."""
    worker_cpu: float | None = None
    """CPU seconds of the parse worker processes (pipeline runs on Linux only)."""

    @property
    def per_second(self) -> float:
        return sum(self.outcomes.values()) / self.seconds


def rss(number: int, entries: int) -> bytes:
    """A plausible police division's feed: title, link, guid, date, HTML summary."""
    rng = random.Random(number)
    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    items = []
    for n in range(entries):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10))).capitalize()
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
        when = email.utils.format_datetime(start - timedelta(hours=n * 7 + number % 5))
        link = f"https://social.lakeview.example/division{number}/posts/{n}"
        items.append(
            f"<item><title>{escape(title)}</title><link>{link}</link>"
            f'<guid isPermaLink="true">{link}</guid><pubDate>{when}</pubDate>'
            f"<category>Community</category>"
            f"<description>{escape(f'<p>{body}.</p><p><a href={link!r}>More</a></p>')}"
            f"</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Division {number}</title><link>https://social.lakeview.example/division{number}"
        "</link><description>Latest from the division</description><language>en-ca</language>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def feed_path(number: int) -> str:
    return f"/feeds/division-{number}.xml"


def host_address(index: int) -> str:
    return f"127.0.0.{index + 1}"


def serve(plan: Plan, commands: Connection) -> None:
    """The server process: build the routes, report ports, answer commands until 'stop'."""
    server = FeedServer(hosts=[host_address(i) for i in range(plan.hosts)]).start()
    modified = email.utils.format_datetime(datetime(2025, 1, 6, 9, 0, tzinfo=UTC), usegmt=True)
    for number in range(plan.feeds):
        body = rss(number, plan.entries)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        server.route(
            feed_path(number),
            body=body,
            etag=etag,
            last_modified=modified,
            delay=plan.delay,
            gzip=plan.gzip,
        )
    commands.send({host: server.port(host) for host in server.hosts})
    while (command := commands.recv()) != "stop":
        if command == "peak":
            commands.send(server.peak())
        elif command == "reset":
            server.reset()
            commands.send(None)
    server.stop()


def measure(
    name: str, plan: Plan, feeds: Sequence[FeedRef], validators: dict[str, Validators],
    commands: Connection,
) -> tuple[Measurement, list[FetchResult]]:  # fmt: skip
    commands.send("reset")
    commands.recv()
    agent = user_agent("https://connect.lakeview.example")
    started, cpu = time.perf_counter(), time.process_time()
    results = asyncio.run(
        fetch_feeds(feeds, plan.settings, validators=validators, user_agent=agent)
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    commands.send("peak")
    elapsed = sorted(r.elapsed for r in results)
    quantiles = statistics.quantiles(elapsed, n=20) if len(elapsed) > 1 else elapsed * 19
    figures = Measurement(
        run=name,
        seconds=seconds,
        outcomes=Counter(r.outcome for r in results),
        decoded_bytes=sum(len(r.body or b"") for r in results),
        cpu=cpu,
        p50=statistics.median(elapsed),
        p95=quantiles[18],
        peak=commands.recv(),
    )
    return figures, results


def run_fetch(plan: Plan, commands: Connection, ports: dict[str, int]) -> list[Measurement]:
    feeds = []
    for number in range(plan.feeds):
        host = host_address(number % plan.hosts)
        url = f"http://{host}:{ports[host]}{feed_path(number)}"
        feeds.append(FeedRef(source=url, url=url))
    cold, results = measure("cold (200)", plan, feeds, {}, commands)
    validators = {r.source: r.validators for r in results if r.outcome == "ok"}
    warm, _ = measure("warm (304)", plan, feeds, validators, commands)
    return [cold, warm]


def pipeline_registry(plan: Plan, ports: dict[str, int], folder: Path) -> Registry:
    """A registry whose officers' blogs are the benchmark's feeds."""
    (folder / "themes" / "default").mkdir(parents=True, exist_ok=True)
    s = plan.settings
    lines = [
        "site:",
        "  name: Bench Police",
        "  url: https://connect.bench.example",
        "  languages: [en]",
        '  contact: {emergency: "911"}',
        f"  fetch: {{allow_private_addresses: true, concurrency: {s.concurrency}, "
        f"per_host: {s.per_host}}}",
        "units:",
        "  - {id: comms, name: Communications, kind: office}",
        "officers:",
    ]
    for number in range(plan.feeds):
        host = host_address(number % plan.hosts)
        url = f"http://{host}:{ports[host]}{feed_path(number)}"
        lines.append(
            f"  - {{name: Officer {number}, unit: comms, accounts: [{{platform: blog, "
            f"url: 'https://blog{number}.bench.example/', feed: '{url}'}}]}}"
        )
    path = folder / "sources.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return registry.load(path).registry


def reaped_children_cpu() -> float | None:
    """CPU seconds of the exited processes our child processes have reaped, or None.

    The parse workers are forked by multiprocessing's fork server, one of our
    children, which reaps them when the pool shuts down; their CPU time then
    shows in its cutime and cstime. Read from /proc, so Linux only.
    """
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        # A process may exit while we look: skip it.
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid():
                ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure_update(name: str, reg: Registry, store: Store, commands: Connection) -> Measurement:
    commands.send("reset")
    commands.recv()
    workers = reaped_children_cpu()
    started, cpu = time.perf_counter(), time.process_time()
    report = update(reg, store, now=datetime.now(UTC))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = reaped_children_cpu()
    commands.send("peak")
    return Measurement(
        run=name,
        seconds=seconds,
        outcomes=Counter(
            {
                "ok": report.counts.get("ok", 0),
                "not_modified": report.counts.get("not_modified", 0),
                "error": report.counts.get("failed", 0) + report.counts.get("gone", 0),
            }
        ),
        decoded_bytes=0,
        cpu=cpu,
        p50=0.0,
        p95=0.0,
        peak=commands.recv(),
        worker_cpu=None if workers is None or after is None else after - workers,
    )


def run_pipeline(plan: Plan, commands: Connection, ports: dict[str, int]) -> list[Measurement]:
    """fetch -> parse (worker processes) -> store (SQLite), as `hub fetch` runs it."""
    with tempfile.TemporaryDirectory() as folder:
        reg = pipeline_registry(plan, ports, Path(folder))
        with Store.open(Path(folder) / "cache" / "store.sqlite3") as store:
            cold = measure_update("cold: fetch + parse + store", reg, store, commands)
            warm = measure_update("warm: everything 304", reg, store, commands)
            stored = sum(store.counts().values())
    print(f"entries stored: {stored:,}")
    return [cold, warm]


RUNNERS: dict[str, Callable[[Plan, Connection, dict[str, int]], list[Measurement]]] = {
    "fetch": run_fetch,
    "pipeline": run_pipeline,
}


def table(measurements: Sequence[Measurement]) -> str:
    workers = any(m.worker_cpu is not None for m in measurements)
    lines = [
        "| run | wall time | feeds/s | client CPU | "
        + ("parse workers CPU | " if workers else "")
        + "ok | not modified | errors | body MiB | per feed p50 / p95 | peak in flight |",
        "| --- | ---: | ---: | ---: | " + ("---: | " if workers else "")
        + "---: | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for m in measurements:
        worker_cpu = "n/a" if m.worker_cpu is None else f"{m.worker_cpu:.2f} s"
        lines.append(
            f"| {m.run} | {m.seconds:.2f} s | {m.per_second:.0f} | {m.cpu:.2f} s | "
            + (f"{worker_cpu} | " if workers else "")
            + f"{m.outcomes['ok']} | "
            f"{m.outcomes['not_modified']} | {m.outcomes['error'] + m.outcomes['gone']} | "
            f"{m.decoded_bytes / 2**20:.1f} | {m.p50 * 1000:.0f} / {m.p95 * 1000:.0f} ms | "
            f"{m.peak} |"
        )
    return "\n".join(lines)


def section(
    plan: Plan, command: str, measurements: Sequence[Measurement], pipeline: bool = False
) -> str:
    s = plan.settings
    today = datetime.now(UTC).date().isoformat()
    name = PIPELINE_SECTION if pipeline else SECTION
    title = "Fetch, parse and store (`hub fetch`)" if pipeline else "Fetch stage"
    return (
        f"<!-- {name} -->\n"
        f"## {title}\n\n"
        f"{plan.feeds:,} RSS 2.0 feeds of {plan.entries} entries each"
        f"{' (gzip)' if plan.gzip else ''}, served from {plan.hosts} loopback addresses "
        f"with a {plan.delay * 1000:.0f} ms delay before every response; "
        f"concurrency {s.concurrency}, {s.per_host} per host. "
        "The cold run has no validators; the warm run sends the validators from the "
        "cold run and every feed answers 304.\n\n"
        f"{table(measurements)}\n\n"
        f"Measured {today} with `{command}` on {platform.system()} "
        f"({multiprocessing.cpu_count()} cores), Python {platform.python_version()}, "
        f"httpx {httpx.__version__}. The server runs in its own process on the same "
        "machine.\n"
        f"<!-- /{name} -->\n"
    )


def write_section(doc: Path, text: str) -> None:
    """Replace the marked section of ``doc``, or add it; the rest of the file is kept."""
    name = text.split(" -->", 1)[0].removeprefix("<!-- ")
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    current = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if not current:
        current = "# Performance\n\nFigures measured by the scripts in `bench/`.\n\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].removeprefix("\n")
        updated = before + text + after
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(updated, encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    defaults = FetchSettings()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=50, help="loopback addresses, at most 254")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds before each response")
    parser.add_argument("--no-gzip", action="store_true")
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--per-host", type=int, default=defaults.per_host)
    parser.add_argument(
        "--pipeline",
        action="store_true",
        help="measure fetch + parse + store (hub fetch) instead of fetching alone",
    )
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args(argv)
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be between 1 and 254")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = replace(
        FetchSettings(),
        concurrency=args.concurrency,
        per_host=args.per_host,
        allow_private_addresses=True,
    )
    plan = Plan(args.feeds, args.entries, args.hosts, args.delay, not args.no_gzip, settings)
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(plan, theirs))
    server.start()
    try:
        ports = ours.recv()
        measurements = RUNNERS["pipeline" if args.pipeline else "fetch"](plan, ours, ports)
    finally:
        ours.send("stop")
        server.join(timeout=30)
    print(table(measurements))
    if args.write:
        command = " ".join(["python", "bench/fetch_bench.py", *(argv or sys.argv[1:])])
        write_section(args.doc, section(plan, command, measurements, args.pipeline))
        print(f"updated {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
