#!/usr/bin/env python3
"""Check your answers against the public examples (course release rewrites this line)."""

from __future__ import annotations

import argparse
import contextlib
import hashlib  # noqa: F401  (used by student_values, copied in at release)
import importlib.util
import json
import math
import random  # noqa: F401  (used by student_values, copied in at release)
import signal
import sys
import traceback
import types
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the student's folder

# --- course release writes this part ---
# This file is the template of the student release's check.py: `course release` copies it with
# this part rewritten (the language, the course, and an exact copy of the grader's own
# student_values).  It must stay standalone: the standard library only, no import of the
# course's packages; numpy is imported only by the student's modules, if at all.  It runs the
# student's own code on the student's own machine: that is its whole purpose.
LANG = "en"
COURSE: dict = {"title": "", "exercises": [], "values": []}


def student_values(seed, student, ranges):
    """Replaced at release by an exact copy of the grader's own function."""
    raise NotImplementedError


# --- end of the part course release writes ---

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "public_examples.json"
TIME_LIMIT = 10  # seconds for one call or one import, where the OS supports alarms
CELL_ERRORS: dict = {}  # question id -> what its notebook cell raised

TEXT = {
    "en": {
        "description": "Check your answers against the public examples before you hand them in.",
        "arg_exercises": "exercises to check (default: all), e.g. A or A.py or notebooks/A.ipynb",
        "arg_id": "print YOUR values for the hand-computed numbers (use the id your teacher "
        "gave you)",
        "arg_notebooks": "check the notebooks in notebooks/ instead of the .py files",
        "unknown": "unknown exercise '{name}'; the exercises are: {names}",
        "no_examples": "public_examples.json is missing next to check.py; the function "
        "questions cannot be checked",
        "no_file": "{file} not found",
        "file_error": "{file} cannot be run: {error}",
        "ok": "✓",
        "wrong": "✗",
        "todo": "not done yet",
        "error": "error",
        "skipped": "not checked: the file did not run",
        "missing": "{name} is not defined: keep the names of the stub",
        "not_function": "{name} should be a function",
        "expected_number": "expected a number, got {got}",
        "expected_dict": "expected a dict with the keys {keys}, got {got}",
        "missing_keys": "missing in the dict: {keys}",
        "extra_keys": "not expected in the dict: {keys}",
        "mismatch": "{call} returned {got}, expected {expected}",
        "not_finite": "{call}: {got} is not a finite number",
        "formula_ok": "a formula; the grader checks it symbolically",
        "expected_str": "expected a string, got {got}",
        "number_ok": "a number; the grader checks it at YOUR values (python check.py --id YOUR_ID)",
        "expected_option": "expected one of {options}, got {got}",
        "expected_set": "expected a set of some of {options}, got {got}",
        "not_options": "not among the options: {values}",
        "mapping_values": "the value for {key} should be a list of names, got {got}",
        "text_ok": "written; the teacher grades it",
        "timeout": "did not finish in {seconds} s (an endless loop?)",
        "examples_ok": "{n} public examples pass",
        "at": "{file}, line {line}",
        "summary": "{passed} of {total} questions pass the public checks; wrong: {wrong}; "
        "not done yet: {todo}; errors: {errors}.",
        "all_good": "All done. The grader checks your functions at other points and your "
        "numbers at your own values, so a pass here is a good sign, not a score.",
        "keep_going": "Not everything passes yet: fix the lines above and run check.py again.",
        "values_for": "Your values (id {student!r}); the grader uses exactly these for the "
        "numbers you compute by hand:",
        "values_own": "Exercise {exercise} ({title}) has its own model; its values:",
        "values_note": "Use the id your teacher gave you, spelled exactly the same: another "
        "spelling gives other values.",
    },
    "ru": {
        "description": "Проверьте свои ответы на открытых примерах перед тем, как сдавать.",
        "arg_exercises": "какие упражнения проверить (по умолчанию все), например A, A.py "
        "или notebooks/A.ipynb",
        "arg_id": "напечатать ВАШИ значения для чисел, которые считаются вручную (id — тот, "
        "что дал учитель)",
        "arg_notebooks": "проверить тетрадки в notebooks/, а не файлы .py",
        "unknown": "нет упражнения «{name}»; упражнения: {names}",
        "no_examples": "рядом с check.py нет public_examples.json: вопросы-функции проверить "
        "нельзя",
        "no_file": "файл {file} не найден",
        "file_error": "{file} не запускается: {error}",
        "ok": "✓",
        "wrong": "✗",
        "todo": "ещё не сделано",
        "error": "ошибка",
        "skipped": "не проверено: файл не запустился",
        "missing": "{name} не определено: не меняйте имён из заготовки",
        "not_function": "{name} должна быть функцией",
        "expected_number": "ожидалось число, а получено {got}",
        "expected_dict": "ожидался словарь с ключами {keys}, а получено {got}",
        "missing_keys": "в словаре не хватает: {keys}",
        "extra_keys": "в словаре лишнее: {keys}",
        "mismatch": "{call} вернула {got}, а ожидалось {expected}",
        "not_finite": "{call}: {got} — не конечное число",
        "formula_ok": "формула есть; при оценке её проверят символьно",
        "expected_str": "ожидалась строка, а получено {got}",
        "number_ok": "число есть; при оценке его сверят с ВАШИМИ значениями "
        "(python check.py --id ВАШ_ID)",
        "expected_option": "ожидалось одно из {options}, а получено {got}",
        "expected_set": "ожидалось множество из вариантов {options}, а получено {got}",
        "not_options": "такого варианта нет: {values}",
        "mapping_values": "для {key} нужен список имён, а получено {got}",
        "text_ok": "ответ написан; его проверит учитель",
        "timeout": "не закончилась за {seconds} с (бесконечный цикл?)",
        "examples_ok": "открытых примеров пройдено: {n}",
        "at": "{file}, строка {line}",
        "summary": "Итог: открытые проверки проходят {passed} из {total} вопросов; неверно: "
        "{wrong}; ещё не сделано: {todo}; ошибок: {errors}.",
        "all_good": "Всё готово. При оценке функции проверят в других точках, а числа — на "
        "ваших значениях, так что здесь всё зелёное — хороший знак, но ещё не "
        "оценка.",
        "keep_going": "Пока проходит не всё: исправьте строки выше и запустите check.py ещё раз.",
        "values_for": "Ваши значения (id {student!r}); ровно их грейдер возьмёт для чисел, "
        "которые вы считаете вручную:",
        "values_own": "У упражнения {exercise} ({title}) своя модель; её значения:",
        "values_note": "Используйте id, который дал учитель, в точности как он написан: при "
        "другом написании значения будут другими.",
    },
}


