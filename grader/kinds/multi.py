"""Several options at once: a set of nodes with a property of the graph."""

from __future__ import annotations

from typing import Any

from grader.course import solutions
from grader.course.questions import Question
from grader.kinds import labels
from grader.kinds.base import Kind, verdict
from grader.kinds.mapping import check_nodes
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from reference.course.model import Model
from reference.course.source import Source
from reference.course.targets import Target, evaluate
from reference.i18n import join, pick, t


class Multi(Kind):
    name = "multi"
    about = "a set of options"
    form = "set"
    answers = ("nodes_with_parameters",)
    options = "required"
    credits = ("all", "proportional")
    instruction = t("kinds.set_options_that_apply_out")

    def check_options(
        self, src: Source, path: tuple, target: Target, values: list[str], model: Model
    ) -> bool:
        if not check_nodes(src, path, values, model):
            return False
        missing = [n for n in evaluate(target, model, {}) if n not in values]
        if missing:
            src.error(
                (*path, "options"),
                t("kinds.options_leave_out_which_correct", missing=", ".join(missing)),
            )
            return False
        return True

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Result(
                q.qid,
                0.0,
                q.points,
                "failed",
                t("kinds.write_set_option_names_e", example="{'A'}"),
            )
        options = [o.value for o in q.options]
        read = {v: labels.read(v, options) for v in value}
        unknown = [v for v, option in read.items() if option is None]
        if unknown:
            return Result(q.qid, 0.0, q.points, "failed", labels.not_an_option(unknown, options))
        chosen = {option for option in read.values() if option is not None}
        wanted = set(evaluate(q.target, q.model, {})) & set(options)
        if chosen == wanted:
            return verdict(q, None, right=True)
        missing, extra = len(wanted - chosen), len(chosen - wanted)
        share = 0.0
        if q.credit == "proportional" and wanted:  # right ones chosen, less the wrong ones
            share = max(0.0, (len(wanted & chosen) - extra) / len(wanted))
        status = "partial" if share > 0 else "failed"
        if q.model.feedback == "brief":  # counts would let a resubmitting student search
            said = t("kinds.not_right")
        else:
            said = join([t("kinds.not_right_2"), join(_miscount(missing, extra), "; ")])
        return Result(q.qid, round(q.points * share, 6), q.points, status, said)

    def blank(self, q: Question, lang: str) -> str:
        return "set()"

    def solution(self, q: Question, lang: str, student: str) -> str:
        right = solutions.fact(q)
        chosen = [o.value for o in q.options if o.value in right]
        return "{" + ", ".join(repr(v) for v in chosen) + "}"

    def details(self, q: Question, lang: str) -> str:
        options = "\n".join(f'#   "{o.value}": {pick(o.text, lang)}' for o in q.options)
        return f"# {pick(self.instruction, lang)}:\n{options}"

    def public(self, q: Question) -> dict[str, Any]:
        return {**super().public(q), "options": [o.value for o in q.options]}


def _miscount(missing: int, extra: int) -> list[dict[str, str]]:
    """How far a set of options is off, only the nonzero parts: "1 right option not chosen"."""
    parts = []
    if missing:
        parts.append(t("kinds.options_not_chosen", n=missing))
    if extra:
        parts.append(t("kinds.options_chosen_wrongly", n=extra))
    return parts
