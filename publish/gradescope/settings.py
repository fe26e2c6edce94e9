"""The ``gradescope:`` key of course.yml: who sees what on Gradescope, and whose work it is.

    gradescope:
      visibility: after_due_date   # the results as a whole (Gradescope's top-level visibility)
      stdout_visibility: hidden    # the autograder's own output
      tests: {prep: visible, chain.dL_dw1: hidden}   # by exercise or question id
      student_id: email            # the field of submission_metadata.json's user that is the id

Every key is optional.  A mistake is a course problem (``course.yml:LINE: message``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reference.course.source import CourseError, check_keys, read_yaml
from reference.i18n import did_you_mean, join, t

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
ID_FIELDS = ("email", "sid", "id", "name")  # a Gradescope user's fields
KEYS = ("visibility", "stdout_visibility", "tests", "student_id")


@dataclass(frozen=True)
class Settings:
    visibility: str = "visible"
    stdout_visibility: str = "hidden"
    tests: dict[str, str] = field(default_factory=dict)  # exercise or question id → visibility
    student_id: str = "email"

    def of(self, question: str) -> str:
        """A question's visibility: its own, else its exercise's, else the results'."""
        exercise = question.split(".", 1)[0]
        return self.tests.get(question, self.tests.get(exercise, self.visibility))


def load(course_file: Path, questions: set[str] | None = None, name: str | None = None) -> Settings:
    """The settings in ``course_file``; ``questions``: every question id, to check ``tests``
    against (exercise ids are the ids' prefixes); ``name``: the file as problems name it.
    CourseError on a mistake."""
    src = read_yaml(course_file, name)
    doc = src.data if isinstance(src.data, dict) else {}
    raw = doc.get("gradescope")
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        src.error(("gradescope",), t("gradescope.gradescope_must_mapping"))
        raise CourseError(src.problems)
    path = ("gradescope",)
    check_keys(src, path, raw, KEYS)
    values: dict[str, Any] = {}
    for key in ("visibility", "stdout_visibility"):
        if key in raw:
            values[key] = _visibility(src, (*path, key), raw[key])
    if "student_id" in raw:
        if raw["student_id"] in ID_FIELDS:
            values["student_id"] = raw["student_id"]
        else:
            src.error(
                (*path, "student_id"),
                t(
                    "gradescope.student_id_must_one_not",
                    id_fields=", ".join(ID_FIELDS),
                    student_id=raw["student_id"],
                ),
            )
    tests = raw.get("tests", {})
    if not isinstance(tests, dict):
        src.error((*path, "tests"), t("gradescope.tests_must_mapping"))
        tests = {}
    known = set(questions or ()) | {q.split(".", 1)[0] for q in questions or ()}
    for name, value in tests.items():
        if questions is not None and str(name) not in known:
            hint = did_you_mean(str(name), sorted(known))
            src.error(
                (*path, "tests", name),
                join([t("gradescope.tests_no_exercise_question_course", name=name), hint], ""),
            )
        _visibility(src, (*path, "tests", name), value)
    values["tests"] = {str(k): str(v) for k, v in tests.items()}
    if src.problems:
        raise CourseError(src.problems)
    return Settings(**values)


def _visibility(src: Any, path: tuple, value: Any) -> str:
    if value not in VISIBILITIES:
        src.error(
            path,
            t(
                "gradescope.must_one_not",
                path=path[-1],
                visibilities=", ".join(VISIBILITIES),
                value=value,
            ),
        )
    return str(value)
