"""Grading one submission: what to ask the sandbox, and each question's score from the answers.

Two steps with the sandbox between them.  ``plan`` decides, for every question, which of the
student's names to read or call and at which points (seeded by the course seed and the
submission id: reproducible, different for every student); ``score`` compares what came back
with the reference, in this process, and explains every lost point.  Error carried forward:
``backward`` is also checked against the student's own local derivatives, and the chain
questions against the chain rule applied to the student's own local derivatives, so one
mistake costs points once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.sandbox import Outcome, Request
from grader.scoring.diagnose import Finding, backward_findings, close, diagnose
from reference import expr as ex
from reference.autograd import backprop, compile_expr
from reference.course.exercises import Course, Question
from reference.course.sampling import rng_for, student_values
from reference.course.targets import (
    evaluate,
    evaluate_at_leaves,
    sample_args,
    upstream_name,
)
from reference.table import ALIASES, FUNCTIONS, NUMERIC, precise

Text = dict[str, str]
EXPECT = {
    "function": "number",
    "formula": "text",
    "number": "number",
    "choice": "json",
    "multi": "json",
    "mapping": "json",
    "text": "text",
}


def _t(en: str, ru: str) -> Text:
    return {"en": en, "ru": ru}


@dataclass
class Result:
    qid: str
    score: float
    max_score: float
    status: str  # passed | partial | failed | error | timeout | missing
    feedback: Text = field(default_factory=lambda: _t("", ""))

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.qid,
            "score": round(self.score, 6),
            "max_score": self.max_score,
            "status": self.status,
            "feedback": " ".join(self.feedback[lang].split()),
        }


@dataclass
class Plan:
    """Requests for one submission, and where each question's answers are among them."""

    requests: list[Request] = field(default_factory=list)
    slots: dict[tuple, int] = field(default_factory=dict)
    points: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # qid → (the student's local-derivative question, where it is called) for error carried
    # forward: worked out once here, read again when scoring.
    links: dict[str, list[tuple[Question, dict[str, np.ndarray]]]] = field(default_factory=dict)

    def ask(self, module: str, name: str, args: tuple[float, ...] | None, expect: str) -> int:
        key = (module, name, args, expect)
        if key not in self.slots:
            self.slots[key] = len(self.requests)
            self.requests.append(Request(module, name, args, expect))
        return self.slots[key]

    def calls(
        self,
        module: str,
        name: str,
        point: dict[str, np.ndarray],
        args: tuple[str, ...],
        expect: str,
    ) -> list[int]:
        n = len(next(iter(point.values())))
        return [
            self.ask(module, name, tuple(float(point[a][k]) for a in args), expect)
            for k in range(n)
        ]


def local_function(course: Course, node: str, arg: str) -> Question | None:
    """The student's ``dN_d<arg>`` function question, if the course has it."""
    q = course.by_qid.get(f"{node}.d{node}_d{arg}")
    return q if q is not None and q.kind == "function" else None


def plan(course: Course, submission: str) -> Plan:
    p = Plan()
    for q in course.questions:
        if not q.auto:
            continue
        if q.kind == "formula":  # checked here, at points of its own
            p.points[q.qid] = sample_args(
                q.target, q.model, rng_for(q.model.seed, submission, q.qid), 12
            )
        if q.kind != "function":
            p.ask(q.exercise, q.name, None, EXPECT[q.kind])
            continue
        point = sample_args(
            q.target, q.model, rng_for(q.model.seed, submission, q.qid), q.model.points
        )
        p.points[q.qid] = point
        expect = "numbers" if q.target.what == "backward" else "number"
        p.calls(q.exercise, q.name, point, q.args, expect)
        p.links[q.qid] = list(_links(course, q, point))
        for lq, lpoint in p.links[q.qid]:
            p.calls(lq.exercise, lq.name, lpoint, lq.args, "number")
    return p


