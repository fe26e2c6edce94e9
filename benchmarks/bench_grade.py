"""Benchmark of grading (run by hand, not by the test suite).

    python3 benchmarks/bench_grade.py [N] [--base DIR] [--rounds R] [--memory M] [--no-formula]
    python3 benchmarks/bench_grade.py --one K [--base DIR]
    python3 benchmarks/bench_grade.py N --workloads [--base DIR] [--rounds R]
    python3 benchmarks/bench_grade.py --installed now=VENV/bin/grade [before=VENV2/bin/grade]
        [--one K]

``--workloads``, the headline: the real command, ``grade CLASS --json``, on what a class
hands in, each as a ratio to a bare start timed in the same round: N ``.py`` submissions of
the project's own release solved at each student's own id (every kind of question, formulas
included), N of the samples' mix (a third right, a third with mistakes, a third broken), and
N/3 students who filled the release's notebooks instead.  ``--installed``: one student cold
through installed ``grade`` commands (a brand-new venv, ``pip install .``), K runs each
(default 21) alternating with a bare start, and what engaged (``BACKPROP_SPEED=1``).

Builds a class of N submissions (default 300) from the samples: a third correct, a third with
typical mistakes, a third broken (syntax errors, exceptions, missing files; 1 in 50 of them
with an endless loop, which costs its timeout), grades it with the real `grade` command in
one batch, and reports the cost a submission in units of one bare `python3 -c pass` measured
in the same run; then one student's `grade` cold, and the formula check's latency.

``--base DIR``: a checkout of an earlier version (``git worktree add DIR <commit>``, or
``git archive <commit> | tar -x -C DIR``) measured in the same run, alternating with this
one ``--rounds`` times (the machine's load changes; alternating keeps the comparison fair);
both run as ``python -m cli.grade`` from their own folder.  ``--memory M``: M submissions
graded in this process, one at a time, the resident memory printed as it goes (it must stay
flat: nothing kept per submission).  ``--one K``: only one student's ``grade`` cold, K times
(alternating with ``--base``, and with a bare start), its median, minimum and maximum: one
run moves by tens of milliseconds here, so its figure needs many.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], runs: int = 5) -> float:
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=ENV)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def tree_grade(tree: Path) -> tuple[list[str], dict[str, str]]:
    """The command that runs ``grade`` from the checkout ``tree``, and its environment."""
    env = dict(ENV, PYTHONPATH=str(tree))
    return [sys.executable, "-m", "cli.grade"], env


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t


def compare(trees: dict[str, Path], n: int, rounds: int) -> None:
    """Each tree's one-student-cold and class figures, alternating, in units of a bare start."""
    with tempfile.TemporaryDirectory() as tmp:
        klass = Path(tmp) / "class"
        make_class(klass, n)
        out = Path(tmp) / "g.jsonl"
        figures: dict[str, dict[str, list[float]]] = {
            k: {"bare": [], "one": [], "class": []} for k in trees
        }
        reports: dict[str, dict] = {}
        for _ in range(rounds):
            for name, tree in trees.items():
                cmd, env = tree_grade(tree)
                f = figures[name]
                f["bare"].append(timed([sys.executable, "-c", "pass"], ENV, tree))
                timed([*cmd, str(ROOT / "samples" / "perfect"), "--no-details"], env, tree)
                f["one"].append(
                    timed([*cmd, str(ROOT / "samples" / "perfect"), "--no-details"], env, tree)
                )
                out.unlink(missing_ok=True)
                f["class"].append(timed([*cmd, str(klass), "--json", str(out)], env, tree) / n)
                reports[name] = {
                    o["submission"]: o["questions"]
                    for o in map(json.loads, out.read_text().splitlines())
                }
        print(f"{'':28s}" + "".join(f"{k:>22s}" for k in trees))
        for label, key in (("one student cold", "one"), ("a class, per submission", "class")):
            row = ""
            for name in trees:
                f = figures[name]
                value = statistics.median(f[key])
                ratio = statistics.median(v / b for v, b in zip(f[key], f["bare"]))
                row += f"{value * 1000:9.0f} ms = {ratio:5.2f}× "
            print(f"{label:28s}{row}")
        bare = statistics.median(v for f in figures.values() for v in f["bare"])
        print(f"bare python3 -c pass: median {bare * 1000:.0f} ms; {rounds} rounds, n={n}")
        first, *others = reports.values()
        same = all(r == first for r in others)
        print("per-question results identical across versions:", same)


