"""What ``grade --similarity`` costs (issue 31; run by hand, not by the test suite).

    python3 benchmarks/bench_similarity.py [N] [--rounds R]

Builds a class of N (default 300) from the project's own release, as tests/test_similarity.py
builds its class (tests/similarity_class.py): each student the release solved at their own id
and rewritten in a style of their own, among them two disguised copies, one plain copy and one
student with a classmate's numbers.  Then the real command, ``grade CLASS --json F`` and
``grade CLASS --json F --similarity DIR``, alternating R rounds (default 3), each from a fresh
``--json`` file; the medians, their difference, and what the report found.  Then, in this
process, where the similarity report's own time goes, from the saved report lines: reading
and fingerprinting each submission (done while the class is graded, in the real command), the
pairs (the numbers index and the code's), the page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
COURSE = ROOT / "tests" / "courses" / "lesson" / "course.yml"


def make_class(folder: Path, n: int) -> None:
    from similarity_class import Student, write_student

    from grader.course.loader import load_course

    course = load_course(COURSE)
    students = [Student(f"s{i:03d}", f"style-{i}") for i in range(n - 4)]
    students += [
        Student("copy-a", "style-1", disguised=True),
        Student("copy-b", "style-2", disguised=True),
        Student("copy-c", "style-3"),
        Student("numbers", "style-numbers", numbers="s005"),
    ]
    for s in students:
        write_student(course, folder, s)


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cli.grade", *args, "--course", str(COURSE), "--lang", "en"],
        cwd=ROOT, check=True, capture_output=True, env=ENV,
    )  # fmt: skip
    return time.perf_counter() - t


def whole(klass: Path, tmp: Path, rounds: int) -> Path:
    """The real command with and without --similarity, alternating; the last --json file."""
    out, sim = tmp / "g.jsonl", tmp / "sim"
    times: dict[str, list[float]] = {"grade": [], "grade --similarity": []}
    for _ in range(rounds):
        for label in times:
            out.unlink(missing_ok=True)
            shutil.rmtree(sim, ignore_errors=True)
            more = ["--similarity", str(sim)] if "similarity" in label else []
            times[label].append(timed([str(klass), "--json", str(out), *more]))
    for label, values in times.items():
        print(f"{label:24s} median {statistics.median(values):6.2f} s  ({values})")
    extra = [b - a for a, b in zip(times["grade"], times["grade --similarity"])]
    print(f"{'difference':24s} median {statistics.median(extra):6.2f} s  ({extra})")
    report = json.loads((sim / "similarity.json").read_text(encoding="utf-8"))
    flagged = [
        (p["a"], p["b"], p["code_score"], len(p["numbers"]))
        for p in report["pairs"]
        if p["flagged"]
    ]
    print(f"pairs listed {len(report['pairs'])}; flagged (a, b, code, numbers): {flagged}")
    return out


def phases(lines_file: Path) -> None:
    """The report's own steps, in this process, from the report lines."""
    from cli.similarity import Evidence, page
    from grader.course.loader import load_course

    course = load_course(COURSE)
    lines = [json.loads(x) for x in lines_file.read_text(encoding="utf-8").splitlines()]
    t = time.perf_counter()
    evidence = Evidence(course, "en")
    for line in lines:
        evidence.add(line)
    took = {"read and fingerprint each (while grading)": time.perf_counter() - t}
    t = time.perf_counter()
    pairs = evidence.pairs(course.model.similarity_threshold)
    took["pairs: numbers index, code index, slices"] = time.perf_counter() - t
    t = time.perf_counter()
    page.html(evidence, pairs, course.model.similarity_threshold, "en")
    took["page"] = time.perf_counter() - t
    for label, seconds in took.items():
        print(f"  {label:44s} {seconds:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        klass = Path(tmp) / "class"
        make_class(klass, args.n)
        lines = whole(klass, Path(tmp), args.rounds)
        phases(lines)


if __name__ == "__main__":
    main()