def _links(course: Course, q: Question, point: dict[str, np.ndarray]):
    """(the student's local-derivative question, where to call it) that ``q`` builds on."""
    if q.target.what == "backward":
        node = q.model.node(q.target.node)
        for a in node.args:
            lq = local_function(course, node.name, a)
            if lq is not None and lq.model is q.model:
                yield lq, point
    elif q.target.what == "grad" and q.model is course.model:
        trace = q.model.trace(point)
        for node in q.model.nodes:
            for a in node.args:
                lq = local_function(course, node.name, a)
                if lq is not None:
                    yield lq, {n: np.asarray(trace.values[n]) for n in node.args}


# --- scoring -------------------------------------------------------------------------------


def score(course: Course, submission: str, p: Plan, outcomes: list[Outcome]) -> list[Result]:
    results = []
    for q in course.questions:
        if not q.auto:
            continue
        try:
            results.append(score_question(course, submission, q, p, outcomes))
        except Exception as err:  # a grader bug must cost this question only, and say so
            results.append(
                Result(
                    q.qid,
                    0.0,
                    q.points,
                    "error",
                    _t(
                        f"internal grader error ({type(err).__name__}: {err}); "
                        "please tell the teacher",
                        f"внутренняя ошибка проверки ({type(err).__name__}: {err}); сообщите "
                        "учителю",
                    ),
                )
            )
    return results


def score_question(
    course: Course, submission: str, q: Question, p: Plan, outcomes: list[Outcome]
) -> Result:
    """One question's result from the outcomes of ``p``'s requests."""
    fail = Result(q.qid, 0.0, q.points, "failed")
    if q.kind == "function":
        point = p.points[q.qid]
        expect = "numbers" if q.target.what == "backward" else "number"
        got = [outcomes[i] for i in p.calls(q.exercise, q.name, point, q.args, expect)]
        bad = _not_ok(q, got)
        if bad:
            return bad
        return _function(course, q, point, [o.value for o in got], p, outcomes)
    got = outcomes[p.ask(q.exercise, q.name, None, EXPECT[q.kind])]
    bad = _not_ok(q, [got])
    if bad:
        return bad
    if q.kind == "formula":
        return _formula(q, got.value, p.points[q.qid])
    if q.kind == "number":
        leaves = student_values(q.model.seed, submission, q.model.ranges)
        point = {k: np.asarray(leaves[k]) for k in q.model.leaves}
        return _values(
            q, float(got.value), evaluate_at_leaves(q.target, q.model, point), point, True
        )
    leaves = student_values(q.model.seed, submission, q.model.ranges)
    return _quiz(q, got.value, leaves) or fail


def _not_ok(q: Question, got: list[Outcome]) -> Result | None:
    for o in got:
        if o.status == "ok":
            continue
        where = f" ({o.where})" if o.where else ""
        msg = _t(f"{o.error}{where}", f"{o.error}{where}")
        if o.status == "missing":
            msg = _t(f"{o.error}", f"{o.error}")
        elif o.status == "timeout":
            msg = _t(
                f"{q.name} did not answer in time (an endless loop?){where}",
                f"{q.name} не ответила вовремя (бесконечный цикл?){where}",
            )
        return Result(q.qid, 0.0, q.points, o.status, msg)
    return None


def _verdict(
    q: Question, finding: Finding | None, right: bool = False, note: Text | None = None
) -> Result:
    if right:
        return Result(q.qid, q.points, q.points, "passed", note or _t("", ""))
    if finding is None:
        return Result(q.qid, 0.0, q.points, "failed", note or _t("Not right.", "Неверно."))
    status = "partial" if finding.credit > 0 else "failed"
    return Result(q.qid, round(q.points * finding.credit, 6), q.points, status, finding.feedback)


def _values(
    q: Question, student: Any, right: Any, point: dict[str, np.ndarray], at_leaves: bool
) -> Result:
    if close(student, right, q.tolerance):
        return _verdict(q, None, right=True)
    finding = diagnose(q, np.asarray(student, float), point, at_leaves, q.tolerance)
    return _verdict(q, finding, note=_where_wrong(q, student, right, point, at_leaves))


