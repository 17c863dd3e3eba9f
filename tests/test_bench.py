"""The benchmark scripts still run: each one, tiny, without writing its figures.

They are not tests of speed (nothing here looks at a clock); they import the
library as a user would, so a moved or renamed module breaks them here first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RUNS = {
    "registry": ["bench/registry_bench.py", "--runs", "1"],
    "build": ["bench/build_bench.py", "--accounts", "30", "--entries", "60", "--runs", "1"],
    "build-profiles": [
        "bench/build_bench.py", "--profiles", "40", "--entries", "5", "--runs", "1",
        "--search-refresh", "60",
    ],
    "fetch": ["bench/fetch_bench.py", "--feeds", "12", "--hosts", "3", "--delay", "0"],
    "images": ["bench/images_bench.py", "--photos", "2"],
    "fetch-pipeline": [
        "bench/fetch_bench.py", "--pipeline", "--feeds", "12", "--hosts", "3", "--delay", "0",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_benchmark_runs_and_prints_its_figures(name: str) -> None:
    doc = (ROOT / "docs" / "performance.md").read_bytes()
    done = subprocess.run(
        [sys.executable, *RUNS[name]], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert " s" in done.stdout, done.stdout
    assert (ROOT / "docs" / "performance.md").read_bytes() == doc
