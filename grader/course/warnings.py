"""What ``course validate`` warns about: a course that loads but no longer says what it
grades.  Each warning is a Problem at ``file:line`` whose text begins "warning:", in every
language; ``validate --strict`` makes them errors.

- prose (read before its placeholders are rendered) that names a table function no node
  uses, lists some of a node's arguments and never names the others (written for an older
  model: "A, B and C" once G has D), a node with other arguments than the model's,
  ``N = formula`` that is not N's
  formula, a name like x4 the model does not have, or a decimal number the model does not
  have (a learning rate typed in by hand);
- a node without an exercise; a parameter or input without its chain question ({grad: …});
- one known mistake of one quantity given different credit in the questions asking it;
- a known mistake that an edit made the right answer (it is never diagnosed: a student who
  writes it passes), or whose feedback says it is "the function N itself" or "the derivative
  with respect to X" when, checked numerically against the reference, it no longer is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import Any

import numpy as np

from grader.course.questions import Course, Exercise
from reference import expr as ex
from reference.autograd import compile_expr
from reference.course.model import Model
from reference.course.prose import TOKEN, line_of
from reference.course.source import CourseError, Source, read_yaml
from reference.course.targets import Change, Grad, Local, evaluate
from reference.i18n import Problem, Text, join, t
from reference.table import ALIASES, ENTRIES, FUNCTIONS, NUMERIC

#: functions any formula may use whatever the model (DESIGN: "the table's functions, exp log
#: sqrt"): prose naming them is about syntax, not about the model
ALWAYS = {"exp", "log", "sqrt"}
#: functions whose names are ordinary words of the prose ("the sign of", "one step")
ORDINARY = {"sign", "step", "abs"}
HEADER = re.compile(r"(?<![\w.])([A-Z]\w*)\(([^()\n]*)\)")
EQUATION = re.compile(r"(?<![\w/])([A-Za-z]\w*) = ([^,.;:\n—]+)")
LEAF_LIKE = re.compile(r"\b([xw]\d+)\b")
#: names listed together: "A, B and C", "B и C", "A + B" (a node's arguments, when it is one)
ENUMERATION = re.compile(
    r"(?<![\w.])[A-Za-z]\w*(?:(?:\s*,\s*|\s+(?:and|и)\s+|\s*\+\s*)[A-Za-z]\w*(?![\w(]))+"
)
DECIMAL = re.compile(r"(?<![\w.])(\d+\.\d+)(?![\w.]*\d)")


def course_warnings(course: Course) -> list[Problem]:
    """Every warning about ``course``, course.yml's first, then each exercise's in order."""
    found = list(_coverage(course))
    for exercise in course.exercises:
        try:
            src = read_yaml(course.root / "exercises" / f"{exercise.id}.yml", exercise.file)
        except CourseError:  # it loaded a moment ago; nothing to add
            continue
        found += _once(_prose(src, exercise))
        found += _mistakes(src, exercise)
        found += _credits(src, exercise)
    return found


def _once(problems: Iterator[Problem]) -> list[Problem]:
    """Each warning once: a text reused through a YAML anchor is read at every alias."""
    seen: dict[tuple, Problem] = {}
    for p in problems:
        seen.setdefault((p.file, p.line, tuple(sorted(p.text.items()))), p)
    return list(seen.values())


def warning(file: str, line: int, text: Text) -> Problem:
    """``warning: text`` at ``file:line``, in every language."""
    return Problem(file, line, join([t("course.warning"), text]))


# --- the model covered ------------------------------------------------------------------------


def _coverage(course: Course) -> Iterator[Problem]:
    model = course.model
    src = model.source
    with_exercise = {e.node for e in course.exercises}
    for node in model.nodes:
        if node.name not in with_exercise:
            yield warning(
                src.name,
                node.line,
                t("course.node_has_no_exercise_course", name=node.name),
            )
    asked = {q.target.wrt for q in course.questions if isinstance(q.target, Grad)}
    for key, names in (("parameters", model.parameters), ("inputs", model.inputs)):
        for name in names:
            if name not in asked:
                yield warning(
                    src.name,
                    src.line(key),
                    t("course.no_question_asks_for_dl", name=name),
                )


# --- prose -----------------------------------------------------------------------------------


def prose_fields(doc: Any) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every prose string of an exercise document, in every language."""

    def bilingual(path: tuple, value: Any) -> Iterator[tuple[tuple, str]]:
        if isinstance(value, dict):
            for lang, text in value.items():
                if isinstance(text, str):
                    yield (*path, lang), text

    if not isinstance(doc, dict):
        return
    for key in ("title", "intro"):
        yield from bilingual((key,), doc.get(key))
    for i, q in enumerate(doc.get("questions") or ()):
        if not isinstance(q, dict):
            continue
        for key in ("prompt", "hint"):
            yield from bilingual(("questions", i, key), q.get(key))
        for k, o in enumerate(q.get("options") or ()):
            for key in ("text", "why"):
                if isinstance(o, dict):
                    yield from bilingual(("questions", i, "options", k, key), o.get(key))
        for j, m in enumerate(q.get("mistakes") or ()):
            if isinstance(m, dict):
                yield from bilingual(("questions", i, "mistakes", j, "feedback"), m.get("feedback"))


