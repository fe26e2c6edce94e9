"""Practice on fresh variants: a question asked again at new values, judged as ``grade`` judges.

A *variant* of a question for a student is the grader's own machinery given a synthetic
submission id, ``practice:<student>:<question>:<k>``, in place of the student's: the kinds
draw the values of the numbers computed by hand (``Model.own_values``) and the random points
a function or a formula is checked at (``rng_for``) from it, as they do from a student's id.
So a variant is reproducible, and never the student's graded values: :func:`fresh` skips a
``k`` whose values are the graded ones, or whose right number is the graded one's (or the
previous variant's) within ten tolerances.

An answer is judged by the question's own kind, through the sandbox, exactly as a stub is:
the answer becomes a one-question module (a number, a formula, an option, a set or a mapping
written as a Python literal, ``repr`` of a value of the checked JSON type; a function
question's code as it is), the kind plans its requests at the variant's id, the sandbox
answers them within the sandbox's limits and a time budget, and the kind scores them
(verdict, diagnoses, "Read as: …", partial credit).  Nothing a student sent is evaluated,
parsed as Python or imported in this process.  A grader failure (the sandbox could not run,
a check raised) is :class:`GraderFailure`: never the student's zero.
"""

from __future__ import annotations

import ast
import contextlib
import math
import queue
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from grader.course.questions import Course, Question
from grader.kinds import Kind, kind_of
from grader.kinds.precision import NEAR_MISS
from grader.kinds.snippets import snippet
from grader.sandbox import Budget, Sandbox, SandboxError
from grader.scoring import checks
from grader.scoring.plan import Plan
from grader.scoring.result import Result
from grader.scoring.within import close
from reference.course.model import Tolerance
from reference.i18n import BilingualError, Text, pick, t

#: The longest formula, option or name a practice answer may hold (characters).
MAX_TEXT = 1000
#: The longest code of a function question (characters); the sandbox's own cap is larger.
MAX_CODE = 20_000
#: How many options a set, and keys a mapping, may hold.
MAX_ITEMS = 64
#: The longest option or key (characters).
MAX_ITEM = 64
#: Wall-clock seconds one practice answer's code may take (at most the course's budget).
SECONDS = 10.0
#: How many ``k`` :func:`fresh` tries before it takes a variant whose answer never changes.
TRIES = 50
#: What a function question's code starts with, as in the stub (``math`` and ``np`` ready).
IMPORTS = "import math\nimport numpy as np\n\n\n"
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?")


class Unfit(BilingualError):
    """An answer that is not of its question's form (or too large): refused, not judged."""

    def __init__(self, why: Text) -> None:
        super().__init__(why)
        self.why = why


class GraderFailure(Exception):
    """The grader could not judge an answer (the sandbox, or a check that raised): never a
    verdict, never the student's zero; the answer may be sent again."""


def practised(course: Course) -> list[Question]:
    """The questions a student may practise: every one the grader scores (free text is the
    teacher's)."""
    return [q for q in course.questions if kind_of(q).auto]


def seed_of(student: str, qid: str, k: int) -> str:
    """The id the grader's machinery is given for variant ``k`` in place of a student's."""
    return f"practice:{student}:{qid}:{k}"


@dataclass(frozen=True)
class Variant:
    """Variant ``number`` of ``question`` for ``student``, drawn from ``seed``."""

    question: Question
    student: str
    number: int

    @property
    def seed(self) -> str:
        return seed_of(self.student, self.question.qid, self.number)

    @property
    def kind(self) -> Kind:
        return kind_of(self.question)

    def values(self) -> dict[str, float]:
        """The variant's inputs, parameters and data where its answer is computed at them
        (a number or an option computed by hand); empty where it is checked at random points
        (a function, a formula) or does not depend on them (a fact of the graph)."""
        if not self.kind.at_leaves:
            return {}
        return self.question.model.own_values(self.seed)

    def solution(self, lang: str) -> Any:
        """The right answer as JSON (a function's: its code), from the reference: what the
        stub filled for this variant's id holds.  Only for a variant being closed."""
        return solution_at(self.question, lang, self.seed)


