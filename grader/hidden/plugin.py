"""The pytest plugin that turns hidden-test outcomes into per-question scores.

``run_hidden_tests`` runs one in-process pytest session over the hidden test folders for a
batch of submissions (pytest's start-up is paid once per batch, not per student).  The
plugin parametrizes tests by ``submission`` and ``question`` (every auto-graded question of
the YAML), provides the ``graded``, ``record`` and ``student`` fixtures, and scores each
test: a YAML question's recorded result carries its partial credit; a custom test marked
``@pytest.mark.question("A.extra", points=1)`` earns its points when it passes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pytest

from grader.hidden.folders import HIDDEN, hidden_dirs
from grader.sandbox import Request
from grader.scoring.result import Result
from reference.i18n import same, t

if TYPE_CHECKING:  # the course's code (numpy): this module loads in a session's own process
    # (grader.hidden.sibling) before the course does
    from grader.course.questions import Course, Question
    from grader.hidden.outline import Asked, Outline
    from grader.hidden.runs import Asks

RESULT = pytest.StashKey["Result | list[Result]"]()
# A submission, or what stands for one in a sibling's session (grader.hidden.sibling.Handle)
Sub = TypeVar("Sub")


class Student(Generic[Sub]):
    """What a custom hidden test may do with a submission: call it, in the sandbox."""

    def __init__(self, tests: HiddenTests[Sub], submission: Sub):
        self._tests, self._submission = tests, submission

    def _ask(self, request: Request) -> Any:
        (outcome,) = self._tests.runs.ask(self._submission, [request])
        if outcome.status != "ok":
            pytest.fail(
                f"{request.module}.{request.name}: {outcome.status}: {outcome.error}", pytrace=False
            )
        return outcome.value

    def call(self, module: str, name: str, *args: float, expect: str = "number") -> Any:
        """The student's ``module.name(*args)``, its value coerced to plain JSON."""
        return self._ask(Request(module, name, tuple(float(a) for a in args), expect))

    def value(self, module: str, name: str, expect: str = "json") -> Any:
        """The value the student assigned to ``module.name``."""
        return self._ask(Request(module, name, None, expect))


