"""The whole course: course.yml's model plus every exercise's questions, checked.

``load_course`` reads course.yml and each listed ``exercises/<id>.yml``, validates them
against the package's ``exercise.schema.json`` (the file editors point at to complete the YAML)
and then against the model: every name an answer refers to must exist, node exercises must
hold the questions the stub contract promises, a teacher's "known mistake" must really be
wrong.  All problems of all files come back at once as ``file:line: message``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.course.questions import Course, Exercise, Mistake, Option, Question
from reference import expr as ex
from reference.autograd import compile_expr
from reference.course.model import Model, Tolerance, build_model, declared_languages
from reference.course.prose import render_exercise
from reference.course.schema import validate as validate_schema
from reference.course.source import CourseError, Source, read_yaml
from reference.course.targets import (
    AT_POINT,
    FACTS,
    LEAVES,
    Backward,
    Change,
    Fact,
    Grad,
    Local,
    LossAfter,
    Manual,
    Sign,
    Target,
    Update,
    Value,
    evaluate,
    evaluate_at_leaves,
    sample_args,
)
from reference.i18n import LANGUAGES, Problem, Text, did_you_mean, join, t
from reference.table import ALIASES, FUNCTIONS, NUMERIC

if TYPE_CHECKING:
    from grader.kinds.base import Kind

SCHEMA = "exercise.schema.json"  # package data beside this module


def kinds() -> dict[str, Kind]:
    """The registry of question kinds (``grader.kinds``), which declares what each kind may
    ask for, its options and its known mistakes.  Imported when a course is first built (the
    kinds import :mod:`grader.course.questions`, never this module)."""
    from grader.kinds import KINDS

    return KINDS


def load_course(course_file: Path | str, name: str | None = None) -> Course:
    """course.yml and its exercises, or CourseError with every problem of every file."""
    course_file = Path(course_file)
    src = read_yaml(course_file, name or course_file.name)
    model = build_model(src)
    problems = list(src.problems)
    exercises: list[Exercise] = []
    listed = src.data.get("exercises") if isinstance(src.data, dict) else None
    folder = course_file.parent / "exercises"
    display = str(Path(src.name).parent / "exercises")
    if listed is not None and not isinstance(listed, dict):
        problems.append(
            Problem(
                src.name,
                src.line("exercises"),
                t("course.exercises_must_map_each_exercise"),
            )
        )
        listed = None
    # composed once a course: the kinds' fields, and a text in each of the course's languages
    schema = _schema(model.languages if model else LANGUAGES)
    for ex_id, weight in (listed or {}).items():
        line = src.line("exercises", ex_id)
        if not (isinstance(ex_id, str) and ex_id.isidentifier()):
            problems.append(
                Problem(
                    src.name,
                    line,
                    t("course.cannot_name_exercise_becomes_python", ex_id=ex_id),
                )
            )
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            problems.append(
                Problem(
                    src.name,
                    line,
                    t("course.weight_must_positive_number", ex_id=ex_id),
                )
            )
            continue
        path = folder / f"{ex_id}.yml"
        if not path.is_file():
            problems.append(
                Problem(
                    src.name,
                    line,
                    t("course.exercise_listed_but_yml_does", ex_id=ex_id, display=display),
                )
            )
            continue
        try:
            esrc = read_yaml(path, f"{display}/{ex_id}.yml")
        except CourseError as err:
            problems.extend(err.problems)
            continue
        exercise = (
            build_exercise(esrc, ex_id, float(weight), model, src.data, schema) if model else None
        )
        problems.extend(esrc.problems)
        if exercise is not None:
            exercises.append(exercise)
    if problems or model is None:  # no model without a problem saying why
        raise CourseError(problems, declared_languages(src.data))
    assignment = str(src.data.get("assignment", model.course))
    return Course(course_file.parent, model, _shared_mistakes(exercises), assignment)


def _shared_mistakes(exercises: list[Exercise]) -> tuple[Exercise, ...]:
    """A known mistake written as another quantity (``answer: {grad: x2}``) is a mistake of
    its question's quantity wherever that quantity is asked: the function, and the number
    computed by hand at the student's own values, get the same diagnosis and credit."""
    pool: dict[tuple[int, Target], list[Mistake]] = {}
    for e in exercises:
        for q in e.questions:
            for m in q.mistakes:
                if m.target is not None and not m.is_answer:
                    pool.setdefault((id(q.model), q.target), []).append(m)
    out = []
    for e in exercises:
        questions = []
        for q in e.questions:
            known: set[Target | None] = {m.target for m in q.mistakes}
            said = [m.feedback for m in q.mistakes]  # a slip written here in another form
            extra = []
            for m in pool.get((id(q.model), q.target), []):
                if m.target not in known and m.feedback not in said:
                    known.add(m.target)
                    said.append(m.feedback)
                    extra.append(m)
            questions.append(dataclasses.replace(q, mistakes=(*q.mistakes, *extra)) if extra else q)
        out.append(dataclasses.replace(e, questions=tuple(questions)))
    return tuple(out)


