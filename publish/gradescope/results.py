"""results.json as Gradescope's autograder specification has it: the one writer, for
``grade --gradescope`` and for the bundle's run_autograder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.grading import clean
from publish import output_files
from publish.gradescope.settings import Settings


def results(obj: dict[str, Any], settings: Settings | None = None) -> dict[str, Any]:
    """One graded submission (a ``grade --json`` object) → results.json's content: a test a
    scored question (name, score, max_score, output = its feedback, visibility)."""
    settings = settings or Settings()
    tests = [
        {
            "name": q["id"],
            "number": str(i + 1),
            "score": q["score"],
            "max_score": q["max_score"],
            "status": "passed" if q["status"] == "passed" else "failed",
            "output": clean(_one_line(q.get("feedback", ""))),
            "visibility": settings.of(q["id"]),
        }
        for i, q in enumerate(q for q in obj["questions"] if "score" in q)
    ]
    return {
        "score": obj["score"],
        "output": clean("\n".join(obj.get("problems", ()))),
        "tests": tests,
        "visibility": settings.visibility,
        "stdout_visibility": settings.stdout_visibility,
    }


def nothing_graded(message: str, settings: Settings | None = None) -> dict[str, Any]:
    """results.json for an upload with nothing to grade: 0, and why."""
    settings = settings or Settings()
    return {
        "score": 0,
        "output": clean(message),
        "tests": [],
        "visibility": settings.visibility,
        "stdout_visibility": settings.stdout_visibility,
    }


def tell(path: Path, message: str) -> None:
    """Put ``message`` first in the ``output`` of the results.json at ``path`` (the student
    reads it above the tests)."""
    content = json.loads(path.read_text(encoding="utf-8"))
    content["output"] = clean("\n".join(x for x in (message, content.get("output", "")) if x))
    write(path, content)


def write(path: Path, content: dict[str, Any]) -> None:
    output_files.write_text(path, json.dumps(content, ensure_ascii=False, indent=2))


def _one_line(text: str) -> str:
    return " ".join(text.split())
