"""Each grading status with its symbol (so it reads without colour and on paper), worded once
per language in the catalogue (``status.<code>``): the terminal's table, a report's feedback
for an untouched answer, the HTML pages, and the students' own checks (``check.py``, the
nbgrader helper cell) all say these words."""

from __future__ import annotations

from reference.catalogue import t

SYMBOLS = {
    "passed": "\u2713",
    "partial": "\u25d1",
    "failed": "\u2717",
    "error": "\u26a0",
    "timeout": "\u231b",
    "missing": "\u25cb",
    "manual": "\u270e",
}
STATUS: dict[str, tuple[str, dict[str, str]]] = {
    code: (symbol, t(f"status.{code}")) for code, symbol in SYMBOLS.items()
}


def word(code: str, lang: str) -> str:
    """The status ``code`` in ``lang`` (its code itself if it is not a status)."""
    words = STATUS.get(code, ("", {}))[1]
    return words.get(lang) or words.get("en") or code