def _schema(languages: Sequence[str] = LANGUAGES) -> dict:
    """exercise.schema.json with the registry's kinds: their names and what each is, and
    the fields each kind owns (``Kind.fields``); a text is written in each of ``languages``
    and may be in any of the catalogue's.  The file as shipped is this for the catalogue's
    languages, written by ``python -m grader.course.schema_file`` (a test keeps the two
    equal)."""
    return compose(_shipped(), kinds(), languages)


@cache
def _shipped() -> dict:
    return json.loads(resources.files(__package__).joinpath(SCHEMA).read_text(encoding="utf-8"))


def compose(schema: dict, registry: dict[str, Kind], languages: Sequence[str] = LANGUAGES) -> dict:
    """``schema`` with the kind enum, its description and every kind's own fields from
    ``registry`` (the fields a kind no longer has are dropped: they are marked as owned),
    and its texts required in ``languages``."""
    out = json.loads(json.dumps(schema))
    text = out["$defs"]["text"]
    text["properties"] = {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES}
    text["required"] = list(languages)
    props = out["$defs"]["question"]["properties"]
    for name in [k for k, v in props.items() if isinstance(v, dict) and v.get("x-kinds")]:
        del props[name]
    props["kind"] = {
        "enum": list(registry),
        "description": "; ".join(f"{k}: {v.about}" for k, v in registry.items() if v.about) + ".",
    }
    owners: dict[str, list[str]] = {}
    for kind in registry.values():
        for field_name in kind.fields:
            owners.setdefault(field_name, []).append(kind.name)
    for field_name, names in owners.items():
        first = registry[names[0]].fields[field_name]
        props[field_name] = {**first, "x-kinds": names}
    return out


def _schema_problems(src: Source, schema: dict) -> bool:
    """Structural problems against exercise.schema.json; True when there were any."""
    errors = validate_schema(src.data, schema)
    for err in errors:
        if err.keyword == "oneOf" and err.path and err.path[-1] == "answer":
            where = ".".join(str(p) for p in err.path)
            said = src_value(src.data, err.path)
            src.error(err.path, t("course.answer_not_a_quantity", where=where, said=said))
        else:
            src.error(err.path, err.text)
    return bool(errors)


def src_value(data: Any, path: tuple) -> Any:
    for p in path:
        data = data[p]
    return data


def build_exercise(
    src: Source,
    ex_id: str,
    weight: float,
    course_model: Model,
    course_doc: dict,
    schema: dict | None = None,
) -> Exercise | None:
    """One exercise from its YAML, or None; problems go to ``src.problems``."""
    if _schema_problems(src, schema or _schema()):
        return None
    doc = src.data
    model = course_model
    if "model" in doc:
        inherited = {
            k: course_doc[k]
            for k in (
                "seed",
                "learning_rate",
                "tolerance",
                "points",
                "languages",
                "title",
                "course",
            )
            if k in course_doc
        }
        own = build_model(src.part("model", data={**inherited, **doc["model"]}))
        if own is None:
            return None
        model = own
    problems_before = len(src.problems)
    doc = render_exercise(src, doc, model)
    if len(src.problems) > problems_before:
        return None
    node = doc.get("node")
    if node is not None and node not in [n.name for n in model.nodes]:
        hint = did_you_mean(node, [n.name for n in model.nodes])
        src.error(
            ("node",),
            join([t("course.node_not_node_model", node=node), hint], sep=""),
        )
        return None
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i, qdoc in enumerate(doc["questions"]):
        q = _question(src, ex_id, i, qdoc, model, node, weight)
        if qdoc["id"] in seen:
            src.error(
                ("questions", i, "id"),
                t("course.question_id_used_twice", id=qdoc["id"], first=seen[qdoc["id"]]),
            )
        seen.setdefault(qdoc["id"], src.line("questions", i, "id"))
        if q is not None:
            questions.append(q)
    if node is not None:
        _contract(src, model, node, {q["id"]: q for q in doc["questions"]})
    if len(questions) != len(doc["questions"]) or any(p.file == src.name for p in src.problems):
        return None
    return Exercise(
        ex_id, src.name, doc["title"], doc.get("intro"), node, model, weight, tuple(questions)
    )


