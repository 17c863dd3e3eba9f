"""The parse workers: processes that parse feeds beside the one that fetches them.

Each worker is a process of this module's own, started by multiprocessing's
fork server, with a pipe to the process that starts it (:class:`Parsers`),
which knows which feed each is parsing. A worker bounds what one hostile feed
can cost: a memory ceiling per worker (:data:`WORKER_MEMORY`) and a time
limit per feed (:data:`PARSE_SECONDS`). One that takes too long is killed,
one that dies is noticed, and another is started in its place; the feed it
held gets the error and the other workers go on.

Every feed comes back as an answer: its :class:`ParsedFeed`, or a
:class:`Failure` whose ``internal`` names the exception's class when the
failure is one no feed should cause (a bug in a parser, or no worker that
would start), so that the caller can tell a bug from a bad feed.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import connection
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from hub.feeds import expatreader
from hub.feeds.drafts import FeedError, ParsedFeed
from hub.feeds.parse import UnexpectedError, parse_feed
from hub.feeds.result import FetchResult

PARSE_SECONDS = 20.0
"""Longest one feed may take to parse before it counts as that feed's error."""
START_SECONDS = 60.0
"""Longest a parse worker may take to start (a loaded machine), before it is replaced."""
STARTS = 3
"""Workers that may fail to start in a row before parsing is given up for the run."""
WORKER_MEMORY = 1024 * 1024 * 1024
"""Address space a parse worker may take beyond what it has when it starts:
a hostile feed fails, the build does not."""
TOO_LARGE = "too large to parse within the memory limit"
NO_WORKER = "no parse worker would start"


@dataclass(frozen=True)
class Failure:
    """A worker's answer for a feed it could not parse."""

    message: str
    internal: str | None = None
    """The unexpected exception's class, when it was one: a failure no feed should cause."""


Answer = ParsedFeed | Failure
Work = tuple[bytes, str, dict[str, Any]]
"""What a worker parses: body, source, and :func:`~hub.feeds.parse.parse_feed`'s options."""


@dataclass(frozen=True)
class _Setup:
    """What a parse worker is started with."""

    parse: Callable[..., ParsedFeed]
    memory: int
    """Address space it may take beyond what it starts with (bytes)."""
    buffered_reader: bool
    """Whether feedparser reads with hub.feeds.expatreader, as this process found."""


def _parse_job(body: bytes, source: str, options: dict[str, Any]) -> ParsedFeed:
    """What a worker does with one feed."""
    return parse_feed(body, source, **options)


