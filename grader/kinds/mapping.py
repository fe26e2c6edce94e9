"""A mapping name → names: facts of the graph (each node's arguments, its consumers), or
name → one option: what each function outputs (``outputs``, options naming the outputs)."""

from __future__ import annotations

from typing import Any

from grader.course import solutions
from grader.course.questions import Question
from grader.kinds import labels
from grader.kinds.base import Kind, verdict
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from reference.course.model import Model
from reference.course.source import Source
from reference.course.targets import OUTPUTS, Target, evaluate, true_outputs
from reference.i18n import join, pick, t


def check_nodes(src: Source, path: tuple, values: list[str], model: Model) -> bool:
    """Options that name nodes of the model."""
    nodes = [n.name for n in model.nodes]
    unknown = [v for v in values if v not in nodes]
    if unknown:
        src.error(
            (*path, "options"),
            t("kinds.options_must_nodes_model_not", unknown=", ".join(unknown)),
        )
        return False
    return True


def one_option(q: Question) -> bool:
    """Each key takes one of the options (``outputs``), not a list of names."""
    return q.target.what == "outputs"


def keys(q: Question) -> list[str]:
    """The names the answer maps: every node for ``outputs`` (whose options are the values),
    else the options, else every node."""
    if one_option(q):
        return [n.name for n in q.model.nodes]
    return solutions.mapping_keys(q)


def check_outputs(
    src: Source, path: tuple, target: Target, values: list[str], model: Model
) -> bool:
    """Options of ``outputs``: known outputs, the reference's answer among them."""
    unknown = [v for v in values if v not in OUTPUTS]
    missing = sorted(set(evaluate(target, model, {}).values()) - set(values))
    if unknown or missing:
        src.error(
            (*path, "options"),
            t(
                "kinds.options_outputs_are_some_every",
                outputs=", ".join(OUTPUTS),
                unknown=", ".join(unknown) or "-",
                missing=", ".join(missing) or "-",
            ),
        )
        return False
    return True


class Mapping(Kind):
    name = "mapping"
    about = "name -> list of names"
    form = "mapping"
    answers = ("arguments", "consumers", "outputs")
    options = "optional"
    instruction = t("kinds.dict_name_list_names_with")
    instruction_one = t("kinds.dict_function_one_options_below")

    def check_options(
        self, src: Source, path: tuple, target: Target, values: list[str], model: Model
    ) -> bool:
        if target.what == "outputs":
            return check_outputs(src, path, target, values, model)
        return check_nodes(src, path, values, model)

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        right = evaluate(q.target, q.model, {})
        names = keys(q)
        if not isinstance(value, dict):
            return Result(
                q.qid,
                0.0,
                q.points,
                "failed",
                t("kinds.write_dict_name_one_option")
                if one_option(q)
                else t("kinds.write_dict_name_list_names"),
            )
        value = {labels.read(str(k), names) or str(k): v for k, v in value.items()}
        unknown = [k for k in value if k not in names]
        if unknown:
            return Result(q.qid, 0.0, q.points, "failed", labels.not_an_option(unknown, names))
        strays: list[str] = []  # values that are no option at all, named in the feedback
        if one_option(q):
            options = [o.value for o in q.options]
            strays = [
                v for v in value.values() if isinstance(v, str) and labels.read(v, options) is None
            ]
            wrong = [
                k
                for k in names
                if not isinstance(value.get(k), str)
                or labels.read(value[k], options) not in true_outputs(right[k])
            ]
        else:
            graph = q.model.names
            wrong = [
                k
                for k in names
                if not isinstance(value.get(k), list)
                or {labels.read(str(x), graph) or str(x) for x in value[k]} != set(right[k])
            ]
        if not wrong:
            return verdict(q, None, right=True)
        share = 1 - len(wrong) / len(names)
        said = (
            t("kinds.not_right")
            if q.model.feedback == "brief"  # naming the keys would let a student search each
            else t("kinds.not_right_for", wrong=", ".join(wrong))
        )
        if strays:
            said = join([said, labels.not_an_option(strays, options)])
        return Result(
            q.qid, round(q.points * share, 6), q.points, "partial" if share > 0 else "failed", said
        )

    def blank(self, q: Question, lang: str) -> str:
        return "{}"

    def solution(self, q: Question, lang: str, student: str) -> str:
        if one_option(q):
            right = evaluate(q.target, q.model, {})
            return repr({k: right[k] for k in keys(q)})
        return repr(solutions.fact(q))

    def details(self, q: Question, lang: str) -> str:
        if not one_option(q):
            return f"# {pick(self.instruction, lang)}: {', '.join(keys(q))}"
        options = "\n".join(f'#   "{o.value}": {pick(o.text, lang)}' for o in q.options)
        return f"# {pick(self.instruction_one, lang)} {', '.join(keys(q))}:\n{options}"

    def public(self, q: Question) -> dict[str, Any]:
        data = {**super().public(q), "keys": keys(q)}
        if one_option(q):
            data["options"] = [o.value for o in q.options]
        return data
