"""What a kind of question is: one class, every stage of its life side by side.

A kind declares, in one module, what the course file may ask of it (the quantities it
answers, options, known mistakes), what it asks the sandbox for, how it scores what came
back, the stub a student completes (and its solution), and what the public self-check may
know of it.  The course loader, the grader and the publisher only dispatch to it, so a new
kind is one module here plus its name in the exercise schema's ``kind`` enum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from grader.course.questions import Question
from grader.sandbox import Outcome
from grader.scoring.plan import Answers, Plan, Point
from grader.scoring.result import Result
from grader.scoring.within import close
from reference.course.model import Model, Tolerance
from reference.course.source import Source
from reference.course.targets import Target
from reference.i18n import Text, pick, same, t
from reference.statuses import STATUS
from reference.text import comment

if TYPE_CHECKING:  # grader.scoring.diagnose: imported only once an answer is wrong
    from grader.scoring.diagnose import Finding


class Kind:
    """The default behaviour of a question kind; subclasses override what differs."""

    #: The ``kind:`` of the YAML.
    name: ClassVar[str]
    #: The quantities (``answer:``) it may ask the reference for; none for a manual kind.
    answers: ClassVar[tuple[str, ...]] = ()
    #: How the sandbox converts the student's value before it comes back.
    expect: ClassVar[str] = "json"
    #: Whether the question lists ``options:`` ("required", "optional" or "none").
    options: ClassVar[str] = "none"
    #: The forms of known mistake it takes: "formula" (a wrong formula), "answer" (a wrong
    #: quantity of the reference).
    mistakes: ClassVar[tuple[str, ...]] = ()
    #: how its points may be shared (YAML ``credit:``): the first is the default
    credits: ClassVar[tuple[str, ...]] = ("all",)
    #: Graded at the student's own values (numbers computed by hand), not at random points.
    at_leaves: ClassVar[bool] = False
    #: The student writes code the sandbox calls at points (a function): it has public
    #: examples, the page's graph and the team's chain call it, and its stub's blank
    #: ``raise`` stays after the solution region.
    code: ClassVar[bool] = False
    #: Graded automatically.  A manual kind (free text, the teacher's) still asks for its
    #: value: its ``score`` exports the answer with status ``manual`` and no points.
    auto: ClassVar[bool] = True
    #: The line under the prompt in a stub, saying what to write.
    instruction: ClassVar[Text] = same("")
    #: The form of its answer for the student's public checks: a key of
    #: ``publish.public_checks.FORMS`` (number, str, option, set, mapping, function).
    form: ClassVar[str] = "str"
    #: What the public checks say when the form is right (a key of
    #: ``publish.public_checks.NOTES``, each a ``checks.*`` sentence), if any.
    public_note: ClassVar[str] = ""
    #: What a question of this kind is, for the schema's ``kind`` (editors show it).
    about: ClassVar[str] = ""
    #: The YAML fields of its own (beyond those every question has): each one's JSON Schema,
    #: added to ``exercise.schema.json`` by the loader; parsed by :meth:`read_fields`.
    fields: ClassVar[dict[str, dict[str, Any]]] = {}

    # --- the course file ------------------------------------------------------------------

    def args(self, target: Target, model: Model) -> tuple[str, ...]:
        """The names the student's answer is written in (a function's parameters)."""
        return ()

    def tolerance(self, model: Model) -> Tolerance:
        return model.tolerance

    def read_fields(self, src: Source, path: tuple, doc: dict[str, Any]) -> dict[str, Any] | None:
        """This kind's own fields of the question ``doc`` (already checked against their
        schema), as the question keeps them (``Question.fields``); problems the schema cannot
        say go to ``src`` at ``path`` and the result is None."""
        return {name: doc[name] for name in self.fields if name in doc}

    def check_options(
        self, src: Source, path: tuple, target: Target, values: list[str], model: Model
    ) -> bool:
        """Problems with the options that only this kind knows of go to ``src``."""
        return True

    # --- grading --------------------------------------------------------------------------

    def meanwhile(self) -> None:
        """Start loading, in the background, what scoring will need: called while the sandbox
        runs the student's code (this process only waits then).  Nothing by default."""

    def plan(self, q: Question, plan: Plan, course: Any, submission: str) -> None:
        """Add the requests this question needs to ``plan``."""
        plan.ask(q.exercise, q.name, None, self.expect)

    def score(self, q: Question, answers: Answers) -> Result:
        """The question's result from the sandbox's outcomes."""
        got = answers.value(q, self.expect)
        return refused(q, [got]) or self.judge(q, got.value, answers)

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        """The score of a value that came back (converted, but not yet compared)."""
        raise NotImplementedError

    # --- publishing -----------------------------------------------------------------------

    def snippet(self, q: Question, lang: str, text: str, filled: bool, student: str) -> str:
        """The code a student completes: ``text`` (prompt and hint; empty in a notebook,
        whose markdown cell holds them) as comments, what to write, then the blank
        assignment (or, ``filled``, the reference's answer)."""
        value = self.solution(q, lang, student) if filled else self.blank(q, lang)
        prompt = f"{comment(text)}\n" if text.strip() else ""
        return f"{prompt}{self.details(q, lang)}\n{q.name} = {value}\n"

    def blank(self, q: Question, lang: str) -> str:
        """The stub's value before the student writes anything."""
        return "None"

    def solution(self, q: Question, lang: str, student: str) -> str:
        """The stub's value filled in from the reference (at ``student``'s own values)."""
        raise NotImplementedError

    def details(self, q: Question, lang: str) -> str:
        """Comment lines between the prompt and the code: what to write."""
        return f"# {pick(self.instruction, lang)}"

    def preamble(self, lang: str) -> str:
        """What every question of this kind shares, said once at the top of a stub (or in a
        notebook's introduction) rather than under each question; empty if nothing."""
        return ""

    def public(self, q: Question) -> dict[str, Any]:
        """What the public self-checks may know of the question, never an answer: its
        ``form`` and what that form needs (options, keys, a note)."""
        data: dict[str, Any] = {"form": self.form}
        if self.public_note:
            data["note"] = self.public_note
        return data