def memory(m: int) -> None:
    """Grade ``m`` submissions in this process and print the resident memory as it goes."""
    sys.path.insert(0, str(ROOT))
    from grader.course.loader import load_course
    from grader.grading import grade_many

    course = load_course(ROOT / "course.yml")
    with tempfile.TemporaryDirectory() as tmp:
        klass = Path(tmp) / "class"
        make_class(klass, min(m, 150))  # one endless loop (its timeout) in 150
        folders = sorted(klass.iterdir())
        paths = [folders[i % len(folders)] for i in range(m)]  # the same files, m submissions
        step = max(1, m // 10)
        t = time.perf_counter()
        for i, _ in enumerate(grade_many(course, paths, workers=1), 1):
            if i % step == 0 or i == m:
                print(
                    f"{i:6d} graded  {time.perf_counter() - t:7.1f} s  "
                    f"RSS {_rss_mb():7.1f} MB  peak "
                    f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.1f} MB",
                    flush=True,
                )


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_class(folder: Path, n: int) -> None:
    samples = ROOT / "samples"
    for i in range(n):
        kind = ("perfect", "mistakes", "broken")[i % 3]
        dest = folder / f"s{i:03d}"
        shutil.copytree(samples / kind, dest)
        if kind == "broken" and i % 150 != 2:  # keep the endless loop in 1 of 50 broken ones
            s = dest / "S.py"
            s.write_text(
                s.read_text().replace(
                    "    while True:\n        pass\n", "    return 1/(1 + math.exp(-G))\n"
                )
            )


def formula_latency(hostile: bool = False) -> list[float]:
    """Seconds per formula check: typical answers, or (``hostile``) ones whose 40-digit
    confirmation would need astronomic precision and are refused under the check's bounds."""
    sys.path.insert(0, str(ROOT))
    from grader.course.loader import load_course
    from grader.kinds.formula import check as formula_check
    from reference.course.sampling import rng_for
    from reference.course.targets import sample_args

    course = load_course(ROOT / "course.yml")
    answers = {
        "S.dS_dG_formula": [
            "sigmoid(G)*(1 - sigmoid(G))",
            "σ(G)*(1-σ(G))",
            "exp(-G)/(1+exp(-G))^2",
            "sigmoid(G)",
            "1 - sigmoid(G)",
        ],
        "L.dL_dS_formula": ["-2*(gold - S)", "2*(gold - S)", "2*S - 2*gold", "gold - S"],
        "A.dA_dw1_formula": ["x1", "w1", "x1*w1", "x1 + 0"],
        "prep.dG_dA_formula": ["1", "A", "0"],
    }
    if hostile:
        answers = {
            "A.dA_dx1_formula": [
                "w1 + exp(-exp(exp(x1+20)))",
                "w1 + x1**exp(exp(x1+20))*0",
                "w1 + sin(exp(exp(x1+9)))",
            ]
        }
    times = []
    for qid, texts in answers.items():
        q = next(q for q in course.questions if q.qid == qid)
        for k in range(40):
            point = sample_args(q.target, q.model, rng_for(1, f"s{k}", qid), 12)
            for text in texts:
                t = time.perf_counter()
                formula_check(q, text, point)
                times.append(time.perf_counter() - t)
    return times


def one_student(trees: dict[str, Path], rounds: int) -> None:
    """One student's ``grade`` cold, ``rounds`` times a tree, alternating with a bare start."""
    sub = str(ROOT / "samples" / "perfect")
    got: dict[str, list[float]] = {k: [] for k in ["bare", *trees]}
    for tree in trees.values():  # bytecode written, the course cache warm
        cmd, env = tree_grade(tree)
        timed([*cmd, sub, "--no-details"], env, tree)
    for _ in range(rounds):
        got["bare"].append(timed([sys.executable, "-c", "pass"], ENV, ROOT))
        for name, tree in trees.items():
            cmd, env = tree_grade(tree)
            got[name].append(timed([*cmd, sub, "--no-details"], env, tree))
    bare = statistics.median(got["bare"])
    for name, times in got.items():
        ms = [t * 1000 for t in times]
        print(
            f"{name:5s} median {statistics.median(ms):5.0f} ms = "
            f"{statistics.median(times) / bare:4.1f}× bare  (min {min(ms):.0f}, max {max(ms):.0f};"
            f" {rounds} runs)"
        )