def solution_at(q: Question, lang: str, submission: str) -> Any:
    """The right answer to ``q`` for the id ``submission`` (a student's or a variant's), as
    JSON: the kind's own solution literal, read back (our reference's text, never a
    student's), a set as a sorted list; a function question's code."""
    kind = kind_of(q)
    if kind.code:
        return IMPORTS + snippet(q, lang, True, submission, prompt=False)
    value = ast.literal_eval(kind.solution(q, lang, submission))
    if isinstance(value, (set, frozenset)) or (kind.form == "set" and value == {}):
        return sorted(value)
    return value


def template(q: Question, lang: str) -> str:
    """What a function question's code box starts with: the stub's blank function."""
    return IMPORTS + snippet(q, lang, False, prompt=False) if kind_of(q).code else ""


def _apart(a: Any, b: Any, tol: Tolerance) -> bool:
    """Two right answers a student could not mistake for each other: numbers more than ten
    tolerances apart (the graded one is then no near miss either); other answers, always."""
    if isinstance(a, float) and isinstance(b, float):
        wider = Tolerance(tol.rel * NEAR_MISS, tol.abs * NEAR_MISS)
        return not close(a, b, wider) and not close(b, a, wider)
    return True


def fresh(course: Course, student: str, qid: str, last: int = 0) -> Variant:
    """The next variant after variant ``last`` (0: none yet): its values are not the
    student's graded ones, and a number's answer is neither the graded one nor variant
    ``last``'s.  A question whose answer never changes takes the next ``k``."""
    q = course.by_qid[qid]
    first = Variant(q, student, last + 1)
    if not first.kind.at_leaves:
        return first
    graded = q.model.own_values(student)
    avoid = [solution_at(q, "en", student)]
    if last > 0:
        avoid.append(Variant(q, student, last).solution("en"))
    for k in range(last + 1, last + 1 + TRIES):
        v = Variant(q, student, k)
        if v.values() == graded:
            continue
        right = v.solution("en")
        if all(_apart(right, other, q.tolerance) for other in avoid):
            return v
    return next(
        v
        for k in range(last + 1, last + 2 + TRIES)
        if (v := Variant(q, student, k)).values() != graded
    )


# --- an answer, as a module for the sandbox ---------------------------------------------------


def _number(value: object) -> float:
    """A finite number, or one typed as text (``0,25``, ``−1e-3``): read by a strict pattern
    and ``float``, never evaluated."""
    if isinstance(value, str) and len(value) <= MAX_ITEM:
        text = "".join(value.split()).replace("\u2212", "-").replace(",", ".")
        if _DECIMAL.fullmatch(text):
            value = float(text)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Unfit(t("practice.answer_number"))
    if not math.isfinite(value):
        raise Unfit(t("practice.answer_number"))
    return float(value)


def _text(value: object, limit: int, why: Text) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Unfit(why)
    if len(value) > limit:
        raise Unfit(t("practice.answer_too_long", n=limit))
    return value


def _items(value: object, why: Text) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Unfit(why)
    if len(value) > MAX_ITEMS or any(len(v) > MAX_ITEM for v in value):
        raise Unfit(t("practice.answer_too_long", n=MAX_ITEM))
    return value


def _mapping(value: object) -> dict[str, str | list[str]]:
    why = t("practice.answer_mapping")
    if not isinstance(value, dict) or len(value) > MAX_ITEMS:
        raise Unfit(why)
    out: dict[str, str | list[str]] = {}
    for key, item in value.items():
        if not isinstance(key, str) or len(key) > MAX_ITEM:
            raise Unfit(why)
        out[key] = _items(item, why) if isinstance(item, list) else _text(item, MAX_ITEM, why)
    return out


