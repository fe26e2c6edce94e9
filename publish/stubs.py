"""Student stubs: one Python module per exercise, following the stub contract.

Each question becomes one snippet (a function to write, a formula string, a number, a set,
a mapping), with its prompt and hint in the chosen language.  Notebooks reuse the same
snippets cell by cell.  ``solution=True`` fills each snippet from the reference: the code of
a function is printed from the reference's own formula, never typed by hand.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from reference import table
from reference.course.exercises import Course, Exercise, Question
from reference.course.sampling import student_values
from reference.course.targets import upstream_name
from reference.i18n import plural_en, plural_ru

UI = {
    "hint": {"en": "Hint", "ru": "Подсказка"},
    "todo": {"en": "write your answer here", "ru": "напишите здесь свой ответ"},
    "how": {
        "en": "Fill in every function and value below, keeping the names. Check your work with\n"
        "`python check.py` (public examples only; the grader uses other points).",
        "ru": "Заполните все функции и значения ниже, не меняя их имён. Проверьте себя командой\n"
        "`python check.py` (только открытые примеры; при оценке точки будут другие).",
    },
    "libs": {"en": "You may use math and numpy.", "ru": "Можно пользоваться math и numpy."},
    "formula": {  # the functions are the derivative table's: a new row shows up here by itself
        "en": 'A formula as a string in the function\'s argument names, e.g. "2*a*b" '
        f"(* and **, {', '.join(table.listing())}).",
        "ru": 'Формула строкой в именах аргументов функции, например "2*a*b" '
        f"(* и **, {', '.join(table.listing())}).",
    },
    "number": {
        "en": "A number computed by hand at YOUR values: `python check.py --id YOUR_ID` prints "
        "them.",
        "ru": "Число, посчитанное вручную в ВАШИХ значениях: их печатает "
        "`python check.py --id ВАШ_ID`.",
    },
    "choice": {"en": "One of", "ru": "Одно из"},
    "multi": {"en": "A set of some of", "ru": "Множество из части вариантов"},
    "mapping": {
        "en": "A dict: name -> list of names, for",
        "ru": "Словарь: имя -> список имён, для",
    },
    "text": {
        "en": "Your answer in your own words (graded by the teacher).",
        "ru": "Ваш ответ своими словами (проверяет учитель).",
    },
    "text_solution": {
        "en": "(free text: graded by the teacher)",
        "ru": "(свободный ответ: проверяет учитель)",
    },
}

SOLUTION_STUDENT = "solution"  # whose values --solutions fills the hand-computed numbers for


def _doc(text: str) -> str:
    """Text safe inside a triple-quoted docstring."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()


def _comment(text: str) -> str:
    lines = []
    for line in text.strip().splitlines():
        lines += textwrap.wrap(line, 96, break_on_hyphens=False) or [""]
    return "\n".join(f"# {line}".rstrip() for line in lines)


def points_text(points: float, lang: str) -> str:
    """'1 point', '2 points'; '1 балл', '2 балла', '5 баллов', '1.5 балла'."""
    if lang == "en":
        return f"{points:g} {plural_en(points, 'point')}"
    return f"{points:g} {plural_ru(points, 'балл', 'балла', 'баллов')}"


def header(q: Question, lang: str) -> str:
    return f"# {q.qid} — {points_text(q.points, lang)}"


def question_text(q: Question, lang: str) -> str:
    """Prompt and hint, as the student reads them."""
    text = q.prompt[lang].strip()
    if q.hint:
        text += f"\n\n{UI['hint'][lang]}: {q.hint[lang].strip()}"
    return text