def release_class(folder: Path, n: int, notebooks: bool) -> None:
    """``n`` students of the project's own release, each with the solutions at their own id
    (every kind of question, formulas included, as students hand them in): the ``.py``
    stubs filled, or (``notebooks``) the release's notebooks filled and the stubs blank."""
    sys.path.insert(0, str(ROOT))
    from grader.course.loader import load_course
    from publish.notebooks import dumps, notebook
    from publish.stubs import stubs

    course = load_course(ROOT / "course.yml")
    blank = dict(stubs(course, "en"))
    for i in range(n):
        student = f"s{i:03d}"
        dest = folder / student
        (dest / "notebooks").mkdir(parents=True)
        (dest / "student.txt").write_text(student + "\n")
        files = blank if notebooks else dict(stubs(course, "en", solution=True, student=student))
        for name, text in files.items():
            (dest / name).write_text(text)
        if notebooks:
            for e in course.exercises:
                made = notebook(e, "en", solution=True, student=student)
                (dest / "notebooks" / f"{e.id}.ipynb").write_text(dumps(made))


def workloads(trees: dict[str, Path], rounds: int, n: int) -> None:
    """The headline: the real command (``grade CLASS --json``) on what a class hands in, a
    submission's cost as a ratio to a bare start measured in the same round; with two trees
    alternating, and their per-question results compared."""
    with tempfile.TemporaryDirectory() as tmp:
        classes = {
            f".py solutions ({n})": n,
            f"mistakes mix ({n}: samples)": n,
            f"notebooks ({n // 3})": n // 3,
        }
        folders = {}
        for label, size in classes.items():
            folder = Path(tmp) / label.split()[0].strip(".")
            if label.startswith("mistakes"):
                make_class(folder, size)
            else:
                release_class(folder, size, notebooks=label.startswith("notebooks"))
            folders[label] = folder
        ratios: dict[tuple[str, str], list[float]] = {}
        results: dict[tuple[str, str], dict] = {}
        for _ in range(rounds):
            for label, folder in folders.items():
                for name, tree in trees.items():
                    cmd, env = tree_grade(tree)
                    bare = timed([sys.executable, "-c", "pass"], ENV, tree)
                    out = Path(tmp) / "g.jsonl"
                    out.unlink(missing_ok=True)
                    took = timed([*cmd, str(folder), "--json", str(out)], env, tree)
                    ratios.setdefault((label, name), []).append(took / classes[label] / bare)
                    results[label, name] = {
                        o["submission"]: [
                            (q["id"], q.get("score"), q["status"]) for q in o["questions"]
                        ]
                        for o in map(json.loads, out.read_text().splitlines())
                    }
        print(f"{'a submission, in bare starts':40s}" + "".join(f"{k:>10s}" for k in trees))
        for label in folders:
            row = "".join(f"{statistics.median(ratios[label, k]):9.2f}×" for k in trees)
            print(f"{label:40s}{row}")
        same = all(
            len({json.dumps(results[label, k], sort_keys=True) for k in trees}) == 1
            for label in folders
        )
        print(f"{rounds} rounds; per-question results identical across versions: {same}")


