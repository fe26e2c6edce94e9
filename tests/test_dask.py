"""``grade --scheduler``: a class graded on Dask distributed workers, as a teacher runs it.

A LocalCluster of processes (2 workers, 1 thread each) stands in for the machines; ``grade``
runs as its own process, as it would on the teacher's machine.  The reports must be the
local run's, byte for byte, also when a worker is killed while it grades.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import LESSON, ROOT, command

distributed = pytest.importorskip("distributed")

COURSE = LESSON / "course.yml"
SAMPLES = ("perfect", "mistakes", "broken")


def _env() -> dict[str, str]:
    return {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "5s"}


def grade(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        command("grade", *args, "--course", COURSE, "--lang", "en"),
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def lines(path: Path) -> list[dict]:
    """The report lines, but how long each one's code ran (the one thing two runs may
    differ by)."""
    out = [json.loads(line) for line in path.read_text().splitlines()]
    for o in out:
        o.pop("sandbox_seconds", None)
    return out


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture
def klass(tmp_path) -> Path:
    """Six submissions: each sample twice, under students' names."""
    folder = tmp_path / "class"
    for i in range(2):
        for name in SAMPLES:
            shutil.copytree(ROOT / "samples" / name, folder / f"{name}-{i}")
    return folder


@pytest.fixture
def local(klass, tmp_path) -> tuple[list[dict], str]:
    """The local run's JSON lines and CSV gradebook."""
    r = grade(klass, "--json", "local.jsonl", "--csv", "local.csv", "--workers", "2", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return lines(tmp_path / "local.jsonl"), (tmp_path / "local.csv").read_text()


def test_scheduler_and_workers_are_one_choice(tmp_path):
    r = grade(
        ROOT / "samples" / "perfect", "--scheduler", "tcp://x:1", "--workers", "2", cwd=tmp_path
    )
    assert r.returncode == 2
    assert "--workers and --scheduler" in r.stderr


def test_a_scheduler_out_of_reach_is_the_graders_failure_not_a_grade(tmp_path):
    r = grade(
        ROOT / "samples" / "perfect",
        "--scheduler",
        "tcp://127.0.0.1:1",
        "--json",
        "out.jsonl",
        cwd=tmp_path,
    )
    assert r.returncode == 1, r.stderr
    assert "cannot reach the Dask scheduler" in r.stderr
    assert not (tmp_path / "out.jsonl").read_text().strip()  # nothing saved


@pytest.mark.slow
def test_the_cluster_grades_as_the_local_run_does_and_resumes(cluster, klass, local, tmp_path):
    address = cluster.scheduler_address
    r = grade(
        klass, "--json", "dask.jsonl", "--csv", "dask.csv", "--scheduler", address, cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    assert lines(tmp_path / "dask.jsonl") == local[0]
    assert (tmp_path / "dask.csv").read_text() == local[1]
    assert len(local[0]) == 6 and len({o["score"] for o in local[0]}) > 1  # not all one grade

    # resume: nothing regraded; one changed submission is, alone
    r = grade(klass, "--json", "dask.jsonl", "--scheduler", address, cwd=tmp_path)
    assert r.returncode == 0 and "6 unchanged" in r.stderr, r.stderr
    shutil.rmtree(klass / "perfect-1")
    shutil.copytree(ROOT / "samples" / "mistakes", klass / "perfect-1")
    r = grade(klass, "--json", "dask.jsonl", "--scheduler", address, cwd=tmp_path)
    assert r.returncode == 0 and "5 unchanged" in r.stderr, r.stderr
    after = {o["submission"]: o for o in lines(tmp_path / "dask.jsonl")}
    changed = after.pop(str(klass / "perfect-1"))
    before = next(o for o in local[0] if o["submission"] == str(klass / "perfect-1"))
    assert changed["digest"] != before["digest"] and changed["score"] < before["score"]
    assert after == {o["submission"]: o for o in local[0] if "perfect-1" not in o["submission"]}


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(cluster, klass, local, tmp_path):
    address = cluster.scheduler_address
    out = tmp_path / "dask.jsonl"
    proc = subprocess.Popen(
        command(
            "grade",
            klass,
            "--json",
            out,
            "--scheduler",
            address,
            "--course",
            COURSE,
            "--lang",
            "en",
        ),
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    with distributed.Client(address) as client:
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and proc.poll() is None:
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy:
                time.sleep(0.5)  # well inside the batch: its sandbox is running student code
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed = busy[0]
            time.sleep(0.05)
        written = len(out.read_text().splitlines()) if out.exists() else 0
        _, stderr = proc.communicate(timeout=600)
        assert killed is not None, "no worker was ever busy"
        assert written < 6, "the worker was killed after grading had ended"
        assert proc.returncode == 0, stderr
        client.wait_for_workers(2, timeout=120)  # the nanny restarts it, for the next test
    got = lines(out)
    assert sorted(o["submission"] for o in got) == sorted(o["submission"] for o in local[0])
    assert got == local[0]


class _Worker:
    address = "tcp://elsewhere:1"


def test_a_worker_with_another_course_refuses_and_grades_nothing(tmp_path):
    """The twin of grading: a worker whose course file differs from the grader's (another
    fingerprint) reports every submission of its batches as not graded, never a grade."""
    from cli.common import load_whole_course
    from grader.distributed import GradingPlugin, grade_with
    from grader.grading import fingerprint
    from grader.intake.submissions import read

    course = load_whole_course(COURSE, "en")
    digest = fingerprint(course, COURSE)
    other = tmp_path / "course.yml"
    other.write_text(COURSE.read_text() + "\n# edited on that machine\n")
    plugin = GradingPlugin(course, str(other), digest)
    plugin.setup(_Worker())
    assert plugin.sandbox is None and "another grader version" in plugin.mismatch
    sub = read(ROOT / "samples" / "perfect", {e.id for e in course.exercises})
    (report,) = grade_with(plugin, [sub], digest)
    assert report.failure and not report.results
    assert "tcp://elsewhere:1" in report.failure
    assert grade_with(None, [sub], digest)[0].failure  # no plugin: not graded either