def contract_questions(model: Model, node: str) -> dict[str, tuple[str, Target]]:
    """The questions the stub contract promises for a node: id → (kind, target)."""
    args = model.node(node).args
    wanted: dict[str, tuple[str, Target]] = {"forward": ("function", Value(node))}
    for a in args:
        wanted[f"d{node}_d{a}"] = ("function", Local(node, a))
        wanted[f"d{node}_d{a}_formula"] = ("formula", Local(node, a))
    wanted["backward"] = ("function", Backward(node))
    return wanted


def _contract(src: Source, model: Model, node: str, qdocs: dict[str, dict]) -> None:
    for qid, (kind, target) in contract_questions(model, node).items():
        if qid not in qdocs:
            src.error(
                ("questions",),
                t("course.missing_question_stub_contract_node", qid=qid, kind=kind, node=node),
            )
            continue
        q = qdocs[qid]
        got = _target(None, (), q.get("answer"), model, node)
        if q["kind"] != kind or got != target:
            src.error(
                ("questions",),
                t("course.question_must_kind_with_answer", qid=qid, kind=kind),
            )


def _question(
    src: Source, ex_id: str, i: int, q: dict, model: Model, node: str | None, weight: float
) -> Question | None:
    path = ("questions", i)
    kind = q["kind"]
    spec = kinds()[kind]
    target: Target = Manual()
    if not spec.answers:
        if "answer" in q:
            src.error(
                (*path, "answer"),
                t("course.question_graded_by_teacher_has", kind=kind),
            )
            return None
    else:
        if "answer" not in q:
            src.error(
                path,
                t("course.question_needs_answer_quantity_reference", id=q["id"]),
            )
            return None
        found = _target(src, (*path, "answer"), q["answer"], model, node)
        if found is None:
            return None
        target = found
        if target.what not in spec.answers:
            src.error(
                (*path, "kind"),
                t(
                    "course.question_cannot_ask_for_can",
                    kind=kind,
                    what=target.what,
                    answers=", ".join(spec.answers),
                ),
            )
            return None
    own = _own_fields(src, path, q, spec)
    if own is None:
        return None
    options = tuple(Option(o["value"], o["text"], o.get("why")) for o in q.get("options", ()))
    if not _options_ok(src, path, spec, target, options, model):
        return None
    args = spec.args(target, model)
    credit = q.get("credit", spec.credits[0])
    if credit not in spec.credits:
        src.error(
            (*path, "credit"),
            t("course.question_shares_points_one_way", kind=kind, credit=spec.credits[0]),
        )
        return None
    tol = q.get("tolerance", {})
    base = spec.tolerance(model)
    tolerance = Tolerance(float(tol.get("rel", base.rel)), float(tol.get("abs", base.abs)))
    mistakes = []
    for j, m in enumerate(q.get("mistakes", ())):
        mistake = _mistake(src, (*path, "mistakes", j), m, spec, target, args, model, node)
        if mistake is not None:
            mistakes.append(mistake)
    if len(mistakes) != len(q.get("mistakes", ())):
        return None
    name = node if (node is not None and q["id"] == "forward") else q["id"]
    return Question(
        ex_id,
        q["id"],
        kind,
        float(q["points"]) * weight,
        q["prompt"],
        q.get("hint"),
        target,
        name,
        args,
        options,
        tolerance,
        tuple(mistakes),
        model,
        src.line(*path, "id") or 1,
        credit,
        bool(spec.auto),
        bool(spec.code),
        own,
    )


