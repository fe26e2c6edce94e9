"""Benchmark of the reference (run by hand, not by the test suite).

    python3 benchmarks/bench_reference.py

Prints: a cold `course trace` (table and --json) against a bare `python3 -c pass` measured in
the same run, and how many points per second the vectorised evaluation of the whole model
(values, local derivatives and the gradient) reaches.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
AT = "x1=1,x2=2,x3=3,w1=.1,w2=.2,w3=.3,gold=1"


# A new process each time, with bytecode caches allowed as on a teacher's machine (this
# workplace sets PYTHONDONTWRITEBYTECODE, which would make every start compile the sources).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], runs: int = 9) -> float:
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=ENV)  # warm the caches
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from reference.course.model import load_model

    # The interpreter's own script, not a version manager's shim that would add its own start-up.
    course = shutil.which("course", path=sysconfig.get_path("scripts")) or sys.exit(
        "install first: pip install -e ."
    )
    bare = wall([sys.executable, "-c", "pass"])
    as_json = wall([course, "trace", "--at", AT, "--json"])
    table = wall([course, "trace", "--at", AT])
    print(f"python3 -c pass            {bare * 1000:7.1f} ms")
    print(f"course trace --json (cold) {as_json * 1000:7.1f} ms  = {as_json / bare:4.1f} × bare")
    print(f"course trace (table, cold) {table * 1000:7.1f} ms  = {table / bare:4.1f} × bare")

    model = load_model(ROOT / "course.yml")
    rng = np.random.default_rng(0)
    for n in (1_000, 10_000, 100_000, 1_000_000):
        point = model.sample(rng, n)
        model.trace(point)  # warm-up
        reps = max(3, 300_000 // n)
        t = time.perf_counter()
        for _ in range(reps):
            model.trace(point)
        per = (time.perf_counter() - t) / reps
        print(f"trace at {n:>9,} points: {per * 1000:8.2f} ms  = {n / per:12,.0f} points/s")


if __name__ == "__main__":
    main()
