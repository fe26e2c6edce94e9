"""A notebook's code as Python, the one way both the grader and the student's check read it.

Standard library only: ``course release`` copies this module's source into the release's
``check.py``, and :mod:`grader.intake.notebooks` builds the module the sandbox imports from
it.  A notebook is untrusted JSON, read with limits (size, cells).  Its code cells run the
way a kernel runs them (nbgrader autograde runs them in order and carries on after an
error): each cell is compiled and run on its own, so a cell that fails (a scratch cell
calling an unfinished function, a syntax error) costs only the names that cell defines, and
asking for such a name raises that cell's own error again.  Test cells (nbgrader's
autograder tests) are left out; IPython magics become ``pass`` (``%time x`` runs x; a cell
magic whose body is not Python is left out).  Line ``n`` of the notebook's cell ``k`` is
line ``k * LINES + n`` of the module, so an error's place reads back as "cell k, line n".
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, NamedTuple

MAX_NOTEBOOK = 16 << 20  # one notebook file, outputs (plots) included
MAX_CELLS = 5000
LINES = 100_000  # module line of a cell's line n: cell number * LINES + n
CELL_MAGICS_WITH_PYTHON = {"time", "capture", "prun"}  # their body runs in the namespace


class Unreadable(ValueError):
    """Not a notebook that can be read: ``reason`` names why, ``fields`` the details."""

    def __init__(self, reason: str, **fields: Any):
        super().__init__(reason, fields)
        self.reason = reason
        self.fields = fields

    def __str__(self) -> str:
        return self.reason.replace("_", " ") + "".join(f", {k} {v}" for k, v in self.fields.items())


class Cell(NamedTuple):
    """One notebook cell, as read (a NamedTuple: no dataclass, which needs its module in
    sys.modules, and check.py may be loaded without it)."""

    number: int  # 1-based position among all the notebook's cells
    cell_type: str
    source: str
    question: str | None  # metadata.course.question
    grade_id: str | None  # metadata.nbgrader.grade_id
    flags: tuple[bool, bool, bool] | None  # nbgrader (grade, solution, locked)
    marked_test: bool = False  # metadata.course.test

    @property
    def is_test(self) -> bool:
        """An autograder-test cell (never part of the student's module)."""
        return self.marked_test or (self.flags is not None and self.flags[0] and not self.flags[1])

    @property
    def is_code(self) -> bool:
        return self.cell_type == "code" and not self.is_test

    @property
    def names(self) -> tuple[str, ...]:
        """The names the cell defines at its top level (read from the text, never run)."""
        return _names(self.source)


@functools.lru_cache(maxsize=1024)  # asked per question and per cell; bounded: memory stays flat
def _names(source: str) -> tuple[str, ...]:
    found = []
    for m in _DEFINES.finditer(source):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in found:
            found.append(name)
    return tuple(found)


_DEFINES = re.compile(
    r"^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)|^class[ \t]+([A-Za-z_]\w*)"
    r"|^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)",
    re.M,
)


# A line that starts with a magic or a shell escape (leading white space but the line break,
# as str.lstrip() strips it)
_MAGIC = re.compile(r"^[^\S\n]*[%!]", re.M)


def read_cells(data: bytes) -> list[Cell]:
    """The cells of a notebook file's bytes, or Unreadable (reasons: too_large, not_utf8,
    bad_json (line, column, msg), too_deep, huge_number, not_v4 (old), too_many_cells, damaged_cell
    (cell))."""
    if len(data) > MAX_NOTEBOOK:
        raise Unreadable("too_large")
    try:
        nb = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise Unreadable("not_utf8") from None
    except json.JSONDecodeError as err:
        raise Unreadable("bad_json", line=err.lineno, column=err.colno, msg=err.msg) from None
    except RecursionError:
        raise Unreadable("too_deep") from None
    except ValueError:  # an integer of thousands of digits (Python's int conversion limit)
        raise Unreadable("huge_number") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise Unreadable("not_v4", old=isinstance(nb, dict) and "worksheets" in nb)
    if len(nb["cells"]) > MAX_CELLS:
        raise Unreadable("too_many_cells")
    cells = []
    for number, raw in enumerate(nb["cells"], 1):
        cell = cell_of(number, raw)
        if cell is None:
            raise Unreadable("damaged_cell", cell=number)
        cells.append(cell)
    return cells


def _flags(meta: Any) -> tuple[bool, bool, bool] | None:
    if not isinstance(meta, dict):
        return None
    grade, solution, locked = (
        meta.get("grade", False),
        meta.get("solution", False),
        meta.get("locked", False),
    )
    if type(grade) is bool and type(solution) is bool and type(locked) is bool:
        return grade, solution, locked  # bool has no subclasses
    return None


def cell_of(number: int, raw: Any) -> Cell | None:
    """One notebook cell's JSON as a Cell, or None if it is not a cell."""
    if not isinstance(raw, dict):
        return None
    cell_type = raw.get("cell_type")
    source = raw.get("source", "")
    meta = raw.get("metadata", {})
    if not isinstance(cell_type, str) or not isinstance(meta, dict):
        return None
    if isinstance(source, list):
        try:
            source = "".join(source)  # its lines; a TypeError if one is not a string
        except TypeError:
            return None
    if not isinstance(source, str):
        return None
    question, test, grade_id, flags = None, False, None, None
    course = meta.get("course")
    if isinstance(course, dict):
        question = course.get("question")
        question = question if isinstance(question, str) else None
        test = course.get("test") is True
    nbg = meta.get("nbgrader")
    if isinstance(nbg, dict):
        grade_id = nbg.get("grade_id")
        grade_id = grade_id if isinstance(grade_id, str) else None
        flags = _flags(nbg)
    return Cell(number, cell_type, source, question, grade_id, flags, test)


@functools.lru_cache(maxsize=1024)  # the setup cell and the imports: in every notebook
def python_source(source: str) -> str | None:
    """A cell's text as Python (``%time x`` runs x, other magics become ``pass``), or None for
    a cell magic whose body is not Python."""
    if not _MAGIC.search(source):
        return source  # no magic: most cells
    lines = source.split("\n")
    first = lines[0].lstrip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
        if magic not in CELL_MAGICS_WITH_PYTHON:
            return None
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.split(maxsplit=1)[:1] == ["%time"]:
            lines[i] = indent + stripped[len("%time") :].lstrip()  # the timed statement runs
        elif stripped.startswith(("%", "!")):
            lines[i] = f"{indent}pass  # {stripped}"
    return "\n".join(lines)


def runnable(cells: list[Cell]) -> list[tuple[Cell, str]]:
    """The cells that run, each with its Python: code cells but tests, magics read."""
    found = []
    for cell in cells:
        if cell.is_code:
            code = python_source(cell.source)
            if code is not None:
                found.append((cell, code))
    return found


def run_cells(cells: list, namespace: dict, filename: str, lines: int) -> dict:
    """Each (number, names, source) on its own, as a kernel runs cells: name → the error of
    the failed cell that should have defined it.  Runs the student's code: in the sandbox
    (the grader), or in the student's own check on the student's own machine.  Its source is
    copied into both, so it names nothing but builtins (and compiles the cells without this
    file's ``from __future__`` flags).

    A cell is compiled as it is and its code moved to its module lines (``co_firstlineno``,
    which every line of a code object counts from): no syntax tree to walk.  A cell's code
    is compiled once a process (kept in ``sys``), as each of a student's notebooks opens with
    the same setup cell and imports."""
    import sys

    compiled = sys.__dict__.setdefault("_notebook_cells_compiled", {})
    if not isinstance(compiled, dict) or len(compiled) > 4096:
        compiled = {}

    def moved(code, by: int):
        consts = tuple(moved(c, by) if type(c) is type(code) else c for c in code.co_consts)
        return code.replace(
            co_filename=filename, co_firstlineno=code.co_firstlineno + by, co_consts=consts
        )

    failed: dict = {}
    for number, names, source in cells:
        try:
            code = compiled.get(source)
            if code is None:
                try:
                    code = compile(source, filename, "exec", dont_inherit=True)
                except SyntaxError as err:
                    if isinstance(err.lineno, int):
                        err.lineno += number * lines
                    raise
                compiled[source] = code
            exec(moved(code, number * lines), namespace)
        except (Exception, SystemExit) as err:
            for name in names:
                if name not in namespace:
                    failed.setdefault(name, err)
    return failed