class HiddenTests(Generic[Sub]):
    """The plugin object for one batch of submissions."""

    def __init__(self, course: Course | Outline, runs: Asks[Sub], submissions: list[Sub]):
        self.course, self.runs, self.submissions = course, runs, submissions
        self.questions = [q for q in course.questions if q.auto]
        self.results: dict[int, dict[str, Result]] = {id(s): {} for s in submissions}
        self.custom: dict[str, float] = {}  # qid -> points, in collection order
        self.problems: list[str] = []

    # -- collection ---------------------------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line(
            "markers",
            "question(qid, points): a custom hidden test scoring `points` as question `qid`",
        )

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "submission" in metafunc.fixturenames:
            metafunc.parametrize(
                "submission", self.submissions, ids=[f"s{i}" for i in range(len(self.submissions))]
            )
        if "question" in metafunc.fixturenames:
            metafunc.parametrize("question", self.questions, ids=[q.qid for q in self.questions])

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        known = {q.qid for q in self.questions}
        for item in items:
            marker = item.get_closest_marker("question")
            if marker is None:
                continue
            qid = marker.args[0] if marker.args else marker.kwargs.get("qid")
            points = float(
                marker.kwargs.get("points", marker.args[1] if len(marker.args) > 1 else 1)
            )
            if qid in known or not isinstance(qid, str) or "." not in qid:
                raise pytest.UsageError(
                    f"{item.nodeid}: a custom hidden test needs a new "
                    f"question id like 'A.my_check', not {qid!r}"
                )
            self.custom.setdefault(qid, points)

    # -- fixtures -----------------------------------------------------------------------

    @pytest.fixture
    def graded(self, submission: Sub) -> Callable[[str], Result]:
        """The result of every YAML question for this submission (computed once)."""
        return self.runs.grade(submission).__getitem__

    @pytest.fixture(name="questions")
    def all_questions(self) -> list[Question | Asked]:
        """Every auto-graded question of the YAML (the built-in test grades them all)."""
        return self.questions

    @pytest.fixture
    def record(self, request: pytest.FixtureRequest) -> Callable[[Result | list[Result]], None]:
        """Hands one question's result (or a list of them) to the plugin."""

        def keep(result: Result | list[Result]) -> None:
            request.node.stash[RESULT] = result

        return keep

    @pytest.fixture
    def student(self, submission: Sub) -> Student[Sub]:
        return Student(self, submission)

    # -- scoring ------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        sub = params.get("submission")
        if sub is None or not (report.when == "call" or report.failed):
            return
        for result in self._outcome(item, call, report, params):
            self.results[id(sub)].setdefault(result.qid, result)

    def _outcome(
        self, item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport, params: dict
    ) -> list[Result]:
        """The results one test gives: every question's (the built-in test), one YAML
        question's (a test parametrized by ``question``), or a custom question's."""
        kept = item.stash.get(RESULT, None)
        question: Question | None = params.get("question")
        if question is not None or "questions" in getattr(item, "fixturenames", ()):
            qs = [question] if question is not None else self.questions
            got = {r.qid: r for r in ([kept] if isinstance(kept, Result) else kept or [])}
            why = _why(call)
            return [
                got.get(q.qid)
                or Result(
                    q.qid,
                    0.0,
                    q.points,
                    "error",
                    t("scoring.hidden_test_error", why=why),
                )
                for q in qs
            ]
        marker = item.get_closest_marker("question")
        if marker is None:
            return []
        qid = marker.args[0] if marker.args else marker.kwargs["qid"]
        points = self.custom[qid]
        if report.passed:
            return [Result(qid, points, points, "passed")]
        return [Result(qid, 0.0, points, "failed", same(_why(call)))]

    def ordered(self, sub: Sub) -> list[Result]:
        """Results in the course's order, custom questions last; none missing."""
        got = self.results[id(sub)]
        out: list[Result] = []
        for q in self.course.questions:  # free text: its answer, exported with status manual
            if not q.auto:
                out.extend(r for r in [self.runs.graded(sub).get(q.qid)] if r)
                continue
            out.append(
                got.get(q.qid)
                or Result(
                    q.qid,
                    0.0,
                    q.points,
                    "error",
                    t("scoring.hidden_test_did_not_run"),
                )
            )
        for qid, points in self.custom.items():
            out.append(
                got.get(qid)
                or Result(
                    qid,
                    0.0,
                    points,
                    "error",
                    t("scoring.hidden_test_did_not_run"),
                )
            )
        return out


def _why(call: pytest.CallInfo) -> str:
    """A failure's own message (first line), never the hidden test's source."""
    if call.excinfo is None:
        return "failed"
    text = str(call.excinfo.value).strip()
    return (text.splitlines()[0] if text else call.excinfo.typename)[:300]


_ENV = ("PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_PLUGINS")


def run_hidden_tests(
    course: Course | Outline, runs: Asks[Sub], submissions: list[Sub]
) -> HiddenTests[Sub]:
    """One quiet in-process pytest session over the hidden tests for these submissions, whose
    grading ``runs`` does (here, or in the process that forked this one: then ``course`` is
    its outline, and only the built-in test runs)."""
    plugin = HiddenTests(course, runs, submissions)
    args = [
        "-p",
        "no:cacheprovider",
        "-p",
        "no:terminal",
        "-p",
        "no:stepwise",
        "--import-mode=importlib",
        "-W",
        "ignore",
        "--assert=plain",  # a test's own message is what the student reads
        # No student code runs in this process: per-test capture, logging and the
        # end-of-session garbage hunts only cost time (they were ~30% of a batch).
        "--capture=no",
        "-p",
        "no:logging",
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
        "-p",
        "no:faulthandler",
        "-p",
        "no:junitxml",
        "-p",
        "no:doctest",
        "-p",
        "no:pastebin",
    ]
    # The teacher's own pytest options stay out, and so do the pytest plugins that happen to
    # be installed (trio, anyio, benchmark...): loading them was half of one student's grading,
    # and a grade must not depend on what else is installed.
    saved = {k: os.environ.pop(k, None) for k in _ENV}
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        with resources.as_file(HIDDEN) as hidden:  # a real folder, as pytest needs
            where = ["-c", str(hidden / "pytest.ini"), "--rootdir", str(hidden)]
            dirs = [str(d) for d in hidden_dirs(course.root, hidden)]
            code = pytest.main([*dirs, *where, *args], plugins=[plugin])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        plugin.problems.append(f"the hidden tests could not run (pytest exit {int(code)})")
    return plugin
