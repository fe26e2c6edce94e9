"""Benchmark of ``grade --teams``, the whole command (run by hand, not by the test suite).

    python3 benchmarks/bench_teams.py [--teams 8] [--slow 4] [--rounds 5] [--base DIR]
        [--workers N]

Builds a class in a temporary folder from the release's solutions, each student's at their
own id (``publish.stubs``, as tests/test_teams.py does): ``--teams`` teams of six, one
student a node of the lesson (A B C G S L), the S owner of ``--slow`` of them slow (50 ms a
call of S, in grading and in the round).  Times ``grade CLASS --teams teams.csv --json
out.jsonl`` of this checkout and of ``--base`` (an earlier one: ``git archive <commit> | tar
-x -C DIR``), alternating, ``--rounds`` runs each after one warm-up run each, both run as
``python -m cli.grade`` from their own folder with the test suite's lesson course.  Prints
each one's median, minimum and maximum, the median ratio of paired runs, the load average
before and after (the machine may be shared: alternating keeps the comparison fair), and
whether every team line, every member's line (but how long its code ran and the grader's
fingerprint) and the terminal are identical across versions.  Then one run of this checkout
with ``BACKPROP_TIMELINE``: how many rounds started before the last submission was graded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "tests" / "courses" / "lesson" / "course.yml"
NODES = ("A", "B", "C", "G", "S", "L")
NAMES = ("ann", "bob", "cat", "dan", "eve", "fay")
SLOW = ("S.py", "def S(G):\n", "def S(G):\n    import time; time.sleep(0.05)\n")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def make_class(folder: Path, teams: int, slow: int) -> Path:
    """The class's folders and its roster (returned): team t1 … tN, six each."""
    sys.path.insert(0, str(ROOT))
    from grader.course.loader import load_course
    from publish.stubs import stubs

    course = load_course(LESSON)
    rows = ["team,student,node"]
    for k in range(1, teams + 1):
        for name, node in zip(NAMES, NODES):
            student = f"t{k}_{name}"
            files = dict(stubs(course, "en", solution=True, student=student))
            if node == "S" and k <= slow:
                name_, old, new = SLOW
                files[name_] = files[name_].replace(old, new)
            (folder / "class" / student).mkdir(parents=True)
            for file, text in files.items():
                (folder / "class" / student / file).write_text(text)
            rows.append(f"t{k},{student},{node}")
    roster = folder / "teams.csv"
    roster.write_text("\n".join(rows) + "\n")
    return roster


def command(folder: Path, roster: Path, out: Path, workers: int | None) -> list[str]:
    more = ["--workers", str(workers)] if workers else []
    return [
        sys.executable, "-m", "cli.grade", str(folder / "class"), "--teams", str(roster),
        "--json", str(out), "--course", str(LESSON), "--lang", "en", *more,
    ]  # fmt: skip


def timed(
    tree: Path, cmd: list[str], out: Path, env: dict[str, str] | None = None
) -> tuple[float, str]:
    """One run from ``tree`` (a fresh --json file): its wall time, and what it printed."""
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    r = subprocess.run(
        cmd, cwd=tree, check=True, capture_output=True, text=True, env=env or tree_env(tree)
    )
    return time.perf_counter() - start, r.stdout


def tree_env(tree: Path) -> dict[str, str]:
    return dict(ENV, PYTHONPATH=str(tree))


def lines(out: Path) -> dict[str, dict]:
    """Each team's line and each member's, but how long its code ran and the grader's
    fingerprint (its code differs between versions)."""
    found = {}
    for obj in map(json.loads, out.read_text().splitlines()):
        obj.pop("sandbox_seconds", None)
        obj.pop("course_digest", None)
        found[obj.get("team") if obj.get("kind") == "team" else obj["student"]] = obj
    return found


def overlap(tree: Path, cmd: list[str], out: Path, folder: Path) -> str:
    """One run with BACKPROP_TIMELINE: the rounds that started before the last submission
    was graded, and the run's span."""
    log = folder / "timeline.jsonl"
    log.unlink(missing_ok=True)
    timed(tree, cmd, out, dict(tree_env(tree), BACKPROP_TIMELINE=str(log)))
    if not log.exists():
        return "no timeline (a version without BACKPROP_TIMELINE)"
    events = [json.loads(line) for line in log.read_text().splitlines()]
    graded = max(e["time"] for e in events if e["event"] == "graded")
    rounds = [e["time"] for e in events if e["event"] == "round"]
    early = sum(t < graded for t in rounds)
    return f"{early} of {len(rounds)} rounds started before the last submission was graded"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=8)
    parser.add_argument("--slow", type=int, default=4, help="teams whose S owner is slow")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--base", type=Path, help="an earlier checkout, measured alternately")
    parser.add_argument("--workers", type=int, default=None)
    opts = parser.parse_args()
    trees = {**({"before": opts.base.resolve()} if opts.base else {}), "now": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster = make_class(folder, opts.teams, opts.slow)
        out = folder / "out.jsonl"
        cmd = command(folder, roster, out, opts.workers)
        load = os.getloadavg()
        for tree in trees.values():  # warm: the course cache, the page cache
            timed(tree, cmd, out)
        times: dict[str, list[float]] = {name: [] for name in trees}
        found: dict[str, tuple[dict, str]] = {}
        for _ in range(opts.rounds):
            for name, tree in trees.items():
                seconds, printed = timed(tree, cmd, out)
                times[name].append(seconds)
                found[name] = lines(out), printed
        n = opts.teams * len(NAMES)
        print(f"grade --teams: {n} students in {opts.teams} teams, {opts.slow} slow S owners")
        for name, ts in times.items():
            print(
                f"{name:>7s}: median {statistics.median(ts):.2f} s, min {min(ts):.2f}, "
                f"max {max(ts):.2f} ({len(ts)} runs)"
            )
        if len(times) == 2:  # the runs were paired: their ratio is what load moves least
            ratios = [now / before for before, now in zip(*times.values())]
            print(f"now / before, paired runs: median {statistics.median(ratios):.3f}")
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*load))
        print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        first, *others = found.values()
        same = all(f == first for f in others)
        print("team and member lines, and the terminal, identical across versions:", same)
        print("now:", overlap(ROOT, cmd, out, folder))


if __name__ == "__main__":
    main()
