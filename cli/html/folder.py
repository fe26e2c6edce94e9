"""Whether ``--html DIR`` can be written, checked before any grading (exit 2, no traceback)."""

from __future__ import annotations

import os
from pathlib import Path

from reference.i18n import Text, t


def html_problem(folder: Path) -> Text | None:
    """Why ``folder`` cannot hold the pages, or None (a missing folder is made, if its parent
    exists)."""
    if folder.exists() and not folder.is_dir():
        return t("pages.html_file_not_folder", folder=folder)
    parent = folder if folder.exists() else folder.parent
    if not parent.is_dir():
        return t("pages.html_folder_does_not_exist", folder=folder, parent=parent)
    if not os.access(parent, os.W_OK):
        return t("pages.html_cannot_written_permission_denied", folder=folder)
    return None