def literal(q: Question, answer: object) -> str:
    """The Python literal a stub would hold for ``answer``, checked against the question's
    form first: a value of the checked JSON type, written with ``repr`` (so the module holds
    nothing but the literal); Unfit otherwise."""
    form = kind_of(q).form
    if form == "number":
        return repr(_number(answer))
    if form == "formula":
        if isinstance(answer, (int, float)) and not isinstance(answer, bool):
            return repr(_number(answer))  # a number without quotes: read as its text
        return repr(_text(answer, MAX_TEXT, t("practice.answer_formula")))
    if form == "option":
        return repr(_text(answer, MAX_TEXT, t("practice.answer_option")))
    if form == "set":
        chosen = sorted(set(_items(answer, t("practice.answer_set"))))
        return "{" + ", ".join(map(repr, chosen)) + "}" if chosen else "set()"
    if form == "mapping":
        return repr(_mapping(answer))
    raise Unfit(t("practice.not_practised"))


def module(q: Question, answer: object) -> dict[str, str]:
    """The one-question submission the sandbox runs: ``{exercise: source}``.  A function
    question's source is the student's code, as sent (it runs only in the sandbox)."""
    if kind_of(q).code:
        return {q.exercise: _text(answer, MAX_CODE, t("practice.answer_code"))}
    return {q.exercise: f"{q.name} = {literal(q, answer)}\n"}


# --- judging -----------------------------------------------------------------------------------


class Judge:
    """Judges practice answers in ``size`` sandboxes (one answer at a time each, started on
    first use; a busy one is waited for), scoring them one at a time."""

    def __init__(self, course: Course, size: int = 1, sandbox: type[Sandbox] = Sandbox) -> None:
        self.course = course
        self._scoring = threading.Lock()
        self._free: queue.Queue[Sandbox] = queue.Queue()
        self._all = [sandbox() for _ in range(max(1, size))]
        for box in self._all:
            self._free.put(box)

    @contextlib.contextmanager
    def _sandbox(self) -> Iterator[Sandbox]:
        box = self._free.get()
        try:
            yield box
        finally:
            self._free.put(box)

    def close(self) -> None:
        """Stop every sandbox's fork server (a later answer starts it again)."""
        for box in self._all:
            box.close()

    def judge(self, variant: Variant, answer: object) -> Result:
        """The grader's result for ``answer`` on ``variant``: the kind's plan at the variant's
        id, the sandbox, the kind's score.  Unfit for an answer of the wrong form;
        GraderFailure when the grader could not judge it."""
        q = variant.question
        files = module(q, answer)
        plan = Plan()
        try:
            kind = variant.kind
            kind.plan(q, plan, self.course, variant.seed)
            kind.meanwhile()
            budget = Budget(min(self.course.model.time_budget, SECONDS))
            with self._sandbox() as box:
                outcomes = box.run(files, plan.requests, budget)
            with self._scoring:  # one at a time: the 40-digit confirmation sets mpmath's
                # precision for the whole process
                return checks.score_question(self.course, variant.seed, q, plan, outcomes)
        except SandboxError as err:
            raise GraderFailure(f"the sandbox failed: {err or type(err).__name__}") from err
        except Exception as err:  # a plan or a check that raised: a bug of ours
            raise GraderFailure(f"the grader failed: {type(err).__name__}: {err}") from err


def verdict(result: Result) -> str:
    """right, partial or wrong: what a practising student is told first (the grader's status,
    error and timeout included, travels beside it)."""
    return {"passed": "right", "partial": "partial"}.get(result.status, "wrong")


def public(q: Question, lang: str) -> dict[str, Any]:
    """What the practice page may know of a question, never its answer: the kind's public
    data (form, options, keys, arguments), the options' words, the code box's start."""
    data = dict(kind_of(q).public(q))
    data["words"] = {o.value: pick(o.text, lang) for o in q.options}
    data["name"] = q.name
    data["template"] = template(q, lang)
    return data
