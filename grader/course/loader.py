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
from collections.abc import Callable
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
from reference.i18n import Problem, did_you_mean, t
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
                t(
                    "exercises must map each exercise's name to its weight",
                    "exercises должен сопоставлять имени упражнения его вес",
                ),
            )
        )
        listed = None
    schema = _schema()  # composed from the kinds once a course, not once an exercise
    for ex_id, weight in (listed or {}).items():
        line = src.line("exercises", ex_id)
        if not (isinstance(ex_id, str) and ex_id.isidentifier()):
            problems.append(
                Problem(
                    src.name,
                    line,
                    t(
                        f"'{ex_id}' cannot name an exercise (it becomes a Python module name)",
                        f"'{ex_id}' не может быть именем упражнения (это имя модуля Python)",
                    ),
                )
            )
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            problems.append(
                Problem(
                    src.name,
                    line,
                    t(
                        f"weight of {ex_id} must be a positive number",
                        f"вес {ex_id} должен быть положительным числом",
                    ),
                )
            )
            continue
        path = folder / f"{ex_id}.yml"
        if not path.is_file():
            problems.append(
                Problem(
                    src.name,
                    line,
                    t(
                        f"exercise '{ex_id}' is listed but {display}/{ex_id}.yml does not exist",
                        f"упражнение '{ex_id}' указано, но файла {display}/{ex_id}.yml нет",
                    ),
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


def _schema() -> dict:
    """exercise.schema.json with the registry's kinds: their names and what each is, and
    the fields each kind owns (``Kind.fields``).  The file as shipped is this, written by
    ``python -m grader.course.schema_file`` (a test keeps the two equal)."""
    return compose(_shipped(), kinds())


@cache
def _shipped() -> dict:
    return json.loads(resources.files(__package__).joinpath(SCHEMA).read_text(encoding="utf-8"))


def compose(schema: dict, registry: dict[str, Kind]) -> dict:
    """``schema`` with the kind enum, its description and every kind's own fields from
    ``registry`` (the fields a kind no longer has are dropped: they are marked as owned)."""
    out = json.loads(json.dumps(schema))
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
            src.error(
                err.path,
                f"{where}: answer {src_value(src.data, err.path)!r} is not one "
                "of the quantities the reference computes: value, backward, a fact "
                "(nodes_with_parameters, arguments, consumers, outputs) or one of {value, local, "
                "grad, update, loss_after, change, sign}: NAME",
                f"{where}: answer "
                f"{src_value(src.data, err.path)!r} — не величина, которую вычисляет "
                "эталон: value, backward, факт (nodes_with_parameters, arguments, "
                "consumers, outputs) или {value, local, grad, update, loss_after, change, "
                "sign}: ИМЯ",
            )
        else:
            src.report(err.path, err.text)
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
            f"node '{node}' is not a node of the model{hint['en']}",
            f"'{node}' — не узел модели{hint['ru']}",
        )
        return None
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i, qdoc in enumerate(doc["questions"]):
        q = _question(src, ex_id, i, qdoc, model, node, weight)
        if qdoc["id"] in seen:
            src.error(
                ("questions", i, "id"),
                f"question id '{qdoc['id']}' is used twice (first at line {seen[qdoc['id']]})",
                f"id вопроса '{qdoc['id']}' повторяется (впервые в строке {seen[qdoc['id']]})",
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
                f"missing question '{qid}' ({kind}): the stub contract of node {node} needs it",
                f"нет вопроса '{qid}' ({kind}): его требует контракт заготовки узла {node}",
            )
            continue
        q = qdocs[qid]
        got = _target(None, (), q.get("answer"), model, node)
        if q["kind"] != kind or got != target:
            src.error(
                ("questions",),
                f"question '{qid}' must be kind {kind} with the answer the stub contract gives it",
                f"вопрос '{qid}' должен быть вида {kind} с "
                "ответом, который задаёт контракт заготовки",
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
                f"a {kind} question is graded by the teacher: it has no answer",
                f"вопрос вида {kind} проверяет учитель: у него нет answer",
            )
            return None
    else:
        if "answer" not in q:
            src.error(
                path,
                f"question '{q['id']}' needs an answer: the quantity the reference computes",
                f"вопросу '{q['id']}' нужен answer: величина, которую вычисляет эталон",
            )
            return None
        found = _target(src, (*path, "answer"), q["answer"], model, node)
        if found is None:
            return None
        target = found
        if target.what not in spec.answers:
            src.error(
                (*path, "kind"),
                f"a {kind} question cannot ask for {target.what}; it "
                f"can ask for: {', '.join(spec.answers)}",
                f"вопрос вида {kind} не может спрашивать {target.what}; можно: "
                f"{', '.join(spec.answers)}",
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
            f"a {kind} question shares its points one way only: credit: {spec.credits[0]}",
            f"вопрос вида {kind} делит баллы только одним способом: credit: {spec.credits[0]}",
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
            f"{name}: a field of {', '.join(k.name for k in kinds().values() if name in k.fields)}"
            f" questions, not of {spec.name} ones",
            f"{name}: поле вопросов вида "
            f"{', '.join(k.name for k in kinds().values() if name in k.fields)}, а не {spec.name}",
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

    def bad(en: str, ru: str) -> None:
        if src is not None:
            src.error(path, en, ru)

    names = list(model.names)
    if isinstance(answer, str):
        return _named_target(answer, node, bad)
    if not isinstance(answer, dict) or len(answer) != 1:
        bad("answer must name one quantity", "answer должен называть одну величину")
        return None
    ((what, arg),) = answer.items()
    if what == "value":
        if arg not in [n.name for n in model.nodes]:
            hint = did_you_mean(str(arg), names)
            bad(
                f"value: '{arg}' is not a node{hint['en']}", f"value: '{arg}' — не узел{hint['ru']}"
            )
            return None
        return Value(arg)
    if what == "local":
        return _local_target(arg, model, node, bad)
    if what in LEAVES:
        pool = names if what == "grad" else list(model.parameters)
        if arg not in pool:
            hint = did_you_mean(str(arg), pool)
            kind_en = "name of the model" if what == "grad" else "parameter"
            kind_ru = "имя модели" if what == "grad" else "параметр"
            bad(
                f"{what}: '{arg}' is not a {kind_en}{hint['en']}",
                f"{what}: '{arg}' — не {kind_ru}{hint['ru']}",
            )
            return None
        if what == "grad":
            return Grad(arg)
        return Update(arg) if what == "update" else LossAfter(arg)
    if what in AT_POINT:
        return _at_point_target(what, arg, model, bad)
    bad(f"answer: unknown quantity '{what}'", f"answer: неизвестная величина '{what}'")
    return None


Bad = Callable[[str, str], None]  # a problem of the answer, in English and Russian


def _named_target(answer: str, node: str | None, bad: Bad) -> Target | None:
    """``answer: value`` (or backward, or a fact of the model)."""
    if answer in FACTS:
        return Fact(answer)
    if node is None:
        bad(
            f"'{answer}' needs the exercise's node: write e.g. {{{answer}: A}} or set node:",
            f"для '{answer}' нужен узел упражнения: напишите {{{answer}: A}} или задайте node:",
        )
        return None
    if answer in ("value", "backward"):
        return Value(node) if answer == "value" else Backward(node)
    bad(f"answer: unknown quantity '{answer}'", f"answer: неизвестная величина '{answer}'")
    return None


def _local_target(arg: Any, model: Model, node: str | None, bad: Bad) -> Target | None:
    """``{local: A}`` (of the exercise's node) or ``{local: {of: G, wrt: A}}``."""
    of, wrt = (arg.get("of"), arg.get("wrt")) if isinstance(arg, dict) else (node, arg)
    if of is None:
        bad(
            "local: needs the exercise's node, or write {local: {of: G, wrt: A}}",
            "local: нужен узел упражнения, или напишите {local: {of: G, wrt: A}}",
        )
        return None
    if of not in [n.name for n in model.nodes]:
        bad(f"local: '{of}' is not a node", f"local: '{of}' — не узел")
        return None
    if wrt not in model.node(of).args:
        args = model.node(of).args
        hint = did_you_mean(str(wrt), args)
        bad(
            f"local: '{wrt}' is not an argument of {of}({', '.join(args)}){hint['en']}",
            f"local: '{wrt}' — не аргумент {of}({', '.join(args)}){hint['ru']}",
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
                f"{what}: '{n}' is not a name of the model{hint['en']}",
                f"{what}: '{n}' — не имя модели{hint['ru']}",
            )
            return None
    if not _depends(model, of, wrt):
        bad(f"{what}: {of} does not depend on {wrt}", f"{what}: {of} не зависит от {wrt}")
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
        src.error(
            path, f"a {spec.name} question needs options", f"вопросу вида {spec.name} нужны options"
        )
        return False
    if options and spec.options == "none":
        src.error(
            (*path, "options"),
            f"a {spec.name} question has no options",
            f"у вопроса вида {spec.name} нет вариантов (options)",
        )
        return False
    if len(set(values)) != len(values):
        src.error(
            (*path, "options"),
            "two options have the same value",
            "у двух вариантов одинаковое value",
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
            "a mistake gives either a formula or an answer",
            "ошибка задаётся либо formula, либо answer",
        )
        return None
    form = "formula" if "formula" in m else "answer"
    if target is None or isinstance(target, Manual) or not spec.mistakes:
        takes = ", ".join(k.name for k in kinds().values() if k.mistakes)
        src.error(
            path,
            f"known mistakes are for {takes} questions, not {spec.name}",
            f"типичные ошибки задаются для вопросов {takes}, а не {spec.name}",
        )
        return None
    rng = np.random.default_rng(0)
    if "formula" in m:
        # A wrong formula also describes wrong *values*: a function question's mistake.
        if form not in spec.mistakes or target.returns_mapping:
            src.error(
                (*path, "formula"),
                "a formula mistake belongs to a formula question or a "
                "function question returning a number",
                "ошибка-формула бывает у вопроса вида formula или function, возвращающего число",
            )
            return None
        try:
            tree = ex.parse(m["formula"], names=args, functions=FUNCTIONS, aliases=ALIASES)
            tape = compile_expr(tree, args)
        except ex.ExprError as err:
            src.error(
                (*path, "formula"),
                f"mistake formula: {err.message('en')}",
                f"формула ошибки: {err.message('ru')}",
            )
            return None
        point = sample_args(target, model, rng, 16)
        wrong = tape.forward(NUMERIC, [point[a] for a in args])[tape.output]
        is_answer = np.allclose(wrong, evaluate(target, model, point), rtol=1e-9, atol=1e-12)
        return Mistake(feedback, credit, formula=m["formula"], tree=tree, is_answer=is_answer)
    if form not in spec.mistakes:
        src.error(
            (*path, "answer"),
            f"a {spec.name} question's known mistakes are given as: {', '.join(spec.mistakes)}",
            f"типичные ошибки вопроса вида {spec.name} задаются так: {', '.join(spec.mistakes)}",
        )
        return None
    wrong_target = _target(src, (*path, "answer"), m["answer"], model, node)
    if wrong_target is None:
        return None
    same_args = spec.at_leaves or wrong_target.args(model) == target.args(model)
    if not same_args or wrong_target.returns_mapping or wrong_target.what in FACTS:
        src.error(
            (*path, "answer"),
            "the mistaken quantity must take the same arguments as the question's",
            "ошибочная величина должна зависеть от тех же аргументов, что и ответ на вопрос",
        )
        return None
    if spec.at_leaves:
        leaves = model.sample(rng, 16)
        right, wrong = (evaluate_at_leaves(t, model, leaves) for t in (target, wrong_target))
    else:
        point = sample_args(target, model, rng, 16)
        right, wrong = (evaluate(t, model, point) for t in (target, wrong_target))
    is_answer = np.allclose(wrong, right, rtol=1e-9, atol=1e-12)
    return Mistake(feedback, credit, target=wrong_target, is_answer=is_answer)
