"""A mapping name → names: facts of the graph (each node's arguments, its consumers)."""

from __future__ import annotations

from typing import Any

from grader.kinds.base import Kind, verdict
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from publish import solutions
from reference.course.exercises import Question
from reference.course.model import Model
from reference.course.source import Source
from reference.course.targets import Target, evaluate
from reference.i18n import pick, t


def check_nodes(src: Source, path: tuple, values: list[str], model: Model) -> bool:
    """Options that name nodes of the model."""
    nodes = [n.name for n in model.nodes]
    unknown = [v for v in values if v not in nodes]
    if unknown:
        src.error(
            (*path, "options"),
            f"options must be nodes of the model; not: {', '.join(unknown)}",
            f"варианты должны быть узлами модели; это не так для: {', '.join(unknown)}",
        )
        return False
    return True


class Mapping(Kind):
    name = "mapping"
    form = "mapping"
    answers = ("arguments", "consumers")
    options = "optional"
    instruction = t(
        "A dict name → list of names, with the keys", "Словарь «имя → список имён» с ключами"
    )

    def check_options(
        self, src: Source, path: tuple, target: Target, values: list[str], model: Model
    ) -> bool:
        return check_nodes(src, path, values, model)

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        right = evaluate(q.target, q.model, {})
        keys = solutions.mapping_keys(q)
        if not isinstance(value, dict):
            return Result(
                q.qid,
                0.0,
                q.points,
                "failed",
                t("Write a dict name → list of names.", "Напишите словарь «имя → список имён»."),
            )
        wrong = [
            k
            for k in keys
            if not isinstance(value.get(k), list) or set(map(str, value[k])) != set(right[k])
        ]
        if not wrong:
            return verdict(q, None, right=True)
        share = 1 - len(wrong) / len(keys)
        return Result(
            q.qid,
            round(q.points * share, 6),
            q.points,
            "partial" if share > 0 else "failed",
            t("Not right.", "Неверно.")
            if q.model.feedback == "brief"  # naming the keys would let a student search each
            else t(f"Not right for: {', '.join(wrong)}.", f"Неверно для: {', '.join(wrong)}."),
        )

    def blank(self, q: Question, lang: str) -> str:
        return "{}"

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(solutions.fact(q))

    def details(self, q: Question, lang: str) -> str:
        return f"# {pick(self.instruction, lang)}: {', '.join(solutions.mapping_keys(q))}"

    def public(self, q: Question) -> dict[str, Any]:
        return {**super().public(q), "keys": solutions.mapping_keys(q)}
