"""The teacher's output files (``--json``, ``--csv``, ``--gradescope``, ``--out``): checked before
any work, written through a symbolic link the teacher made, never over a device.

A path that is a link names its target: the target is what is checked and replaced, and the
link stays a link.  Anything there that is not a regular file (a device such as /dev/null, a
FIFO, a socket) is refused before grading, and an atomic replace only ever replaces a regular
file: as root, renaming over a device node would otherwise destroy it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any

from reference.i18n import Text, t


def target(path: Path) -> Path:
    """The file ``path`` names: itself, or where its symbolic links lead."""
    return Path(os.path.realpath(path))


def _special(path: Path) -> bool:
    """Whether something other than a regular file or a folder is at ``path``."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def problem(path: Path, option: str) -> Text | None:
    """Why ``path`` cannot be written as the file of ``option``, or None: checked before any
    grading, so a typo costs nothing."""
    real = target(path)
    if real.is_dir():
        return t("release.folder_not_file", option=option, path=path)
    if _special(real):
        return t("release.not_regular_file_device_fifo", option=option, path=path)
    parent = real.parent
    if not parent.is_dir():
        return t("release.folder_does_not_exist", option=option, path=path, parent=parent)
    if not os.access(real if real.exists() else parent, os.W_OK):
        return t("release.cannot_written_permission_denied", option=option, path=path)
    return None


def temporary(real: Path) -> Path:
    """A name beside ``real`` (a :func:`target`) to write before :func:`replace`."""
    return real.with_name(f".{real.name}.{os.getpid()}.tmp")


def replace(tmp: Path, real: Path) -> None:
    """Move ``tmp`` over ``real`` (a :func:`target`) atomically, if ``real`` is a regular
    file or nothing; else OSError, and ``tmp`` is removed."""
    if _special(real) or real.is_dir():
        tmp.unlink(missing_ok=True)
        raise OSError(f"{real} is not a regular file: not replaced")
    os.replace(tmp, real)


def write_text(path: Path, text: str) -> None:
    """``text`` as the content of ``path``'s target, replaced atomically."""
    real = target(path)
    tmp = temporary(real)
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        replace(tmp, real)
    finally:
        tmp.unlink(missing_ok=True)


class Replacing:
    """A file written a piece at a time beside ``path``'s target, then put in its place at
    once (:meth:`commit`) or removed (:meth:`discard`): no reader ever sees half of it, and a
    class's output never has to be whole in memory."""

    def __init__(self, path: Path, binary: bool = False) -> None:
        self.real = target(path)
        self.tmp = temporary(self.real)
        self.file: IO[Any] = (
            self.tmp.open("wb") if binary else self.tmp.open("w", encoding="utf-8", newline="")
        )

    def commit(self) -> None:
        self.file.close()
        try:
            replace(self.tmp, self.real)
        finally:
            self.tmp.unlink(missing_ok=True)

    def discard(self) -> None:
        self.file.close()
        self.tmp.unlink(missing_ok=True)
