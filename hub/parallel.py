"""Run independent pieces of the build on every core, in forked processes.

Rendering a large site is CPU work in pure Python, so threads would not help.
Forked workers inherit the site model as it is in memory: nothing is pickled
on the way in, only each piece's result on the way out, and not even that
for the first piece, which this process works out itself. :func:`run` shares
pieces out and waits for them all; :func:`ahead` starts one piece of work
and lets this process go on with another until it needs the result.

Fork is used only where it is safe: on a platform that has it (not macOS,
whose system libraries may not survive a fork), and from a process with no
other thread (a thread holding a lock at the moment of the fork would leave
that lock held forever in the child). Anywhere else, and
with one worker, the pieces run one after the other in this process, with
the same results.
"""

from __future__ import annotations

import functools
import gc
import itertools
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# What forked workers run, by key: set just before they are forked, so they inherit it.
_work: dict[int, tuple[Callable[[Any], Any], Sequence[Any]]] = {}


def cores() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return (
        sys.platform != "darwin"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def run(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[function(item) for item in items]``, spread over up to ``workers`` processes.

    This process works out the first item while ``workers - 1`` forked ones
    share the rest.

    An exception in a worker is raised here, as it would be in a loop.
    """
    workers = min(workers, len(items))
    if workers <= 1 or not can_fork():
        return [function(item) for item in items]
    key = _inherit(function, items)
    # Keep the garbage collector off the inherited objects: it would visit them
    # all again and again, and its writes would make every page a private copy.
    # Frozen already (the build's model is), they stay so when the work is done.
    frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        with _forking(workers - 1) as pool:
            others = [pool.submit(_run_one, key, index) for index in range(1, len(items))]
            # This process is one of the workers: its result needs no pickling.
            first = function(items[0])
            return [first, *(future.result() for future in others)]
    finally:
        del _work[key]
        if not frozen:
            gc.unfreeze()


@contextmanager
def ahead(work: Callable[[Callable[[], bool]], R]) -> Iterator[Callable[[], R]]:
    """``work(asked)``, done in a forked process while this one goes on.

    Gives a call that asks for the result, waits for it and returns it (or
    raises what the work raised). From the moment it is asked, ``asked()``
    is true in the work, which should then return what it has done so far:
    this process never waits long for work it could do itself. Leaving the
    block waits for the forked process to end; until then this process forks
    no other (:func:`run` works in this process alone). Where it cannot fork,
    or has one core only (where the two would take turns), nothing is done
    ahead: the work runs when it is asked, and is asked at once.
    """
    if cores() < 2 or not can_fork():
        yield functools.cache(functools.partial(work, lambda: True))
        return
    flag = multiprocessing.Value("b", 0, lock=False)
    key = _inherit(_call, [functools.partial(work, lambda: bool(flag.value))])
    try:
        with _forking(1) as pool:
            future = pool.submit(_run_one, key, 0)

            def result() -> R:
                flag.value = 1
                return future.result()

            yield result
    finally:
        del _work[key]


def _call(work: Callable[[], R]) -> R:
    # In the forked process: what it inherited is left out of its collections,
    # as run() leaves it, or each would visit it all and copy every page of it.
    gc.freeze()
    return work()


def _inherit(function: Callable[[Any], Any], items: Sequence[Any]) -> int:
    key = max(_work, default=0) + 1
    _work[key] = (function, items)
    return key


def _forking(workers: int) -> ProcessPoolExecutor:
    # Fork: the workers start as copies of this process, inheriting ``_work``.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def _run_one(key: int, index: int) -> Any:
    function, items = _work[key]
    return function(items[index])


class Turns:
    """Numbers 0, 1, 2, ... handed out once each among this process and those it forks.

    Made before :func:`run` forks, it lets the processes share work of unequal
    weight: each takes the next piece when done with the last, so none waits
    long for another at the end. With ``workers`` of 1 nothing is forked, and
    the count needs no memory shared between processes.
    """

    def __init__(self, workers: int) -> None:
        self._shared = multiprocessing.Value("q", 0) if workers > 1 else None
        self._count = itertools.count()

    def take(self) -> int:
        if self._shared is None:
            return next(self._count)
        with self._shared.get_lock():
            number: int = self._shared.value
            self._shared.value = number + 1
        return number
