"""The grading a hidden-test session asks for: each submission's YAML questions, and the
calls a custom hidden test makes, run in the sandbox and scored against the reference.

Apart from the plugin, and free of pytest, so that the session may run in another process
(:mod:`grader.hidden.sibling`) while this one does this work: the session only asks.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from grader.course.questions import Course
from grader.hidden.ahead import Ahead
from grader.intake import routes
from grader.intake.submissions import Submission
from grader.sandbox import Budget, Outcome, Request, Sandbox, SandboxError
from grader.scoring import checks, trace
from grader.scoring.result import Result
from reference.i18n import Text, t

S = TypeVar("S", contravariant=True)  # a submission, or what stands for one in a sibling


class Asks(Protocol[S]):
    """What a session asks of the grading: :class:`Runs` here (of a :class:`Submission`), or
    its stand-in in the session's own process (:class:`grader.hidden.sibling.Remote`, of a
    submission's handle)."""

    def grade(self, sub: S) -> dict[str, Result]: ...

    def graded(self, sub: S) -> dict[str, Result]: ...

    def ask(self, sub: S, requests: list[Request]) -> list[Outcome]: ...


class Runs:
    """A batch's sandbox runs and scores; ``ahead``: one submission already running."""

    def __init__(
        self, course: Course, sandbox: Sandbox, ahead: Ahead | None = None, graph: bool = False
    ) -> None:
        self.course, self.sandbox, self.ahead = course, sandbox, ahead
        self.graph = graph  # collect each submission's trace for its page (grade --html)
        # Keyed by the submission itself (its id()), never by its student id: two submissions
        # with one id are still graded each on its own files.
        self._graded: dict[int, dict[str, Result]] = {}
        self._budgets: dict[int, Budget] = {}  # by submission object: its time, across runs
        if ahead is not None:
            self._budgets[id(ahead.sub)] = ahead.budget
        # Submissions the grader failed on (by submission object), and why: the sandbox, or a
        # check that raised.  Never the student's zero, whatever the hidden tests make of it.
        self.failures: dict[int, str] = {}

    def grade(self, sub: Submission) -> dict[str, Result]:
        """qid → the result of every YAML question for ``sub`` (computed once): the routes the
        student worked on (a .py or a notebook), untouched answers missing; with ``graph``,
        the trace of its page too (``sub.graph``)."""
        if id(sub) not in self._graded:
            try:
                results = routes.grade(self.course, sub, lambda files: self._score(sub, files))
                if self.graph and id(sub) not in self.failures:  # from the files kept
                    sub.graph = trace.collect(
                        self.course, sub.id, set(sub.files), lambda r: self.run(sub, sub.files, r)
                    ).as_json()
            except Exception as err:  # a plan, a route or a check that raised: a bug of ours
                why = f"{type(err).__name__}: {err}"
                self.failures.setdefault(id(sub), f"the grader failed: {why}")
                results = self._unable(t("scoring.grader_failed", why=why))
            self._graded[id(sub)] = {r.qid: r for r in results}
        return self._graded[id(sub)]

    def graded(self, sub: Submission) -> dict[str, Result]:
        """What :meth:`grade` found for ``sub``, if it was asked (else nothing)."""
        return self._graded.get(id(sub), {})

    def spent(self, sub: Submission) -> float:
        """Seconds of its time budget the submission's code has used (0 if it never ran)."""
        budget = self._budgets.get(id(sub))
        return budget.used if budget is not None else 0.0

    def budget(self, sub: Submission) -> Budget:
        """The submission's time budget (course.yml ``time_budget``), shared by all its runs."""
        return self._budgets.setdefault(id(sub), Budget(self.course.model.time_budget))

    def run(self, sub: Submission, files: dict[str, str], requests: list[Request]) -> list[Outcome]:
        """``requests`` answered by ``files`` (the submission's, or one of its routes) in the
        sandbox, within the submission's time budget; a sandbox failure is noted."""
        try:
            early = self.ahead.take(sub, files, requests) if self.ahead is not None else None
            return (
                early if early is not None else self.sandbox.run(files, requests, self.budget(sub))
            )
        except SandboxError as err:
            self.failures.setdefault(id(sub), f"the sandbox failed: {err or type(err).__name__}")
            raise

    def ask(self, sub: Submission, requests: list[Request]) -> list[Outcome]:
        """``requests`` answered by the submission's files (a custom hidden test's calls)."""
        return self.run(sub, sub.files, requests)

    def _score(self, sub: Submission, files: dict[str, str]) -> list[Result]:
        if self.ahead is not None and self.ahead.sub is sub:
            p = self.ahead.plan  # the very requests it ran: its outcomes are taken
        else:
            p = checks.plan(self.course, sub.id)
            checks.meanwhile(self.course)
        try:
            outcomes = self.run(sub, files, p.requests)
        except SandboxError as err:
            return self._unable(t("scoring.grader_could_not_run_this", err=err))
        return checks.score(self.course, sub.id, p, outcomes)

    def _unable(self, why: Text) -> list[Result]:
        """Every auto-graded question, ungraded for ``why`` (the submission is marked as the
        grader's failure: these are never saved)."""
        return [Result(q.qid, 0.0, q.points, "error", why) for q in self.course.questions if q.auto]
