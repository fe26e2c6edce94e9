#!/usr/bin/env python3
"""Check your answers against the public examples (course release rewrites this line)."""

from __future__ import annotations

import argparse
import contextlib
import hashlib  # noqa: F401  (used by student_values, copied in at release)
import importlib.util
import json
import random  # noqa: F401  (used by student_values, copied in at release)
import sys
import traceback
import types
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the student's folder

# --- course release writes this part ---
# This file is the template of the student release's check.py: `course release` copies it with
# this part rewritten: the exact source of the grader's own time limiter
# (grader/sandbox/limit.py), notebook reader (grader/intake/cells.py) and public checks
# (publish/public_checks.py, shared with the nbgrader notebooks' helper cell) in place of these
# imports; the grader's own formula reader (reference/expr, with the table's names and i18n),
# carried whole as source and imported under its own names (publish/embedded.py); the
# language, the sentences this file and the public checks say in it (MESSAGES: the course
# catalogue's, reference/catalogue), the course, and an exact copy of the grader's own
# student_values.
# The release must stay standalone: the standard library only, nothing installed from the
# course; numpy is imported only by the student's modules, if at all.  It runs the student's
# own code on the student's own machine: that is its whole purpose.
from grader.intake.cells import LINES, Unreadable, read_cells, run_cells, runnable  # noqa: E402
from grader.sandbox.limit import time_limited  # noqa: E402
from publish.public_checks import (  # noqa: E402
    ANSWERED,
    NotDone,
    Wrong,
    check_form,
    example,
    say,
    show,
)
from reference.expr import ExprError  # noqa: E402
from reference.expr.student import read_answer, reading  # noqa: E402

LANG = "en"
COURSE: dict = {"title": "", "exercises": [], "values": [], "functions": {}}


def student_values(seed, student, ranges):
    """Replaced at release by an exact copy of the grader's own function."""
    raise NotImplementedError


# --- end of the part course release writes ---

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "public_examples.json"
STUDENT_FILE = HERE / "student.txt"  # whose work this is: the grader reads it
TIME_LIMIT = 10  # seconds for one call or one import, where the OS supports alarms


class TimeLimit(Exception):
    pass


# --- running the student's code --------------------------------------------------------------


def run_limited(fn, *args):
    """``fn(*args)``, stopped after TIME_LIMIT seconds where the OS has SIGALRM."""
    result, timed_out = time_limited(lambda: fn(*args), TIME_LIMIT)
    if timed_out:
        raise TimeLimit
    return result


def load_py(path: Path, name: str) -> tuple[dict, dict]:
    """The names ``path`` defines, imported as module ``name`` (and no failed cells)."""
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))  # so one exercise may import another
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    run_limited(spec.loader.exec_module, module)
    return vars(module), {}


def load_notebook(path: Path, name: str) -> tuple[dict, dict]:
    """The names a notebook's code cells define, and name → the error of the cell that failed
    to define it: the grader's own reading (read_cells, runnable, run_cells), so a notebook
    reads the same here as in grading.  It runs the student's own notebook on the student's
    own machine."""
    cells = read_cells(path.read_bytes())
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    entries = [(cell.number, cell.names, code) for cell, code in runnable(cells)]
    failed = run_limited(run_cells, entries, module.__dict__, str(path), LINES)
    return vars(module), failed


def describe_error(err: BaseException) -> str:
    """``ZeroDivisionError: division by zero (A.py, line 12)``: the last line in the student's
    own files, no traceback."""
    if isinstance(err, TimeLimit):
        return say("checks.timeout", seconds=TIME_LIMIT)
    if isinstance(err, Unreadable):
        return say("checks.not_notebook", why=str(err))
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
        file, line = _short(where[0]), where[1]
        if file.endswith(".ipynb") and line > LINES:  # a notebook's cell k, line n
            message += (
                f" ({say('checks.cell_at', file=file, cell=line // LINES, line=line % LINES)})"
            )
        else:
            message += f" ({say('checks.at', file=file, line=line)})"
    return message


def _is_student_file(filename: str) -> bool:
    try:
        path = Path(filename).resolve()
        path.relative_to(HERE)
    except (OSError, ValueError):
        return False
    return path != Path(__file__).resolve()


def _short(filename: str) -> str:
    with contextlib.suppress(ValueError):
        return str(Path(filename).resolve().relative_to(HERE))
    return filename


# --- checking one answer: the public checks' example() and check_form() ---------------------


def check_function(fn, spec: dict, name: str) -> str:
    check_form(fn, name, {"form": "function"})
    examples = spec.get("examples", [])
    for case in examples:
        args = [case["args"][a] for a in spec["args"]]
        call = f"{name}({', '.join(f'{a}={show(v)}' for a, v in zip(spec['args'], args))})"
        example(lambda args=args: run_limited(fn, *args), case["expected"], spec["tolerance"], call)
    return say("checks.examples_ok", n=len(examples))


def read_formula(text: str, public: dict) -> str:
    """A formula read by the grader's own reader, as grade reads it: how it was read, or
    Wrong with the reader's message (column and hint) in the release's language."""
    try:
        tree = read_answer(text, public["args"], public["nodes"], COURSE["functions"])
    except ExprError as err:
        raise Wrong(err.message(LANG)) from None
    return reading(tree, public["nodes"])


