"""Each grading status worded once per language, with its symbol (so it reads without
colour and on paper): the terminal's table, a report's feedback for an untouched answer, the
HTML pages, and the students' own checks (``check.py``, the nbgrader helper cell, whose
stdlib-only copy tests/test_wording.py keeps equal) all say these words."""

from __future__ import annotations

STATUS: dict[str, tuple[str, dict[str, str]]] = {
    "passed": ("\u2713", {"en": "passed", "ru": "верно"}),
    "partial": ("\u25d1", {"en": "partly right", "ru": "частично"}),
    "failed": ("\u2717", {"en": "wrong", "ru": "неверно"}),
    "error": ("\u26a0", {"en": "error in the code", "ru": "ошибка в коде"}),
    "timeout": ("\u231b", {"en": "time out", "ru": "превышено время"}),
    "missing": ("\u25cb", {"en": "not attempted", "ru": "не сделано"}),
    "manual": ("\u270e", {"en": "graded by the teacher", "ru": "проверяет учитель"}),
}


def word(code: str, lang: str) -> str:
    """The status ``code`` in ``lang`` (its code itself if it is not a status)."""
    words = STATUS.get(code, ("", {}))[1]
    return words.get(lang) or words.get("en") or code
