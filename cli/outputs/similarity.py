"""``--similarity DIR``: ``similarity.json`` and ``similarity.html``, pairs of students whose
work looks copied, with the evidence (:mod:`cli.similarity`).  Never a grade change.

Each submission is read as it is graded (:meth:`Similarity.graded`: its wrong numbers, its own
code and the code's fingerprints), while the rest of the class is still being graded; resumed
ones when their lines come.  The pairs are found when the run ends.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from cli.outputs.base import Output, Run, Setting
from reference.i18n import Text, pick, t

JSON, HTML = "similarity.json", "similarity.html"


class Similarity(Output):
    flag = "--similarity"
    help = (
        "A folder for similarity.json and similarity.html: pairs whose code is alike beyond "
        "the release, or whose hand-computed numbers are right at a classmate's values. "
        "Evidence for the teacher, never a grade change. Needs the extra [similarity]."
    )
    options = (
        Setting(
            "--similarity-threshold",
            click.FloatRange(0, 1),
            "The code score (0-1) that flags a pair (default: course.yml's "
            "similarity_threshold, else 0.4).",
        ),
    )

    def __init__(self, path: Path, run: Run) -> None:
        super().__init__(path, run)
        self._evidence: Any = None
        self._read: set[str] = set()  # submissions already taken as they were graded

    @classmethod
    def problem(cls, path: Path, found: int) -> Text | None:
        if found >= 0:
            return None
        from cli.similarity.code import install_hint

        hint = install_hint()
        if hint is not None:
            return t("similarity.needs_copydetect", pip=hint)
        if path.exists() and not path.is_dir():
            return t("similarity.not_a_folder", folder=path)
        parent = path if path.exists() else path.parent
        if not parent.is_dir():
            return t("similarity.folder_does_not_exist", folder=path, parent=parent)
        if not os.access(parent, os.W_OK):
            return t("similarity.cannot_write", folder=path)
        return None

    @classmethod
    def linked(cls, path: Path) -> tuple[Text, Path] | None:
        return t("similarity.title"), path / HTML

    def _class(self) -> Any:
        if self._evidence is None:  # copydetect and the pages load with the first line
            from cli.similarity import Evidence, page

            del page  # loaded now, while the class is still being graded

            self._evidence = Evidence(self.run.course, self.run.lang)
        return self._evidence

    def graded(self, line: dict[str, Any]) -> None:
        self._class().add(line)
        self._read.add(str(line.get("submission")))

    def add(self, line: dict[str, Any], mine: bool) -> None:
        if "submission" in line and str(line["submission"]) not in self._read:
            self._class().add(line)

    def finish(self) -> None:
        from cli.similarity import page
        from publish.output_files import write_text

        evidence = self._class()
        threshold = self.run.settings.get("similarity_threshold")
        if threshold is None:
            threshold = self.run.course.model.similarity_threshold
        pairs = evidence.pairs(threshold)
        self.path.mkdir(parents=True, exist_ok=True)
        data = evidence.to_json(pairs, threshold)
        write_text(self.path / JSON, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        write_text(self.path / HTML, page.html(evidence, pairs, threshold, self.run.lang))
        flagged = sum(p.flagged for p in pairs)
        n, shown = len(evidence.students), self.path / HTML
        self.run.warn(
            pick(t("similarity.terminal", flagged=flagged, n=n, page=shown), self.run.lang)
        )