def answered(q: dict, value) -> str:
    """What check.py can say of an answer only the grader can verify: that it is there (the
    lesson's note on a wrong option is the grader's to show, beside a wrong choice only)."""
    return say("checks.answered")


def check_question(namespace: dict, failed: dict, q: dict, examples: dict) -> tuple[str, str]:
    """(status, detail); status is ok, answered (the form is right; only the grader can
    check the answer), wrong, todo or error.  ``failed``: name → the error of the notebook
    cell that should have defined it."""
    name = q["name"]
    if name in failed and name not in namespace:
        return "error", describe_error(failed[name])
    if name not in namespace:
        return "error", say("checks.missing", name=name)
    try:
        if q["form"] == "function":
            if q["qid"] not in examples:
                return "error", say("checks.no_examples")
            return "ok", check_function(namespace[name], examples[q["qid"]], name)
        note = check_form(namespace[name], name, q, read_formula)
        if q["form"] in ANSWERED:
            return "answered", answered(q, namespace[name])
        return "ok", note
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
            print(say("checks.unknown", name=name, names=", ".join(by_id)), file=sys.stderr)
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
        print(say("checks.no_examples"), file=sys.stderr)
        examples = {}
    counts = {"ok": 0, "answered": 0, "wrong": 0, "todo": 0, "error": 0}
    marks = {"ok": "✓", "answered": "○", "wrong": "✗", "todo": "…", "error": "!"}
    for exercise, file in select(names, notebooks):
        print(f"\n{_short(str(file))} — {exercise['title']}")
        questions = exercise["questions"]
        if not file.exists():
            print(f"  ! {say('checks.no_file', file=_short(str(file)))}")
            counts["error"] += len(questions)
            continue
        module = f"{exercise['id']}" if file.suffix == ".py" else f"{exercise['id']}_notebook"
        try:
            loader = load_notebook if file.suffix == ".ipynb" else load_py
            namespace, failed = loader(file, module)
        except Exception as err:  # the student's file does not run
            print(
                f"  ! {say('checks.file_error', file=_short(str(file)), error=describe_error(err))}"
            )
            for q in questions:
                print(f"  ! {q['qid']}: {say('checks.skipped')}")
            counts["error"] += len(questions)
            continue
        for q in questions:
            status, detail = check_question(namespace, failed, q, examples)
            counts[status] += 1
            label = {"todo": say("status.missing"), "error": say("checks.error")}.get(status, "")
            text = ": ".join(p for p in (label, detail) if p)
            print(f"  {marks[status]} {q['qid']}" + (f" — {text}" if text else ""))
    total = sum(counts.values())
    print()
    print(
        say(
            "checks.summary",
            passed=counts["ok"],
            answered=counts["answered"],
            total=total,
            wrong=counts["wrong"],
            todo=counts["todo"],
            errors=counts["error"],
        )
    )
    done = counts["ok"] + counts["answered"] == total
    print(say("checks.all_good") if done else say("checks.keep_going"))
    return 0 if done else 1


def saved_id() -> str | None:
    """The id student.txt holds: its first line that is not empty or a # comment (the blank
    release's line is a comment), as the grader reads it."""
    try:
        text = STUDENT_FILE.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff")
        if line and not line.startswith("#"):
            return line
    return None


def save_id(student: str) -> None:
    """Write ``student`` to student.txt (one line), saying what it replaced."""
    old = saved_id()
    try:
        STUDENT_FILE.write_text(student + "\n", encoding="utf-8")
    except OSError as err:
        print(say("checks.id_not_saved", error=err), file=sys.stderr)
        return
    print(say("checks.id_saved"))
    if old is not None and old != student:
        print(say("checks.id_replaced", old=old, new=student))


def print_values(student: str) -> int:
    for entry in COURSE["values"]:
        if entry.get("exercise"):
            print()
            print(say("checks.values_own", exercise=entry["exercise"], title=entry["title"]))
        else:
            print(say("checks.values_for", student=student))
        values = student_values(entry["seed"], student, entry["ranges"])
        width = max(len(n) for n in values)
        for name, value in values.items():
            print(f"  {name:<{width}} = {value!r}")
    print()
    print(say("checks.values_note"))
    return 0


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a console that cannot print ✓ or Cyrillic
            stream.reconfigure(errors="replace")
    parser = argparse.ArgumentParser(prog="check.py", description=say("checks.description"))
    parser.add_argument(
        "exercises", nargs="*", metavar="EXERCISE", help=say("checks.arg_exercises")
    )
    parser.add_argument("--id", dest="student", metavar="ID", help=say("checks.arg_id"))
    parser.add_argument("--notebooks", action="store_true", help=say("checks.arg_notebooks"))
    args = parser.parse_args(argv)
    print(COURSE["title"])
    if args.student is not None:
        student = args.student.strip()
        if not student or student.startswith("#") or "\n" in student or "\r" in student:
            print(say("checks.id_bad"), file=sys.stderr)
            return 2
        status = print_values(student)
        print()
        save_id(student)
        return status
    if importlib.util.find_spec("numpy") is None:
        # The stubs import numpy: without it every file fails, so say so once, plainly
        # (found, not imported: check.py itself stays standard library only).
        raise SystemExit(say("checks.no_numpy", python=sys.executable or "python"))
    return check(args.exercises, args.notebooks)


if __name__ == "__main__":
    sys.exit(main())