# --- verdicts every kind uses --------------------------------------------------------------


#: The feedback of an answer not attempted (status ``missing``): an untouched stub or cell.
NOT_ATTEMPTED: Text = STATUS["missing"][1]


def refused(q: Question, got: list[Outcome]) -> Result | None:
    """A Result for the first outcome that is not a value (missing, error, timeout).

    ``error`` is the student's own code failing; the stub's own ``raise NotImplementedError``
    (left as released) is not attempted, ``missing``."""
    for o in got:
        if o.status == "ok":
            continue
        where = f" ({o.where})" if o.where else ""
        msg: Text = {lang: f"{text}{where}" for lang, text in o.message.items()}
        if o.status == "error" and o.error.startswith("NotImplementedError"):
            return Result(q.qid, 0.0, q.points, "missing", NOT_ATTEMPTED)
        if o.status == "missing":
            msg = o.message
        elif o.status == "timeout" and not o.budget:  # the budget's says so itself
            msg = t("kinds.did_not_answer_time_endless", name=q.name, where=where)
        return Result(q.qid, 0.0, q.points, o.status, msg)
    return None


def verdict(
    q: Question, finding: Finding | None, right: bool = False, note: Text | None = None
) -> Result:
    """Full points, a known or diagnosed mistake's credit, or nothing with ``note``."""
    if right:
        return Result(q.qid, q.points, q.points, "passed", note or same(""))
    if finding is None:
        return Result(q.qid, 0.0, q.points, "failed", note or t("kinds.not_right"))
    status = "partial" if finding.credit > 0 else "failed"
    return Result(q.qid, round(q.points * finding.credit, 6), q.points, status, finding.feedback)


def compare(q: Question, student: Any, right: Any, point: Point, at_leaves: bool) -> Result:
    """Numbers against the reference's, explained when wrong."""
    if close(student, right, q.tolerance):
        return verdict(q, None, right=True)
    from grader.scoring.diagnose import diagnose  # only for a wrong answer

    finding = diagnose(q, np.asarray(student, float), point, at_leaves, q.tolerance)
    return verdict(q, finding, note=where_wrong(q, student, right, point, at_leaves))


def where_wrong(q: Question, student: Any, right: Any, point: Point, at_leaves: bool) -> Text:
    """Where a wrong answer is wrong, with the student's own value (never the right one)."""
    if at_leaves:
        return t("kinds.not_right_at_your_values")
    student, right = np.atleast_1d(student), np.atleast_1d(right)
    k = int(np.argmax(~np.isclose(student, right, rtol=q.tolerance.rel, atol=q.tolerance.abs)))
    at = ", ".join(f"{a}={float(point[a][k]):.4g}" for a in q.args)
    return t("kinds.not_right_returned", name=q.name, at=at, k=float(student[k]))