def t(key: str, **fields) -> str:
    return TEXT[LANG][key].format(**fields)


class NotDone(Exception):
    """The answer is still the stub's: NotImplementedError, "", None, an empty set or dict."""


class Wrong(Exception):
    """The answer has the wrong type or value."""


class TimeLimit(Exception):
    pass


# --- running the student's code --------------------------------------------------------------


def _alarm(_signum, _frame):
    raise TimeLimit


def run_limited(fn, *args):
    """``fn(*args)``, stopped after TIME_LIMIT seconds where the OS has SIGALRM."""
    if not hasattr(signal, "setitimer"):
        return fn(*args)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load_py(path: Path, name: str) -> dict:
    """The names ``path`` defines, imported as module ``name``."""
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))  # so one exercise may import another
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    run_limited(spec.loader.exec_module, module)
    return vars(module)


def load_notebook(path: Path, name: str) -> dict:
    """The names a notebook's code cells define, run in order as one module, like Jupyter.

    It runs the student's own notebook on the student's own machine.  IPython magics (lines
    starting with % or !) are skipped.  An answer cell that fails is remembered under its
    question (``CELL_ERRORS``) and the other cells still run; any other failing cell stops.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    for i, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        qid = (cell.get("metadata") or {}).get("course", {}).get("question")
        try:
            code = compile("\n".join(lines) + "\n", f"{path} [{qid or f'cell {i}'}]", "exec")
            run_limited(exec, code, module.__dict__)  # the student's own notebook
        except Exception as err:
            if not qid:
                raise
            CELL_ERRORS[qid] = err
    return vars(module)


def describe_error(err: BaseException) -> str:
    """``ZeroDivisionError: division by zero (A.py, line 12)``: the last line in the student's
    own files, no traceback."""
    if isinstance(err, TimeLimit):
        return t("timeout", seconds=TIME_LIMIT)
    message = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    where = None
    if isinstance(err, SyntaxError) and err.filename:
        message = f"{type(err).__name__}: {err.msg}"
        where = (err.filename, err.lineno)
    else:
        for frame in traceback.extract_tb(err.__traceback__):
            if _is_student_file(frame.filename):
                where = (frame.filename, frame.lineno)
    if where:
        message += f" ({t('at', file=_short(where[0]), line=where[1])})"
    return message


def _is_student_file(filename: str) -> bool:
    try:
        path = Path(filename.split(" [", 1)[0]).resolve()
        path.relative_to(HERE)
    except (OSError, ValueError):
        return False
    return path != Path(__file__).resolve()


def _short(filename: str) -> str:
    path, bracket, rest = filename.partition(" [")
    with contextlib.suppress(ValueError):
        path = str(Path(path).resolve().relative_to(HERE))
    return path + bracket + rest


# --- checking one answer ---------------------------------------------------------------------


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_number(value, call: str) -> float:
    if value is None:
        raise NotDone
    if isinstance(value, (bool, str, bytes)) or getattr(value, "ndim", 0) != 0:
        raise Wrong(t("expected_number", got=_show(value)))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Wrong(t("expected_number", got=_show(value))) from None
    if not math.isfinite(number):
        raise Wrong(t("not_finite", call=call, got=number))
    return number


def close(got: float, expected: float, tol: dict) -> bool:
    return abs(got - expected) <= tol["abs"] + tol["rel"] * abs(expected)


def check_function(fn, spec: dict, name: str) -> str:
    if not callable(fn):
        raise Wrong(t("not_function", name=name))
    examples = spec.get("examples", [])
    for example in examples:
        args = [example["args"][a] for a in spec["args"]]
        call = f"{name}({', '.join(f'{a}={_show(v)}' for a, v in zip(spec['args'], args))})"
        try:
            got = run_limited(fn, *args)
        except NotImplementedError:
            raise NotDone from None
        expected = example["expected"]
        if isinstance(expected, dict):
            _compare_dict(got, expected, spec["tolerance"], call)
        else:
            number = as_number(got, call)
            if not close(number, expected, spec["tolerance"]):
                raise Wrong(t("mismatch", call=call, got=_show(number), expected=_show(expected)))
    return t("examples_ok", n=len(examples))


def _compare_dict(got, expected: dict, tol: dict, call: str) -> None:
    keys = ", ".join(repr(k) for k in expected)
    if got is None:
        raise NotDone
    if not isinstance(got, dict):
        raise Wrong(t("expected_dict", keys=keys, got=_show(got)))
    missing = [k for k in expected if k not in got]
    if missing:
        raise Wrong(t("missing_keys", keys=", ".join(repr(k) for k in missing)))
    extra = [k for k in got if k not in expected]
    if extra:
        raise Wrong(t("extra_keys", keys=", ".join(repr(k) for k in extra)))
    for key, want in expected.items():
        where = f"{call}[{key!r}]"
        number = as_number(got[key], where)
        if not close(number, want, tol):
            raise Wrong(t("mismatch", call=where, got=_show(number), expected=_show(want)))


def check_value(value, q: dict) -> str:
    """The form of a non-function answer; the grader checks the rest."""
    kind = q["kind"]
    if value is None or (isinstance(value, str) and not value.strip()):
        raise NotDone
    if kind == "formula":
        if not isinstance(value, str):
            raise Wrong(t("expected_str", got=_show(value)))
        return t("formula_ok")
    if kind == "number":
        as_number(value, q["name"])
        return t("number_ok")
    options = q.get("options", [])
    shown = ", ".join(repr(o) for o in options)
    if kind == "choice":
        if value not in options:
            raise Wrong(t("expected_option", options=shown, got=_show(value)))
        return ""
    if kind == "multi":
        if not isinstance(value, (set, frozenset, list, tuple)):
            raise Wrong(t("expected_set", options=shown, got=_show(value)))
        if not value:
            raise NotDone
        unknown = [v for v in value if v not in options]
        if unknown:
            raise Wrong(t("not_options", values=", ".join(repr(v) for v in unknown)))
        return ""
    if kind == "mapping":
        keys = q.get("keys", [])
        if not isinstance(value, dict):
            raise Wrong(t("expected_dict", keys=", ".join(repr(k) for k in keys), got=_show(value)))
        if not value:
            raise NotDone
        missing = [k for k in keys if k not in value]
        if missing:
            raise Wrong(t("missing_keys", keys=", ".join(repr(k) for k in missing)))
        extra = [k for k in value if k not in keys]
        if extra:
            raise Wrong(t("extra_keys", keys=", ".join(repr(k) for k in extra)))
        for key, names in value.items():
            if not isinstance(names, (list, tuple, set, frozenset)) or not all(
                isinstance(n, str) for n in names
            ):
                raise Wrong(t("mapping_values", key=repr(key), got=_show(names)))
        return ""
    if not isinstance(value, str):
        raise Wrong(t("expected_str", got=_show(value)))
    return t("text_ok")


def check_question(namespace: dict, q: dict, examples: dict) -> tuple[str, str]:
    """(status, detail); status is ok, wrong, todo or error."""
    name = q["name"]
    if q["qid"] in CELL_ERRORS:
        return "error", describe_error(CELL_ERRORS[q["qid"]])
    if name not in namespace:
        return "error", t("missing", name=name)
    try:
        if q["kind"] == "function":
            if q["qid"] not in examples:
                return "error", t("no_examples")
            return "ok", check_function(namespace[name], examples[q["qid"]], name)
        return "ok", check_value(namespace[name], q)
    except NotDone:
        return "todo", ""
    except Wrong as err:
        return "wrong", str(err)
    except Exception as err:  # whatever the student's code raised
        return "error", describe_error(err)


# --- the command -----------------------------------------------------------------------------


def select(names: list[str], notebooks: bool) -> list[tuple[dict, Path]]:
    """The exercises to check and the file each is read from."""
    by_id = {e["id"]: e for e in COURSE["exercises"]}
    chosen = []
    for name in names or list(by_id):
        path = Path(name)
        ex_id = path.stem if path.suffix in (".py", ".ipynb") else name
        if ex_id not in by_id:
            print(t("unknown", name=name, names=", ".join(by_id)), file=sys.stderr)
            raise SystemExit(2)
        if path.suffix in (".py", ".ipynb"):
            file = path if path.is_absolute() else Path.cwd() / path
            if not file.exists() and path.suffix == ".ipynb":
                file = HERE / "notebooks" / path.name
            elif not file.exists():
                file = HERE / path.name
        elif notebooks:
            file = HERE / "notebooks" / f"{ex_id}.ipynb"
        else:
            file = HERE / f"{ex_id}.py"
        chosen.append((by_id[ex_id], file))
    return chosen


def check(names: list[str], notebooks: bool) -> int:
    try:
        examples = json.loads(EXAMPLES.read_text(encoding="utf-8"))["questions"]
    except OSError:
        print(t("no_examples"), file=sys.stderr)
        examples = {}
    counts = {"ok": 0, "wrong": 0, "todo": 0, "error": 0}
    marks = {"ok": t("ok"), "wrong": t("wrong"), "todo": "…", "error": "!"}
    for exercise, file in select(names, notebooks):
        print(f"\n{_short(str(file))} — {exercise['title']}")
        questions = exercise["questions"]
        if not file.exists():
            print(f"  ! {t('no_file', file=_short(str(file)))}")
            counts["error"] += len(questions)
            continue
        module = f"{exercise['id']}" if file.suffix == ".py" else f"{exercise['id']}_notebook"
        try:
            loader = load_notebook if file.suffix == ".ipynb" else load_py
            namespace = loader(file, module)
        except Exception as err:  # the student's file does not run
            print(f"  ! {t('file_error', file=_short(str(file)), error=describe_error(err))}")
            for q in questions:
                print(f"  ! {q['qid']}: {t('skipped')}")
            counts["error"] += len(questions)
            continue
        for q in questions:
            status, detail = check_question(namespace, q, examples)
            counts[status] += 1
            label = {"ok": "", "wrong": "", "todo": t("todo"), "error": t("error")}[status]
            text = ": ".join(p for p in (label, detail) if p)
            print(f"  {marks[status]} {q['qid']}" + (f" — {text}" if text else ""))
    total = sum(counts.values())
    print()
    print(
        t(
            "summary",
            passed=counts["ok"],
            total=total,
            wrong=counts["wrong"],
            todo=counts["todo"],
            errors=counts["error"],
        )
    )
    done = counts["ok"] == total
    print(t("all_good") if done else t("keep_going"))
    return 0 if done else 1


def print_values(student: str) -> int:
    for entry in COURSE["values"]:
        if entry.get("exercise"):
            print()
            print(t("values_own", exercise=entry["exercise"], title=entry["title"]))
        else:
            print(t("values_for", student=student))
        values = student_values(entry["seed"], student, entry["ranges"])
        width = max(len(n) for n in values)
        for name, value in values.items():
            print(f"  {name:<{width}} = {value!r}")
    print()
    print(t("values_note"))
    return 0


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a console that cannot print ✓ or Cyrillic
            stream.reconfigure(errors="replace")
    parser = argparse.ArgumentParser(prog="check.py", description=t("description"))
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE", help=t("arg_exercises"))
    parser.add_argument("--id", dest="student", metavar="ID", help=t("arg_id"))
    parser.add_argument("--notebooks", action="store_true", help=t("arg_notebooks"))
    args = parser.parse_args(argv)
    print(COURSE["title"])
    if args.student is not None:
        return print_values(args.student)
    return check(args.exercises, args.notebooks)


if __name__ == "__main__":
    sys.exit(main())