def _used_functions(model: Model) -> set[str]:
    used: set[str] = set()

    def walk(tree: ex.Expr) -> None:
        if isinstance(tree, ex.Call):
            used.add(tree.fn)
            for a in tree.args:
                walk(a)

    for node in model.nodes:
        walk(node.tree)
    return used


def _function_words() -> dict[str, re.Pattern[str]]:
    """Table function → how prose names it: its syntax and aliases as whole words, and its
    title's first word when that is a long, specific one (by stem: "сигмоиды", "sigmoid's");
    group 1 is ``(...)`` when the prose lists it among what a formula may call."""
    words: dict[str, re.Pattern[str]] = {}
    for entry in ENTRIES:
        if not entry.is_function or entry.syntax in ALWAYS | ORDINARY:
            continue
        exact = {entry.syntax, *(a for a, fn in ALIASES.items() if fn == entry.syntax)}
        stems = {
            first[:-1]
            for title in entry.title.values()
            if len(first := title.split()[0]) >= 7 and first.isalpha()
        }
        alts = [rf"{re.escape(w)}(?!\w)" for w in exact] + [rf"{re.escape(w)}\w*" for w in stems]
        words[entry.name] = re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)(\(\.\.\.\))?", re.I)
    return words


def _prose(src: Source, exercise: Exercise) -> Iterator[Problem]:
    """What the exercise's prose says that the model no longer does, each at its line."""
    model = exercise.model
    used = _used_functions(model)
    nodes = {n.name: n for n in model.nodes}
    known_numbers = _model_numbers(exercise)
    function_words = {k: v for k, v in _function_words().items() if k not in used}
    node = nodes.get(exercise.node or "")
    for path, raw in prose_fields(src.data):
        text = TOKEN.sub(lambda m: " " * len(m.group(0)), raw)  # placeholders are never stale
        found = chain(
            _todo(text),
            _stale_functions(text, function_words),
            _stale_headers(text, nodes, model),
            _stale_equations(text, nodes, model),
            _older_arguments(text, node) if node is not None else (),
            _stale_names(text, model),
            _stale_numbers(text, model, known_numbers),
        )
        for offset, said in found:
            yield warning(src.name, line_of(src, path, raw, offset), said)


Said = Iterator[tuple[int, Text]]  # (offset in the text, what the warning says)


def _todo(text: str) -> Said:
    if "TODO" in text:
        yield text.index("TODO"), t("course.prose_todo")


def _stale_functions(text: str, function_words: dict[str, re.Pattern[str]]) -> Said:
    """A table function named (or listed as usable) that no node uses."""
    for fn, pattern in function_words.items():
        for m in pattern.finditer(text):
            if m.group(1):  # "you may use sigmoid(...)"
                yield m.start(), t("course.prose_lists_unused_function", said=m.group(0), fn=fn)
                continue
            yield m.start(), t("course.prose_names_unused_function", said=m.group(0), fn=fn)


def _stale_headers(text: str, nodes: dict[str, Any], model: Any) -> Said:
    """``N(a, b)`` written with other arguments than the model's, or of no node."""
    for m in HEADER.finditer(text):
        name, inner = m.group(1), [a.strip() for a in m.group(2).split(",")]
        if not all(a.isidentifier() for a in inner):
            continue
        want = nodes[name].args if name in nodes else (model.inputs if name == "F" else None)
        if want is None and len(name) == 1:
            yield m.start(), t("course.prose_header_not_node", said=m.group(0), name=name)
        elif want is not None and tuple(inner) != tuple(want):
            yield (
                m.start(),
                t(
                    "course.prose_header_other_args",
                    said=m.group(0),
                    name=name,
                    args=", ".join(want),
                ),
            )


def _stale_equations(text: str, nodes: dict[str, Any], model: Any) -> Said:
    """``N = formula`` that is not the model's formula of N."""
    for m in EQUATION.finditer(text):
        name = m.group(1)
        if name in nodes and not _same_formula(m.group(2), nodes[name], model):
            yield (
                m.start(),
                t(
                    "course.prose_other_formula",
                    name=name,
                    said=m.group(2).strip(),
                    formula=nodes[name].formula,
                ),
            )


