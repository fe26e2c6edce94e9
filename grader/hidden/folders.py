"""Where the hidden tests are: the package's own, and the course folder's ``hidden/``.

Apart from the plugin so that what reads them without running them (the resume fingerprint)
does not load pytest.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # no numpy for a session's own process before its course comes
    from grader.course.questions import Course

# The hidden tests and their pytest.ini are package data of this package, never a checkout's
# files.  pytest collects from real folders: on a regular install (a wheel, or editable)
# ``files()`` is one already and ``as_file()`` hands it over unchanged; from a zipped install
# ``as_file()`` extracts a temporary copy (of a directory: Python >= 3.12 only).
HIDDEN = resources.files(__package__)


def hidden_dirs(root: Path, package: Path) -> list[Path]:
    """The package's hidden tests (``package``: ``HIDDEN`` as a real folder), and the course
    folder's (``root``) own ``hidden/`` if it has one."""
    dirs = [package]
    extra = root / "hidden"
    if extra.is_dir():
        dirs.append(extra)
    return dirs


BUILT_IN = "test_questions.py"  # the package's own test: every question of the YAML


def custom_tests(course: Course) -> bool:
    """Whether any hidden test runs besides the built-in one: the course folder's ``hidden/``,
    or a test or conftest a teacher added to the package's own folder."""
    if (course.root / "hidden").is_dir():
        return True
    with resources.as_file(HIDDEN) as package:
        for _, _, files in os.walk(package):
            for name in files:
                if name == "conftest.py" or (
                    name.startswith("test_") and name.endswith(".py") and name != BUILT_IN
                ):
                    return True
    return False
