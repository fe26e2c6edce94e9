"""The --json file as a ledger of grades: one run at a time, every line kept that this run
does not replace, and a file of another kind refused before anything is graded.

The file itself is locked (``flock``) for the whole run; the final rewrite replaces it
atomically while the lock is still held, so a second run waits for nothing and reads either
the old file or the new one, never a half-written one.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import IO, Any

from grader.grading import clean
from publish import output_files
from reference.i18n import BilingualError, t


class LedgerError(BilingualError):
    """The --json file cannot be used: a usage problem, found before grading."""

    def __init__(self, en: str, ru: str):
        super().__init__(t(en, ru))


_NUMBER = (int, float)


def _is_report(obj: Any) -> bool:
    """A line ``grade`` wrote: the fields a resumed run and the reports read."""
    if not isinstance(obj, dict):
        return False
    if obj.get("kind") == "team":  # team lines: kept as they are, never resumed
        return True
    fields = {"submission": str, "student": str, "digest": str, "questions": list}
    if not all(isinstance(obj.get(k), t) for k, t in fields.items()):
        return False
    if not all(isinstance(obj.get(k), _NUMBER) for k in ("score", "max_score")):
        return False
    return all(_is_question(q) for q in obj["questions"])


def _is_question(q: Any) -> bool:
    """A question's entry: scored, or a free-text answer for the teacher (no score)."""
    if not (
        isinstance(q, dict)
        and isinstance(q.get("id"), str)
        and isinstance(q.get("status"), str)
        and isinstance(q.get("feedback", ""), str)
    ):
        return False
    if q["status"] == "manual":
        return isinstance(q.get("answer", ""), str)
    return isinstance(q.get("score"), _NUMBER) and isinstance(q.get("max_score"), _NUMBER)


class Ledger:
    """An open, locked --json file: the earlier reports, new lines as they come, and the
    final rewrite (earlier lines of submissions outside this run kept)."""

    def __init__(self, path: Path):
        self.path = output_files.target(path)  # through a link: the link stays one
        self._file = self._lock(path)
        self.lines: list[dict[str, Any]] = []  # every earlier line, in file order
        self.dropped = 0  # a last line cut by an interruption
        self._read()

    @staticmethod
    def _lock(path: Path) -> IO[str]:
        for _ in range(5):
            try:
                f = path.open("a+", encoding="utf-8", errors="surrogateescape")
            except OSError as err:
                raise LedgerError(
                    f"--json {path}: cannot be written ({err.strerror or err})",
                    f"--json {path}: запись невозможна ({err.strerror or err})",
                ) from None
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                f.close()
                raise LedgerError(
                    f"--json {path}: another grade run is writing this file; "
                    "wait for it to finish or choose another file",
                    f"--json {path}: в этот файл уже пишет другой запуск grade; "
                    "дождитесь его окончания или укажите другой файл",
                ) from None
            # Locked the file a finishing run has just replaced? Then lock the new one.
            try:
                if os.fstat(f.fileno()).st_ino == os.stat(path).st_ino:
                    return f
            except OSError:
                pass
            f.close()
        raise LedgerError(
            f"--json {path}: keeps being replaced by another program",
            f"--json {path}: файл всё время заменяет другая программа",
        )

    def _read(self) -> None:
        self._file.seek(0)
        text = self._file.read()
        raw = text.splitlines()
        for n, line in enumerate(raw, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                if n == len(raw) and not text.endswith("\n"):
                    self.dropped += 1  # the line an interrupted run was writing
                    continue
                obj = None
            if not _is_report(obj):
                self.close()
                raise LedgerError(
                    f"--json {self.path}:{n}: not a grade report written by grade; "
                    "choose another file (or remove that line)",
                    f"--json {self.path}:{n}: это не отчёт, записанный grade; "
                    "укажите другой файл (или удалите эту строку)",
                )
            self.lines.append(obj)

    def previous(self) -> dict[str, dict[str, Any]]:
        """Earlier reports by submission path (the latest of each)."""
        return {o["submission"]: o for o in self.lines if "submission" in o}

    def append(self, obj: dict[str, Any]) -> None:
        """One new report, on disk at once: an interrupted run resumes from it."""
        self._file.seek(0, os.SEEK_END)
        self._file.write(json.dumps(clean(obj), ensure_ascii=False) + "\n")
        self._file.flush()

    def finish(self, graded: list[dict[str, Any]], forget: set[str]) -> None:
        """Rewrite the file: one line a submission, this run's reports replacing earlier ones;
        lines of ``forget`` (submissions whose grading failed) dropped: their old grade is of
        other files or another course.  Atomic, under the lock."""
        latest: dict[str, dict[str, Any]] = {}
        others: list[dict[str, Any]] = []
        for obj in [*self.lines, *graded]:
            if "submission" in obj:
                latest[obj["submission"]] = obj
            elif obj.get("kind") == "team":  # a team's line: this run's replaces the last
                others = [o for o in others if o.get("team") != obj.get("team")] + [obj]
            else:
                others.append(obj)
        for key in forget:
            latest.pop(key, None)
        tmp = output_files.temporary(self.path)
        body = [
            *(latest[k] for k in sorted(latest)),
            *others,
        ]
        tmp.write_text(
            "".join(json.dumps(clean(o), ensure_ascii=False) + "\n" for o in body),
            encoding="utf-8",
        )
        output_files.replace(tmp, self.path)
        self.close()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()  # releases the lock