def snippet(q: Question, lang: str, solution: bool = False, student: str = SOLUTION_STUDENT) -> str:
    """The code a student completes for one question (or the reference's completion)."""
    text = question_text(q, lang)
    if q.kind == "function":
        body = (
            f"return {_solution_code(q)}"
            if solution
            else f'raise NotImplementedError("{q.name}: {UI["todo"][lang]}")'
        )
        doc = textwrap.indent(_doc(text), "    ").lstrip()
        return f'def {q.name}({", ".join(q.args)}):\n    """{doc}\n    """\n    {body}\n'
    if q.kind == "formula":
        value = repr(_solution_formula(q)) if solution else '""'
        return (
            f"{_comment(text)}\n{_comment(UI['formula'][lang])}\n"
            f"# ({', '.join(q.args)})\n{q.name} = {value}\n"
        )
    if q.kind == "number":
        value = repr(_solution_number(q, student)) if solution else "None"
        return f"{_comment(text)}\n# {UI['number'][lang]}\n{q.name} = {value}\n"
    if q.kind in ("choice", "multi"):
        options = "\n".join(f'#   "{o.value}": {o.text[lang]}' for o in q.options)
        blank = '""' if q.kind == "choice" else "set()"
        value = _solution_choice(q, student) if solution else blank
        return f"{_comment(text)}\n# {UI[q.kind][lang]}:\n{options}\n{q.name} = {value}\n"
    if q.kind == "mapping":
        keys = ", ".join(_mapping_keys(q))
        value = repr(_reference(q)) if solution else "{}"
        return f"{_comment(text)}\n# {UI['mapping'][lang]}: {keys}\n{q.name} = {value}\n"
    value = repr(UI["text_solution"][lang]) if solution else '""'
    return f"{_comment(text)}\n# {UI['text'][lang]}\n{q.name} = {value}\n"


def module_doc(exercise: Exercise, lang: str) -> str:
    parts = [exercise.title[lang].strip()]
    if exercise.intro:
        parts.append(exercise.intro[lang].strip())
    parts += [UI["how"][lang], UI["libs"][lang]]
    return "\n\n".join(parts)


def stub(
    exercise: Exercise, lang: str, solution: bool = False, student: str = SOLUTION_STUDENT
) -> str:
    """The whole module ``<exercise>.py``."""
    parts = [
        f'"""{_doc(module_doc(exercise, lang))}\n"""\n\nimport math  # noqa: F401\n\n'
        "import numpy as np  # noqa: F401\n"
    ]
    for q in exercise.questions:
        parts.append(f"\n\n{header(q, lang)}\n{snippet(q, lang, solution, student)}")
    return "".join(parts)


def stubs(
    course: Course, lang: str, solution: bool = False, student: str = SOLUTION_STUDENT
) -> Iterator[tuple[str, str]]:
    """(file name, text) for every exercise of the course."""
    for exercise in course.exercises:
        yield f"{exercise.id}.py", stub(exercise, lang, solution, student)


# --- solutions, from the reference -------------------------------------------------------


def _reference(q: Question):
    from reference.course.targets import evaluate

    value = evaluate(q.target, q.model, {})
    if isinstance(value, dict):
        keys = _mapping_keys(q)
        return {k: v for k, v in value.items() if k in keys}
    return value


def _mapping_keys(q: Question) -> list[str]:
    if q.options:
        return [o.value for o in q.options]
    return [n.name for n in q.model.nodes]


def _solution_choice(q: Question, student: str) -> str:
    if q.kind == "multi":
        chosen = [o.value for o in q.options if o.value in _reference(q)]
        return "{" + ", ".join(repr(v) for v in chosen) + "}"
    return repr(str(_solution_number(q, student)))


def _solution_number(q: Question, student: str):
    from reference.course.targets import evaluate_at_leaves

    model = q.model
    leaves = student_values(model.seed, student, {n: model.ranges[n] for n in model.leaves})
    value = evaluate_at_leaves(q.target, model, leaves)
    return value.item() if hasattr(value, "item") else value


def _solution_formula(q: Question) -> str:
    from reference.course.targets import formula

    return str(formula(q.target, q.model))


def _solution_code(q: Question) -> str:
    from sympy.printing.pycode import pycode

    from reference.course.formulas import symbols
    from reference.course.targets import Target, formula
    from reference.table.symbolic import elementary

    def code(expr) -> str:
        return pycode(elementary(expr), fully_qualified_modules=True)

    if q.target.what == "backward":
        up = upstream_name(q.model, q.target.node)
        (upstream,) = symbols((up,))
        items = ", ".join(
            f'"{a}": {code(upstream * formula(Target("local", q.target.node, a), q.model))}'
            for a in q.model.node(q.target.node).args
        )
        return "{" + items + "}"
    return code(formula(q.target, q.model))