def _where_wrong(q, student, right, point, at_leaves) -> Text:
    if at_leaves:
        return _t("Not right at your values.", "Неверно в ваших значениях.")
    student, right = np.atleast_1d(student), np.atleast_1d(right)
    k = int(np.argmax(~np.isclose(student, right, rtol=q.tolerance.rel, atol=q.tolerance.abs)))
    at = ", ".join(f"{a}={float(point[a][k]):.4g}" for a in q.args)
    return _t(
        f"Not right: {q.name}({at}) returned {float(student[k]):.6g}.",
        f"Неверно: {q.name}({at}) вернула {float(student[k]):.6g}.",
    )


def _function(course, q, point, values, p, outcomes) -> Result:
    if q.target.what != "backward":
        student = np.array(values, float)
        right = evaluate(q.target, q.model, point)
        if q.target.what == "grad" and not close(student, right, q.tolerance):
            ecf = _chain_carried(q, student, p, outcomes)
            if ecf is not None:
                return ecf
        return _values(q, student, right, point, False)
    node = q.model.node(q.target.node)
    keys = set(node.args)
    for v in values:
        if set(v) != keys:
            return Result(
                q.qid,
                0.0,
                q.points,
                "failed",
                _t(
                    f"backward must return a dict with exactly the keys {sorted(keys)}; got "
                    f"{sorted(v)}",
                    f"backward должна вернуть словарь ровно с ключами "
                    f"{sorted(keys)}; получено {sorted(v)}",
                ),
            )
    student = {a: np.array([v[a] for v in values], float) for a in node.args}
    right = evaluate(q.target, q.model, point)
    if all(close(student[a], right[a], q.tolerance) for a in node.args):
        return _verdict(q, None, right=True)
    ecf = _backward_carried(course, q, point, student, p, outcomes)
    if ecf is not None:
        return ecf
    notes = backward_findings(q, student, point, q.tolerance)
    return Result(
        q.qid,
        0.0,
        q.points,
        "failed",
        _t(" ".join(n["en"] for n in notes), " ".join(n["ru"] for n in notes)),
    )


def _backward_carried(course, q, point, student, p, outcomes) -> Result | None:
    """Full credit when backward is right given the student's own (wrong) local derivatives."""
    node = q.model.node(q.target.node)
    upstream = point[upstream_name(q.model, node.name)]
    own = {}
    for a in node.args:
        lq = local_function(course, node.name, a)
        if lq is None:
            return None
        got = [outcomes[i] for i in p.calls(lq.exercise, lq.name, point, lq.args, "number")]
        if any(o.status != "ok" for o in got):
            return None
        own[a] = np.array([o.value for o in got], float)
    if all(close(student[a], upstream * own[a], q.tolerance) for a in node.args):
        return Result(
            q.qid,
            q.points,
            q.points,
            "passed",
            _t(
                f"Right for your own d{node.name}/d… functions, which have a mistake: this "
                "question does not count it again.",
                f"Верно для ваших собственных функций "
                f"d{node.name}/d…, в которых есть ошибка: здесь она повторно не учитывается.",
            ),
        )
    return None


def _chain_carried(q, student, p, outcomes) -> Result | None:
    """Full credit when the chain is assembled right from the student's own local derivatives."""
    local: dict[str, dict[str, np.ndarray]] = {}
    for lq, lpoint in p.links[q.qid]:
        got = [outcomes[i] for i in p.calls(lq.exercise, lq.name, lpoint, lq.args, "number")]
        if any(o.status != "ok" for o in got):
            return None
        local.setdefault(lq.exercise, {})[lq.target.wrt] = np.array([o.value for o in got])
    if set(local) != {n.name for n in q.model.nodes}:
        return None
    own = backprop(q.model, local).get(q.target.wrt)
    if own is None or not close(student, own, q.tolerance):
        return None
    return Result(
        q.qid,
        q.points,
        q.points,
        "passed",
        _t(
            "Right for your own local derivatives, some of which have a mistake: the chain itself "
            "is assembled correctly, so it is not counted again.",
            "Верно для ваших собственных "
            "локальных производных, в некоторых из которых есть ошибка: сама цепочка собрана "
            "верно, поэтому ошибка повторно не учитывается.",
        ),
    )


