"""What the tests share: how they run the project's commands.

A test runs ``grade``, ``course`` and ``nbgrader`` as ``python -m …`` with the interpreter
that runs the tests, so it exercises the code this interpreter imports: never whatever
console script comes first on PATH (another venv's, or a stale install's).
"""

from __future__ import annotations

import sys
from os import PathLike

MODULES = {"grade": "cli.grade", "course": "cli.course", "nbgrader": "nbgrader"}


def command(name: str, *args: str | PathLike[str] | float) -> list[str]:
    """The argv that runs the command ``name`` (grade, course, nbgrader) with ``args``."""
    return [sys.executable, "-m", MODULES[name], *map(str, args)]