def installed(commands: dict[str, Path], rounds: int) -> None:
    """One student cold through installed ``grade`` commands (a venv's ``bin/grade``, made as
    the README says: ``pip install .``), timed from outside, alternating with a bare start of
    the first one's Python; the course copied out of the checkout; then what engaged
    (``BACKPROP_SPEED=1``)."""
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        course.mkdir()
        shutil.copy(ROOT / "course.yml", course)
        shutil.copytree(ROOT / "exercises", course / "exercises")
        student = shutil.copytree(ROOT / "samples" / "perfect", Path(tmp) / "anna")
        python = next(iter(commands.values())).with_name("python")
        runs = {
            name: [str(cmd), str(student), "--course", str(course / "course.yml"), "--no-details"]
            for name, cmd in commands.items()
        }
        for cmd in runs.values():  # its bytecode written, the course cache warm
            subprocess.run(cmd, check=True, capture_output=True, env=ENV)
        got: dict[str, list[float]] = {k: [] for k in ["bare", *runs]}
        for _ in range(rounds):
            got["bare"].append(timed([str(python), "-c", "pass"], ENV, Path(tmp)))
            for name, cmd in runs.items():
                got[name].append(timed(cmd, ENV, Path(tmp)))
        for name, times in got.items():
            ratio = statistics.median(t / b for t, b in zip(times, got["bare"]))
            ms = [t * 1000 for t in times]
            print(
                f"{name:8s} median {statistics.median(ms):5.0f} ms = {ratio:5.1f}× bare "
                f"(min {min(ms):.0f}, max {max(ms):.0f}; {rounds} runs)"
            )
        for name, cmd in runs.items():
            said = subprocess.run(
                cmd, capture_output=True, text=True, env={**ENV, "BACKPROP_SPEED": "1"}
            ).stderr.splitlines()
            print(f"{name:8s} " + next((x for x in said if x.startswith("speed: ")), "?"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=300)
    parser.add_argument("--base", type=Path, help="an earlier checkout, measured alternately")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", type=int, default=0, metavar="M")
    parser.add_argument("--no-formula", action="store_true")
    parser.add_argument("--one", type=int, default=0, metavar="K")
    parser.add_argument("--workloads", action="store_true", help="the headline: see workloads()")
    parser.add_argument(
        "--installed", nargs="+", metavar="NAME=GRADE", help="see installed(): name=bin/grade"
    )
    opts = parser.parse_args()
    if opts.installed:
        pairs = (item.split("=", 1) for item in opts.installed)
        installed({name: Path(cmd) for name, cmd in pairs}, opts.one or 21)
        return
    if opts.workloads:
        base = {"base": opts.base.resolve()} if opts.base else {}
        workloads({**base, "this": ROOT}, opts.rounds, opts.n)
        return
    if opts.one:
        base = {"base": opts.base.resolve()} if opts.base else {}
        one_student({**base, "this": ROOT}, opts.one)
        return
    if opts.memory:
        memory(opts.memory)
        return
    if opts.base:
        compare({"base": opts.base.resolve(), "this": ROOT}, opts.n, opts.rounds)
        return
    n = opts.n
    grade = shutil.which("grade", path=sysconfig.get_path("scripts")) or sys.exit(
        "install first: pip install -e ."
    )
    bare = wall([sys.executable, "-c", "pass"])
    one = wall([grade, str(ROOT / "samples" / "perfect"), "--no-details"])
    with tempfile.TemporaryDirectory() as tmp:
        klass = Path(tmp) / "class"
        make_class(klass, n)
        t = time.perf_counter()
        subprocess.run(
            [grade, str(klass), "--json", str(Path(tmp) / "g.jsonl")],
            check=True,
            capture_output=True,
            env=ENV,
        )
        batch = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run(
            [grade, str(klass), "--json", str(Path(tmp) / "g.jsonl")],
            check=True,
            capture_output=True,
            env=ENV,
        )
        resumed = time.perf_counter() - t
    per = batch / n
    print(f"python3 -c pass                 {bare * 1000:8.1f} ms")
    print(f"grade one student (cold)        {one * 1000:8.1f} ms  = {one / bare:5.1f} × bare")
    print(f"grade a class of {n} (batch)    {batch:8.2f} s   on {os.cpu_count()} cores")
    print(f"  per submission                {per * 1000:8.1f} ms  = {per / bare:5.2f} × bare")
    print(f"  the same class again (resume) {resumed:8.2f} s")
    if opts.no_formula:
        return
    times = np.array(formula_latency()) * 1000
    print(
        f"formula check ({len(times)} checks): median {np.median(times):.2f} ms, "
        f"p99 {np.percentile(times, 99):.2f} ms, max {times.max():.2f} ms"
    )
    times = np.array(formula_latency(hostile=True)) * 1000
    print(
        f"formula bombs ({len(times)} checks): median {np.median(times):.2f} ms, "
        f"max {times.max():.2f} ms"
    )


if __name__ == "__main__":
    main()