def _formula(q: Question, text: str, point: dict[str, np.ndarray]) -> Result:
    try:
        tree = ex.parse(text, names=q.args, functions=FUNCTIONS, aliases=ALIASES)
        tape = compile_expr(tree, q.args)  # folds constants: 9**9**9**9 stops here
    except ex.ExprError as err:
        return Result(
            q.qid,
            0.0,
            q.points,
            "failed",
            _t(f"{q.name}: {err.message('en')}", f"{q.name}: {err.message('ru')}"),
        )
    with np.errstate(all="ignore"):
        values = np.broadcast_to(
            tape.forward(NUMERIC, [point[a] for a in q.args])[tape.output],
            next(iter(point.values())).shape,
        )
    right = evaluate(q.target, q.model, point)
    if not close(values, right, q.tolerance):
        finding = diagnose(q, values, point, False, q.tolerance)
        return _verdict(
            q, finding, note=_t("This formula is not the right one.", "Формула неверна.")
        )
    # Floats agree at every point: confirm at 40 digits that it is the same function.
    for k in range(3):
        args = {a: float(point[a][k]) for a in q.args}
        if not precise.same(
            precise.tape_value(tape, args), precise.target_value(q.target, q.model, args)
        ):
            return _verdict(
                q,
                None,
                note=_t(
                    "Close to the right formula at some points, but not the same function.",
                    "В некоторых точках близко к верной формуле, но это другая функция.",
                ),
            )
    return _verdict(q, None, right=True)


def _quiz(q: Question, value: Any, leaves: dict[str, float]) -> Result | None:
    options = [o.value for o in q.options]
    if q.kind == "choice":
        point = {k: np.asarray(v) for k, v in leaves.items()}
        right = str(evaluate_at_leaves(q.target, q.model, point))
        if not isinstance(value, str) or value not in options:
            return Result(
                q.qid,
                0.0,
                q.points,
                "failed",
                _t(
                    f"Write one of: {', '.join(map(repr, options))}.",
                    f"Напишите одно из: {', '.join(map(repr, options))}.",
                ),
            )
        return _verdict(q, None, right=value == right)
    right = evaluate(q.target, q.model, {})
    if q.kind == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Result(
                q.qid,
                0.0,
                q.points,
                "failed",
                _t(
                    "Write a set of option names, e.g. {'A'}.",
                    "Напишите множество вариантов, например {'A'}.",
                ),
            )
        chosen, wanted = set(value), set(right) & set(options)
        if chosen == wanted:
            return _verdict(q, None, right=True)
        missing, extra = len(wanted - chosen), len(chosen - wanted)
        return Result(
            q.qid,
            0.0,
            q.points,
            "failed",
            _t(
                f"Not right: {missing} missing, {extra} extra.",
                f"Неверно: не хватает {missing}, лишних {extra}.",
            ),
        )
    keys = options or list(right)
    if not isinstance(value, dict):
        return Result(
            q.qid,
            0.0,
            q.points,
            "failed",
            _t("Write a dict: name -> list of names.", "Напишите словарь: имя -> список имён."),
        )
    wrong = [
        k
        for k in keys
        if not isinstance(value.get(k), list) or set(map(str, value[k])) != set(right[k])
    ]
    if not wrong:
        return _verdict(q, None, right=True)
    share = 1 - len(wrong) / len(keys)
    return Result(
        q.qid,
        round(q.points * share, 6),
        q.points,
        "partial" if share > 0 else "failed",
        _t(f"Not right for: {', '.join(wrong)}.", f"Неверно для: {', '.join(wrong)}."),
    )