def _limit_memory(headroom: int) -> None:
    ceiling = _address_space() + headroom
    with contextlib.suppress(ValueError, OSError):
        # A lower hard limit already in force is stricter still: keep it.
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            ceiling = min(ceiling, hard)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _address_space() -> int:
    """This process's address space in bytes; 0 where the system does not say."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _work(pipe: Connection, setup: _Setup) -> None:
    """A parse worker: answers each piece of work the pipe brings, until it closes."""
    _limit_memory(setup.memory)
    if not setup.buffered_reader:
        expatreader.stop_using()
    pipe.send(os.getpid())  # ready: from now on, the time it takes is the feeds'
    while True:
        try:
            work = pipe.recv()
        except EOFError:
            return
        except MemoryError:
            pipe.send(Failure(TOO_LARGE))
            continue
        if work is None:
            return
        answer = _attempt(setup.parse, work)
        try:
            pipe.send(answer)
        except MemoryError:
            pipe.send(Failure(TOO_LARGE))
        except Exception as error:  # an answer that does not pickle
            pipe.send(_unexpected(error))


def _attempt(parse: Callable[..., ParsedFeed], work: Work) -> Answer:
    try:
        return parse(*work)
    except UnexpectedError as error:
        return Failure(str(error), error.kind)
    except FeedError as error:
        return Failure(str(error))
    except MemoryError:
        return Failure(TOO_LARGE)
    except Exception as error:
        return _unexpected(error)


def _unexpected(error: Exception) -> Failure:
    unexpected = UnexpectedError.of(error)
    return Failure(str(unexpected), unexpected.kind)


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    pipe: Connection
    """This process's end of the worker's pipe."""
    since: float
    """When it started, or (once ready) started on its first feed: time.monotonic."""
    ready: bool = False
    """Whether it said it is ready (it sends its pid)."""
    jobs: deque[tuple[FetchResult, Work]] = field(default_factory=deque)
    """The feeds sent to it and not yet answered: it parses the first."""

    @property
    def due(self) -> float:
        return self.since + (PARSE_SECONDS if self.ready else START_SECONDS)


class Parsers:
    """Parse workers this process starts, keeps busy, and kills when one hangs.

    Work goes to a worker with nothing to do (one is started while there
    are fewer than ``size``); a small piece may also go to a worker that has
    one already, so that it finds its next in its pipe (:data:`AHEAD_BYTES`);
    the rest waits in a queue. :meth:`submit`, :meth:`finished` and
    :meth:`rest` look in on the workers: each answer read is kept for
    :meth:`finished`; a worker past :data:`PARSE_SECONDS` on one feed is
    killed, and a worker that ended without answering is let go; either
    way the feed it was parsing gets the error, and what was sent after it
    goes back to the queue, for the others and their replacements.
    """

    AHEAD_BYTES = 48 * 1024
    """Work this small is sent to a busy worker: the pipe takes it without waiting
    (a few hundred KiB fit), so a worker that hangs can never hold this process up."""

    def __init__(self, buffered_reader: bool, preload: Sequence[str] = ()) -> None:
        """``buffered_reader``: whether the workers read XML with hub.feeds.expatreader.

        ``preload``: modules the fork server that forks the workers imports
        once, so that they inherit them. A new worker first imports the main
        module (the hub command, build.py) and all it imports: up to half a
        second of CPU each. (No effect once this process's fork server runs:
        it has them already.)
        """
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(list(preload))
        # The fork server, started now, imports them while the first feeds download; started
        # by the first submit, it would hold up the fetching until it is ready.
        # Started while this process ignores Ctrl-C, it and its workers ignore
        # it too (it would ignore it anyway, but only once those imports are
        # done): this process alone stops the fetch, and says so once.
        main = threading.current_thread() is threading.main_thread()
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            if main:
                signal.signal(signal.SIGINT, handler)
        self.size = max(1, min(4, os.cpu_count() or 1))
        self.setup = _Setup(_parse_job, WORKER_MEMORY, buffered_reader)
        self.workers: list[_Worker] = []
        self.queue: deque[tuple[FetchResult, Work]] = deque()
        self.answers: deque[tuple[FetchResult, Answer]] = deque()
        self.failed_starts = 0
        """Workers that ended or hung before they were ready, since one was."""
        self.loop: asyncio.AbstractEventLoop | None = None
        self.on_ready: Callable[[], None] = lambda: None

    def watch(self, loop: asyncio.AbstractEventLoop | None, on_ready: Callable[[], None]) -> None:
        """Call ``on_ready`` on ``loop`` whenever a worker has answered or ended (None: stop).

        While feeds download, the answers are read and the next feeds sent
        as soon as a worker is done, not only when a download ends.
        """
        for worker in self.workers:
            self._unwatch(worker)
        self.loop, self.on_ready = loop, on_ready
        for worker in self.workers:
            self._watch(worker)

    def _watch(self, worker: _Worker) -> None:
        if self.loop is not None:
            self.loop.add_reader(worker.pipe.fileno(), self.on_ready)
            self.loop.add_reader(worker.process.sentinel, self.on_ready)

    def _unwatch(self, worker: _Worker) -> None:
        if self.loop is not None:
            self.loop.remove_reader(worker.pipe.fileno())
            self.loop.remove_reader(worker.process.sentinel)

    def submit(
        self,
        result: FetchResult,
        max_entries: int,
        platform: str | None = None,
        profile: str | None = None,
    ) -> None:
        """Parse this feed's body in a worker; its answer comes out of :meth:`finished`.

        ``platform`` and ``profile`` are its account's: a body that is no feed
        is read as that platform's answer.
        """
        assert result.body is not None
        options = {
            "headers": dict(result.headers),
            "base_url": result.final_url,
            "max_entries": max_entries,
            "platform": platform,
            "profile": profile,
        }
        work = (result.body, result.source, options)
        self.queue.append((result, work))
        self._dispatch()

    def finished(self) -> Iterator[tuple[FetchResult, Answer]]:
        """The answers in by now, each once."""
        self._turn(0.0)
        while self.answers:
            yield self.answers.popleft()

    def rest(self) -> Iterator[tuple[FetchResult, Answer]]:
        """Every answer still to come, as each comes."""
        while True:
            while self.answers:
                yield self.answers.popleft()
            busy = [w.due for w in self.workers if w.jobs or not w.ready]
            if not busy and not self.queue:
                return
            self._turn(max(0.0, min(busy, default=0.0) - time.monotonic()))

    def close(self) -> None:
        """Stop every worker: those waiting for work end, one still parsing is killed."""
        for worker in self.workers:
            if not worker.jobs:
                with contextlib.suppress(OSError):
                    worker.pipe.send(None)
        for worker in list(self.workers):
            if not worker.jobs:
                worker.process.join(10)
            self._retire(worker)

    def _turn(self, timeout: float) -> None:
        """Hand out queued work, read the answers that come within ``timeout``, and
        give up on workers past their time."""
        self._dispatch()
        if not self.workers:
            return
        watched: dict[object, _Worker] = {w.pipe: w for w in self.workers}
        watched.update((w.process.sentinel, w) for w in self.workers)
        ready = [watched[found] for found in connection.wait(list(watched), timeout)]
        for worker in list(self.workers):  # once each, though its pipe and its end be ready
            if worker not in ready:
                continue
            if worker.jobs or not worker.ready:
                self._take(worker)
            else:
                self._retire(worker)  # it ended while waiting for work
        now = time.monotonic()
        for worker in list(self.workers):
            if (worker.jobs or not worker.ready) and now >= worker.due:
                self._give_up(worker, f"took longer than {PARSE_SECONDS:g} s to parse")
        self._dispatch()

    def _dispatch(self) -> None:
        while self.queue:
            if self.failed_starts >= STARTS:
                result, _ = self.queue.popleft()
                self.answers.append((result, Failure(NO_WORKER, internal=NO_WORKER)))
                continue
            worker = self._free(len(self.queue[0][1][0]) <= self.AHEAD_BYTES)
            if worker is None:
                return
            job = self.queue.popleft()
            if worker.ready and not worker.jobs:
                worker.since = time.monotonic()
            worker.jobs.append(job)
            try:
                worker.pipe.send(job[1])
            except OSError:
                self._give_up(worker, self._crashed(worker))

    def _free(self, small: bool) -> _Worker | None:
        """A worker with nothing to do, started if need be; for ``small`` work, else
        one with one feed to parse; None when there is none."""
        for worker in [w for w in self.workers if not w.jobs]:
            if worker.process.is_alive():
                return worker
            self._retire(worker)  # ended while waiting for work
        if len(self.workers) < self.size:
            ours, theirs = self.context.Pipe()
            process = self.context.Process(
                target=_work, args=(theirs, self.setup), name="hub-parse", daemon=True
            )
            process.start()
            theirs.close()
            worker = _Worker(process, ours, time.monotonic())
            self.workers.append(worker)
            self._watch(worker)
            return worker
        if small:
            return min(
                (w for w in self.workers if len(w.jobs) == 1), key=lambda w: w.since, default=None
            )
        return None

    def _take(self, worker: _Worker) -> None:
        """Read the answer of a worker whose pipe is ready, or whose process ended."""
        try:
            if not worker.pipe.poll():
                raise EOFError  # it ended without a word
            answer: Answer = worker.pipe.recv()
        except (EOFError, OSError):
            self._give_up(worker, self._crashed(worker))
            return
        except Exception as error:  # an answer this process cannot unpickle
            answer = _unexpected(error)
        worker.since = time.monotonic()  # on to the next feed, if it has one
        if not worker.ready:  # its first word: its pid
            worker.ready, self.failed_starts = True, 0
            return
        result, _ = worker.jobs.popleft()
        self.answers.append((result, answer))

    def _give_up(self, worker: _Worker, message: str) -> None:
        """Fail the feed the worker was parsing; what was sent after it goes back in line.

        A worker that never got ready was parsing nothing: all it held goes back.
        """
        jobs, worker.jobs = worker.jobs, deque()
        self._retire(worker)
        if not worker.ready:
            self.failed_starts += 1
        elif jobs:
            result, _ = jobs.popleft()
            self.answers.append((result, Failure(message)))
        self.queue.extendleft(reversed(jobs))

    def _crashed(self, worker: _Worker) -> str:
        worker.process.join(10)
        code = worker.process.exitcode
        how = f" (signal {-code})" if code is not None and code < 0 else ""
        return f"the parser crashed on this feed{how}"

    def _retire(self, worker: _Worker) -> None:
        """Kill the worker if it still runs, and forget it."""
        self._unwatch(worker)
        self.workers.remove(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(10)
        worker.pipe.close()
        if worker.process.exitcode is not None:
            worker.process.close()
