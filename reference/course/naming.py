"""The ids of notebook cells: what publishing writes and intake reads, in one place.

A notebook's answer and test cells are found again by id (nbformat's ``id`` and nbgrader's
``grade_id``), so the writer (publish/) and the reader (grader/intake/) must derive them the
same way.  This lives with the course model, which both already depend on, rather than in
either of them: grading then never imports the publishing side.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

_BAD_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
MAX_ID = 64  # nbformat 4.5: ^[a-zA-Z0-9-_]+$, 1 to 64 characters


class _HasQid(Protocol):
    @property
    def qid(self) -> str: ...


def cell_id(*parts: str) -> str:
    """A valid, deterministic nbformat cell id from ``parts`` (e.g. a qid and a role)."""
    text = "-".join(_BAD_ID_CHARS.sub("-", p).strip("-") for p in parts if p) or "cell"
    if len(text) > MAX_ID:
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]
        text = f"{text[: MAX_ID - 9]}-{digest}"
    return text


def grade_id(q: _HasQid, role: str) -> str:
    """The nbgrader grade id of one of a question's cells (``answer``, ``test``, ``prompt``):
    ``A-dA_dw1-answer`` for question ``A.dA_dw1``."""
    return cell_id(q.qid, role)
