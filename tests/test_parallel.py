"""hub.parallel: the same results as a loop, computed in forked processes when that is safe."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from hub import parallel

ROOT = Path(__file__).resolve().parents[1]


def square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


FORKED = """
import os
from hub import parallel
from tests.test_parallel import square_with_pid

results = parallel.run(square_with_pid, list(range(3)), workers=3)
assert [value for value, _ in results] == [0, 1, 4], results
pids = [pid for _, pid in results]
# The first item is worked out here, the others in forked processes.
assert pids[0] == os.getpid() and os.getpid() not in pids[1:], pids
assert 1 <= len(set(pids[1:])) <= 2, pids
print("forked", len(set(pids[1:])))
"""


def in_a_fresh_interpreter(script: str) -> str:
    """What ``script`` prints, run where no thread of an earlier test can stop a fork."""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_results_come_back_in_order_from_other_processes() -> None:
    assert in_a_fresh_interpreter(FORKED).startswith("forked")


def test_workers_inherit_memory_rather_than_pickling_it() -> None:
    unpicklable = threading.Lock()  # a closure over it could not be sent to a spawned worker

    def uses_it(n: int) -> int:
        return n + (1 if unpicklable is not None else 0)

    assert parallel.run(uses_it, [1, 2, 3], workers=2) == [2, 3, 4]


def test_one_worker_or_one_item_runs_here() -> None:
    assert {pid for _, pid in parallel.run(square_with_pid, [1, 2], workers=1)} == {os.getpid()}
    assert {pid for _, pid in parallel.run(square_with_pid, [3], workers=4)} == {os.getpid()}
    assert parallel.run(square_with_pid, [], workers=4) == []


def test_never_forks_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        results = parallel.run(square_with_pid, [1, 2, 3], workers=2)
    finally:
        stop.set()
        other.join()
    assert [value for value, _ in results] == [1, 4, 9]
    assert {pid for _, pid in results} == {os.getpid()}


def fails_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


@pytest.mark.parametrize("workers", [1, 2])
def test_an_exception_in_a_worker_is_raised_here(workers: int) -> None:
    with pytest.raises(ValueError, match="three"):
        parallel.run(fails_on_three, [1, 2, 3, 4], workers=workers)


FROZEN = """
import gc
from hub import parallel
from tests.test_parallel import square_with_pid

model = [[n] for n in range(1000)]  # what a build made and froze, to be left alone
gc.freeze()
frozen = gc.get_freeze_count()
parallel.run(square_with_pid, [1, 2, 3], workers=2)
# Still frozen once the work is done: later collections pass the model by.
assert gc.get_freeze_count() >= frozen, (gc.get_freeze_count(), frozen)
gc.unfreeze()
parallel.run(square_with_pid, [1, 2, 3], workers=2)
assert gc.get_freeze_count() == 0  # nothing was frozen before: nothing is after
print("frozen")
"""


def test_work_leaves_what_was_frozen_frozen_and_nothing_else() -> None:
    assert in_a_fresh_interpreter(FROZEN).startswith("frozen")


def test_cores_is_at_least_one() -> None:
    assert parallel.cores() >= 1


TURNS = """
from hub import parallel

turns = parallel.Turns(3)

def take_until_fifty(_: int) -> list[int]:
    taken = []
    while (number := turns.take()) < 50:
        taken.append(number)
    return taken

shares = parallel.run(take_until_fifty, [0, 1, 2], workers=3)
numbers = [n for share in shares for n in share]
assert sorted(numbers) == list(range(50)), shares
print("shared", sum(1 for share in shares if share))
"""


def test_turns_are_handed_out_once_each_among_forked_processes() -> None:
    assert in_a_fresh_interpreter(TURNS).startswith("shared")


def test_turns_for_one_worker_count_here() -> None:
    turns = parallel.Turns(1)
    assert [turns.take() for _ in range(3)] == [0, 1, 2]


AHEAD = """
import gc
import os
import tempfile
import time
from hub import parallel
from tests.test_parallel import square_with_pid

here = os.getpid()
progress = tempfile.NamedTemporaryFile()

def until_asked(asked):
    # What the forked process inherited is out of its garbage collector's way.
    assert gc.get_freeze_count() > 0
    rounds = 0
    while not asked():  # works on until the result is asked for
        rounds += 1
        with open(progress.name, "ab") as out:
            out.write(b".")
        time.sleep(0.01)
    return rounds, square_with_pid(7)

with parallel.ahead(until_asked) as result:
    # Meanwhile this process goes on, and forks nothing else.
    assert not parallel.can_fork()
    assert {pid for _, pid in parallel.run(square_with_pid, [1, 2], workers=2)} == {here}
    # Ask once the process ahead has shown it works on (however busy the machine is).
    for _ in range(6000):
        if os.path.getsize(progress.name) >= 3:
            break
        time.sleep(0.01)
    rounds, (value, pid) = result()
assert rounds >= 3 and value == 49 and pid != here, (rounds, value, pid, here)
assert parallel.can_fork() and gc.get_freeze_count() == 0
print("ahead")
"""


def test_work_ahead_runs_in_a_forked_process_until_its_result_is_asked() -> None:
    assert in_a_fresh_interpreter(AHEAD).startswith("ahead")


ONE_CORE = """
import os
from hub import parallel
from tests.test_parallel import square_with_pid

os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
with parallel.ahead(lambda asked: (asked(), square_with_pid(2))) as result:
    asked, (value, pid) = result()
# With one core the two processes would only take turns: it is done here, when asked.
assert asked and value == 4 and pid == os.getpid(), (asked, value, pid)
print("here")
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only: pins to one core")
def test_work_ahead_on_one_core_is_done_here_when_asked() -> None:
    assert in_a_fresh_interpreter(ONE_CORE).startswith("here")


def test_an_exception_ahead_is_raised_when_the_result_is_asked() -> None:
    with pytest.raises(ValueError, match="three"), parallel.ahead(lambda _: fails_on_three(3)) as r:
        r()


def test_work_ahead_without_fork_is_done_here_once_and_asked_at_once() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    calls = []

    def work(asked: Callable[[], bool]) -> tuple[int, int]:
        calls.append(asked())
        return square_with_pid(3)

    try:
        with parallel.ahead(work) as result:
            assert calls == []  # nothing is done before it is asked for
            assert result() == (9, os.getpid())
            assert result() == (9, os.getpid())
    finally:
        stop.set()
        other.join()
    assert calls == [True]