def _own_fields(src: Source, path: tuple, q: dict, spec: Kind) -> dict[str, Any] | None:
    """The fields of the question's own kind, read by it; another kind's field is an error
    at its line (the schema lets every kind's fields through)."""
    others = {f for k in kinds().values() if k is not spec for f in k.fields} - set(spec.fields)
    for name in sorted(others & set(q)):
        src.error(
            (*path, name),
            t(
                "course.field_questions_not_ones",
                name=name,
                kinds=", ".join(k.name for k in kinds().values() if name in k.fields),
                kind=spec.name,
            ),
        )
        return None
    return spec.read_fields(src, path, q)


def _target(
    src: Source | None,
    path: tuple,
    answer: Any,
    model: Model,
    node: str | None,
) -> Target | None:
    """The YAML's ``answer:`` as a Target checked against the model (None if not, reported
    to ``src`` unless it is None)."""

    def bad(text: Text) -> None:
        if src is not None:
            src.error(path, text)

    names = list(model.names)
    if isinstance(answer, str):
        return _named_target(answer, node, bad)
    if not isinstance(answer, dict) or len(answer) != 1:
        bad(t("course.answer_must_name_one_quantity"))
        return None
    ((what, arg),) = answer.items()
    if what == "value":
        if arg not in [n.name for n in model.nodes]:
            hint = did_you_mean(str(arg), names)
            bad(join([t("course.value_not_node", arg=arg), hint], sep=""))
            return None
        return Value(arg)
    if what == "local":
        return _local_target(arg, model, node, bad)
    if what in LEAVES:
        pool = names if what == "grad" else list(model.parameters)
        if arg not in pool:
            hint = did_you_mean(str(arg), pool)
            if what == "grad":
                bad(join([t("course.not_name_model", what=what, name=arg), hint], sep=""))
            else:
                bad(join([t("course.not_parameter", what=what, name=arg), hint], sep=""))
            return None
        if what == "grad":
            return Grad(arg)
        return Update(arg) if what == "update" else LossAfter(arg)
    if what in AT_POINT:
        return _at_point_target(what, arg, model, bad)
    bad(t("course.answer_unknown_quantity", what=what))
    return None


Bad = Callable[[Text], None]  # a problem of the answer, in every language


def _named_target(answer: str, node: str | None, bad: Bad) -> Target | None:
    """``answer: value`` (or backward, or a fact of the model)."""
    if answer in FACTS:
        return Fact(answer)
    if node is None:
        bad(
            t("course.needs_exercise_node_write_e", answer=answer),
        )
        return None
    if answer in ("value", "backward"):
        return Value(node) if answer == "value" else Backward(node)
    bad(t("course.answer_unknown_quantity", what=answer))
    return None


def _local_target(arg: Any, model: Model, node: str | None, bad: Bad) -> Target | None:
    """``{local: A}`` (of the exercise's node) or ``{local: {of: G, wrt: A}}``."""
    of, wrt = (arg.get("of"), arg.get("wrt")) if isinstance(arg, dict) else (node, arg)
    if of is None:
        bad(
            t("course.local_needs_node", example="{local: {of: G, wrt: A}}"),
        )
        return None
    if of not in [n.name for n in model.nodes]:
        bad(t("course.local_not_node", of=of))
        return None
    if wrt not in model.node(of).args:
        args = model.node(of).args
        hint = did_you_mean(str(wrt), args)
        bad(
            join(
                [t("course.local_not_argument", wrt=wrt, of=of, args=", ".join(args)), hint], sep=""
            ),
        )
        return None
    return Local(of, wrt)


