"""Where the hidden tests are: the package's own, and the course folder's ``hidden/``.

Apart from the plugin so that what reads them without running them (the resume fingerprint)
does not load pytest.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from reference.course.exercises import Course

# The hidden tests and their pytest.ini are package data of this package, never a checkout's
# files.  pytest collects from real folders: on a regular install (a wheel, or editable)
# ``files()`` is one already and ``as_file()`` hands it over unchanged; from a zipped install
# ``as_file()`` extracts a temporary copy (of a directory: Python >= 3.12 only).
HIDDEN = resources.files(__package__)


def hidden_dirs(course: Course, package: Path) -> list[Path]:
    """The package's hidden tests (``package``: ``HIDDEN`` as a real folder), and the course
    folder's own ``hidden/`` if it has one."""
    dirs = [package]
    extra = course.root / "hidden"
    if extra.is_dir():
        dirs.append(extra)
    return dirs
