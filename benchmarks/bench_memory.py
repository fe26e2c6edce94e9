"""Memory of the command teachers run (run by hand, not by the test suite).

    python3 benchmarks/bench_memory.py [N …] [--shared | --then-shared]
        [--outputs "--json --csv --html"]

For each class size N (default 200 2000), builds N submissions from the samples (a third
correct, a third with mistakes, a third broken but for its endless loop; each with its own
student.txt, or with
``--shared`` all carrying one id), runs the real ``grade CLASS`` with the outputs asked for
(each into a fresh temporary folder) and samples the whole process tree every 20 ms from
/proc: the peak of the tree's summed resident memory, the largest single process's own peak
(VmHWM), the wall time, and the longest JSON line.  A class must cost flat memory: the
largest N's figures against the smallest's are printed as ratios.  ``--then-shared`` then
grades the largest N once more with every submission sharing one id, and compares its
longest JSON line with the distinct ids' (a shared id must not lengthen every report).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "courses" / "lesson" / "samples"
COURSE = ROOT / "tests" / "courses" / "lesson" / "course.yml"


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc's parent links)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(argv: list[str], cwd: Path) -> tuple[float, float, float]:
    """(peak tree RSS MB, largest process peak MB, seconds) of the command ``argv``."""
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_tree, peak_one = 0, 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_one
        while not done.is_set():
            pids = {proc.pid, *_children(proc.pid)}
            rss = {p: _status_kb(p, "VmRSS") for p in pids}
            peak_tree = max(peak_tree, sum(rss.values()))
            peak_one = max(peak_one, *(_status_kb(p, "VmHWM") for p in pids))
            time.sleep(0.02)

    start = time.perf_counter()
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    proc.wait()
    seconds = time.perf_counter() - start
    done.set()
    thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"grade exited {proc.returncode}: {' '.join(argv)}")
    return peak_tree / 1024, peak_one / 1024, seconds


def build(folder: Path, n: int, shared: bool) -> None:
    """N submissions; the broken ones without their endless loop (it costs its timeout, and
    memory is what is measured here: bench_grade.py measures time)."""
    kinds = ("perfect", "mistakes", "broken")
    for k in range(n):
        dest = folder / f"s{k:05d}"
        shutil.copytree(SAMPLES / kinds[k % 3], dest)
        if kinds[k % 3] == "broken":
            shutil.copy(SAMPLES / "perfect" / "S.py", dest / "S.py")
        (dest / "student.txt").write_text("same\n" if shared else f"student{k:05d}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 2000])
    parser.add_argument("--shared", action="store_true", help="every submission one id")
    parser.add_argument(
        "--then-shared", action="store_true", help="and the largest N again with one id"
    )
    parser.add_argument("--outputs", default="--json --csv --html")
    args = parser.parse_args()
    rows = []
    runs = [(n, args.shared) for n in args.sizes]
    if args.then_shared:
        runs.append((args.sizes[-1], True))
    for n, shared in runs:
        with tempfile.TemporaryDirectory() as tmp:
            klass = Path(tmp) / "class"
            build(klass, n, shared)
            outputs = []
            for option in args.outputs.split():
                target = {
                    "--json": "g.jsonl", "--csv": "g.csv", "--html": "html",
                    "--canvas": "canvas.csv", "--moodle": "moodle.csv",
                }[option]  # fmt: skip
                outputs += [option, str(Path(tmp) / target)]
            argv = [sys.executable, "-m", "cli.grade", str(klass), "--course", str(COURSE)]
            tree, one, seconds = measure([*argv, *outputs], ROOT)
            longest = 0
            jsonl = Path(tmp) / "g.jsonl"
            if jsonl.exists():
                with jsonl.open("rb") as f:
                    longest = max((len(line) for line in f), default=0)
            rows.append((n, tree, one, seconds, longest, shared))
            print(
                f"N={n:6d}{' shared id' if shared else ''}: tree peak {tree:7.1f} MB, "
                f"largest process {one:7.1f} MB, {seconds:6.1f} s, longest JSON line "
                f"{longest / 1024:.1f} KB",
                flush=True,
            )
    alike = [r for r in rows if r[5] == args.shared]
    if len(alike) > 1:
        first, last = alike[0], alike[-1]
        print(
            f"{last[0]} against {first[0]}: tree ×{last[1] / first[1]:.2f}, largest process "
            f"×{last[2] / first[2]:.2f}, longest line ×{last[4] / max(first[4], 1):.2f}"
        )
    if args.then_shared:
        distinct, one_id = alike[-1], rows[-1]
        print(
            f"one id for all {one_id[0]}: tree ×{one_id[1] / distinct[1]:.2f}, largest "
            f"process ×{one_id[2] / distinct[2]:.2f}, longest JSON line "
            f"{one_id[4] / 1024:.1f} KB against {distinct[4] / 1024:.1f} KB with distinct ids"
        )


if __name__ == "__main__":
    main()