def _at_point_target(what: str, arg: Any, model: Model, bad: Bad) -> Target | None:
    """``{change: {of, wrt, by}}`` or ``{sign: {of, wrt}}``: names of the model, one
    depending on the other."""
    names = list(model.names)
    of, wrt = arg["of"], arg["wrt"]
    for n in (of, wrt):
        if n not in names:
            hint = did_you_mean(str(n), names)
            bad(
                join([t("course.not_name_model", what=what, name=n), hint], sep=""),
            )
            return None
    if not _depends(model, of, wrt):
        bad(t("course.does_not_depend_on", what=what, of=of, wrt=wrt))
        return None
    return Change(of, wrt, float(arg["by"])) if what == "change" else Sign(of, wrt)


def _depends(model: Model, of: str, wrt: str) -> bool:
    if of == wrt:
        return True
    if of in model.leaves:
        return False
    return any(_depends(model, a, wrt) for a in model.node(of).args)


def _options_ok(
    src: Source,
    path: tuple,
    spec: Kind,
    target: Target | None,
    options: tuple[Option, ...],
    model: Model,
) -> bool:
    values = [o.value for o in options]
    if spec.options == "required" and not options:
        src.error(path, t("course.question_needs_options", name=spec.name))
        return False
    if options and spec.options == "none":
        src.error(
            (*path, "options"),
            t("course.question_has_no_options", name=spec.name),
        )
        return False
    if len(set(values)) != len(values):
        src.error(
            (*path, "options"),
            t("course.two_options_have_same_value"),
        )
        return False
    if target is None or isinstance(target, Manual) or not options:
        return True
    return bool(spec.check_options(src, path, target, values, model))


def _mistake(
    src: Source,
    path: tuple,
    m: dict,
    spec: Kind,
    target: Target | None,
    args: tuple[str, ...],
    model: Model,
    node: str | None,
) -> Mistake | None:
    feedback, credit = m["feedback"], float(m.get("credit", 0))
    if ("formula" in m) == ("answer" in m):
        src.error(
            path,
            t("course.mistake_gives_either_formula_answer"),
        )
        return None
    form = "formula" if "formula" in m else "answer"
    if target is None or isinstance(target, Manual) or not spec.mistakes:
        takes = ", ".join(k.name for k in kinds().values() if k.mistakes)
        src.error(
            path,
            t("course.known_mistakes_are_for_questions", takes=takes, name=spec.name),
        )
        return None
    rng = np.random.default_rng(0)
    if "formula" in m:
        # A wrong formula also describes wrong *values*: a function question's mistake.
        if form not in spec.mistakes or target.returns_mapping:
            src.error(
                (*path, "formula"),
                t("course.formula_mistake_belongs_formula_question"),
            )
            return None
        try:
            tree = ex.parse(m["formula"], names=args, functions=FUNCTIONS, aliases=ALIASES)
            tape = compile_expr(tree, args)
        except ex.ExprError as err:
            src.error(
                (*path, "formula"),
                join([t("course.mistake_formula"), err.problems[0].text]),
            )
            return None
        point = sample_args(target, model, rng, 16)
        wrong = tape.forward(NUMERIC, [point[a] for a in args])[tape.output]
        is_answer = np.allclose(wrong, evaluate(target, model, point), rtol=1e-9, atol=1e-12)
        return Mistake(feedback, credit, formula=m["formula"], tree=tree, is_answer=is_answer)
    if form not in spec.mistakes:
        src.error(
            (*path, "answer"),
            t(
                "course.question_known_mistakes_are_given",
                name=spec.name,
                mistakes=", ".join(spec.mistakes),
            ),
        )
        return None
    wrong_target = _target(src, (*path, "answer"), m["answer"], model, node)
    if wrong_target is None:
        return None
    same_args = spec.at_leaves or wrong_target.args(model) == target.args(model)
    if not same_args or wrong_target.returns_mapping or wrong_target.what in FACTS:
        src.error(
            (*path, "answer"),
            t("course.mistaken_quantity_must_take_same"),
        )
        return None
    if spec.at_leaves:
        leaves = model.sample(rng, 16)
        right, wrong = (evaluate_at_leaves(x, model, leaves) for x in (target, wrong_target))
    else:
        point = sample_args(target, model, rng, 16)
        right, wrong = (evaluate(x, model, point) for x in (target, wrong_target))
    is_answer = np.allclose(wrong, right, rtol=1e-9, atol=1e-12)
    return Mistake(feedback, credit, target=wrong_target, is_answer=is_answer)
