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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from cli.stream import Spool
from publish import output_files
from reference.i18n import BilingualError, Text, t


class LedgerError(BilingualError):
    """The --json file cannot be used: a usage problem, found before grading."""

    def __init__(self, text: Text):
        super().__init__(text)


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


class Ledger(Spool):
    """An open, locked --json file: the run's stream (:class:`cli.stream.Spool`) whose
    earlier lines are the reports a resumed run keeps, and the final rewrite (earlier lines
    of submissions outside this run kept)."""

    def __init__(self, path: Path):
        self.path = output_files.target(path)  # through a link: the link stays one
        super().__init__(self._lock(path))
        self.dropped = 0  # a last line cut by an interruption
        self._read()

    @staticmethod
    def _lock(path: Path) -> IO[bytes]:
        for _ in range(5):
            try:
                f = path.open("a+b")
            except OSError as err:
                raise LedgerError(
                    t("terminal.json_cannot_written", path=path, err=err.strerror or err),
                ) from None
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                f.close()
                raise LedgerError(
                    t("terminal.json_another_grade_run_writing", path=path),
                ) from None
            # Locked the file a finishing run has just replaced? Then lock the new one.
            try:
                if os.fstat(f.fileno()).st_ino == os.stat(path).st_ino:
                    return f
            except OSError:
                pass
            f.close()
        raise LedgerError(
            t("terminal.json_keeps_being_replaced_by", path=path),
        )

    def _read(self) -> None:
        """Check and index every line, one at a time (none is kept in memory)."""
        self._file.seek(0)
        offset, n, last = 0, 0, b""
        for raw in self._file:
            n += 1
            place, offset, last = (offset, len(raw)), offset + len(raw), raw
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8", "surrogateescape"))
            except ValueError:
                if not raw.endswith(b"\n"):  # the last line, cut by an interrupted run
                    self.dropped += 1
                    self._file.truncate(place[0])  # new lines start on a line of their own
                    continue
                obj = None
            if not _is_report(obj):
                self.close()
                raise LedgerError(
                    t("terminal.json_not_grade_report_written", path=self.path, n=n),
                )
            self.note(obj, place)
        if not self.dropped and last and not last.endswith(b"\n"):
            self._file.write(b"\n")  # a complete last line without its newline
            self._file.flush()

    def previous(self, with_graph: bool = False) -> Mapping[str, dict[str, Any]]:
        """Earlier reports by submission path (the latest of each), each read when asked;
        ``with_graph``: only those that carry a page's graph."""
        return _Earlier(self, self.graphs if with_graph else None)


class _Earlier(Mapping[str, dict[str, Any]]):
    """The ledger's earlier reports as a mapping that reads a line only when it is asked."""

    def __init__(self, ledger: Ledger, only: set[str] | None) -> None:
        self._ledger, self._only = ledger, only

    def __getitem__(self, key: str) -> dict[str, Any]:
        obj = self._ledger.get(key) if self._only is None or key in self._only else None
        if obj is None:
            raise KeyError(key)
        return obj

    def __iter__(self) -> Iterator[str]:
        return iter([k for k in self._ledger.index if self._only is None or k in self._only])

    def __len__(self) -> int:
        return sum(1 for _ in self)
