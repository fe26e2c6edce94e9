"""Whether ``--html DIR`` can be written, checked before any grading (exit 2, no traceback)."""

from __future__ import annotations

import os
from pathlib import Path

from reference.i18n import Text, t


def html_problem(folder: Path) -> Text | None:
    """Why ``folder`` cannot hold the pages, or None (a missing folder is made, if its parent
    exists)."""
    if folder.exists() and not folder.is_dir():
        return t(
            f"--html {folder}: is a file, not a folder", f"--html {folder}: это файл, а не папка"
        )
    parent = folder if folder.exists() else folder.parent
    if not parent.is_dir():
        return t(
            f"--html {folder}: the folder {parent} does not exist",
            f"--html {folder}: папки {parent} нет",
        )
    if not os.access(parent, os.W_OK):
        return t(
            f"--html {folder}: cannot be written (permission denied)",
            f"--html {folder}: запись невозможна (нет прав)",
        )
    return None
