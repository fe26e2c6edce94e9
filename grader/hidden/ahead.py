"""One submission's sandbox run, started as soon as its requests are planned.

Grading one student, ``grade`` would load pytest (~80 ms) and only then run the student's
code in the sandbox (~50 ms, on another core) with the process idle meanwhile.  Started
here, the code runs while the rest goes on (pytest loading here, or the session's sibling
getting ready: :mod:`grader.hidden.sibling`); the grading (:class:`grader.hidden.runs.Runs`)
then takes the outcomes, but only for exactly these requests on exactly these files, so the
grade is the one it would have got by asking itself.  Anything else (another route of the
student's, a custom hidden test's call) runs as usual once this run is over: the sandbox
serves one run at a time.  No pytest here: that is the point.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from grader.course.questions import Course
from grader.intake import routes
from grader.intake.submissions import Submission
from grader.sandbox import Budget, Outcome, Request, Sandbox, SandboxError
from grader.scoring import checks


class Ahead:
    """The run of ``sub``'s graded questions on the routes it would be graded from."""

    def __init__(self, course: Course, sandbox: Sandbox, sub: Submission) -> None:
        self.sub = sub
        routes.choose(course, sub)  # what the session's routes.grade chooses again, the same
        self.files = dict(sub.files)
        self.plan = checks.plan(course, sub.id)
        self.budget = Budget(course.model.time_budget)  # the session's, for this submission
        checks.meanwhile(course)
        self.start_error: SandboxError | None = None
        self._outcomes: list[Outcome] | None = None
        self._error: BaseException | None = None
        self._taken = False
        self._thread = threading.Thread(target=self._run, args=(sandbox,), name="sandbox-ahead")
        self._thread.daemon = True
        self._thread.start()

    def _run(self, sandbox: Sandbox) -> None:
        try:
            sandbox.start()
        except SandboxError as err:  # the session's first run raises it: nothing is graded
            self.start_error = err
            return
        try:
            self._outcomes = sandbox.run(self.files, self.plan.requests, self.budget)
        except BaseException as err:  # the session's to handle, as if it had run it
            self._error = err

    def wait(self) -> None:
        """Wait for the run to be over (the sandbox is free again)."""
        self._thread.join()

    def take(
        self, sub: Submission, files: Mapping[str, str], requests: Sequence[Request]
    ) -> list[Outcome] | None:
        """This run's outcomes if it is the one asked for (once), else None; either way only
        after the run is over.  The run's own exception, if it raised one, is raised here, and
        so is the sandbox's failure to start (whatever was asked: nothing can run)."""
        self.wait()
        if self.start_error is not None:
            raise self.start_error
        if (
            self._taken
            or sub is not self.sub
            or dict(files) != self.files
            or list(requests) != self.plan.requests
        ):
            return None
        self._taken = True
        if self._error is not None:
            raise self._error
        return self._outcomes