def _stale_names(text: str, model: Any) -> Said:
    """A name that looks like one of the model's (``x4``, ``w0``) and is not."""
    for m in LEAF_LIKE.finditer(text):
        if m.group(1) not in model.names:
            yield m.start(), t("course.prose_unknown_name", name=m.group(1))


def _stale_numbers(text: str, model: Any, known_numbers: set[float]) -> Said:
    """A decimal number the model does not have (an old learning rate, say)."""
    for m in DECIMAL.finditer(text):
        if float(m.group(1)) not in known_numbers:
            yield (
                m.start(),
                t("course.prose_unknown_number", said=m.group(1), rate=model.learning_rate),
            )


def _older_arguments(text: str, node: Any) -> Said:
    """Lists of some of ``node``'s arguments in a text that never names the others: written
    for the model before an argument was added ("A, B and C" once G has D)."""
    words = set(re.findall(r"[A-Za-z]\w*", text))
    for m in ENUMERATION.finditer(text):
        listed = [w for w in re.findall(r"[A-Za-z]\w*", m.group(0)) if w != "and"]
        if len(set(listed)) < 2 or not set(listed) < set(node.args):
            continue
        unsaid = [a for a in node.args if a not in listed and a not in words]
        if unsaid:
            model = f"{node.name}({', '.join(node.args)})"
            yield (
                m.start(),
                t(
                    "course.prose_older_arguments",
                    said=m.group(0),
                    name=node.name,
                    unsaid=", ".join(unsaid),
                    model=model,
                ),
            )


def _model_numbers(exercise: Exercise) -> set[float]:
    """The decimals prose may state: the learning rate, the ranges, the questions' steps."""
    model = exercise.model
    numbers = {float(model.learning_rate)}
    for low, high in getattr(model, "ranges", {}).values():
        numbers |= {float(low), float(high)}
    for q in exercise.questions:
        by = getattr(q.target, "by", None)
        if by is not None:
            numbers.add(float(by))
        for mistake in q.mistakes:
            by = getattr(mistake.target, "by", None)
            if by is not None:
                numbers.add(float(by))
    return numbers


def _plain(text: str) -> str:
    """Prose math as a formula: · → *, − → -, ² → **2, σ → sigmoid."""
    return text.replace("·", "*").replace("−", "-").replace("²", "**2").strip()


def _values(tree: ex.Expr, args: tuple[str, ...], point: dict[str, np.ndarray]) -> np.ndarray:
    tape = compile_expr(tree, args)
    return np.asarray(tape.forward(NUMERIC, [point[a] for a in args])[tape.output], float)


def _same_formula(text: str, node: Any, model: Model) -> bool:
    """Whether prose's ``text`` is the node's formula (True when it is not a formula at all:
    prose may say "G = the sum")."""
    try:
        tree = ex.parse(_plain(text), names=node.args, functions=FUNCTIONS, aliases=ALIASES)
    except ex.ExprError:
        return not _looks_like_formula(text, model)
    rng = np.random.default_rng(0)
    point = {a: rng.uniform(-2, 2, 16) for a in node.args}
    with np.errstate(all="ignore"):
        return bool(
            np.allclose(_values(tree, node.args, point), _values(node.tree, node.args, point))
        )


def _looks_like_formula(text: str, model: Model) -> bool:
    """Prose like ``A + B + C`` that fails to parse only because it names what the node
    no longer takes: every word a model name or a function."""
    words = re.findall(r"[^\W\d]\w*", _plain(text))
    return bool(words) and all(w in model.names or w in FUNCTIONS or w in ALIASES for w in words)


# --- known mistakes ------------------------------------------------------------------------


ITSELF = (
    re.compile(r"\bthe function (\w+)(?: = [^,.]*)? itself"),
    re.compile(r"\bсама функция (\w+)\b"),
    re.compile(r"\bсаму функцию (\w+)\b"),
)
#: feedback that names the mistake as another local derivative: "the derivative with respect
#: to w1", "производная по w1"
OTHER_DERIVATIVE = (
    re.compile(r"\bderivative with respect to (\w+)"),
    re.compile(r"\bпроизводн\w* по (\w+)"),
)


