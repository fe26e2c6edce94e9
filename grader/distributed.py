"""Grade a class on Dask distributed workers (``grade --scheduler ADDRESS``).

The same batches as :func:`grader.grading.grade_many`, sent to an existing Dask cluster.
Submissions are read here, by the grader that was given the paths, and shipped as data, so
the workers need no view of the folders being graded; each worker needs the package and the
course (the same fingerprint as here: a worker that would grade with other code or another
course refuses, and its batches are the grader's failure, never a grade).

Each worker keeps one warm sandbox for all its batches: :class:`GradingPlugin`, a Dask worker
plugin, starts it when the worker starts and closes it when the worker ends.  A batch whose
worker is lost is rescheduled by Dask on another worker (grading a batch has no side effect,
so running it twice is harmless); its reports come back once, from the future that finished.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from distributed import Client, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from grader.course.questions import Course
from grader.grading import Report, _crashed, batch_size, fingerprint, grade_batch
from grader.intake.identity import Identity
from grader.intake.submissions import Submission, read
from grader.sandbox import Sandbox, SandboxError

PLUGIN = "backprop-course-grading"


class GradingPlugin(WorkerPlugin):
    """A Dask worker plugin: the course and one warm sandbox per worker.

    Dask calls ``setup`` on every worker there is and on every worker that joins later (a
    restarted one included), and ``teardown`` when the worker closes."""

    name = PLUGIN

    def __init__(self, course: Course, course_file: str, digest: str):
        self.course = course
        self.course_file = course_file
        self.digest = digest  # the client's fingerprint: what this worker must match
        self.sandbox: Sandbox | None = None
        self.mismatch = ""

    def setup(self, worker: Any) -> None:
        here = fingerprint(self.course, Path(self.course_file))
        if here != self.digest:
            self.mismatch = (
                f"worker {getattr(worker, 'address', '?')} has another grader version, other "
                f"grader code or another course at {self.course_file} (fingerprint {here}, "
                f"expected {self.digest}): install the same package and course on every worker"
            )
            return
        sandbox = Sandbox()
        try:
            sandbox.start()  # warm before the first batch arrives
        except SandboxError as err:
            self.mismatch = f"the sandbox cannot start on worker {worker.address}: {err}"
            return
        self.sandbox = sandbox

    def teardown(self, worker: Any) -> None:
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None


def _grade_remote(subs: list[Submission], digest: str, graph: bool = False) -> list[Report]:
    """Runs on a worker: one batch with the worker's warm sandbox."""
    return grade_with(get_worker().plugins.get(PLUGIN), subs, digest, graph)


def grade_with(
    plugin: Any, subs: list[Submission], digest: str, graph: bool = False
) -> list[Report]:
    """One batch with ``plugin``'s sandbox, if it is this course's and its sandbox runs;
    else each submission's failure report (not a grade)."""
    if not isinstance(plugin, GradingPlugin) or plugin.digest != digest:
        why = "the worker has no grading plugin for this course (another grade run replaced it?)"
        return [Report(s.path, s.id, s.digest, [], list(s.problems), failure=why) for s in subs]
    if plugin.mismatch or plugin.sandbox is None:
        why = plugin.mismatch or "the worker's sandbox did not start"
        return [Report(s.path, s.id, s.digest, [], list(s.problems), failure=why) for s in subs]
    return grade_batch(plugin.course, plugin.sandbox, subs, graph=graph)


class ClusterError(RuntimeError):
    """The scheduler cannot be reached or has no worker: the grader's failure (exit 1)."""


def connect(address: str, wait: float = 60) -> Client:
    """A Dask client of the scheduler at ``address`` (``tcp://host:8786``) that has at least
    one worker (waited for up to ``wait`` seconds).  How long connecting may take is Dask's
    own setting, ``distributed.comm.timeouts.connect`` (30 s; the variable
    ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT`` sets it)."""
    try:
        client = Client(address)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    try:
        client.wait_for_workers(1, timeout=wait)
    except (OSError, TimeoutError) as err:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no worker: {err}") from None
    return client


def grade_on_cluster(
    course: Course,
    course_file: Path,
    paths: list[Path],
    client: Client,
    ids: dict[str, Identity] | None = None,
    digest: str | None = None,
    graph: bool = False,
) -> Iterator[Report]:
    """Reports as batches finish (not in order), graded by ``client``'s cluster.

    A batch whose worker died is rescheduled by Dask elsewhere (up to its
    ``distributed.scheduler.allowed-failures``); one that still cannot be graded is a failure
    report for each of its submissions: not graded, never saved, graded again next time."""
    digest = digest or fingerprint(course, course_file)
    modules = {e.id for e in course.exercises}
    plugin = GradingPlugin(course, str(course_file.resolve()), digest)
    client.register_plugin(plugin, name=PLUGIN)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = batch_size(len(paths), workers)
    futures = {}
    for start in range(0, len(paths), size):
        batch = paths[start : start + size]
        subs = [read(p, modules, (ids or {}).get(str(p))) for p in batch]
        # pure=False: a key of its own, never an earlier run's cached result
        futures[client.submit(_grade_remote, subs, digest, graph, pure=False)] = batch
    for future in as_completed(futures):
        batch = futures[future]
        try:
            reports = future.result()
        except Exception as err:  # lost for good (KilledWorker after every retry, …)
            for path in batch:
                yield _crashed(course, path, err)
            continue
        yield from reports


def workers_pid(address: str) -> dict[str, int]:
    """Each worker's process id (for tests and for an operator's look)."""
    client = connect(address)
    try:
        return dict(client.run(os.getpid))
    finally:
        client.close()
