"""What the tests share: how they run the project's commands.

A test runs ``grade``, ``course`` and ``nbgrader`` as ``python -m …`` with the interpreter
that runs the tests, so it exercises the code this interpreter imports: never whatever
console script comes first on PATH (another venv's, or a stale install's).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from os import PathLike
from pathlib import Path

MODULES = {"grade": "cli.grade", "course": "cli.course", "nbgrader": "nbgrader"}


def command(name: str, *args: str | PathLike[str] | float) -> list[str]:
    """The argv that runs the command ``name`` (grade, course, nbgrader) with ``args``."""
    return [sys.executable, "-m", MODULES[name], *map(str, args)]


def _jupyter_data_of_the_base() -> None:
    """Let ``python -m nbgrader`` find nbconvert's templates in a venv made with
    --system-site-packages: nbconvert is then the base interpreter's, its templates are in the
    base's share/jupyter, and jupyter searches only the venv's.  Elsewhere (CI: one env) this
    does nothing."""
    spec = importlib.util.find_spec("nbconvert")
    base = Path(sys.base_prefix)
    data = base / "share" / "jupyter"
    if sys.prefix == sys.base_prefix or spec is None or not spec.origin or not data.is_dir():
        return
    if not Path(spec.origin).resolve().is_relative_to(base.resolve()):
        return
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(data) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([*paths, str(data)])


_jupyter_data_of_the_base()


ROOT = Path(__file__).resolve().parents[1]
# The course folders the package's tests grade against, never the live course at ROOT, so a
# teacher's edit of course.yml or exercises/ cannot break them.  LESSON is the lesson as it
# shipped (with its graded samples in samples/); TANH has S = tanh(G); FOUR adds x4, w4 and
# D(x4, w4), with G(A, B, C, D).  Only tests/test_live_course.py reads ROOT's course.
COURSES = Path(__file__).resolve().parent / "courses"
LESSON = COURSES / "lesson"
TANH = COURSES / "tanh"
FOUR = COURSES / "four"