def _mistakes(src: Source, exercise: Exercise) -> Iterator[Problem]:
    """A formula mistake whose feedback says it is the function N itself, when it is not."""
    docs = src.data.get("questions") or [] if isinstance(src.data, dict) else []
    by_id = {q.id: q for q in exercise.questions}
    for i, qdoc in enumerate(docs):
        q = by_id.get(str(qdoc.get("id"))) if isinstance(qdoc, dict) else None
        if q is None:
            continue
        for j, (mdoc, mistake) in enumerate(zip(qdoc.get("mistakes") or (), q.mistakes)):
            key = "formula" if mistake.tree is not None else "answer"
            if mistake.is_answer:
                said = mdoc.get("formula") if key == "formula" else _flow(mdoc.get("answer"))
                yield warning(
                    src.name,
                    src.line("questions", i, "mistakes", j, key),
                    t("course.known_mistake_now_right_answer", said=said, qid=q.qid),
                )
                continue
            if mistake.tree is None:
                continue
            yield from _other_derivative(src, (i, j), q, mdoc, mistake, exercise)
            said = "\n".join(str(v) for v in (mistake.feedback or {}).values())
            claimed = {m.group(1) for p in ITSELF for m in p.finditer(said)}
            for name in claimed & {n.name for n in exercise.model.nodes}:
                node = exercise.model.node(name)
                if set(node.args) - set(q.args):
                    continue  # the node is not a function of this question's arguments
                rng = np.random.default_rng(0)
                point = {a: rng.uniform(-2, 2, 16) for a in q.args}
                with np.errstate(all="ignore"):
                    same = np.allclose(
                        _values(mistake.tree, q.args, point),
                        _values(node.tree, node.args, point),
                    )
                if not same:
                    yield warning(
                        src.name,
                        src.line("questions", i, "mistakes", j, "formula"),
                        t(
                            "course.feedback_says_function_itself_but",
                            said=mdoc.get("formula"),
                            name=name,
                            formula=node.formula,
                        ),
                    )


def _derivative_of(target: Any) -> tuple[str, str] | None:
    """(node, argument) when ``target`` is that local derivative, asked as it is or as the
    change it makes (a derivative times a small step): one quantity, asked several ways."""
    if isinstance(target, Local):
        return target.node, target.wrt
    if isinstance(target, Change):
        return target.of, target.wrt
    return None


def _credits(src: Source, exercise: Exercise) -> Iterator[Problem]:
    """The same known mistake of one quantity (dL/dS by gold instead of S) given different
    credit in the exercise's questions of that quantity (the function, the formula, the
    change computed by hand)."""
    docs = src.data.get("questions") or [] if isinstance(src.data, dict) else []
    by_id = {q.id: q for q in exercise.questions}
    first: dict[tuple, tuple[float, str]] = {}
    for i, qdoc in enumerate(docs):
        q = by_id.get(str(qdoc.get("id"))) if isinstance(qdoc, dict) else None
        asked = _derivative_of(q.target) if q is not None else None
        if q is None or asked is None:
            continue
        for j, (mdoc, mistake) in enumerate(zip(qdoc.get("mistakes") or (), q.mistakes)):
            wrong = _derivative_of(mistake.target)
            if wrong is None or mistake.is_answer or wrong[0] != asked[0]:
                continue
            key = (asked, wrong)
            if key not in first:
                first[key] = (mistake.credit, q.qid)
                continue
            credit, where = first[key]
            if mistake.credit != credit:
                said = _flow(mdoc.get("answer"))
                yield warning(
                    src.name,
                    src.line("questions", i, "mistakes", j, "answer"),
                    t(
                        "course.known_mistake_earns_here_but",
                        said=said,
                        credit=mistake.credit,
                        first=credit,
                        where=where,
                    ),
                )


def _flow(value: Any) -> str:
    """A YAML mapping as the teacher typed it: {local: w1}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return str(value)


def _other_derivative(
    src: Source, at: tuple[int, int], q: Any, mdoc: dict, mistake: Any, exercise: Exercise
) -> Iterator[Problem]:
    """A formula mistake whose feedback calls it the node's derivative with respect to X,
    when the reference's dN/dX is another function now."""
    target = q.target
    if not isinstance(target, Local):
        return
    node = exercise.model.node(target.node)
    said = "\n".join(str(v) for v in (mistake.feedback or {}).values())
    claimed = {m.group(1) for p in OTHER_DERIVATIVE for m in p.finditer(said)}
    rng = np.random.default_rng(0)
    point = {a: rng.uniform(-2, 2, 16) for a in node.args}
    for wrt in sorted(claimed & set(node.args) - {target.wrt}):
        with np.errstate(all="ignore"):
            same = np.allclose(
                _values(mistake.tree, q.args, point),
                evaluate(Local(node.name, wrt), exercise.model, point),
            )
        if not same:
            i, j = at
            yield warning(
                src.name,
                src.line("questions", i, "mistakes", j, "formula"),
                t(
                    "course.feedback_says_derivative_with_respect",
                    said=mdoc.get("formula"),
                    name=node.name,
                    wrt=wrt,
                ),
            )
